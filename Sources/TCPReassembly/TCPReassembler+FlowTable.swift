// The flow table: open addressing with linear probing over slot indices, keys compared in place.

extension TCPReassembler {
    /// A cheap seeded mix of the key's words. The flow lookup is the per-packet cost, and SipHash over a
    /// `Hasher` measured at about 40% of the time of a 10 000-flow run.
    @inline(__always)
    func hash(_ key: FlowKey) -> UInt64 {
        let addresses = key.lower.address.low &+ (key.upper.address.low << 1 | key.upper.address.low >> 63)
            ^ (key.lower.address.high &* 0x9E37_79B9_7F4A_7C15) ^ (key.upper.address.high &* 0xC2B2_AE3D_27D4_EB4F)
        let ports = UInt64(key.lower.port) | UInt64(key.upper.port) << 16 | UInt64(key.vlan) << 32
        var h = (addresses ^ hashSeed) &* 0xFF51_AFD7_ED55_8CCD ^ ports &* 0x1656_67B1_9E37_79F9
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        return h
    }

    /// The slot holding `key`, or -1.
    @inline(__always)
    func find(_ key: FlowKey) -> Int32 {
        let h = hash(key)
        let mask = buckets.count - 1
        let tag = h >> 32
        var index = Int(truncatingIfNeeded: h) & mask
        // The table is never more than half full (counting deleted marks), so an empty bucket ends this.
        while true {
            let bucket = buckets[index]
            if bucket == 0 { return -1 }
            if bucket != 1 && bucket >> 32 == tag {
                let slot = Int(bucket & 0xFFFF_FFFF) - 2
                if connections[slot].key == key { return Int32(slot) }
            }
            index = (index + 1) & mask
        }
    }

    /// Makes room for one more key: grows, or clears deleted marks, before the table passes half full.
    /// Called before the new connection is stored, so `rebuild` sees only the existing ones.
    mutating func reserveTableSpace() {
        if (tableCount + tombstones + 1) * 2 > buckets.count { rebuild(minimumCount: tableCount + 1) }
    }

    /// Adds `key` (known to be absent) for `slot`; `reserveTableSpace()` must have run first.
    mutating func insert(_ key: FlowKey, slot: Int) {
        let h = hash(key)
        let mask = buckets.count - 1
        var index = Int(truncatingIfNeeded: h) & mask
        while buckets[index] > 1 { index = (index + 1) & mask }
        if buckets[index] == 1 { tombstones -= 1 }
        buckets[index] = (h >> 32) << 32 | UInt64(slot + 2)
        tableCount += 1
    }

    /// Removes `key` if present.
    mutating func erase(_ key: FlowKey) {
        let h = hash(key)
        let mask = buckets.count - 1
        let tag = h >> 32
        var index = Int(truncatingIfNeeded: h) & mask
        while buckets[index] != 0 {
            let bucket = buckets[index]
            if bucket != 1 && bucket >> 32 == tag && connections[Int(bucket & 0xFFFF_FFFF) - 2].key == key {
                buckets[index] = 1
                tableCount -= 1
                tombstones += 1
                return
            }
            index = (index + 1) & mask
        }
    }

    /// Re-inserts every live slot into a table sized for `minimumCount` at most a quarter full.
    mutating func rebuild(minimumCount: Int) {
        var capacity = 1_024
        while capacity < minimumCount * 4 { capacity *= 2 }
        buckets = [UInt64](repeating: 0, count: capacity)
        tableCount = 0
        tombstones = 0
        for slot in connections.indices where connections[slot].inUse {
            insert(connections[slot].key, slot: slot)
        }
    }
}
