// Which message an event belongs to.

/// Identifies the message an event belongs to.
public struct HTTPMessageInfo: Sendable, Equatable {
    /// Request or response.
    public var kind: HTTPMessageKind
    /// The reassembler's direction (0 or 1) this message travelled in.
    public var direction: UInt8
    /// The 0-based index of this message among messages of its kind on the connection.
    public var index: Int
    /// Frame, time and stream offset of the message's first byte.
    public var start: HTTPPosition
    /// For responses: the request answered (FIFO order, so pipelining pairs correctly); nil when unknown.
    public var request: HTTPRequestSummary?

    /// Creates an info value.
    public init(kind: HTTPMessageKind, direction: UInt8, index: Int, start: HTTPPosition, request: HTTPRequestSummary?) {
        self.kind = kind
        self.direction = direction
        self.index = index
        self.start = start
        self.request = request
    }
}
