// Why a direction or a connection ended.

/// Why a half-connection or connection ended.
public enum CloseReason: Sendable, Hashable {
    /// A FIN was reached in the byte stream.
    case fin
    /// A RST was seen.
    case rst
    /// No packet for `ReassemblyLimits.idleTimeout` of capture time.
    case idleTimeout
    /// The capture ended.
    case endOfInput
    /// Evicted to stay under `ReassemblyLimits.maxConnections`.
    case evicted
    /// A new SYN reused the 4-tuple, starting a new stream.
    case portReuse
}
