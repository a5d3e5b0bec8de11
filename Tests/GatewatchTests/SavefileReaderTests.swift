// The direct savefile reader against libpcap's own: the same records, times and endings on
// good files, odd ones and every cut.

import Capture
import Foundation
import Glibc
import Synchronization
import Testing

/// One record as a savefile stores it.
struct RawRecord {
    var seconds: UInt32
    var fraction: UInt32
    var captured: UInt32
    var original: UInt32
    var data: [UInt8]
}

/// A classic pcap file: `magic` as the writer's native value, written big-endian when `bigEndian`.
func classicPcap(magic: UInt32 = 0xA1B2_C3D4, bigEndian: Bool = false, version: (UInt16, UInt16) = (2, 4),
                 snapshotLength: UInt32 = 262_144, linkType: UInt32 = 1, records: [RawRecord]) -> [UInt8] {
    var bytes: [UInt8] = []
    func put32(_ value: UInt32) {
        let ordered = bigEndian ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: ordered) { bytes.append(contentsOf: $0) }
    }
    func put16(_ value: UInt16) {
        let ordered = bigEndian ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: ordered) { bytes.append(contentsOf: $0) }
    }
    put32(magic); put16(version.0); put16(version.1); put32(0); put32(0); put32(snapshotLength); put32(linkType)
    for record in records {
        put32(record.seconds); put32(record.fraction); put32(record.captured); put32(record.original)
        bytes += record.data
    }
    return bytes
}

func randomRecords(_ count: Int, maxLength: Int, using generator: inout some RandomNumberGenerator) -> [RawRecord] {
    (0..<count).map { index in
        let length = Int.random(in: 0...maxLength, using: &generator)
        let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return RawRecord(seconds: 1_700_000_000 + UInt32(index), fraction: UInt32.random(in: 0..<1_000_000, using: &generator),
                         captured: UInt32(length), original: UInt32(length + Int.random(in: 0...40, using: &generator)), data: data)
    }
}

/// Everything a handle yields, and how it ended.
struct ReadOutcome: Equatable {
    var records: [[Int64]] = []
    var data: [[UInt8]] = []
    var ending = ""
    var offsets: [Int64] = []
}

func readAll(_ url: URL, direct: Bool, blockSize: Int = 1 << 20, limit: Int = 100_000) -> ReadOutcome {
    var outcome = ReadOutcome()
    let handle: PcapHandle
    do {
        handle = try PcapHandle.openOffline(path: url.path, directReads: direct, directReadBlockSize: blockSize)
    } catch {
        outcome.ending = "open: \(error.message)"
        return outcome
    }
    while outcome.records.count < limit {
        switch handle.next() {
        case .packet(let record):
            outcome.records.append([record.time, Int64(record.capturedLength), Int64(record.originalLength)])
            outcome.offsets.append(handle.fileOffset ?? -1)
            outcome.data.append(Array(record.bytes))
        case .end: outcome.ending = "end"; return outcome
        case .timeout: outcome.ending = "timeout"; return outcome
        case .failed(let error): outcome.ending = "failed: \(error.message)"; return outcome
        }
    }
    return outcome
}

