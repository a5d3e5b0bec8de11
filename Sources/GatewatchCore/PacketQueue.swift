// One connection's not-yet-matching packets, copied back to back, for --write-matching.

import Capture

/// Copies of one connection's packets in arrival order. Bytes live in one growing array and
/// packets are dropped from the front, so buffering needs no allocation per packet (only when
/// the arrays grow, or are compacted after many drops).
struct PacketQueue {
    struct Entry {
        var frame: UInt64
        var time: Int64
        var originalLength: Int
        var offset: Int
        var length: Int
    }

    private(set) var bytes: [UInt8] = []
    private(set) var entries: [Entry] = []
    private var first = 0
    private var byteStart = 0
    /// The connection has closed; the queue goes once it is empty.
    var closed = false
    /// Packets of this connection dropped to keep within the limits.
    var dropped = 0

    var isEmpty: Bool { first == entries.count }
    var liveBytes: Int { bytes.count - byteStart }
    var liveCount: Int { entries.count - first }
    /// Frame number of the oldest packet kept.
    var firstFrame: UInt64? { isEmpty ? nil : entries[first].frame }
    /// The packets kept, oldest first.
    var live: ArraySlice<Entry> { entries[first...] }

    mutating func append(_ record: PacketRecord, frame: UInt64) {
        entries.append(Entry(frame: frame, time: record.time, originalLength: record.originalLength,
                             offset: bytes.count, length: record.bytes.count))
        bytes.append(contentsOf: record.bytes)
    }

    /// Drops the oldest packet and returns its size in bytes.
    mutating func dropOldest() -> Int {
        guard !isEmpty else { return 0 }
        let size = entries[first].length
        first += 1
        byteStart += size
        dropped += 1
        if isEmpty {
            entries.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
            first = 0
            byteStart = 0
        } else if first >= 64, first * 2 >= entries.count {
            // Compact once half is dead: amortised constant work per dropped packet.
            entries.removeFirst(first)
            bytes.removeFirst(byteStart)
            for index in entries.indices { entries[index].offset -= byteStart }
            first = 0
            byteStart = 0
        }
        return size
    }
}
