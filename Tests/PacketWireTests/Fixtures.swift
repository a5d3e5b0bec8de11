// Byte-literal frames shared by the decoder tests, and small helpers to assemble and decode them.

@testable import PacketWire

/// Reference frames. Each part is commented with what its bytes mean.
enum Fixtures {
    /// Ethernet II from the seed capture: 00-0F-1F-6C-1F-E1 → 00-11-BC-3E-62-3C, type IPv4.
    static let ethernetIPv4: [UInt8] = [
        0x00, 0x11, 0xbc, 0x3e, 0x62, 0x3c,   // destination
        0x00, 0x0f, 0x1f, 0x6c, 0x1f, 0xe1,   // source
        0x08, 0x00,                           // EtherType IPv4
    ]

    /// Ethernet II carrying IPv6: 02-00-00-00-00-01 → 02-00-00-00-00-02.
    static let ethernetIPv6: [UInt8] = [
        0x02, 0x00, 0x00, 0x00, 0x00, 0x02,   // destination
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01,   // source
        0x86, 0xdd,                           // EtherType IPv6
    ]

    /// IPv4 header of the seed frame: 216.162.16.92 → 10.200.4.21, total length 410, DF, TTL 128, TCP,
    /// checksum 0 (offloaded on the capturing host).
    static let seedIPv4: [UInt8] = [
        0x45, 0x00, 0x01, 0x9a,               // version 4, IHL 5, TOS 0, total length 410
        0xef, 0x40, 0x40, 0x00,               // id 0xef40, DF, offset 0
        0x80, 0x06, 0x00, 0x00,               // TTL 128, protocol TCP, checksum 0
        0xd8, 0xa2, 0x10, 0x5c,               // 216.162.16.92
        0x0a, 0xc8, 0x04, 0x15,               // 10.200.4.21
    ]

    /// TCP header of the seed frame: 80 → 21937, seq 0xaac68952, ack 0xe7d68501, ACK|PSH, window 2351.
    static let seedTCP: [UInt8] = [
        0x00, 0x50, 0x55, 0xb1,               // ports 80 → 21937
        0xaa, 0xc6, 0x89, 0x52,               // sequence number
        0xe7, 0xd6, 0x85, 0x01,               // acknowledgment number
        0x50, 0x18, 0x09, 0x2f,               // data offset 5, flags ACK|PSH, window 2351
        0xf9, 0x67, 0x00, 0x00,               // checksum 0xf967, urgent pointer 0
    ]

    /// IPv4 header 10.0.0.1 → 10.0.0.2, TCP, total length 60 (a 40-byte TCP header, no payload).
    static let synIPv4: [UInt8] = [
        0x45, 0x00, 0x00, 0x3c,               // version 4, IHL 5, total length 60
        0x1c, 0x46, 0x40, 0x00,               // id 0x1c46, DF
        0x40, 0x06, 0x00, 0x00,               // TTL 64, TCP, checksum not computed
        0x0a, 0x00, 0x00, 0x01,               // 10.0.0.1
        0x0a, 0x00, 0x00, 0x02,               // 10.0.0.2
    ]

    /// A Linux SYN: 40000 → 80, seq 1000, options MSS 1460, SACK-permitted, timestamps, NOP, WS 7.
    static let synTCP: [UInt8] = [
        0x9c, 0x40, 0x00, 0x50,               // ports 40000 → 80
        0x00, 0x00, 0x03, 0xe8,               // seq 1000
        0x00, 0x00, 0x00, 0x00,               // ack 0
        0xa0, 0x02, 0xfa, 0xf0,               // data offset 10 (40 bytes), SYN, window 64240
        0x12, 0x34, 0x00, 0x00,               // checksum 0x1234, urgent 0
        0x02, 0x04, 0x05, 0xb4,               // MSS 1460
        0x04, 0x02,                           // SACK permitted
        0x08, 0x0a, 0x00, 0x00, 0x10, 0x00,   // timestamps: TSval 4096
        0x00, 0x00, 0x00, 0x00,               //             TSecr 0
        0x01,                                 // NOP
        0x03, 0x03, 0x07,                     // window scale 7
    ]

    /// IPv6 header 2001:db8::1 → 2001:db8::2, traffic class 0x12, flow label 0x34567, TCP,
    /// payload length 20 (a bare TCP header), hop limit 64.
    static let plainIPv6: [UInt8] = [
        0x61, 0x23, 0x45, 0x67,               // version 6, traffic class 0x12, flow label 0x34567
        0x00, 0x14, 0x06, 0x40,               // payload length 20, next header TCP, hop limit 64
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,   // 2001:db8::1
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,   // 2001:db8::2
    ]

    /// A 20-byte TCP header 443 → 50000, seq 1, ack 2, ACK, no options.
    static let plainTCP: [UInt8] = [
        0x01, 0xbb, 0xc3, 0x50,               // ports 443 → 50000
        0x00, 0x00, 0x00, 0x01,               // seq 1
        0x00, 0x00, 0x00, 0x02,               // ack 2
        0x50, 0x10, 0x01, 0x00,               // data offset 5, ACK, window 256
        0x00, 0x00, 0x00, 0x00,               // checksum, urgent
    ]

    /// Ethernet + IPv4 + TCP SYN with options: 74 bytes, no payload.
    static var synFrame: [UInt8] { ethernetIPv4 + synIPv4 + synTCP }
}

/// The result of running a throwing decoder over `bytes`, so tests can compare errors as values.
func outcome<T>(_ bytes: [UInt8], _ decode: (Span<UInt8>) throws(WireError) -> T) -> Result<T, WireError> {
    do {
        return .success(try decode(bytes.span))
    } catch {
        return .failure(error)
    }
}

/// The error a decoder threw, or nil if it succeeded.
func thrownError<T>(_ bytes: [UInt8], _ decode: (Span<UInt8>) throws(WireError) -> T) -> WireError? {
    if case .failure(let error) = outcome(bytes, decode) { return error }
    return nil
}

/// Decodes a whole frame held in an array.
func decodeFrame(_ bytes: [UInt8], _ linkType: LinkType = .ethernet) -> DecodedFrame {
    FrameDecoder.decode(bytes.span, linkType: linkType)
}

/// Writes `value` big-endian at `offset`, for tests that patch a length field into a fixture.
func patch16(_ bytes: inout [UInt8], at offset: Int, _ value: UInt16) {
    bytes[offset] = UInt8(value >> 8)
    bytes[offset + 1] = UInt8(value & 0xFF)
}
