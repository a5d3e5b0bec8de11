// The bounded structures behind --summary and --write-matching, driven directly.

import Capture
import Foundation
@testable import GatewatchCore
import Testing

@Suite("Summary and matching buffers")
struct MatchingBufferTests {
    @Test func histogramBucketsHoldTheirValuesWithinOneSixteenth() {
        var values: [Int64] = Array(0...5000)
        var power: Int64 = 1
        while power < Int64.max / 4 { values += [power - 1, power, power + 1, power * 3]; power *= 2 }
        values.append(Int64.max)
        for value in values {
            let bucket = LatencyHistogram.bucket(of: value)
            let edge = LatencyHistogram.upperEdge(of: bucket)
            #expect(edge >= value, "\(value) above its bucket's edge \(edge)")
            #expect(Double(edge) <= Double(value) * 1.0625 + 1, "\(value): bucket edge \(edge) too far")
            if bucket > 0 { #expect(LatencyHistogram.upperEdge(of: bucket - 1) < value) }
        }
    }

    @Test func histogramPercentilesByNearestRank() {
        var histogram = LatencyHistogram()
        #expect(histogram.percentile(0.5) == nil)
        for value in 1...1000 { histogram.record(Int64(value) * 1_000) }
        histogram.record(-5)   // a reordered clock counts as zero
        #expect(histogram.count == 1001)
        #expect(histogram.maximum == 1_000_000)
        let p50 = histogram.percentile(0.5) ?? 0, p90 = histogram.percentile(0.9) ?? 0, p99 = histogram.percentile(0.99) ?? 0
        #expect(p50 >= 500_000 && Double(p50) <= 500_000 * 1.0625)
        #expect(p90 >= 900_000 && Double(p90) <= 900_000 * 1.0625)
        #expect(p99 >= 990_000 && p99 <= 1_000_000)
        #expect(histogram.percentile(1.0) == 1_000_000)
        #expect(histogram.percentile(0) == 0)
    }

    @Test func urlTableIsCappedAndCountsTheRest() {
        var summary = RunSummary(urlCapacity: 3)
        for index in 0..<5 { summary.noteError(status: 502, diagnosis: nil, method: "GET", uri: "/\(index)") }
        summary.noteError(status: 502, diagnosis: nil, method: "GET", uri: "/0")
        summary.noteError(status: 503, diagnosis: nil, method: "GET", uri: "/x")
        #expect(summary.urls.count == 3)
        #expect(summary.urlOverflow == 2)
        #expect(summary.topURLs().first?.key.uri == "/0" && summary.topURLs().first?.count == 2)
        #expect(summary.errorRows.map(\.count) == [6, 1])
        #expect(summary.errorRows.map(\.key.status) == [502, 503])
    }

    /// Writes synthetic 100-byte packets through a writer with small limits and reads the file back.
    @Test func matchingBufferDropsOldestWithinItsLimitsAndWritesInFrameOrder() throws {
        let source = BinaryRunner.repositoryRoot.appendingPathComponent("Captures/nginx-502-causes.pcap").path
        let handle = try PcapHandle.openOffline(path: source)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gatewatch-buffer-\(getpid()).pcap").path
        defer { unlink(path) }
        let dumper = try handle.openDumper(path: path)
        let writer = MatchingPacketWriter(dumper: dumper, nanosecondPrecision: true, filter: try #require(StatusFilter("5xx")),
                                          byteLimit: 500, connectionByteLimit: 300)
        let payload = [UInt8](repeating: 0xAB, count: 100)
        func send(_ frame: UInt64, stream: Int?) {
            payload.withUnsafeBytes { bytes in
                writer.packet(PacketRecord(time: Int64(frame) * 1_000_000_000, capturedLength: 100, originalLength: 100, bytes: bytes),
                              frame: frame, stream: stream)
            }
        }
        // 100 bytes a packet, 500 in all, 300 per connection. Frame 6 and 7 push the total over 500:
        // the oldest overall (1 of stream 1, then 2 of stream 2) go. Frame 9 puts stream 1 over its
        // own cap: its oldest (3) goes. nil is a packet of no connection: never kept.
        let plan: [(UInt64, Int?)] = [(1, 1), (2, 2), (3, 1), (4, 3), (5, 1), (6, 2), (7, 1), (8, nil), (9, 1)]
        for (frame, stream) in plan { send(frame, stream: stream) }
        #expect(writer.droppedPackets == 3)
        writer.markMatching([1, 2, 9])            // 9 has nothing buffered
        #expect(writer.missingPackets == 3)
        #expect(writer.writtenPackets == 4)       // 5, 6, 7, 9 merged in frame order
        send(10, stream: 1)                       // straight through now
        send(11, stream: 3)                       // still buffered, with 4
        for frame in UInt64(12)...UInt64(14) { send(frame, stream: 4) }
        send(15, stream: 5)                       // over 500 again: stream 3's frame 4 is the oldest kept
        #expect(writer.droppedPackets == 4)
        writer.markMatching([3])
        #expect(writer.missingPackets == 4)
        #expect(writer.writtenPackets == 6)
        writer.finish()
        dumper.close()

        let readBack = try PcapHandle.openOffline(path: path)
        var seconds: [Int64] = []
        reading: while true {
            switch readBack.next() {
            case .packet(let record): seconds.append(record.time / 1_000_000_000)
            default: break reading
            }
        }
        #expect(seconds == [5, 6, 7, 9, 10, 11])
    }
}
