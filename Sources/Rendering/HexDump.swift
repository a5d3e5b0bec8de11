// The Netmon hex dump: offset, sixteen upper-case bytes, and a Windows-1252 character column.

/// Netmon 2.x-style hex rows, as in the IIS 502.2 article:
/// `00040: 30 32 20 42 61 64 20 47 61 74 65 77 61 79 0D 0A 02 Bad Gateway..`
/// The last row is not padded; trailing spaces of a row are dropped (the character column of a
/// row ending in spaces shows nothing there, and the published dumps carry none).
public enum HexDump {
    /// One string per 16-byte row; row offsets count from `base` (a body shown in pieces keeps counting).
    public static func rows(_ bytes: Span<UInt8>, base: Int = 0) -> [String] {
        var rows: [String] = []
        rows.reserveCapacity((bytes.count + 15) / 16)
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + 16, bytes.count)
            var line = offsetText(base &+ offset) + ": "
            var glyphs = ""
            for index in offset..<end {
                let byte = bytes[index]
                line += SafeText.hexByte(byte)
                line += " "
                glyphs.append(glyph(byte))
            }
            line += glyphs
            while line.last == " " { line.removeLast() }
            rows.append(line)
            offset = end
        }
        return rows
    }

    /// The row offset as five upper-case hex digits (more when the frame is larger than 1 MiB).
    static func offsetText(_ offset: Int) -> String {
        let hex = String(offset, radix: 16, uppercase: true)
        return hex.count >= 5 ? hex : String(repeating: "0", count: 5 - hex.count) + hex
    }

    /// How Netmon shows one byte in the character column: ASCII printables as themselves, the
    /// Windows-1252 glyph for printable high bytes, `.` for controls and unassigned codes.
    public static func glyph(_ byte: UInt8) -> Character {
        switch byte {
        case 0x20...0x7E: return Character(Unicode.Scalar(byte))
        case 0x80...0x9F:
            let scalar = windows1252High[Int(byte - 0x80)]
            return scalar == 0 ? "." : Character(Unicode.Scalar(scalar)!)
        case 0xA0, 0xAD: return "."   // no-break space and soft hyphen would be invisible
        case 0xA1...0xFF: return Character(Unicode.Scalar(byte))
        default: return "."
        }
    }

    /// Windows-1252 code points for 0x80...0x9F; 0 where the code page leaves the byte unassigned.
    static let windows1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]
}
