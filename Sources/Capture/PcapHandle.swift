// The libpcap handle: open a savefile or a live device, set a filter, read packets without copying.

internal import CPcap
import Glibc

/// An open libpcap capture (a savefile or a live device). Closed when the last reference goes.
public final class PcapHandle {
    // Safety: `pointer` is the pcap_t returned by a successful open; it stays valid until deinit,
    // and no other object closes it.
    private let pointer: OpaquePointer
    /// Whether the timestamps this handle reports carry nanoseconds (true) or microseconds.
    public let nanosecondPrecision: Bool
    /// Whether the source itself (the savefile's format, or the device) records nanoseconds, so
    /// that output shows 9 fractional digits only where they mean something.
    public let sourceHasNanoseconds: Bool
    /// Warning libpcap gave while activating a live device (e.g. promiscuous mode unsupported).
    public private(set) var activationWarning: String?
    /// True for a savefile (read at the reader's pace), false for a live device (read as packets come).
    public let isSavefile: Bool
    /// A live device read without blocking, waited on here: its descriptor and how long a wait
    /// lasts before `next()` says `.timeout`. Nil: libpcap blocks (savefiles, or a device whose
    /// descriptor cannot be polled). libpcap 1.10 keeps polling inside `pcap_next_ex` while an
    /// immediate-mode device is quiet and never returns its timeout, so a caller holding work
    /// for a quiet moment would never get one.
    private var quietWait: (descriptor: Int32, milliseconds: Int32)?
    /// Reads the records of a plain classic savefile itself until anything unusual, then hands
    /// the file back to libpcap at that record (see `SavefileReader`); nil: libpcap reads.
    /// A `let`, with `readsDirectly` saying whether it is still in use: reading an optional `var`
    /// of a class retained and released the reader on every packet (two atomic operations).
    private let direct: SavefileReader?
    /// `direct` without reference counting, for the per-packet read: binding the `let` still
    /// retained and released the reader on every packet (callgrind on nginx-large: 31 M
    /// instructions in swift_retain and swift_release, all from `next()`). `direct` keeps it alive.
    private let directReader: Unmanaged<SavefileReader>?
    // Cleared once at hand-over, read on every packet by the one reading thread.
    @exclusivity(unchecked) private var readsDirectly: Bool

    private init(pointer: OpaquePointer, nanosecondPrecision: Bool, sourceHasNanoseconds: Bool, isSavefile: Bool,
                 direct: SavefileReader? = nil) {
        self.pointer = pointer
        self.isSavefile = isSavefile
        self.nanosecondPrecision = nanosecondPrecision
        self.sourceHasNanoseconds = sourceHasNanoseconds
        self.direct = direct
        directReader = direct.map { Unmanaged.passUnretained($0) }
        readsDirectly = direct != nil
    }

    deinit { unsafe pcap_close(pointer) }

    /// Where the records this handle reads in place lie, so their bytes can be used after the
    /// next read without a copy: `storage`, a ring of `slots` blocks of `blockSize` bytes, block
    /// number n in slot n % slots (`blockNumber` is the block of the record read last, when that
    /// record lies in `storage`). Before a slot is filled again, `beforeReuse(slot)` is called on
    /// the reading thread and must return only once nothing reads that slot's bytes any more.
    /// Nil when the handle does not read that way (libpcap reads, a read-ahead thread, one slot);
    /// records from anywhere else are the caller's to copy, as ever. The storage lives as long as
    /// the handle.
    public func lendRecordBytes(beforeReuse: @escaping (Int) -> Void)
        -> (storage: UnsafeRawBufferPointer, blockSize: Int, slots: Int)? {
        direct?.lend(beforeReuse: beforeReuse)
    }

    /// While records are lent (`lendRecordBytes`), another thread with nothing else to do may read
    /// the furthest block below `limit` nobody has claimed yet, sparing the reading thread that
    /// copy; it returns whether it read one. Block n goes into slot
    /// n % slots, whose bytes the caller vouches nothing reads any more: `limit` at most the
    /// oldest block still read plus `slots`. The reading thread's `beforeReuse` is not called for
    /// these blocks. Reads nothing for handles that do not lend, at the end of the file, or once
    /// libpcap has taken over. May be called from any one other thread while the handle lives.
    public func readBlockAhead(below limit: Int) -> Bool { direct?.readAhead(below: limit) ?? false }

