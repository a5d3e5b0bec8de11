// Times HTTP1 head parsing on realistic heads: ns per message, MB/s, messages per second.

import CHTTPParserBench
import CLLHTTPBench
import Glibc
import HTTP1

/// CPU time of this thread in nanoseconds: unlike wall-clock time it does not count time other processes ran,
/// which matters on a shared two-core machine.
func threadCPUNanoseconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) * 1e9 + Double(spec.tv_nsec)
}

/// Counts what it is handed so the optimiser cannot drop the parsing.
struct CountingHandler: HTTPConnectionHandler {
    var heads = 0
    var headers = 0
    var ends = 0
    var malformed = 0
    mutating func messageHead(_ head: HTTPHead, bytes: Span<UInt8>, info: HTTPMessageInfo) {
        heads &+= 1
        headers &+= head.headers.count
    }
    mutating func messageBody(_ bytes: Span<UInt8>, info: HTTPMessageInfo) {}
    mutating func messageEnd(_ end: HTTPMessageEnd, bodyBytes: UInt64, info: HTTPMessageInfo, at: HTTPPosition) { ends &+= 1 }
    mutating func malformed(_ error: HTTPParseError, direction: UInt8, at: HTTPPosition) { malformed &+= 1 }
    mutating func unansweredRequest(_ request: HTTPRequestSummary, reason: HTTPMessageEnd) {}
}

let request = """
GET /api/v2/products/12345/reviews?page=2&sort=recent&limit=50 HTTP/1.1\r
Host: shop.example.com\r
User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r
Accept-Language: en-US,en;q=0.9\r
Accept-Encoding: gzip, deflate, br\r
Referer: https://shop.example.com/products/12345\r
Cookie: session=8f2a9c1e4b7d6f3a0e5c2b9d8a7f6e5d; _ga=GA1.2.1234567890.1700000000; theme=dark\r
Connection: keep-alive\r
Cache-Control: max-age=0\r
Upgrade-Insecure-Requests: 1\r
Sec-Fetch-Dest: document\r
Sec-Fetch-Mode: navigate\r
X-Request-ID: 3f1c2d4e-5a6b-7c8d-9e0f-a1b2c3d4e5f6\r
\r

"""

let response = """
HTTP/1.1 200 OK\r
Date: Sun, 22 Nov 2026 03:02:07 GMT\r
Server: nginx/1.24.0\r
Content-Type: text/html; charset=utf-8\r
Content-Length: 0\r
Connection: keep-alive\r
Vary: Accept-Encoding\r
Cache-Control: private, max-age=0, no-cache, no-store, must-revalidate\r
Pragma: no-cache\r
Expires: Thu, 01 Jan 1970 00:00:00 GMT\r
Set-Cookie: session=8f2a9c1e4b7d6f3a0e5c2b9d8a7f6e5d; Path=/; HttpOnly; Secure; SameSite=Lax\r
Strict-Transport-Security: max-age=31536000; includeSubDomains\r
X-Frame-Options: SAMEORIGIN\r
X-Content-Type-Options: nosniff\r
Content-Security-Policy: default-src 'self'; img-src 'self' data: https://cdn.example.com\r
X-Request-ID: 3f1c2d4e-5a6b-7c8d-9e0f-a1b2c3d4e5f6\r
ETag: W/"5e15153d-120f"\r
\r

"""

let badGateway = """
HTTP/1.1 502 Bad Gateway\r
Server: nginx/1.24.0\r
Date: Sun, 22 Nov 2026 03:02:07 GMT\r
Content-Type: text/html\r
Content-Length: 0\r
Connection: keep-alive\r
\r

"""

/// One parser's best time on one head.
struct Measurement {
    let parser: String
    let nanosecondsPerMessage: Double
}

/// Runs `body` (which returns thread CPU ns for `iterations` messages, or a negative value when it cannot run)
/// `rounds` times; the best time per message, or nil.
func best(rounds: Int, iterations: Int, _ body: () -> Double) -> Double? {
    var fastest = Double.infinity
    for _ in 0..<rounds {
        let elapsed = body()
        if elapsed >= 0 { fastest = min(fastest, elapsed) }
    }
    return fastest.isFinite ? fastest / Double(iterations) : nil
}

