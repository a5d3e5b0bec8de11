// MPLS label stacks between Ethernet (or SLL) and IP.

import Testing
@testable import PacketWire

@Suite struct MPLSLabelsTests {
    /// Ethernet, 802.1Q VLAN 20, MPLS unicast with labels 1000 and 17 (bottom of stack).
    static let header: [UInt8] = Array(Fixtures.ethernetIPv4.prefix(12)) + [
        0x81, 0x00, 0x00, 0x14,                   // 802.1Q, VLAN 20
        0x88, 0x47,                               // MPLS unicast
        0x00, 0x3e, 0x80, 0x40,                   // label 1000, TC 0, S 0, TTL 64
        0x00, 0x01, 0x11, 0x40,                   // label 17, S 1 (bottom), TTL 64
    ]

    @Test func labelsAreSkippedAndIPVersionGuessed() throws {
        let link = try outcome(Self.header + Fixtures.synIPv4, EthernetHeader.decode).get()
        #expect(link.outerVLAN == 20)
        #expect(link.mplsLabel == 1000)
        #expect(link.headerLength == 26)
        #expect(link.etherType == 0x0800)

        let decoded = decodeFrame(Self.header + Fixtures.synIPv4 + Fixtures.synTCP)
        #expect(decoded.error == nil)
        #expect(decoded.networkOffset == 26)
        #expect(decoded.tcp?.destinationPort == 80)
    }

    @Test func ipv6OverMPLS() {
        let decoded = decodeFrame(Self.header + Fixtures.plainIPv6 + Fixtures.plainTCP)
        #expect(decoded.link?.etherType == 0x86DD)
        #expect(decoded.tcp?.sourcePort == 443)
    }

    @Test func nonIPPayloadIsUnsupported() {
        // A pseudowire control word starts with a zero nibble.
        let decoded = decodeFrame(Self.header + [0x00, 0x00, 0x00, 0x00] + Fixtures.ethernetIPv4)
        #expect(decoded.error == .unsupported(.ethernet, value: 0x8847))
        #expect(decoded.link?.mplsLabel == 1000)
    }

    @Test(arguments: 18..<27)
    func stackCutByCaptureIsTruncatedMPLS(length: Int) {
        let needed = length < 22 ? 22 : length < 26 ? 26 : 27
        #expect(thrownError(Array((Self.header + Fixtures.synIPv4).prefix(length)), EthernetHeader.decode)
            == .truncated(.mpls, needed: needed, available: length, limitedBy: .capture))
    }

    @Test func stackWithoutBottomIsBounded() {
        var frame = Array(Fixtures.ethernetIPv4.prefix(12)) + [0x88, 0x47]
        for _ in 0..<9 { frame += [0x00, 0x01, 0x00, 0x40] }   // nine labels, none marked bottom
        #expect(thrownError(frame + Fixtures.synIPv4, EthernetHeader.decode) == .malformed(.mpls, field: "label count"))
    }

    @Test func sllCarriesMPLS() {
        var sll = LinuxSLLHeaderTests.header
        sll[14] = 0x88; sll[15] = 0x47
        let decoded = decodeFrame(sll + [0x00, 0x01, 0x11, 0x40] + Fixtures.synIPv4 + Fixtures.synTCP, .linuxSLL)
        #expect(decoded.link?.mplsLabel == 17)
        #expect(decoded.tcp?.flags == .syn)
    }
}
