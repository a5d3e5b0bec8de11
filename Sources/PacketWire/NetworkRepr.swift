// The decoded network layer of a frame: IPv4 or IPv6.

/// A decoded IPv4 or IPv6 header, with the fields the later stages need regardless of version.
public enum NetworkRepr: Sendable {
    /// An IPv4 header.
    case ipv4(IPv4Repr)
    /// An IPv6 header with its extension headers walked.
    case ipv6(IPv6Repr)

    /// The source address.
    public var source: IPAddress {
        switch self {
        case .ipv4(let header): header.source
        case .ipv6(let header): header.source
        }
    }

    /// The destination address.
    public var destination: IPAddress {
        switch self {
        case .ipv4(let header): header.destination
        case .ipv6(let header): header.destination
        }
    }

    /// The protocol carried (IPv4 protocol field; IPv6 after the extension headers). 6 is TCP.
    public var upperLayerProtocol: UInt8 {
        switch self {
        case .ipv4(let header): header.protocolNumber
        case .ipv6(let header): header.upperLayerProtocol
        }
    }

    /// The header length in bytes (IPv4 options or IPv6 extension headers included).
    public var headerLength: Int {
        switch self {
        case .ipv4(let header): header.headerLength
        case .ipv6(let header): header.headerLength
        }
    }

    /// True for a piece of a fragmented datagram (MF set or offset != 0), which needs reassembly.
    public var isFragment: Bool {
        switch self {
        case .ipv4(let header): header.isFragment
        case .ipv6(let header): header.isFragment
        }
    }
}
