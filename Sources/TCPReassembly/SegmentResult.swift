// The reassembler's answer for one processed segment.

/// Which stream and direction a segment belongs to and what became of it.
public struct SegmentResult: Sendable, Hashable {
    /// The stream number (Wireshark's `tcp.stream`).
    public var stream: Int
    /// The segment's direction within the stream.
    public var direction: StreamDirection
    /// What the reassembler did with it.
    public var disposition: SegmentDisposition

    /// A result from its parts.
    public init(stream: Int, direction: StreamDirection, disposition: SegmentDisposition) {
        self.stream = stream
        self.direction = direction
        self.disposition = disposition
    }
}
