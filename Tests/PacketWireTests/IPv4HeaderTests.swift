// IPv4 header decoding: fields, options, fragments, malformed values, truncation, checksum.

import Testing
@testable import PacketWire

@Suite struct IPv4HeaderTests {
    @Test func decodesSeedHeader() throws {
        let header = try outcome(Fixtures.seedIPv4, IPv4Header.decode).get()
        #expect(header.headerLength == 20)
        #expect(header.typeOfService == 0)
        #expect(header.totalLength == 410)
        #expect(header.identification == 0xef40)
        #expect(header.dontFragment)
        #expect(!header.moreFragments)
        #expect(header.fragmentOffset == 0)
        #expect(header.timeToLive == 128)
        #expect(header.protocolNumber == 6)
        #expect(header.checksum == 0)
        #expect(header.source == IPAddress(ipv4: 0xd8a2_105c))
        #expect(header.destination.description == "10.200.4.21")
        #expect(!header.isFragment)
    }

    @Test(arguments: 0..<IPv4Header.minimumLength)
    func everyShortPrefixIsTruncated(length: Int) {
        let error = thrownError(Array(Fixtures.seedIPv4.prefix(length)), IPv4Header.decode)
        #expect(error == .truncated(.ipv4, needed: 20, available: length, limitedBy: .capture))
    }

    /// IPv4 header with IHL 6: a Router Alert option (RFC 2113), total length 44.
    static let withOptions: [UInt8] = [
        0x46, 0x00, 0x00, 0x2c,                   // version 4, IHL 6, total length 44
        0x00, 0x01, 0x00, 0x00,                   // id 1
        0x01, 0x06, 0x00, 0x00,                   // TTL 1, TCP
        0xc0, 0x00, 0x02, 0x01,                   // 192.0.2.1
        0xc0, 0x00, 0x02, 0x02,                   // 192.0.2.2
        0x94, 0x04, 0x00, 0x00,                   // Router Alert
    ]

    @Test func optionsExtendTheHeader() throws {
        let header = try outcome(Self.withOptions, IPv4Header.decode).get()
        #expect(header.headerLength == 24)
        let decoded = decodeFrame(Fixtures.ethernetIPv4 + Self.withOptions + Fixtures.plainTCP)
        #expect(decoded.error == nil)
        #expect(decoded.transportOffset == 14 + 24)
        #expect(decoded.tcp?.sourcePort == 443)
        #expect(decoded.payloadLength == 0)
    }

    @Test(arguments: 20..<24)
    func optionsCutByCaptureAreTruncated(length: Int) {
        let error = thrownError(Array(Self.withOptions.prefix(length)), IPv4Header.decode)
        #expect(error == .truncated(.ipv4, needed: 24, available: length, limitedBy: .capture))
    }

    @Test func wrongVersionIsMalformed() {
        var header = Fixtures.seedIPv4
        header[0] = 0x65                          // version 6, IHL 5
        #expect(thrownError(header, IPv4Header.decode) == .malformed(.ipv4, field: "version"))
    }

    @Test(arguments: [0x40, 0x41, 0x44] as [UInt8])
    func headerLengthBelowFiveIsMalformed(first: UInt8) {
        var header = Fixtures.seedIPv4
        header[0] = first
        #expect(thrownError(header, IPv4Header.decode) == .malformed(.ipv4, field: "headerLength"))
    }

    @Test func totalLengthShorterThanHeaderIsMalformed() {
        var header = Self.withOptions
        patch16(&header, at: 2, 22)               // claims 22 bytes but the header alone is 24
        #expect(thrownError(header, IPv4Header.decode) == .malformed(.ipv4, field: "totalLength"))
    }

    @Test func zeroTotalLengthIsAcceptedForTSO() throws {
        var header = Fixtures.seedIPv4
        patch16(&header, at: 2, 0)
        #expect(try outcome(header, IPv4Header.decode).get().totalLength == 0)
    }

    @Test func fragmentFields() throws {
        var header = Fixtures.seedIPv4
        patch16(&header, at: 6, 0x2000 | 185)     // MF, offset 185 × 8
        let decoded = try outcome(header, IPv4Header.decode).get()
        #expect(decoded.moreFragments)
        #expect(!decoded.dontFragment)
        #expect(decoded.fragmentOffset == 1480)
        #expect(decoded.isFragment)
        #expect(NetworkRepr.ipv4(decoded).isFragment)
    }

    @Test func checksumVerification() {
        // The worked example from RFC 1071-style tutorials: 192.168.0.1 → 192.168.0.199, UDP.
        var header: [UInt8] = [
            0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00,
            0x40, 0x11, 0xb8, 0x61,               // checksum 0xb861
            0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
        ]
        let valid = IPv4Header.checksumIsValid(header.span)
        #expect(valid)
        header[8] = 0x3f                          // TTL changed, checksum now wrong
        let changed = IPv4Header.checksumIsValid(header.span)
        #expect(!changed)
        let short = Array(header.prefix(19))
        let truncated = IPv4Header.checksumIsValid(short.span)
        #expect(!truncated)
    }
}
