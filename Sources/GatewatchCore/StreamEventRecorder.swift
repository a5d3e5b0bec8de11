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
    /// Announced bodies whose bytes have not all been delivered yet, by `BodyElision.key`.
    private var elided = StreamTable<BodyElision>()
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
            elided.set(elision, for: BodyElision.key(stream: elision.stream, direction: elision.direction))
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
        lending.ledger.oldestBlockInUse.store(oldest, ordering: .releasing)
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
                if end == body.to { elided.discardValue(for: BodyElision.key(stream: stream, direction: direction)) }
                return
            }
            if offset >= body.to { elided.discardValue(for: BodyElision.key(stream: stream, direction: direction)) }
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

    mutating func streamGap(stream: Int, direction: StreamDirection, offset: UInt64, length: UInt64, reason: GapReason,
                            frame: UInt64, time: Int64) {
        record(.gap(stream: stream, direction: direction, reason: reason, offset: offset, length: length, frame: frame, time: time))
    }

    mutating func directionClosed(stream: Int, direction: StreamDirection, reason: CloseReason, frame: UInt64, time: Int64) {
        record(.directionClosed(stream: stream, direction: direction, reason: reason, frame: frame, time: time))
    }

    mutating func connectionClosed(_ info: ConnectionInfo, reason: CloseReason) {
        if !elided.isEmpty {
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
        record(.syn(stream: stream, direction: direction, flags: flags, frame: frame, time: time))
    }

    mutating func frameToKeep(_ bytes: Span<UInt8>, number: UInt64) {
        if isFull || !batch.hasRoom(forBytes: bytes.count, limit: limits.bytes) { flush() }
        let (start, count) = batch.appendBytes(bytes)
        batch.append(.frameToKeep(number: number, start: start, count: count))
    }
}

/// Which batch last lent bytes from each slot of the savefile reader's ring: written by the
/// recorder, read by the reader's `beforeReuse`, both on the packet loop's thread. And the oldest
/// block the batch being filled may lend from, for the HTTP thread reading blocks ahead.
final class LendingLedger: @unchecked Sendable {
    let slots: Int
    /// Written by the recorder (`publishOldestBlockInUse`), read by the HTTP thread; it only grows.
    let oldestBlockInUse = Atomic<Int>(0)
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
