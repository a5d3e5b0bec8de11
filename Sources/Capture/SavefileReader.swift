// Classic pcap records read straight from the file into one large buffer, for `-r` at full speed.

import Glibc

/// Reads the records of a classic pcap savefile (magic 0xA1B2C3D4 or 0xA1B23C4D, either byte
/// order, version 2.4) that libpcap has already opened and validated, without libpcap's
/// per-record work.
///
/// Why: libpcap reads each record with two `fread` calls through a 4 KiB stdio buffer and then
/// copies it into its own buffer: about 590 instructions a packet and a `read` system call every
/// 4 KiB (10% of a run over nginx-busy, callgrind). Here one `read` fills 1 MiB and records are
/// handed out in place.
///
/// The reader takes only the plain case: anything unusual (a record longer than the snapshot
/// length, a time field out of range, a file that ends inside a record, a read error) makes
/// `next()` answer `.handOver`
/// with the record's file offset, and the caller lets libpcap read from there, so its checks,
/// messages and quirks stay exactly libpcap's.
final class SavefileReader {
    enum Next {
        /// A record; `bytes` points into the reader's buffer and is valid until the next call.
        case record(time: Int64, capturedLength: Int, originalLength: Int, bytes: UnsafeRawBufferPointer)
        case end
        /// Let libpcap read on from this file offset.
        case handOver(offset: Int64)
    }

    static let fileHeaderLength = 24
    static let recordHeaderLength = 16
    static let bufferSize = 1 << 20

    private let descriptor: Int32
    private let swapped: Bool
    private let microseconds: Bool
    private let snapshotLength: Int
    // Safety: allocated here with `bufferSize` bytes, freed in deinit; `start...end` are always
    // within it, and handed-out records point inside `start..<end` until the next call.
    private let buffer: UnsafeMutableRawBufferPointer
    /// Unread bytes are `buffer[start..<end]`; `bufferOffset` is the file offset of `buffer[0]`.
    // Touched only by this class's own methods on the reading thread, never re-entered: the
    // run-time exclusivity checks on them cost more than the rest of a read (callgrind).
    @exclusivity(unchecked) private var start = 0
    @exclusivity(unchecked) private var end = 0
    @exclusivity(unchecked) private var bufferOffset: Int64
    @exclusivity(unchecked) private var atEndOfFile = false
    @exclusivity(unchecked) private var readFailed = false

    /// A reader over `path` positioned after the file header, or nil when the file is not a plain
    /// classic pcap regular file (then libpcap reads it all).
    init?(path: String, snapshotLength: Int) {
        guard path != "-", snapshotLength > 0, snapshotLength <= Self.bufferSize - Self.recordHeaderLength else { return nil }
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
              lseek(descriptor, off_t(Self.fileHeaderLength), SEEK_SET) == off_t(Self.fileHeaderLength) else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.snapshotLength = snapshotLength
        self.bufferOffset = Int64(Self.fileHeaderLength)
        unsafe self.buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferSize, alignment: 16)
    }

    deinit {
        unsafe buffer.deallocate()
        close(descriptor)
    }

    /// How far into the file the records handed out so far reach.
    var fileOffset: Int64 { bufferOffset + Int64(start) }

    /// The next record, the end of the file, or where libpcap must take over.
    @inline(__always)
    func next() -> Next {
        let recordOffset = fileOffset
        if end - start < Self.recordHeaderLength {
            guard fill(atLeast: Self.recordHeaderLength) else {
                return start == end && atEndOfFile && !readFailed ? .end : .handOver(offset: recordOffset)
            }
        }
        let seconds = word(at: start)
        let fraction = word(at: start + 4)
        let captured = Int(word(at: start + 8))
        let original = Int(word(at: start + 12))
        // libpcap truncates or rejects such records, each in its own way: let it.
        guard captured <= snapshotLength else { return .handOver(offset: recordOffset) }
        // Out-of-range times are libpcap's too: it reads the fields as signed or unsigned depending
        // on byte order and precision (FuzzSavefile found one), and real captures never have them.
        guard seconds <= UInt32(Int32.max), fraction < (microseconds ? 1_000_000 : 1_000_000_000) else {
            return .handOver(offset: recordOffset)
        }
        let total = Self.recordHeaderLength + captured
        if end - start < total {
            guard fill(atLeast: total) else { return .handOver(offset: recordOffset) }
        }
        let dataStart = start + Self.recordHeaderLength
        start += total
        let time = Int64(seconds) &* 1_000_000_000 &+ Int64(fraction) &* (microseconds ? 1000 : 1)
        let bytes = unsafe UnsafeRawBufferPointer(rebasing: buffer[dataStart..<(dataStart + captured)])
        return unsafe .record(time: time, capturedLength: captured, originalLength: original, bytes: bytes)
    }

    @inline(__always)
    private func word(at offset: Int) -> UInt32 {
        let value = unsafe buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return swapped ? value.byteSwapped : value
    }

    /// Makes `end - start >= count`, moving the unread bytes to the front and reading more.
    /// False when the file (or a read error) ends first.
    private func fill(atLeast count: Int) -> Bool {
        if start > 0 {
            let unread = end - start
            if unread > 0, let base = unsafe buffer.baseAddress {
                unsafe base.copyMemory(from: base + start, byteCount: unread)
            }
            bufferOffset += Int64(start)
            start = 0
            end = unread
        }
        while end < count {
            guard !atEndOfFile, let base = unsafe buffer.baseAddress else { return false }
            let got = unsafe read(descriptor, base + end, Self.bufferSize - end)
            if got < 0 && errno == EINTR { continue }
            if got <= 0 {
                atEndOfFile = true
                readFailed = got < 0
                return false
            }
            end += got
        }
        return true
    }
}
