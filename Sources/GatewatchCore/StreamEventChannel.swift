// The hand-over between the two pipeline threads: a short queue of full batches, and their return.

import Capture
import Glibc
import Synchronization

/// A bounded first-in first-out queue of `StreamEventBatch`es from one producing thread to one
/// consuming thread, with the emptied batches coming back for reuse.
///
/// The bound keeps memory flat whatever the file's size: when the HTTP side falls behind, the
/// packet loop waits (at most `depth` batches queued, one being filled, one being replayed).
final class StreamEventChannel: @unchecked Sendable {
    // Every stored property below is read and written under `mutex` only.
    private var queue: [StreamEventBatch] = []
    private var queueHead = 0
    private var spares: [StreamEventBatch] = []
    /// Bodies the consumer announced, not yet taken by the producer.
    private var announced: [BodyElision] = []
    private var closed = false
    /// Batches given back so far: every batch before this number has been replayed in full.
    private var replayed = 0
    private let depth: Int
    private let limits: PipelineOptions.HandOver
    // Safety: allocated and initialised in init, destroyed and freed in deinit (after both threads
    // are done with the channel); pthread objects must not move, so they are not stored properties.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let changed: UnsafeMutablePointer<pthread_cond_t>

    init(limits: PipelineOptions.HandOver, depth: Int = 4) {
        self.limits = limits
        self.depth = max(1, depth)
        unsafe mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        unsafe changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        unsafe pthread_mutex_init(mutex, nil)
        unsafe pthread_cond_init(changed, nil)
    }

    deinit {
        unsafe pthread_cond_destroy(changed)
        unsafe pthread_mutex_destroy(mutex)
        unsafe changed.deallocate()
        unsafe mutex.deallocate()
    }

    private var queued: Int { queue.count - queueHead }

    /// Producer: queues `batch` (waiting while `depth` are queued) and returns an empty one to
    /// fill, with the bodies announced since the last call.
    func send(_ batch: consuming StreamEventBatch) -> (StreamEventBatch, [BodyElision]) {
        unsafe pthread_mutex_lock(mutex)
        while queued >= depth { unsafe pthread_cond_wait(changed, mutex) }
        if queueHead > 0 && queueHead == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        }
        queue.append(batch)
        let spare = spares.popLast()
        var bodies: [BodyElision] = []
        swap(&bodies, &announced)
        unsafe pthread_cond_broadcast(changed)
        unsafe pthread_mutex_unlock(mutex)
        return (spare ?? .reserved(limits), bodies)
    }

    /// Producer: wakes the consumer if it waits (`IdleReadAhead`: the packet loop moved on).
    func wakeConsumer() {
        unsafe pthread_mutex_lock(mutex)
        unsafe pthread_cond_broadcast(changed)
        unsafe pthread_mutex_unlock(mutex)
    }

    /// Producer: no more batches will come.
    func close() {
        unsafe pthread_mutex_lock(mutex)
        closed = true
        unsafe pthread_cond_broadcast(changed)
        unsafe pthread_mutex_unlock(mutex)
    }

    /// Consumer: the next batch, waiting for it; nil once the producer has closed and all are taken.
    /// While none is queued, `idle` (when given) reads the savefile's next blocks for the producer.
    func receive(whileIdle idle: IdleReadAhead? = nil) -> StreamEventBatch? {
        unsafe pthread_mutex_lock(mutex)
        while queued == 0 && !closed {
            guard let idle else {
                unsafe pthread_cond_wait(changed, mutex)
                continue
            }
            // The limit is taken before the queue is seen empty. At that moment every batch sent
            // has been replayed (this thread replays them, one at a time, and gives each back
            // before it asks again), and a batch sent later lends only from the oldest block in
            // use at the time the limit was taken, or from later blocks.
            unsafe pthread_mutex_unlock(mutex)
            let limit = idle.limit()
            unsafe pthread_mutex_lock(mutex)
            guard queued == 0 && !closed else { break }
            unsafe pthread_mutex_unlock(mutex)
            let didRead = idle.readBlock(below: limit)
            unsafe pthread_mutex_lock(mutex)
            guard !didRead && queued == 0 && !closed else { continue }
            // No room ahead (or the file is read): wait for a batch, or for the packet loop to
            // move a few blocks on (it wakes this thread then; the limit is read again after the
            // wish is published, so a move made just before is not missed).
            let wanted = limit &+ IdleReadAhead.blocksPerWake
            idle.waits(forLimit: wanted)
            if idle.limit() < wanted { unsafe pthread_cond_wait(changed, mutex) }
            idle.waits(forLimit: nil)
        }
        var batch: StreamEventBatch?
        if queued > 0 {
            // The slot is emptied so the batch's storage has one owner, and clearing it later does not copy.
            var taken = StreamEventBatch()
            swap(&taken, &queue[queueHead])
            batch = taken
            queueHead += 1
            unsafe pthread_cond_broadcast(changed)
        }
        unsafe pthread_mutex_unlock(mutex)
        return batch
    }

    /// Consumer: gives a replayed batch back, emptied, for the producer to fill again, with the
    /// bodies its replay announced.
    func giveBack(_ batch: consuming StreamEventBatch, announcing bodies: [BodyElision]) {
        var emptied = batch
        emptied.clear()
        unsafe pthread_mutex_lock(mutex)
        if spares.count < depth + 1 { spares.append(emptied) }
        // At most one a message head replayed, and taken by the producer at each hand-over.
        announced += bodies
        replayed += 1
        unsafe pthread_cond_broadcast(changed)
        unsafe pthread_mutex_unlock(mutex)
    }

    /// Producer: waits until the first `count` batches sent have been replayed and given back
    /// (the bytes they borrowed may then be overwritten). Only for batches already sent.
    func waitUntilReplayed(_ count: Int) {
        unsafe pthread_mutex_lock(mutex)
        while replayed < count { unsafe pthread_cond_wait(changed, mutex) }
        unsafe pthread_mutex_unlock(mutex)
    }
}

