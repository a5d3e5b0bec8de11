// Linux cooked capture header v1 (DLT_LINUX_SLL), https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html

/// Decodes the 16-byte DLT_LINUX_SLL header that Linux "any"-device captures carry instead of Ethernet.
public enum LinuxSLLHeader {
    enum Field {
        static let packetType = 0
        static let hardwareType = 2
        static let addressLength = 4
        static let address = 6
        static let protocolType = 14
        static let minimumLength = 16
    }

    /// The fixed header length.
    public static let minimumLength = Field.minimumLength

    /// Decodes the header at the start of `bytes`; a VLAN tag libpcap re-inserted after it is walked too.
    ///
    /// Throws `.truncated(.sll / .vlan, …)` for a short capture.
    @inline(__always)
    public static func decode(_ bytes: Span<UInt8>) throws(WireError) -> LinkRepr {
        try bytes.require(Field.minimumLength, for: .sll)
        var link = LinkRepr(linkType: .linuxSLL, headerLength: Field.minimumLength, etherType: 0)
        link.sllPacketType = bytes.bigEndianUInt16(at: Field.packetType)
        link.hardwareType = bytes.bigEndianUInt16(at: Field.hardwareType)
        // Only a 6-byte address is a MAC; other lengths (0 for loopback, 8 for some tunnels) are not.
        if bytes.bigEndianUInt16(at: Field.addressLength) == 6 {
            link.source = MACAddress(value: bytes.bigEndianUInt48(at: Field.address))
        }
        try VLANTags.walk(bytes, typeOffset: Field.protocolType, into: &link)
        if MPLSLabels.isMPLS(link.etherType) { try MPLSLabels.walk(bytes, into: &link) }
        return link
    }
}
