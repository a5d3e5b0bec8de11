// Case-insensitive literal search over raw bytes, so hostile bodies never need decoding.

/// Byte-level text tests used by the classifier. Only ASCII letters fold case; every other byte
/// (including UTF-8 sequences in a marker) must match exactly. Indexing stays inside bounds by
/// construction, so no input can make these trap.
enum ASCIIMatch {
    @inline(__always)
    static func folded(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// Folds a marker once so that each search compares with one side already lowered.
    static func foldedBytes(_ text: String) -> [UInt8] { text.utf8.map(folded) }

    /// Whether `haystack` contains `needle` (already folded).
    static func contains(_ haystack: [UInt8], foldedNeedle needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        let first = needle[0]
        var start = 0
        let lastStart = haystack.count - needle.count
        while start <= lastStart {
            if folded(haystack[start]) == first {
                var offset = 1
                while offset < needle.count, folded(haystack[start + offset]) == needle[offset] {
                    offset += 1
                }
                if offset == needle.count { return true }
            }
            start += 1
        }
        return false
    }

    /// Whether `bytes`, without leading and trailing whitespace, equals `needle` (already folded).
    static func trimmedEquals(_ bytes: [UInt8], foldedNeedle needle: [UInt8]) -> Bool {
        var lower = 0
        var upper = bytes.count
        while lower < upper, isSpace(bytes[lower]) { lower += 1 }
        while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1 }
        guard upper - lower == needle.count else { return false }
        var index = 0
        while index < needle.count {
            if folded(bytes[lower + index]) != needle[index] { return false }
            index += 1
        }
        return true
    }

    /// Whether `bytes`, after leading whitespace, start with `needle` (already folded).
    static func hasPrefix(_ bytes: [UInt8], foldedNeedle needle: [UInt8]) -> Bool {
        var lower = 0
        while lower < bytes.count, isSpace(bytes[lower]) { lower += 1 }
        guard bytes.count - lower >= needle.count else { return false }
        var index = 0
        while index < needle.count {
            if folded(bytes[lower + index]) != needle[index] { return false }
            index += 1
        }
        return true
    }

    /// Whether the bytes hold nothing but whitespace.
    static func isBlank(_ bytes: [UInt8]) -> Bool { bytes.allSatisfy(isSpace) }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    /// Finds "<status>.<digit>" (e.g. "502.3") not embedded in a longer number; returns the text.
    static func substatus(of status: Int, in bytes: [UInt8]) -> String? {
        guard (100...999).contains(status) else { return nil }
        let digits = Array(String(status).utf8)
        guard bytes.count >= digits.count + 2 else { return nil }
        var start = 0
        while start + digits.count + 1 < bytes.count {
            let dot = start + digits.count
            if bytes[start..<dot].elementsEqual(digits), bytes[dot] == 0x2E, isDigit(bytes[dot + 1]),
               start == 0 || !isDigit(bytes[start - 1]) && bytes[start - 1] != 0x2E,
               dot + 2 >= bytes.count || !isDigit(bytes[dot + 2]) && bytes[dot + 2] != 0x2E {
                return String(status) + "." + String(UnicodeScalar(bytes[dot + 1]))
            }
            start += 1
        }
        return nil
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
