// Ethernet II header decoding (IEEE 802.3 clause 3.2.6), with 802.1Q / QinQ tags and MPLS labels.

/// Decodes an Ethernet II header: destination, source, EtherType, then any VLAN tags and MPLS labels.
public enum EthernetHeader {
    enum Field {
        static let destination = 0
        static let source = 6
        static let etherType = 12
        static let minimumLength = 14
    }

    /// The shortest Ethernet header (no tags).
    public static let minimumLength = Field.minimumLength

    /// Decodes the header at the start of `bytes`.
    ///
    /// Throws `.truncated(.ethernet / .vlan / .mpls, …)` for a short capture and
    /// `.malformed(.vlan / .mpls, …)` for more than 8 stacked tags or labels. A non-IP EtherType,
    /// including an 802.3 length field (≤ 1500), is returned as read so the addresses stay
    /// available; `FrameDecoder` reports it as `.unsupported(.ethernet, value:)`.
    @inline(__always)
    public static func decode(_ bytes: Span<UInt8>) throws(WireError) -> LinkRepr {
        try bytes.require(Field.minimumLength, for: .ethernet)
        var link = LinkRepr(linkType: .ethernet, headerLength: Field.minimumLength, etherType: 0)
        link.destination = MACAddress(value: bytes.bigEndianUInt48(at: Field.destination))
        link.source = MACAddress(value: bytes.bigEndianUInt48(at: Field.source))
        try VLANTags.walk(bytes, typeOffset: Field.etherType, into: &link)
        if MPLSLabels.isMPLS(link.etherType) { try MPLSLabels.walk(bytes, into: &link) }
        return link
    }
}
