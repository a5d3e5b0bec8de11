// Linux cooked capture v2 (DLT_LINUX_SLL2) decoding.

import Testing
@testable import PacketWire

@Suite struct LinuxSLL2HeaderTests {
    /// SLL2 header of an outgoing IPv6 packet on interface 3 from 02-00-00-00-00-01.
    static let header: [UInt8] = [
        0x86, 0xdd,                               // protocol IPv6
        0x00, 0x00,                               // reserved
        0x00, 0x00, 0x00, 0x03,                   // interface index 3
        0x00, 0x01,                               // ARPHRD_ETHER
        0x04,                                     // packet type 4: outgoing
        0x06,                                     // address length 6
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,   // address, padded to 8
    ]

    @Test func decodesFields() throws {
        let link = try outcome(Self.header, LinuxSLL2Header.decode).get()
        #expect(link.linkType == .linuxSLL2)
        #expect(link.headerLength == 20)
        #expect(link.etherType == 0x86DD)
        #expect(link.interfaceIndex == 3)
        #expect(link.hardwareType == 1)
        #expect(link.sllPacketType == 4)
        #expect(link.source == MACAddress(value: 0x0200_0000_0001))
    }

    @Test(arguments: 0..<LinuxSLL2Header.minimumLength)
    func everyShortPrefixIsTruncated(length: Int) {
        let error = thrownError(Array(Self.header.prefix(length)), LinuxSLL2Header.decode)
        #expect(error == .truncated(.sll2, needed: 20, available: length, limitedBy: .capture))
    }

    @Test func reinsertedVLANTagsAreWalked() throws {
        var header = Self.header
        header[0] = 0x88; header[1] = 0xa8        // protocol 802.1ad
        header += [0x00, 0x64, 0x81, 0x00]        // VLAN 100, then 802.1Q
        header += [0x00, 0xc8, 0x08, 0x00]        // VLAN 200, then IPv4
        let link = try outcome(header, LinuxSLL2Header.decode).get()
        #expect(link.outerVLAN == 100)
        #expect(link.innerVLAN == 200)
        #expect(link.etherType == 0x0800)
        #expect(link.headerLength == 28)
        #expect(link.vlanKey != 0)
    }

    @Test func vlanTagCutByCaptureIsTruncated() {
        var header = Self.header
        header[0] = 0x81; header[1] = 0x00
        header += [0x00, 0x64]                    // TCI only, EtherType missing
        #expect(thrownError(header, LinuxSLL2Header.decode)
            == .truncated(.vlan, needed: 24, available: 22, limitedBy: .capture))
    }

    @Test func frameDecodesIPv6ThroughToTCP() {
        let decoded = decodeFrame(Self.header + Fixtures.plainIPv6 + Fixtures.plainTCP, .linuxSLL2)
        #expect(decoded.error == nil)
        #expect(decoded.networkOffset == 20)
        #expect(decoded.transportOffset == 60)
        #expect(decoded.payloadOffset == 80)
        #expect(decoded.tcp?.sourcePort == 443)
        #expect(decoded.network?.source.description == "2001:db8::1")
    }
}
