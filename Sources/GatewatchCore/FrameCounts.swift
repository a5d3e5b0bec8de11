// What the packet loop counts itself, apart from what the HTTP side counts.

/// Frames, bytes, segments and capture times counted by the packet loop.
///
/// Kept out of `MessageSink.statistics` so that, when the HTTP side runs on a second thread, the
/// two threads never write the same value; folded into the run's statistics when they are read.
struct FrameCounts {
    var packets = 0
    var bytes: UInt64 = 0
    var tcpSegments = 0
    var ipFragments = 0
    var undecodedFrames = 0
    var firstTime: Int64?
    var lastTime: Int64?

    /// `statistics` with these counts in place of its own.
    func applied(to statistics: RunStatistics) -> RunStatistics {
        var result = statistics
        result.packets = packets
        result.bytes = bytes
        result.tcpSegments = tcpSegments
        result.ipFragments = ipFragments
        result.undecodedFrames = undecodedFrames
        result.firstTime = firstTime
        result.lastTime = lastTime
        return result
    }
}
