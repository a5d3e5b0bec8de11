// Connection life: roles, handshake order, half-close, reset, port reuse, numbering, caps, idle expiry.

import PacketWire
import Testing
@testable import TCPReassembly

@Suite struct LifecycleTests {
    @Test func midStreamPickupGuessesRolesAndStartsAtOffsetZero() {
        var h = Harness()
        let flow = Flow()
        // The first packet seen is the server's response; no handshake at all.
        flow.send(.serverToClient, at: 500, "HTTP/1.1 200 OK\r\n", ack: 77, in: &h)
        flow.send(.clientToServer, at: 77, "GET /next HTTP/1.1\r\n", ack: 517, in: &h)
        flow.send(.serverToClient, at: 517, "X", ack: 97, in: &h)
        let r = h.recorder
        #expect(r.opened.count == 1)
        let info = r.opened[0]
        #expect(!info.rolesFromHandshake && info.client == flow.client && info.server == flow.server)
        #expect(r.text(0, .serverToClient) == "HTTP/1.1 200 OK\r\nX")
        #expect(r.text(0, .clientToServer) == "GET /next HTTP/1.1\r\n")
        #expect(r.log.contains("data 0 1 @0 17") && r.log.contains("data 0 0 @0 20"))
        #expect(r.gaps.isEmpty && r.problems.isEmpty, "\(r.gaps) \(r.problems)")
    }

    @Test(arguments: [(UInt16(8080), UInt16(51_000), false), (443, 80, true), (3000, 3000, true), (40_000, 8080, true)])
    func roleGuess(source: UInt16, destination: UInt16, sourceIsClient: Bool) {
        #expect(TCPReassembler<StreamRecorder>.guessSourceIsClient(source, destination) == sourceIsClient)
    }

    @Test func synAckBeforeSynKeepsHandshakeRoles() {
        var h = Harness()
        let flow = Flow()
        #expect(flow.synAck(in: &h).direction == .serverToClient)
        #expect(flow.syn(in: &h).stream == 0)
        flow.send(.clientToServer, at: 0, "", flags: [.ack], in: &h)
        flow.send(.clientToServer, at: 0, "req", in: &h)
        let r = h.recorder
        #expect(r.opened.count == 1 && r.opened[0].rolesFromHandshake)
        #expect(r.opened[0].client == flow.client)
        #expect(r.text(0, .clientToServer) == "req")
        h.finish()
        #expect(h.recorder.closed.first?.info.synFrames == [2])
        #expect(h.recorder.closed.first?.info.synAckFrame == 1)
        #expect(h.recorder.problems.isEmpty)
    }

    @Test func missingSynAckTheClientAckStillAnchorsTheServerStream() {
        var h = Harness()
        let flow = Flow()
        flow.syn(in: &h)
        flow.send(.clientToServer, at: 0, "", ack: 0, flags: [.ack], in: &h)   // acknowledges the unseen SYN/ACK
        flow.send(.clientToServer, at: 0, "req", in: &h)
        flow.send(.serverToClient, at: 5, "world", ack: 3, in: &h)             // reordered ahead of "hello"
        flow.send(.serverToClient, at: 0, "hello", ack: 3, in: &h)
        #expect(h.recorder.text(0, .serverToClient) == "helloworld")
        #expect(h.recorder.gaps.isEmpty && h.recorder.problems.isEmpty)
    }

    @Test func lateSynJoinsTheConnectionItOpened() {
        var h = Harness()
        let flow = Flow()
        flow.send(.clientToServer, at: 0, "", flags: [.ack], in: &h)    // SYN/ACK never captured, SYN late
        flow.send(.clientToServer, at: 0, "GET", in: &h)
        #expect(flow.syn(in: &h).stream == 0)
        flow.send(.clientToServer, at: 3, " /", in: &h)
        #expect(h.recorder.opened.count == 1 && h.statistics.portReuses == 0)
        #expect(h.recorder.text(0, .clientToServer) == "GET /")
        h.finish()
        #expect(h.recorder.closed.first?.info.rolesFromHandshake == true)
        #expect(h.recorder.closed.first?.info.synFrames == [3])
    }

