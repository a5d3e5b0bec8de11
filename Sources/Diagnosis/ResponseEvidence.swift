// What the client leg shows of one error response: status, headers and the start of the body.

/// The parts of an HTTP response that identify who generated it.
public struct ResponseEvidence: Sendable {
    /// The most body bytes kept: error pages that identify a generator are small, and a bound keeps
    /// classification cheap however large the captured body is.
    public static let bodyPrefixLimit = 4096

    /// The status code, e.g. 502.
    public var status: Int
    /// The reason phrase as sent (Varnish's "Backend fetch failed" is itself a marker).
    public var reason: String
    /// Header fields in wire order; names keep their wire case.
    public var headers: [(name: String, value: String)]
    /// The first bytes of the de-chunked body, at most `bodyPrefixLimit`; may be empty.
    public var bodyPrefix: [UInt8]

    /// Creates evidence; a longer body is cut to `bodyPrefixLimit` bytes.
    public init(status: Int, reason: String = "", headers: [(name: String, value: String)] = [],
                bodyPrefix: [UInt8] = []) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.bodyPrefix = bodyPrefix.count > Self.bodyPrefixLimit
            ? Array(bodyPrefix.prefix(Self.bodyPrefixLimit)) : bodyPrefix
    }

    /// The value of the first header with this name (case-insensitive), if any.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
