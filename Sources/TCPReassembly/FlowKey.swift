// The direction-independent key of a TCP connection in the flow table.

/// Both endpoints in canonical (sorted) order plus the VLAN identity, so both directions find one entry.
struct FlowKey: Hashable {
    var lower: FlowEndpoint
    var upper: FlowEndpoint
    var vlan: UInt32

    init(_ a: FlowEndpoint, _ b: FlowEndpoint, vlan: UInt32) {
        if b < a { lower = b; upper = a } else { lower = a; upper = b }
        self.vlan = vlan
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
