// Tolerated oddities of a message head, kept because they matter for diagnosis and smuggling.

/// Oddities the parser tolerated in a head. Several of them are request-smuggling signals.
public struct HTTPAnomalies: OptionSet, Sendable, Hashable {
    /// The raw bit set.
    public var rawValue: UInt32

    /// Creates a set from raw bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// A line ended with LF alone instead of CRLF.
    public static let bareLF = HTTPAnomalies(rawValue: 1 << 0)
    /// A header value continued on a line starting with whitespace (obsolete line folding).
    public static let obsFold = HTTPAnomalies(rawValue: 1 << 1)
    /// Content-Length appeared more than once (or as a list) with the same value.
    public static let duplicateContentLength = HTTPAnomalies(rawValue: 1 << 2)
    /// Content-Length appeared more than once with different values; the first one frames the body.
    public static let conflictingContentLength = HTTPAnomalies(rawValue: 1 << 3)
    /// Both Content-Length and Transfer-Encoding were present (a classic smuggling vector); chunked wins.
    public static let contentLengthWithTransferEncoding = HTTPAnomalies(rawValue: 1 << 4)
    /// Content-Length was present but unusable on a message whose framing does not need it.
    public static let invalidContentLength = HTTPAnomalies(rawValue: 1 << 5)
    /// Transfer-Encoding named a coding other than chunked/gzip/deflate/compress/identity, or chunked was not last.
    public static let unknownTransferEncoding = HTTPAnomalies(rawValue: 1 << 6)
    /// Whitespace between a header name and its colon.
    public static let whitespaceBeforeColon = HTTPAnomalies(rawValue: 1 << 7)
    /// The same Host header appeared more than once.
    public static let duplicateHost = HTTPAnomalies(rawValue: 1 << 8)
    /// More than one space between start-line tokens.
    public static let extraSpaces = HTTPAnomalies(rawValue: 1 << 9)
    /// Empty lines before the start line were skipped.
    public static let leadingEmptyLines = HTTPAnomalies(rawValue: 1 << 10)
    /// Transfer-Encoding appeared in an HTTP/1.0 message.
    public static let transferEncodingInHTTP10 = HTTPAnomalies(rawValue: 1 << 11)
    /// Control bytes (other than CR, LF and tab) in the request target, reason phrase or a header
    /// value: accepted so the message is shown (escaped), flagged because no sender should emit them.
    public static let controlCharacters = HTTPAnomalies(rawValue: 1 << 12)
    /// A header line that is not `name: value` (a control byte or space in the name, no colon):
    /// skipped and flagged, as Wireshark shows it, rather than losing the whole message.
    public static let invalidHeaderLine = HTTPAnomalies(rawValue: 1 << 13)

    /// The anomalies that can make two parsers disagree on where a message ends.
    public static let smuggling: HTTPAnomalies = [
        .duplicateContentLength, .conflictingContentLength, .contentLengthWithTransferEncoding,
        .whitespaceBeforeColon, .obsFold, .unknownTransferEncoding,
    ]
}
