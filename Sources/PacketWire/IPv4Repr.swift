// The decoded fields of an IPv4 header (RFC 791 section 3.1).

/// A decoded IPv4 header. Lengths are in bytes; the fragment offset is already multiplied by 8.
public struct IPv4Repr: Sendable {
    /// Header length in bytes (IHL × 4, 20 to 60), options included.
    public var headerLength: Int
    /// The type-of-service byte (DSCP in the top six bits, ECN in the low two).
    public var typeOfService: UInt8
    /// The total length field: header plus payload. 0 on TSO/LSO frames captured on the sender.
    public var totalLength: Int
    /// The identification field, shared by all fragments of one datagram.
    public var identification: UInt16
    /// The DF flag.
    public var dontFragment: Bool
    /// The MF flag: more fragments follow this one.
    public var moreFragments: Bool
    /// The fragment offset in bytes (the field × 8).
    public var fragmentOffset: Int
    /// The time-to-live field.
    public var timeToLive: UInt8
    /// The protocol field (6 is TCP).
    public var protocolNumber: UInt8
    /// The header checksum as on the wire (not verified; offloaded checksums are often wrong in captures).
    public var checksum: UInt16
    /// The source address.
    public var source: IPAddress
    /// The destination address.
    public var destination: IPAddress

    /// A header with every field given; `IPv4Header.decode` is the usual way to get one.
    public init(headerLength: Int = 20, typeOfService: UInt8 = 0, totalLength: Int, identification: UInt16 = 0,
                dontFragment: Bool = false, moreFragments: Bool = false, fragmentOffset: Int = 0,
                timeToLive: UInt8 = 64, protocolNumber: UInt8 = 6, checksum: UInt16 = 0,
                source: IPAddress, destination: IPAddress) {
        self.headerLength = headerLength
        self.typeOfService = typeOfService
        self.totalLength = totalLength
        self.identification = identification
        self.dontFragment = dontFragment
        self.moreFragments = moreFragments
        self.fragmentOffset = fragmentOffset
        self.timeToLive = timeToLive
        self.protocolNumber = protocolNumber
        self.checksum = checksum
        self.source = source
        self.destination = destination
    }

    /// True for any fragment of a fragmented datagram (MF set or a non-zero offset).
    public var isFragment: Bool { moreFragments || fragmentOffset != 0 }
}
