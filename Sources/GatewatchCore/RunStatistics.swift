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
    /// Responses per status code 0...999, counted by index: a hash per response cost more than the
    /// rest of the bookkeeping together.
    private var statusCounts = [Int](repeating: 0, count: 1000)
    /// Responses by status code (only codes seen).
    public var responsesByStatus: [Int: Int] {
        get {
            var result: [Int: Int] = [:]
            for (status, count) in statusCounts.enumerated() where count > 0 { result[status] = count }
            return result
        }
        set {
            statusCounts = [Int](repeating: 0, count: 1000)
            for (status, count) in newValue where (0..<1000).contains(status) { statusCounts[status] = count }
        }
    }

    /// Counts one response of `status` (codes outside 0...999 are not counted by code).
    @inline(__always)
    public mutating func noteResponse(status: Int) {
        responses += 1
        if status >= 0 && status < 1000 { statusCounts[status] += 1 }
    }

    /// Responses of one status so far.
    public func responses(status: Int) -> Int { (0..<1000).contains(status) ? statusCounts[status] : 0 }
    public var malformed = 0
    public var unansweredRequests = 0
    public var incompleteMessages = 0
    public var firstTime: Int64?
    public var lastTime: Int64?
    public init() {}
}
