// Recent frames kept for -V/-X, for a message whose first frame is no longer the current one.

/// A bounded ring of copies of recent payload-carrying frames. Used only when -V or -X asks for
/// frame views: a message head that spans segments, or waited out of order, began in an earlier
/// frame. Bounded by count and bytes; an evicted frame is reported as such, never guessed.
struct FrameStore {
    private var slots: [(frame: UInt64, bytes: [UInt8])]
    private var next = 0
    private var storedBytes = 0
    private let byteLimit: Int

    init(capacity: Int = 4096, byteLimit: Int = 16 << 20) {
        slots = Array(repeating: (0, []), count: capacity)
        self.byteLimit = byteLimit
    }

    mutating func store(frame: UInt64, bytes: Span<UInt8>) {
        storedBytes -= slots[next].bytes.count
        var copy = [UInt8]()
        copy.reserveCapacity(bytes.count)
        for index in bytes.indices { copy.append(bytes[index]) }
        slots[next] = (frame, copy)
        storedBytes += copy.count
        next = (next + 1) % slots.count
        // Over the byte budget: drop the oldest entries (they are the least likely to be asked for).
        var cursor = next
        while storedBytes > byteLimit && cursor != (next + slots.count - 1) % slots.count {
            storedBytes -= slots[cursor].bytes.count
            slots[cursor] = (0, [])
            cursor = (cursor + 1) % slots.count
        }
    }

    func bytes(of frame: UInt64) -> [UInt8]? {
        for slot in slots where slot.frame == frame && !slot.bytes.isEmpty { return slot.bytes }
        return nil
    }
}
