// IPv6 header decoding (RFC 8200 section 3) and a bounded walk over its extension headers (section 4).

/// Decodes an IPv6 header and walks its extension headers up to the upper-layer protocol.
public enum IPv6Header {
    enum Field {
        static let versionClassLabel = 0
        static let payloadLength = 4
        static let nextHeader = 6
        static let hopLimit = 7
        static let source = 8
        static let destination = 24
        static let minimumLength = 40
    }

    /// The fixed header length.
    public static let minimumLength = Field.minimumLength

    /// More extension headers than this is treated as hostile; real stacks send one or two.
    public static let maximumExtensionHeaders = 8

    enum NextHeader {
        static let hopByHop: UInt8 = 0
        static let routing: UInt8 = 43
        static let fragment: UInt8 = 44
        static let authentication: UInt8 = 51
        static let destinationOptions: UInt8 = 60
    }

    /// Decodes the header at the start of `bytes`.
    ///
    /// Walks hop-by-hop, routing, fragment, destination-options and AH headers (at most 8). The walk
    /// stops after a Fragment header that marks a real fragment, because the headers after it
    /// belong to the fragmentable part that only reassembly can see whole.
    ///
    /// Throws `.truncated(.ipv6, …)` when the capture ends inside the fixed header,
    /// `.malformed(.ipv6, field: "version")` unless the version is 6,
    /// `.truncated(.ipv6Extension, …, limitedBy: .capture / .ipTotalLength)` when an extension
    /// header runs past the capture or the payload length, and
    /// `.malformed(.ipv6Extension, field: "header count")` for more than 8 extension headers.
    public static func decode(_ bytes: Span<UInt8>) throws(WireError) -> IPv6Repr {
        try bytes.require(Field.minimumLength, for: .ipv6)
        let word = bytes.bigEndianUInt32(at: Field.versionClassLabel)
        guard word >> 28 == 6 else { throw .malformed(.ipv6, field: "version") }
        let payloadLength = Int(bytes.bigEndianUInt16(at: Field.payloadLength))
        let nextHeader = bytes[Field.nextHeader]
        var repr = IPv6Repr(
            trafficClass: UInt8(truncatingIfNeeded: word >> 20),
            flowLabel: word & 0xF_FFFF,
            payloadLength: payloadLength,
            nextHeader: nextHeader,
            upperLayerProtocol: nextHeader,
            hopLimit: bytes[Field.hopLimit],
            source: IPAddress(ipv6High: bigEndianUInt64(bytes, at: Field.source),
                              low: bigEndianUInt64(bytes, at: Field.source + 8)),
            destination: IPAddress(ipv6High: bigEndianUInt64(bytes, at: Field.destination),
                                   low: bigEndianUInt64(bytes, at: Field.destination + 8)),
            headerLength: Field.minimumLength)
        // A zero payload length (jumbogram or TSO) gives no bound, so only the capture limits the walk.
        let wireEnd = payloadLength == 0 ? Int.max : Field.minimumLength + payloadLength
        var next = nextHeader
        var offset = Field.minimumLength
        var walked = 0
        while isExtensionHeader(next) {
            guard walked < maximumExtensionHeaders else {
                throw .malformed(.ipv6Extension, field: "header count")
            }
            walked += 1
            // Every extension header is at least 8 bytes, and its length byte is within those.
            try require(offset + 8, in: bytes, wireEnd: wireEnd)
            let length: Int
            switch next {
            case NextHeader.fragment: length = 8
            // RFC 4302 2.2: AH counts 4-byte units minus 2.
            case NextHeader.authentication: length = (Int(bytes[offset + 1]) + 2) * 4
            default: length = (Int(bytes[offset + 1]) + 1) * 8
            }
            try require(offset + length, in: bytes, wireEnd: wireEnd)
            let following = bytes[offset]
            if next == NextHeader.fragment {
                let field = bytes.bigEndianUInt16(at: offset + 2)
                let fragment = IPv6Fragment(offset: Int(field & 0xFFF8), moreFragments: field & 1 != 0,
                                            identification: bytes.bigEndianUInt32(at: offset + 4))
                repr.fragment = fragment
                offset += length
                next = following
                if fragment.isFragment { break }
                continue
            }
            offset += length
            next = following
        }
        repr.upperLayerProtocol = next
        repr.headerLength = offset
        return repr
    }

    /// Whether `next` names an extension header this decoder walks over.
    @inline(__always)
    static func isExtensionHeader(_ next: UInt8) -> Bool {
        next == NextHeader.hopByHop || next == NextHeader.routing || next == NextHeader.fragment
            || next == NextHeader.destinationOptions || next == NextHeader.authentication
    }

    /// Throws unless `needed` bytes are both captured and within the payload length, naming
    /// whichever limit is tighter.
    @inline(__always)
    static func require(_ needed: Int, in bytes: Span<UInt8>, wireEnd: Int) throws(WireError) {
        let limit = min(bytes.count, wireEnd)
        guard needed > limit else { return }
        let source: LengthSource = wireEnd <= bytes.count ? .ipTotalLength : .capture
        throw .truncated(.ipv6Extension, needed: needed, available: limit, limitedBy: source)
    }

    @inline(__always)
    static func bigEndianUInt64(_ bytes: Span<UInt8>, at offset: Int) -> UInt64 {
        UInt64(bytes.bigEndianUInt32(at: offset)) << 32 | UInt64(bytes.bigEndianUInt32(at: offset + 4))
    }
}
