// Byte classes and delimiter searches used by the head and chunk scanners.

import Glibc

/// Character classes of RFC 9110 §5.6 as bit tables, and the wide searches the hot path uses.
///
/// Bit tables in constants (rather than a global array) keep lookups free of lazy-initialisation checks.
enum ByteClass {
    /// `tchar` bits for bytes 0..<64: `!#$%&'*+-.` and digits.
    static let tokenLow: UInt64 = 0x03ff_6cfa_0000_0000
    /// `tchar` bits for bytes 64..<128: letters and `^_`|~`.
    static let tokenHigh: UInt64 = 0x57ff_ffff_c7ff_fffe

    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A

    /// Whether `byte` may appear in a token (method, header name).
    ///
    /// Branch-free (a select between the two table words), so a name loop costs one predictable branch a byte.
    @inline(__always)
    static func isToken(_ byte: UInt8) -> Bool {
        let word = byte & 64 == 0 ? tokenLow : tokenHigh
        // Bytes from 128 up are never tokens: their top bit clears the low bit of the mask.
        return (word >> UInt64(byte & 63)) & ~UInt64(byte >> 7) & 1 != 0
    }

    /// Whether `byte` is a decimal digit.
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    /// The value of a hex digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case 0x30...0x39: UInt64(byte &- 0x30)
        case 0x41...0x46: UInt64(byte &- 0x41 &+ 10)
        case 0x61...0x66: UInt64(byte &- 0x61 &+ 10)
        default: nil
        }
    }

    /// ASCII lowercase; other bytes unchanged.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    /// Whether `byte` is optional whitespace (SP or HTAB).
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    /// Whether `byte` is a control byte that may not appear in a field value or reason (all CTLs but HTAB).
    @inline(__always)
    static func isForbiddenControl(_ byte: UInt8) -> Bool { (byte < 0x20 && byte != tab) || byte == 0x7F }

    /// The index of the first `byte` in `buffer[from..<to]`, or nil; `memchr` scans many bytes per step.
    @inline(__always)
    static func find(_ byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, to <= buffer.count, let base = buffer.baseAddress else { return nil }
        // Safety: from..<to lies inside buffer (checked above), so memchr reads only buffer's memory.
        guard let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// The index of the first byte in `buffer[from..<to]` that is a control byte or DEL (HTAB included), or `to`.
    ///
    /// Field values and reason phrases end at their CR, and this is how the scanner finds it.
    @inline(__always)
    static func firstControl(in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        firstByte(below: 0x20, in: buffer, from: from, to: to)
    }

    /// The index of the first byte in `buffer[from..<to]` that is a space, a control byte or DEL, or `to`.
    ///
    /// A request target ends at its space; controls inside it are flagged, so they must stop the scan too.
    @inline(__always)
    static func firstControlOrSpace(in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        firstByte(below: 0x21, in: buffer, from: from, to: to)
    }

    /// The index of the first byte in `buffer[from..<to]` that is below `threshold` (at most 0x80) or is DEL, or `to`.
    ///
    /// Eight bytes per step: a SWAR test whose lowest set bit marks the first byte below `threshold` or equal to
    /// 0x7F (higher bits may be false positives from borrows, so only the lowest one is used).
    @inline(__always)
    private static func firstByte(below threshold: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        var index = from
        guard let base = buffer.baseAddress, to <= buffer.count else { return to }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let below = ones &* UInt64(threshold)
        @inline(__always)
        func hits(_ word: UInt64) -> UInt64 {
            let small = (word &- below) & ~word & highs
            let del = word ^ (ones &* 0x7F)
            return small | ((del &- ones) & ~del & highs)
        }
        // Thirty-two, then sixteen bytes per step keep the loop's branch cost below the arithmetic.
        while index &+ 32 <= to {
            // Safety: index + 32 <= to <= buffer.count, so the four words loaded are inside buffer.
            let first = hits(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            let second = hits(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index &+ 8, as: UInt64.self)))
            let third = hits(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index &+ 16, as: UInt64.self)))
            let fourth = hits(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index &+ 24, as: UInt64.self)))
            if first | second | third | fourth != 0 {
                if first != 0 { return index &+ first.trailingZeroBitCount >> 3 }
                if second != 0 { return index &+ 8 &+ second.trailingZeroBitCount >> 3 }
                if third != 0 { return index &+ 16 &+ third.trailingZeroBitCount >> 3 }
                return index &+ 24 &+ fourth.trailingZeroBitCount >> 3
            }
            index &+= 32
        }
        while index &+ 8 <= to {
            // Safety: index + 8 <= to <= buffer.count, so the eight bytes loaded are inside buffer.
            let found = hits(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            if found != 0 { return index &+ found.trailingZeroBitCount >> 3 }
            index &+= 8
        }
        while index < to {
            let byte = buffer[index]
            if byte < threshold || byte == 0x7F { return index }
            index &+= 1
        }
        return to
    }

    /// The index of the first byte in `buffer[from..<to]` that is not an ASCII letter, digit or `-`, or `to`.
    ///
    /// Header names are almost always made of these alone, so the name scanner skips them eight at a time and
    /// looks at the rarer token bytes (`_`, `.`, `!`...) one by one. Each byte's test is two range checks and
    /// one equality on its low seven bits; additions stay within a byte (seven-bit values plus at most 0x80),
    /// so no carry crosses into the next byte and every byte's answer is exact, not only the lowest one.
    @inline(__always)
    static func firstNonNameByte(in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        var index = from
        guard let base = buffer.baseAddress, to <= buffer.count else { return to }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always)
        func outsiders(_ word: UInt64) -> UInt64 {
            let low = word & ~highs
            // Bit 7 of `low + (0x80 - lo)` is set when the byte is >= lo; of `low + (0x7F - hi)` when it is > hi.
            let folded = low | (ones &* 0x20)
            let letter = (folded &+ ones &* (0x80 - 0x61)) & ~(folded &+ ones &* (0x7F - 0x7A))
            let digit = (low &+ ones &* (0x80 - 0x30)) & ~(low &+ ones &* (0x7F - 0x39))
            let dashDistance = low ^ (ones &* 0x2D)
            let dash = ~(dashDistance &+ ones &* 0x7F)
            return ~((letter | digit | dash) & ~word) & highs
        }
        while index &+ 8 <= to {
            // Safety: index + 8 <= to <= buffer.count, so the eight bytes loaded are inside buffer.
            let found = outsiders(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            if found != 0 { return index &+ found.trailingZeroBitCount >> 3 }
            index &+= 8
        }
        while index < to {
            let byte = buffer[index]
            let isNameByte = lowercased(byte) &- 0x61 < 26 || isDigit(byte) || byte == 0x2D
            if !isNameByte { return index }
            index &+= 1
        }
        return to
    }

    /// Whether `buffer[at..<at+literal.count]` equals `literal` ignoring ASCII case (`literal` lowercase letters,
    /// digits and `-`).
    ///
    /// Compares eight bytes at a time with bit 5 forced on. That folds case for letters; the only other
    /// bytes it could confuse are control bytes (0x0D for `-`, 0x10...0x19 for digits), which never get here
    /// because names are tokens and values were checked for control bytes.
    @inline(__always)
    static func equalsLowercase(_ buffer: UnsafeBufferPointer<UInt8>, at: Int, count: Int, _ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount, at >= 0, at &+ count <= buffer.count, let base = buffer.baseAddress else {
            return false
        }
        let text = UnsafeRawPointer(literal.utf8Start)
        let bytes = UnsafeRawPointer(base + at)
        let fold: UInt64 = 0x2020_2020_2020_2020
        var offset = 0
        while offset &+ 8 <= count {
            // Safety: offset + 8 <= count, and both the literal and buffer[at..<at+count] hold count bytes.
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self) | fold
            guard word == text.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
            offset &+= 8
        }
        while offset < count {
            guard buffer[at &+ offset] | 0x20 == literal.utf8Start[offset] else { return false }
            offset &+= 1
        }
        return true
    }
}

extension ByteClass {
    /// Whether the method range of a head in `bytes` is exactly `method` (methods are case-sensitive, RFC 9110 §9.1).
    static func equalsMethod(_ bytes: Span<UInt8>, _ range: Range<Int>?, _ method: StaticString) -> Bool {
        guard let range, range.count == method.utf8CodeUnitCount, range.upperBound <= bytes.count else { return false }
        let text = method.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound &+ offset] != text[offset] {
            return false
        }
        return true
    }
}
