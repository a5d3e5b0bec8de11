// A min-heap of capture-time deadlines for hold expiry and closed-connection linger.

/// One queued deadline for a slot; stale once the slot's generation or armed deadline moved on.
struct TimerEntry {
    var deadline: Int64
    var slot: Int32
    var generation: UInt32
}

/// A binary min-heap keyed by deadline; entries are never removed early, only skipped when stale.
struct TimerHeap {
    private(set) var entries: [TimerEntry] = []

    var earliest: Int64 { entries.first?.deadline ?? .max }

    mutating func push(_ entry: TimerEntry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popFirst() -> TimerEntry? {
        guard let first = entries.first else { return nil }
        let last = entries.removeLast()
        guard !entries.isEmpty else { return first }
        entries[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < entries.count && entries[left].deadline < entries[smallest].deadline { smallest = left }
            if right < entries.count && entries[right].deadline < entries[smallest].deadline { smallest = right }
            guard smallest != parent else { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }

    mutating func removeAll() { entries.removeAll() }
}
