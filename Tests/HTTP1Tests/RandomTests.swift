// Seeded random inputs: hostile bytes must never trap or break event invariants; valid streams must split freely.

import HTTP1
import Testing

/// A small deterministic generator (SplitMix64), so every failure reproduces.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// Checks event ordering and sizes as they arrive.
struct InvariantHandler: HTTPConnectionHandler {
    var violations: [String] = []
    var open: [String: UInt64] = [:]
    var heads = 0
    var ends = 0

    mutating func messageHead(_ head: HTTPHead, bytes: Span<UInt8>, info: HTTPMessageInfo) {
        heads += 1
        let key = RecordingHandler.key(info)
        if open[key] != nil { violations.append("head for open message \(key)") }
        open[key] = 0
        if head.headLength != bytes.count { violations.append("headLength \(head.headLength) != \(bytes.count)") }
        for field in head.headers where field.name.upperBound > bytes.count || field.value.upperBound > bytes.count
            || field.name.isEmpty {
            violations.append("field range outside head")
        }
        for range in [head.method, head.target, head.reason].compactMap({ $0 }) where range.upperBound > bytes.count {
            violations.append("start-line range outside head")
        }
        if (head.kind == .response) != (head.status >= 100) { violations.append("status \(head.status) for \(head.kind)") }
    }

    mutating func messageBody(_ bytes: Span<UInt8>, info: HTTPMessageInfo) {
        let key = RecordingHandler.key(info)
        guard let seen = open[key] else {
            violations.append("body for closed message \(key)")
            return
        }
        if bytes.count == 0 { violations.append("empty body event") }
        open[key] = seen + UInt64(bytes.count)
    }

    mutating func messageEnd(_ end: HTTPMessageEnd, bodyBytes: UInt64, info: HTTPMessageInfo, at: HTTPPosition) {
        ends += 1
        let key = RecordingHandler.key(info)
        guard let seen = open.removeValue(forKey: key) else {
            violations.append("end for closed message \(key)")
            return
        }
        if seen != bodyBytes { violations.append("bodyBytes \(bodyBytes) but delivered \(seen)") }
    }

    mutating func malformed(_ error: HTTPParseError, direction: UInt8, at: HTTPPosition) {
        if direction > 1 { violations.append("direction \(direction)") }
        if error.description.isEmpty { violations.append("empty description") }
    }

    mutating func unansweredRequest(_ request: HTTPRequestSummary, reason: HTTPMessageEnd) {
        if request.method.isEmpty { violations.append("unanswered request without method") }
    }
}

@Suite("Random inputs")
struct RandomTests {
    static let templates: [String] = [
        "GET /index.html HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n",
        "POST /api HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
        "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
        "HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: 11\r\n\r\n<html></ht>",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n",
        "HTTP/1.0 200 OK\r\n\r\nuntil close",
        "HTTP/1.1 100 Continue\r\n\r\n",
        "CONNECT h:443 HTTP/1.1\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n",
        "HEAD / HTTP/1.1\r\n\r\n",
        "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n",
    ]

    static func randomData(_ generator: inout SeededGenerator) -> [UInt8] {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0:
            return (0..<Int.random(in: 0..<200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        case 1:
            let alphabet = Array("GET HTTP/1.1 200 \r\n:;0123456789abcdefABCDEF-\t chunked Content-Length".utf8)
            return (0..<Int.random(in: 0..<200, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
        default:
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                bytes += Array((templates.randomElement(using: &generator) ?? "").utf8)
            }
            for _ in 0..<Int.random(in: 0...3, using: &generator) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if Bool.random(using: &generator), !bytes.isEmpty {
                bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator))
            }
            return bytes
        }
    }

