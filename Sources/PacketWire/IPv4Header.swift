// IPv4 header decoding (RFC 791 section 3.1).

/// Decodes an IPv4 header, options included, from the start of `bytes`.
public enum IPv4Header {
    enum Field {
        static let versionAndLength = 0
        static let typeOfService = 1
        static let totalLength = 2
        static let identification = 4
        static let flagsAndOffset = 6
        static let timeToLive = 8
        static let protocolNumber = 9
        static let checksum = 10
        static let source = 12
        static let destination = 16
        static let minimumLength = 20
    }

    /// The shortest IPv4 header (no options).
    public static let minimumLength = Field.minimumLength

    /// Decodes the header at the start of `bytes`.
    ///
    /// Throws `.truncated(.ipv4, …, limitedBy: .capture)` when the capture ends inside the header,
    /// `.malformed(.ipv4, field: "version")` unless the version is 4,
    /// `.malformed(.ipv4, field: "headerLength")` when IHL < 5, and
    /// `.malformed(.ipv4, field: "totalLength")` when a non-zero total length cannot hold the header.
    /// A total length of 0 is accepted: it is what TSO/LSO frames look like on the sending host.
    @inline(__always)
    public static func decode(_ bytes: Span<UInt8>) throws(WireError) -> IPv4Repr {
        try bytes.require(Field.minimumLength, for: .ipv4)
        let first = bytes[Field.versionAndLength]
        guard first >> 4 == 4 else { throw .malformed(.ipv4, field: "version") }
        let headerLength = Int(first & 0x0F) * 4
        guard headerLength >= Field.minimumLength else { throw .malformed(.ipv4, field: "headerLength") }
        try bytes.require(headerLength, for: .ipv4)
        let totalLength = Int(bytes.bigEndianUInt16(at: Field.totalLength))
        guard totalLength == 0 || totalLength >= headerLength else {
            throw .malformed(.ipv4, field: "totalLength")
        }
        let flagsAndOffset = bytes.bigEndianUInt16(at: Field.flagsAndOffset)
        return IPv4Repr(
            headerLength: headerLength,
            typeOfService: bytes[Field.typeOfService],
            totalLength: totalLength,
            identification: bytes.bigEndianUInt16(at: Field.identification),
            dontFragment: flagsAndOffset & 0x4000 != 0,
            moreFragments: flagsAndOffset & 0x2000 != 0,
            fragmentOffset: Int(flagsAndOffset & 0x1FFF) * 8,
            timeToLive: bytes[Field.timeToLive],
            protocolNumber: bytes[Field.protocolNumber],
            checksum: bytes.bigEndianUInt16(at: Field.checksum),
            source: IPAddress(ipv4: bytes.bigEndianUInt32(at: Field.source)),
            destination: IPAddress(ipv4: bytes.bigEndianUInt32(at: Field.destination)))
    }

    /// True when the header's one's-complement checksum (RFC 1071) sums to 0xFFFF.
    ///
    /// Returns false if `bytes` is shorter than the header length its IHL claims.
    public static func checksumIsValid(_ bytes: Span<UInt8>) -> Bool {
        guard bytes.count >= Field.minimumLength else { return false }
        let headerLength = Int(bytes[Field.versionAndLength] & 0x0F) * 4
        guard headerLength >= Field.minimumLength, bytes.count >= headerLength else { return false }
        var sum: UInt32 = 0
        var offset = 0
        while offset < headerLength {
            sum &+= UInt32(bytes.bigEndianUInt16(at: offset))
            offset += 2
        }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        return sum == 0xFFFF
    }
}
