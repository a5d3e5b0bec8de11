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
    /// Method, target and host (if any), in that order, as UTF-8, in `text[0..<textLength]`. The
    /// array is kept at least as long as the text and written in place through one mutable buffer:
    /// three `append(contentsOf:)`s cost about 130 instructions each, more than the bytes they
    /// copied (28 M instructions on nginx-busy, callgrind). Bytes past `textLength` mean nothing.
    private var text: [UInt8] = []
    private var textLength = 0
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
    public var host: String? { hasHost ? Self.string(text, hostStart..<textLength) : nil }

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
        textLength = text.count
    }

    /// Equal when they name the same request: the bytes past the text do not count.
    public static func == (left: HTTPRequestSummary, right: HTTPRequestSummary) -> Bool {
        left.index == right.index && left.start == right.start && left.bodyBytes == right.bodyBytes
            && left.targetStart == right.targetStart && left.hostStart == right.hostStart
            && left.hasHost == right.hasHost && left.text[0..<left.textLength] == right.text[0..<right.textLength]
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
        hasHost = host != nil
        let methodBytes = Self.clamp(method, cap: cap, count: bytes.count)
        let targetBytes = Self.clamp(target, cap: cap, count: bytes.count)
        let hostBytes = Self.clamp(host, cap: cap, count: bytes.count)
        bytes.withUnsafeBufferPointer { all in
            let method = UnsafeBufferPointer(rebasing: all[methodBytes])
            let target = UnsafeBufferPointer(rebasing: all[targetBytes])
            let host = UnsafeBufferPointer(rebasing: all[hostBytes])
            // Each byte from 0x80 up takes two bytes of UTF-8. Room for exactly the text when there
            // is none (the queue keeps storage up to `RequestQueue.reusableStorage` bytes of capacity).
            let ascii = (Self.highBits(method) | Self.highBits(target) | Self.highBits(host)) < 0x80
            let room = (method.count &+ target.count &+ host.count) &* (ascii ? 1 : 2)
            if text.count < room { text = [UInt8](repeating: 0, count: max(room, 64)) }
            text.withUnsafeMutableBufferPointer { out in
                var end = Self.writeLatin1(method, ascii: ascii, to: out, at: 0)
                targetStart = end
                end = Self.writeLatin1(target, ascii: ascii, to: out, at: end)
                hostStart = end
                textLength = Self.writeLatin1(host, ascii: ascii, to: out, at: end)
            }
        }
    }

    /// How many bytes the storage holds room for (the queue lets go of storage a long target made large).
    var storageCapacity: Int { text.capacity }

    /// `range` clamped to `0..<count` and to at most `cap` bytes; empty when nil.
    private static func clamp(_ range: Range<Int>?, cap: Int, count: Int) -> Range<Int> {
        guard let range else { return 0..<0 }
        let lower = min(max(0, range.lowerBound), count)
        let upper = min(max(lower, range.upperBound), count, lower &+ cap)
        return lower..<upper
    }

    /// Every byte of `piece` ORed together: below 0x80 when all are ASCII (a loop the compiler vectorises).
    @inline(__always)
    private static func highBits(_ piece: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var bits: UInt8 = 0
        for byte in piece { bits |= byte }
        return bits
    }

    /// Writes `piece` into `out` from `at`, bytes from 0x80 up as two UTF-8 bytes unless `ascii`
    /// says there are none; returns the end. `out` has room for that past `at` (see `refill`).
    @inline(__always)
    private static func writeLatin1(_ piece: UnsafeBufferPointer<UInt8>, ascii: Bool,
                                    to out: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        guard let source = piece.baseAddress, let base = out.baseAddress else { return start }
        if ascii {
            // Safety: `out` has room for piece.count bytes from `start`, and `source` holds piece.count.
            (base + start).update(from: source, count: piece.count)
            return start &+ piece.count
        }
        var end = start
        for byte in piece {
            if byte < 0x80 {
                out[end] = byte
                end &+= 1
            } else {
                out[end] = 0xC0 | (byte >> 6)
                out[end &+ 1] = 0x80 | (byte & 0x3F)
                end &+= 2
            }
        }
        return end
    }

    /// `text[range]` as a string (always valid UTF-8: it was written by the initialiser or by `writeLatin1`).
    private static func string(_ text: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: text[range], as: UTF8.self)
    }
}
