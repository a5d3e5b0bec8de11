// BSD loopback (DLT_NULL, DLT_LOOP) decoding in both byte orders.

import Testing
@testable import PacketWire

@Suite struct NullLoopHeaderTests {
    /// Address families as a little-endian host writes them (the usual DLT_NULL case) and the
    /// EtherType each should map to.
    static let littleEndianFamilies: [([UInt8], UInt16)] = [
        ([0x02, 0x00, 0x00, 0x00], 0x0800),       // AF_INET
        ([0x0a, 0x00, 0x00, 0x00], 0x86DD),       // AF_INET6, Linux
        ([0x18, 0x00, 0x00, 0x00], 0x86DD),       // AF_INET6, NetBSD / OpenBSD
        ([0x1c, 0x00, 0x00, 0x00], 0x86DD),       // AF_INET6, FreeBSD
        ([0x1e, 0x00, 0x00, 0x00], 0x86DD),       // AF_INET6, macOS
    ]

    @Test(arguments: littleEndianFamilies)
    func littleEndianFamily(header: [UInt8], etherType: UInt16) throws {
        let link = try outcome(header, { (bytes: Span<UInt8>) throws(WireError) in
            try NullLoopHeader.decode(bytes, linkType: .null)
        }).get()
        #expect(link.etherType == etherType)
        #expect(link.addressFamily == UInt32(header[0]))
        #expect(link.headerLength == 4)
        #expect(link.linkType == .null)
    }

    @Test(arguments: littleEndianFamilies)
    func bigEndianFamily(header: [UInt8], etherType: UInt16) throws {
        let link = try outcome(Array(header.reversed()), { (bytes: Span<UInt8>) throws(WireError) in
            try NullLoopHeader.decode(bytes, linkType: .loop)
        }).get()
        #expect(link.etherType == etherType)
        #expect(link.addressFamily == UInt32(header[0]))
        #expect(link.linkType == .loop)
    }

    @Test(arguments: 0..<NullLoopHeader.minimumLength)
    func everyShortPrefixIsTruncated(length: Int) {
        let error = thrownError(Array([UInt8](arrayLiteral: 2, 0, 0, 0).prefix(length)), { bytes throws(WireError) in
            try NullLoopHeader.decode(bytes)
        })
        #expect(error == .truncated(.null, needed: 4, available: length, limitedBy: .capture))
    }

    @Test func unknownFamilyIsUnsupportedWithItsValue() {
        let decoded = decodeFrame([0x07, 0x00, 0x00, 0x00] + Fixtures.seedIPv4, .null)   // AF 7
        #expect(decoded.error == .unsupported(.null, value: 7))
        #expect(decoded.link?.addressFamily == 7)
        #expect(decoded.network == nil)
    }

    @Test func loopFrameDecodesThroughToTCP() {
        let frame: [UInt8] = [0x00, 0x00, 0x00, 0x02] + Fixtures.synIPv4 + Fixtures.synTCP  // AF_INET, network order
        let decoded = decodeFrame(frame, .loop)
        #expect(decoded.error == nil)
        #expect(decoded.networkOffset == 4)
        #expect(decoded.transportOffset == 24)
        #expect(decoded.tcp?.flags == .syn)
        #expect(decoded.link?.linkType == .loop)
    }

    @Test func nullFrameWithIPv6() {
        let frame: [UInt8] = [0x1e, 0x00, 0x00, 0x00] + Fixtures.plainIPv6 + Fixtures.plainTCP  // macOS AF_INET6
        let decoded = decodeFrame(frame, .null)
        #expect(decoded.error == nil)
        #expect(decoded.network?.destination.description == "2001:db8::2")
        #expect(decoded.tcp?.acknowledgmentNumber == 2)
    }
}
