// The token table and the wide control-byte scan agree with their plain definitions.

@testable import HTTP1
import Testing

@Suite("Byte classes")
struct ByteClassTests {
    @Test func tokenTableMatchesRFC9110() {
        let specials = Set("!#$%&'*+-.^_`|~".utf8)
        for value in 0...255 {
            let byte = UInt8(value)
            let expected = specials.contains(byte) || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                || (byte >= 0x61 && byte <= 0x7A)
            #expect(ByteClass.isToken(byte) == expected, "byte \(value)")
        }
    }

    @Test func wideControlScanMatchesABytewiseScan() {
        var generator = SeededGenerator(state: 7)
        for _ in 0..<2_000 {
            let count = Int.random(in: 0..<80, using: &generator)
            let bytes: [UInt8] = (0..<count).map { _ in
                Int.random(in: 0..<20, using: &generator) == 0 ? UInt8.random(in: 0...0x1F, using: &generator)
                    : (Bool.random(using: &generator) ? 0x7F : UInt8.random(in: 0x20...0xFF, using: &generator))
            }
            let from = count == 0 ? 0 : Int.random(in: 0...count, using: &generator)
            let expected = (from..<count).first { bytes[$0] < 0x20 || bytes[$0] == 0x7F } ?? count
            let found = bytes.withUnsafeBufferPointer { ByteClass.firstControl(in: $0, from: from, to: count) }
            #expect(found == expected)
        }
    }

    @Test func hexDigits() {
        #expect(ByteClass.hexValue(UInt8(ascii: "0")) == 0)
        #expect(ByteClass.hexValue(UInt8(ascii: "f")) == 15)
        #expect(ByteClass.hexValue(UInt8(ascii: "F")) == 15)
        #expect(ByteClass.hexValue(UInt8(ascii: "g")) == nil)
        #expect(ByteClass.hexValue(UInt8(ascii: "/")) == nil)
    }
}