@Suite struct SavefileReaderTests {
    func expectSameAsLibpcap(_ bytes: [UInt8], name: String, blockSize: Int = 1 << 20,
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = try temporaryFile(named: name, bytes: bytes)
        defer { try? FileManager.default.removeItem(at: url) }
        let mine = readAll(url, direct: true, blockSize: blockSize)
        let theirs = readAll(url, direct: false)
        #expect(mine.records == theirs.records, "\(name)", sourceLocation: sourceLocation)
        #expect(mine.data == theirs.data, "\(name)", sourceLocation: sourceLocation)
        #expect(mine.ending == theirs.ending, "\(name)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [(UInt32(0xA1B2_C3D4), false), (0xA1B2_C3D4, true), (0xA1B2_3C4D, false), (0xA1B2_3C4D, true)])
    func plainFilesReadTheSame(magic: UInt32, bigEndian: Bool) throws {
        var generator = SystemRandomNumberGenerator()
        // About 3.5 MB: the 1 MiB buffer is refilled with records cut across its end.
        let records = randomRecords(5_000, maxLength: 1_400, using: &generator)
        try expectSameAsLibpcap(classicPcap(magic: magic, bigEndian: bigEndian, records: records),
                                name: "plain-\(String(magic, radix: 16))-\(bigEndian).pcap")
    }

    @Test func oddFieldsReadTheSame() throws {
        let odd = [
            RawRecord(seconds: 0x8000_0001, fraction: 0xFFFF_FFFF, captured: 4, original: 2, data: [1, 2, 3, 4]),   // "negative" time, caplen > len
            RawRecord(seconds: 0, fraction: 2_000_000, captured: 0, original: 0, data: []),
            RawRecord(seconds: 0xFFFF_FFFF, fraction: 999_999, captured: 1, original: 1_000_000, data: [9]),
        ]
        // Times libpcap reads as signed or unsigned depending on byte order and precision
        // (FuzzSavefile found a nanosecond fraction of 3,140,788,128 read as negative).
        let times: [(UInt32, UInt32)] = [(0x8000_0001, 5), (0xFFFF_FFFF, 0), (7, 0xFFFF_FFFF), (7, 3_140_788_128),
                                         (7, 1_000_000_000), (7, 999_999_999), (7, 1_000_000), (7, 999_999), (0x7FFF_FFFF, 0)]
        var timed = odd
        for (index, (seconds, fraction)) in times.enumerated() {
            timed.append(RawRecord(seconds: seconds, fraction: fraction, captured: 2, original: 2, data: [UInt8(index), 1]))
            timed.append(RawRecord(seconds: 9, fraction: 9, captured: 1, original: 1, data: [UInt8(index)]))
        }
        for magic: UInt32 in [0xA1B2_C3D4, 0xA1B2_3C4D] {
            for bigEndian in [false, true] {
                try expectSameAsLibpcap(classicPcap(magic: magic, bigEndian: bigEndian, records: odd),
                                        name: "odd-\(String(magic, radix: 16))-\(bigEndian).pcap")
                for cut in 0..<timed.count {
                    try expectSameAsLibpcap(classicPcap(magic: magic, bigEndian: bigEndian, records: Array(timed[cut...])),
                                            name: "times-\(String(magic, radix: 16))-\(bigEndian)-\(cut).pcap")
                }
            }
        }
    }

    @Test func recordsPastTheSnapshotLengthAreLibpcapsToJudge() throws {
        var generator = SystemRandomNumberGenerator()
        var records = randomRecords(20, maxLength: 90, using: &generator)
        let long = (0..<200).map { UInt8($0 & 0xFF) }
        records.insert(RawRecord(seconds: 5, fraction: 5, captured: 200, original: 200, data: long), at: 10)
        try expectSameAsLibpcap(classicPcap(snapshotLength: 100, records: records), name: "over-snaplen.pcap")
        var huge = randomRecords(3, maxLength: 50, using: &generator)
        huge.append(RawRecord(seconds: 1, fraction: 1, captured: 0x7FFF_FFFF, original: 0x7FFF_FFFF, data: [1, 2, 3]))
        try expectSameAsLibpcap(classicPcap(records: huge), name: "huge-caplen.pcap")
        // A header snapshot length libpcap does not accept as is (0, or beyond its maximum).
        for snapshot: UInt32 in [0, 0xFFFF_FFFF, 65_535] {
            try expectSameAsLibpcap(classicPcap(snapshotLength: snapshot, records: randomRecords(30, maxLength: 70_000, using: &generator)),
                                    name: "snaplen-\(snapshot).pcap")
        }
    }

    @Test func olderVersionsKeepLibpcapsLengthSwap() throws {
        // Before 2.3 libpcap swaps captured and original lengths; in 2.3 when captured > original
        // (FuzzSavefile found a 2.0 file read differently).
        var generator = SystemRandomNumberGenerator()
        var records = randomRecords(12, maxLength: 80, using: &generator)
        records.append(RawRecord(seconds: 3, fraction: 3, captured: 10, original: 4, data: Array(repeating: 7, count: 10)))
        for version: (UInt16, UInt16) in [(2, 0), (2, 2), (2, 3), (2, 4), (2, 5), (1, 4), (3, 4)] {
            for bigEndian in [false, true] {
                try expectSameAsLibpcap(classicPcap(bigEndian: bigEndian, version: version, records: records),
                                        name: "version-\(version.0).\(version.1)-\(bigEndian).pcap")
            }
        }
    }

    @Test func everyCutEndsAsLibpcapEndsIt() throws {
        var generator = SystemRandomNumberGenerator()
        let whole = classicPcap(records: randomRecords(6, maxLength: 60, using: &generator))
        for length in 0...whole.count {
            try expectSameAsLibpcap(Array(whole.prefix(length)), name: "cut-\(length).pcap")
        }
    }

    @Test func offsetsAdvanceRecordByRecord() throws {
        var generator = SystemRandomNumberGenerator()
        let records = randomRecords(100, maxLength: 500, using: &generator)
        let url = try temporaryFile(named: "offsets.pcap", bytes: classicPcap(records: records))
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try PcapHandle.openOffline(path: url.path)
        var expected = Int64(24)
        for record in records {
            guard case .packet = handle.next() else { Issue.record("record missing"); return }
            expected += 16 + Int64(record.captured)
            #expect(handle.fileOffset == expected)
        }
        guard case .end = handle.next() else { Issue.record("no end"); return }
    }

    /// Blocks far smaller than records: headers and data cut at every place by a block's end,
    /// records spanning many blocks, and the file's end on a block boundary or inside a record.
    @Test(arguments: [1, 3, 15, 16, 17, 64, 1_000, 4_096])
    func recordsAcrossBlocksReadTheSame(blockSize: Int) throws {
        var generator = SystemRandomNumberGenerator()
        let records = randomRecords(150, maxLength: 300, using: &generator)
        try expectSameAsLibpcap(classicPcap(records: records), name: "blocks-\(blockSize).pcap", blockSize: blockSize)
        // The offset after each record is where the next one starts, whichever block it is in.
        let url = try temporaryFile(named: "blocks-offsets-\(blockSize).pcap", bytes: classicPcap(records: records))
        defer { try? FileManager.default.removeItem(at: url) }
        var expected: [Int64] = []
        var offset = Int64(24)
        for record in records {
            offset += 16 + Int64(record.captured)
            expected.append(offset)
        }
        #expect(readAll(url, direct: true, blockSize: blockSize).offsets == expected)
        try expectSameAsLibpcap(classicPcap(magic: 0xA1B2_3C4D, bigEndian: true, records: records),
                                name: "blocks-nano-\(blockSize).pcap", blockSize: blockSize)
        let small = classicPcap(records: randomRecords(5, maxLength: 40, using: &generator))
        for length in 0...small.count {
            try expectSameAsLibpcap(Array(small.prefix(length)), name: "blocks-\(blockSize)-cut-\(length).pcap", blockSize: blockSize)
        }
        // A record past the snapshot length after a few that cross blocks: libpcap takes over there.
        var over = randomRecords(8, maxLength: 90, using: &generator)
        over.append(RawRecord(seconds: 5, fraction: 5, captured: 120, original: 120, data: Array(repeating: 3, count: 120)))
        try expectSameAsLibpcap(classicPcap(snapshotLength: 100, records: over), name: "blocks-\(blockSize)-over.pcap", blockSize: blockSize)
    }

    /// Another thread reading blocks ahead of the reader (`readBlockAhead`, as the HTTP thread
    /// does while it waits) changes nothing the reader yields: the records, their bytes and the
    /// ending are libpcap's, with records across blocks, cut files and a hand-over to libpcap
    /// (a record past the snapshot length) while that thread is still reading.
    @Test(arguments: [(blockSize: 64, slots: 5), (blockSize: 1_000, slots: 8), (blockSize: 4_096, slots: 16)])
    func blocksReadAheadByAnotherThreadReadTheSame(blockSize: Int, slots: Int) throws {
        var generator = SystemRandomNumberGenerator()
        var files: [(String, [UInt8])] = []
        let records = randomRecords(400, maxLength: 900, using: &generator)
        let whole = classicPcap(records: records)
        files.append(("ahead-whole", whole))
        for cut in [whole.count - 1, whole.count - 17, whole.count / 2 + 5] { files.append(("ahead-cut-\(cut)", Array(whole.prefix(cut)))) }
        var over = records.prefix(200).map { $0 }
        over.append(RawRecord(seconds: 5, fraction: 5, captured: 1_200, original: 1_200, data: Array(repeating: 3, count: 1_200)))
        over += records.suffix(50)
        files.append(("ahead-over", classicPcap(snapshotLength: 1_000, records: over)))
        var readAhead = 0
        for (name, bytes) in files {
            let url = try temporaryFile(named: "\(name)-\(blockSize).pcap", bytes: bytes)
            defer { try? FileManager.default.removeItem(at: url) }
            let ahead = try readWithAnotherThreadAhead(url, blockSize: blockSize, slots: slots)
            let theirs = readAll(url, direct: false)
            #expect(ahead.outcome.records == theirs.records, "\(name)")
            #expect(ahead.outcome.data == theirs.data, "\(name)")
            #expect(ahead.outcome.ending == theirs.ending, "\(name)")
            readAhead += ahead.blocksReadAhead
        }
        // The other thread did read: the reader waits a little at every block for it to start.
        #expect(readAhead > 0)
    }

    /// Reads `url` as the two-thread pipeline does: records lent from a ring of `slots` blocks,
    /// while a second thread reads blocks ahead up to the slot of the block the reader is in.
    func readWithAnotherThreadAhead(_ url: URL, blockSize: Int, slots: Int) throws -> (outcome: ReadOutcome, blocksReadAhead: Int) {
        let handle = try PcapHandle.openOffline(path: url.path, directReadBlockSize: blockSize, directReadAhead: false,
                                                directLendingSlots: slots)
        // Each record is copied at once, so only the reader's own block is in use; nothing else
        // borrows, so the reader's own reuse of a slot needs no wait.
        #expect(handle.lendRecordBytes(beforeReuse: { _ in }) != nil)
        final class Shared: Sendable {
            let oldestInUse = Atomic<Int>(0)
            let done = Atomic<Bool>(false)
        }
        let shared = Shared()
        nonisolated(unsafe) let lending = handle
        let reading = Thread {
            while !shared.done.load(ordering: .acquiring) {
                if !lending.readBlockAhead(below: shared.oldestInUse.load(ordering: .acquiring) + slots - 1) { sched_yield() }
            }
        }
        reading.start()
        var outcome = ReadOutcome()
        var block = -1
        loop: while true {
            // A moment at the start of every block, so the other thread gets to read some of them.
            if handle.blockNumber != block {
                block = handle.blockNumber
                usleep(50)
            }
            switch handle.next() {
            case .packet(let record):
                shared.oldestInUse.store(max(0, handle.blockNumber), ordering: .releasing)
                outcome.records.append([record.time, Int64(record.capturedLength), Int64(record.originalLength)])
                outcome.data.append(Array(record.bytes))
            case .end: outcome.ending = "end"; break loop
            case .timeout: outcome.ending = "timeout"; break loop
            case .failed(let error): outcome.ending = "failed: \(error.message)"; break loop
            }
        }
        shared.done.store(true, ordering: .releasing)
        while !reading.isFinished { usleep(100) }
        return (outcome, handle.blocksReadAhead)
    }
}
