// A regular file read front to back on a second thread, into a ring of blocks, so the kernel's
// copy of the next megabytes overlaps the decoding of the last ones.

import Glibc

/// Sequential reads of an open file descriptor, one block ahead of the reader (up to `blockCount`).
///
/// The reading thread fills the blocks in order and hands each over under a mutex; the owner
/// takes them in the same order, one at a time. A block stays the owner's until its next call to
/// `next()`, which gives it back. On nginx-busy (167 MB) the copy out of the page cache is a
/// seventh of the run's time, spent on a second core this way.
///
/// Without that thread, when the blocks are lent out (`lend`), another thread may still read
/// blocks ahead of the owner whenever it has nothing else to do (`readAhead(below:)`): the HTTP
/// thread, idle while the packet loop reads a file of large bodies, takes the kernel's copy off
/// the packet loop that way. Block n is read from `n * blockSize` bytes past the start (every
/// block but the last is full), so either thread can read any block.
final class ReadAheadFile {
    /// One block of the file, valid until the next call to `next()`.
    struct Block {
        /// The bytes read; fewer than the block size only for the last block.
        var bytes: UnsafeRawBufferPointer
        /// Where in the file the first byte is.
        var fileOffset: Int64
        /// The file ends after these bytes (end of file, or a read error).
        var isLast: Bool
        /// The reading stopped on an error, not at the end of the file.
        var failed: Bool
    }

    static let blockCount = 4

    private let shared: Shared
    // Touched only by the owner's thread (the packet loop reads `blocksTaken` for every record):
    // no run-time exclusivity checks, which cost 60 instructions a packet (callgrind).
    @exclusivity(unchecked) private var taken = 0
    @exclusivity(unchecked) private var finished = false
    /// See `lend(beforeReuse:)`.
    private var beforeReuse: ((Int) -> Void)?
    /// The reading thread; nil when each `next()` reads its block itself.
    private let reader: WorkerThread?

    /// Starts reading `descriptor` (which the caller keeps open until this is gone) from its
    /// current position, which is `offset` bytes into the file. With `readAhead` false there is no
    /// second thread and each `next()` reads its block itself (small files, and the fuzzer, which
    /// would spend its time starting threads), into a ring of `lendingSlots` blocks (at least one),
    /// so that a block's bytes stay where they are until the ring comes round to its slot again
    /// (see `lend`). Nil if the thread cannot be started.
    init?(descriptor: Int32, offset: Int64, blockSize: Int, readAhead: Bool = true, lendingSlots: Int = 1) {
        shared = Shared(descriptor: descriptor, offset: offset, blockSize: blockSize,
                        blockCount: readAhead ? Self.blockCount : max(1, lendingSlots))
        guard readAhead else {
            reader = nil
            return
        }
        let shared = self.shared
        guard let reader = WorkerThread({ shared.readBlocks() }) else { return nil }
        self.reader = reader
    }

    deinit { stop() }

    /// Stops the reading thread and waits for it; the descriptor may be closed after this.
    func stop() {
        shared.stop()   // also: a thread reading ahead claims no more blocks
        reader?.join()
    }

    /// Gives back the block handed out last and waits for the one after it. After a last block
    /// it returns an empty last block again.
    func next() -> Block {
        if finished { return Block(bytes: UnsafeRawBufferPointer(start: nil, count: 0), fileOffset: 0, isLast: true, failed: false) }
        let block: Block
        if reader != nil {
            block = shared.take(sequence: taken)
        } else if beforeReuse != nil, let readByHelper = shared.claimOrAwait(sequence: taken) {
            block = readByHelper
        } else {
            let slot = taken % shared.blockCount
            // The slot held block `taken - blockCount`: whoever borrowed its bytes must be done.
            if taken >= shared.blockCount, let beforeReuse { beforeReuse(slot) }
            block = shared.readInPlace(sequence: taken)
        }
        taken += 1
        finished = block.isLast
        return block
    }

    /// How many blocks `next()` has handed out; the one handed out last is number `taken - 1`.
    var blocksTaken: Int { taken }

    /// Without the reading thread: the ring's memory, its block size and slot count, and a call
    /// made before a slot is filled again (with the slot's index), which returns once nothing
    /// still reads the bytes it holds. Lets the caller lend records' bytes out in place.
    func lend(beforeReuse: @escaping (Int) -> Void) -> (storage: UnsafeRawBufferPointer, blockSize: Int, slots: Int)? {
        guard reader == nil, shared.blockCount > 1 else { return nil }
        self.beforeReuse = beforeReuse
        return (UnsafeRawBufferPointer(shared.storage), shared.blockSize, shared.blockCount)
    }

    /// Called from another thread while the blocks are lent (`lend`): reads the furthest block
    /// below `limit` that neither thread has claimed yet into its slot, and returns whether it
    /// read one. The caller vouches that nothing reads the slot's bytes any more: block
    /// n's slot held block n - `blockCount`, so `limit` must be at most the number of the oldest
    /// block anything may still read plus `blockCount`. The owner's `beforeReuse` is not called
    /// for the blocks read here. Safe to call at any time, also after the end of the file or a
    /// hand-over to libpcap (then it reads nothing).
    func readAhead(below limit: Int) -> Bool { shared.readAhead(below: limit) }

