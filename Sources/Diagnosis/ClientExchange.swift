// The failed exchange on the client↔gateway leg.

/// The client-side request and the error response the gateway sent back.
public struct ClientExchange: Sendable, Equatable {
    /// The reassembler's stream number of the client leg.
    public var stream: Int
    /// First frame of the client's request, if captured.
    public var requestFrame: UInt64?
    /// Time of `requestFrame` in nanoseconds.
    public var requestTime: Int64?
    /// The request method, if parsed.
    public var requestMethod: String?
    /// The request target, if parsed.
    public var requestTarget: String?
    /// The Host header, if present.
    public var requestHost: String?
    /// Bytes of request body.
    public var requestBodyBytes: UInt64
    /// First frame of the error response.
    public var responseFrame: UInt64
    /// Time of `responseFrame` in nanoseconds.
    public var responseTime: Int64
    /// The response status, e.g. 502.
    public var status: Int
    /// The gateway host: the server-side IP of the client leg, without a port.
    public var gatewayAddress: String

    /// Creates an exchange.
    public init(stream: Int, requestFrame: UInt64? = nil, requestTime: Int64? = nil,
                requestMethod: String? = nil, requestTarget: String? = nil, requestHost: String? = nil,
                requestBodyBytes: UInt64 = 0, responseFrame: UInt64, responseTime: Int64, status: Int = 502,
                gatewayAddress: String) {
        self.stream = stream
        self.requestFrame = requestFrame
        self.requestTime = requestTime
        self.requestMethod = requestMethod
        self.requestTarget = requestTarget
        self.requestHost = requestHost
        self.requestBodyBytes = requestBodyBytes
        self.responseFrame = responseFrame
        self.responseTime = responseTime
        self.status = status
        self.gatewayAddress = gatewayAddress
    }
}
