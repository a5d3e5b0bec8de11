// `--follow`: one conversation, both directions in order, heads and de-chunked bodies, gaps marked.

import Foundation
import Testing

@Suite("Follow a TCP conversation")
struct FollowTests {
    static let causes = "Captures/nginx-502-causes.pcap"

    @Test func followsOneStreamByNumberAndNothingElse() throws {
        let result = try BinaryRunner.run(["-r", Self.causes, "--follow", "1"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "Follow TCP stream 1: client 127.0.0.1:41620, server 127.0.0.1:8080")
        // The request, then the 502 with its nginx page, in order, each after a turn line with frame and time.
        let request = try #require(lines.firstIndex(of: "GET /refused HTTP/1.1"))
        let response = try #require(lines.firstIndex(of: "HTTP/1.1 502 Bad Gateway"))
        #expect(request < response)
        #expect(lines[request - 1] == "──── 127.0.0.1:41620 → 127.0.0.1:8080  frame 16  2026-11-22 03:20:54.185306")
        #expect(lines[response - 1] == "──── 127.0.0.1:8080 → 127.0.0.1:41620  frame 20  2026-11-22 03:20:54.185449")
        #expect(lines.contains("<center><h1>502 Bad Gateway</h1></center>"))
        #expect(lines.contains("[body 157 bytes]"))
        #expect(lines.contains { $0.hasPrefix("──── end of stream 1: 85 bytes client → server, 314 bytes server → client, 1 request, 1 response") })
        // No other conversation leaks in.
        #expect(!result.standardOutput.contains("/up/reset"))
        #expect(!result.standardOutput.contains("41608"))
    }

    @Test func endpointsInEitherOrderPickTheSameConversation() throws {
        let byNumber = try BinaryRunner.run(["-r", Self.causes, "--follow", "1"])
        let forward = try BinaryRunner.run(["-r", Self.causes, "--follow", "127.0.0.1:41620,127.0.0.1:8080"])
        let backward = try BinaryRunner.run(["-r", Self.causes, "--follow", "127.0.0.1:8080, 127.0.0.1:41620"])
        #expect(forward.status == 0)
        #expect(forward.standardOutput == byNumber.standardOutput)
        #expect(backward.standardOutput == byNumber.standardOutput)
    }

    @Test func chunkedBodiesAreShownDeChunkedAndPipelinedMessagesInOrder() throws {
        var capture = PcapBuilder()
        capture.handshake()
        capture.send(.client, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n")
        capture.send(.server, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n")
        capture.send(.server, "7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n")
        capture.send(.server, "HTTP/1.1 204 No Content\r\n\r\n")
        capture.fin(.client)
        capture.fin(.server)
        let url = try capture.write(named: "follow-chunked.pcap")
        let result = try BinaryRunner.run(["-r", url.path, "--follow", "0"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        let body = try #require(lines.firstIndex(of: "hello, world"))
        #expect(lines[body + 1] == "[body 12 bytes, de-chunked]")
        #expect(!lines.contains("5;ext=1"))
        let first = try #require(lines.firstIndex(of: "GET /a HTTP/1.1"))
        let second = try #require(lines.firstIndex(of: "GET /b HTTP/1.1"))
        let noContent = try #require(lines.firstIndex(of: "HTTP/1.1 204 No Content"))
        #expect(first < second && second < body && body < noContent)
        #expect(lines.last?.hasSuffix("2 requests, 2 responses") == true)
    }

    @Test func binaryBodiesAreNetmonHexRowsCountingAcrossSegments() throws {
        var capture = PcapBuilder()
        capture.handshake()
        capture.send(.client, "GET /logo.png HTTP/1.1\r\nHost: x\r\n\r\n")
        let body = (0..<40).map { UInt8($0 * 5) }
        capture.send(.server, Array("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 40\r\n\r\n".utf8) + body.prefix(20))
        capture.send(.server, Array(body.suffix(20)))
        capture.fin(.server)
        let url = try capture.write(named: "follow-binary.pcap")
        let result = try BinaryRunner.run(["-r", url.path, "--follow", "0"])
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains("00000: 00 05 0A 0F 14 19 1E 23 28 2D 32 37 3C 41 46 4B .......#(-27<AFK"))
        #expect(lines.contains { $0.hasPrefix("00010: 50 55 5A 5F 64 69 6E 73 78 7D 82 87 8C 91 96 9B ") })
        #expect(lines.contains("00020: A0 A5 AA AF B4 B9 BE C3 .¥ª¯´¹¾Ã"))
        #expect(lines.contains("[body 40 bytes, binary, shown as hex]"))
    }

    @Test func gapsAreMarkedWithTheirSize() throws {
        var capture = PcapBuilder()
        capture.handshake()
        capture.send(.client, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        capture.send(.server, "HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\nfirst-ten\n")
        capture.lose(.server, "lost-ten-\n")
        capture.send(.server, "last-ten-\n")
        capture.fin(.client)
        capture.fin(.server)
        let url = try capture.write(named: "follow-gap.pcap")
        let result = try BinaryRunner.run(["-r", url.path, "--follow", "0"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        let gap = try #require(lines.firstIndex { $0.hasPrefix("[gap: 10 bytes of 10.0.0.2:80 → 10.0.0.1:40000 not captured") })
        let before = try #require(lines.firstIndex(of: "first-ten"))
        let after = try #require(lines.firstIndex(of: "last-ten-"))
        #expect(before < gap && gap < after)
        #expect(lines.contains("[message incomplete: 10 bytes not captured]"))
        #expect(!result.standardOutput.contains("lost-ten"))
    }

    @Test func wireBytesAreEscapedNotSentToTheTerminal() throws {
        var capture = PcapBuilder()
        capture.handshake()
        capture.send(.client, "GET /x HTTP/1.1\r\nHost: x\r\nX-Evil: \u{1B}]0;owned\u{07}\r\n\r\n")
        capture.send(.server, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nab\u{1B}[2J")
        capture.fin(.server)
        let url = try capture.write(named: "follow-escape.pcap")
        let result = try BinaryRunner.run(["-r", url.path, "--follow", "0"])
        #expect(!result.standardOutput.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(result.standardOutput.contains("X-Evil: \\x1B]0;owned\\x07"))
    }

    @Test func anotherProtocolIsShownRaw() throws {
        var capture = PcapBuilder()
        capture.server.port = 6379
        capture.handshake()
        capture.send(.client, "*1\r\n$4\r\nPING\r\n")
        capture.send(.server, "+PONG\r\n")
        capture.fin(.client)
        capture.fin(.server)
        let url = try capture.write(named: "follow-redis.pcap")
        let lines = try BinaryRunner.run(["-r", url.path, "--follow", "0"]).standardOutput.split(separator: "\n").map(String.init)
        let ping = try #require(lines.firstIndex(of: "PING"))
        let pong = try #require(lines.firstIndex(of: "+PONG"))
        #expect(ping < pong)
    }

    @Test func aStreamThatIsNotThereIsARuntimeErrorNamingTheRange() throws {
        let result = try BinaryRunner.run(["-r", Self.causes, "--follow", "999"])
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.hasPrefix("gatewatch: --follow 999: no such TCP conversation (the capture has "))
    }

    @Test(arguments: [["--follow", "abc"], ["--follow", "1", "--json"], ["--follow", "1", "-V", "--status", "502"]])
    func badFollowUseIsAUsageError(_ extra: [String]) throws {
        let result = try BinaryRunner.run(["-r", Self.causes] + extra)
        #expect(result.status == 2)
        #expect(result.standardError.contains("--follow"))
    }
}
