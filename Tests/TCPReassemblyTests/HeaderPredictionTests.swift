// Header prediction is a shortcut, not a behaviour: with and without it, the same events and answers.

import PacketWire
import Testing
@testable import TCPReassembly

@Suite struct HeaderPredictionTests {
    /// One captured packet of an interleaved run: its connection, and how the capture mangled it.
    struct CapturedPacket {
        var connection: Int
        var packet: SimulatedPacket
        var window: UInt16 = 65_535
        /// Payload bytes the snapshot length cut off (the wire length stays whole).
        var cut = 0
    }

    /// What a reassembler made of a run: every segment's answer, every event, the totals.
    struct Outcome {
        var results: [SegmentResult] = []
        var recorder: StreamRecorder
        var statistics: ReassemblyStatistics
        var predicted: UInt64
    }

    static func run(_ captured: [CapturedPacket], flows: [Flow], predicting: Bool) -> Outcome {
        var h = Harness()
        h.reassembler.predictsHeaders = predicting
        var results: [SegmentResult] = []
        for item in captured {
            let flow = flows[item.connection], packet = item.packet
            if packet.flags.contains(.syn) && !packet.flags.contains(.ack) {
                results.append(flow.syn(in: &h))
            } else if packet.flags.contains(.syn) {
                results.append(flow.synAck(in: &h))
            } else {
                let kept = Array(packet.payload.dropLast(item.cut))
                let segment = flow.segment(packet.direction, offset: packet.offset, length: kept.count, ack: packet.ack,
                                           flags: packet.flags, window: item.window,
                                           wireLength: packet.payload.count, in: &h)
                results.append(h.send(segment, payload: kept))
            }
        }
        h.finish()
        return Outcome(results: results, recorder: h.recorder, statistics: h.statistics,
                       predicted: h.reassembler.predictedSegments)
    }

    /// Several connections interleaved, each reordered, duplicated and thinned by the sniffer, some with
    /// zero windows, snapshot-length cuts, mid-stream starts and resets: prediction on and off agree on
    /// every segment's answer, every event (with its frame), every close and every total.
    @Test func predictionChangesNothingUnderDamage() {
        var rng = SeededGenerator(seed: 0x9E4D)
        var predictedInAll: UInt64 = 0, segmentsInAll: UInt64 = 0
        for iteration in 0..<150 {
            let connections = Int.random(in: 1...4, using: &rng)
            var flows: [Flow] = []
            var lists: [[CapturedPacket]] = []
            for index in 0..<connections {
                var flow = Flow()
                flow.client = FlowEndpoint(address: IPAddress(ipv4: 0x0A00_0001), port: UInt16(40_000 + index))
                flow.serverISN = UInt32.random(in: 0...UInt32.max, using: &rng)
                flow.clientISN = UInt32.random(in: 0...UInt32.max, using: &rng)
                flows.append(flow)
                let simulated = SimulatedConnection(flow: flow, rounds: Int.random(in: 1...6, using: &rng),
                                                    maxResponse: 20_000, using: &rng)
                var packets = simulated.packets
                if Int.random(in: 0..<4, using: &rng) == 0 { packets.removeFirst(3) }   // joined mid-stream
                packets = Damage.reorder(packets, probability: Double.random(in: 0...0.08, using: &rng), using: &rng)
                packets = Damage.duplicate(packets, probability: Double.random(in: 0...0.03, using: &rng), using: &rng)
                packets = Damage.lose(packets, probability: Double.random(in: 0...0.02, using: &rng), using: &rng).0
                var list = packets.map { CapturedPacket(connection: index, packet: $0) }
                for position in list.indices {
                    let roll = Int.random(in: 0..<1_000, using: &rng)
                    if roll < 15 { list[position].window = 0 }
                    if roll >= 990 && list[position].packet.payload.count > 1 {
                        list[position].cut = Int.random(in: 1..<list[position].packet.payload.count, using: &rng)
                    }
                }
                // A FIN captured ahead of its direction's last data (so the data reaches a known FIN).
                if Int.random(in: 0..<3, using: &rng) == 0,
                   let fin = list.firstIndex(where: { $0.packet.flags.contains(.fin) }), fin > 0 {
                    let packet = list.remove(at: fin)
                    list.insert(packet, at: max(0, fin - Int.random(in: 1...4, using: &rng)))
                }
                if Int.random(in: 0..<6, using: &rng) == 0, list.count > 4 {   // reset part-way
                    let at = Int.random(in: 3..<list.count, using: &rng)
                    var reset = list[at]
                    reset.packet.payload = []
                    reset.packet.flags = [.rst, .ack]
                    list.insert(reset, at: at)
                }
                lists.append(list)
            }
            // Interleave the connections, keeping each one's own order.
            var captured: [CapturedPacket] = []
            var next = [Int](repeating: 0, count: connections)
            while let pick = (0..<connections).filter({ next[$0] < lists[$0].count }).randomElement(using: &rng) {
                captured.append(lists[pick][next[pick]])
                next[pick] += 1
            }
            let fast = Self.run(captured, flows: flows, predicting: true)
            let slow = Self.run(captured, flows: flows, predicting: false)
            #expect(slow.predicted == 0)
            predictedInAll += fast.predicted
            segmentsInAll += fast.statistics.segments
            let same = fast.results == slow.results && fast.recorder.log == slow.recorder.log
                && fast.recorder.dataFrames == slow.recorder.dataFrames && fast.recorder.gapFrames == slow.recorder.gapFrames
                && fast.recorder.bytes == slow.recorder.bytes && fast.statistics == slow.statistics
                && fast.recorder.opened.map { "\($0)" } == slow.recorder.opened.map { "\($0)" }
                && fast.recorder.closed.map { "\($0)" } == slow.recorder.closed.map { "\($0)" }
            #expect(same, "iteration \(iteration): \(captured.count) packets")
            #expect(fast.recorder.problems.isEmpty, "iteration \(iteration): \(fast.recorder.problems)")
            if !same { break }
        }
        // The comparison means something only if the shortcut is taken, and it should be most of the time.
        #expect(predictedInAll * 3 > segmentsInAll, "\(predictedInAll) of \(segmentsInAll) segments predicted")
    }

