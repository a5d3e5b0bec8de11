// Default limits on realistic segment sizes: huge heads are refused, long bodies are not mistaken for heads.

import HTTP1
import Testing

@Suite("Limits")
struct LimitTests {
    /// Cuts `bytes` into TCP-sized segments.
    private func segments(_ bytes: [UInt8], size: Int = 1460) -> [Step] {
        stride(from: 0, to: bytes.count, by: size).map { .data(1, Array(bytes[$0..<min(bytes.count, $0 + size)])) }
    }

    @Test func endlessHeaderLinesHitTheDefaultHeadLimitThenResync() {
        var bytes = Script.bytes("HTTP/1.1 200 OK\r\n")
        while bytes.count < 80 * 1024 { bytes += Script.bytes("X-Endless: 0123456789abcdef0123456789abcdef\r\n") }
        let steps = segments(bytes) + [.data(1, Script.bytes("HTTP/1.1 204 No Content\r\n\r\n"))]
        let result = Script(steps: steps).run()
        #expect(result.log.compact == ["malformed head larger than 65536 bytes @65536", "head res 204 none", "end complete 0"])
        #expect(result.parser.counters.limitsExceeded == 1)
    }

    @Test func tooManyHeadersAtTheDefaultLimit() {
        var text = "GET / HTTP/1.1\r\n"
        for index in 0..<257 { text += "H\(index): v\r\n" }
        text += "\r\n"
        let result = Script(steps: [.data(0, Script.bytes(text))]).run()
        #expect(result.log.compact.first?.hasPrefix("malformed more than 256 header fields @") == true)
        #expect(result.log.compact.count == 1)
    }

    @Test(arguments: [1_000, 100_000])
    func longBodiesDoNotTripTheHeadLimit(length: Int) {
        let head = Script.bytes("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: \(length)\r\n\r\n")
        let body = [UInt8](repeating: 0x61, count: length)
        let result = Script(steps: segments(head + body + Script.bytes("HTTP/1.0 204 No Content\r\n\r\n"))).run()
        #expect(result.log.compact == ["head res 200 cl(\(length))", "body " + String(repeating: "a", count: length),
                                       "end complete \(length)", "head res 204 none", "end complete 0"])
        #expect(result.parser.counters.malformed == 0)
    }

    @Test func largeChunkedBodyCountsEveryChunk() {
        var text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        let chunk = String(repeating: "z", count: 1024)
        for _ in 0..<300 { text += "400\r\n" + chunk + "\r\n" }
        text += "0\r\n\r\n"
        let result = Script(steps: segments(Script.bytes(text))).run()
        #expect(result.log.compact.last == "end complete \(300 * 1024)")
        #expect(result.log.bodies["d1 response 0"]?.count == 300 * 1024)
    }

    @Test func headGatheredAByteAtATimeAtTheLimit() {
        var text = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
        while text.utf8.count < 4000 { text += "X-Pad: 0123456789\r\n" }
        text += "\r\n"
        let script = Script(steps: [.data(1, Script.bytes(text))])
        let bytewise = script.run(cuts: { _, count in Array(0..<count) }).log.compact
        #expect(bytewise == ["head res 200 cl(0)", "end complete 0"])
    }
}
