// An owned copy of what identifies a request, kept to pair it with its response.

/// The request a response answers: owned copies (capped in length) that outlive the request's bytes.
public struct HTTPRequestSummary: Sendable, Equatable {
    /// The request's 0-based index on its connection.
    public var index: Int
    /// The method, e.g. `GET`.
    public var method: String
    /// The request target, capped at ``HTTPLimits/maxSummaryBytes`` bytes.
    public var target: String
    /// The Host header value, if any (capped likewise).
    public var host: String?
    /// Where the request's first byte was.
    public var start: HTTPPosition
    /// Body bytes seen so far (final once the request has ended).
    public var bodyBytes: UInt64

    /// Creates a summary.
    public init(index: Int, method: String, target: String, host: String?, start: HTTPPosition, bodyBytes: UInt64) {
        self.index = index
        self.method = method
        self.target = target
        self.host = host
        self.start = start
        self.bodyBytes = bodyBytes
    }
}
