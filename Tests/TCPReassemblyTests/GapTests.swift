// Holes that never fill: ACK past the hole, timeout, budget, FIN, end of input, snaplen.

import PacketWire
import Testing
@testable import TCPReassembly

@Suite struct GapTests {
    typealias Gap = StreamRecorder.Gap

    /// Handshake, then the server sends "0123" and "89ab" with "4567" never captured.
    func holeSetup(limits: ReassemblyLimits = .default) -> (Harness, Flow) {
        var h = Harness(limits: limits)
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.serverToClient, at: 0, "0123", in: &h)
        flow.send(.serverToClient, at: 8, "89ab", in: &h)
        return (h, flow)
    }

    @Test func peerAcknowledgingPastTheHoleDeclaresItAfterTheReorderGrace() {
        var (h, flow) = holeSetup(limits: ReassemblyLimits(reorderGracePackets: 3))
        flow.send(.clientToServer, at: 0, "", ack: 12, flags: [.ack], in: &h)
        #expect(h.recorder.gaps.isEmpty)   // the missing segment may still be just reordered
        flow.send(.clientToServer, at: 0, "", ack: 12, flags: [.ack], in: &h)
        flow.send(.serverToClient, at: 12, "cd", ack: 0, in: &h)
        #expect(h.recorder.gaps.isEmpty)
        flow.send(.clientToServer, at: 0, "", ack: 14, flags: [.ack], in: &h)
        #expect(h.recorder.gaps == [Gap(stream: 0, direction: .serverToClient, offset: 4, length: 4,
                                        reason: .acknowledgedPastHole)])
        #expect(h.recorder.text(0, .serverToClient) == "012389abcd")
        #expect(h.statistics.acknowledgedGaps == 1 && h.statistics.gapBytes == 4)
        #expect(h.recorder.problems.isEmpty)
    }

    @Test func withoutGraceTheAcknowledgmentDeclaresTheGapAtOnce() {
        var (h, flow) = holeSetup(limits: ReassemblyLimits(reorderGracePackets: 0))
        flow.send(.clientToServer, at: 0, "", ack: 10, flags: [.ack], in: &h)
        #expect(h.recorder.gaps == [Gap(stream: 0, direction: .serverToClient, offset: 4, length: 4,
                                        reason: .acknowledgedPastHole)])
        #expect(h.recorder.text(0, .serverToClient) == "012389ab")
    }

    @Test func acknowledgedTailWithNothingHeldIsAGapToo() {
        var h = Harness(limits: ReassemblyLimits(reorderGracePackets: 0))
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.serverToClient, at: 0, "head", in: &h)
        flow.send(.clientToServer, at: 0, "", ack: 10, flags: [.ack], in: &h)
        flow.send(.serverToClient, at: 10, "next", in: &h)
        #expect(h.recorder.gaps == [Gap(stream: 0, direction: .serverToClient, offset: 4, length: 6,
                                        reason: .acknowledgedPastHole)])
        #expect(h.recorder.text(0, .serverToClient) == "headnext")
    }

    @Test func dataArrivingWithinTheGraceFillsTheHoleWithoutAGap() {
        var (h, flow) = holeSetup(limits: ReassemblyLimits(reorderGracePackets: 3))
        flow.send(.clientToServer, at: 0, "", ack: 12, flags: [.ack], in: &h)
        flow.send(.clientToServer, at: 0, "", ack: 12, flags: [.ack], in: &h)
        flow.send(.serverToClient, at: 4, "4567", in: &h)
        flow.send(.clientToServer, at: 0, "", ack: 12, flags: [.ack], in: &h)
        flow.send(.clientToServer, at: 0, "", ack: 12, flags: [.ack], in: &h)
        #expect(h.recorder.gaps.isEmpty)
        #expect(h.recorder.text(0, .serverToClient) == "0123456789ab")
    }

    @Test func graceCountsPacketsOfOtherConnectionsToo() {
        var (h, flow) = holeSetup(limits: ReassemblyLimits(reorderGracePackets: 2))
        let other = Flow(client: FlowEndpoint(address: IPAddress(ipv4: 0x0A00_0009), port: 41_000))
        flow.send(.clientToServer, at: 0, "", ack: 12, flags: [.ack], in: &h)
        other.send(.clientToServer, at: 0, "x", in: &h)
        #expect(h.recorder.gaps.isEmpty)
        other.send(.clientToServer, at: 1, "y", in: &h)
        #expect(h.recorder.gaps == [Gap(stream: 0, direction: .serverToClient, offset: 4, length: 4,
                                        reason: .acknowledgedPastHole)])
        #expect(h.recorder.text(0, .serverToClient) == "012389ab")
    }

    @Test func holdTimeoutDeclaresTheGap() {
        var (h, _) = holeSetup(limits: ReassemblyLimits(holdTimeout: 1_000_000_000))
        h.advance(by: 500_000_000)
        #expect(h.recorder.gaps.isEmpty)
        h.advance(by: 600_000_000)
        #expect(h.recorder.gaps == [Gap(stream: 0, direction: .serverToClient, offset: 4, length: 4, reason: .holdTimeout)])
        #expect(h.recorder.text(0, .serverToClient) == "012389ab")
        #expect(h.statistics.holdTimeoutGaps == 1 && h.statistics.bufferedBytes == 0)
    }

    @Test func secondHoleWaitsItsOwnTimeout() {
        var (h, flow) = holeSetup(limits: ReassemblyLimits(holdTimeout: 1_000_000_000))
        flow.send(.serverToClient, at: 16, "ghij", in: &h)
        h.advance(by: 1_100_000_000)
        #expect(h.recorder.gaps.count == 1)
        #expect(h.recorder.text(0, .serverToClient) == "012389ab")
        h.advance(by: 1_100_000_000)
        #expect(h.recorder.gaps.last == Gap(stream: 0, direction: .serverToClient, offset: 12, length: 4, reason: .holdTimeout))
        #expect(h.recorder.text(0, .serverToClient) == "012389abghij")
    }

    @Test func perDirectionBudgetForcesTheFirstHole() {
        let limits = ReassemblyLimits(maxBufferedBytesPerDirection: 100, chunkOverhead: 0)
        var h = Harness(limits: limits)
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.serverToClient, at: 0, "start", in: &h)
        let block = String(repeating: "x", count: 60)
        flow.send(.serverToClient, at: 10, block, in: &h)         // 60 held
        #expect(h.recorder.gaps.isEmpty)
        flow.send(.serverToClient, at: 80, block, in: &h)         // 120 would exceed 100
        #expect(h.recorder.gaps == [Gap(stream: 0, direction: .serverToClient, offset: 5, length: 5, reason: .holdBudget)])
        #expect(h.recorder.text(0, .serverToClient) == "start" + block)
        #expect(h.statistics.bufferedBytes == 60 && h.statistics.peakBufferedBytes <= 100)
        #expect(h.statistics.bufferCapGaps == 1)
        #expect(h.recorder.problems.isEmpty)
    }

    /// A segment that spans several holes between held chunks is held as several pieces, each with its
    /// overhead; the budget must count them all (FuzzReassembly found the total 44 bytes over).
    @Test func aSegmentSpanningSeveralHolesIsChargedPerPiece() {
        let limits = ReassemblyLimits(maxBufferedBytes: 300, maxBufferedBytesPerDirection: 300, chunkOverhead: 64)
        var h = Harness(limits: limits)
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.serverToClient, at: 0, "s", in: &h)
        flow.send(.serverToClient, at: 20, String(repeating: "a", count: 10), in: &h)   // held: 74
        flow.send(.serverToClient, at: 40, String(repeating: "b", count: 10), in: &h)   // held: 148
        #expect(h.statistics.bufferedBytes == 148)
        // [10, 60) would add three pieces (10 + 10 + 10 bytes, 3 × 64 overhead): 370 in all, over 300.
        flow.send(.serverToClient, at: 10, String(repeating: "c", count: 50), in: &h)
        #expect(h.statistics.peakBufferedBytes <= 300)
        #expect(h.recorder.gaps == [Gap(stream: 0, direction: .serverToClient, offset: 1, length: 9, reason: .holdBudget)])
        #expect(h.recorder.text(0, .serverToClient) == "s" + String(repeating: "c", count: 10) + String(repeating: "a", count: 10)
                + String(repeating: "c", count: 10) + String(repeating: "b", count: 10) + String(repeating: "c", count: 10))
        #expect(h.statistics.bufferedBytes == 0 && h.recorder.problems.isEmpty)
    }

    @Test func globalBudgetBoundsAllConnections() {
        let limits = ReassemblyLimits(maxBufferedBytes: 1_000, maxBufferedBytesPerDirection: 1_000, chunkOverhead: 0)
        var h = Harness(limits: limits)
        for index in 0..<20 {
            let flow = Flow(client: FlowEndpoint(address: IPAddress(ipv4: 0x0D00_0000 + UInt32(index)), port: 40_000))
            flow.send(.clientToServer, at: 0, "s", in: &h)
            flow.send(.clientToServer, at: 2, String(repeating: "y", count: 100), in: &h)
            #expect(h.statistics.bufferedBytes <= 1_000)
        }
        #expect(h.statistics.peakBufferedBytes <= 1_000 && h.statistics.bufferCapGaps == 10)
        h.finish()
        #expect(h.statistics.bufferedBytes == 0)
        #expect((0..<20).allSatisfy { h.recorder.data($0, .clientToServer).count == 101 })
        #expect(h.recorder.problems.isEmpty)
    }

    @Test func floodOfTinyEarlySegmentsStaysWithinTheBudget() {
        var h = Harness()
        h.recorder.keepsBytes = false
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.clientToServer, at: 0, "a", in: &h)
        // One byte every other offset, never filling a hole: each is a separate held chunk.
        for index in 1...12_000 { flow.send(.clientToServer, at: UInt64(2 * index), "b", in: &h) }
        let limits = ReassemblyLimits.default
        #expect(h.statistics.peakBufferedBytes <= limits.maxBufferedBytesPerDirection)
        #expect(h.statistics.bufferCapGaps > 3_000)
        h.finish()
        #expect(h.statistics.gaps == 12_000 && h.statistics.deliveredBytes == 12_001)
        #expect(h.statistics.bufferedBytes == 0 && h.recorder.problems.isEmpty)
    }

    @Test func holesAreDeclaredWhenBothSidesHaveSentFin() {
        var (h, flow) = holeSetup(limits: ReassemblyLimits(reorderGracePackets: 3))
        flow.send(.serverToClient, at: 12, "", flags: [.ack, .fin], in: &h)
        #expect(h.recorder.closeReason(0, .serverToClient) == nil)
        flow.send(.clientToServer, at: 0, "", ack: 4, flags: [.ack, .fin], in: &h)
        for _ in 0..<3 { flow.send(.clientToServer, at: 1, "", ack: 4, flags: [.ack], in: &h) }
        #expect(h.recorder.gaps == [Gap(stream: 0, direction: .serverToClient, offset: 4, length: 4, reason: .closed)])
        #expect(h.recorder.text(0, .serverToClient) == "012389ab")
        #expect(h.recorder.closeReason(0, .serverToClient) == .fin)
        #expect(h.recorder.closed.count == 1 && h.recorder.closed[0].reason == .fin)
        #expect(h.recorder.problems.isEmpty)
    }

    @Test func endOfInputDeclaresRemainingHoles() {
        var (h, _) = holeSetup()
        h.finish()
        #expect(h.recorder.gaps == [Gap(stream: 0, direction: .serverToClient, offset: 4, length: 4, reason: .endOfInput)])
        #expect(h.recorder.text(0, .serverToClient) == "012389ab")
        #expect(h.recorder.closeReason(0, .serverToClient) == .endOfInput)
        #expect(h.recorder.closed.first?.reason == .endOfInput)
        #expect(h.statistics.bufferedBytes == 0)
    }

    @Test func snaplenTruncatedSegmentsDeliverThePrefixAndAGap() {
        var h = Harness()
        let flow = Flow()
        flow.handshake(in: &h)
        // 10 bytes on the wire, 4 captured; then an early segment also cut short.
        flow.send(.serverToClient, at: 0, "abcd", wireLength: 10, in: &h)
        flow.send(.serverToClient, at: 20, "uv", wireLength: 5, in: &h)
        flow.send(.serverToClient, at: 10, "klmnopqrst", in: &h)
        flow.send(.serverToClient, at: 25, "z", in: &h)
        let r = h.recorder
        #expect(r.text(0, .serverToClient) == "abcdklmnopqrstuvz")
        #expect(r.gaps == [Gap(stream: 0, direction: .serverToClient, offset: 4, length: 6, reason: .snaplenTruncated),
                           Gap(stream: 0, direction: .serverToClient, offset: 22, length: 3, reason: .snaplenTruncated)])
        #expect(h.statistics.snaplenGaps == 2 && r.problems.isEmpty)
    }
}
