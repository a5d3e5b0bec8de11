// Both directions of one TCP connection: roles by content, request/response pairing, tunnels, close handling.

/// Parses both directions of a connection and pairs responses with requests (FIFO, so pipelining works).
///
/// Feed it the reassembler's events in capture order. Which direction carries requests is learned from
/// content (a request line or a status line), never from ports. Hostile bytes cannot make it trap or grow
/// memory beyond its ``HTTPLimits``.
public struct HTTPConnectionParser {
    private var shared: ConnectionState
    private var stream0: HTTPStreamParser
    private var stream1: HTTPStreamParser
    private var finished = false

    /// Creates a parser for one connection.
    public init(limits: HTTPLimits = .default) {
        shared = ConnectionState(limits: limits)
        stream0 = HTTPStreamParser(direction: 0, limits: limits)
        stream1 = HTTPStreamParser(direction: 1, limits: limits)
    }

    /// Totals so far: messages, malformed reports by kind, gaps, resyncs, anomalies.
    public var counters: HTTPCounters { shared.counters }

    /// The connection switched protocols (CONNECT 2xx or 101); nothing after that is parsed.
    public var isTunnel: Bool { shared.isTunnel }

    /// No message was found in either direction, and a direction's first bytes were another protocol.
    public var isNotHTTP: Bool {
        stream0.messages == 0 && stream1.messages == 0 && (stream0.classifiedNotHTTP || stream1.classifiedNotHTTP)
    }

    /// Bytes of a Content-Length body still to come in `direction` (0 when that direction is not
    /// inside one): bytes the parser will only count, whatever they hold.
    public func contentLengthBodyRemaining(direction: UInt8) -> UInt64 {
        guard !finished else { return 0 }
        return direction == 0 ? stream0.contentLengthBodyRemaining : stream1.contentLengthBodyRemaining
    }

    /// Parses one in-order segment of `direction` (0 or 1; other values are treated as 1).
    ///
    /// `at` is the position of `bytes[0]`; every byte of the segment shares its frame and time.
    public mutating func feed(_ bytes: Span<UInt8>, direction: UInt8, at: HTTPPosition, handler: inout some HTTPConnectionHandler) {
        guard !finished else { return }
        if direction == 0 {
            stream0.feed(bytes, at: at, shared: &shared, handler: &handler)
        } else {
            stream1.feed(bytes, at: at, shared: &shared, handler: &handler)
        }
    }

    /// `length` bytes of `direction` starting at `at` were never captured.
    public mutating func gap(length: UInt64, direction: UInt8, at: HTTPPosition, handler: inout some HTTPConnectionHandler) {
        guard !finished else { return }
        if direction == 0 {
            stream0.gap(length: length, at: at, shared: &shared, handler: &handler)
        } else {
            stream1.gap(length: length, at: at, shared: &shared, handler: &handler)
        }
    }

    /// `direction` ended (FIN or RST): completes a close-delimited body, reports a framed body as cut, and
    /// when the server side closes, reports the requests it never answered.
    public mutating func close(direction: UInt8, at: HTTPPosition, handler: inout some HTTPConnectionHandler) {
        guard !finished else { return }
        if direction == 0 {
            stream0.close(at: at, cut: .cutByClose, shared: &shared, handler: &handler)
        } else {
            stream1.close(at: at, cut: .cutByClose, shared: &shared, handler: &handler)
        }
        // Requests can still be answered after the client half-closes; only the server's close ends them.
        let requestSide = shared.requestDirection
        if let requestSide, requestSide != (direction == 0 ? 0 : 1) {
            reportUnanswered(reason: .cutByClose, handler: &handler)
        }
    }

    /// The input ended: messages still open end as ``HTTPMessageEnd/unfinishedAtEnd`` and unanswered requests are reported.
    public mutating func finish(at: HTTPPosition, handler: inout some HTTPConnectionHandler) {
        guard !finished else { return }
        stream0.close(at: at, cut: .unfinishedAtEnd, shared: &shared, handler: &handler)
        stream1.close(at: at, cut: .unfinishedAtEnd, shared: &shared, handler: &handler)
        reportUnanswered(reason: .unfinishedAtEnd, handler: &handler)
        finished = true
    }

    private mutating func reportUnanswered(reason: HTTPMessageEnd, handler: inout some HTTPConnectionHandler) {
        // A tunnel's CONNECT was answered; anything queued behind a tunnel can never be.
        while let request = shared.pending.popFirst() {
            shared.counters.unansweredRequests &+= 1
            handler.unansweredRequest(request.summary, reason: reason)
        }
    }
}
