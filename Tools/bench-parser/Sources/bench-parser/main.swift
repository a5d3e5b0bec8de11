// Times HTTP1 head parsing on realistic heads: ns per message, MB/s, messages per second.

import CHTTPParserBench
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

/// Feeds `text` as one span per message, `iterations` times; returns ns per message (best of `rounds`).
func measure(_ name: String, _ text: String, direction: UInt8, iterations: Int, rounds: Int = 5) {
    let bytes = Array(text.utf8)
    var totalNs = Double.infinity
    var handler = CountingHandler()
    for _ in 0..<rounds {
        var parser = HTTPConnectionParser()
        var offset: UInt64 = 0
        let start = threadCPUNanoseconds()
        let span = bytes.span
        for frame in 0..<iterations {
            parser.feed(span, direction: direction, at: HTTPPosition(frame: UInt64(frame), time: 0, offset: offset),
                        handler: &handler)
            offset &+= UInt64(bytes.count)
        }
        totalNs = min(totalNs, threadCPUNanoseconds() - start)
    }
    let perMessage = totalNs / Double(iterations)
    let megabytesPerSecond = Double(bytes.count) / perMessage * 1e9 / 1e6
    let ratio = megabytesPerSecond / 1800
    let label = name + String(repeating: " ", count: max(0, 16 - name.count))
    let rate = 1e9 / perMessage / 1e6
    var line = "\(label) \(bytes.count) B  \(String(format1: perMessage)) ns/msg  "
    line += "\(String(format1: megabytesPerSecond)) MB/s  \(String(format2: rate)) M msg/s  "
    line += "x\(String(format2: ratio)) llhttp  (heads \(handler.heads), headers \(handler.headers), malformed \(handler.malformed))"
    print(line)
    // The same bytes through http-parser 2.9 (C), when it is installed.
    var cHeaders = 0
    var cBest = Double.infinity
    for _ in 0..<rounds {
        let elapsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                http_parser_bench(chars.baseAddress, chars.count, direction == 0 ? 1 : 0, iterations, &cHeaders)
            }
        }
        if elapsed >= 0 { cBest = min(cBest, elapsed) }
    }
    if cBest.isFinite {
        let cPerMessage = cBest / Double(iterations)
        print("  http-parser 2.9 (C): \(String(format1: cPerMessage)) ns/msg  "
            + "\(String(format1: Double(bytes.count) / cPerMessage * 1e3)) MB/s  (HTTP1 is \(String(format2: cPerMessage / perMessage))x its speed)")
    }
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
print("HTTP1 head parsing, \(iterations) messages per run, best of 5, thread CPU time (llhttp reference: 1.8 GB/s, ~370 ns per 700 B head)")
let only = arguments.count > 2 ? arguments[2] : nil
if only == nil || only == "response" { measure("response head", response, direction: 1, iterations: iterations) }
if only == nil || only == "502" { measure("502 head", badGateway, direction: 1, iterations: iterations) }
if only == nil || only == "request" { measure("request head", request, direction: 0, iterations: iterations) }
if only == "sizes" {
    print("HTTPHead \(MemoryLayout<HTTPHead>.size) B, HTTPConnectionParser \(MemoryLayout<HTTPConnectionParser>.size) B, "
        + "HTTPMessageInfo \(MemoryLayout<HTTPMessageInfo>.size) B")
}
