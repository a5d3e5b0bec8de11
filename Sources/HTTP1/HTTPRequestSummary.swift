// An owned copy of what identifies a request, kept to pair it with its response.

/// The request a response answers: owned copies (capped in length) that outlive the request's bytes.
///
/// Method, target and host are kept back to back in one byte array (UTF-8, each wire byte read as ISO-8859-1,
/// exactly as ``HTTPHead/string(_:in:)`` reads it), so a request costs at most one allocation rather than one
/// per string; the parser's pairing queue refills the same array for later requests, so usually none.
/// The strings are built when asked for.
public struct HTTPRequestSummary: Sendable, Equatable {
    /// The request's 0-based index on its connection.
    public var index: Int
    /// Where the request's first byte was.
    public var start: HTTPPosition
    /// Body bytes seen so far (final once the request has ended).
    public var bodyBytes: UInt64
    /// Method, target and host (if any), in that order, as UTF-8.
    private var text: [UInt8] = []
    /// Where the target starts in `text` (the method's length).
    private var targetStart = 0
    /// Where the host starts in `text` (the target's end).
    private var hostStart = 0
    /// A Host header was present (its value may be empty).
    private var hasHost = false

    /// The method, e.g. `GET`.
    public var method: String { Self.string(text, 0..<targetStart) }
    /// The request target, capped at ``HTTPLimits/maxSummaryBytes`` bytes.
    public var target: String { Self.string(text, targetStart..<hostStart) }
    /// The Host header value, if any (capped likewise).
    public var host: String? { hasHost ? Self.string(text, hostStart..<text.count) : nil }

    /// Creates a summary.
    public init(index: Int, method: String, target: String, host: String?, start: HTTPPosition, bodyBytes: UInt64) {
        self.index = index
        self.start = start
        self.bodyBytes = bodyBytes
        text.append(contentsOf: method.utf8)
        targetStart = text.count
        text.append(contentsOf: target.utf8)
        hostStart = text.count
        if let host {
            text.append(contentsOf: host.utf8)
            hasHost = true
        }
    }

    /// An empty summary, holding no storage: the placeholder of an info without a request.
    static let none = HTTPRequestSummary(index: 0, method: "", target: "", host: nil,
                                         start: HTTPPosition(frame: 0, time: 0, offset: 0), bodyBytes: 0)

    /// Refills this summary from a request head, reusing `text`'s storage when nothing else holds it.
    ///
    /// Each range is clamped to `bytes` and capped at `cap` bytes of the wire.
    mutating func refill(index: Int, start: HTTPPosition, method: Range<Int>?, target: Range<Int>?, host: Range<Int>?,
                         cap: Int, from bytes: Span<UInt8>) {
        self.index = index
        self.start = start
        bodyBytes = 0
        text.removeAll(keepingCapacity: true)
        Self.appendLatin1(bytes, method, cap: cap, to: &text)
        targetStart = text.count
        Self.appendLatin1(bytes, target, cap: cap, to: &text)
        hostStart = text.count
        hasHost = host != nil
        Self.appendLatin1(bytes, host, cap: cap, to: &text)
    }

    /// How many bytes the storage holds room for (the queue lets go of storage a long target made large).
    var storageCapacity: Int { text.capacity }

    /// Appends `bytes[range]` (clamped, at most `cap` bytes) to `text`, bytes from 0x80 up as two UTF-8 bytes.
    private static func appendLatin1(_ bytes: Span<UInt8>, _ range: Range<Int>?, cap: Int, to text: inout [UInt8]) {
        guard let range else { return }
        let lower = min(max(0, range.lowerBound), bytes.count)
        let upper = min(max(lower, range.upperBound), bytes.count, lower &+ cap)
        let copiedAsASCII = bytes.withUnsafeBufferPointer { all in
            let piece = UnsafeBufferPointer(rebasing: all[lower..<upper])
            // ORing every byte (a loop the compiler vectorises) tells whether any has its top bit set.
            var bits: UInt8 = 0
            for byte in piece { bits |= byte }
            guard bits < 0x80 else { return false }
            text.append(contentsOf: piece)
            return true
        }
        if copiedAsASCII { return }
        for index in lower..<upper {
            let byte = bytes[index]
            if byte < 0x80 {
                text.append(byte)
            } else {
                text.append(0xC0 | (byte >> 6))
                text.append(0x80 | (byte & 0x3F))
            }
        }
    }

    /// `text[range]` as a string (always valid UTF-8: it was written by the two functions above).
    private static func string(_ text: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: text[range], as: UTF8.self)
    }
}
