// TCP header decoding (RFC 9293 section 3.1) and option parsing (section 3.2).

/// Decodes a TCP header and its options from the start of `bytes`.
public enum TCPHeader {
    enum Field {
        static let sourcePort = 0
        static let destinationPort = 2
        static let sequenceNumber = 4
        static let acknowledgmentNumber = 8
        static let dataOffset = 12
        static let flags = 13
        static let window = 14
        static let checksum = 16
        static let urgentPointer = 18
        static let minimumLength = 20
    }

    enum OptionKind {
        static let end: UInt8 = 0
        static let noOperation: UInt8 = 1
        static let maximumSegmentSize: UInt8 = 2
        static let windowScale: UInt8 = 3
        static let sackPermitted: UInt8 = 4
        static let sack: UInt8 = 5
        static let timestamps: UInt8 = 8
    }

    /// The shortest TCP header (no options).
    public static let minimumLength = Field.minimumLength

    /// Decodes the header at the start of `bytes`.
    ///
    /// Throws `.truncated(.tcp, …, limitedBy: .capture)` when `bytes` ends inside the header and
    /// `.malformed(.tcp, field: "dataOffset")` when the data offset is below 5. A bad option
    /// length ends option parsing but does not fail the header.
    @inline(__always)
    public static func decode(_ bytes: Span<UInt8>) throws(WireError) -> TCPRepr {
        try decode(bytes, optionsOnSYNOnly: false)
    }

    /// The same; with `optionsOnSYNOnly`, options are parsed only on SYN segments, the only ones
    /// whose options (MSS, window scale, SACK permitted) say something about the connection. The
    /// packet loop asks for that: parsing every segment's timestamps was 3% of a run (callgrind).
    @inline(__always)
    public static func decode(_ bytes: Span<UInt8>, optionsOnSYNOnly: Bool) throws(WireError) -> TCPRepr {
        try bytes.require(Field.minimumLength, for: .tcp)
        let headerLength = Int(bytes[Field.dataOffset] >> 4) * 4
        guard headerLength >= Field.minimumLength else { throw .malformed(.tcp, field: "dataOffset") }
        try bytes.require(headerLength, for: .tcp)
        return TCPRepr(
            sourcePort: bytes.bigEndianUInt16(at: Field.sourcePort),
            destinationPort: bytes.bigEndianUInt16(at: Field.destinationPort),
            sequenceNumber: bytes.bigEndianUInt32(at: Field.sequenceNumber),
            acknowledgmentNumber: bytes.bigEndianUInt32(at: Field.acknowledgmentNumber),
            headerLength: headerLength,
            flags: TCPFlags(rawValue: bytes[Field.flags]),
            window: bytes.bigEndianUInt16(at: Field.window),
            checksum: bytes.bigEndianUInt16(at: Field.checksum),
            urgentPointer: bytes.bigEndianUInt16(at: Field.urgentPointer),
            options: optionsOnSYNOnly && !TCPFlags(rawValue: bytes[Field.flags]).contains(.syn)
                ? TCPOptions() : parseOptions(bytes, end: headerLength))
    }

    /// Parses the options between byte 20 and `end` (the header length, already checked).
    ///
    /// Every step advances by at least one byte and `end` is at most 60, so the loop is bounded.
    static func parseOptions(_ bytes: Span<UInt8>, end: Int) -> TCPOptions {
        var options = TCPOptions()
        var offset = Field.minimumLength
        while offset < end {
            let kind = bytes[offset]
            if kind == OptionKind.end { break }
            if kind == OptionKind.noOperation { offset += 1; continue }
            guard offset + 1 < end else { break }
            let length = Int(bytes[offset + 1])
            // A length below 2 would never advance, and one past the header would read outside it.
            guard length >= 2, offset + length <= end else { break }
            switch (kind, length) {
            case (OptionKind.maximumSegmentSize, 4):
                options.maximumSegmentSize = bytes.bigEndianUInt16(at: offset + 2)
            case (OptionKind.windowScale, 3):
                options.windowScale = bytes[offset + 2]
            case (OptionKind.sackPermitted, 2):
                options.sackPermitted = true
            case (OptionKind.sack, _) where (length - 2) % 8 == 0:
                options.sackBlockCount = (length - 2) / 8
            case (OptionKind.timestamps, 10):
                options.timestampValue = bytes.bigEndianUInt32(at: offset + 2)
                options.timestampEcho = bytes.bigEndianUInt32(at: offset + 6)
            default:
                // Unknown kinds, and known kinds with a length they cannot have, are skipped whole.
                break
            }
            offset += length
        }
        return options
    }
}
