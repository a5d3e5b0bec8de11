// Walking 802.1Q / 802.1ad VLAN tags after an EtherType field (Ethernet and Linux cooked captures).

/// Skips stacked VLAN tags, recording the first two, so Ethernet and SLL decode tags the same way.
enum VLANTags {
    /// TPIDs that introduce a 4-byte tag: 802.1Q, 802.1ad, and the pre-standard QinQ value.
    @inline(__always)
    static func isTag(_ etherType: UInt16) -> Bool {
        etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100
    }

    /// More tags than this is not a real network; the bound keeps the walk short on hostile input.
    static let maximumTags = 8

    /// Walks tags starting at the EtherType field at `typeOffset`, updating `link`'s VLAN fields,
    /// `etherType` and `headerLength` (which ends just after the final EtherType).
    ///
    /// The caller has checked `typeOffset + 2 <= bytes.count`.
    static func walk(_ bytes: Span<UInt8>, typeOffset: Int, into link: inout LinkRepr) throws(WireError) {
        var offset = typeOffset
        var etherType = bytes.bigEndianUInt16(at: offset)
        var tags = 0
        while isTag(etherType) {
            guard tags < maximumTags else { throw .malformed(.vlan, field: "tag count") }
            // Each tag is TCI (2 bytes) then the next EtherType (2 bytes).
            try bytes.require(offset + 6, for: .vlan)
            let id = bytes.bigEndianUInt16(at: offset + 2) & 0x0FFF
            if tags == 0 { link.outerVLAN = id } else if tags == 1 { link.innerVLAN = id }
            tags += 1
            offset += 4
            etherType = bytes.bigEndianUInt16(at: offset)
        }
        link.etherType = etherType
        link.headerLength = offset + 2
        link.vlanKey = key(outer: link.outerVLAN, inner: link.innerVLAN)
    }

    /// The flow-key value for a tag pair; see `LinkRepr.vlanKey` for the layout.
    @inline(__always)
    static func key(outer: UInt16?, inner: UInt16?) -> UInt32 {
        guard let outer else { return 0 }
        var key: UInt32 = 0x8000_0000 | UInt32(outer & 0x0FFF) << 12
        if let inner { key |= 0x4000_0000 | UInt32(inner & 0x0FFF) }
        return key
    }
}
