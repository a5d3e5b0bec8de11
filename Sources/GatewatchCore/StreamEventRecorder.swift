// The packet thread's stream handler when the pipeline runs on two threads: it writes calls down.

import PacketWire
import TCPReassembly

/// Records every `PipelineStreamHandler` call into a `StreamEventBatch` and hands the batch on
/// when it is full, so the HTTP side can run on another thread and see exactly the calls, in
/// exactly the order, that it would have seen on this one.
struct StreamEventRecorder: PipelineStreamHandler {
    private var batch: StreamEventBatch
    /// Takes a batch (full, or the last) and gives back an empty one to fill next, with the bodies
    /// the HTTP side has announced since (`BodyElision`): the other thread's queue, or (tests and
    /// the fuzzer) a replay on this thread.
    private let handOver: (consuming StreamEventBatch) -> (StreamEventBatch, [BodyElision])
    /// Announced bodies whose bytes have not all been delivered yet, by `BodyElision.key`.
    private var elided = StreamTable<BodyElision>()
    /// How far into the file the packet loop has read, stamped on each batch handed over (the progress line).
    var fileOffset: Int64?

    private let limits: PipelineOptions.HandOver

    init(limits: PipelineOptions.HandOver,
         handOver: @escaping (consuming StreamEventBatch) -> (StreamEventBatch, [BodyElision])) {
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
        let announced: [BodyElision]
        (batch, announced) = handOver(full)
        for elision in announced where elision.to > elision.from {
            elided.set(elision, for: BodyElision.key(stream: elision.stream, direction: elision.direction))
        }
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
        // Bytes of an announced body are recorded by count alone. Only a delivery wholly inside
        // the body is: the stream's bytes come in order, each once, so the HTTP side is still in
        // that body when it gets them, whatever it was doing when it announced it.
        if !elided.isEmpty, let index = elided.index(of: BodyElision.key(stream: stream, direction: direction)) {
            let body = elided.values[index]
            let end = offset &+ UInt64(bytes.count)
            if offset >= body.from, end <= body.to {
                record(.elided(stream: stream, direction: direction, offset: offset, frame: frame, time: time, count: bytes.count))
                if end == body.to { elided.removeValue(for: BodyElision.key(stream: stream, direction: direction)) }
                return
            }
            if offset >= body.to { elided.removeValue(for: BodyElision.key(stream: stream, direction: direction)) }
        }
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
        if !elided.isEmpty {
            elided.removeValue(for: BodyElision.key(stream: info.stream, direction: .clientToServer))
            elided.removeValue(for: BodyElision.key(stream: info.stream, direction: .serverToClient))
        }
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
