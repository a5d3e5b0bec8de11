// Skipping an MPLS label stack (RFC 3032 section 2.1) that sits between the link header and IP.

/// Walks an MPLS label stack after the link header, so IP carried over MPLS still decodes.
enum MPLSLabels {
    /// EtherTypes of MPLS unicast and multicast.
    @inline(__always)
    static func isMPLS(_ etherType: UInt16) -> Bool {
        etherType == 0x8847 || etherType == 0x8848
    }

    /// Deeper stacks than this are not seen in practice; the bound keeps the walk short.
    static let maximumLabels = 8

    /// Skips the labels starting at `link.headerLength`, records the top label, and replaces
    /// `etherType` with IPv4 or IPv6 as the first nibble after the bottom label says (MPLS itself
    /// does not name its payload; Zeek and Wireshark guess the same way). Any other nibble (an
    /// Ethernet pseudowire, say) leaves `etherType` as MPLS, which is reported unsupported.
    static func walk(_ bytes: Span<UInt8>, into link: inout LinkRepr) throws(WireError) {
        var offset = link.headerLength
        var labels = 0
        while true {
            guard labels < maximumLabels else { throw .malformed(.mpls, field: "label count") }
            try bytes.require(offset + 4, for: .mpls)
            let entry = bytes.bigEndianUInt32(at: offset)
            if labels == 0 { link.mplsLabel = entry >> 12 }
            labels += 1
            offset += 4
            if entry & 0x100 != 0 { break }   // bottom of stack
        }
        link.headerLength = offset
        // The nibble needs one more byte; without it the IP decoder would only guess wrong.
        try bytes.require(offset + 1, for: .mpls)
        switch bytes[offset] >> 4 {
        case 4: link.etherType = 0x0800
        case 6: link.etherType = 0x86DD
        default: break
        }
    }
}
