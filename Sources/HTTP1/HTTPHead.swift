// A parsed message head: start line, header ranges and the framing decided from them.

/// A parsed HTTP/1.x head. Every range points into the bytes handed with it (`head.headLength` bytes).
///
/// The parser reuses one head per direction, so `headers` keeps its storage between messages.
public struct HTTPHead: Sendable {
    /// Request or response.
    public var kind: HTTPMessageKind
    /// The method token (requests only).
    public var method: Range<Int>? = nil
    /// The request target (requests only).
    public var target: Range<Int>? = nil
    /// The status code (responses only; 0 for requests).
    public var status: Int = 0
    /// The reason phrase (responses only; nil when absent or empty).
    public var reason: Range<Int>? = nil
    /// The version from the start line.
    public var version: HTTPVersion = .http11
    /// Header fields in wire order.
    public var headers: [HTTPHeaderField] = []
    /// Bytes of the head including the final empty line.
    public var headLength: Int = 0
    /// The Content-Length value, if present and valid.
    public var contentLength: UInt64? = nil
    /// Transfer-Encoding ends in chunked.
    public var isChunked = false
    /// Connection (or Proxy-Connection) lists `close`.
    public var connectionClose = false
    /// The connection persists after this message (RFC 9112 §9.3: 1.1 unless close, 1.0 only with keep-alive).
    public var keepAlive = true
    /// `Expect: 100-continue` is present (requests).
    public var expectContinue = false
    /// An Upgrade header is present together with `Connection: upgrade`, or the method is CONNECT.
    public var upgrade = false
    /// How the body is delimited. For responses this accounts for the request method it answers.
    public var framing: HTTPBodyFraming = .none
    /// Tolerated oddities.
    public var anomalies: HTTPAnomalies = []
    /// A Transfer-Encoding header was present (chunked or not); framing needs it.
    var hasTransferEncoding = false
    /// A Content-Length header was present but not a valid number.
    var contentLengthInvalid = false
    /// The first Host value, kept for request summaries.
    var host: Range<Int>? = nil

    /// Creates an empty head of the given kind (every other field at the defaults above).
    public init(kind: HTTPMessageKind) {
        self.kind = kind
    }

    /// Clears every field for the next message, keeping the header array's storage.
    mutating func reset(kind: HTTPMessageKind) {
        self.kind = kind
        method = nil
        target = nil
        status = 0
        reason = nil
        version = .http11
        headers.removeAll(keepingCapacity: true)
        headLength = 0
        contentLength = nil
        isChunked = false
        connectionClose = false
        keepAlive = true
        expectContinue = false
        upgrade = false
        framing = .none
        anomalies = []
        hasTransferEncoding = false
        contentLengthInvalid = false
        host = nil
    }

    /// The bytes of `range` as a string, one Character per byte (ISO-8859-1, so nothing is lost or replaced).
    ///
    /// A range that does not fit `bytes` is clamped rather than trapping.
    public func string(_ range: Range<Int>, in bytes: Span<UInt8>) -> String {
        let lower = min(max(0, range.lowerBound), bytes.count)
        let upper = min(max(lower, range.upperBound), bytes.count)
        // Nearly always ASCII: then the bytes are the string's UTF-8 as they are, copied in one
        // piece. The byte-by-byte loops below, each access checked, cost 310 instructions a header
        // string (callgrind over nginx-busy, where every 5xx head's headers become strings).
        let ascii: String? = bytes.withUnsafeBufferPointer { all in
            let piece = UnsafeBufferPointer(rebasing: all[lower..<upper])
            // ORing every byte (a loop the compiler vectorises) tells whether any has its top bit set.
            var bits: UInt8 = 0
            for byte in piece { bits |= byte }
            guard bits < 0x80 else { return nil }
            return String(unsafeUninitializedCapacity: piece.count) { utf8 in
                _ = utf8.initialize(fromContentsOf: piece)
                return piece.count
            }
        }
        if let ascii { return ascii }
        var wide = 0
        for index in lower..<upper where bytes[index] >= 0x80 { wide &+= 1 }
        // ISO-8859-1 to UTF-8: bytes below 0x80 stay, others become two bytes (U+0080...U+00FF).
        return String(unsafeUninitializedCapacity: upper &- lower &+ wide) { utf8 in
            var written = 0
            for index in lower..<upper {
                let byte = bytes[index]
                if byte < 0x80 {
                    utf8[written] = byte
                    written &+= 1
                } else {
                    utf8[written] = 0xC0 | (byte >> 6)
                    utf8[written &+ 1] = 0x80 | (byte & 0x3F)
                    written &+= 2
                }
            }
            return written
        }
    }

    /// The value range of the first header named `lowercaseName`, compared ASCII case-insensitively.
    public func header(named lowercaseName: String, in bytes: Span<UInt8>) -> Range<Int>? {
        let wanted = Array(lowercaseName.utf8)
        for field in headers where field.name.count == wanted.count && field.name.upperBound <= bytes.count {
            var equal = true
            for (position, index) in field.name.enumerated() where ByteClass.lowercased(bytes[index]) != wanted[position] {
                equal = false
                break
            }
            if equal { return field.value }
        }
        return nil
    }
}
