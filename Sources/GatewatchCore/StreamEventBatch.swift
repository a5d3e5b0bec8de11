// Stream events written down on the packet thread and replayed, in the same order, on the HTTP thread.

import PacketWire
import TCPReassembly

/// A run of `PipelineStreamHandler` calls, with copies of the bytes they carried.
///
/// Filled by `StreamEventRecorder`, handed to the other thread whole, replayed there by
/// `replay(into:)`, cleared and handed back, so its storage is reused from batch to batch. The
/// bytes are the one copy the split costs: the capture buffer they came from is reused as soon as
/// the packet loop moves on.
struct StreamEventBatch: Sendable {
    enum Event: Sendable {
        case opened(info: Int)
        case data(stream: Int, direction: StreamDirection, offset: UInt64, frame: UInt64, time: Int64, start: Int, count: Int)
        case gap(stream: Int, direction: StreamDirection, reason: GapReason, offset: UInt64, length: UInt64, frame: UInt64, time: Int64)
        case directionClosed(stream: Int, direction: StreamDirection, reason: CloseReason, frame: UInt64, time: Int64)
        case closed(info: Int, reason: CloseReason)
        case firstPacket(time: Int64)
        case syn(stream: Int, direction: StreamDirection, flags: TCPFlags, frame: UInt64, time: Int64)
        case frameToKeep(number: UInt64, start: Int, count: Int)
        /// `count` bytes of an announced body (`BodyElision`), not copied: replayed as zeros.
        case elided(stream: Int, direction: StreamDirection, offset: UInt64, frame: UInt64, time: Int64, count: Int)
        /// Bytes lent in place from the savefile reader's ring (`StreamEventRecorder.Lending`), not
        /// copied: `address` is their first byte's address, valid until the batch is given back.
        case lent(stream: Int, direction: StreamDirection, offset: UInt64, frame: UInt64, time: Int64, address: UInt, count: Int)
    }

    private(set) var events: [Event] = []
    private(set) var bytes: [UInt8] = []
    private(set) var infos: [ConnectionInfo] = []
    /// How far into the file the packet loop had read when the batch was handed over (the progress line).
    var fileOffset: Int64?

    /// An empty batch with no storage yet (`reserved(_:)` gives one ready to fill).
    init() {}

    /// An empty batch with storage for `limits` allocated up front.
    static func reserved(_ limits: PipelineOptions.HandOver) -> StreamEventBatch {
        var batch = StreamEventBatch()
        batch.events.reserveCapacity(limits.events)
        batch.bytes.reserveCapacity(limits.bytes)
        return batch
    }

    var isEmpty: Bool { events.isEmpty }
    var eventCount: Int { events.count }

    /// Whether `count` more bytes stay within `limit`; an empty batch takes any span, so that
    /// nothing is ever split (the HTTP side sees each delivery whole, as on one thread).
    func hasRoom(forBytes count: Int, limit: Int) -> Bool {
        bytes.isEmpty || bytes.count + count <= limit
    }

    mutating func append(_ event: Event) { events.append(event) }

    mutating func appendOpened(_ info: ConnectionInfo) {
        events.append(.opened(info: infos.count))
        infos.append(info)
    }

    mutating func appendClosed(_ info: ConnectionInfo, reason: CloseReason) {
        events.append(.closed(info: infos.count, reason: reason))
        infos.append(info)
    }

    /// Copies `span` in and returns where it went.
    mutating func appendBytes(_ span: Span<UInt8>) -> (start: Int, count: Int) {
        let start = bytes.count
        unsafe span.withUnsafeBufferPointer { unsafe bytes.append(contentsOf: $0) }
        return (start, span.count)
    }

    /// Empties the batch and keeps its storage.
    mutating func clear() {
        events.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        infos.removeAll(keepingCapacity: true)
        fileOffset = nil
    }

    /// Makes the calls that were recorded, in order. `zeros` is the replaying side's buffer of
    /// zero bytes for elided deliveries, grown here to the longest one.
    func replay<Handler: PipelineStreamHandler>(into handler: inout Handler, zeros: inout [UInt8]) {
        for event in events {
            if case .elided(_, _, _, _, _, let count) = event, count > zeros.count {
                zeros = [UInt8](repeating: 0, count: count)
            }
        }
        unsafe zeros.withUnsafeBufferPointer { zeros in
        unsafe bytes.withUnsafeBufferPointer { arena in
            for event in events {
                switch event {
                case .opened(let info):
                    handler.connectionOpened(infos[info])
                case .data(let stream, let direction, let offset, let frame, let time, let start, let count):
                    // Safety: start and count were returned by appendBytes, so they lie within `arena`.
                    let span = unsafe Span(_unsafeElements: UnsafeBufferPointer(rebasing: arena[start..<start + count]))
                    handler.streamData(span, stream: stream, direction: direction, offset: offset, frame: frame, time: time)
                case .gap(let stream, let direction, let reason, let offset, let length, let frame, let time):
                    handler.streamGap(stream: stream, direction: direction, offset: offset, length: length, reason: reason,
                                      frame: frame, time: time)
                case .directionClosed(let stream, let direction, let reason, let frame, let time):
                    handler.directionClosed(stream: stream, direction: direction, reason: reason, frame: frame, time: time)
                case .closed(let info, let reason):
                    handler.connectionClosed(infos[info], reason: reason)
                case .firstPacket(let time):
                    handler.firstPacket(time: time)
                case .syn(let stream, let direction, let flags, let frame, let time):
                    handler.synSeen(stream: stream, direction: direction, flags: flags, frame: frame, time: time)
                case .frameToKeep(let number, let start, let count):
                    let span = unsafe Span(_unsafeElements: UnsafeBufferPointer(rebasing: arena[start..<start + count]))
                    handler.frameToKeep(span, number: number)
                case .elided(let stream, let direction, let offset, let frame, let time, let count):
                    // Safety: `zeros` was grown above to the longest elided delivery of this batch.
                    let span = unsafe Span(_unsafeElements: UnsafeBufferPointer(rebasing: zeros[0..<count]))
                    handler.streamData(span, stream: stream, direction: direction, offset: offset, frame: frame, time: time)
                case .lent(let stream, let direction, let offset, let frame, let time, let address, let count):
                    // Safety: the recorder lends only bytes inside the reader's ring, whose slot is not
                    // filled again before this batch has been given back (`StreamEventChannel.replayed`).
                    let start = unsafe UnsafePointer<UInt8>(bitPattern: address)
                    let span = unsafe Span(_unsafeElements: UnsafeBufferPointer(start: start, count: count))
                    handler.streamData(span, stream: stream, direction: direction, offset: offset, frame: frame, time: time)
                }
            }
        }
        }
    }
}
