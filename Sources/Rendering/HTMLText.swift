// Packet bytes made safe for an HTML page: no byte from the wire becomes markup.

/// Escapes text for HTML element content and double- or single-quoted attribute values. Control
/// characters and bidi overrides are first shown as `SafeText` shows them on a terminal (`\x1B`,
/// `\r`, `\u{202E}`), then `& < > " '` become character references.
public enum HTMLText {
    /// The escaped form of `text`.
    public static func escape(_ text: String) -> String {
        let visible = SafeText.escape(text)
        var needsWork = false
        for byte in visible.utf8 where isSpecial(byte) { needsWork = true; break }
        if !needsWork { return visible }
        var result = ""
        result.reserveCapacity(visible.utf8.count + 16)
        for scalar in visible.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    @inline(__always)
    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
