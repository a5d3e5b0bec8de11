// Classic pcap records read straight from the file in large blocks, for `-r` at full speed.

internal import CPcap
import Glibc

/// Reads the records of a classic pcap savefile (magic 0xA1B2C3D4 or 0xA1B23C4D, either byte
/// order, version 2.4) that libpcap has already opened and validated, without libpcap's
/// per-record work.
///
/// Why: libpcap reads each record with two `fread` calls through a 4 KiB stdio buffer and then
/// copies it into its own buffer: about 590 instructions a packet and a `read` system call every
/// 4 KiB (10% of a run over nginx-busy, callgrind). Here a second thread reads the file in 1 MiB
/// blocks (`ReadAheadFile`) and records are handed out in place; the few that run from one block
/// into the next are put together in a buffer of their own.
///
/// The reader takes only the plain case: anything unusual (a record longer than the snapshot
/// length, a time field out of range, a file that ends inside a record, a read error) makes
/// `next()` answer `.handOver`
/// with the record's file offset, and the caller lets libpcap read from there, so its checks,
/// messages and quirks stay exactly libpcap's.
final class SavefileReader {
    enum Next {
        /// A record; `bytes` points into a block or the reader's own buffer, valid until the next call.
        case record(time: Int64, capturedLength: Int, originalLength: Int, bytes: UnsafeRawBufferPointer)
        case end
        /// Let libpcap read on from this file offset.
        case handOver(offset: Int64)
    }

    static let fileHeaderLength = 24
    static let recordHeaderLength = 16
    static let blockSize = 1 << 20
    /// The longest snapshot length read here, which bounds the joining buffer (sized by the file's
    /// snapshot length); files that declare more are libpcap's to read.
    static let maximumSnapshotLength = blockSize - recordHeaderLength

    private let descriptor: Int32
    private let swapped: Bool
    private let microseconds: Bool
    private let snapshotLength: Int
    private let blocks: ReadAheadFile
    // Safety: allocated here with recordHeaderLength + snapshotLength bytes, freed in deinit; a
    // record joined across blocks is copied into it and handed out from it until the next call.
    private let joined: UnsafeMutableRawBufferPointer
    // Touched only by this class's own methods on the reading thread, never re-entered: the
    // run-time exclusivity checks on them cost more than the rest of a read (callgrind).
    /// The block being read, and how far into it the records handed out reach.
    @exclusivity(unchecked) private var block: ReadAheadFile.Block
    @exclusivity(unchecked) private var start = 0

