// IPv6 header decoding and the bounded extension-header walk.

import Testing
@testable import PacketWire

@Suite struct IPv6HeaderTests {
    /// The plain header with its Next Header and payload length replaced.
    static func fixedHeader(next: UInt8, payloadLength: UInt16) -> [UInt8] {
        var header = Fixtures.plainIPv6
        patch16(&header, at: 4, payloadLength)
        header[6] = next
        return header
    }

    @Test func decodesFixedHeader() throws {
        let header = try outcome(Fixtures.plainIPv6, IPv6Header.decode).get()
        #expect(header.trafficClass == 0x12)
        #expect(header.flowLabel == 0x34567)
        #expect(header.payloadLength == 20)
        #expect(header.nextHeader == 6)
        #expect(header.upperLayerProtocol == 6)
        #expect(header.hopLimit == 64)
        #expect(header.source == IPAddress(ipv6High: 0x2001_0db8_0000_0000, low: 1))
        #expect(header.destination == IPAddress(ipv6High: 0x2001_0db8_0000_0000, low: 2))
        #expect(header.headerLength == 40)
        #expect(header.fragment == nil)
    }

    @Test(arguments: 0..<IPv6Header.minimumLength)
    func everyShortPrefixIsTruncated(length: Int) {
        let error = thrownError(Array(Fixtures.plainIPv6.prefix(length)), IPv6Header.decode)
        #expect(error == .truncated(.ipv6, needed: 40, available: length, limitedBy: .capture))
    }

    @Test func wrongVersionIsMalformed() {
        var header = Fixtures.plainIPv6
        header[0] = 0x41
        #expect(thrownError(header, IPv6Header.decode) == .malformed(.ipv6, field: "version"))
    }

    /// Hop-by-hop (8 bytes, PadN) then a first fragment (offset 0, M set, id 0xdeadbeef) then TCP.
    static let hopByHopAndFragment: [UInt8] = fixedHeader(next: 0, payloadLength: 16 + 20) + [
        0x2c, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,   // hop-by-hop: next Fragment, len 0, PadN(4)
        0x06, 0x00, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef,   // fragment: next TCP, offset 0, M, id
    ]

    @Test func hopByHopThenFragment() throws {
        let header = try outcome(Self.hopByHopAndFragment, IPv6Header.decode).get()
        #expect(header.nextHeader == 0)
        #expect(header.upperLayerProtocol == 6)
        #expect(header.headerLength == 56)
        #expect(header.fragment?.offset == 0)
        #expect(header.fragment?.moreFragments == true)
        #expect(header.fragment?.identification == 0xdead_beef)
        #expect(header.isFragment)

        // A fragment goes to the defragmenter: network filled, no TCP, no error.
        let decoded = decodeFrame(Fixtures.ethernetIPv6 + Self.hopByHopAndFragment + Fixtures.plainTCP)
        #expect(decoded.error == nil)
        #expect(decoded.tcp == nil)
        #expect(decoded.network?.isFragment == true)
        #expect(decoded.payloadOffset == 14 + 56)
        #expect(decoded.payloadLength == 20)
    }

    @Test func laterFragmentStopsTheWalk() throws {
        let packet = Self.fixedHeader(next: 44, payloadLength: 8 + 8) + [
            0x3c, 0x00, 0x05, 0xa8, 0x00, 0x00, 0x00, 0x09,   // fragment: next DestOpts, offset 1448, M clear
            0x06, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,   // would be destination options, but is fragment data
        ]
        let header = try outcome(packet, IPv6Header.decode).get()
        #expect(header.fragment?.offset == 1448)
        #expect(header.fragment?.moreFragments == false)
        #expect(header.upperLayerProtocol == 60)
        #expect(header.headerLength == 48)
        #expect(header.isFragment)
    }

    @Test func atomicFragmentDoesNotStopTheWalk() throws {
        let packet = Self.fixedHeader(next: 44, payloadLength: 8 + 20) + [
            0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,   // fragment: next TCP, offset 0, M clear (RFC 6946)
        ] + Fixtures.plainTCP
        let header = try outcome(packet, IPv6Header.decode).get()
        #expect(header.fragment != nil)
        #expect(!header.isFragment)
        let decoded = decodeFrame(Fixtures.ethernetIPv6 + packet)
        #expect(decoded.tcp?.sourcePort == 443)
        #expect(decoded.transportOffset == 14 + 48)
    }

    @Test func routingDestinationOptionsAndAuthentication() throws {
        let packet = Self.fixedHeader(next: 43, payloadLength: 24 + 8 + 16 + 20) + [
            // routing: next DestOpts, len 2 (24 bytes), type 0, segments left 0
            0x3c, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0x33, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,   // destination options: next AH, len 0, PadN
            // AH: next TCP, payload len 2 → (2 + 2) × 4 = 16 bytes; SPI, sequence, 4-byte ICV
            0x06, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
            0x00, 0x00, 0x00, 0x01, 0xaa, 0xbb, 0xcc, 0xdd,
        ] + Fixtures.plainTCP
        let header = try outcome(packet, IPv6Header.decode).get()
        #expect(header.headerLength == 40 + 24 + 8 + 16)
        #expect(header.upperLayerProtocol == 6)
        #expect(header.fragment == nil)
        let decoded = decodeFrame(Fixtures.ethernetIPv6 + packet)
        #expect(decoded.error == nil)
        #expect(decoded.tcp?.destinationPort == 50000)
    }

    @Test func moreThanEightExtensionHeadersIsMalformed() {
        var packet = Self.fixedHeader(next: 60, payloadLength: 9 * 8)
        for index in 0..<9 {
            let next: UInt8 = index == 8 ? 6 : 60
            packet += [next, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00]   // destination options, PadN
        }
        #expect(thrownError(packet, IPv6Header.decode) == .malformed(.ipv6Extension, field: "header count"))
    }

    @Test(arguments: 40..<56)
    func extensionHeaderCutByCaptureIsTruncated(length: Int) {
        let packet = Array(Self.hopByHopAndFragment.prefix(length))
        let needed = length < 48 ? 48 : 56
        #expect(thrownError(packet, IPv6Header.decode)
            == .truncated(.ipv6Extension, needed: needed, available: length, limitedBy: .capture))
    }

    @Test func extensionHeaderPastPayloadLengthIsLimitedByIPLength() {
        var packet = Self.hopByHopAndFragment + Fixtures.plainTCP
        patch16(&packet, at: 4, 12)               // payload length ends inside the fragment header
        #expect(thrownError(packet, IPv6Header.decode)
            == .truncated(.ipv6Extension, needed: 56, available: 52, limitedBy: .ipTotalLength))
    }

    @Test func extensionLengthByteIsHonoured() {
        // Hop-by-hop claiming 255 × 8 + 8 bytes in a short packet must be reported, not read.
        let packet = Self.fixedHeader(next: 0, payloadLength: 0) + [0x06, 0xff, 0, 0, 0, 0, 0, 0]
        #expect(thrownError(packet, IPv6Header.decode)
            == .truncated(.ipv6Extension, needed: 40 + 2048, available: 48, limitedBy: .capture))
    }

    @Test func noNextHeaderIsUnsupportedProtocol() {
        let decoded = decodeFrame(Fixtures.ethernetIPv6 + Self.fixedHeader(next: 59, payloadLength: 0))
        #expect(decoded.error == .unsupported(.ipv6, value: 59))
        #expect(decoded.network?.upperLayerProtocol == 59)
        #expect(decoded.tcp == nil)
    }
}
