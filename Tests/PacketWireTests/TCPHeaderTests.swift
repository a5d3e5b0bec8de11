// TCP header decoding and option parsing.

import Testing
@testable import PacketWire

@Suite struct TCPHeaderTests {
    /// A header of 20 + `options.count` bytes (must be a multiple of 4) with the ACK flag.
    static func header(options: [UInt8]) -> [UInt8] {
        var bytes = Fixtures.plainTCP + options
        bytes[12] = UInt8((bytes.count / 4) << 4)
        return bytes
    }

    @Test func decodesSeedHeader() throws {
        let tcp = try outcome(Fixtures.seedTCP, TCPHeader.decode).get()
        #expect(tcp.sourcePort == 80)
        #expect(tcp.destinationPort == 21937)
        #expect(tcp.sequenceNumber == 0xaac6_8952)
        #expect(tcp.acknowledgmentNumber == 0xe7d6_8501)
        #expect(tcp.headerLength == 20)
        #expect(tcp.flags == [.ack, .psh])
        #expect(tcp.window == 2351)
        #expect(tcp.checksum == 0xf967)
        #expect(tcp.urgentPointer == 0)
        #expect(tcp.options.maximumSegmentSize == nil)
        #expect(tcp.options.timestampValue == nil)
    }

    @Test(arguments: 0..<TCPHeader.minimumLength)
    func everyShortPrefixIsTruncated(length: Int) {
        let error = thrownError(Array(Fixtures.seedTCP.prefix(length)), TCPHeader.decode)
        #expect(error == .truncated(.tcp, needed: 20, available: length, limitedBy: .capture))
    }

    @Test(arguments: 20..<40)
    func optionsCutByCaptureAreTruncated(length: Int) {
        let error = thrownError(Array(Fixtures.synTCP.prefix(length)), TCPHeader.decode)
        #expect(error == .truncated(.tcp, needed: 40, available: length, limitedBy: .capture))
    }

    @Test(arguments: 0..<5)
    func dataOffsetBelowFiveIsMalformed(dataOffset: Int) {
        var bytes = Fixtures.seedTCP
        bytes[12] = UInt8(dataOffset << 4)
        #expect(thrownError(bytes, TCPHeader.decode) == .malformed(.tcp, field: "dataOffset"))
    }

    @Test func synOptions() throws {
        let tcp = try outcome(Fixtures.synTCP, TCPHeader.decode).get()
        #expect(tcp.headerLength == 40)
        #expect(tcp.flags == .syn)
        #expect(tcp.window == 64240)
        #expect(tcp.options.maximumSegmentSize == 1460)
        #expect(tcp.options.sackPermitted)
        #expect(tcp.options.timestampValue == 4096)
        #expect(tcp.options.timestampEcho == 0)
        #expect(tcp.options.windowScale == 7)
        #expect(tcp.options.sackBlockCount == 0)
    }

    @Test func sackBlocksAndTimestamps() throws {
        let bytes = Self.header(options: [
            0x01, 0x01,                                       // NOP NOP
            0x08, 0x0a, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x06,   // TSval 5, TSecr 6
            0x01, 0x01,                                       // NOP NOP
            0x05, 0x12,                                       // SACK, 2 blocks
            0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x20, 0x00,
            0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x40, 0x00,
        ])
        let tcp = try outcome(bytes, TCPHeader.decode).get()
        #expect(tcp.options.sackBlockCount == 2)
        #expect(tcp.options.timestampValue == 5)
        #expect(tcp.options.timestampEcho == 6)
        #expect(!tcp.options.sackPermitted)
    }

    @Test func unknownOptionIsSkipped() throws {
        let bytes = Self.header(options: [
            0x1e, 0x06, 0x00, 0x00, 0x00, 0x00,               // MPTCP (kind 30), 6 bytes
            0x02, 0x04, 0x02, 0x18,                           // MSS 536
            0x01, 0x01,                                       // NOP NOP
        ])
        #expect(try outcome(bytes, TCPHeader.decode).get().options.maximumSegmentSize == 536)
    }

    @Test func endOfOptionListStopsParsing() throws {
        let bytes = Self.header(options: [
            0x03, 0x03, 0x02,                                 // WS 2
            0x00,                                             // EOL
            0x02, 0x04, 0x05, 0xb4,                           // after EOL: must be ignored
        ])
        let options = try outcome(bytes, TCPHeader.decode).get().options
        #expect(options.windowScale == 2)
        #expect(options.maximumSegmentSize == nil)
    }

    @Test(arguments: [0x00, 0x01, 0x09, 0xff] as [UInt8])
    func badOptionLengthStopsParsingButKeepsHeader(length: UInt8) throws {
        let bytes = Self.header(options: [
            0x02, 0x04, 0x05, 0xb4,                           // MSS 1460
            0x08, length, 0x00, 0x00,                         // timestamps with an impossible length
        ])
        let tcp = try outcome(bytes, TCPHeader.decode).get()
        #expect(tcp.headerLength == 28)
        #expect(tcp.options.maximumSegmentSize == 1460)
        #expect(tcp.options.timestampValue == nil)
    }

    @Test func knownKindWithWrongLengthIsIgnored() throws {
        let bytes = Self.header(options: [
            0x02, 0x03, 0x05,                                 // MSS with length 3: ignored
            0x03, 0x04, 0x07, 0x00,                           // WS with length 4: ignored
            0x04, 0x02,                                       // SACK permitted
            0x01, 0x01, 0x01,                                 // NOP padding
        ])
        let options = try outcome(bytes, TCPHeader.decode).get().options
        #expect(options.maximumSegmentSize == nil)
        #expect(options.windowScale == nil)
        #expect(options.sackPermitted)
    }

    @Test func optionKindAtLastByteWithoutLength() throws {
        let bytes = Self.header(options: [0x01, 0x01, 0x01, 0x02])   // NOPs, then MSS kind with no length byte
        let tcp = try outcome(bytes, TCPHeader.decode).get()
        #expect(tcp.headerLength == 24)
        #expect(tcp.options.maximumSegmentSize == nil)
    }
}

@Suite struct TCPOptionsOnSYNOnlyTests {
    @Test func synOptionsAreStillParsed() throws {
        let tcp = try Fixtures.synTCP.withUnsafeBufferPointer { try TCPHeader.decode(Span(_unsafeElements: $0), optionsOnSYNOnly: true) }
        #expect(tcp.options.windowScale == 7)
        #expect(tcp.options.maximumSegmentSize == 1460)
    }

    @Test func otherSegmentsSkipThemAndKeepEveryOtherField() throws {
        // NOP NOP timestamps on an ACK segment.
        let bytes = TCPHeaderTests.header(options: [1, 1, 8, 10, 0, 0, 0x10, 0, 0, 0, 0, 1])
        let full = try bytes.withUnsafeBufferPointer { try TCPHeader.decode(Span(_unsafeElements: $0)) }
        let quick = try bytes.withUnsafeBufferPointer { try TCPHeader.decode(Span(_unsafeElements: $0), optionsOnSYNOnly: true) }
        #expect(full.options.timestampValue == 4096)
        #expect(quick.options.timestampValue == nil)
        #expect(quick.headerLength == full.headerLength)
        #expect(quick.sequenceNumber == full.sequenceNumber && quick.acknowledgmentNumber == full.acknowledgmentNumber)
        #expect(quick.flags == full.flags && quick.window == full.window)
    }
}
