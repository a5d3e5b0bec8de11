// The events a connection parser reports.

/// Receives a connection's HTTP events, in stream order per direction.
///
/// Spans are valid only during the call; copy what must outlive it.
public protocol HTTPConnectionHandler {
    /// A message head; `bytes` are the head's `head.headLength` bytes, which every range in `head` indexes.
    mutating func messageHead(_ head: HTTPHead, bytes: Span<UInt8>, info: HTTPMessageInfo)
    /// Body bytes as they arrive, de-chunked. A body may come in any number of pieces.
    mutating func messageBody(_ bytes: Span<UInt8>, info: HTTPMessageInfo)
    /// The end of a message whose head was reported; `bodyBytes` counts the body bytes delivered.
    mutating func messageEnd(_ end: HTTPMessageEnd, bodyBytes: UInt64, info: HTTPMessageInfo, at: HTTPPosition)
    /// Bytes that are not valid HTTP; the direction then looks for the next message start.
    mutating func malformed(_ error: HTTPParseError, direction: UInt8, at: HTTPPosition)
    /// A request that got no response before the connection closed or input ended.
    mutating func unansweredRequest(_ request: HTTPRequestSummary, reason: HTTPMessageEnd)
}
