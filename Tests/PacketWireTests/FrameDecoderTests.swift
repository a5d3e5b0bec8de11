// Whole-frame decoding: offsets, payload lengths (padding, snaplen, TSO), errors per layer, link types.

import Testing
@testable import PacketWire

@Suite struct FrameDecoderTests {
    @Test func synFrameOffsetsAndFields() {
        let decoded = decodeFrame(Fixtures.synFrame)
        #expect(decoded.error == nil)
        #expect(decoded.capturedLength == 74)
        #expect(decoded.networkOffset == 14)
        #expect(decoded.transportOffset == 34)
        #expect(decoded.payloadOffset == 74)
        #expect(decoded.payloadLength == 0)
        #expect(decoded.payloadWireLength == 0)
        #expect(decoded.network?.source.description == "10.0.0.1")
        #expect(decoded.network?.upperLayerProtocol == 6)
        #expect(decoded.tcp?.sequenceNumber == 1000)
        #expect(decoded.tcp?.options.maximumSegmentSize == 1460)
    }

    @Test func ethernetPaddingIsNotPayload() {
        // A bare ACK: IP total length 40, padded by the sender's NIC to the 60-byte Ethernet minimum.
        var ip = Fixtures.seedIPv4
        patch16(&ip, at: 2, 40)
        let frame = Fixtures.ethernetIPv4 + ip + Fixtures.seedTCP + [0, 0, 0, 0, 0, 0]   // 6 padding bytes
        let decoded = decodeFrame(frame)
        #expect(decoded.capturedLength == 60)
        #expect(decoded.payloadOffset == 54)
        #expect(decoded.payloadLength == 0)
        #expect(decoded.payloadWireLength == 0)
    }

    @Test func paddingAfterShortPayloadIsExcluded() {
        var ip = Fixtures.seedIPv4
        patch16(&ip, at: 2, 42)                   // 2 payload bytes
        let frame = Fixtures.ethernetIPv4 + ip + Fixtures.seedTCP + [0x0d, 0x0a, 0, 0, 0, 0]   // "\r\n" + padding
        let decoded = decodeFrame(frame)
        #expect(decoded.payloadLength == 2)
        #expect(decoded.payloadWireLength == 2)
        #expect(!decoded.isPayloadTruncated)
    }

    @Test func snaplenCutPayloadKeepsWireLength() {
        let frame = Fixtures.ethernetIPv4 + Fixtures.seedIPv4 + Fixtures.seedTCP
            + [UInt8](repeating: 0x41, count: 46)  // 100 bytes captured of the 424 on the wire
        let decoded = decodeFrame(frame)
        #expect(decoded.error == nil)
        #expect(decoded.payloadOffset == 54)
        #expect(decoded.payloadLength == 46)
        #expect(decoded.payloadWireLength == 370)
        #expect(decoded.isPayloadTruncated)
    }

    @Test func tsoZeroTotalLengthTrustsTheCapture() {
        var ip = Fixtures.seedIPv4
        patch16(&ip, at: 2, 0)                    // TSO: the NIC fills the length in later
        let frame = Fixtures.ethernetIPv4 + ip + Fixtures.seedTCP + [UInt8](repeating: 0x42, count: 3000)
        let decoded = decodeFrame(frame)
        #expect(decoded.error == nil)
        #expect(decoded.payloadLength == 3000)
        #expect(decoded.payloadWireLength == 3000)
    }

    @Test func ipv6ZeroPayloadLengthTrustsTheCapture() {
        var ip = Fixtures.plainIPv6
        patch16(&ip, at: 4, 0)
        let decoded = decodeFrame(Fixtures.ethernetIPv6 + ip + Fixtures.plainTCP + [1, 2, 3])
        #expect(decoded.payloadLength == 3)
        #expect(decoded.payloadWireLength == 3)
    }

    @Test(arguments: 34..<54)
    func tcpHeaderCutByCapture(length: Int) {
        let frame = Array((Fixtures.ethernetIPv4 + Fixtures.seedIPv4 + Fixtures.seedTCP).prefix(length))
        let decoded = decodeFrame(frame)
        #expect(decoded.error == .truncated(.tcp, needed: 20, available: length - 34, limitedBy: .capture))
        #expect(decoded.network != nil)
        #expect(decoded.tcp == nil)
    }

