// Caps and timeouts that bound the reassembler's memory and waiting.

/// Memory caps and capture-time timeouts; the defaults keep a small host well under 64 MiB on any capture.
public struct ReassemblyLimits: Sendable {
    /// Most connections tracked at once; beyond it the least recently active one is evicted (counted).
    public var maxConnections: Int
    /// Most out-of-order bytes held across all connections (each held chunk also costs `chunkOverhead`).
    public var maxBufferedBytes: Int
    /// Most out-of-order bytes held for one direction; beyond it the first hole becomes a gap (`holdBudget`).
    public var maxBufferedBytesPerDirection: Int
    /// Nanoseconds of capture time a hole may wait before it becomes a gap (`holdTimeout`).
    public var holdTimeout: Int64
    /// Nanoseconds of capture time without packets after which a connection expires.
    public var idleTimeout: Int64
    /// Nanoseconds a closed connection is remembered (to absorb late retransmissions) before it is forgotten.
    public var closedLinger: Int64
    /// Packets of the same connection to wait after the peer acknowledged past a hole, or after both FINs,
    /// before declaring the gap; absorbs capture reordering that shows an ACK before the data it covers.
    public var reorderGracePackets: Int
    /// Bytes charged against the budgets per held chunk (about its real cost: the record plus the array's
    /// heap header), so floods of tiny segments are bounded too: at most 8 192 chunks per MiB.
    public var chunkOverhead: Int

    /// Limits from explicit values.
    public init(maxConnections: Int = 50_000, maxBufferedBytes: Int = 16 << 20,
                maxBufferedBytesPerDirection: Int = 1 << 20, holdTimeout: Int64 = 3_000_000_000,
                idleTimeout: Int64 = 300_000_000_000, closedLinger: Int64 = 5_000_000_000,
                reorderGracePackets: Int = 5, chunkOverhead: Int = 128) {
        self.maxConnections = max(1, maxConnections)
        self.maxBufferedBytes = max(0, maxBufferedBytes)
        self.maxBufferedBytesPerDirection = max(0, maxBufferedBytesPerDirection)
        self.holdTimeout = max(0, holdTimeout)
        self.idleTimeout = max(1, idleTimeout)
        self.closedLinger = max(0, closedLinger)
        self.reorderGracePackets = max(0, min(reorderGracePackets, 100))
        self.chunkOverhead = max(0, chunkOverhead)
    }

    /// 50 000 connections (about 24 MiB of entries), 16 MiB held in total, 1 MiB per direction, 3 s hold,
    /// 300 s idle, 5 s linger, a grace of 5 packets: about 40 MiB at worst.
    public static let `default` = ReassemblyLimits()
}
