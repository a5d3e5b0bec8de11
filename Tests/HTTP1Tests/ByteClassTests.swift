// The token table and the wide (eight bytes a step) scans agree with their plain definitions.

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

    @Test func wideControlOrSpaceScanMatchesABytewiseScan() {
        var generator = SeededGenerator(state: 11)
        for _ in 0..<2_000 {
            let count = Int.random(in: 0..<80, using: &generator)
            let bytes: [UInt8] = (0..<count).map { _ in
                switch Int.random(in: 0..<24, using: &generator) {
                case 0: UInt8.random(in: 0...0x1F, using: &generator)
                case 1: 0x20
                case 2: 0x7F
                default: UInt8.random(in: 0x21...0xFF, using: &generator)
                }
            }
            let from = count == 0 ? 0 : Int.random(in: 0...count, using: &generator)
            let expected = (from..<count).first { bytes[$0] <= 0x20 || bytes[$0] == 0x7F } ?? count
            let found = bytes.withUnsafeBufferPointer { ByteClass.firstControlOrSpace(in: $0, from: from, to: count) }
            #expect(found == expected)
        }
    }

    /// Every byte value at every lane of the eight-byte step, among name bytes, and random mixes.
    @Test func wideNameScanMatchesABytewiseScan() {
        func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D
        }
        for value in 0...255 {
            for lane in 0..<12 {
                var bytes = Array("Content-Type".utf8)
                bytes[lane] = UInt8(value)
                let expected = (0..<bytes.count).first { !isNameByte(bytes[$0]) } ?? bytes.count
                let found = bytes.withUnsafeBufferPointer { ByteClass.firstNonNameByte(in: $0, from: 0, to: bytes.count) }
                #expect(found == expected, "byte \(value) at \(lane)")
            }
        }
        var generator = SeededGenerator(state: 13)
        for _ in 0..<2_000 {
            let count = Int.random(in: 0..<40, using: &generator)
            let bytes: [UInt8] = (0..<count).map { _ in
                Int.random(in: 0..<16, using: &generator) == 0 ? UInt8.random(in: 0...0xFF, using: &generator)
                    : Array("abcXYZ019-".utf8).randomElement(using: &generator)!
            }
            let from = count == 0 ? 0 : Int.random(in: 0...count, using: &generator)
            let expected = (from..<count).first { !isNameByte(bytes[$0]) } ?? count
            let found = bytes.withUnsafeBufferPointer { ByteClass.firstNonNameByte(in: $0, from: from, to: count) }
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
