// Bounds that keep hostile input from costing unbounded memory or time.

/// Bounds on what one message may use. Exceeding one is reported as malformed, then the direction resyncs.
public struct HTTPLimits: Sendable, Equatable {
    /// The largest head (start line, headers, final empty line) accepted.
    public var maxHeadBytes = 64 * 1024
    /// The most header fields in one head.
    public var maxHeaders = 256
    /// The most hex digits in a chunk size (16 digits fill a UInt64).
    public var maxChunkSizeDigits = 16
    /// The longest start line accepted.
    public var maxStartLine = 16 * 1024
    /// The longest chunk-size line extension accepted, and the largest trailer section.
    public var maxChunkExtensionBytes = 4 * 1024
    /// How many requests may wait for responses before the oldest are dropped from pairing.
    public var maxPendingRequests = 1024
    /// How many bytes of a target, method or host a request summary keeps.
    public var maxSummaryBytes = 4 * 1024

    /// Creates limits; every parameter defaults to the value of ``default``.
    public init(maxHeadBytes: Int = 64 * 1024, maxHeaders: Int = 256, maxChunkSizeDigits: Int = 16,
                maxStartLine: Int = 16 * 1024) {
        self.maxHeadBytes = max(64, maxHeadBytes)
        self.maxHeaders = max(1, maxHeaders)
        self.maxChunkSizeDigits = min(16, max(1, maxChunkSizeDigits))
        // A start line longer than the whole head could never be accepted; keep the two consistent.
        self.maxStartLine = min(max(16, maxStartLine), self.maxHeadBytes)
    }

    /// The defaults: 64 KiB heads, 256 headers, 16 chunk-size digits, 16 KiB start lines.
    public static let `default` = HTTPLimits()
}
