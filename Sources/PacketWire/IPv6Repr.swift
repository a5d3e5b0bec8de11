// The decoded fields of an IPv6 header and its extension-header chain (RFC 8200).

/// A decoded IPv6 header, with the result of walking its extension headers.
public struct IPv6Repr: Sendable {
    /// The traffic class byte.
    public var trafficClass: UInt8
    /// The 20-bit flow label.
    public var flowLabel: UInt32
    /// The payload length field: bytes after the fixed 40-byte header, extension headers included.
    /// 0 for jumbograms and for TSO/LSO frames captured on the sender.
    public var payloadLength: Int
    /// The Next Header field of the fixed header.
    public var nextHeader: UInt8
    /// The protocol after the hop-by-hop, routing, fragment, destination-options and AH headers
    /// (6 is TCP). For a fragment, the Next Header of the Fragment header.
    public var upperLayerProtocol: UInt8
    /// The hop limit.
    public var hopLimit: UInt8
    /// The source address.
    public var source: IPAddress
    /// The destination address.
    public var destination: IPAddress
    /// 40 plus the length of the extension headers walked.
    public var headerLength: Int
    /// The Fragment header, if one was present.
    public var fragment: IPv6Fragment?

    /// A header with every field given; `IPv6Header.decode` is the usual way to get one.
    public init(trafficClass: UInt8 = 0, flowLabel: UInt32 = 0, payloadLength: Int, nextHeader: UInt8 = 6,
                upperLayerProtocol: UInt8 = 6, hopLimit: UInt8 = 64, source: IPAddress,
                destination: IPAddress, headerLength: Int = 40, fragment: IPv6Fragment? = nil) {
        self.trafficClass = trafficClass
        self.flowLabel = flowLabel
        self.payloadLength = payloadLength
        self.nextHeader = nextHeader
        self.upperLayerProtocol = upperLayerProtocol
        self.hopLimit = hopLimit
        self.source = source
        self.destination = destination
        self.headerLength = headerLength
        self.fragment = fragment
    }

    /// True when a Fragment header marks this packet as one piece of a larger one.
    public var isFragment: Bool { fragment?.isFragment ?? false }
}
