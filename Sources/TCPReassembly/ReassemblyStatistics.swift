// Counters for everything the reassembler saw, dropped or gave up on.

/// Running totals; every byte or connection a cap drops shows up here.
public struct ReassemblyStatistics: Sendable, Hashable {
    /// Segments processed.
    public var segments: UInt64 = 0
    /// Segments with payload on the wire.
    public var dataSegments: UInt64 = 0
    /// Payload bytes handed to the handler.
    public var deliveredBytes: UInt64 = 0
    /// Segments held because they arrived beyond a hole.
    public var outOfOrder: UInt64 = 0
    /// Segments whose bytes had all been delivered already.
    public var retransmissions: UInt64 = 0
    /// Segments that repeated the previous segment or already-held bytes.
    public var duplicates: UInt64 = 0
    /// Segments that overlapped held bytes with different content.
    public var overlapConflicts: UInt64 = 0
    /// Bytes that differed in those overlaps (the first copy was kept).
    public var overlapConflictBytes: UInt64 = 0
    /// Keep-alive segments.
    public var keepAlives: UInt64 = 0
    /// Zero-window probes.
    public var zeroWindowProbes: UInt64 = 0
    /// Gaps declared, for any reason.
    public var gaps: UInt64 = 0
    /// Bytes covered by those gaps.
    public var gapBytes: UInt64 = 0
    /// Gaps declared because the peer acknowledged past the hole.
    public var acknowledgedGaps: UInt64 = 0
    /// Gaps declared by the hold timeout.
    public var holdTimeoutGaps: UInt64 = 0
    /// Gaps forced by the per-direction or global buffer budget.
    public var bufferCapGaps: UInt64 = 0
    /// Gaps from snaplen-truncated segments.
    public var snaplenGaps: UInt64 = 0
    /// Segments ignored (after close, past FIN, implausible sequence numbers).
    public var ignored: UInt64 = 0
    /// Out-of-order bytes (plus chunk overhead) held right now.
    public var bufferedBytes: Int = 0
    /// The most ever held at once.
    public var peakBufferedBytes: Int = 0
    /// Connections opened (stream numbers handed out).
    public var connectionsOpened: UInt64 = 0
    /// Connections evicted by the connection cap.
    public var connectionsEvicted: UInt64 = 0
    /// Connections expired by the idle timeout.
    public var connectionsExpired: UInt64 = 0
    /// New streams started by a SYN on a 4-tuple already tracked.
    public var portReuses: UInt64 = 0
    /// Connections tracked right now (including closed ones lingering).
    public var activeConnections: Int = 0

    /// All counters zero.
    public init() {}
}
