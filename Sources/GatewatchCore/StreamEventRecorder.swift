// The packet thread's stream handler when the pipeline runs on two threads: it writes calls down.

import PacketWire
import Synchronization
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
    /// Announced bodies whose bytes have not all been delivered yet, by `BodyElision.key`, with
    /// the deliveries of each not recorded yet.
    private var elided = StreamTable<ElidedBody>()
    /// How far into the file the packet loop has read, stamped on each batch handed over (the progress line).
    var fileOffset: Int64?

    private let limits: PipelineOptions.HandOver

    /// Lending instead of copying: the savefile reader reads records into a ring of blocks and
    /// fills a slot again only after `beforeReuse` (here: once the batches that lent from it are
    /// given back). A delivery whose bytes lie inside one block of the ring is recorded by address;
    /// the rest (records joined across blocks, bytes the reassembler held back, libpcap's reads)
    /// are copied as before. Why: the copy was 15% of the packet loop's time (perf, nginx-busy).
    struct Lending {
        let base: UInt
        let blockSize: Int
        let slots: Int
        /// Per slot, the number of the last batch that lent from it (-1: none): the ledger's
        /// storage, which outlives the recorder (a pointer: holding the ledger itself retained it
        /// at every delivery).
        let lastBatch: UnsafeMutablePointer<Int>
        /// The ledger, for `oldestBlockInUse` (unowned(unsafe): no reference counting; the ledger
        /// outlives the recorder).
        unowned(unsafe) let ledger: LendingLedger
    }
    var lending: Lending?
    /// Bytes lent so far (the tests' evidence that lending took place).
    private(set) var lentBytes = 0
    /// The number of the batch being filled (batches handed over so far).
    private(set) var batchNumber = 0
    /// The reader's block of the record being processed, and the first block the batch being
    /// filled lent from (nil: it has lent nothing).
    private var readerBlock = 0
    private var firstLentBlock: Int?
    /// What `LendingLedger.oldestBlockInUse` was last set to.
    private var publishedOldest = 0

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
        batchNumber += 1
        firstLentBlock = nil
        publishOldestBlockInUse()
        for elision in announced where elision.to > elision.from {
            let key = BodyElision.key(stream: elision.stream, direction: elision.direction)
            // A body announced while an earlier one of the same direction still has deliveries
            // not recorded (it cannot, as that one has ended; kept safe all the same).
            if let index = elided.index(of: key), let earlier = elided.values[index].takePending() { batch.append(earlier) }
            elided.set(ElidedBody(body: elision), for: key)
        }
    }

    /// The packet loop read its next record from block `number` of the reader's ring. Hands the
    /// batch over when the reader has moved `limits.lentBlocks` blocks past the first one it lent
    /// from: with fewer of those than slots in the ring, the batch being filled never holds bytes
    /// of the slot the reader fills next, and `beforeReuse` only ever waits for batches already sent.
    @inline(__always)
    mutating func readerAt(block number: Int) {
        readerBlock = number
        if let first = firstLentBlock, number &- first >= limits.lentBlocks { flush() }
        publishOldestBlockInUse()
    }

    /// Tells the HTTP thread, which reads blocks ahead into the ring while it waits for a batch,
    /// the oldest block the batch being filled may lend from: the first it lent from, or the
    /// reader's block when it has lent nothing yet (what it lends next comes from there or later).
    /// It never goes down, so a value the other thread read a while ago errs on the safe side.
    @inline(__always)
    private mutating func publishOldestBlockInUse() {
        guard let lending else { return }
        let oldest = firstLentBlock ?? readerBlock
        guard oldest != publishedOldest else { return }
        publishedOldest = oldest
        let ledger = lending.ledger
        // Sequentially consistent, with the flag below: either the HTTP thread, about to wait
        // for room, sees the new value, or this thread sees it waiting and wakes it.
        ledger.oldestBlockInUse.store(oldest, ordering: .sequentiallyConsistent)
        if oldest >= ledger.idleReaderWaitsFor.load(ordering: .sequentiallyConsistent) { ledger.wakeIdleReader?() }
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
        // that body when it gets them, whatever it was doing when it announced it. Consecutive
        // such deliveries are recorded as one (`ElidedBody`).
        if !elided.isEmpty {
            let key = BodyElision.key(stream: stream, direction: direction)
            if let index = elided.index(of: key) {
                let body = elided.values[index].body
                let end = offset &+ UInt64(bytes.count)
                if offset >= body.from, end <= body.to {
                    if let unjoined = elided.values[index].add(offset: offset, count: bytes.count, frame: frame, time: time) {
                        record(unjoined)
                    }
                    if end == body.to {
                        if let last = elided.values[index].takePending() { record(last) }
                        elided.discardValue(for: key)
                    } else if elided.values[index].pendingCount >= ElidedBody.joinedLimit, let joined = elided.values[index].takePending() {
                        record(joined)
                    }
                    return
                }
                recordPendingDeliveries(of: stream)
                if offset >= body.to { elided.discardValue(for: key) }
            } else {
                recordPendingDeliveries(of: stream)
            }
        }
        if let lending, let address = lendable(bytes, lending) {
            if isFull { flush() }
            if firstLentBlock == nil { firstLentBlock = readerBlock }
            // Safety: `slot` < `slots`, the ledger's length.
            unsafe lending.lastBatch[address.slot] = batchNumber
            lentBytes &+= bytes.count
            batch.append(.lent(stream: stream, direction: direction, offset: offset, frame: frame, time: time,
                               address: address.address, count: bytes.count))
            return
        }
        if isFull || !batch.hasRoom(forBytes: bytes.count, limit: limits.bytes) { flush() }
        let (start, count) = batch.appendBytes(bytes)
        batch.append(.data(stream: stream, direction: direction, offset: offset, frame: frame, time: time, start: start, count: count))
    }

    /// The address of `bytes` and the ring slot holding them, when they lie wholly inside one
    /// slot of the reader's ring.
    @inline(__always)
    private func lendable(_ bytes: Span<UInt8>, _ lending: Lending) -> (address: UInt, slot: Int)? {
        guard !bytes.isEmpty else { return nil }
        let address = unsafe bytes.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        // Below the ring, the wrapping difference is huge: one comparison rules out both sides.
        let inRing = address &- lending.base
        guard inRing < UInt(lending.blockSize &* lending.slots) else { return nil }
        let slot = Int(inRing) / lending.blockSize
        guard Int(inRing) &+ bytes.count <= (slot &+ 1) &* lending.blockSize else { return nil }
        return (address, slot)
    }

    /// Records the deliveries of `stream`'s announced bodies not recorded yet (both directions),
    /// before anything else of that stream is: the HTTP side sees the stream's events in order.
    private mutating func recordPendingDeliveries(of stream: Int) {
        guard !elided.isEmpty else { return }
        recordPendingDeliveries(of: stream, .clientToServer)
        recordPendingDeliveries(of: stream, .serverToClient)
    }

    private mutating func recordPendingDeliveries(of stream: Int, _ direction: StreamDirection) {
        guard let index = elided.index(of: BodyElision.key(stream: stream, direction: direction)),
              let pending = elided.values[index].takePending() else { return }
        record(pending)
    }

    mutating func streamGap(stream: Int, direction: StreamDirection, offset: UInt64, length: UInt64, reason: GapReason,
                            frame: UInt64, time: Int64) {
        recordPendingDeliveries(of: stream)
        record(.gap(stream: stream, direction: direction, reason: reason, offset: offset, length: length, frame: frame, time: time))
    }

    mutating func directionClosed(stream: Int, direction: StreamDirection, reason: CloseReason, frame: UInt64, time: Int64) {
        recordPendingDeliveries(of: stream)
        record(.directionClosed(stream: stream, direction: direction, reason: reason, frame: frame, time: time))
    }

    mutating func connectionClosed(_ info: ConnectionInfo, reason: CloseReason) {
        if !elided.isEmpty {
            recordPendingDeliveries(of: info.stream)
            elided.discardValue(for: BodyElision.key(stream: info.stream, direction: .clientToServer))
            elided.discardValue(for: BodyElision.key(stream: info.stream, direction: .serverToClient))
        }
        if isFull { flush() }
        batch.appendClosed(info, reason: reason)
    }

    mutating func firstPacket(time: Int64) {
        record(.firstPacket(time: time))
    }

    mutating func synSeen(stream: Int, direction: StreamDirection, flags: TCPFlags, frame: UInt64, time: Int64) {
        recordPendingDeliveries(of: stream)
        record(.syn(stream: stream, direction: direction, flags: flags, frame: frame, time: time))
    }

    mutating func frameToKeep(_ bytes: Span<UInt8>, number: UInt64) {
        if isFull || !batch.hasRoom(forBytes: bytes.count, limit: limits.bytes) { flush() }
        let (start, count) = batch.appendBytes(bytes)
        batch.append(.frameToKeep(number: number, start: start, count: count))
    }
}

