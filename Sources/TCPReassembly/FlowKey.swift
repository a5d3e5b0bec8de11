// The direction-independent key of a TCP connection in the flow table.

/// Both endpoints in canonical (sorted) order plus the VLAN identity, so both directions find one entry.
struct FlowKey: Hashable {
    var lower: FlowEndpoint
    var upper: FlowEndpoint
    var vlan: UInt32

    @inline(__always)
    init(_ a: FlowEndpoint, _ b: FlowEndpoint, vlan: UInt32) {
        if Self.precedes(b, a) { lower = b; upper = a } else { lower = a; upper = b }
        self.vlan = vlan
    }

    /// Any consistent total order will do for a canonical key; comparing the raw words directly is
    /// cheaper than `FlowEndpoint.<` (which orders IPv4 before IPv6 for display).
    @inline(__always)
    static func precedes(_ a: FlowEndpoint, _ b: FlowEndpoint) -> Bool {
        if a.address.low != b.address.low { return a.address.low < b.address.low }
        if a.address.high != b.address.high { return a.address.high < b.address.high }
        if a.address.isIPv6 != b.address.isIPv6 { return b.address.isIPv6 }
        return a.port < b.port
    }

    @inline(__always)
    static func == (lhs: FlowKey, rhs: FlowKey) -> Bool {
        lhs.lower.port == rhs.lower.port && lhs.upper.port == rhs.upper.port
            && lhs.lower.address.low == rhs.lower.address.low && lhs.upper.address.low == rhs.upper.address.low
            && lhs.lower.address.high == rhs.lower.address.high && lhs.upper.address.high == rhs.upper.address.high
            && lhs.lower.address.isIPv6 == rhs.lower.address.isIPv6
            && lhs.upper.address.isIPv6 == rhs.upper.address.isIPv6 && lhs.vlan == rhs.vlan
    }

    // Four words instead of every field: the flow lookup is the per-packet cost, and equality still
    // compares everything, so the cheaper mix only trades a few more collisions for speed.
    func hash(into hasher: inout Hasher) {
        hasher.combine(lower.address.low)
        hasher.combine(upper.address.low)
        hasher.combine(lower.address.high &+ (upper.address.high &* 31))
        hasher.combine(UInt64(lower.port) | UInt64(upper.port) << 16 | UInt64(vlan) << 32)
    }
}