    @Test func tcpHeaderPastIPTotalLength() {
        var ip = Fixtures.seedIPv4
        patch16(&ip, at: 2, 30)                   // room for only 10 bytes of TCP header
        let decoded = decodeFrame(Fixtures.ethernetIPv4 + ip + Fixtures.seedTCP + [1, 2, 3, 4])
        #expect(decoded.error == .truncated(.tcp, needed: 20, available: 10, limitedBy: .ipTotalLength))
        #expect(decoded.network != nil)
    }

    @Test func tcpOptionsPastIPv6PayloadLength() {
        var ip = Fixtures.plainIPv6
        patch16(&ip, at: 4, 24)                   // the 40-byte SYN header does not fit in 24
        let decoded = decodeFrame(Fixtures.ethernetIPv6 + ip + Fixtures.synTCP)
        #expect(decoded.error == .truncated(.tcp, needed: 40, available: 24, limitedBy: .ipTotalLength))
    }

    @Test func ipv4FragmentIsPassedOnWithoutError() {
        var ip = Fixtures.seedIPv4
        patch16(&ip, at: 6, 0x2000 | 0)           // first fragment: MF, offset 0
        patch16(&ip, at: 2, 20 + 24)
        let frame = Fixtures.ethernetIPv4 + ip + Fixtures.seedTCP + [1, 2, 3, 4]
        let decoded = decodeFrame(frame)
        #expect(decoded.error == nil)
        #expect(decoded.tcp == nil)
        #expect(decoded.network?.isFragment == true)
        #expect(decoded.transportOffset == 0)
        #expect(decoded.payloadOffset == 34)
        #expect(decoded.payloadLength == 24)
    }

    @Test func udpIsUnsupportedWithNetworkFilled() {
        var ip = Fixtures.seedIPv4
        ip[9] = 17                                // UDP
        let decoded = decodeFrame(Fixtures.ethernetIPv4 + ip + [0, 53, 0, 53, 0, 8, 0, 0])
        #expect(decoded.error == .unsupported(.ipv4, value: 17))
        #expect(decoded.network?.destination.description == "10.200.4.21")
        #expect(decoded.tcp == nil)
    }

    @Test func badIPVersionLeavesLinkFilled() {
        var ip = Fixtures.seedIPv4
        ip[0] = 0x55
        let decoded = decodeFrame(Fixtures.ethernetIPv4 + ip + Fixtures.seedTCP)
        #expect(decoded.error == .malformed(.ipv4, field: "version"))
        #expect(decoded.link?.etherType == 0x0800)
        #expect(decoded.network == nil)
    }

    @Test func rawIPPicksVersionFromNibble() {
        let v4 = decodeFrame(Fixtures.synIPv4 + Fixtures.synTCP, .rawIP)
        #expect(v4.error == nil)
        #expect(v4.networkOffset == 0)
        #expect(v4.transportOffset == 20)
        #expect(v4.link?.etherType == 0x0800)
        let v6 = decodeFrame(Fixtures.plainIPv6 + Fixtures.plainTCP, .rawIP)
        #expect(v6.error == nil)
        #expect(v6.transportOffset == 40)
        #expect(v6.tcp?.sourcePort == 443)
    }

    @Test func rawIPUnknownVersionAndEmptyFrame() {
        #expect(decodeFrame([0x50, 0, 0, 0], .rawIP).error == .unsupported(.link, value: 5))
        #expect(decodeFrame([], .rawIP).error == .truncated(.link, needed: 1, available: 0, limitedBy: .capture))
    }

    @Test func ipv4AndIPv6LinkTypesSkipTheNibbleCheck() {
        #expect(decodeFrame(Fixtures.synIPv4 + Fixtures.synTCP, .ipv4).tcp?.flags == .syn)
        #expect(decodeFrame(Fixtures.plainIPv6 + Fixtures.plainTCP, .ipv6).tcp?.flags == .ack)
        // An IPv6 packet on a DLT_IPV4 link is malformed, not silently re-routed.
        #expect(decodeFrame(Fixtures.plainIPv6, .ipv4).error == .malformed(.ipv4, field: "version"))
    }

    @Test func unknownLinkTypeIsUnsupported() {
        let decoded = decodeFrame(Fixtures.synFrame, .other(147))
        #expect(decoded.error == .unsupported(.link, value: 147))
        #expect(decoded.link == nil)
        #expect(decoded.capturedLength == 74)
    }

    @Test func emptyEthernetFrame() {
        let decoded = decodeFrame([])
        #expect(decoded.error == .truncated(.ethernet, needed: 14, available: 0, limitedBy: .capture))
        #expect(decoded.link == nil)
    }
}