/// An announced body being delivered, and its deliveries not recorded yet: consecutive ones are
/// recorded as one delivery of all their bytes, at the place, frame and time of the last.
///
/// Why: on a file of large bodies every segment was an event the HTTP thread replayed (190
/// instructions a segment in `MessageAssembler.streamData` alone, callgrind on nginx-large), for
/// bytes it only counts. Joining them changes nothing the HTTP side shows: until the body's last
/// byte its deliveries only count down what remains (no line, record or diagnosis reads the
/// count meanwhile; an upstream leg's response bytes are read only while its head is incomplete),
/// the delivery with the last byte is recorded at once, and whatever else happens on the stream
/// (data, a gap, a close, a SYN) is recorded after the deliveries held back for it.
struct ElidedBody {
    static let joinedLimit = 256 << 10

    var body: BodyElision
    /// The deliveries held back: where they start, how many bytes, the last one's frame and time.
    private(set) var pendingOffset: UInt64 = 0
    private(set) var pendingCount = 0
    private var lastFrame: UInt64 = 0
    private var lastTime: Int64 = 0

    init(body: BodyElision) { self.body = body }

    /// Holds back one more delivery; returns the ones held back before it when this one does not
    /// follow them (it always does: a stream's bytes are delivered in order, each once).
    mutating func add(offset: UInt64, count: Int, frame: UInt64, time: Int64) -> StreamEventBatch.Event? {
        let unjoined = pendingCount > 0 && pendingOffset &+ UInt64(pendingCount) != offset ? takePending() : nil
        if pendingCount == 0 { pendingOffset = offset }
        pendingCount &+= count
        lastFrame = frame
        lastTime = time
        return unjoined
    }

