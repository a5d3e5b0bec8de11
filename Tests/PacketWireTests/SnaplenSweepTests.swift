// Every prefix of whole frames, as a snaplen would cut them: a capture-limited truncation inside
// the headers, and a shortened payload with the wire length intact after them.

import Testing
@testable import PacketWire

@Suite struct SnaplenSweepTests {
    /// Whole frames with 10 payload bytes, and where their payload starts.
    static let frames: [(name: String, linkType: LinkType, frame: [UInt8], payloadOffset: Int)] = {
        let data: [UInt8] = Array("0123456789".utf8)
        var ipv4 = Fixtures.synIPv4
        patch16(&ipv4, at: 2, 60 + 10)
        var ipv6 = IPv6HeaderTests.fixedHeader(next: 0, payloadLength: 8 + 20 + 10)
        ipv6 += [0x06, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00]   // hop-by-hop, next TCP
        return [
            ("ethernet", .ethernet, Fixtures.ethernetIPv4 + ipv4 + Fixtures.synTCP + data, 74),
            ("qinq+mpls", .ethernet, Array(Fixtures.ethernetIPv4.prefix(12)) + [0x88, 0xa8, 0, 1, 0x81, 0, 0, 2]
                + Array(MPLSLabelsTests.header.suffix(10)) + ipv4 + Fixtures.synTCP + data, 90),
            ("sll", .linuxSLL, LinuxSLLHeaderTests.header + ipv4 + Fixtures.synTCP + data, 76),
            ("sll2", .linuxSLL2, LinuxSLL2HeaderTests.header + ipv6 + Fixtures.plainTCP + data, 88),
            ("null", .null, [0x1e, 0, 0, 0] + ipv6 + Fixtures.plainTCP + data, 72),
            ("raw", .rawIP, ipv4 + Fixtures.synTCP + data, 60),
        ]
    }()

    @Test(arguments: frames.indices)
    func everyPrefix(index: Int) {
        let (name, linkType, frame, payloadOffset) = Self.frames[index]
        var problems: [String] = []
        for length in 0...frame.count {
            let decoded = decodeFrame(Array(frame.prefix(length)), linkType)
            if length < payloadOffset {
                // Available counts from the start of the failing layer, so it is at most the cut.
                guard case .truncated(_, let needed, let available, .capture)? = decoded.error,
                      available < needed, available <= length else {
                    problems.append("\(name) \(length): \(String(describing: decoded.error))")
                    continue
                }
                if decoded.tcp != nil { problems.append("\(name) \(length): tcp decoded from a cut header") }
            } else if decoded.error != nil || decoded.payloadOffset != payloadOffset
                        || decoded.payloadLength != length - payloadOffset || decoded.payloadWireLength != 10 {
                problems.append("\(name) \(length): \(decoded.payloadOffset) \(decoded.payloadLength) \(decoded.payloadWireLength)")
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }
}
