// One captured packet as libpcap hands it over: header fields and a borrowed view of its bytes.

/// A packet read from a capture. `bytes` points into libpcap's buffer and is valid only until the
/// next read from the same handle: callers decode it in place and copy only what must outlive it.
public struct PacketRecord {
    /// Capture time in nanoseconds since the Unix epoch (UTC).
    public var time: Int64
    /// Bytes captured (at most the snapshot length).
    public var capturedLength: Int
    /// Bytes the packet had on the wire.
    public var originalLength: Int
    /// The captured bytes, borrowed from libpcap.
    public var bytes: UnsafeRawBufferPointer

    /// A record from its parts: to write a stored copy of a packet with `PcapDumper`.
    public init(time: Int64, capturedLength: Int, originalLength: Int, bytes: UnsafeRawBufferPointer) {
        self.time = time
        self.capturedLength = capturedLength
        self.originalLength = originalLength
        unsafe self.bytes = bytes
    }
}

/// What one read attempt produced.
public enum PacketReadResult {
    case packet(PacketRecord)
    /// Live capture: the read timeout expired with nothing to deliver.
    case timeout
    /// End of a savefile, or `breakLoop()` was called (libpcap reports both the same way).
    case end
    case failed(PcapError)
}

/// Counters libpcap keeps for a live capture (`pcap_stats`).
public struct CaptureStatistics: Sendable, Equatable {
    public var received: UInt32
    public var droppedByKernel: UInt32
    public var droppedByInterface: UInt32
}
