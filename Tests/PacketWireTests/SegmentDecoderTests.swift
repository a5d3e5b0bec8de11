// The packet loop's short decode against the full one: it takes the common frames, declines the
// rest, and never gives a value the full decode would not.

import Testing
@testable import PacketWire

@Suite struct SegmentDecoderTests {
    /// A payload to carry, so offsets and lengths are not all zero.
    static let data: [UInt8] = Array("GET / HTTP/1.1\r\n".utf8)

    static var ipv4WithData: [UInt8] {
        var header = Fixtures.synIPv4
        patch16(&header, at: 2, UInt16(20 + 40 + data.count))
        return header
    }

    static var ipv6WithData: [UInt8] {
        var header = Fixtures.plainIPv6
        patch16(&header, at: 4, UInt16(20 + data.count))
        return header
    }

    /// Frames the short decode must take, with the payload offset it must report.
    static let taken: [(name: String, linkType: LinkType, frame: [UInt8], payloadOffset: Int)] = [
        ("ethernet ipv4 syn", .ethernet, Fixtures.ethernetIPv4 + ipv4WithData + Fixtures.synTCP + data, 74),
        ("ethernet ipv6", .ethernet, Fixtures.ethernetIPv6 + ipv6WithData + Fixtures.plainTCP + data, 74),
        ("one vlan tag", .ethernet, Array(Fixtures.ethernetIPv4.prefix(12)) + [0x81, 0x00, 0x00, 0x2a, 0x08, 0x00]
            + ipv4WithData + Fixtures.synTCP + data, 78),
        ("sll", .linuxSLL, LinuxSLLHeaderTests.header + ipv4WithData + Fixtures.synTCP + data, 76),
        ("raw ipv4", .rawIP, ipv4WithData + Fixtures.synTCP + data, 60),
        ("raw ipv6", .ipv6, ipv6WithData + Fixtures.plainTCP + data, 60),
        // Ethernet padding past the IP length, and a TSO frame whose IP length is 0.
        ("padded", .ethernet, Fixtures.ethernetIPv4 + ipv4WithData + Fixtures.synTCP + data + [0, 0, 0, 0], 74),
        ("tso", .ethernet, Fixtures.ethernetIPv4 + zeroLength(Fixtures.synIPv4) + Fixtures.synTCP + data, 74),
    ]

    /// Frames it must leave to the full decode, which knows how to name or handle them.
    static let declined: [(name: String, linkType: LinkType, frame: [UInt8])] = [
        ("qinq", .ethernet, Array(Fixtures.ethernetIPv4.prefix(12)) + [0x88, 0xa8, 0, 1, 0x81, 0, 0, 2, 0x08, 0x00]
            + ipv4WithData + Fixtures.synTCP + data),
        ("mpls", .ethernet, MPLSLabelsTests.header + ipv4WithData + Fixtures.synTCP + data),
        ("null link", .null, [0x02, 0, 0, 0] + ipv4WithData + Fixtures.synTCP + data),
        ("ipv6 hop-by-hop", .ethernet, Fixtures.ethernetIPv6
            + IPv6HeaderTests.fixedHeader(next: 0, payloadLength: 8 + 20) + [0x06, 0, 1, 4, 0, 0, 0, 0] + Fixtures.plainTCP),
        ("ipv4 fragment", .ethernet, Fixtures.ethernetIPv4 + moreFragments(ipv4WithData) + Fixtures.synTCP + data),
        ("udp", .ethernet, Fixtures.ethernetIPv4 + protocolNumber(17, ipv4WithData) + Fixtures.synTCP + data),
        ("arp", .ethernet, Array(Fixtures.ethernetIPv4.prefix(12)) + [0x08, 0x06] + Array(repeating: 0, count: 28)),
        ("bad tcp data offset", .ethernet, Fixtures.ethernetIPv4 + ipv4WithData + dataOffset(4, Fixtures.synTCP) + data),
    ]

