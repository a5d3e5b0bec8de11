// Whether a message is a request or a response.

/// The kind of an HTTP/1.x message, decided by its start line (roles come from content, not ports).
public enum HTTPMessageKind: Sendable, Equatable {
    /// A request: `method SP target SP HTTP/x.y`.
    case request
    /// A response: `HTTP/x.y SP status [SP reason]`.
    case response
}
