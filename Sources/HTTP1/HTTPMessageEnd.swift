// How a message ended.

/// How a message (or an unanswered request) ended.
public enum HTTPMessageEnd: Sendable, Equatable {
    /// The body was framed and fully seen.
    case complete
    /// The body ended, but capture gaps skipped this many of its bytes (or cut a chunk header).
    case incomplete(gapBytes: UInt64)
    /// The connection closed before the framed body was complete.
    case cutByClose
    /// Input ended while the message was still open.
    case unfinishedAtEnd
    /// The message switched the connection to another protocol; nothing after it is parsed.
    case tunnel
}
