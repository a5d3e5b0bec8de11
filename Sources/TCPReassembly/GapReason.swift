// Why a stretch of a byte stream was declared missing.

/// Why the reassembler gave up waiting for bytes and declared a gap.
public enum GapReason: Sendable, Hashable {
    /// The peer acknowledged bytes the sniffer never saw (after a short reordering grace).
    case acknowledgedPastHole
    /// The hole waited longer than `ReassemblyLimits.holdTimeout` of capture time.
    case holdTimeout
    /// Held out-of-order bytes hit the per-direction or global buffer budget.
    case holdBudget
    /// The connection closed (FIN from both sides, or RST) with the hole still open.
    case closed
    /// The capture ended with the hole still open.
    case endOfInput
    /// The segment was cut by the capture's snaplen; its uncaptured tail is missing.
    case snaplenTruncated
    /// The connection was evicted to stay under `ReassemblyLimits.maxConnections`.
    case evicted
}