/// What the HTTP thread does while it waits for a batch, when the savefile's records are lent
/// from a ring of blocks: it reads the next blocks into the ring for the packet loop, which then
/// finds them read (`PcapHandle.readBlockAhead`). On a file of large bodies the HTTP thread has
/// little else to do, and the kernel's copy out of the page cache was most of the packet loop's time.
final class IdleReadAhead: @unchecked Sendable {
    // Immutable after init; `PcapHandle.readBlockAhead` and the ledger's atomic may be used from this thread.
    private let handle: PcapHandle
    private let ledger: LendingLedger
    private let slots: Int

    init(handle: PcapHandle, ledger: LendingLedger, slots: Int) {
        self.handle = handle
        self.ledger = ledger
        self.slots = slots
    }

    /// The first block number not to read yet. Block n goes into the slot of block n - slots,
    /// which must be older than the oldest block the batch being filled may lend from (one block
    /// to spare).
    func limit() -> Int { ledger.oldestBlockInUse.load(ordering: .sequentiallyConsistent) &+ slots &- 1 }

    /// Blocks the packet loop moves on before it wakes this thread: a wake-up is a system call on
    /// the packet loop's side, and reading several blocks a wake-up keeps this thread as far ahead.
    static let blocksPerWake = 4

    /// Says that this thread is about to wait until `limit()` reaches `wanted` (nil: it does not wait).
    func waits(forLimit wanted: Int?) {
        let oldest = wanted.map { $0 &- slots &+ 1 } ?? .max
        ledger.idleReaderWaitsFor.store(oldest, ordering: .sequentiallyConsistent)
    }

    /// Reads the furthest block below `limit` nobody has claimed; whether it did.
    func readBlock(below limit: Int) -> Bool { handle.readBlockAhead(below: limit) }
}
