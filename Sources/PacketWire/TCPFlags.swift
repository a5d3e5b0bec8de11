// The eight TCP flag bits (RFC 9293 3.1, RFC 3168 for CWR/ECE).

/// TCP flags as the byte at offset 13 of the TCP header.
public struct TCPFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
    public static let urg = TCPFlags(rawValue: 0x20)
    public static let ece = TCPFlags(rawValue: 0x40)
    public static let cwr = TCPFlags(rawValue: 0x80)

    /// Netmon's eight-character form, bits in the order C E U A P R S F, `.` for a clear bit
    /// (`...AP...`, `...A..S.`).
    public var netmonDescription: String {
        let letters: [(TCPFlags, Character)] = [(.cwr, "C"), (.ece, "E"), (.urg, "U"), (.ack, "A"),
                                                (.psh, "P"), (.rst, "R"), (.syn, "S"), (.fin, "F")]
        return String(letters.map { contains($0.0) ? $0.1 : "." })
    }
}
