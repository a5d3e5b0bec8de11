// The -w savefile writer: every packet read is written as libpcap received it.

internal import CPcap
import Glibc

/// A libpcap savefile being written. `close()` (or deinit) flushes and closes it, so a run stopped
/// by a signal still leaves a complete file.
public final class PcapDumper {
    // Safety: the pcap_dumper_t from pcap_dump_open; set to nil once closed, never used after.
    private var dumper: OpaquePointer?

    init(_ dumper: OpaquePointer) { self.dumper = dumper }

    deinit { close() }

    /// Appends one packet with its original header fields.
    public func write(_ record: PacketRecord, nanosecondPrecision: Bool) {
        guard let dumper else { return }
        var header = pcap_pkthdr()
        let seconds = record.time / 1_000_000_000
        let nanos = record.time - seconds * 1_000_000_000
        header.ts.tv_sec = Int(seconds)
        // pcap_dump writes the fraction as given, and the file's magic follows the handle's
        // precision: nanoseconds for our handles, microseconds otherwise.
        header.ts.tv_usec = nanosecondPrecision ? Int(nanos) : Int(nanos / 1000)
        header.caplen = UInt32(record.capturedLength)
        header.len = UInt32(record.originalLength)
        guard let base = record.bytes.baseAddress else { return }
        unsafe withUnsafePointer(to: &header) { headerPointer in
            unsafe pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self),
                             headerPointer, base.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Pushes buffered packets to the file.
    public func flush() {
        if let dumper { pcap_dump_flush(dumper) }
    }

    /// Flushes and closes the file; later writes are ignored.
    public func close() {
        if let dumper {
            pcap_dump_flush(dumper)
            pcap_dump_close(dumper)
        }
        dumper = nil
    }
}
