// Ethernet II decoding: addresses, EtherType, 802.1Q / QinQ tags, truncation, 802.3 frames.

import Testing
@testable import PacketWire

@Suite struct EthernetHeaderTests {
    @Test func decodesAddressesAndEtherType() throws {
        let link = try outcome(Fixtures.ethernetIPv4, EthernetHeader.decode).get()
        #expect(link.linkType == .ethernet)
        #expect(link.destination == MACAddress(value: 0x0011_BC3E_623C))
        #expect(link.source == MACAddress(value: 0x000F_1F6C_1FE1))
        #expect(link.etherType == 0x0800)
        #expect(link.headerLength == 14)
        #expect(link.outerVLAN == nil && link.innerVLAN == nil)
        #expect(link.vlanKey == 0)
        #expect(link.sllPacketType == nil)
    }

    @Test(arguments: 0..<EthernetHeader.minimumLength)
    func everyShortPrefixIsTruncated(length: Int) {
        let error = thrownError(Array(Fixtures.ethernetIPv4.prefix(length)), EthernetHeader.decode)
        #expect(error == .truncated(.ethernet, needed: 14, available: length, limitedBy: .capture))
    }

    @Test func singleDot1QTag() throws {
        let frame: [UInt8] = [
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff,   // broadcast destination
            0x00, 0x0f, 0x1f, 0x6c, 0x1f, 0xe1,   // source
            0x81, 0x00, 0xa0, 0x64,               // 802.1Q, PCP 5, VLAN 100
            0x86, 0xdd,                           // IPv6
        ]
        let link = try outcome(frame, EthernetHeader.decode).get()
        #expect(link.outerVLAN == 100)
        #expect(link.innerVLAN == nil)
        #expect(link.etherType == 0x86DD)
        #expect(link.headerLength == 18)
        #expect(link.vlanKey != 0)
    }

    @Test func qinqRecordsOuterAndInner() throws {
        let frame: [UInt8] = [
            0x00, 0x11, 0xbc, 0x3e, 0x62, 0x3c,   // destination
            0x00, 0x0f, 0x1f, 0x6c, 0x1f, 0xe1,   // source
            0x88, 0xa8, 0x0f, 0xff,               // 802.1ad service tag, VLAN 4095
            0x81, 0x00, 0x00, 0x07,               // 802.1Q customer tag, VLAN 7
            0x08, 0x00,                           // IPv4
        ]
        let link = try outcome(frame, EthernetHeader.decode).get()
        #expect(link.outerVLAN == 4095)
        #expect(link.innerVLAN == 7)
        #expect(link.etherType == 0x0800)
        #expect(link.headerLength == 22)
    }

    @Test func thirdTagIsSkippedButCounted() throws {
        let frame: [UInt8] = Array(Fixtures.ethernetIPv4.prefix(12)) + [
            0x91, 0x00, 0x00, 0x01,               // pre-standard QinQ, VLAN 1
            0x81, 0x00, 0x00, 0x02,               // VLAN 2
            0x81, 0x00, 0x00, 0x03,               // VLAN 3 (not recorded)
            0x08, 0x00,                           // IPv4
        ]
        let link = try outcome(frame, EthernetHeader.decode).get()
        #expect(link.outerVLAN == 1)
        #expect(link.innerVLAN == 2)
        #expect(link.headerLength == 26)
        #expect(link.etherType == 0x0800)
    }

    @Test func moreThanEightTagsIsMalformed() {
        var frame = Array(Fixtures.ethernetIPv4.prefix(12))
        for _ in 0..<9 { frame += [0x81, 0x00, 0x00, 0x01] }   // nine 802.1Q tags
        frame += [0x08, 0x00]
        #expect(thrownError(frame, EthernetHeader.decode) == .malformed(.vlan, field: "tag count"))
    }

    @Test func eightTagsAreAccepted() throws {
        var frame = Array(Fixtures.ethernetIPv4.prefix(12))
        for id in 1...8 { frame += [0x81, 0x00, 0x00, UInt8(id)] }
        frame += [0x08, 0x00]
        let link = try outcome(frame, EthernetHeader.decode).get()
        #expect(link.headerLength == 14 + 32)
        #expect(link.outerVLAN == 1 && link.innerVLAN == 2)
    }

    @Test(arguments: 14..<18)
    func tagCutByCaptureIsTruncatedVLAN(length: Int) {
        let frame: [UInt8] = Array(Fixtures.ethernetIPv4.prefix(12)) + [0x81, 0x00, 0x00, 0x64, 0x08, 0x00]
        let error = thrownError(Array(frame.prefix(length)), EthernetHeader.decode)
        #expect(error == .truncated(.vlan, needed: 18, available: length, limitedBy: .capture))
    }

    @Test func vlanKeysAreDistinctPerPair() throws {
        func key(_ tags: [[UInt8]]) throws -> UInt32 {
            var frame = Array(Fixtures.ethernetIPv4.prefix(12))
            for tag in tags { frame += [0x81, 0x00] + tag }
            frame += [0x08, 0x00]
            return try outcome(frame, EthernetHeader.decode).get().vlanKey
        }
        let keys = [
            try key([]),                               // untagged
            try key([[0x00, 0x00]]),                   // priority tag, VLAN 0
            try key([[0x00, 0x05]]),                   // VLAN 5
            try key([[0x00, 0x05], [0x00, 0x00]]),     // 5 then 0
            try key([[0x00, 0x00], [0x00, 0x05]]),     // 0 then 5
            try key([[0x00, 0x05], [0x00, 0x06]]),     // 5 then 6
            try key([[0x00, 0x06], [0x00, 0x05]]),     // 6 then 5
        ]
        #expect(keys[0] == 0)
        #expect(Set(keys).count == keys.count)
        // Priority bits are not part of the VLAN ID, so they must not change the key.
        #expect(try key([[0xe0, 0x05]]) == keys[2])
    }

    @Test func ieee8023LengthFieldIsUnsupportedWithAddressesKept() throws {
        let frame: [UInt8] = Array(Fixtures.ethernetIPv4.prefix(12)) + [
            0x00, 0x26,                           // 802.3 length 38
            0x42, 0x42, 0x03,                     // LLC: STP
        ] + [UInt8](repeating: 0, count: 43)
        let decoded = decodeFrame(frame)
        #expect(decoded.error == .unsupported(.ethernet, value: 0x26))
        #expect(decoded.link?.source == MACAddress(value: 0x000F_1F6C_1FE1))
        #expect(decoded.network == nil && decoded.tcp == nil)
    }

    @Test func arpIsUnsupportedEtherType() {
        let frame: [UInt8] = Array(Fixtures.ethernetIPv4.prefix(12)) + [0x08, 0x06]   // ARP
            + [UInt8](repeating: 0, count: 28)
        let decoded = decodeFrame(frame)
        #expect(decoded.error == .unsupported(.ethernet, value: 0x0806))
        #expect(decoded.link?.etherType == 0x0806)
        #expect(decoded.network == nil)
    }

    @Test func vlanTaggedTCPFrameDecodesThrough() throws {
        let frame: [UInt8] = Array(Fixtures.ethernetIPv4.prefix(12))
            + [0x81, 0x00, 0x00, 0x2a]            // VLAN 42
            + [0x08, 0x00]                        // IPv4
            + Fixtures.synIPv4 + Fixtures.synTCP
        let decoded = decodeFrame(frame)
        #expect(decoded.error == nil)
        #expect(decoded.link?.outerVLAN == 42)
        #expect(decoded.networkOffset == 18)
        #expect(decoded.transportOffset == 38)
        #expect(decoded.tcp?.destinationPort == 80)
    }
}
