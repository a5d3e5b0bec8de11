// The pipeline on two threads prints what it prints on one: every committed, reference and peer
// capture, in the main output modes, with the default hand-over and with batches of a few events.

import Capture
import Foundation
import GatewatchCore
import Glibc
import PacketWire
import Testing

@Suite struct TwoThreadTests {
    /// The option sets compared: lines, 502s with frame views, JSON with the summary, relative times with the report.
    static var optionSets: [(name: String, options: PipelineOptions)] {
        var lines = PipelineOptions()
        lines.secondThread = false
        var views = lines
        views.statusFilter = StatusFilter("502")
        views.verbose = true
        views.hexDump = true
        var json = lines
        json.json = true
        json.summary = true
        var relative = lines
        relative.timeDisplay = .sinceFirst
        relative.report = true
        relative.summary = true
        return [("lines", lines), ("502 -V -X", views), ("json summary", json), ("-ttttt report", relative)]
    }

    /// Everything a run shows: its lines, then its summary and end-of-run statistics. `ring`
    /// opens the file as the CLI does for two threads on two processors: no read-ahead thread,
    /// blocks of that size in a ring of that many, so that records are lent across in place.
    static func run(_ path: String, _ options: PipelineOptions,
                    ring: (blockSize: Int, slots: Int)? = nil)
        throws -> (text: String, secondThread: Bool, lentBytes: Int, blocksReadAhead: Int) {
        let handle = try ring.map {
            try PcapHandle.openOffline(path: path, directReadBlockSize: $0.blockSize, directReadAhead: false, directLendingSlots: $0.slots)
        } ?? PcapHandle.openOffline(path: path)
        let writer = OutputWriter(capturingWithColor: false)
        let pipeline = Pipeline(options: options, writer: writer, dataLinkType: handle.dataLinkType)
        let outcome = pipeline.run(handle)
        var text = writer.captured ?? ""
        if options.summary { text += SummaryText.lines(outcome).joined(separator: "\n") + "\n" }
        text += StatisticsText.lines(outcome).joined(separator: "\n") + "\n"
        if let error = outcome.readError { text += "read error: \(error.message)\n" }
        return (text, outcome.usedSecondThread, outcome.lentBytes, outcome.blocksReadAhead)
    }

    static var twoProcessors: Bool { sysconf(Int32(_SC_NPROCESSORS_ONLN)) >= 2 }

    @Test func twoThreadsPrintWhatOnePrints() throws {
        let files = SegmentDecoderCaptureTests.files
        #expect(files.count >= 5)
        var problems: [String] = []
        var compared = 0
        for url in files {
            // A link type Gatewatch does not decode stays on one thread (the packet loop warns of it).
            let undecodedLink = (try? PcapHandle.openOffline(path: url.path)).map {
                if case .other = LinkType(dlt: $0.dataLinkType) { return true } else { return false }
            } ?? false
            for (name, single) in Self.optionSets {
                guard let one = try? Self.run(url.path, single) else { continue }
                #expect(!one.secondThread)
                var split = single
                split.secondThread = true
                var tiny = split
                tiny.handOver = .init(events: 3, bytes: 40)
                // Every body not looked at crosses by count alone, from its first segment on.
                var elided = split
                elided.handOver = .init(events: 5, bytes: 200, elidedBodies: 1)
                for (variant, options) in [("default batches", split), ("tiny batches", tiny), ("bodies elided", elided)] {
                    let two = try Self.run(url.path, options)
                    compared += 1
                    if two.secondThread != (Self.twoProcessors && !undecodedLink) { problems.append("\(url.lastPathComponent) [\(name)]: second thread \(two.secondThread)") }
                    if two.text != one.text, problems.count < 10 {
                        problems.append("\(url.lastPathComponent) [\(name), \(variant)]: output differs")
                    }
                }
            }
        }
        #expect(compared >= 60)
        #expect(problems.isEmpty, "\(problems)")
    }

