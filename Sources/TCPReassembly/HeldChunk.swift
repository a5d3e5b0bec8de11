// One stretch of out-of-order bytes waiting for the hole before it to fill.

/// Held bytes copied out of a segment that arrived early, or a known hole (a snaplen-truncated tail).
struct HeldChunk {
    /// Stream offset of the first byte.
    var offset: UInt64
    /// Length in stream bytes; equals `bytes.count` for data.
    var length: UInt64
    /// The copied bytes; empty for a known hole.
    var bytes: [UInt8]
    /// True when this chunk stands for bytes the capture cut off (snaplen): delivered as a gap.
    var isTruncation: Bool
    /// Frame and time the bytes came from, reported when they are finally delivered.
    var frame: UInt64
    var time: Int64

    var end: UInt64 { offset &+ length }
}

/// Who is being told, and under which frame, while one segment is processed.
struct DeliveryContext {
    var stream: Int
    var direction: StreamDirection
    var frame: UInt64
    var time: Int64
}
