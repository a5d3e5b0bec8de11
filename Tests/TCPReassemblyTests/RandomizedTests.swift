// Seeded randomized runs: shuffled and duplicated segments, and whole exchanges under capture damage.

import PacketWire
import Testing
@testable import TCPReassembly

@Suite struct RandomizedTests {
    /// A random message cut into random segments, each shuffled within a window of 3, with duplicates.
    @Test func shuffledWithinWindowOfThreeWithDuplicatesReassemblesExactly() {
        var rng = SeededGenerator(seed: 0x5EED)
        for iteration in 0..<300 {
            var h = Harness()
            var flow = Flow()
            flow.serverISN = UInt32.random(in: 0...UInt32.max, using: &rng)   // wraps in some runs
            let message = SimulatedConnection.randomBytes(Int.random(in: 1...20_000, using: &rng), using: &rng)
            var pieces: [(UInt64, [UInt8])] = []
            var start = 0
            while start < message.count {
                let end = min(message.count, start + Int.random(in: 1...1_500, using: &rng))
                pieces.append((UInt64(start), Array(message[start..<end])))
                start = end
            }
            // Shuffle within a sliding window of 3, then duplicate about 15% (sometimes far later).
            for index in pieces.indices {
                let other = min(pieces.count - 1, index + Int.random(in: 0...2, using: &rng))
                pieces.swapAt(index, other)
            }
            var sequence: [(UInt64, [UInt8])] = []
            for piece in pieces {
                sequence.append(piece)
                if Int.random(in: 0..<100, using: &rng) < 15 {
                    let at = min(sequence.count, sequence.count - Int.random(in: 0...min(3, sequence.count - 1), using: &rng))
                    sequence.insert(piece, at: at)
                }
            }
            flow.handshake(in: &h)
            for (offset, bytes) in sequence {
                let segment = flow.segment(.serverToClient, offset: offset, length: bytes.count, in: &h)
                h.send(segment, payload: bytes)
            }
            let delivered = h.recorder.data(0, .serverToClient)
            let matches = delivered == message
            #expect(matches, "iteration \(iteration): \(delivered.count) of \(message.count) bytes")
            #expect(h.recorder.gaps.isEmpty && h.recorder.problems.isEmpty, "iteration \(iteration)")
            #expect(h.statistics.bufferedBytes == 0)
            if delivered != message { break }
        }
    }

    /// 5% of packets held back 1-3 places and 1% duplicated: the same byte streams as a clean capture.
    @Test func reorderedAndDuplicatedExchangesMatchTheCleanStreams() {
        var rng = SeededGenerator(seed: 42)
        for iteration in 0..<60 {
            let connection = SimulatedConnection(flow: Flow(), rounds: 8, maxResponse: 30_000, using: &rng)
            var damaged = Damage.reorder(connection.packets, probability: 0.05, using: &rng)
            damaged = Damage.duplicate(damaged, probability: 0.01, using: &rng)
            var h = Harness()
            connection.feed(damaged, into: &h)
            let r = h.recorder
            let clientMatches = r.data(0, .clientToServer) == connection.sent[.clientToServer]
            let serverMatches = r.data(0, .serverToClient) == connection.sent[.serverToClient]
            #expect(clientMatches && serverMatches, "iteration \(iteration)")
            #expect(r.gaps.isEmpty, "iteration \(iteration): \(r.gaps)")
            #expect(r.closed.count == 1 && r.closed.first?.reason == .fin, "iteration \(iteration)")
            #expect(r.opened.count == 1 && r.problems.isEmpty, "iteration \(iteration): \(r.problems)")
            if !r.gaps.isEmpty || !r.problems.isEmpty || !clientMatches || !serverMatches { break }
        }
    }

