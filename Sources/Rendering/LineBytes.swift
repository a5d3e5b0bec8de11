// One output line built as UTF-8 bytes, for the lines printed once per message.

/// A line assembled as UTF-8 bytes. Appending to a byte array is a copy; each `+=` on a `String`
/// cost about 340 instructions (callgrind over nginx-busy), and a summary line takes some thirty.
public struct LineBytes: Sendable {
    public var bytes: [UInt8] = []

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// The line as a `String`.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends text as it is (for text Gatewatch wrote itself).
    @inline(__always)
    public mutating func append<Text: StringProtocol>(_ text: Text) {
        if let done: Void = text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) { return done }
        bytes.append(contentsOf: Array(text.utf8))
    }

    /// Appends text that came from packets, escaped as `SafeText.escape` does.
    public mutating func appendEscaped<Text: StringProtocol>(_ text: Text) {
        // Printable ASCII, nearly all wire text, is copied straight; anything else takes the full path.
        let copied: Bool? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            for byte in utf8 where byte < 0x20 || byte >= 0x7F { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied == true { return }
        append(SafeText.escape(String(text)))
    }

    /// Appends a decimal number, right-aligned in `width` columns (wider numbers take what they need).
    public mutating func appendDecimal(_ value: Int, width: Int = 0) {
        appendDigits(value.magnitude, negative: value < 0, width: width)
    }

    /// Appends an unsigned decimal number, right-aligned in `width` columns.
    public mutating func appendDecimal(_ value: UInt64, width: Int = 0) {
        appendDigits(UInt(value), negative: false, width: width)
    }

    private mutating func appendDigits(_ magnitude: UInt, negative: Bool, width: Int) {
        var digits = 1
        var probe = magnitude
        while probe >= 10 { probe /= 10; digits += 1 }
        let length = digits + (negative ? 1 : 0)
        if width > length { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - length)) }
        // The sign and digits are written on the stack and appended in one piece: appending a
        // run of placeholders (`repeatElement`) and overwriting them cost 300 instructions a number.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { scratch in
            if negative { scratch[0] = UInt8(ascii: "-") }
            var index = length - 1
            var rest = magnitude
            repeat {
                scratch[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                index -= 1
            } while rest > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<length]))
        }
    }
}
