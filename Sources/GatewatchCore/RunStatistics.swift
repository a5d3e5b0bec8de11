// Counts kept over a run, for the end-of-run statistics and --summary.

/// What one run saw.
public struct RunStatistics: Sendable {
    public var packets = 0
    public var bytes: UInt64 = 0
    public var tcpSegments = 0
    public var ipFragments = 0
    public var undecodedFrames = 0
    public var requests = 0
    public var responses = 0
    public var responsesByStatus: [Int: Int] = [:]
    public var malformed = 0
    public var unansweredRequests = 0
    public var incompleteMessages = 0
    public var firstTime: Int64?
    public var lastTime: Int64?
    public init() {}
}
