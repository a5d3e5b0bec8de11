// BSD loopback headers (DLT_NULL and DLT_LOOP): a 4-byte address family before the IP packet.

/// Decodes the 4-byte address-family header of DLT_NULL and DLT_LOOP captures.
///
/// DLT_NULL stores the family in the *capturing* host's byte order, which a file does not record,
/// so both orders are accepted: every real family value is below 65536, so a value whose low two
/// bytes (as read big-endian) are zero must have been written little-endian.
public enum NullLoopHeader {
    enum Field {
        static let addressFamily = 0
        static let minimumLength = 4
    }

    /// The fixed header length.
    public static let minimumLength = Field.minimumLength

    /// AF_INET on every BSD, Linux, macOS and Windows.
    static let inet: UInt32 = 2
    /// AF_INET6 differs by system: Linux 10, NetBSD/OpenBSD/Windows 24, FreeBSD 28, macOS 30.
    @inline(__always)
    static func isInet6(_ family: UInt32) -> Bool {
        family == 10 || family == 24 || family == 28 || family == 30
    }

    /// Decodes the header at the start of `bytes` for `linkType` (`.null` or `.loop`).
    ///
    /// `etherType` is 0x0800 or 0x86DD for a known IP family and 0 otherwise; `addressFamily`
    /// holds the value as read. Throws `.truncated(.null, …)` for a short capture.
    public static func decode(_ bytes: Span<UInt8>, linkType: LinkType = .null) throws(WireError) -> LinkRepr {
        try bytes.require(Field.minimumLength, for: .null)
        var family = bytes.bigEndianUInt32(at: Field.addressFamily)
        // DLT_LOOP is defined as network order, but accepting both costs nothing and lets a
        // mislabelled file still decode.
        if family & 0xFFFF == 0 {
            family = bytes.littleEndianUInt32(at: Field.addressFamily)
        }
        var link = LinkRepr(linkType: linkType, headerLength: Field.minimumLength, etherType: 0)
        link.addressFamily = family
        if family == inet {
            link.etherType = 0x0800
        } else if isInet6(family) {
            link.etherType = 0x86DD
        }
        return link
    }
}
