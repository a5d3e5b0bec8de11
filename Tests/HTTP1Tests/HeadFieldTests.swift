// Field-level checks on parsed heads: ranges, flags, strings, positions.

import HTTP1
import Testing

@Suite("Head fields")
struct HeadFieldTests {
    /// Runs a script and returns the recorded heads.
    private func heads(_ steps: [Step]) -> [(head: HTTPHead, bytes: [UInt8], info: HTTPMessageInfo)] {
        Script(steps: steps).run().log.heads
    }

    private func text(_ head: HTTPHead, _ range: Range<Int>?, _ bytes: [UInt8]) -> String? {
        range.map { head.string($0, in: bytes.span) }
    }

    @Test func proxyConnectionCloseAndContentLength() throws {
        let peer = try #require(ResponseCases.all.first { $0.name.hasPrefix("Proxy-Connection") })
        let result = try #require(peer.script.run().log.heads.first)
        #expect(result.head.connectionClose)
        #expect(!result.head.keepAlive)
        #expect(result.head.contentLength == 11)
        #expect(result.head.headers.count == 4)
        #expect(result.head.status == 200)
        #expect(text(result.head, result.head.reason, result.bytes) == "OK")
        let length = result.head.header(named: "content-length", in: result.bytes.span)
        #expect(text(result.head, length, result.bytes) == "11")
        let date = result.head.header(named: "date", in: result.bytes.span)
        #expect(text(result.head, date, result.bytes) == "Thu, 31 Dec 2009 20:55:48 +0000")
        let missing = result.head.header(named: "content-length-x", in: result.bytes.span)
        #expect(missing == nil)
        #expect(result.head.headLength == result.bytes.count)
    }

    @Test func http10KeepAliveAndEmptyValue() throws {
        let peer = try #require(ResponseCases.all.first { $0.name.hasPrefix("HTTP/1.0 301") })
        let result = try #require(peer.script.run().log.heads.first)
        #expect(result.head.version == .http10)
        #expect(result.head.keepAlive)
        let pragma = result.head.header(named: "pragma", in: result.bytes.span)
        #expect(pragma?.isEmpty == true)
        let location = result.head.header(named: "location", in: result.bytes.span)
        #expect(text(result.head, location, result.bytes) == "http://www.bonjourmadame.fr/")
    }

