// IP fragments: a TCP segment split across IPv4 fragments is reassembled before the TCP layer.

import Foundation
import Testing

@Suite("IP fragments")
struct FragmentTests {
    @Test func fragmentedRequestAndResponseAreDecoded() throws {
        var capture = PcapBuilder()
        capture.handshake()
        capture.sendFragmented(.client, "GET /fragmented/path HTTP/1.1\r\nHost: frag.example\r\n\r\n", fragmentSize: 24, reversed: true)
        capture.sendFragmented(.server, "HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n", fragmentSize: 32)
        let url = try capture.write(named: "fragments.pcap")
        let result = try BinaryRunner.run(["-r", url.path, "--json"])
        #expect(result.status == 0)
        let objects = try result.standardOutput.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.count == 2)
        #expect(objects.first?["uri"] as? String == "/fragmented/path")
        #expect(objects.last?["status"] as? Int == 502)
        #expect((objects.last?["request"] as? [String: Any])?["uri"] as? String == "/fragmented/path")
    }

    @Test func aLostFragmentLosesOnlyItsSegment() throws {
        var capture = PcapBuilder()
        capture.handshake()
        capture.sendFragmented(.client, "GET /lost HTTP/1.1\r\nHost: a\r\n\r\n", fragmentSize: 16, order: [0, 2])
        capture.send(.server, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        let url = try capture.write(named: "fragment-lost.pcap")
        let result = try BinaryRunner.run(["-r", url.path, "--json"])
        #expect(result.status == 0)
        #expect(!result.standardOutput.contains("/lost"))
        #expect(result.standardOutput.contains("\"status\":200"))
    }
}