    /// The deliveries held back, as one, and none held back after this.
    mutating func takePending() -> StreamEventBatch.Event? {
        guard pendingCount > 0 else { return nil }
        defer { pendingCount = 0 }
        return .elided(stream: body.stream, direction: body.direction, offset: pendingOffset, frame: lastFrame, time: lastTime,
                       count: pendingCount)
    }
}

/// Which batch last lent bytes from each slot of the savefile reader's ring: written by the
/// recorder, read by the reader's `beforeReuse`, both on the packet loop's thread. And the oldest
/// block the batch being filled may lend from, for the HTTP thread reading blocks ahead.
final class LendingLedger: @unchecked Sendable {
    let slots: Int
    /// Written by the recorder (`publishOldestBlockInUse`), read by the HTTP thread; it only grows.
    let oldestBlockInUse = Atomic<Int>(0)
    /// The HTTP thread waits for the packet loop to move on before it can read further ahead
    /// (`IdleReadAhead`): the recorder calls `wakeIdleReader` once `oldestBlockInUse` reaches this
    /// (`Int.max`: it does not wait).
    let idleReaderWaitsFor = Atomic<Int>(.max)
    /// Set once, before the HTTP thread starts.
    nonisolated(unsafe) var wakeIdleReader: (() -> Void)?
    // Safety: allocated with `slots` entries in init, freed in deinit; the recorder that writes
    // through it lives within the run that owns the ledger.
    let lastBatch: UnsafeMutablePointer<Int>

    init(slots: Int) {
        self.slots = slots
        unsafe lastBatch = UnsafeMutablePointer<Int>.allocate(capacity: max(1, slots))
        unsafe lastBatch.initialize(repeating: -1, count: max(1, slots))
    }

    /// The recorder filling batches, while the packet loop runs (see `Pipeline.runOnTwoThreads`).
    @exclusivity(unchecked) var recorder: UnsafeMutablePointer<StreamEventRecorder>?

    deinit { unsafe lastBatch.deallocate() }

    /// The last batch that lent from `slot`, or -1 (also for a slot outside the ledger).
    func lastBatch(of slot: Int) -> Int { slot >= 0 && slot < slots ? unsafe lastBatch[slot] : -1 }
}