    static func zeroLength(_ header: [UInt8]) -> [UInt8] { var copy = header; patch16(&copy, at: 2, 0); return copy }
    static func moreFragments(_ header: [UInt8]) -> [UInt8] { var copy = header; patch16(&copy, at: 6, 0x2000); return copy }
    static func protocolNumber(_ value: UInt8, _ header: [UInt8]) -> [UInt8] { var copy = header; copy[9] = value; return copy }
    static func dataOffset(_ words: UInt8, _ header: [UInt8]) -> [UInt8] { var copy = header; copy[12] = words << 4; return copy }

    static func fields(_ frame: [UInt8], _ linkType: LinkType) -> SegmentFields? {
        SegmentDecoder.decode(frame.span, linkType: linkType)
    }

    static func difference(_ frame: [UInt8], _ linkType: LinkType) -> (difference: String?, accepted: Bool) {
        SegmentDecoder.differenceFromFullDecode(frame.span, linkType: linkType)
    }

    @Test(arguments: taken.indices)
    func takesTheCommonFrames(index: Int) throws {
        let (name, linkType, frame, payloadOffset) = Self.taken[index]
        let check = Self.difference(frame, linkType)
        #expect(check.accepted, "\(name) was declined")
        #expect(check.difference == nil, "\(name): \(check.difference ?? "")")
        let fields = try #require(Self.fields(frame, linkType))
        #expect(fields.payloadOffset == payloadOffset, "\(name)")
        #expect(fields.payloadLength == Self.data.count, "\(name)")
    }

    @Test func readsTheWindowScaleOnSYNsOnly() throws {
        let syn = try #require(Self.fields(Self.taken[0].frame, .ethernet))
        #expect(syn.windowScale == 7)
        #expect(syn.flags.contains(.syn))
        var notSYN = Self.taken[0].frame
        notSYN[14 + 20 + 13] = TCPFlags.ack.rawValue
        let ack = try #require(Self.fields(notSYN, .ethernet))
        #expect(ack.windowScale == nil)
    }

    @Test func vlanKeyIsTheFullDecodersKey() throws {
        let fields = try #require(Self.fields(Self.taken[2].frame, .ethernet))
        #expect(fields.vlanKey == 0x8000_0000 | 42 << 12)
    }

    @Test(arguments: declined.indices)
    func declinesTheRest(index: Int) {
        let (name, linkType, frame) = Self.declined[index]
        #expect(Self.fields(frame, linkType) == nil, "\(name) was taken")
    }

    /// Every snaplen cut of every frame: taken only when the full decode finds the whole TCP header.
    @Test(arguments: taken.indices)
    func everyPrefixAgrees(index: Int) {
        let (name, linkType, frame, payloadOffset) = Self.taken[index]
        for length in 0...frame.count {
            let check = Self.difference(Array(frame.prefix(length)), linkType)
            #expect(check.difference == nil, "\(name) cut at \(length): \(check.difference ?? "")")
            #expect(check.accepted == (length >= payloadOffset), "\(name) cut at \(length)")
        }
    }

    /// Random bytes written over the headers of every frame: never a value the full decode does
    /// not give, and both outcomes reached (or the mutations would prove nothing).
    @Test func mutatedHeadersAgree() {
        var generator = SplitMix64(state: 0x5E6_DEC0DE)
        var accepted = 0
        var declined = 0
        var problems: [String] = []
        let frames = Self.taken.map { ($0.linkType, $0.frame) } + Self.declined.map { ($0.linkType, $0.frame) }
        for round in 0..<40_000 {
            let (linkType, original) = frames[round % frames.count]
            var frame = original
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let offset = Int.random(in: 0..<min(frame.count, 80), using: &generator)
                frame[offset] = UInt8.random(in: 0...255, using: &generator)
            }
            if Bool.random(using: &generator) { frame.removeLast(Int.random(in: 0...frame.count, using: &generator)) }
            let check = Self.difference(frame, linkType)
            if check.accepted { accepted += 1 } else { declined += 1 }
            if let difference = check.difference, problems.count < 5 { problems.append("\(frame): \(difference)") }
        }
        #expect(problems.isEmpty, "\(problems)")
        #expect(accepted > 5_000)
        #expect(declined > 5_000)
    }
}
