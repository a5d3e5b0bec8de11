// In-order, reordered, duplicated, overlapping and wrapping segment sequences.

import PacketWire
import Testing
@testable import TCPReassembly

@Suite struct OrderingTests {
    @Test func inOrderExchangeDeliversExactBytesAndCloses() {
        var h = Harness()
        let flow = Flow()
        flow.handshake(in: &h)
        #expect(flow.send(.clientToServer, at: 0, "GET / HTTP/1.1\r\n\r\n", in: &h).disposition == .delivered)
        flow.send(.serverToClient, at: 0, "HTTP/1.1 200 OK\r\n", ack: 18, in: &h)
        flow.send(.serverToClient, at: 17, "Content-Length: 0\r\n\r\n", ack: 18, in: &h)
        flow.send(.serverToClient, at: 38, "", ack: 18, flags: [.fin, .ack], in: &h)
        flow.send(.clientToServer, at: 18, "", ack: 39, flags: [.fin, .ack], in: &h)
        flow.send(.serverToClient, at: 39, "", ack: 19, flags: [.ack], in: &h)
        let r = h.recorder
        #expect(r.problems.isEmpty, "\(r.problems)")
        #expect(r.text(0, .clientToServer) == "GET / HTTP/1.1\r\n\r\n")
        #expect(r.text(0, .serverToClient) == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        #expect(r.gaps.isEmpty)
        #expect(r.closeReason(0, .clientToServer) == .fin && r.closeReason(0, .serverToClient) == .fin)
        #expect(r.closed.count == 1 && r.closed.first?.reason == .fin)
        #expect(r.opened.first?.synFrames == [1] && r.opened.first?.synAckFrame == nil)
        let info = r.closed[0].info
        #expect(info.rolesFromHandshake && info.client == flow.client && info.server == flow.server)
        #expect(info.synFrames == [1] && info.synAckFrame == 2)
        #expect(info.bytes == [18, 38])
        #expect(info.firstDataFrame == [4, 5] && info.finFrame == [8, 7])
        #expect(h.statistics.deliveredBytes == 56 && h.statistics.gaps == 0)
    }

    @Test func reorderedSegmentsAreHeldThenDeliveredInOrder() {
        var h = Harness()
        let flow = Flow()
        flow.handshake(in: &h)
        #expect(flow.send(.serverToClient, at: 0, "aaaa", in: &h).disposition == .delivered)
        #expect(flow.send(.serverToClient, at: 8, "cccc", in: &h).disposition == .heldOutOfOrder)
        #expect(flow.send(.serverToClient, at: 12, "dddd", in: &h).disposition == .heldOutOfOrder)
        #expect(h.recorder.text(0, .serverToClient) == "aaaa")
        #expect(h.statistics.bufferedBytes > 0)
        #expect(flow.send(.serverToClient, at: 4, "bbbb", in: &h).disposition == .delivered)
        #expect(h.recorder.text(0, .serverToClient) == "aaaabbbbccccdddd")
        #expect(h.statistics.bufferedBytes == 0 && h.statistics.outOfOrder == 2)
        // Held bytes are reported with the frame that carried them.
        #expect(h.recorder.dataFrames[.init(stream: 0, direction: .serverToClient)] == [4, 7, 5, 6])
        #expect(h.recorder.problems.isEmpty, "\(h.recorder.problems)")
    }

    @Test func duplicatesAndRetransmissionsAreDropped() {
        var h = Harness()
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.clientToServer, at: 0, "hello ", in: &h)
        #expect(flow.send(.clientToServer, at: 0, "hello ", in: &h).disposition == .duplicate)
        #expect(flow.send(.clientToServer, at: 10, "more", in: &h).disposition == .heldOutOfOrder)
        #expect(flow.send(.clientToServer, at: 10, "more", in: &h).disposition == .duplicate)
        #expect(flow.send(.clientToServer, at: 6, "worl", in: &h).disposition == .delivered)
        #expect(flow.send(.clientToServer, at: 2, "llo", in: &h).disposition == .retransmission)
        #expect(h.recorder.text(0, .clientToServer) == "hello worlmore")
        #expect(h.statistics.duplicates == 2 && h.statistics.retransmissions == 1)
        #expect(h.recorder.problems.isEmpty)
    }

    @Test func retransmissionWithNewDataDeliversOnlyTheNewPart() {
        var h = Harness()
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.clientToServer, at: 0, "abcdef", in: &h)
        #expect(flow.send(.clientToServer, at: 3, "defghi", in: &h).disposition == .delivered)
        #expect(h.recorder.text(0, .clientToServer) == "abcdefghi")
        #expect(h.recorder.log.contains("data 0 0 @6 3"))
    }

    @Test func overlapWithSameDataIsNotAConflict() {
        var h = Harness()
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.clientToServer, at: 0, "0123", in: &h)
        flow.send(.clientToServer, at: 8, "89ab", in: &h)
        #expect(flow.send(.clientToServer, at: 6, "6789abcd", in: &h).disposition == .heldOutOfOrder)
        flow.send(.clientToServer, at: 4, "45", in: &h)
        #expect(h.recorder.text(0, .clientToServer) == "0123456789abcd")
        #expect(h.statistics.overlapConflicts == 0)
        #expect(h.recorder.problems.isEmpty)
    }

    @Test func overlapWithDifferentDataKeepsTheFirstCopyAndCountsIt() {
        var h = Harness()
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.clientToServer, at: 0, "0123", in: &h)
        flow.send(.clientToServer, at: 8, "AAAA", in: &h)
        #expect(flow.send(.clientToServer, at: 10, "BBBBCC", in: &h).disposition == .overlapConflict)
        // An in-order segment that disagrees with held bytes also loses to them.
        #expect(flow.send(.clientToServer, at: 4, "4567XX", in: &h).disposition == .overlapConflict)
        #expect(h.recorder.text(0, .clientToServer) == "01234567AAAABBCC")
        #expect(h.statistics.overlapConflicts == 2 && h.statistics.overlapConflictBytes == 4)
        #expect(h.recorder.problems.isEmpty)
    }

    @Test(arguments: [UInt32.max - 3, UInt32.max, UInt32.max - 10_000])
    func sequenceWraparoundIsInvisible(isn: UInt32) {
        var h = Harness()
        var flow = Flow()
        flow.serverISN = isn
        flow.handshake(in: &h)
        let text = (0..<20).map { "line \($0)\n" }.joined()
        let bytes = Array(text.utf8)
        // Ten-byte segments, each pair swapped, so the hole often straddles 2^32.
        var chunks: [(UInt64, String)] = stride(from: 0, to: bytes.count, by: 10).map { start in
            (UInt64(start), String(decoding: bytes[start..<min(start + 10, bytes.count)], as: UTF8.self))
        }
        for index in stride(from: 0, to: chunks.count - 1, by: 2) { chunks.swapAt(index, index + 1) }
        for (offset, piece) in chunks { flow.send(.serverToClient, at: offset, piece, in: &h) }
        #expect(h.recorder.text(0, .serverToClient) == text)
        #expect(h.recorder.gaps.isEmpty && h.recorder.problems.isEmpty)
    }

    @Test func relativeOffsetUsesSignedDifference() {
        var half = HalfStream()
        half.baseKnown = true
        half.baseSeq = UInt32.max - 1
        half.nextOffset = 5   // next sequence number is 3 after wrapping
        #expect(half.relativeOffset(of: 3) == 5)
        #expect(half.relativeOffset(of: UInt32.max) == 1)
        #expect(half.relativeOffset(of: 1_003) == 1_005)
    }
}
