// Errors of the packet decoders; each names the layer that could not be decoded.

/// The protocol layer a decoding error belongs to.
public enum Layer: String, Sendable, Hashable {
    case link, ethernet, vlan, sll, sll2, null, ipv4, ipv6, ipv6Extension, tcp
    /// An MPLS label stack between the link header and IP.
    case mpls
}

/// Where a length limit came from: the bytes captured (snaplen) or a length field on the wire.
public enum LengthSource: Sendable, Hashable {
    case capture
    case ipTotalLength
}

/// A decoding failure. `truncated` is a short capture (tcpdump's `[|tcp]`); `malformed` is a bad
/// value on the wire (tcpdump's `(invalid)`); `unsupported` is a protocol we do not decode.
public enum WireError: Error, Equatable, Sendable {
    case truncated(Layer, needed: Int, available: Int, limitedBy: LengthSource)
    case malformed(Layer, field: String)
    case unsupported(Layer, value: UInt32)
}
