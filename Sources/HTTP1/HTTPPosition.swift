// Where a byte of an HTTP stream came from: its capture frame, time and stream offset.

/// The capture frame, capture time and stream offset of one byte of a reassembled direction.
///
/// Every byte of a fed segment shares the segment's frame and time; the offset grows by one per byte.
public struct HTTPPosition: Sendable, Equatable {
    /// The capture frame number that carried the byte.
    public var frame: UInt64
    /// The capture time of that frame (the caller's unit, typically nanoseconds since the epoch).
    public var time: Int64
    /// The byte's offset in its direction's reassembled stream.
    public var offset: UInt64

    /// Creates a position.
    public init(frame: UInt64, time: Int64, offset: UInt64) {
        self.frame = frame
        self.time = time
        self.offset = offset
    }

    /// The same frame and time, `count` bytes further into the stream.
    @inlinable
    public func advanced(by count: Int) -> HTTPPosition {
        HTTPPosition(frame: frame, time: time, offset: offset &+ UInt64(truncatingIfNeeded: count))
    }
}
