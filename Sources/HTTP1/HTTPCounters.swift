// Running totals of what a connection parser saw, for summaries and health checks.

/// Totals for one connection parser (add them up across connections for a capture summary).
public struct HTTPCounters: Sendable, Equatable {
    /// Request heads reported.
    public var requests = 0
    /// Response heads reported (interim 1xx included).
    public var responses = 0
    /// Interim (1xx other than 101) responses.
    public var interimResponses = 0
    /// Malformed reports in total.
    public var malformed = 0
    /// Malformed start lines (invalid start line, version, status, method, start line too long).
    public var malformedStartLine = 0
    /// Malformed header lines, too many headers, heads too large.
    public var malformedHead = 0
    /// Malformed framing: Content-Length, Transfer-Encoding, chunk sizes, chunk data, trailers.
    public var malformedFraming = 0
    /// Limits exceeded (head size, header count, start line, chunk size digits).
    public var limitsExceeded = 0
    /// Gaps reported by the reassembler.
    public var gaps = 0
    /// Gap bytes skipped inside bodies whose length was known.
    public var gapBytesSkipped: UInt64 = 0
    /// Messages abandoned because a gap hit a head or a chunk header.
    public var abandoned = 0
    /// Times a direction found a message start again after losing its place.
    public var resyncs = 0
    /// Bytes passed over while looking for a message start.
    public var skippedBytes: UInt64 = 0
    /// Heads with bare-LF line ends (plus bare LFs in chunk framing).
    public var bareLF = 0
    /// Heads with obs-folded header values.
    public var obsFold = 0
    /// Heads carrying a smuggling-relevant anomaly (see ``HTTPAnomalies/smuggling``).
    public var smugglingSignals = 0
    /// Heads with both Content-Length and Transfer-Encoding.
    public var contentLengthWithTransferEncoding = 0
    /// Directions whose first bytes were not HTTP.
    public var notHTTPDirections = 0
    /// Heads cut off by a close or the end of input (never reported as messages).
    public var truncatedHeads = 0
    /// Connections that switched protocols (CONNECT 2xx, 101).
    public var tunnels = 0
    /// Requests that never got a response.
    public var unansweredRequests = 0
    /// Requests dropped from the pairing queue because too many were pending.
    public var pairingOverflow = 0

    /// Creates zeroed counters.
    public init() {}
}
