// What the capture shows of one gateway→upstream TCP connection.

/// One gateway→upstream TCP connection as seen in the capture, filled in by the pipeline.
/// Times are capture timestamps in nanoseconds; frames are capture frame numbers.
public struct UpstreamLeg: Sendable, Equatable {
    /// The reassembler's stream number.
    public var stream: Int
    /// The gateway's end, "ip:port".
    public var gateway: String
    /// The upstream's end, "ip:port".
    public var upstream: String
    /// SYNs sent by the gateway; more than one means retransmissions (no answer).
    public var synFrames: [UInt64]
    /// Times of `synFrames`, same order.
    public var synTimes: [Int64]
    /// The upstream's SYN-ACK, if seen.
    public var synAckFrame: UInt64?
    /// The first RST on the connection, if any.
    public var resetFrame: UInt64?
    /// Time of `resetFrame`.
    public var resetTime: Int64?
    /// Whether that RST came from the upstream (false: the gateway reset).
    public var resetFromUpstream: Bool
    /// The upstream's FIN, if seen.
    public var upstreamFinFrame: UInt64?
    /// Time of `upstreamFinFrame`.
    public var upstreamFinTime: Int64?
    /// The gateway's own FIN or RST: it gave up on the upstream.
    public var gatewayCloseFrame: UInt64?
    /// Time of `gatewayCloseFrame`.
    public var gatewayCloseTime: Int64?
    /// First frame of the request on this leg.
    public var requestFrame: UInt64?
    /// Time of `requestFrame`.
    public var requestTime: Int64?
    /// The request method, when the head was parsed.
    public var requestMethod: String?
    /// The request target, when the head was parsed.
    public var requestTarget: String?
    /// Request bytes the gateway sent.
    public var requestBytes: UInt64
    /// First frame carrying response bytes from the upstream.
    public var responseFirstByteFrame: UInt64?
    /// Response bytes the upstream sent.
    public var responseBytes: UInt64
    /// Whether those bytes begin with "HTTP/x.y NNN"; nil when there were none.
    public var responseStartsWithStatusLine: Bool?
    /// Whether a complete response head (through CRLFCRLF) arrived.
    public var responseHeadComplete: Bool
    /// The upstream's status code, when its status line parsed.
    public var responseStatus: Int?
    /// Time of the connection's first frame.
    public var firstTime: Int64

    /// Creates a leg; only the endpoints and the first time are required.
    public init(stream: Int, gateway: String, upstream: String, firstTime: Int64,
                synFrames: [UInt64] = [], synTimes: [Int64] = [], synAckFrame: UInt64? = nil,
                resetFrame: UInt64? = nil, resetTime: Int64? = nil, resetFromUpstream: Bool = false,
                upstreamFinFrame: UInt64? = nil, upstreamFinTime: Int64? = nil,
                gatewayCloseFrame: UInt64? = nil, gatewayCloseTime: Int64? = nil,
                requestFrame: UInt64? = nil, requestTime: Int64? = nil, requestMethod: String? = nil,
                requestTarget: String? = nil, requestBytes: UInt64 = 0,
                responseFirstByteFrame: UInt64? = nil, responseBytes: UInt64 = 0,
                responseStartsWithStatusLine: Bool? = nil, responseHeadComplete: Bool = false,
                responseStatus: Int? = nil) {
        self.stream = stream
        self.gateway = gateway
        self.upstream = upstream
        self.firstTime = firstTime
        self.synFrames = synFrames
        self.synTimes = synTimes
        self.synAckFrame = synAckFrame
        self.resetFrame = resetFrame
        self.resetTime = resetTime
        self.resetFromUpstream = resetFromUpstream
        self.upstreamFinFrame = upstreamFinFrame
        self.upstreamFinTime = upstreamFinTime
        self.gatewayCloseFrame = gatewayCloseFrame
        self.gatewayCloseTime = gatewayCloseTime
        self.requestFrame = requestFrame
        self.requestTime = requestTime
        self.requestMethod = requestMethod
        self.requestTarget = requestTarget
        self.requestBytes = requestBytes
        self.responseFirstByteFrame = responseFirstByteFrame
        self.responseBytes = responseBytes
        self.responseStartsWithStatusLine = responseStartsWithStatusLine
        self.responseHeadComplete = responseHeadComplete
        self.responseStatus = responseStatus
    }
}