    /// A reader over `path` positioned after the file header, or nil when the file is not a plain
    /// classic pcap regular file (then libpcap reads it all). `blockSize` is for the tests, which
    /// make records cross blocks often. A second thread reads ahead when `readAhead` is set and the
    /// file holds more than one block (for less, starting it costs more than it saves).
    init?(path: String, snapshotLength: Int, blockSize: Int = SavefileReader.blockSize, readAhead: Bool = true,
          lendingSlots: Int = 1) {
        guard path != "-", snapshotLength > 0, snapshotLength <= Self.maximumSnapshotLength, blockSize > 0 else { return nil }
        let descriptor = unsafe open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var info = stat()
        var magic: UInt32 = 0
        let magicRead = unsafe withUnsafeMutableBytes(of: &magic) { unsafe pread(descriptor, $0.baseAddress, 4, 0) }
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, magicRead == 4 else {
            close(descriptor)
            return nil
        }
        // Read as stored: the first byte is the magic's low byte on a little-endian machine.
        switch magic {
        case 0xA1B2_C3D4: (swapped, microseconds) = (false, true)
        case 0xA1B2_3C4D: (swapped, microseconds) = (false, false)
        case 0xD4C3_B2A1: (swapped, microseconds) = (true, true)
        case 0x4D3C_B2A1: (swapped, microseconds) = (true, false)
        default:
            close(descriptor)
            return nil
        }
        // Version 2.4 only: libpcap swaps the two lengths of records in older files (always before
        // 2.3, when they look swapped in 2.3), a quirk left to it (FuzzSavefile found it).
        var version: (major: UInt16, minor: UInt16) = (0, 0)
        let versionRead = unsafe withUnsafeMutableBytes(of: &version) { unsafe pread(descriptor, $0.baseAddress, 4, 4) }
        let major = swapped ? version.major.byteSwapped : version.major
        let minor = swapped ? version.minor.byteSwapped : version.minor
        guard versionRead == 4, major == 2, minor == 4,
              lseek(descriptor, off_t(Self.fileHeaderLength), SEEK_SET) == off_t(Self.fileHeaderLength),
              let blocks = ReadAheadFile(descriptor: descriptor, offset: Int64(Self.fileHeaderLength), blockSize: blockSize,
                                         readAhead: readAhead && Int64(info.st_size) > Int64(Self.fileHeaderLength + blockSize),
                                         lendingSlots: lendingSlots) else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.snapshotLength = snapshotLength
        self.blocks = blocks
        unsafe joined = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.recordHeaderLength + snapshotLength, alignment: 16)
        block = ReadAheadFile.Block(bytes: UnsafeRawBufferPointer(start: nil, count: 0), fileOffset: Int64(Self.fileHeaderLength),
                                    isLast: false, failed: false)
    }

    deinit {
        unsafe joined.deallocate()
        // The reading thread must be gone before its descriptor is closed (and its number reused).
        blocks.stop()
        close(descriptor)
    }

    /// Stops the reading thread at hand-over; the reader is not asked for records after this.
    func stopReading() { blocks.stop() }

    /// The number of the block the records handed out last were read from (0 for the first);
    /// a record joined across blocks is in none of them.
    var blockNumber: Int { blocks.blocksTaken - 1 }

    /// See `ReadAheadFile.lend(beforeReuse:)`: records read in place point into `storage`.
    func lend(beforeReuse: @escaping (Int) -> Void) -> (storage: UnsafeRawBufferPointer, blockSize: Int, slots: Int)? {
        blocks.lend(beforeReuse: beforeReuse)
    }

    /// See `ReadAheadFile.readAhead(below:)`: another thread reads the furthest unclaimed block
    /// of the lending ring below `limit`.
    func readAhead(below limit: Int) -> Bool { blocks.readAhead(below: limit) }

    /// Blocks read by `readAhead(below:)` so far.
    var blocksReadAhead: Int { blocks.blocksReadAhead }

    /// How far into the file the records handed out so far reach.
    var fileOffset: Int64 { block.fileOffset + Int64(start) }

    /// The next record, the end of the file, or where libpcap must take over.
    @inline(__always)
    func next() -> Next {
        let available = block.bytes.count - start
        if available >= Self.recordHeaderLength {
            let header = unsafe RecordHeader(block.bytes, at: start, swapped: swapped)
            guard isPlain(header) else { return .handOver(offset: fileOffset) }
            let total = Self.recordHeaderLength + header.captured
            if available >= total {
                let dataStart = start + Self.recordHeaderLength
                start += total
                // The next record's header and, a cache line on, its frame's headers: asked for now,
                // they arrive while this record is decoded and reassembled.
                if let base = unsafe block.bytes.baseAddress {
                    unsafe gatewatch_prefetch(base + start)
                    unsafe gatewatch_prefetch(base + start + 64)
                }
                let bytes = unsafe UnsafeRawBufferPointer(rebasing: block.bytes[dataStart..<(dataStart + header.captured)])
                return unsafe .record(time: time(of: header), capturedLength: header.captured, originalLength: header.original, bytes: bytes)
            }
        }
        return nextAcrossBlocks()
    }

    /// The fields of one record header.
    private struct RecordHeader {
        var seconds: UInt32
        var fraction: UInt32
        var captured: Int
        var original: Int

        /// Reads the header at `offset`; the caller has checked that 16 bytes are there.
        @inline(__always)
        init(_ bytes: UnsafeRawBufferPointer, at offset: Int, swapped: Bool) {
            func word(_ at: Int) -> UInt32 {
                let value = unsafe bytes.loadUnaligned(fromByteOffset: offset + at, as: UInt32.self)
                return swapped ? value.byteSwapped : value
            }
            seconds = word(0)
            fraction = word(4)
            captured = Int(word(8))
            original = Int(word(12))
        }
    }

    /// Whether the reader takes this record, or leaves it (and the rest of the file) to libpcap.
    @inline(__always)
    private func isPlain(_ header: RecordHeader) -> Bool {
        // libpcap truncates or rejects records longer than the snapshot length, each in its own way.
        // Out-of-range times are libpcap's too: it reads the fields as signed or unsigned depending
        // on byte order and precision (FuzzSavefile found one), and real captures never have them.
        header.captured <= snapshotLength && header.seconds <= UInt32(Int32.max)
            && header.fraction < (microseconds ? 1_000_000 : 1_000_000_000)
    }

    @inline(__always)
    private func time(of header: RecordHeader) -> Int64 {
        Int64(header.seconds) &* 1_000_000_000 &+ Int64(header.fraction) &* (microseconds ? 1000 : 1)
    }

    /// The end of the file, or a record that begins at the end of this block or runs past it:
    /// copied into `joined` from as many blocks as it spans.
    private func nextAcrossBlocks() -> Next {
        let recordOffset = fileOffset
        if start == block.bytes.count {
            if block.isLast { return block.failed ? .handOver(offset: recordOffset) : .end }
            block = blocks.next()
            start = 0
            return next()
        }
        var have = 0
        guard gather(Self.recordHeaderLength, have: &have) else { return .handOver(offset: recordOffset) }
        let header = unsafe RecordHeader(UnsafeRawBufferPointer(joined), at: 0, swapped: swapped)
        guard isPlain(header), gather(Self.recordHeaderLength + header.captured, have: &have) else {
            return .handOver(offset: recordOffset)
        }
        let bytes = unsafe UnsafeRawBufferPointer(rebasing: joined[Self.recordHeaderLength..<(Self.recordHeaderLength + header.captured)])
        return unsafe .record(time: time(of: header), capturedLength: header.captured, originalLength: header.original, bytes: bytes)
    }

    /// Copies bytes from the blocks into `joined` until it holds `count`; false when the file
    /// (or a read error) ends first. `count` is at most `joined`'s size.
    private func gather(_ count: Int, have: inout Int) -> Bool {
        while have < count {
            if start == block.bytes.count {
                if block.isLast { return false }
                block = blocks.next()
                start = 0
                continue
            }
            let take = min(count - have, block.bytes.count - start)
            if let source = unsafe block.bytes.baseAddress, let target = unsafe joined.baseAddress {
                unsafe (target + have).copyMemory(from: source + start, byteCount: take)
            }
            have += take
            start += take
        }
        return true
    }
}
