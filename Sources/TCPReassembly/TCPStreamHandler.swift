// The consumer of reassembled byte streams (the HTTP layer, or a test recorder).

/// Receives ordered bytes, gaps and closes, synchronously from inside `TCPReassembler.process`.
///
/// For each stream and direction the calls describe the byte stream exactly once, in offset order:
/// every offset is covered by one `streamData` or one `streamGap`, then at most one `directionClosed`.
public protocol TCPStreamHandler {
    /// A new connection (first packet of a new stream number).
    mutating func connectionOpened(_ info: ConnectionInfo)
    /// In-order bytes at `offset` of the direction's stream; the span is valid only during the call.
    mutating func streamData(_ bytes: Span<UInt8>, stream: Int, direction: StreamDirection,
                             offset: UInt64, frame: UInt64, time: Int64)
    /// `length` bytes at `offset` will never arrive; data resumes right after them.
    mutating func streamGap(stream: Int, direction: StreamDirection, offset: UInt64, length: UInt64,
                            reason: GapReason, frame: UInt64, time: Int64)
    /// No more bytes will come in this direction.
    mutating func directionClosed(stream: Int, direction: StreamDirection, reason: CloseReason,
                                  frame: UInt64, time: Int64)
    /// The connection ended; both directions have been closed before this call.
    mutating func connectionClosed(_ info: ConnectionInfo, reason: CloseReason)
}
