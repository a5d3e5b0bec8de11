// A map from stream numbers to per-connection values, for the lookups made on every segment.

/// Values keyed by a stream number (or any non-negative `Int` the pipeline itself assigns), kept
/// densely so that a scan over every value touches only live ones.
///
/// Why not `Dictionary`: its SipHash of an `Int` and probe cost about 200 instructions a lookup,
/// and the pipeline made four such lookups per segment (9% of a run over nginx-busy, callgrind).
/// The keys here are never chosen by the traffic (the reassembler numbers streams 0, 1, 2, …),
/// so a multiplicative hash cannot be aimed at one probe chain and needs no seed.
///
/// Layout: `keys` and `values` are parallel dense arrays; `buckets` is an open-addressing table
/// (linear probing, at most half full) of dense indices, -1 for an empty bucket. Removal moves the
/// last value into the hole and deletes by backward shifting, so no tombstones build up.
struct StreamTable<Value> {
    private(set) var keys: [Int] = []
    /// The values, in no particular order; index them with `index(of:)` to change one in place.
    var values: [Value] = []
    private var buckets = [Int32](repeating: -1, count: 16)

    /// Number of entries.
    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }

    @inline(__always)
    private func home(_ key: Int) -> Int {
        // Fibonacci hashing: consecutive keys land far apart; the top bits are the best mixed.
        let shift = UInt64(64 - buckets.count.trailingZeroBitCount)
        return Int(truncatingIfNeeded: (UInt64(bitPattern: Int64(key)) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The bucket holding `key`, or the empty bucket where it would go.
    @inline(__always)
    private func bucket(of key: Int) -> Int {
        let mask = buckets.count - 1
        var position = home(key)
        while true {
            let entry = buckets[position]
            if entry < 0 || keys[Int(entry)] == key { return position }
            position = (position + 1) & mask
        }
    }

    /// The dense index of `key`'s value, or nil.
    @inline(__always)
    func index(of key: Int) -> Int? {
        let entry = buckets[bucket(of: key)]
        return entry < 0 ? nil : Int(entry)
    }

    /// The value for `key` (a copy), or nil.
    subscript(key: Int) -> Value? {
        guard let index = index(of: key) else { return nil }
        return values[index]
    }

    /// Stores `value` for `key`, replacing any value it had.
    mutating func set(_ value: Value, for key: Int) {
        if let index = index(of: key) {
            values[index] = value
            return
        }
        if (keys.count + 1) * 2 > buckets.count { grow() }
        buckets[bucket(of: key)] = Int32(keys.count)
        keys.append(key)
        values.append(value)
    }

    /// Removes and returns the value for `key`, if any.
    @discardableResult
    mutating func removeValue(for key: Int) -> Value? {
        guard let index = unlink(key) else { return nil }
        if index != values.count - 1 { values.swapAt(index, values.count - 1) }
        return values.removeLast()
    }

    /// Removes the value for `key`, if any, without handing it back: the last value moves into
    /// its place once, where `removeValue` swapped the two and then moved the removed one out
    /// (for the per-connection HTTP state, 1.3 KB a value, that was most of a close's cost).
    mutating func discardValue(for key: Int) {
        guard let index = unlink(key) else { return }
        let last = values.removeLast()
        if index < values.count { values[index] = last }
    }

    /// Forgets `key`: empties its bucket and moves the last key into its dense index, repointing
    /// that key's bucket. Returns the index, whose value (to be replaced by the last value) is
    /// the caller's to take; nil when `key` is not in the table.
    private mutating func unlink(_ key: Int) -> Int? {
        let hole = bucket(of: key)
        guard buckets[hole] >= 0 else { return nil }
        let index = Int(buckets[hole])
        deleteBucket(hole)
        let last = keys.count - 1
        if index != last {
            buckets[bucket(of: keys[last])] = Int32(index)
            keys[index] = keys[last]
        }
        keys.removeLast()
        return index
    }

    /// Empties `bucket` and shifts back later members of its probe run so every key stays reachable.
    private mutating func deleteBucket(_ start: Int) {
        let mask = buckets.count - 1
        var hole = start
        var position = start
        while true {
            position = (position + 1) & mask
            let entry = buckets[position]
            if entry < 0 { break }
            let wanted = home(keys[Int(entry)])
            // The entry may move into the hole only if its home is not cyclically inside (hole, position].
            let distanceToEntry = (position - wanted) & mask
            let distanceToHole = (position - hole) & mask
            if distanceToEntry >= distanceToHole {
                buckets[hole] = entry
                hole = position
            }
        }
        buckets[hole] = -1
    }

    private mutating func grow() {
        buckets = [Int32](repeating: -1, count: buckets.count * 2)
        for (index, key) in keys.enumerated() { buckets[bucket(of: key)] = Int32(index) }
    }
}
