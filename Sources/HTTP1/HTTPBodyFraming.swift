// How a message's body is delimited (RFC 9112 §6.3).

/// How the end of a message body is found, decided from the head (RFC 9112 §6.3).
public enum HTTPBodyFraming: Sendable, Equatable {
    /// No body: requests without length, responses to HEAD, 1xx, 204 and 304.
    case none
    /// A body of exactly this many bytes.
    case contentLength(UInt64)
    /// A chunked body, ended by the zero-size chunk and the trailer section.
    case chunked
    /// A response body that runs until the server closes the connection.
    case closeDelimited
    /// The connection stops being HTTP after this head (CONNECT 2xx, 101 Switching Protocols).
    case tunnel
}
