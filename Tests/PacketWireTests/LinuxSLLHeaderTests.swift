// Linux cooked capture v1 (DLT_LINUX_SLL) decoding.

import Testing
@testable import PacketWire

@Suite struct LinuxSLLHeaderTests {
    /// SLL header of an incoming Ethernet packet from 00-0F-1F-6C-1F-E1 carrying IPv4.
    static let header: [UInt8] = [
        0x00, 0x00,                               // packet type 0: to us
        0x00, 0x01,                               // ARPHRD_ETHER
        0x00, 0x06,                               // address length 6
        0x00, 0x0f, 0x1f, 0x6c, 0x1f, 0xe1, 0x00, 0x00,   // address, padded to 8
        0x08, 0x00,                               // protocol IPv4
    ]

    @Test func decodesFields() throws {
        let link = try outcome(Self.header, LinuxSLLHeader.decode).get()
        #expect(link.linkType == .linuxSLL)
        #expect(link.headerLength == 16)
        #expect(link.sllPacketType == 0)
        #expect(link.hardwareType == 1)
        #expect(link.source == MACAddress(value: 0x000F_1F6C_1FE1))
        #expect(link.destination == nil)
        #expect(link.etherType == 0x0800)
    }

    @Test func nonSixByteAddressIsNotAMAC() throws {
        var header = Self.header
        header[1] = 4                             // outgoing
        header[2] = 0x03; header[3] = 0x04        // ARPHRD_LOOPBACK (772)
        header[5] = 0                             // address length 0
        let link = try outcome(header, LinuxSLLHeader.decode).get()
        #expect(link.source == nil)
        #expect(link.sllPacketType == 4)
        #expect(link.hardwareType == 772)
    }

    @Test(arguments: 0..<LinuxSLLHeader.minimumLength)
    func everyShortPrefixIsTruncated(length: Int) {
        let error = thrownError(Array(Self.header.prefix(length)), LinuxSLLHeader.decode)
        #expect(error == .truncated(.sll, needed: 16, available: length, limitedBy: .capture))
    }

    @Test func reinsertedVLANTagIsWalked() throws {
        let header: [UInt8] = Array(Self.header.prefix(14)) + [
            0x81, 0x00,                           // protocol 802.1Q
            0x00, 0x0a,                           // VLAN 10
            0x86, 0xdd,                           // IPv6
        ]
        let link = try outcome(header, LinuxSLLHeader.decode).get()
        #expect(link.outerVLAN == 10)
        #expect(link.etherType == 0x86DD)
        #expect(link.headerLength == 20)
    }

    @Test func frameDecodesThroughToTCP() {
        let decoded = decodeFrame(Self.header + Fixtures.seedIPv4 + Fixtures.seedTCP, .linuxSLL)
        #expect(decoded.networkOffset == 16)
        #expect(decoded.transportOffset == 36)
        #expect(decoded.tcp?.sourcePort == 80)
        // The IP total length says 370 payload bytes, none of which were captured here.
        #expect(decoded.payloadLength == 0)
        #expect(decoded.payloadWireLength == 370)
        #expect(decoded.error == nil)
    }

    @Test func unknownProtocolIsUnsupportedSLL() {
        var header = Self.header
        header[14] = 0x00; header[15] = 0x04      // ETH_P_802_2
        let decoded = decodeFrame(header + [0x42, 0x42, 0x03], .linuxSLL)
        #expect(decoded.error == .unsupported(.sll, value: 4))
        #expect(decoded.link?.sllPacketType == 0)
    }
}