    /// A response names its request by method, target and host, copied out of the request's bytes
    /// into storage the connection reuses: a long target after a short one, a short one after it,
    /// bytes from 0x80 up read as ISO-8859-1, a request without Host, and the target's cap.
    @Test func responsesNameTheirRequestsThroughReusedStorage() throws {
        let long = "/" + String(repeating: "l", count: 300)
        let capped = "/" + String(repeating: "c", count: HTTPLimits.default.maxSummaryBytes + 50)
        var requests: [UInt8] = []
        requests += Array("GET /a HTTP/1.1\r\nHost: one\r\n\r\n".utf8)
        requests += Array("POST \(long) HTTP/1.1\r\nHost: two\r\nContent-Length: 0\r\n\r\n".utf8)
        requests += [UInt8]("GET /caf".utf8) + [0xE9] + [UInt8](" HTTP/1.1\r\nHost: h".utf8) + [0xF6]
            + [UInt8]("st\r\n\r\n".utf8)
        requests += Array("HEAD /b HTTP/1.0\r\n\r\n".utf8)
        requests += Array("GET \(capped) HTTP/1.1\r\nHost: five\r\n\r\n".utf8)
        let response = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        let script = Script(steps: [.data(0, requests), .data(1, Array(String(repeating: response, count: 5).utf8))])
        let named = script.run().log.heads.compactMap(\.info.request).map { "\($0.index) \($0.method) \($0.target) \($0.host ?? "-")" }
        #expect(named == ["0 GET /a one", "1 POST \(long) two", "2 GET /caf\u{E9} h\u{F6}st", "3 HEAD /b -",
                          "4 GET \(capped.prefix(HTTPLimits.default.maxSummaryBytes)) five"])
    }

    @Test func controlBytesAreKeptAndFlagged() throws {
        let values = try #require(ResponseCases.all.first { $0.name == "control byte in a header value" })
        let value = try #require(values.script.run().log.heads.first)
        #expect(value.head.anomalies.contains(.controlCharacters))
        #expect(text(value.head, value.head.header(named: "x-bad", in: value.bytes.span), value.bytes) == "a\u{01}b")

        let request = Script(steps: [.data(0, Array("GET /a\u{1B}[2Jb HTTP/1.1\r\nHost: x\r\n\r\n".utf8))])
        let target = try #require(request.run().log.heads.first)
        #expect(target.head.anomalies.contains(.controlCharacters))
        #expect(text(target.head, target.head.target, target.bytes) == "/a\u{1B}[2Jb")

        let response = Script(steps: [.data(1, Array("HTTP/1.1 502 Bad\u{07} Gateway\r\nContent-Length: 0\r\n\r\n".utf8))])
        let reason = try #require(response.run().log.heads.first)
        #expect(reason.head.status == 502)
        #expect(reason.head.anomalies.contains(.controlCharacters))
    }

    @Test func http10WithoutKeepAliveCloses() throws {
        let result = try #require(heads([.data(0, Script.bytes("GET / HTTP/1.0\r\n\r\n"))]).first)
        #expect(!result.head.keepAlive)
        #expect(result.head.version == .http10)
    }

    @Test func obsFoldValueSpansTheContinuation() throws {
        let result = try #require(heads([.data(0, Script.bytes("GET / HTTP/1.1\r\nX-Folded: a\r\n  b  \r\nHost: h\r\n\r\n"))]).first)
        #expect(result.head.anomalies.contains(.obsFold))
        #expect(result.head.headers.count == 2)
        #expect(text(result.head, result.head.headers.first?.value, result.bytes) == "a\r\n  b")
        #expect(text(result.head, result.head.headers.last?.value, result.bytes) == "h")
    }

    @Test func valuesAreTrimmedOfOptionalWhitespace() throws {
        let result = try #require(heads([.data(0, Script.bytes("GET / HTTP/1.1\r\nA:  \t x y \t \r\nB:\r\n\r\n"))]).first)
        #expect(text(result.head, result.head.headers[0].value, result.bytes) == "x y")
        #expect(result.head.headers[1].value.isEmpty)
        #expect(text(result.head, result.head.headers[1].name, result.bytes) == "B")
    }

    @Test func reasonKeepsEveryByteAsOneCharacter() throws {
        let bytes = Array("HTTP/1.1 500 Ori".utf8) + [0xC3, 0xAB] + Array("ntatieprobleem\r\nContent-Length: 0\r\n\r\n".utf8)
        let result = try #require(heads([.data(1, bytes)]).first)
        let reason = try #require(text(result.head, result.head.reason, result.bytes))
        #expect(reason == "Ori\u{C3}\u{AB}ntatieprobleem")
        #expect(reason.count == 19)
    }

    @Test func stringReadsEveryByteAsISO88591() {
        // ASCII pieces take a copy-in-one-piece path, pieces with a byte from 0x80 up the byte
        // by byte one: both must read each byte as the character with its number.
        let head = HTTPHead(kind: .request)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<2_000 {
            let count = Int.random(in: 0...40, using: &generator)
            let bytes: [UInt8] = (0..<count).map { _ in
                round % 2 == 0 ? UInt8.random(in: 0x20...0x7E, using: &generator) : UInt8.random(in: 0...255, using: &generator)
            }
            let lower = Int.random(in: 0...count, using: &generator)
            let upper = Int.random(in: lower...count, using: &generator)
            let expected = String(String.UnicodeScalarView(bytes[lower..<upper].map { Unicode.Scalar($0) }))
            #expect(head.string(lower..<upper, in: bytes.span) == expected)
        }
    }

    @Test func stringClampsRangesOutsideTheBytes() {
        let head = HTTPHead(kind: .request)
        let bytes: [UInt8] = Array("abc".utf8)
        let clamped = head.string(1..<10, in: bytes.span)
        let outside = head.string(5..<9, in: bytes.span)
        #expect(clamped == "bc")
        #expect(outside == "")
    }

    @Test func requestFlags() throws {
        let request = "POST /u HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nConnection: Upgrade, keep-alive\r\n"
            + "Upgrade: websocket\r\nContent-Length: 0\r\n\r\n"
        let result = try #require(heads([.data(0, Script.bytes(request))]).first)
        #expect(result.head.expectContinue)
        #expect(result.head.upgrade)
        #expect(result.head.kind == .request)
        #expect(result.head.status == 0)
        #expect(text(result.head, result.head.method, result.bytes) == "POST")
        #expect(text(result.head, result.head.target, result.bytes) == "/u")
    }

    @Test func headSpanningSegmentsStartsAtItsFirstFrame() throws {
        let log = Script(steps: [
            .data(1, Script.bytes("HTTP/1.1 200 OK\r\nContent-")),
            .data(1, Script.bytes("Length: 2\r\n\r\n")),
            .data(1, Script.bytes("hi")),
        ]).run().log
        let first = try #require(log.heads.first)
        #expect(first.info.start == HTTPPosition(frame: 1, time: 1000, offset: 0))
        #expect(first.head.headLength == 38)
        #expect(log.compact == ["head res 200 cl(2)", "body hi", "end complete 2"])
        #expect(log.detailed.last?.hasSuffix("at=40") == true)
    }

    @Test func responseCarriesTheRequestItAnswers() throws {
        let log = Script(steps: [
            .data(0, Script.bytes("GET /a HTTP/1.1\r\nHost: one\r\n\r\nGET /b HTTP/1.1\r\nHost: two\r\n\r\n")),
            .data(1, Script.bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")),
        ]).run().log
        let responses = log.heads.filter { $0.head.kind == .response }
        #expect(responses.count == 2)
        #expect(responses.map { $0.info.request?.target } == ["/a", "/b"])
        #expect(responses.map { $0.info.request?.host } == ["one", "two"])
        #expect(responses.map { $0.info.request?.index } == [0, 1])
        #expect(responses.map(\.info.index) == [0, 1])
        #expect(responses.map(\.head.status) == [200, 502])
        #expect(responses[1].info.start.offset == 38)
    }
}