    /// Records lent across in place print what copied ones print, also when the reader's ring is
    /// small enough to come round to a slot while batches that lent from it are still queued (it
    /// must wait for them): blocks smaller than many records, so that records are joined across
    /// blocks too, and batches handed over after one or two blocks.
    /// The HTTP thread also reads blocks into the ring while it waits for a batch (`IdleReadAhead`):
    /// the output is the same whoever read a block, and it does read some.
    @Test func lentRecordsPrintWhatCopiedOnesPrint() throws {
        let files = SegmentDecoderCaptureTests.files
        var problems: [String] = []
        var lent = 0
        var readAhead = 0
        for url in files {
            for (name, single) in Self.optionSets.prefix(2) {
                guard let one = try? Self.run(url.path, single) else { continue }
                var split = single
                split.secondThread = true
                var small = split
                small.handOver.lentBlocks = 1
                var tiny = split
                tiny.handOver = .init(events: 3, bytes: 40)
                tiny.handOver.lentBlocks = 2
                var roomy = split
                roomy.handOver.lentBlocks = 2
                let variants: [(String, PipelineOptions, (blockSize: Int, slots: Int))] = [
                    ("1,500-byte blocks, 3 slots", small, (1_500, 3)),
                    ("4 KiB blocks, 4 slots, tiny batches", tiny, (4_096, 4)),
                    ("4 KiB blocks, 16 slots", roomy, (4_096, 16)),
                    ("the CLI's ring", split, (256 << 10, 32)),
                ]
                for (variant, options, ring) in variants {
                    let two = try Self.run(url.path, options, ring: ring)
                    lent += two.lentBytes
                    readAhead += two.blocksReadAhead
                    if two.text != one.text, problems.count < 10 { problems.append("\(url.lastPathComponent) [\(name), \(variant)]: output differs") }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems)")
        if Self.twoProcessors {
            #expect(lent > 1_000_000)
            #expect(readAhead > 0)
        }
    }

    /// Long bodies whose segments cross by count alone, joined (`ElidedBody`): cut by a reset, a
    /// FIN, a lost segment or the end of the capture, with the client's next request arriving
    /// mid-body, their last bytes lost (the gap must come after the joined segments, or the body
    /// would swallow the next response), and one after the other on a kept-alive connection. Every line, JSON record and
    /// count is what one thread prints.
    @Test func joinedBodySegmentsPrintWhatOneThreadPrints() throws {
        func exchange(_ name: String, _ shape: (inout PcapBuilder, [UInt8]) -> Void) -> (String, PcapBuilder) {
            var capture = PcapBuilder()
            capture.handshake()
            capture.send(.client, "GET /big HTTP/1.1\r\nHost: files.example\r\n\r\n")
            capture.send(.server, "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 300000\r\n\r\n")
            shape(&capture, Array(repeating: UInt8(ascii: "x"), count: 1_400))
            return (name, capture)
        }
        let captures = [
            exchange("reset mid-body") { capture, piece in
                for _ in 0..<120 { capture.send(.server, piece) }
                capture.reset(.server)
            },
            exchange("FIN mid-body") { capture, piece in
                for _ in 0..<100 { capture.send(.server, piece) }
                capture.fin(.server)
                capture.fin(.client)
            },
            exchange("lost segment, request mid-body") { capture, piece in
                for index in 0..<150 {
                    if index == 70 { capture.lose(.server, String(repeating: "x", count: 1_400)) } else { capture.send(.server, piece) }
                    if index == 90 { capture.send(.client, "GET /next HTTP/1.1\r\nHost: files.example\r\n\r\n") }
                }
            },
            exchange("lost end of body") { capture, piece in
                for _ in 0..<200 { capture.send(.server, piece) }
                // The gap runs past the body's end into the next response's status line.
                capture.lose(.server, String(repeating: "x", count: 20_000) + "HTTP/1.1 204 No Content\r\n")
                capture.send(.server, "Server: nginx\r\n\r\nHTTP/1.1 204 No Content\r\nServer: nginx\r\n\r\n")
                capture.fin(.client)
                capture.fin(.server)
            },
            exchange("end of capture mid-body") { capture, piece in
                for _ in 0..<80 { capture.send(.server, piece) }
            },
            exchange("two bodies kept alive") { capture, piece in
                let whole = 300_000 / piece.count
                for _ in 0..<whole { capture.send(.server, piece) }
                capture.send(.server, Array(piece.prefix(300_000 - whole * piece.count)))
                capture.send(.client, "GET /big2 HTTP/1.1\r\nHost: files.example\r\n\r\n")
                capture.send(.server, "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 200000\r\n\r\n")
                for _ in 0..<60 { capture.send(.server, piece) }
                capture.fin(.client)
            },
        ]
        var problems: [String] = []
        for (name, capture) in captures {
            let url = try capture.write(named: "joined-\(name.replacingOccurrences(of: " ", with: "-")).pcap")
            defer { try? FileManager.default.removeItem(at: url) }
            for (mode, single) in Self.optionSets {
                let one = try Self.run(url.path, single)
                var split = single
                split.secondThread = true
                var tiny = split
                tiny.handOver = .init(events: 3, bytes: 40)
                var early = split
                early.handOver = .init(events: 5, bytes: 200, elidedBodies: 1)
                for (variant, options) in [("default", split), ("tiny batches", tiny), ("elided from the first byte", early)] {
                    let two = try Self.run(url.path, options, ring: (blockSize: 4_096, slots: 16))
                    if two.text != one.text { problems.append("\(name) [\(mode), \(variant)]") }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems)")
    }

    /// The fuzzer's path: the same batches replayed on the packet loop's thread.
    @Test func replayOnOneThreadPrintsWhatDirectCallsPrint() throws {
        let files = SegmentDecoderCaptureTests.files
        var problems: [String] = []
        for url in files {
            let handle = try PcapHandle.openOffline(path: url.path)
            var frames: [(time: Int64, bytes: [UInt8])] = []
            reading: while frames.count < 20_000 {
                switch handle.next() {
                case .packet(let record): frames.append((record.time, Array(record.bytes)))
                default: break reading
                }
            }
            for (name, options) in Self.optionSets.prefix(2) {
                for handOver in [PipelineOptions.HandOver(), .init(events: 1, bytes: 1), .init(events: 2, bytes: 64, elidedBodies: 1)] {
                    var recorded = options
                    recorded.handOver = handOver
                    let direct = OutputWriter(capturingWithColor: false)
                    let directPipeline = Pipeline(options: options, writer: direct, dataLinkType: handle.dataLinkType)
                    for frame in frames { frame.bytes.withUnsafeBytes { directPipeline.process(time: frame.time, bytes: $0) } }
                    directPipeline.finish()
                    let replayed = OutputWriter(capturingWithColor: false)
                    let replayPipeline = Pipeline(options: recorded, writer: replayed, dataLinkType: handle.dataLinkType)
                    replayPipeline.processRecorded(frames)
                    if direct.captured != replayed.captured || directPipeline.statistics.responses != replayPipeline.statistics.responses
                        || directPipeline.statistics.packets != replayPipeline.statistics.packets, problems.count < 10 {
                        problems.append("\(url.lastPathComponent) [\(name), \(handOver.events) events]")
                    }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems)")
    }

    /// `-c N` stops the packet loop; the second thread finishes what was handed to it.
    @Test func packetLimitStopsBothPathsAtTheSameFrame() throws {
        guard let url = SegmentDecoderCaptureTests.files.first(where: { $0.lastPathComponent.hasPrefix("nginx") })
            ?? SegmentDecoderCaptureTests.files.first else { return }
        var whole = PipelineOptions()
        whole.secondThread = false
        let total = try Self.run(url.path, whole).text
        for limit in [1, 7, 50] {
            var single = PipelineOptions()
            single.secondThread = false
            single.packetLimit = limit
            var split = single
            split.secondThread = true
            split.handOver = .init(events: 2, bytes: 100)
            let one = try Self.run(url.path, single)
            let two = try Self.run(url.path, split)
            #expect(one.text == two.text)
            let expected = one.text.contains("packets: \(limit) (") || (limit == 50 && one.text == total)
            #expect(expected, "\(one.text)")
        }
    }

    /// Which runs split, and when the read-ahead thread is left out (two processors, both taken).
    @Test func theSplitAndTheReadAheadAreDecidedByTheOptions() {
        var plain = PipelineOptions()
        #expect(Pipeline.mayUseSecondThread(plain, writesMatching: false) == Self.twoProcessors)
        #expect(!Pipeline.mayUseSecondThread(plain, writesMatching: true))
        var frames = plain
        frames.everyFrame = true
        #expect(!Pipeline.mayUseSecondThread(frames, writesMatching: false))
        #expect(Pipeline.readAheadPays(frames, writesMatching: false))
        var follow = plain
        follow.follow = FollowTarget("0")
        #expect(!Pipeline.mayUseSecondThread(follow, writesMatching: false))
        plain.secondThread = false
        #expect(!Pipeline.mayUseSecondThread(plain, writesMatching: false))
        #expect(Pipeline.readAheadPays(plain, writesMatching: false))
        plain.secondThread = true
        let processors = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        #expect(Pipeline.readAheadPays(plain, writesMatching: false) == (processors < 2 || processors >= 3))
        // The ring for lending: exactly when the HTTP side has the second of two processors, and
        // always with more slots than a batch may lend from, plus one.
        let reading = Pipeline.savefileReading(plain, writesMatching: false)
        #expect((reading.lendingSlots > 1) == (processors == 2))
        #expect(reading.readAhead == Pipeline.readAheadPays(plain, writesMatching: false))
        if reading.lendingSlots > 1 {
            #expect(reading.lendingSlots > plain.handOver.lentBlocks + 1)
            #expect(!reading.readAhead)
        }
        #expect(Pipeline.savefileReading(frames, writesMatching: false).lendingSlots == 1)
        #expect(Pipeline.savefileReading(plain, writesMatching: true).lendingSlots == 1)
    }
}
