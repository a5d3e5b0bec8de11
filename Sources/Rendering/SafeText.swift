// Packet bytes made safe for a terminal: no byte from the wire reaches the user's screen raw.

/// Escapes text that came from packets so it cannot drive the terminal: C0 controls, DEL, C1
/// controls and bidirectional overrides are shown as `\xNN` / `\u{NNNN}`; everything else passes.
public enum SafeText {
    /// The escaped form of `text`.
    public static func escape(_ text: String) -> String {
        // Printable ASCII, nearly all wire text, is answered from the bytes without decoding scalars.
        var printableASCII = true
        for byte in text.utf8 where byte < 0x20 || byte >= 0x7F { printableASCII = false; break }
        if printableASCII { return text }
        var needsWork = false
        for scalar in text.unicodeScalars where isUnsafe(scalar) { needsWork = true; break }
        if !needsWork { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                result += escaped(scalar)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Text from raw wire bytes: UTF-8 where valid (invalid bytes become U+FFFD), then escaped.
    public static func escape<Bytes: Collection>(bytes: Bytes) -> String where Bytes.Element == UInt8 {
        escape(String(decoding: bytes, as: UTF8.self))
    }

    @inline(__always)
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || v == 0x7F { return true }
        if v >= 0x80 && v < 0xA0 { return true }                 // C1 controls (CSI, OSC, ...)
        if v >= 0x202A && v <= 0x202E { return true }            // bidi embedding/override
        if v >= 0x2066 && v <= 0x2069 { return true }            // bidi isolates
        return false
    }

    static func escaped(_ scalar: Unicode.Scalar) -> String {
        let v = scalar.value
        switch v {
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        default:
            if v < 0x100 { return "\\x" + hexByte(UInt8(v)) }
            return "\\u{" + String(v, radix: 16, uppercase: true) + "}"
        }
    }

    /// Two upper-case hex digits.
    @inline(__always)
    public static func hexByte(_ byte: UInt8) -> String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
