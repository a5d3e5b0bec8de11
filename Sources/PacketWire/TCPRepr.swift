// The decoded fields of a TCP header (RFC 9293 section 3.1).

/// A decoded TCP header. The payload is not held here; `DecodedFrame` gives its offset and length.
public struct TCPRepr: Sendable {
    /// The source port.
    public var sourcePort: UInt16
    /// The destination port.
    public var destinationPort: UInt16
    /// The sequence number of the first payload byte (or of the SYN/FIN).
    public var sequenceNumber: UInt32
    /// The acknowledgment number; meaningful when `flags` contains `.ack`.
    public var acknowledgmentNumber: UInt32
    /// Header length in bytes (data offset × 4, 20 to 60), options included.
    public var headerLength: Int
    /// The eight flag bits.
    public var flags: TCPFlags
    /// The window field, not scaled.
    public var window: UInt16
    /// The checksum as on the wire (not verified; offloaded checksums are often wrong in captures).
    public var checksum: UInt16
    /// The urgent pointer.
    public var urgentPointer: UInt16
    /// The parsed options.
    public var options: TCPOptions

    /// A header with every field given; `TCPHeader.decode` is the usual way to get one.
    public init(sourcePort: UInt16, destinationPort: UInt16, sequenceNumber: UInt32,
                acknowledgmentNumber: UInt32 = 0, headerLength: Int = 20, flags: TCPFlags,
                window: UInt16 = 65535, checksum: UInt16 = 0, urgentPointer: UInt16 = 0,
                options: TCPOptions = TCPOptions()) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.sequenceNumber = sequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber
        self.headerLength = headerLength
        self.flags = flags
        self.window = window
        self.checksum = checksum
        self.urgentPointer = urgentPointer
        self.options = options
    }
}