    /// Blocks read by `readBlockAhead(below:)` so far.
    public var blocksReadAhead: Int { direct?.blocksReadAhead ?? 0 }

    /// See `lendRecordBytes`: the number of the block the direct reader read its last record from.
    @inline(__always)
    public var blockNumber: Int { direct?.blockNumber ?? -1 }

    /// Opens a pcap or pcapng savefile. Timestamps are read at nanosecond precision.
    ///
    /// `directReads: false` makes libpcap read every record (the tests compare the two readers);
    /// `directReadBlockSize` sets the direct reader's block size (tests and fuzzing make it small,
    /// so that many records run from one block into the next); `directReadAhead: false` keeps its
    /// reads on the calling thread (the fuzzer's choice: a thread per input would be most of its time).
    /// `directLendingSlots` (without read-ahead) is how many blocks the direct reader keeps in a
    /// ring, so that records' bytes can be lent out in place (`lendRecordBytes`).
    public static func openOffline(path: String, directReads: Bool = true, directReadBlockSize: Int = 1 << 20,
                                   directReadAhead: Bool = true, directLendingSlots: Int = 1) throws(PcapError) -> PcapHandle {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        // libpcap happily "opens" a directory and fails later with a vague message; say it plainly.
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw PcapError(.open, message: "\(path): is a directory")
        }
        // libpcap words a refused open as fopen's "Permission denied"; a kind of its own lets the CLI say the fix.
        if path != "-", access(path, R_OK) != 0, errno == EACCES {
            throw PcapError(.permission, message: "\(path): permission denied")
        }
        let handle = unsafe errorBuffer.withUnsafeMutableBufferPointer { buffer in
            unsafe pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_NANO), buffer.baseAddress)
        }
        guard let handle else {
            throw PcapError(.open, message: text(ofErrorBuffer: errorBuffer))
        }
        // The reader itself declines pcapng and anything not a regular file (stdin, a pipe).
        let isFile = unsafe pcap_file(handle) != nil
        let direct = directReads && isFile
            ? SavefileReader(path: path, snapshotLength: Int(pcap_snapshot(handle)), blockSize: directReadBlockSize,
                             readAhead: directReadAhead, lendingSlots: directLendingSlots)
            : nil
        return PcapHandle(pointer: handle, nanosecondPrecision: true,
                          sourceHasNanoseconds: savefileRecordsNanoseconds(path: path), isSavefile: true, direct: direct)
    }

    /// Settings for a live capture, as tcpdump's `-s`, `-p`, `-B` and immediate mode.
    public struct LiveOptions: Sendable {
        public var snapshotLength: Int32 = 262_144
        public var promiscuous = true
        public var bufferSizeKiB: Int32? = nil
        public var immediate = true
        public var timeoutMilliseconds: Int32 = 100
        public init() {}
    }

    /// Opens and activates a live device with `pcap_create`/`pcap_activate`.
    public static func openLive(device: String, options: LiveOptions) throws(PcapError) -> PcapHandle {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        let created = unsafe errorBuffer.withUnsafeMutableBufferPointer { buffer in
            unsafe pcap_create(device, buffer.baseAddress)
        }
        guard let created else {
            throw PcapError(.open, message: "\(device): \(text(ofErrorBuffer: errorBuffer))")
        }
        pcap_set_snaplen(created, options.snapshotLength)
        pcap_set_promisc(created, options.promiscuous ? 1 : 0)
        pcap_set_timeout(created, options.timeoutMilliseconds)
        if options.immediate { pcap_set_immediate_mode(created, 1) }
        if let kib = options.bufferSizeKiB { pcap_set_buffer_size(created, kib &* 1024) }
        let nano = pcap_set_tstamp_precision(created, PCAP_TSTAMP_PRECISION_NANO) == 0
        let status = pcap_activate(created)
        let handle = PcapHandle(pointer: created, nanosecondPrecision: nano, sourceHasNanoseconds: nano, isSavefile: false)
        if status < 0 {
            let detail = handle.lastError
            let kind: PcapError.Kind
            switch status {
            case PCAP_ERROR_PERM_DENIED: kind = .permission
            case PCAP_ERROR_NO_SUCH_DEVICE: kind = .noSuchDevice
            default: kind = .open
            }
            let text = String(cString: pcap_statustostr(status))
            let message = detail.isEmpty || detail == text ? "\(device): \(text)" : "\(device): \(text) (\(detail))"
            throw PcapError(kind, status: status, message: message)
        }
        if status > 0 {
            let detail = handle.lastError
            handle.activationWarning = "\(device): \(String(cString: pcap_statustostr(status)))" + (detail.isEmpty ? "" : " (\(detail))")
        }
        let descriptor = pcap_get_selectable_fd(created)
        if descriptor >= 0, options.timeoutMilliseconds > 0,
           unsafe errorBuffer.withUnsafeMutableBufferPointer({ unsafe pcap_setnonblock(created, 1, $0.baseAddress) }) == 0 {
            handle.quietWait = (descriptor, options.timeoutMilliseconds)
        }
        return handle
    }

    /// libpcap's data link type (`DLT_*`) of this capture.
    public var dataLinkType: Int32 { pcap_datalink(pointer) }

    /// tcpdump's name for the link type (`EN10MB`, `LINUX_SLL2`, …), or the number.
    public var dataLinkName: String {
        if let name = pcap_datalink_val_to_name(dataLinkType) { return String(cString: name) }
        return "DLT \(dataLinkType)"
    }

    /// The snapshot length: the most bytes of any one packet this capture holds.
    public var snapshotLength: Int { Int(pcap_snapshot(pointer)) }

    /// For a savefile: how far libpcap has read into it, in bytes (the stdio position, so up to one
    /// buffer ahead of the packet just returned); nil for a live capture or a position stdio cannot tell.
    public var fileOffset: Int64? {
        if readsDirectly, let direct { return direct.fileOffset }
        guard let file = unsafe pcap_file(pointer) else { return nil }
        let position = unsafe ftello(file)
        return position >= 0 ? Int64(position) : nil
    }

    /// Compiles a BPF expression and attaches it. The error carries libpcap's text and the expression.
    public func setFilter(_ expression: String) throws(PcapError) {
        // libpcap applies the filter as it reads, so from here on it reads.
        handOver()
        var program = bpf_program()
        if unsafe pcap_compile(pointer, &program, expression, 1, PCAP_NETMASK_UNKNOWN) != 0 {
            throw PcapError(.filter, message: "invalid filter '\(expression)': \(lastError)")
        }
        defer { unsafe pcap_freecode(&program) }
        if unsafe pcap_setfilter(pointer, &program) != 0 {
            throw PcapError(.filter, message: "cannot set filter '\(expression)': \(lastError)")
        }
    }

    /// Reads the next packet without copying it. See `PacketRecord` for how long the bytes live.
    @inline(__always)
    public func next() -> PacketReadResult {
        if readsDirectly, let directReader {
            // Safety: `direct` holds the reader for as long as this handle lives.
            switch unsafe directReader._withUnsafeGuaranteedRef({ $0.next() }) {
            case .record(let time, let capturedLength, let originalLength, let bytes):
                return unsafe .packet(PacketRecord(time: time, capturedLength: capturedLength, originalLength: originalLength, bytes: bytes))
            case .end:
                return .end
            case .handOver(let offset):
                handOver(at: offset)
            }
        }
        var header: UnsafeMutablePointer<pcap_pkthdr>? = nil
        var data: UnsafePointer<UInt8>? = nil
        var status = unsafe pcap_next_ex(pointer, &header, &data)
        // Non-blocking live reads: nothing there, so wait for the descriptor; a quiet spell of
        // the timeout's length is reported as `.timeout`. A signal (Ctrl-C) ends the wait early,
        // and the next read sees libpcap's break flag.
        while status == 0, let (descriptor, milliseconds) = quietWait {
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let count = unsafe poll(&ready, 1, milliseconds)
            if count == 0 { return .timeout }
            if count < 0 && errno != EINTR { return .failed(PcapError(.read, message: "poll: \(String(cString: strerror(errno)))")) }
            status = unsafe pcap_next_ex(pointer, &header, &data)
        }
        switch status {
        case 1:
            // Safety: on status 1 libpcap guarantees both pointers are set and that `data` holds
            // `caplen` bytes until the next call on this handle.
            guard let header = unsafe header, let data = unsafe data else { return .failed(PcapError(.read, message: "libpcap returned a packet without data")) }
            let h = unsafe header.pointee
            let fraction = Int64(h.ts.tv_usec)
            let time = Int64(h.ts.tv_sec) &* 1_000_000_000 &+ (nanosecondPrecision ? fraction : fraction &* 1000)
            let bytes = unsafe UnsafeRawBufferPointer(start: data, count: Int(h.caplen))
            return .packet(PacketRecord(time: time, capturedLength: Int(h.caplen), originalLength: Int(h.len), bytes: bytes))
        case 0: return .timeout
        case PCAP_ERROR_BREAK:
            // libpcap says -2 both at the end of a savefile and after pcap_breakloop; the caller
            // knows whether it asked to stop.
            return .end
        default:
            return .failed(PcapError(.read, status: status, message: lastError))
        }
    }

    /// Lets libpcap read on from `offset` (the next record the direct reader has not handed out).
    private func handOver(at offset: Int64? = nil) {
        guard readsDirectly, let direct else { return }
        let position = offset ?? direct.fileOffset
        readsDirectly = false
        direct.stopReading()
        // Safety: the FILE is libpcap's for this savefile and lives as long as the handle; libpcap
        // reads each record with fresh freads, so moving the position between reads is sound.
        if let file = unsafe pcap_file(pointer) { unsafe fseeko(file, off_t(position), SEEK_SET) }
    }

    /// Makes a blocked or looping read return; safe to call from a signal handler or another thread.
    public func breakLoop() { pcap_breakloop(pointer) }

    /// Live capture counters (received, dropped by kernel, dropped by interface); nil for savefiles.
    public func statistics() -> CaptureStatistics? {
        var stats = pcap_stat()
        guard unsafe pcap_stats(pointer, &stats) == 0 else { return nil }
        return CaptureStatistics(received: stats.ps_recv, droppedByKernel: stats.ps_drop, droppedByInterface: stats.ps_ifdrop)
    }

    /// Opens a savefile writer with this capture's link type and snapshot length.
    public func openDumper(path: String) throws(PcapError) -> PcapDumper {
        guard let dumper = unsafe pcap_dump_open(pointer, path) else {
            throw PcapError(.dump, message: "\(path): \(lastError)")
        }
        return unsafe PcapDumper(dumper)
    }

    var lastError: String { String(cString: pcap_geterr(pointer)) }

    /// Raw access for the signal stopper, which must reach the handle from a C signal handler.
    var rawPointer: OpaquePointer { pointer }
}

