// One 502 as the --report table lists it.

import Diagnosis

/// A 502 response with its request and diagnosis: the owned values one row of the report's table shows.
public struct BadGatewayRow: Sendable {
    /// Frame number of the response's first byte, as Wireshark counts frames.
    public var frame: UInt64
    /// When that frame was captured (nanoseconds since the epoch).
    public var time: Int64
    /// The client's "ip:port".
    public var client: String
    /// The gateway's "ip:port" (the server the client talked to).
    public var gateway: String
    /// The request's method and target, nil when the request was not captured.
    public var method: String?
    /// See `method`.
    public var uri: String?
    /// Who generated the 502.
    public var generator: Gateway
    /// The product named by the `Server` header, as sent.
    public var product: String?
    /// The IIS-family substatus, e.g. "502.3".
    public var substatus: String?
    /// What the upstream did.
    public var cause: UpstreamCause
    /// How strongly the evidence supports `cause`.
    public var confidence: Confidence
    /// The upstream "ip:port", when a leg was matched.
    public var upstream: String?
    /// Nanoseconds from request to response, when the request was captured.
    public var latency: Int64?
}
