// Packets per second through the reassembler; runs only with GATEWATCH_BENCH=1 in a release build:
// GATEWATCH_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter ThroughputBenchmark

import Foundation
import PacketWire
import Testing
import TCPReassembly

/// Sums what it is given, so the optimiser cannot drop the work.
struct CountingHandler: TCPStreamHandler {
    var bytes: UInt64 = 0, gaps: UInt64 = 0, opened = 0, closed = 0
    mutating func connectionOpened(_ info: ConnectionInfo) { opened += 1 }
    mutating func streamData(_ data: Span<UInt8>, stream: Int, direction: StreamDirection, offset: UInt64,
                             frame: UInt64, time: Int64) { bytes &+= UInt64(data.count) }
    mutating func streamGap(stream: Int, direction: StreamDirection, offset: UInt64, length: UInt64,
                            reason: GapReason, frame: UInt64, time: Int64) { gaps &+= 1 }
    mutating func directionClosed(stream: Int, direction: StreamDirection, reason: CloseReason,
                                  frame: UInt64, time: Int64) {}
    mutating func connectionClosed(_ info: ConnectionInfo, reason: CloseReason) { closed += 1 }
}

@Suite(.enabled(if: ProcessInfo.processInfo.environment["GATEWATCH_BENCH"] == "1"))
struct ThroughputBenchmark {
    /// A million 1460-byte data segments over `connections` flows (round robin), every `reorderEvery`-th
    /// pair of a flow's segments swapped (0: none).
    /// Best of five runs: the machine is shared, so the minimum is the least disturbed measurement.
    func run(connections: Int, reorderEvery: Int, label: String) {
        var best = Double.infinity
        for _ in 0..<5 { best = min(best, runOnce(connections: connections, reorderEvery: reorderEvery)) }
        print("BENCH \(label): best of 5: \(String(format: "%.2f", 1e-6 / best * 1e9)) M packets/s, "
              + "\(String(format: "%.0f", best)) ns/packet")
    }

    /// One pass; returns nanoseconds per packet.
    func runOnce(connections: Int, reorderEvery: Int) -> Double {
        let segments = 1_000_000
        let payload = [UInt8](repeating: 0x41, count: 1_460)
        let server = FlowEndpoint(address: IPAddress(ipv4: 0x0A00_0002), port: 80)
        var reassembler = TCPReassembler<CountingHandler>()
        var handler = CountingHandler()
        var sent = [UInt32](repeating: 0, count: connections)
        let start = ContinuousClock.now
        var index = 0
        while index < segments {
            let flow = index % connections
            var slot = sent[flow]
            // Swap this segment with the next one of the same flow now and then.
            if reorderEvery > 0 && slot % UInt32(reorderEvery) == 1 { slot += 1 } else if reorderEvery > 0 && slot % UInt32(reorderEvery) == 2 { slot -= 1 }
            sent[flow] += 1
            let client = FlowEndpoint(address: IPAddress(ipv4: 0x0B00_0000 &+ UInt32(flow)), port: 40_000)
            let segment = TCPSegment(source: client, destination: server, sequenceNumber: 1 &+ slot &* 1_460,
                                     acknowledgmentNumber: 1, flags: [.ack], window: 512, payloadWireLength: 1_460,
                                     frame: UInt64(index + 1), time: 1_000_000_000 + Int64(index) * 1_000)
            reassembler.process(segment, payload: payload.span, handler: &handler)
            index += 1
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        reassembler.finish(handler: &handler)
        #expect(handler.bytes == UInt64(segments) * 1_460)
        #expect(reassembler.statistics.gaps == 0)
        return seconds * 1e9 / Double(segments)
    }

    @Test func oneConnectionInOrder() { run(connections: 1, reorderEvery: 0, label: "1 flow, in order") }
    @Test func tenThousandConnectionsInterleaved() { run(connections: 10_000, reorderEvery: 0, label: "10k flows round robin") }
    @Test func oneConnectionFivePercentReordered() { run(connections: 1, reorderEvery: 20, label: "1 flow, 10% swapped") }
    @Test func thousandConnectionsReordered() { run(connections: 1_000, reorderEvery: 20, label: "1k flows, 10% swapped") }
}
