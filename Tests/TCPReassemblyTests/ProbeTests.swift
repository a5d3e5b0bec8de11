// Keep-alives and zero-window probes are never taken as stream data.

import PacketWire
import Testing
@testable import TCPReassembly

@Suite struct ProbeTests {
    @Test(arguments: ["", "\u{0}"])
    func keepAliveIsNotData(garbage: String) {
        var h = Harness()
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.clientToServer, at: 0, "abc", in: &h)
        #expect(flow.send(.clientToServer, at: 2, garbage, flags: [.ack], in: &h).disposition == .keepAlive)
        flow.send(.clientToServer, at: 3, "def", in: &h)
        #expect(h.recorder.text(0, .clientToServer) == "abcdef")
        #expect(h.statistics.keepAlives == 1 && h.recorder.problems.isEmpty)
    }

    @Test func zeroWindowProbeIsNotDataUntilTheStreamMovesOn() {
        var h = Harness()
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.clientToServer, at: 0, "abc", in: &h)
        flow.send(.serverToClient, at: 0, "", ack: 3, flags: [.ack], window: 0, in: &h)
        #expect(flow.send(.clientToServer, at: 3, "d", in: &h).disposition == .zeroWindowProbe)
        #expect(h.recorder.text(0, .clientToServer) == "abc")
        flow.send(.serverToClient, at: 0, "", ack: 3, flags: [.ack], window: 4_096, in: &h)
        #expect(flow.send(.clientToServer, at: 3, "def", in: &h).disposition == .delivered)
        #expect(h.recorder.text(0, .clientToServer) == "abcdef")
        #expect(h.statistics.zeroWindowProbes == 1 && h.recorder.gaps.isEmpty)
    }

    @Test func acceptedProbeByteIsDeliveredWhenTheNextSegmentFollowsIt() {
        var h = Harness()
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.clientToServer, at: 0, "abc", in: &h)
        flow.send(.serverToClient, at: 0, "", ack: 3, flags: [.ack], window: 0, in: &h)
        flow.send(.clientToServer, at: 3, "d", in: &h)
        flow.send(.serverToClient, at: 0, "", ack: 4, flags: [.ack], window: 4_096, in: &h)
        flow.send(.clientToServer, at: 4, "ef", in: &h)
        #expect(h.recorder.text(0, .clientToServer) == "abcdef")
        #expect(h.recorder.gaps.isEmpty && h.recorder.problems.isEmpty)
    }

    @Test func acceptedProbeByteFillsAnAcknowledgedHole() {
        var h = Harness(limits: ReassemblyLimits(reorderGracePackets: 0))
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.clientToServer, at: 0, "abc", in: &h)
        flow.send(.serverToClient, at: 0, "", ack: 3, flags: [.ack], window: 0, in: &h)
        flow.send(.clientToServer, at: 3, "d", in: &h)
        flow.send(.serverToClient, at: 0, "", ack: 6, flags: [.ack], window: 4_096, in: &h)
        #expect(h.recorder.text(0, .clientToServer) == "abcd")
        #expect(h.recorder.gaps == [.init(stream: 0, direction: .clientToServer, offset: 4, length: 2,
                                          reason: .acknowledgedPastHole)])
    }
}