/// Whether a savefile records nanosecond timestamps: the pcap magic 0xA1B23C4D, or a pcapng
/// interface block whose `if_tsresol` is 9. Anything unreadable counts as microseconds.
func savefileRecordsNanoseconds(path: String) -> Bool {
    guard let file = fopen(path, "rb") else { return false }
    defer { fclose(file) }
    var head = [UInt8](repeating: 0, count: 4096)
    let count = unsafe head.withUnsafeMutableBytes { unsafe fread($0.baseAddress, 1, 4096, file) }
    guard count >= 4 else { return false }
    let magicBig = UInt32(head[0]) << 24 | UInt32(head[1]) << 16 | UInt32(head[2]) << 8 | UInt32(head[3])
    if magicBig == 0xA1B2_3C4D || magicBig == 0x4D3C_B2A1 { return true }
    guard magicBig == 0x0A0D_0D0A else { return false }
    // pcapng: walk the first blocks looking for an IDB (type 1) with option 9 (if_tsresol).
    let littleEndian = count >= 12 && head[8] == 0x4D && head[9] == 0x3C
    func word(_ at: Int) -> UInt32? {
        guard at >= 0, at + 4 <= count else { return nil }
        let b = (UInt32(head[at]), UInt32(head[at + 1]), UInt32(head[at + 2]), UInt32(head[at + 3]))
        return littleEndian ? (b.0 | b.1 << 8 | b.2 << 16 | b.3 << 24) : (b.0 << 24 | b.1 << 16 | b.2 << 8 | b.3)
    }
    func half(_ at: Int) -> Int? {
        guard at >= 0, at + 2 <= count else { return nil }
        return littleEndian ? Int(head[at]) | Int(head[at + 1]) << 8 : Int(head[at]) << 8 | Int(head[at + 1])
    }
    var offset = 0
    for _ in 0..<16 {
        guard let type = word(offset), let length = word(offset + 4), length >= 12, length % 4 == 0 else { return false }
        if type == 1 {
            var option = offset + 16
            let end = offset + Int(length) - 4
            while option + 4 <= end, let code = half(option), let size = half(option + 2) {
                if code == 0 { break }
                if code == 9, size >= 1, option + 4 < count { return head[option + 4] == 9 }
                option += 4 + (size + 3) / 4 * 4
            }
            return false
        }
        offset += Int(length)
    }
    return false
}
