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
    public var request: HTTPRequestSummary? {
        get { hasRequest ? answered : nil }
        set {
            if let newValue { setRequest(newValue) } else { clearRequest() }
        }
    }
    /// `request` kept as a plain value and a flag. Stored as an optional, every message's info
    /// destroyed its old request through the type's value witness (looked up at run time: the
    /// compiler's choice for an optional of this struct), 120 instructions each, three times a
    /// head (callgrind over nginx-busy). `answered` is `.none` whenever `hasRequest` is false.
    private var answered: HTTPRequestSummary
    private var hasRequest: Bool

    /// Creates an info value.
    public init(kind: HTTPMessageKind, direction: UInt8, index: Int, start: HTTPPosition, request: HTTPRequestSummary?) {
        self.kind = kind
        self.direction = direction
        self.index = index
        self.start = start
        answered = request ?? .none
        hasRequest = request != nil
    }

    /// Makes this the info of a new message, in place.
    @inline(__always)
    mutating func reset(kind: HTTPMessageKind, direction: UInt8, index: Int, start: HTTPPosition) {
        self.kind = kind
        self.direction = direction
        self.index = index
        self.start = start
    }

    /// Sets `request` to a copy of `summary` without an optional in between.
    @inline(__always)
    mutating func setRequest(_ summary: HTTPRequestSummary) {
        answered = summary
        hasRequest = true
    }

    /// Sets `request` to nil, letting go of its storage.
    @inline(__always)
    mutating func clearRequest() {
        guard hasRequest else { return }
        answered = .none
        hasRequest = false
    }
}