    /// Blocks read by `readAhead(below:)` so far (the tests' evidence that another thread read).
    var blocksReadAhead: Int {
        unsafe pthread_mutex_lock(shared.mutex)
        defer { unsafe pthread_mutex_unlock(shared.mutex) }
        return shared.blocksReadAhead
    }
}

extension ReadAheadFile {
    /// What the two threads share. Every counter and flag is read and written under `mutex`;
    /// a block's bytes are written only by the reading thread before it is published, and read
    /// only by the owner after, so the mutex orders those accesses too.
    final class Shared: @unchecked Sendable {
        let descriptor: Int32
        let blockSize: Int
        let blockCount: Int
        // Safety: allocated in init with blockSize * blockCount bytes, freed in deinit, which runs
        // after the reading thread has let go of its reference.
        let storage: UnsafeMutableRawBufferPointer
        // Safety: allocated and initialised in init, destroyed and freed in deinit; pthread objects
        // must not move, so they live here rather than in stored properties Swift may copy.
        let mutex: UnsafeMutablePointer<pthread_mutex_t>
        let changed: UnsafeMutablePointer<pthread_cond_t>
        /// Each slot's block as last published: its length and where it starts, whether it ends the file.
        var published: [(length: Int, fileOffset: Int64, isLast: Bool, failed: Bool)]
        var startOffset: Int64
        /// Blocks published by the reading thread, and given back by the owner.
        var filled = 0
        var released = 0
        var stopping = false
        /// Without the reading thread, blocks lent: the number of the block each slot was last
        /// claimed for, by the owner or by a thread reading ahead, and of the block a thread
        /// reading ahead last published in it (-1: none); the block the owner takes now; the first
        /// block known to end the file; whether the owner waits for a block; how many blocks were
        /// read ahead.
        var claimedSequence: [Int]
        var publishedSequence: [Int]
        var ownerSequence = 0
        var lastSequence = Int.max
        var ownerWaits = false
        var blocksReadAhead = 0

        init(descriptor: Int32, offset: Int64, blockSize: Int, blockCount: Int) {
            self.descriptor = descriptor
            self.blockSize = blockSize
            self.blockCount = blockCount
            startOffset = offset
            unsafe storage = Self.allocateRing(byteCount: blockSize * blockCount)
            unsafe mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
            unsafe changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
            unsafe pthread_mutex_init(mutex, nil)
            unsafe pthread_cond_init(changed, nil)
            published = Array(repeating: (0, 0, false, false), count: blockCount)
            publishedSequence = Array(repeating: -1, count: blockCount)
            claimedSequence = Array(repeating: -1, count: blockCount)
        }

        deinit {
            unsafe pthread_cond_destroy(changed)
            unsafe pthread_mutex_destroy(mutex)
            unsafe changed.deallocate()
            unsafe mutex.deallocate()
            unsafe storage.deallocate()
        }

        /// The ring's memory. A ring of 2 MiB or more is aligned to 2 MiB and asked to be backed by
        /// huge pages (the machine's setting is often "madvise"): the kernel's copy into it and both
        /// threads' reads out of it then need a TLB entry a 2 MiB page rather than a 4 KiB one.
        static func allocateRing(byteCount: Int) -> UnsafeMutableRawBufferPointer {
            let hugePage = 2 << 20
            guard byteCount >= hugePage else {
                return UnsafeMutableRawBufferPointer.allocate(byteCount: byteCount, alignment: 64)
            }
            let rounded = (byteCount + hugePage - 1) / hugePage * hugePage
            let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: rounded, alignment: hugePage)
            // Safety: the range is the allocation just made; a refusal only leaves 4 KiB pages.
            if let base = memory.baseAddress { _ = unsafe madvise(base, rounded, MADV_HUGEPAGE) }
            return unsafe UnsafeMutableRawBufferPointer(rebasing: memory[0..<byteCount])
        }

        func stop() {
            unsafe pthread_mutex_lock(mutex)
            stopping = true
            unsafe pthread_cond_broadcast(changed)
            unsafe pthread_mutex_unlock(mutex)
        }

        /// The reading thread: fills block after block until the end of the file, an error, or `stop()`.
        func readBlocks() {
            var sequence = 0
            var offset = startOffset
            while true {
                unsafe pthread_mutex_lock(mutex)
                while sequence - released >= blockCount && !stopping { unsafe pthread_cond_wait(changed, mutex) }
                let stop = stopping
                unsafe pthread_mutex_unlock(mutex)
                if stop { return }

                let slot = sequence % blockCount
                let (got, isLast, failed) = fill(slot: slot, at: offset)

                unsafe pthread_mutex_lock(mutex)
                published[slot] = (got, offset, isLast, failed)
                filled = sequence + 1
                unsafe pthread_cond_broadcast(changed)
                unsafe pthread_mutex_unlock(mutex)
                if isLast { return }
                offset += Int64(got)
                sequence += 1
            }
        }

