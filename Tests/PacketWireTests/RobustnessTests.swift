// Random and mutated frames through FrameDecoder for every link type: no traps, consistent offsets.

import Testing
@testable import PacketWire

/// SplitMix64: a tiny seeded generator so every run sees the same inputs.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RobustnessTests {
    static let linkTypes: [LinkType] = [.ethernet, .null, .loop, .rawIP, .ipv4, .ipv6, .linuxSLL, .linuxSLL2, .other(7)]

    /// Valid frames for `linkType`, used as mutation seeds so inputs reach the deeper layers.
    static func seeds(for linkType: LinkType) -> [[UInt8]] {
        let v4 = Fixtures.synIPv4 + Fixtures.synTCP
        let v6 = IPv6HeaderTests.hopByHopAndFragment + Fixtures.plainTCP
        let v6plain = Fixtures.plainIPv6 + Fixtures.synTCP
        switch linkType {
        case .ethernet:
            return [Fixtures.synFrame, Fixtures.ethernetIPv6 + v6,
                    Array(Fixtures.ethernetIPv4.prefix(12)) + [0x88, 0xa8, 0, 1, 0x81, 0, 0, 2, 0x86, 0xdd] + v6plain,
                    MPLSLabelsTests.header + v4]
        case .null, .loop: return [[2, 0, 0, 0] + v4, [0, 0, 0, 30] + v6]
        case .rawIP: return [v4, v6, v6plain]
        case .ipv4: return [v4, Fixtures.seedIPv4 + Fixtures.seedTCP]
        case .ipv6: return [v6, v6plain]
        case .linuxSLL: return [LinuxSLLHeaderTests.header + v4]
        case .linuxSLL2: return [LinuxSLL2HeaderTests.header + v6plain]
        case .other: return [v4]
        }
    }

    /// Checks the offsets a consumer will slice with; returns a description of the first violation.
    static func violation(_ decoded: DecodedFrame, count: Int) -> String? {
        if decoded.payloadLength < 0 || decoded.payloadWireLength < decoded.payloadLength {
            return "payload lengths \(decoded.payloadLength)/\(decoded.payloadWireLength)"
        }
        if decoded.payloadOffset + decoded.payloadLength > count { return "payload past the capture" }
        if decoded.tcp != nil {
            if decoded.error != nil { return "tcp with error" }
            if !(decoded.networkOffset < decoded.transportOffset && decoded.transportOffset < decoded.payloadOffset) {
                return "offsets out of order"
            }
        }
        if decoded.network != nil && decoded.link == nil { return "network without link" }
        if decoded.network == nil && decoded.tcp != nil { return "tcp without network" }
        if decoded.error == nil && decoded.tcp == nil && decoded.network?.isFragment != true {
            return "no error, no tcp, not a fragment"
        }
        return nil
    }

    @Test(arguments: linkTypes)
    func randomAndMutatedFramesNeverTrap(linkType: LinkType) {
        var generator = SplitMix64(state: 0x6761_7465_7761_7463 &+ UInt64(bitPattern: Int64(linkType.dlt)))
        let seeds = Self.seeds(for: linkType)
        var failures: [String] = []
        var decodedTCP = 0
        var buffer: [UInt8] = []
        for iteration in 0..<100_000 {
            if iteration % 2 == 0 {
                // Pure noise of a random length.
                let length = Int.random(in: 0..<160, using: &generator)
                buffer = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                // A valid frame with a few bytes changed and a random cut.
                buffer = seeds[Int.random(in: 0..<seeds.count, using: &generator)]
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    buffer[Int.random(in: 0..<buffer.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                // Cut one frame in four, so most still reach TCP and the rest sweep every layer's end.
                if Int.random(in: 0..<4, using: &generator) == 0 {
                    buffer.removeLast(Int.random(in: 0...buffer.count, using: &generator))
                }
            }
            let decoded = FrameDecoder.decode(buffer.span, linkType: linkType)
            if decoded.tcp != nil { decodedTCP += 1 }
            if failures.count < 5, let problem = Self.violation(decoded, count: buffer.count) {
                failures.append("\(problem): \(buffer)")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        if case .other = linkType {
            #expect(decodedTCP == 0)
        } else {
            // The mutated half must reach TCP often, or the test would only exercise the link layer.
            #expect(decodedTCP > 1_000, "only \(decodedTCP) frames reached TCP")
        }
    }
}