    /// Segments the sniffer missed (the receiver got them, so its ACKs cover them) become gaps of exactly
    /// the missing ranges, declared from the ACKs, also when the capture is reordered and duplicated too.
    @Test(arguments: [false, true])
    func lostSegmentsBecomeExactGapsPromptly(alsoReordered: Bool) {
        var rng = SeededGenerator(seed: alsoReordered ? 7 : 8)
        var totalLost = 0
        for iteration in 0..<60 {
            let connection = SimulatedConnection(flow: Flow(), rounds: 8, maxResponse: 30_000, using: &rng)
            var (damaged, lost) = Damage.lose(connection.packets, probability: 0.02, using: &rng)
            if alsoReordered {
                damaged = Damage.reorder(damaged, probability: 0.05, using: &rng)
                damaged = Damage.duplicate(damaged, probability: 0.01, using: &rng)
            }
            var h = Harness()
            connection.feed(damaged, into: &h)
            // Losses in the last few packets are still inside their grace when the capture ends.
            h.finish()
            let r = h.recorder
            for direction in [StreamDirection.clientToServer, .serverToClient] {
                let expectedGaps = Damage.merged(lost[direction] ?? [])
                totalLost += expectedGaps.count
                let gaps = r.gaps.filter { $0.direction == direction }
                // Two lost segments in a row may be reported as one gap or as two adjacent ones.
                #expect(Damage.merged(gaps.map { $0.offset..<($0.offset + $0.length) }) == expectedGaps,
                        "iteration \(iteration) \(direction)")
                #expect(gaps.allSatisfy { $0.reason == .acknowledgedPastHole }, "iteration \(iteration)")
                // Promptly: within the grace (5 packets) of the first ACK past the hole. Frame n is damaged[n-1].
                for (gap, frame) in zip(r.gaps, r.gapFrames) where gap.direction == direction {
                    guard let firstAck = damaged.firstIndex(where: {
                        $0.direction == direction.reversed && $0.flags.contains(.ack) && !$0.isHandshake
                            && $0.ack > gap.offset && !$0.flags.contains(.syn)
                    }) else { continue }
                    let delay = Int(frame) - (firstAck + 1)
                    #expect(delay >= 0 && delay <= 5, "iteration \(iteration): gap at frame \(frame), ACK at \(firstAck + 1)")
                }
                // Every byte outside the gaps is the original byte, and the stream has the full length.
                var expected = connection.sent[direction]!
                for range in expectedGaps.reversed() { expected.removeSubrange(Int(range.lowerBound)..<Int(range.upperBound)) }
                let matches = r.data(0, direction) == expected
                #expect(matches, "iteration \(iteration) \(direction)")
            }
            #expect(r.closed.first?.reason == .fin && r.problems.isEmpty, "iteration \(iteration): \(r.problems)")
            #expect(h.statistics.bufferedBytes == 0)
        }
        #expect(totalLost > 20)   // the seed really exercised loss
    }

    /// Twenty connections interleaved in one capture, then 5% reordered, 1% duplicated and 0.5% lost across
    /// the whole capture: every stream has exactly its original bytes, with gaps exactly where bytes were lost.
    @Test func interleavedConnectionsUnderCaptureDamage() {
        var rng = SeededGenerator(seed: 2_026)
        var lostSegments = 0, reportedGaps = 0
        for round in 0..<4 {
            let connections = (0..<20).map { index in
                SimulatedConnection(flow: Flow(client: FlowEndpoint(address: IPAddress(ipv4: 0x0A01_0000 + UInt32(index)),
                                                                    port: UInt16(30_000 + index)),
                                               clientISN: UInt32.random(in: 0...UInt32.max, using: &rng),
                                               serverISN: UInt32.random(in: 0...UInt32.max, using: &rng)),
                                    rounds: 4, maxResponse: 20_000, using: &rng)
            }
            // Merge: repeatedly take the next packet of a random unfinished connection.
            var cursors = [Int](repeating: 0, count: connections.count)
            var merged: [(Int, SimulatedPacket)] = []
            while let pick = (0..<connections.count).filter({ cursors[$0] < connections[$0].packets.count })
                .randomElement(using: &rng) {
                merged.append((pick, connections[pick].packets[cursors[pick]]))
                cursors[pick] += 1
            }
            var lost: [Int: [StreamDirection: [Range<UInt64>]]] = [:]
            var kept: [(Int, SimulatedPacket)] = []
            for (owner, packet) in merged {
                if !packet.payload.isEmpty && !packet.flags.contains(.fin) && Double.random(in: 0..<1, using: &rng) < 0.005 {
                    lost[owner, default: [:]][packet.direction, default: []]
                        .append(packet.offset..<(packet.offset + UInt64(packet.payload.count)))
                } else {
                    kept.append((owner, packet))
                }
            }
            var damaged: [(Int, SimulatedPacket)] = []
            var index = 0
            while index < kept.count {   // reorder: hold a packet back 1-3 places
                if Double.random(in: 0..<1, using: &rng) < 0.05 {
                    let target = min(kept.count - 1, index + Int.random(in: 1...3, using: &rng))
                    kept.insert(kept.remove(at: index), at: target)
                    index = target + 1
                } else {
                    index += 1
                }
            }
            for entry in kept {
                damaged.append(entry)
                if Double.random(in: 0..<1, using: &rng) < 0.01 { damaged.append(entry) }
            }
            var h = Harness()
            for (owner, packet) in damaged { connections[owner].feed([packet], into: &h) }
            h.finish()
            let r = h.recorder
            #expect(r.opened.count == connections.count && r.problems.isEmpty, "round \(round): \(r.problems.prefix(3))")
            var allExact = true
            for info in r.opened {
                guard let owner = connections.firstIndex(where: { $0.flow.client == info.client }) else {
                    allExact = false
                    continue
                }
                for direction in [StreamDirection.clientToServer, .serverToClient] {
                    let expectedGaps = Damage.merged(lost[owner]?[direction] ?? [])
                    let gaps = r.gaps.filter { $0.stream == info.stream && $0.direction == direction }
                    var expected = connections[owner].sent[direction]!
                    for range in expectedGaps.reversed() {
                        expected.removeSubrange(Int(range.lowerBound)..<Int(range.upperBound))
                    }
                    let gapsMatch = Damage.merged(gaps.map { $0.offset..<($0.offset + $0.length) }) == expectedGaps
                    let bytesMatch = r.data(info.stream, direction) == expected
                    #expect(gapsMatch && bytesMatch, "round \(round) stream \(info.stream) \(direction): \(gaps)")
                    allExact = allExact && gapsMatch && bytesMatch
                }
            }
            #expect(allExact)
            #expect(r.gaps.allSatisfy { $0.reason == .acknowledgedPastHole }, "round \(round)")
            #expect(r.closed.allSatisfy { $0.reason == .fin }, "round \(round)")
            lostSegments += lost.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.count } }
            reportedGaps += r.gaps.count
            if !allExact { break }
        }
        #expect(lostSegments >= 10 && reportedGaps >= 10)   // the seed really lost segments
    }

    /// Garbage: random flags, sequence numbers, lengths and truncation on a few 4-tuples must never trap,
    /// must keep every reported stream contiguous, and must stay within the buffer budget.
    @Test func hostileSegmentsNeverBreakTheContract() {
        var rng = SeededGenerator(seed: 0xBAD)
        let limits = ReassemblyLimits(maxConnections: 4, maxBufferedBytes: 20_000, maxBufferedBytesPerDirection: 8_000,
                                      holdTimeout: 50_000_000, idleTimeout: 2_000_000_000, closedLinger: 100_000_000)
        var h = Harness(limits: limits)
        h.recorder.keepsBytes = false
        let flows = (0..<6).map { index in
            Flow(client: FlowEndpoint(address: IPAddress(ipv4: 0x0E00_0000 + UInt32(index % 3)), port: UInt16(1_000 + index)),
                 clientISN: UInt32.random(in: 0...UInt32.max, using: &rng),
                 serverISN: UInt32.random(in: 0...UInt32.max, using: &rng))
        }
        let payload = SimulatedConnection.randomBytes(3_000, using: &rng)
        var withinBudget = true, withinCap = true
        for _ in 0..<40_000 {
            let flow = flows[Int.random(in: 0..<flows.count, using: &rng)]
            let direction: StreamDirection = Bool.random(using: &rng) ? .clientToServer : .serverToClient
            let near = Bool.random(using: &rng)
            let offset = near ? UInt64.random(in: 0...6_000, using: &rng) : UInt64.random(in: 0...UInt64(UInt32.max), using: &rng)
            let captured = Int.random(in: 0...min(3_000, Int.random(in: 0...3_000, using: &rng)), using: &rng)
            let wire = Bool.random(using: &rng) ? captured : captured + Int.random(in: 0...70_000, using: &rng)
            let flags = TCPFlags(rawValue: UInt8.random(in: 0...255, using: &rng) & (Int.random(in: 0..<8, using: &rng) == 0 ? 0xFF : 0xF8)).union(.ack)
            var segment = flow.segment(direction, offset: offset, length: captured,
                                       ack: UInt64.random(in: 0...8_000, using: &rng), flags: flags,
                                       window: UInt16.random(in: 0...3, using: &rng), wireLength: wire, in: &h)
            if Int.random(in: 0..<50, using: &rng) == 0 { segment.time -= 5_000_000_000 }   // clock steps back
            if Int.random(in: 0..<500, using: &rng) == 0 { h.time += 3_000_000_000 }
            h.send(segment, payload: Array(payload[0..<captured]))
            withinBudget = withinBudget && h.statistics.bufferedBytes <= limits.maxBufferedBytes
            withinCap = withinCap && h.reassembler.connectionCount <= limits.maxConnections
        }
        #expect(withinBudget && withinCap)
        h.finish()
        #expect(h.recorder.problems.isEmpty, "\(h.recorder.problems.prefix(5))")
        #expect(h.statistics.bufferedBytes == 0 && h.reassembler.connectionCount == 0)
        #expect(h.recorder.opened.count == h.recorder.closed.count)
        #expect(h.statistics.gaps > 0 && h.statistics.deliveredBytes > 0)
    }
}
