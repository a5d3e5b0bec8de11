// The packet thread's stream handler when the pipeline runs on two threads: it writes calls down.

import PacketWire
import TCPReassembly

/// Records every `PipelineStreamHandler` call into a `StreamEventBatch` and hands the batch on
/// when it is full, so the HTTP side can run on another thread and see exactly the calls, in
/// exactly the order, that it would have seen on this one.
struct StreamEventRecorder: PipelineStreamHandler {
    private var batch: StreamEventBatch
    /// Takes a batch (full, or the last) and gives back an empty one to fill next: the other
    /// thread's queue, or (tests and the fuzzer) a replay on this thread.
    private let handOver: (consuming StreamEventBatch) -> StreamEventBatch
    /// How far into the file the packet loop has read, stamped on each batch handed over (the progress line).
    var fileOffset: Int64?

    private let limits: PipelineOptions.HandOver

    init(limits: PipelineOptions.HandOver, handOver: @escaping (consuming StreamEventBatch) -> StreamEventBatch) {
        self.limits = limits
        self.handOver = handOver
        batch = .reserved(limits)
    }

    private var isFull: Bool { batch.eventCount >= limits.events }

    /// Hands on what was recorded since the last hand-over, if anything.
    mutating func flush() {
        guard !batch.isEmpty else { return }
        var full = StreamEventBatch()
        swap(&full, &batch)
        full.fileOffset = fileOffset
        batch = handOver(full)
    }

    @inline(__always)
    private mutating func record(_ event: StreamEventBatch.Event) {
        if isFull { flush() }
        batch.append(event)
    }

    mutating func connectionOpened(_ info: ConnectionInfo) {
        if isFull { flush() }
        batch.appendOpened(info)
    }

    mutating func streamData(_ bytes: Span<UInt8>, stream: Int, direction: StreamDirection, offset: UInt64, frame: UInt64, time: Int64) {
        if isFull || !batch.hasRoom(forBytes: bytes.count, limit: limits.bytes) { flush() }
        let (start, count) = batch.appendBytes(bytes)
        batch.append(.data(stream: stream, direction: direction, offset: offset, frame: frame, time: time, start: start, count: count))
    }

    mutating func streamGap(stream: Int, direction: StreamDirection, offset: UInt64, length: UInt64, reason: GapReason,
                            frame: UInt64, time: Int64) {
        record(.gap(stream: stream, direction: direction, reason: reason, offset: offset, length: length, frame: frame, time: time))
    }

    mutating func directionClosed(stream: Int, direction: StreamDirection, reason: CloseReason, frame: UInt64, time: Int64) {
        record(.directionClosed(stream: stream, direction: direction, reason: reason, frame: frame, time: time))
    }

    mutating func connectionClosed(_ info: ConnectionInfo, reason: CloseReason) {
        if isFull { flush() }
        batch.appendClosed(info, reason: reason)
    }

    mutating func firstPacket(time: Int64) {
        record(.firstPacket(time: time))
    }

    mutating func synSeen(stream: Int, direction: StreamDirection, flags: TCPFlags, frame: UInt64, time: Int64) {
        record(.syn(stream: stream, direction: direction, flags: flags, frame: frame, time: time))
    }

    mutating func frameToKeep(_ bytes: Span<UInt8>, number: UInt64) {
        if isFull || !batch.hasRoom(forBytes: bytes.count, limit: limits.bytes) { flush() }
        let (start, count) = batch.appendBytes(bytes)
        batch.append(.frameToKeep(number: number, start: start, count: count))
    }
}
