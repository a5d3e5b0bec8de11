// The link-layer header types Gatewatch decodes, keyed by libpcap DLT / LINKTYPE value.

/// A capture's link-layer header type (libpcap `pcap_datalink`, or the pcap file header's LINKTYPE).
///
/// Values follow https://www.tcpdump.org/linktypes.html. Several numbers map to `.rawIP`
/// (DLT_RAW is 12 on most systems and 14 on OpenBSD; pcap files store LINKTYPE_RAW as 101).
public enum LinkType: Equatable, Hashable, Sendable {
    /// DLT_EN10MB (1): Ethernet II, possibly with 802.1Q / 802.1ad tags.
    case ethernet
    /// DLT_NULL (0): BSD loopback, 4-byte address family in the capturing host's byte order.
    case null
    /// DLT_LOOP (108): OpenBSD loopback, 4-byte address family in network byte order.
    case loop
    /// DLT_RAW (12, 14) / LINKTYPE_RAW (101): a bare IP packet; the version nibble picks IPv4 or IPv6.
    case rawIP
    /// DLT_IPV4 (228): a bare IPv4 packet.
    case ipv4
    /// DLT_IPV6 (229): a bare IPv6 packet.
    case ipv6
    /// DLT_LINUX_SLL (113): Linux "cooked" capture, 16-byte header.
    case linuxSLL
    /// DLT_LINUX_SLL2 (276): Linux "cooked" capture v2, 20-byte header.
    case linuxSLL2
    /// Any other DLT value; frames of this type are reported as `.unsupported(.link, …)`.
    case other(Int32)

    /// The link type for a DLT or LINKTYPE value.
    public init(dlt: Int32) {
        switch dlt {
        case 1: self = .ethernet
        case 0: self = .null
        case 108: self = .loop
        case 12, 14, 101: self = .rawIP
        case 228: self = .ipv4
        case 229: self = .ipv6
        case 113: self = .linuxSLL
        case 276: self = .linuxSLL2
        default: self = .other(dlt)
        }
    }

    /// The DLT value; `.rawIP` answers 12 (Linux's DLT_RAW) whichever number it was built from.
    public var dlt: Int32 {
        switch self {
        case .ethernet: 1
        case .null: 0
        case .loop: 108
        case .rawIP: 12
        case .ipv4: 228
        case .ipv6: 229
        case .linuxSLL: 113
        case .linuxSLL2: 276
        case .other(let value): value
        }
    }

    /// The name tcpdump prints after "link-type" (`pcap_datalink_val_to_name`), or `DLT_n` if unknown.
    public var name: String {
        switch self {
        case .ethernet: "EN10MB"
        case .null: "NULL"
        case .loop: "LOOP"
        case .rawIP: "RAW"
        case .ipv4: "IPV4"
        case .ipv6: "IPV6"
        case .linuxSLL: "LINUX_SLL"
        case .linuxSLL2: "LINUX_SLL2"
        case .other(let value): "DLT_\(value)"
        }
    }

    /// The media type Netmon-style output prints in the frame summary (`ETHERNET`, `LINUX_SLL`, …).
    public var netmonMediaType: String {
        switch self {
        case .ethernet: "ETHERNET"
        case .null: "NULL"
        case .loop: "LOOPBACK"
        case .rawIP: "RAWIP"
        case .ipv4: "RAWIPV4"
        case .ipv6: "RAWIPV6"
        case .linuxSLL: "LINUX_SLL"
        case .linuxSLL2: "LINUX_SLL2"
        case .other: "UNKNOWN"
        }
    }
}