        /// Reads the block at file offset `offset` into `slot`: full, or short at the end of the
        /// file or on an error. Positional reads, so two threads may read different blocks at once.
        func fill(slot: Int, at offset: Int64) -> (got: Int, isLast: Bool, failed: Bool) {
            guard let base = unsafe storage.baseAddress?.advanced(by: slot * blockSize) else { return (0, true, true) }
            var got = 0
            while got < blockSize {
                let count = unsafe pread(descriptor, base + got, blockSize - got, off_t(offset + Int64(got)))
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return (got, true, count < 0) }
                got += count
            }
            return (got, false, false)
        }

        /// Where block `sequence` starts in the file: every block before it is full.
        func fileOffset(of sequence: Int) -> Int64 { startOffset + Int64(sequence) * Int64(blockSize) }

        /// Without the reading thread: block `sequence`, read now into its slot.
        func readInPlace(sequence: Int) -> Block {
            let slot = sequence % blockCount
            let offset = fileOffset(of: sequence)
            let (got, isLast, failed) = fill(slot: slot, at: offset)
            if isLast {
                // A thread reading ahead must not claim blocks past the end (a lock only at the file's end).
                unsafe pthread_mutex_lock(mutex)
                lastSequence = min(lastSequence, sequence)
                unsafe pthread_mutex_unlock(mutex)
            }
            return block(slot: slot, length: got, fileOffset: offset, isLast: isLast, failed: failed)
        }

        func block(slot: Int, length: Int, fileOffset: Int64, isLast: Bool, failed: Bool) -> Block {
            let start = slot * blockSize
            return unsafe Block(bytes: UnsafeRawBufferPointer(rebasing: storage[start..<(start + length)]), fileOffset: fileOffset,
                                isLast: isLast, failed: failed)
        }

        /// The owner, blocks lent: block `sequence` if a thread reading ahead claimed it (waiting
        /// until that thread has read it, which is rare: it reads from the far end, below), or nil
        /// after claiming it for the owner to read.
        func claimOrAwait(sequence: Int) -> Block? {
            unsafe pthread_mutex_lock(mutex)
            defer { unsafe pthread_mutex_unlock(mutex) }
            ownerSequence = sequence
            let slot = sequence % blockCount
            guard claimedSequence[slot] == sequence else {
                claimedSequence[slot] = sequence
                return nil
            }
            while publishedSequence[slot] != sequence {
                ownerWaits = true
                unsafe pthread_cond_wait(changed, mutex)
            }
            ownerWaits = false
            let entry = published[slot]
            return block(slot: slot, length: entry.length, fileOffset: entry.fileOffset, isLast: entry.isLast, failed: entry.failed)
        }

        /// See `ReadAheadFile.readAhead(below:)`. It reads the furthest block below `limit` that
        /// nobody has claimed, and never the owner's next one: the owner reads on from its end and
        /// this thread from the other, so neither waits for the other (claiming the next block in
        /// order, the packet loop caught up with it on every block and slept until it was read).
        func readAhead(below limit: Int) -> Bool {
            unsafe pthread_mutex_lock(mutex)
            let lowest = ownerSequence &+ 2
            var sequence = (lastSequence == .max ? limit : min(limit, lastSequence &+ 1)) &- 1
            while sequence >= lowest && claimedSequence[sequence % blockCount] == sequence { sequence -= 1 }
            guard !stopping, sequence >= lowest, blockCount > 1 else {
                unsafe pthread_mutex_unlock(mutex)
                return false
            }
            let slot = sequence % blockCount
            claimedSequence[slot] = sequence
            unsafe pthread_mutex_unlock(mutex)

            let offset = fileOffset(of: sequence)
            let (got, isLast, failed) = fill(slot: slot, at: offset)

            unsafe pthread_mutex_lock(mutex)
            published[slot] = (got, offset, isLast, failed)
            publishedSequence[slot] = sequence
            if isLast { lastSequence = min(lastSequence, sequence) }
            blocksReadAhead += 1
            if ownerWaits { unsafe pthread_cond_broadcast(changed) }
            unsafe pthread_mutex_unlock(mutex)
            return true
        }

        /// The owner: gives back every block before `sequence` and waits until that one is filled.
        func take(sequence: Int) -> Block {
            unsafe pthread_mutex_lock(mutex)
            if released < sequence {
                released = sequence
                unsafe pthread_cond_broadcast(changed)
            }
            while filled <= sequence { unsafe pthread_cond_wait(changed, mutex) }
            let slot = sequence % blockCount
            let entry = published[slot]
            let block = unsafe Block(bytes: UnsafeRawBufferPointer(rebasing: storage[(slot * blockSize)..<(slot * blockSize + entry.length)]),
                                     fileOffset: entry.fileOffset, isLast: entry.isLast, failed: entry.failed)
            unsafe pthread_mutex_unlock(mutex)
            return block
        }
    }
}
