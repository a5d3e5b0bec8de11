// The TCP options Gatewatch reports (RFC 9293 3.2, RFC 7323 for window scale and timestamps, RFC 2018 for SACK).

/// The options of one TCP header that matter for analysis; unknown options are skipped.
public struct TCPOptions: Sendable {
    /// Maximum segment size (kind 2), normally only on SYN segments.
    public var maximumSegmentSize: UInt16?
    /// Window scale shift count (kind 3), only on SYN segments.
    public var windowScale: UInt8?
    /// SACK permitted (kind 4).
    public var sackPermitted: Bool
    /// Number of SACK blocks (kind 5), 0 if none.
    public var sackBlockCount: Int
    /// Timestamp value TSval (kind 8).
    public var timestampValue: UInt32?
    /// Timestamp echo reply TSecr (kind 8).
    public var timestampEcho: UInt32?

    /// Options with every field given; the defaults describe a header without options.
    public init(maximumSegmentSize: UInt16? = nil, windowScale: UInt8? = nil, sackPermitted: Bool = false,
                sackBlockCount: Int = 0, timestampValue: UInt32? = nil, timestampEcho: UInt32? = nil) {
        self.maximumSegmentSize = maximumSegmentSize
        self.windowScale = windowScale
        self.sackPermitted = sackPermitted
        self.sackBlockCount = sackBlockCount
        self.timestampValue = timestampValue
        self.timestampEcho = timestampEcho
    }
}
