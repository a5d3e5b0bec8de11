// Bytes that are not valid HTTP/1.x, by the part of the message they broke.

/// Why a message could not be parsed. Running out of input is never an error.
public enum HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The start line is neither a request line nor a status line.
    case invalidStartLine
    /// The version is not `HTTP/d.d` with a supported major version.
    case invalidVersion
    /// The status code is not three digits.
    case invalidStatus
    /// The method is not a token, on a line that otherwise reads as a request line.
    case invalidMethod
    /// A header line has no colon, a bad name, a control byte in the value, or a bare CR.
    case invalidHeader
    /// The head grew past the limit before its final empty line.
    case headTooLarge(limit: Int)
    /// The head has more header fields than the limit.
    case tooManyHeaders(limit: Int)
    /// The start line is longer than the limit.
    case startLineTooLong(limit: Int)
    /// Content-Length is not a decimal number that fits in 64 bits.
    case invalidContentLength
    /// A request's Transfer-Encoding does not end in chunked, so its body length is unknowable.
    case invalidTransferEncoding
    /// A chunk-size line is not hex digits, optional whitespace, extensions and CRLF.
    case invalidChunkSize
    /// A chunk size has more digits than the limit or overflows 64 bits.
    case chunkSizeTooLarge
    /// A chunk extension or trailer section is longer than the limit, or contains control bytes.
    case invalidChunkExtension
    /// Chunk data is not followed by CRLF.
    case invalidChunkData
    /// A trailer line is malformed.
    case invalidTrailer

    /// A short text for `HTTP: [malformed: …]`.
    public var description: String {
        switch self {
        case .invalidStartLine: "invalid start line"
        case .invalidVersion: "invalid HTTP version"
        case .invalidStatus: "invalid status code"
        case .invalidMethod: "invalid method"
        case .invalidHeader: "invalid header line"
        case .headTooLarge(let limit): "head larger than \(limit) bytes"
        case .tooManyHeaders(let limit): "more than \(limit) header fields"
        case .startLineTooLong(let limit): "start line longer than \(limit) bytes"
        case .invalidContentLength: "invalid Content-Length"
        case .invalidTransferEncoding: "request Transfer-Encoding does not end in chunked"
        case .invalidChunkSize: "invalid chunk size"
        case .chunkSizeTooLarge: "chunk size too large"
        case .invalidChunkExtension: "invalid chunk extension"
        case .invalidChunkData: "chunk data not followed by CRLF"
        case .invalidTrailer: "invalid trailer"
        }
    }
}