/// Times HTTP1 and each C parser on `text`, `iterations` messages per round, and prints one row per parser.
func measure(_ name: String, _ text: String, direction: UInt8, iterations: Int, rounds: Int = 5,
             sseLibrary: String?) {
    let bytes = Array(text.utf8)
    var handler = CountingHandler()
    var results: [Measurement] = []
    let swiftNs = best(rounds: rounds, iterations: iterations) {
        var parser = HTTPConnectionParser()
        var offset: UInt64 = 0
        let start = threadCPUNanoseconds()
        let span = bytes.span
        for frame in 0..<iterations {
            parser.feed(span, direction: direction, at: HTTPPosition(frame: UInt64(frame), time: 0, offset: offset),
                        handler: &handler)
            offset &+= UInt64(bytes.count)
        }
        return threadCPUNanoseconds() - start
    }
    if let swiftNs { results.append(Measurement(parser: "HTTP1 (Swift)", nanosecondsPerMessage: swiftNs)) }
    let isRequest: Int32 = direction == 0 ? 1 : 0
    var headers = 0
    // The C parsers see the same bytes, one execute per complete message.
    func timeC(_ parser: String, _ run: (UnsafePointer<CChar>?, Int) -> Double) {
        let perMessage = best(rounds: rounds, iterations: iterations) {
            bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in run(chars.baseAddress, chars.count) }
            }
        }
        if let perMessage { results.append(Measurement(parser: parser, nanosecondsPerMessage: perMessage)) }
    }
    timeC("http-parser 2.9 (Debian)") { http_parser_bench($0, $1, isRequest, iterations, &headers) }
    timeC("llhttp (swift-nio build)") { llhttp_bench($0, $1, isRequest, iterations, &headers) }
    if let sseLibrary {
        timeC("llhttp -O3 -msse4.2") { llhttp_bench_library(sseLibrary, $0, $1, isRequest, iterations, &headers) }
    }
    print("\(name), \(bytes.count) B (HTTP1 saw \(handler.heads / rounds) heads, "
        + "\(handler.headers / max(1, handler.heads)) headers each, \(handler.malformed) malformed)")
    for result in results {
        let perMessage = result.nanosecondsPerMessage
        let megabytesPerSecond = Double(bytes.count) / perMessage * 1e3
        var line = "  " + padded(result.parser, 26) + padded(String(format1: perMessage) + " ns/msg", 16)
        line += padded(String(format1: megabytesPerSecond) + " MB/s", 14) + padded(String(format2: 1e3 / perMessage) + " M msg/s", 14)
        if let swiftNs, result.parser != "HTTP1 (Swift)" {
            line += "HTTP1 is x\(String(format2: perMessage / swiftNs)) its speed"
        }
        print(line)
    }
}

/// `text` padded with spaces to `width` characters.
func padded(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(1, width - text.count))
}

extension String {
    init(format1 value: Double) {
        let scaled = (value * 10).rounded() / 10
        self = "\(scaled)"
    }
    init(format2 value: Double) {
        let scaled = (value * 100).rounded() / 100
        self = "\(scaled)"
    }
}

let arguments = CommandLine.arguments
let millions = arguments.count > 1 ? (Double(arguments[1]) ?? 2) : 2
let iterations = Int(millions * 1_000_000)
let only = arguments.count > 2 ? arguments[2] : nil
// run.sh builds llhttp at -O3 -msse4.2 as a shared library and names it here; without it that row is left out.
let sseLibrary = getenv("LLHTTP_SSE_LIBRARY").map { String(cString: $0) }
print("HTTP head parsing, \(iterations) messages per run, best of 5, thread CPU time per message")
if only == nil || only == "response" {
    measure("response head", response, direction: 1, iterations: iterations, sseLibrary: sseLibrary)
}
if only == nil || only == "502" { measure("502 head", badGateway, direction: 1, iterations: iterations, sseLibrary: sseLibrary) }
if only == nil || only == "request" {
    measure("request head", request, direction: 0, iterations: iterations, sseLibrary: sseLibrary)
}
if only == "sizes" {
    print("HTTPHead \(MemoryLayout<HTTPHead>.size) B, HTTPConnectionParser \(MemoryLayout<HTTPConnectionParser>.size) B, "
        + "HTTPMessageInfo \(MemoryLayout<HTTPMessageInfo>.size) B")
}