    @Test func tenThousandHostileInputsKeepInvariants() {
        var generator = SeededGenerator(state: 0x6174_6577_6174_6368)
        var totalHeads = 0
        var limits = HTTPLimits(maxHeadBytes: 256, maxHeaders: 8, maxChunkSizeDigits: 4, maxStartLine: 96)
        limits.maxPendingRequests = 4
        for iteration in 0..<10_000 {
            var parser = HTTPConnectionParser(limits: iteration.isMultiple(of: 2) ? limits : .default)
            var handler = InvariantHandler()
            var offsets: [UInt64] = [0, 0]
            for step in 0..<Int.random(in: 1...6, using: &generator) {
                let direction = UInt8.random(in: 0...1, using: &generator)
                let at = HTTPPosition(frame: UInt64(step), time: Int64(step), offset: offsets[Int(direction)])
                switch Int.random(in: 0..<10, using: &generator) {
                case 0:
                    let length = UInt64.random(in: 1...1000, using: &generator)
                    parser.gap(length: length, direction: direction, at: at, handler: &handler)
                    offsets[Int(direction)] += length
                case 1:
                    parser.close(direction: direction, at: at, handler: &handler)
                default:
                    let data = Self.randomData(&generator)
                    var start = 0
                    while start < data.count {
                        let end = min(data.count, start + Int.random(in: 1...64, using: &generator))
                        let piece = Array(data[start..<end])
                        parser.feed(piece.span, direction: direction, at: at.advanced(by: start), handler: &handler)
                        start = end
                    }
                    offsets[Int(direction)] += UInt64(data.count)
                }
            }
            parser.finish(at: HTTPPosition(frame: 99, time: 99, offset: 0), handler: &handler)
            #expect(handler.violations.isEmpty, "iteration \(iteration): \(handler.violations)")
            #expect(handler.open.isEmpty, "iteration \(iteration): messages left open \(handler.open)")
            #expect(handler.heads == parser.counters.requests + parser.counters.responses)
            #expect(handler.ends == handler.heads)
            totalHeads += handler.heads
        }
        // The mix must actually exercise message parsing, not only rejection.
        #expect(totalHeads > 5_000)
    }

    /// Builds a pipeline of valid responses and the bodies they carry.
    static func validResponses(_ generator: inout SeededGenerator) -> (bytes: [UInt8], bodies: [String]) {
        var text = ""
        var bodies: [String] = []
        for _ in 0..<Int.random(in: 1...5, using: &generator) {
            let status = [200, 201, 404, 500, 502, 503].randomElement(using: &generator) ?? 200
            let body = String(repeating: "b", count: Int.random(in: 0...300, using: &generator))
            text += "HTTP/1.1 \(status) Reason Phrase\r\n"
            for header in 0..<Int.random(in: 0...12, using: &generator) {
                text += "X-Header-\(header): " + String(repeating: "v", count: Int.random(in: 0...40, using: &generator)) + "\r\n"
            }
            if Bool.random(using: &generator) {
                text += "Content-Length: \(body.utf8.count)\r\n\r\n" + body
            } else {
                text += "Transfer-Encoding: chunked\r\n\r\n"
                var rest = Substring(body)
                while !rest.isEmpty {
                    let size = min(rest.count, Int.random(in: 1...100, using: &generator))
                    text += String(size, radix: 16) + "\r\n" + rest.prefix(size) + "\r\n"
                    rest = rest.dropFirst(size)
                }
                text += "0\r\n\r\n"
            }
            bodies.append(body)
        }
        return (Array(text.utf8), bodies)
    }

    @Test func validPipelinesGiveTheSameEventsInAnySplit() {
        var generator = SeededGenerator(state: 42)
        for iteration in 0..<300 {
            let (bytes, bodies) = Self.validResponses(&generator)
            let whole = Script(steps: [.data(1, bytes)]).run().log
            #expect(whole.heads.count == bodies.count, "iteration \(iteration)")
            #expect(whole.compact.filter { $0.hasPrefix("end complete") }.count == bodies.count)
            for (index, body) in bodies.enumerated() {
                #expect((whole.bodies["d1 response \(index)"] ?? []) == Array(body.utf8))
            }
            for _ in 0..<4 {
                var cuts: [Int] = []
                var position = 0
                while position < bytes.count {
                    position += Int.random(in: 1...120, using: &generator)
                    cuts.append(position)
                }
                let split = Script(steps: [.data(1, bytes)]).run(cuts: { _, _ in cuts }).log
                #expect(split.detailed == whole.detailed, "iteration \(iteration) cuts \(cuts)")
            }
        }
    }
}
