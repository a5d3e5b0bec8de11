// What the reassembler did with one segment.

/// The reassembler's verdict on a segment, for per-frame analysis output (Wireshark's tcp.analysis.*).
public enum SegmentDisposition: Sendable, Hashable {
    /// New bytes were handed to the handler (possibly after trimming a retransmitted prefix).
    case delivered
    /// The segment lies beyond a hole; its bytes were copied and wait for the hole to fill.
    case heldOutOfOrder
    /// Every byte was already delivered.
    case retransmission
    /// The segment repeats the previous segment, or bytes already held, exactly.
    case duplicate
    /// The segment overlapped bytes already held with different content; the first copy won.
    case overlapConflict
    /// A keep-alive (sequence number one below the next expected, at most one byte); never data.
    case keepAlive
    /// A one-byte probe into a zero window; not data until the receiver shows it took it.
    case zeroWindowProbe
    /// A segment with no payload (handshake, pure ACK, FIN, RST).
    case control
    /// Not used: after the connection closed, past the FIN, or implausibly far from the stream.
    case ignored
}