    @Test func finHalfCloseLetsTheOtherDirectionContinue() {
        var h = Harness()
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.clientToServer, at: 0, "req", flags: [.ack, .psh, .fin], in: &h)
        #expect(h.recorder.closeReason(0, .clientToServer) == .fin)
        #expect(h.recorder.closeReason(0, .serverToClient) == nil)
        // Bytes after the FIN are not part of the stream.
        #expect(flow.send(.clientToServer, at: 3, "junk", in: &h).disposition == .ignored)
        flow.send(.serverToClient, at: 0, "response", ack: 4, in: &h)
        #expect(h.recorder.closed.isEmpty)
        flow.send(.serverToClient, at: 8, "", ack: 4, flags: [.ack, .fin], in: &h)
        #expect(h.recorder.text(0, .clientToServer) == "req")
        #expect(h.recorder.text(0, .serverToClient) == "response")
        #expect(h.recorder.closed.count == 1 && h.recorder.closed[0].reason == .fin)
        #expect(h.recorder.problems.isEmpty)
    }

    /// End of input closes what is still open, in stream order, and only that: a connection whose
    /// FINs were both seen (still lingering for late packets) was closed already. The reassembler
    /// is empty after it and numbers a later connection on, even on the same ports.
    @Test func finishClosesOnlyOpenConnectionsInStreamOrderAndLeavesTheTableEmpty() {
        var h = Harness()
        let done = Flow()
        var first = Flow()
        first.client.port = 50_001
        var second = Flow()
        second.client.port = 50_002
        done.handshake(in: &h)
        second.handshake(in: &h)
        first.handshake(in: &h)
        // Stream 0 ends normally and lingers; streams 1 and 2 stay open, with bytes held behind a hole.
        done.send(.clientToServer, at: 0, "req", flags: [.ack, .psh, .fin], in: &h)
        done.send(.serverToClient, at: 0, "ok", ack: 4, flags: [.ack, .psh, .fin], in: &h)
        second.send(.serverToClient, at: 4, "tail", in: &h)
        first.send(.clientToServer, at: 0, "open", in: &h)
        #expect(h.recorder.closed.map(\.info.stream) == [0])
        #expect(h.reassembler.connectionCount == 3)
        #expect(h.statistics.bufferedBytes > 0)
        h.finish()
        #expect(h.recorder.closed.map(\.info.stream) == [0, 1, 2])
        #expect(h.recorder.closed.dropFirst().allSatisfy { $0.reason == .endOfInput })
        #expect(h.recorder.data(1, .serverToClient) == Array("tail".utf8))
        #expect(h.reassembler.connectionCount == 0)
        #expect(h.statistics.activeConnections == 0 && h.statistics.bufferedBytes == 0)
        // A packet after the end opens a fresh connection rather than finding stream 0's.
        done.send(.clientToServer, at: 3, "more", in: &h)
        #expect(h.reassembler.connectionCount == 1)
        #expect(h.recorder.text(3, .clientToServer) == "more")
        h.finish()
        #expect(h.recorder.closed.map(\.info.stream) == [0, 1, 2, 3])
        #expect(h.recorder.problems.isEmpty)
    }

    @Test func resetDeliversHeldDataAfterAGapAndClosesBothDirections() {
        var h = Harness()
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.serverToClient, at: 0, "abc", in: &h)
        flow.send(.serverToClient, at: 6, "ghi", in: &h)   // "def" never captured
        flow.send(.clientToServer, at: 0, "", flags: [.rst], in: &h)
        let r = h.recorder
        #expect(r.text(0, .serverToClient) == "abcghi")
        #expect(r.gaps == [.init(stream: 0, direction: .serverToClient, offset: 3, length: 3, reason: .closed)])
        #expect(r.closeReason(0, .clientToServer) == .rst && r.closeReason(0, .serverToClient) == .rst)
        #expect(r.closed.count == 1 && r.closed[0].reason == .rst)
        #expect(r.closed[0].info.resetFrame == 6 && r.closed[0].info.resetDirection == .clientToServer)
        #expect(h.statistics.bufferedBytes == 0)
        #expect(r.problems.isEmpty)
    }

    @Test func synWithNewISNOnAClosedTupleStartsANewStream() {
        var h = Harness()
        var flow = Flow()
        flow.handshake(in: &h)
        flow.send(.clientToServer, at: 0, "one", in: &h)
        flow.send(.clientToServer, at: 3, "", flags: [.rst, .ack], in: &h)
        #expect(h.recorder.closed.count == 1)
        flow.clientISN = 77_000_000
        flow.serverISN = 5
        #expect(flow.syn(in: &h).stream == 1)
        #expect(flow.syn(in: &h).stream == 1)   // retransmitted SYN: same stream
        flow.synAck(in: &h)
        flow.send(.clientToServer, at: 0, "two", in: &h)
        #expect(h.recorder.text(0, .clientToServer) == "one" && h.recorder.text(1, .clientToServer) == "two")
        h.finish()
        #expect(h.recorder.closed.map(\.info.stream) == [0, 1])
        #expect(h.recorder.closed[1].info.synFrames == [6, 7])
        #expect(h.statistics.portReuses == 1)
        #expect(h.recorder.problems.isEmpty)
    }

    @Test func synWithNewISNOnAnOpenTupleClosesTheOldStreamAsPortReuse() {
        var h = Harness()
        var flow = Flow()
        flow.handshake(in: &h)
        flow.send(.clientToServer, at: 0, "one", in: &h)
        flow.clientISN = 123_456
        #expect(flow.syn(in: &h).stream == 1)
        #expect(h.recorder.closed.count == 1 && h.recorder.closed[0].reason == .portReuse)
        #expect(h.recorder.closeReason(0, .serverToClient) == .portReuse)
        #expect(h.recorder.problems.isEmpty)
    }

    @Test func streamsAreNumberedByFirstPacketAndFinishedInThatOrder() {
        var h = Harness()
        let flows = (0..<4).map { index in
            Flow(client: FlowEndpoint(address: IPAddress(ipv4: 0x0A00_0100 + UInt32(index)), port: 40_000),
                 clientISN: UInt32(index) * 1_000)
        }
        // Opening order 2, 0, 3, 1; traffic interleaved afterwards.
        for index in [2, 0, 3, 1] { flows[index].syn(in: &h) }
        for index in [1, 3, 0, 2] { flows[index].send(.clientToServer, at: 0, "c\(index)", in: &h) }
        #expect(h.recorder.opened.map(\.stream) == [0, 1, 2, 3])
        #expect(h.recorder.opened.map(\.client) == [2, 0, 3, 1].map { flows[$0].client })
        h.finish()
        #expect(h.recorder.closed.map(\.info.stream) == [0, 1, 2, 3])
        #expect(h.recorder.closed.allSatisfy { $0.reason == .endOfInput })
        #expect(h.recorder.text(0, .clientToServer) == "c2" && h.recorder.text(3, .clientToServer) == "c1")
        #expect(h.reassembler.connectionCount == 0)
        #expect(h.recorder.problems.isEmpty)
    }

    @Test func vlanIsPartOfTheFlowKey() {
        var h = Harness()
        var flow = Flow()
        flow.send(.clientToServer, at: 0, "untagged", in: &h)
        flow.vlan = 42
        #expect(flow.send(.clientToServer, at: 0, "tagged", in: &h).stream == 1)
        #expect(h.recorder.opened[1].vlanKey == 42 && h.recorder.text(1, .clientToServer) == "tagged")
    }

    @Test func connectionCapEvictsTheLeastRecentlyActive() {
        var h = Harness(limits: ReassemblyLimits(maxConnections: 2))
        let flows = (0..<3).map { Flow(client: FlowEndpoint(address: IPAddress(ipv4: 0x0B00_0000 + UInt32($0)), port: 40_000)) }
        flows[0].send(.clientToServer, at: 0, "a", in: &h)
        flows[1].send(.clientToServer, at: 0, "b", in: &h)
        flows[0].send(.clientToServer, at: 1, "a", in: &h)     // flow 1 is now the least recently active
        flows[1].send(.clientToServer, at: 5, "zz", in: &h)    // held behind a hole
        flows[0].send(.clientToServer, at: 2, "a", in: &h)
        flows[2].send(.clientToServer, at: 0, "c", in: &h)
        let r = h.recorder
        #expect(r.closed.count == 1 && r.closed[0].info.stream == 1 && r.closed[0].reason == .evicted)
        #expect(r.gaps == [.init(stream: 1, direction: .clientToServer, offset: 1, length: 4, reason: .evicted)])
        #expect(r.text(1, .clientToServer) == "bzz")
        #expect(h.statistics.connectionsEvicted == 1 && h.reassembler.connectionCount == 2)
        #expect(flows[0].send(.clientToServer, at: 3, "a", in: &h).stream == 0)
        #expect(r.problems.isEmpty)
    }

    @Test func idleConnectionsExpireByCaptureTimeAndReturnAsNewStreams() {
        var h = Harness(limits: ReassemblyLimits(idleTimeout: 10_000_000_000))
        let flow = Flow()
        let other = Flow(client: FlowEndpoint(address: IPAddress(ipv4: 0x0C00_0001), port: 41_000))
        flow.send(.clientToServer, at: 0, "early", in: &h)
        h.advance(by: 5_000_000_000)
        other.send(.clientToServer, at: 0, "x", in: &h)
        #expect(h.recorder.closed.isEmpty)
        h.advance(by: 6_000_000_000)
        #expect(h.recorder.closed.map(\.info.stream) == [0] && h.recorder.closed[0].reason == .idleTimeout)
        #expect(h.recorder.closeReason(0, .clientToServer) == .idleTimeout)
        #expect(flow.send(.clientToServer, at: 5, "late", in: &h).stream == 2)
        #expect(h.statistics.connectionsExpired == 1)
        #expect(h.recorder.problems.isEmpty)
    }

    @Test func closedConnectionsLingerThenAreForgotten() {
        var h = Harness(limits: ReassemblyLimits(closedLinger: 2_000_000_000))
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.clientToServer, at: 0, "", flags: [.rst], in: &h)
        #expect(h.reassembler.connectionCount == 1)
        #expect(flow.send(.clientToServer, at: 0, "late", in: &h).disposition == .ignored)
        h.advance(by: 3_000_000_000)
        #expect(h.reassembler.connectionCount == 0)
        #expect(h.recorder.closed.count == 1)
    }

    @Test func retransmittedSynsAreRecordedUpToEight() {
        var h = Harness()
        let flow = Flow()
        for _ in 0..<10 { #expect(flow.syn(in: &h).stream == 0) }
        flow.send(.serverToClient, at: 0, "", flags: [.rst, .ack], in: &h)
        let info = h.recorder.closed.first?.info
        #expect(info?.synFrames == Array(1...8))
        #expect(info?.synAckFrame == nil && info?.resetFrame == 11 && info?.resetDirection == .serverToClient)
        #expect(h.recorder.opened.count == 1 && h.recorder.closed.first?.reason == .rst)
    }

    @Test func absurdLengthsAndOffsetsAreHandledWithoutTrapping() {
        var h = Harness()
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.clientToServer, at: 0, "ok", in: &h)
        #expect(flow.send(.clientToServer, at: 2, "x", wireLength: Int.max, in: &h).disposition == .delivered)
        #expect(flow.send(.clientToServer, at: 1 << 31 + 5, "far", in: &h).disposition == .ignored)
        flow.send(.clientToServer, at: 0, "", flags: [.rst], in: &h)
        #expect(h.recorder.text(0, .clientToServer) == "okx")
        #expect(h.recorder.gaps.first?.reason == .snaplenTruncated)
        #expect(h.recorder.problems.isEmpty)
    }

    @Test func endpointDescriptions() {
        let v4 = FlowEndpoint(address: IPAddress(ipv4: 0xC0A8_0001), port: 8080)
        let v6 = FlowEndpoint(address: IPAddress(ipv6High: 0x2001_0db8_0000_0000, low: 1), port: 443)
        #expect(v4.description == "192.168.0.1:8080")
        #expect(v6.description == "[2001:db8::1]:443")
    }
}
