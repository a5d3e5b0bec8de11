// Seeded synthetic HTTP-like exchanges with ACKs, and the capture damage the reassembler must survive.

import PacketWire
import TCPReassembly

/// SplitMix64: small, fast, and the same sequence on every machine.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One packet of a simulated connection, in stream-offset terms.
struct SimulatedPacket {
    var direction: StreamDirection
    var offset: UInt64
    var payload: [UInt8]
    var ack: UInt64
    var flags: TCPFlags
    var isHandshake = false
}

/// A whole connection: handshake, request/response rounds with delayed ACKs, FIN from both sides.
struct SimulatedConnection {
    var flow: Flow
    var packets: [SimulatedPacket] = []
    var sent: [StreamDirection: [UInt8]] = [.clientToServer: [], .serverToClient: []]

    init<G: RandomNumberGenerator>(flow: Flow, rounds: Int, maxResponse: Int, using rng: inout G) {
        self.flow = flow
        packets.append(SimulatedPacket(direction: .clientToServer, offset: 0, payload: [], ack: 0, flags: [.syn],
                                       isHandshake: true))
        packets.append(SimulatedPacket(direction: .serverToClient, offset: 0, payload: [], ack: 0, flags: [.syn, .ack],
                                       isHandshake: true))
        packets.append(SimulatedPacket(direction: .clientToServer, offset: 0, payload: [], ack: 0, flags: [.ack]))
        for _ in 0..<rounds {
            let request = Self.randomBytes(Int.random(in: 40...600, using: &rng), using: &rng)
            emit(.clientToServer, request, segmentSize: 1_460, ackEvery: 2, using: &rng)
            let response = Self.randomBytes(Int.random(in: 1...maxResponse, using: &rng), using: &rng)
            emit(.serverToClient, response, segmentSize: Int.random(in: 500...1_460, using: &rng), ackEvery: 2, using: &rng)
        }
        let clientEnd = UInt64(sent[.clientToServer]!.count), serverEnd = UInt64(sent[.serverToClient]!.count)
        packets.append(SimulatedPacket(direction: .clientToServer, offset: clientEnd, payload: [], ack: serverEnd,
                                       flags: [.fin, .ack]))
        packets.append(SimulatedPacket(direction: .serverToClient, offset: serverEnd, payload: [], ack: clientEnd + 1,
                                       flags: [.fin, .ack]))
        packets.append(SimulatedPacket(direction: .clientToServer, offset: clientEnd + 1, payload: [], ack: serverEnd + 1,
                                       flags: [.ack]))
    }

    static func randomBytes<G: RandomNumberGenerator>(_ count: Int, using rng: inout G) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// Sends `message` in segments; the receiver ACKs every `ackEvery` segments and at the end.
    private mutating func emit<G: RandomNumberGenerator>(_ direction: StreamDirection, _ message: [UInt8], segmentSize: Int,
                                                         ackEvery: Int, using rng: inout G) {
        let peerSent = UInt64(sent[direction.reversed]!.count)
        var start = 0, count = 0
        while start < message.count {
            let end = min(message.count, start + segmentSize)
            let offset = UInt64(sent[direction]!.count)
            sent[direction]!.append(contentsOf: message[start..<end])
            packets.append(SimulatedPacket(direction: direction, offset: offset, payload: Array(message[start..<end]),
                                           ack: peerSent, flags: [.ack, .psh]))
            count += 1
            start = end
            if count % ackEvery == 0 || start == message.count {
                packets.append(SimulatedPacket(direction: direction.reversed, offset: peerSent, payload: [],
                                               ack: UInt64(sent[direction]!.count), flags: [.ack]))
            }
        }
    }

    /// The packets as captured segments, with frame numbers and times assigned in list order.
    func feed(_ list: [SimulatedPacket], into harness: inout Harness) {
        for packet in list {
            if packet.flags.contains(.syn) && !packet.flags.contains(.ack) {
                flow.syn(in: &harness)
            } else if packet.flags.contains(.syn) {
                flow.synAck(in: &harness)
            } else {
                let segment = flow.segment(packet.direction, offset: packet.offset, length: packet.payload.count,
                                           ack: packet.ack, flags: packet.flags, in: &harness)
                harness.send(segment, payload: packet.payload)
            }
        }
    }
}

/// Capture damage: reordering (a packet held back 1-3 places), duplication, sniffer loss.
enum Damage {
    static func reorder<G: RandomNumberGenerator>(_ list: [SimulatedPacket], probability: Double,
                                                  using rng: inout G) -> [SimulatedPacket] {
        var result = list
        var index = 0
        while index < result.count {
            if Double.random(in: 0..<1, using: &rng) < probability {
                let target = min(result.count - 1, index + Int.random(in: 1...3, using: &rng))
                let packet = result.remove(at: index)
                result.insert(packet, at: target)
                index = target + 1
            } else {
                index += 1
            }
        }
        return result
    }

    static func duplicate<G: RandomNumberGenerator>(_ list: [SimulatedPacket], probability: Double,
                                                    using rng: inout G) -> [SimulatedPacket] {
        var result: [SimulatedPacket] = []
        for packet in list {
            result.append(packet)
            if Double.random(in: 0..<1, using: &rng) < probability { result.append(packet) }
        }
        return result
    }

    /// Drops data segments (never handshake or FIN); returns the survivors and the dropped byte ranges.
    static func lose<G: RandomNumberGenerator>(_ list: [SimulatedPacket], probability: Double, using rng: inout G)
        -> ([SimulatedPacket], [StreamDirection: [Range<UInt64>]]) {
        var kept: [SimulatedPacket] = []
        var lost: [StreamDirection: [Range<UInt64>]] = [:]
        for packet in list {
            if !packet.payload.isEmpty && !packet.flags.contains(.fin)
                && Double.random(in: 0..<1, using: &rng) < probability {
                lost[packet.direction, default: []].append(packet.offset..<(packet.offset + UInt64(packet.payload.count)))
            } else {
                kept.append(packet)
            }
        }
        return (kept, lost)
    }

    /// Sorted, adjacent ranges merged (two lost segments in a row are one gap).
    static func merged(_ ranges: [Range<UInt64>]) -> [Range<UInt64>] {
        var result: [Range<UInt64>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, last.upperBound >= range.lowerBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
