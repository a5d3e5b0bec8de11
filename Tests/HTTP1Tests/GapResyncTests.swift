// Gaps, resynchronisation, mid-stream pickup, non-HTTP detection and close handling.

import HTTP1
import Testing

@Suite("Gaps and resync")
struct GapResyncTests {
    private func run(_ steps: [Step], limits: HTTPLimits = .default) -> (compact: [String], parser: HTTPConnectionParser) {
        let result = Script(steps: steps, limits: limits).run()
        return (result.log.compact, result.parser)
    }

    @Test func gapInsideAContentLengthBodyIsSkipped() {
        let result = run([
            .data(1, Script.bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab")),
            .gap(1, 5),
            .data(1, Script.bytes("cdeHTTP/1.1 204 No Content\r\n\r\n")),
        ])
        #expect(result.compact == ["head res 200 cl(10)", "body abcde", "end incomplete(5) 5", "head res 204 none", "end complete 0"])
        #expect(result.parser.counters.gapBytesSkipped == 5)
        #expect(result.parser.counters.gaps == 1)
        #expect(result.parser.counters.resyncs == 0)
    }

    @Test func gapPastTheBodyEndsItThenResyncsAtTheNextSegment() {
        let result = run([
            .data(1, Script.bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab")),
            .gap(1, 30),
            .data(1, Script.bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")),
        ])
        #expect(result.compact == ["head res 200 cl(10)", "body ab", "end incomplete(8) 2", "head res 200 cl(0)", "end complete 0"])
        #expect(result.parser.counters.resyncs == 1)
    }

    @Test func gapInAHeadAbandonsItAndResyncsAtALineStart() {
        let result = run([
            .data(0, Script.bytes("GET /a HTTP/1.1\r\nHo")),
            .gap(0, 3),
            .data(0, Script.bytes("t: x\r\n\r\nGET /b HTTP/1.1\r\n\r\n")),
        ])
        #expect(result.compact == ["head req GET /b none", "end complete 0"])
        #expect(result.parser.counters.abandoned == 1)
        #expect(result.parser.counters.resyncs == 1)
    }

    @Test func gapInAChunkHeaderEndsTheMessageIncomplete() {
        let result = run([
            .data(1, Script.bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n1")),
            .gap(1, 4),
            .data(1, Script.bytes("x\r\n0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")),
        ])
        #expect(result.compact == ["head res 200 chunked", "body abc", "end incomplete(4) 3", "head res 204 none", "end complete 0"])
        #expect(result.parser.counters.abandoned == 1)
    }

    @Test func gapInsideChunkDataIsSkipped() {
        let result = run([
            .data(1, Script.bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA\r\nab")),
            .gap(1, 6),
            .data(1, Script.bytes("ij\r\n0\r\n\r\n")),
        ])
        #expect(result.compact == ["head res 200 chunked", "body abij", "end incomplete(6) 4"])
    }

    @Test func gapInACloseDelimitedBodyIsCountedAtClose() {
        let result = run([
            .data(1, Script.bytes("HTTP/1.0 200 OK\r\n\r\nabc")),
            .gap(1, 100),
            .data(1, Script.bytes("xyz")),
            .close(1),
        ])
        #expect(result.compact == ["head res 200 close", "body abcxyz", "end incomplete(100) 6"])
    }

    @Test func malformedHeadResyncsAtItsEnd() {
        let result = run([.data(1, Script.bytes("HTTP/1.1 200 OK\r\n folded first line\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"))])
        #expect(result.compact == ["malformed invalid header line @17", "head res 204 none", "end complete 0"])
        #expect(result.parser.counters.malformedHead == 1)
        #expect(result.parser.counters.malformed == 1)
    }

    @Test func midStreamPickupFindsTheNextMessageAtALineStart() {
        let result = run([.data(1, Script.bytes("lo world</html>\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"))])
        #expect(result.compact == ["head res 200 cl(2)", "body hi", "end complete 2"])
        #expect(!result.parser.isNotHTTP)
    }

    @Test func methodsQuotedInABodyAreNotMessages() {
        let result = run([.data(1, Script.bytes("how to:\nGET /index.html is what the browser sends\nPOST /form too\n"))])
        #expect(result.compact.isEmpty)
        #expect(result.parser.counters.resyncs == 0)
    }

    @Test func midStreamBinaryBodyThenAMessageAtASegmentStart() {
        let result = run([
            .data(1, [0x1F, 0x8B, 0x08, 0x00, 0x0A, 0x41, 0x42, 0x0A]),
            .data(1, Script.bytes("HTTP/1.1 304 Not Modified\r\n\r\n")),
        ])
        #expect(result.compact == ["head res 304 none", "end complete 0"])
        #expect(result.parser.counters.resyncs == 1)
    }

    @Test func midStreamResponseHasNoRequest() throws {
        let log = Script(steps: [.data(1, Script.bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))]).run().log
        let head = try #require(log.heads.first)
        #expect(head.info.request == nil)
    }

    @Test func tlsIsNotHTTP() {
        let clientHello: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0x2F, 0x01, 0x00, 0x00, 0x2B, 0x03, 0x03] + Array(repeating: 0x41, count: 40)
        let serverHello: [UInt8] = [0x16, 0x03, 0x03, 0x00, 0x31, 0x02, 0x00, 0x00, 0x2D, 0x03, 0x03] + Array(repeating: 0x0A, count: 40)
        let result = run([.data(0, clientHello), .data(1, serverHello), .data(0, Array(repeating: 0x17, count: 64)), .finish])
        #expect(result.compact.isEmpty)
        #expect(result.parser.isNotHTTP)
        #expect(result.parser.counters.notHTTPDirections == 2)
        #expect(result.parser.counters.requests == 0)
    }

    @Test func smtpIsNotHTTP() {
        let result = run([
            .data(1, Script.bytes("220 mx.example.com ESMTP Postfix\r\n")),
            .data(0, Script.bytes("EHLO client.example.com\r\n")),
            .data(1, Script.bytes("250-mx.example.com\r\n250-PIPELINING\r\n250 8BITMIME\r\n")),
            .close(0), .close(1),
        ])
        #expect(result.compact.isEmpty)
        #expect(result.parser.isNotHTTP)
        #expect(result.parser.counters.malformed == 0)
    }

    @Test func unansweredRequestsAreReportedWhenTheServerCloses() {
        let result = run([
            .data(0, Script.bytes("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n")),
            .data(1, Script.bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")),
            .close(0),
            .close(1),
        ])
        #expect(result.compact == ["head req GET /a none", "end complete 0", "head req GET /b none", "end complete 0",
                                   "head res 200 cl(0)", "end complete 0", "unanswered GET /b cut"])
        #expect(result.parser.counters.unansweredRequests == 1)
    }

    @Test func clientCloseAloneLeavesRequestsPending() {
        let result = run([.data(0, Script.bytes("GET /a HTTP/1.1\r\n\r\n")), .close(0)])
        #expect(result.compact == ["head req GET /a none", "end complete 0"])
        #expect(result.parser.counters.unansweredRequests == 0)
    }

    @Test func pendingRequestQueueIsBounded() {
        var limits = HTTPLimits.default
        limits.maxPendingRequests = 2
        let result = run([
            .data(0, Script.bytes("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n")),
            .data(1, Script.bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")),
        ], limits: limits)
        #expect(result.parser.counters.pairingOverflow == 1)
        #expect(result.parser.counters.requests == 3)
    }

    @Test func tunnelStopsParsingBothDirections() {
        let peer = RequestCases.all.first { $0.name.hasPrefix("CONNECT 200") }
        let result = peer.map { $0.script.run() }
        #expect(result?.parser.isTunnel == true)
        #expect(result?.parser.counters.tunnels == 1)
        #expect(result?.parser.counters.skippedBytes ?? 0 > 0)
    }

    @Test func countersTrackAnomalies() {
        let result = run([.data(0, Script.bytes(
            "POST /s HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET / HTTP/1.1\nHost: x\n\n"))])
        #expect(result.parser.counters.contentLengthWithTransferEncoding == 1)
        #expect(result.parser.counters.smugglingSignals == 1)
        #expect(result.parser.counters.bareLF == 1)
        #expect(result.parser.counters.requests == 2)
    }

    @Test func dataAfterFinishIsIgnored() {
        let result = run([.finish, .data(0, Script.bytes("GET / HTTP/1.1\r\n\r\n"))])
        #expect(result.compact.isEmpty)
    }
}
