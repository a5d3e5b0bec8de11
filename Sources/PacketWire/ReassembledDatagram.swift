// A datagram rebuilt from IP fragments.

/// The payload of an IP datagram rebuilt from its fragments, with the protocol that payload carries.
public struct ReassembledDatagram: Sendable {
    /// The protocol of `payload` (IPv4 protocol field; for IPv6 the Next Header of the first
    /// fragment's Fragment header, followed past any extension headers that begin the
    /// fragmentable part). 6 means `payload` starts with a TCP header.
    public var upperLayerProtocol: UInt8
    /// The reassembled IP payload: for TCP, the TCP header followed by the segment data.
    public var payload: [UInt8]
    /// How many fragments were combined.
    public var fragmentCount: Int
}
