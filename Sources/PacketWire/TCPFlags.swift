// The eight TCP flag bits (RFC 9293 3.1, RFC 3168 for CWR/ECE).

/// TCP flags as the byte at offset 13 of the TCP header.
public struct TCPFlags: OptionSet, Hashable, Sendable {
    /// The flag byte as on the wire.
    public let rawValue: UInt8
    /// Flags from the byte at offset 13.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// FIN: no more data from the sender.
    public static let fin = TCPFlags(rawValue: 0x01)
    /// SYN: synchronize sequence numbers.
    public static let syn = TCPFlags(rawValue: 0x02)
    /// RST: reset the connection.
    public static let rst = TCPFlags(rawValue: 0x04)
    /// PSH: push buffered data to the application.
    public static let psh = TCPFlags(rawValue: 0x08)
    /// ACK: the acknowledgment number is valid.
    public static let ack = TCPFlags(rawValue: 0x10)
    /// URG: the urgent pointer is valid.
    public static let urg = TCPFlags(rawValue: 0x20)
    /// ECE: ECN echo (RFC 3168).
    public static let ece = TCPFlags(rawValue: 0x40)
    /// CWR: congestion window reduced (RFC 3168).
    public static let cwr = TCPFlags(rawValue: 0x80)

    /// Netmon's eight-character form, bits in the order C E U A P R S F, `.` for a clear bit
    /// (`...AP...`, `...A..S.`).
    public var netmonDescription: String {
        let letters: [(TCPFlags, Character)] = [(.cwr, "C"), (.ece, "E"), (.urg, "U"), (.ack, "A"),
                                                (.psh, "P"), (.rst, "R"), (.syn, "S"), (.fin, "F")]
        return String(letters.map { contains($0.0) ? $0.1 : "." })
    }
}