    /// A hole the client acknowledged in three steps while the sniffer saw none of its bytes: the third
    /// ACK's hole still waits for its grace when the client's next bytes come, predicted or not.
    @Test func anAcknowledgedHoleLeftWaitingIsNotSkipped() {
        func run(predicting: Bool) -> Outcome {
            var h = Harness()
            h.reassembler.predictsHeaders = predicting
            let flow = Flow()
            flow.handshake(in: &h)
            flow.send(.clientToServer, at: 0, "GET / HTTP/1.1\r\n\r\n", in: &h)
            flow.send(.serverToClient, at: 0, "HTTP/1.1 2", ack: 18, in: &h)
            // The server's bytes 10..<40 were never captured; the client acknowledges them in three steps.
            flow.send(.clientToServer, at: 18, "", ack: 20, flags: [.ack], in: &h)
            flow.send(.clientToServer, at: 18, "", ack: 30, flags: [.ack], in: &h)
            flow.send(.clientToServer, at: 18, "", ack: 40, flags: [.ack], in: &h)
            for offset in stride(from: 18, to: 18 + 12 * 4, by: 4) {
                flow.send(.clientToServer, at: UInt64(offset), "abcd", ack: 10, in: &h)
            }
            h.finish()
            return Outcome(recorder: h.recorder, statistics: h.statistics, predicted: h.reassembler.predictedSegments)
        }
        let fast = run(predicting: true), slow = run(predicting: false)
        #expect(fast.predicted > 0)
        #expect(fast.recorder.gaps == slow.recorder.gaps && fast.recorder.gapFrames == slow.recorder.gapFrames,
                "\(fast.recorder.gaps) at \(fast.recorder.gapFrames), not \(slow.recorder.gaps) at \(slow.recorder.gapFrames)")
        #expect(slow.recorder.gaps.map(\.reason) == [.acknowledgedPastHole, .acknowledgedPastHole, .acknowledgedPastHole])
        #expect(fast.recorder.log == slow.recorder.log && fast.statistics == slow.statistics)
    }

    /// The segments prediction must leave to the long path, one at a time after a clean exchange.
    @Test func predictionStepsAsideForAnythingButTheNextBytes() {
        var h = Harness()
        let flow = Flow()
        flow.handshake(in: &h)
        flow.send(.clientToServer, at: 0, "GET / HTTP/1.1\r\n\r\n", in: &h)
        var predicted = h.reassembler.predictedSegments
        #expect(predicted == 1)
        flow.send(.serverToClient, at: 0, "HTTP/1.1 200 OK\r\n", ack: 18, in: &h)
        #expect(h.reassembler.predictedSegments == predicted + 1, "the next bytes, acknowledging what was delivered")
        predicted = h.reassembler.predictedSegments
        let declined: [(String, (inout Harness) -> SegmentResult)] = [
            ("a retransmission", { flow.send(.serverToClient, at: 0, "HTTP/1.1 200 OK\r\n", ack: 18, in: &$0) }),
            ("bytes beyond a hole", { flow.send(.serverToClient, at: 40, "x", ack: 18, in: &$0) }),
            ("the next bytes while a hole's bytes are held", { flow.send(.serverToClient, at: 17, "y", ack: 18, in: &$0) }),
        ]
        for (what, send) in declined {
            _ = send(&h)
            #expect(h.reassembler.predictedSegments == predicted, "\(what) was predicted")
        }
        // An ACK past what the client sent, a FIN and a snapshot-length cut are the long path's too.
        var other = Harness()
        flow.handshake(in: &other)
        flow.send(.clientToServer, at: 0, "GET", in: &other)
        let before = other.reassembler.predictedSegments
        flow.send(.serverToClient, at: 0, "HTTP", ack: 10, in: &other)
        flow.send(.clientToServer, at: 3, " /", flags: [.ack, .psh, .fin], in: &other)
        flow.send(.serverToClient, at: 4, "/1.1", ack: 6, wireLength: 8, in: &other)
        #expect(other.reassembler.predictedSegments == before)
        #expect(other.recorder.problems.isEmpty)
        // A predicted segment's zero window still counts: the peer's next one-byte segment is a probe.
        var probing = Harness()
        flow.handshake(in: &probing)
        flow.send(.clientToServer, at: 0, "GET", window: 0, in: &probing)
        #expect(probing.reassembler.predictedSegments == 1)
        let probe = flow.send(.serverToClient, at: 0, "H", ack: 3, in: &probing)
        #expect(probe.disposition == .zeroWindowProbe)
    }
}
