// FuzzSavefile: Gatewatch's own classic-pcap reader against libpcap's, on any file.
//
// The input is written to a file in /dev/shm and read four times through PcapHandle: three times
// with the direct reader (handing over to libpcap at anything unusual), with its 1 MiB blocks,
// with blocks of 1 to 50 bytes (chosen by the input's size, read without the second thread) so
// records run across blocks, and with such blocks in a lending ring of 6 while blocks are also
// read ahead of the reader (`readBlockAhead`, as the HTTP thread does when idle; here on the same
// thread, 0 to 3 blocks before each record, so runs repeat), and once by libpcap alone. Checked:
// nothing traps, and every read gives the same records (time, lengths, bytes) and ends the same
// way (end of file, or the same error).

import Capture
import Glibc

func violated(_ message: String) -> Never {
    fatalError("invariant violated: \(message)")
}

let path = "/dev/shm/gatewatch-fuzz-savefile-\(getpid()).pcap"

struct Outcome: Equatable {
    var records: [Int64] = []
    var data: [UInt8] = []
    var ending = ""
}

/// `aheadPattern`: read blocks ahead in a lending ring of `slots`, this many before each record in turn.
func read(direct: Bool, blockSize: Int = 1 << 20, readAhead: Bool = true, slots: Int = 1, aheadPattern: [Int] = []) -> Outcome {
    var outcome = Outcome()
    let handle: PcapHandle
    do {
        handle = try PcapHandle.openOffline(path: path, directReads: direct, directReadBlockSize: blockSize,
                                            directReadAhead: readAhead, directLendingSlots: slots)
    } catch {
        outcome.ending = "open: \(error.message)"
        return outcome
    }
    // Records are copied at once: only the reader's own block is in use, and its slot is never reused early.
    let lends = !aheadPattern.isEmpty && handle.lendRecordBytes(beforeReuse: { _ in }) != nil
    // A bound on records: a file of empty records can hold thousands.
    for index in 0..<20_000 {
        if lends {
            for _ in 0..<aheadPattern[index % aheadPattern.count] {
                _ = handle.readBlockAhead(below: max(0, handle.blockNumber) + slots - 1)
            }
        }
        switch handle.next() {
        case .packet(let record):
            outcome.records += [record.time, Int64(record.capturedLength), Int64(record.originalLength)]
            outcome.data += record.bytes
        case .end: outcome.ending = "end"; return outcome
        case .timeout: outcome.ending = "timeout"; return outcome
        case .failed(let error): outcome.ending = "failed: \(error.message)"; return outcome
        }
    }
    outcome.ending = "limit"
    return outcome
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSavefile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0 else { violated("cannot write \(path)") }
    var written = 0
    while written < size {
        let count = write(descriptor, data + written, size - written)
        guard count > 0 else { violated("short write to \(path)") }
        written += count
    }
    close(descriptor)
    let libpcap = read(direct: false)
    // The small blocks are read on this thread: with a reading thread, handing over blocks of a
    // few bytes each ran at 115 inputs a second; SavefileReaderTests cover the thread, under TSan too.
    let small = 1 + (size &* 7) % 50
    let pattern = (0..<5).map { (size &* 13 &+ $0 &* 7) % 4 }
    for (name, direct) in [("1 MiB blocks", read(direct: true)),
                           ("blocks of \(small)", read(direct: true, blockSize: small, readAhead: false)),
                           ("blocks of \(small) read ahead", read(direct: true, blockSize: small, readAhead: false, slots: 6, aheadPattern: pattern))] {
        if direct.ending != libpcap.ending { violated("\(name): endings differ: \(direct.ending) / \(libpcap.ending)") }
        if direct.records != libpcap.records { violated("\(name): record headers differ") }
        if direct.data != libpcap.data { violated("\(name): record bytes differ") }
    }
    return 0
}
