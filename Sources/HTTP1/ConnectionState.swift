// State both directions of a connection share: pairing, tunnel status, counters.

/// What the two directions of one connection share. Owned by ``HTTPConnectionParser``.
struct ConnectionState {
    /// Totals reported through ``HTTPConnectionParser/counters``.
    var counters = HTTPCounters()
    /// Requests waiting for responses.
    var pending: RequestQueue
    /// Next request index.
    var requestIndex = 0
    /// Next response index.
    var responseIndex = 0
    /// The connection switched protocols: nothing more is parsed.
    var isTunnel = false
    /// A CONNECT or upgrade request awaits its answer, so the request direction holds off parsing.
    var awaitingTunnelAnswer = false
    /// The direction requests travel in, once one was seen.
    var requestDirection: UInt8?
    /// The direction responses travel in, once one was seen.
    var responseDirection: UInt8?
    /// Limits for both directions.
    let limits: HTTPLimits

    init(limits: HTTPLimits) {
        self.limits = limits
        pending = RequestQueue(capacity: limits.maxPendingRequests)
    }
}
