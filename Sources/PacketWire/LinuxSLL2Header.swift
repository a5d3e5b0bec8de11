// Linux cooked capture header v2 (DLT_LINUX_SLL2), https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html

/// Decodes the 20-byte DLT_LINUX_SLL2 header, which adds the interface index to SLL.
public enum LinuxSLL2Header {
    enum Field {
        static let protocolType = 0
        static let interfaceIndex = 4
        static let hardwareType = 8
        static let packetType = 10
        static let addressLength = 11
        static let address = 12
        static let minimumLength = 20
    }

    /// The fixed header length.
    public static let minimumLength = Field.minimumLength

    /// Decodes the header at the start of `bytes`; a VLAN tag libpcap re-inserted after it is walked too.
    ///
    /// Throws `.truncated(.sll2 / .vlan, …)` for a short capture.
    public static func decode(_ bytes: Span<UInt8>) throws(WireError) -> LinkRepr {
        try bytes.require(Field.minimumLength, for: .sll2)
        var link = LinkRepr(linkType: .linuxSLL2, headerLength: Field.minimumLength, etherType: 0)
        link.interfaceIndex = bytes.bigEndianUInt32(at: Field.interfaceIndex)
        link.hardwareType = bytes.bigEndianUInt16(at: Field.hardwareType)
        link.sllPacketType = UInt16(bytes[Field.packetType])
        if bytes[Field.addressLength] == 6 {
            link.source = MACAddress(value: bytes.bigEndianUInt48(at: Field.address))
        }
        // The protocol sits first in SLL2, so the tag walk cannot reuse "type, then payload";
        // a re-inserted VLAN tag starts right after the fixed header instead.
        link.etherType = bytes.bigEndianUInt16(at: Field.protocolType)
        if VLANTags.isTag(link.etherType) {
            try walkTags(bytes, into: &link)
        }
        if MPLSLabels.isMPLS(link.etherType) { try MPLSLabels.walk(bytes, into: &link) }
        return link
    }

    /// Walks tags placed after the fixed header: each is TCI then the next EtherType.
    private static func walkTags(_ bytes: Span<UInt8>, into link: inout LinkRepr) throws(WireError) {
        var offset = Field.minimumLength
        var tags = 0
        while VLANTags.isTag(link.etherType) {
            guard tags < VLANTags.maximumTags else { throw .malformed(.vlan, field: "tag count") }
            try bytes.require(offset + 4, for: .vlan)
            let id = bytes.bigEndianUInt16(at: offset) & 0x0FFF
            if tags == 0 { link.outerVLAN = id } else if tags == 1 { link.innerVLAN = id }
            tags += 1
            link.etherType = bytes.bigEndianUInt16(at: offset + 2)
            offset += 4
        }
        link.headerLength = offset
        link.vlanKey = VLANTags.key(outer: link.outerVLAN, inner: link.innerVLAN)
    }
}
