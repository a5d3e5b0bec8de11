// The Netmon hex dump against the rows the IIS 502.2 article prints.

import Testing
@testable import Rendering

@Suite struct HexDumpTests {
    /// The first 0x50 bytes of the article's frame and the rows it shows for them.
    static let frameStart: [UInt8] = [
        0x00, 0x11, 0xBC, 0x3E, 0x62, 0x3C, 0x00, 0x0F, 0x1F, 0x6C, 0x1F, 0xE1, 0x08, 0x00, 0x45, 0x00,
        0x01, 0x9A, 0xEF, 0x40, 0x40, 0x00, 0x80, 0x06, 0x00, 0x00, 0xD8, 0xA2, 0x10, 0x5C, 0x0A, 0xC8,
        0x04, 0x15, 0x00, 0x50, 0x55, 0xB1, 0xAA, 0xC6, 0x89, 0x52, 0xE7, 0xD6, 0x85, 0x01, 0x50, 0x18,
        0x09, 0x2F, 0xF9, 0x67, 0x00, 0x00, 0x48, 0x54, 0x54, 0x50, 0x2F, 0x31, 0x2E, 0x31, 0x20, 0x35,
        0x30, 0x32, 0x20, 0x42, 0x61, 0x64, 0x20, 0x47, 0x61, 0x74, 0x65, 0x77, 0x61, 0x79, 0x0D, 0x0A,
    ]

    @Test func rowsMatchTheArticle() {
        let rows = Self.frameStart.withUnsafeBufferPointer { HexDump.rows(Span(_unsafeElements: $0)) }
        #expect(rows == [
            "00000: 00 11 BC 3E 62 3C 00 0F 1F 6C 1F E1 08 00 45 00 ..¼>b<...l.á..E.",
            "00010: 01 9A EF 40 40 00 80 06 00 00 D8 A2 10 5C 0A C8 .šï@@.€...Ø¢.\\.È",
            "00020: 04 15 00 50 55 B1 AA C6 89 52 E7 D6 85 01 50 18 ...PU±ªÆ‰RçÖ….P.",
            "00030: 09 2F F9 67 00 00 48 54 54 50 2F 31 2E 31 20 35 ./ùg..HTTP/1.1 5",
            "00040: 30 32 20 42 61 64 20 47 61 74 65 77 61 79 0D 0A 02 Bad Gateway..",
        ])
    }

    @Test func lastRowIsNotPaddedAndTrailingSpacesGo() {
        let bytes: [UInt8] = Array("abc ".utf8)
        let rows = bytes.withUnsafeBufferPointer { HexDump.rows(Span(_unsafeElements: $0)) }
        #expect(rows == ["00000: 61 62 63 20 abc"])
    }

    @Test func emptyFrameHasNoRows() {
        let rows = [UInt8]().withUnsafeBufferPointer { HexDump.rows(Span(_unsafeElements: $0)) }
        #expect(rows.isEmpty)
    }

    @Test(arguments: Array(UInt8.min...UInt8.max))
    func everyGlyphIsSafeForATerminal(_ byte: UInt8) {
        let glyph = HexDump.glyph(byte)
        for scalar in glyph.unicodeScalars {
            #expect(!SafeText.isUnsafe(scalar), "byte \(byte) shows as an unsafe scalar")
        }
        if byte < 0x20 || byte == 0x7F || [0x81, 0x8D, 0x8F, 0x90, 0x9D].contains(byte) { #expect(glyph == ".") }
    }

    @Test func offsetsGrowPastFiveDigits() {
        #expect(HexDump.offsetText(0x1A0) == "001A0")
        #expect(HexDump.offsetText(0x123456) == "123456")
    }
}
