// The decoded link-layer header of one frame: addresses, protocol, VLAN tags.

/// The decoded link layer of a frame (Ethernet, Linux cooked, BSD loopback, or none for raw IP).
///
/// An owned value with no references, so it can be stored and compared freely.
public struct LinkRepr: Sendable {
    /// The capture's link type this header was decoded as.
    public var linkType: LinkType
    /// Bytes before the network header, VLAN tags included (0 for raw IP link types).
    public var headerLength: Int
    /// The sender's MAC: Ethernet, and SLL/SLL2 when the link-layer address length is 6.
    public var source: MACAddress?
    /// The receiver's MAC: Ethernet only (cooked captures do not record it).
    public var destination: MACAddress?
    /// The protocol after any VLAN tags (0x0800 IPv4, 0x86DD IPv6, anything else unsupported).
    ///
    /// For DLT_NULL / DLT_LOOP the address family is mapped to these values (0 if unknown);
    /// for raw IP link types it is derived from the IP version nibble.
    public var etherType: UInt16
    /// The first (outer) 802.1Q / 802.1ad VLAN ID, 12 bits.
    public var outerVLAN: UInt16?
    /// The second (inner) VLAN ID of a QinQ frame, 12 bits; further tags are skipped.
    public var innerVLAN: UInt16?
    /// 0 when untagged; otherwise unique per (outer, inner) pair, for use in flow keys.
    ///
    /// Layout: bit 31 set when tagged, bit 30 set when an inner tag exists, bits 12–23 the outer
    /// ID, bits 0–11 the inner ID. A VLAN ID of 0 (priority tag) still counts as tagged, so a
    /// priority-tagged frame and an untagged one never share a key.
    public var vlanKey: UInt32
    /// SLL/SLL2 packet type (0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 outgoing).
    public var sllPacketType: UInt16?
    /// SLL/SLL2 ARPHRD_ type of the interface (1 is Ethernet, 772 loopback).
    public var hardwareType: UInt16?
    /// SLL2 interface index.
    public var interfaceIndex: UInt32?
    /// The top MPLS label (20 bits) when IP is carried over MPLS; `headerLength` then includes
    /// the whole label stack and `etherType` is the IP version found after it.
    public var mplsLabel: UInt32?
    /// DLT_NULL / DLT_LOOP address family as read (2 is AF_INET; 10, 24, 28 or 30 are AF_INET6).
    public var addressFamily: UInt32?

    /// A link header with the given type, length and protocol; the optional fields start as nil.
    public init(linkType: LinkType, headerLength: Int, etherType: UInt16) {
        self.linkType = linkType
        self.headerLength = headerLength
        self.etherType = etherType
        vlanKey = 0
    }
}
