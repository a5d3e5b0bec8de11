// FuzzHTTP: HTTPConnectionParser fed the input split into segments, directions, gaps and closes.
//
// Input layout:
//   byte 0     bits0-3: number of control pairs (0-15); bit4: small limits; bit5: end with close
//              of both directions before finish; bit6: feed every piece one byte at a time
//   pairs      (a, b): the next cut lies a bytes after the previous one (a*16 when b bit 7 is set);
//              b bit0: direction of the piece that starts at this cut; bits1-3: what happens at
//              the cut before it: 0-3 nothing, 4 a gap in the ending piece's direction, 5 a big
//              gap, 6 a close of that direction, 7 a gap in the other direction
//   the rest   the bytes of the conversation; the first piece goes in direction 0
//
// The handler checks: a head never arrives while its direction has a message open, every body
// and end matches the open head, body counts agree with `bodyBytes` and with Content-Length,
// head ranges stay inside the head's bytes, message indices count up per kind, nothing is
// reported after `finish`, and no message is left open by `finish`.

import HTTP1

func violated(_ message: String) -> Never {
    fatalError("invariant violated: \(message)")
}

struct OpenMessage {
    var kind: HTTPMessageKind
    var index: Int
    var framing: HTTPBodyFraming
    var start: HTTPPosition
    var body: UInt64 = 0
}

struct CheckingHandler: HTTPConnectionHandler {
    var limits: HTTPLimits
    var open: [OpenMessage?] = [nil, nil]
    var heads = [0, 0]              // requests, responses
    var ends = 0
    var finished = false
    /// The direction being fed; head and body events must belong to it.
    var feeding: UInt8?

    init(limits: HTTPLimits) { self.limits = limits }

    static func slot(_ kind: HTTPMessageKind) -> Int { kind == .request ? 0 : 1 }

    func inside(_ range: Range<Int>?, _ count: Int, _ what: String) {
        guard let range else { return }
        if range.lowerBound < 0 || range.upperBound > count { violated("\(what) \(range) outside head of \(count)") }
    }

    mutating func messageHead(_ head: HTTPHead, bytes: Span<UInt8>, info: HTTPMessageInfo) {
        if finished { violated("head after finish") }
        let direction = Int(info.direction)
        guard direction < 2 else { violated("direction \(direction)") }
        if let feeding, feeding != info.direction { violated("head for direction \(direction) while feeding \(feeding)") }
        if let previous = open[direction] { violated("head while \(previous.kind) \(previous.index) open in d\(direction)") }
        if head.kind != info.kind { violated("head kind \(head.kind) != info kind \(info.kind)") }
        if bytes.count != head.headLength { violated("head bytes \(bytes.count) != headLength \(head.headLength)") }
        if head.headLength > limits.maxHeadBytes { violated("head \(head.headLength) > limit \(limits.maxHeadBytes)") }
        if head.headers.count > limits.maxHeaders { violated("\(head.headers.count) headers > limit") }
        inside(head.method, bytes.count, "method")
        inside(head.target, bytes.count, "target")
        inside(head.reason, bytes.count, "reason")
        for field in head.headers {
            inside(field.name, bytes.count, "header name")
            inside(field.value, bytes.count, "header value")
        }
        // Any three digits parse (as in http-parser and llhttp); 000-099 are not rejected.
        if head.kind == .response, !(0...999).contains(head.status) { violated("status \(head.status)") }
        let slot = Self.slot(info.kind)
        if info.index != heads[slot] { violated("\(info.kind) index \(info.index), expected \(heads[slot])") }
        heads[slot] += 1
        if let request = info.request {
            if info.kind != .response { violated("request summary on a request") }
            if request.index < 0 || request.index >= heads[0] { violated("answers request \(request.index) of \(heads[0])") }
        }
        open[direction] = OpenMessage(kind: info.kind, index: info.index, framing: head.framing, start: info.start)
    }

    mutating func messageBody(_ bytes: Span<UInt8>, info: HTTPMessageInfo) {
        if finished { violated("body after finish") }
        let direction = Int(info.direction)
        guard direction < 2, var message = open[direction] else { violated("body without open head in d\(info.direction)") }
        if let feeding, feeding != info.direction { violated("body for d\(direction) while feeding \(feeding)") }
        if message.kind != info.kind || message.index != info.index { violated("body for another message") }
        if bytes.count == 0 { violated("empty body piece") }
        message.body += UInt64(bytes.count)
        switch message.framing {
        case .none, .tunnel: violated("body for a message framed \(message.framing)")
        case .contentLength(let length): if message.body > length { violated("body \(message.body) > Content-Length \(length)") }
        case .chunked, .closeDelimited: break
        }
        open[direction] = message
    }

    mutating func messageEnd(_ end: HTTPMessageEnd, bodyBytes: UInt64, info: HTTPMessageInfo, at: HTTPPosition) {
        if finished { violated("end after finish") }
        let direction = Int(info.direction)
        guard direction < 2, let message = open[direction] else { violated("end without open head in d\(info.direction)") }
        if message.kind != info.kind || message.index != info.index { violated("end for another message") }
        if bodyBytes != message.body { violated("end says \(bodyBytes) body bytes, \(message.body) delivered") }
        if info.start != message.start { violated("start moved") }
        // `finish` takes one position for both directions, so only ends met while feeding are comparable.
        if feeding == info.direction, at.offset < info.start.offset {
            violated("end at \(at.offset) before start \(info.start.offset)")
        }
        switch (end, message.framing) {
        case (.complete, .contentLength(let length)):
            if bodyBytes != length { violated("complete with \(bodyBytes) of Content-Length \(length)") }
        case (.complete, .none):
            if bodyBytes != 0 { violated("complete bodiless message with \(bodyBytes) bytes") }
        case (.incomplete(let gap), .contentLength(let length)):
            if gap == 0 { violated("incomplete without gap bytes") }
            if bodyBytes &+ gap > length { violated("incomplete: \(bodyBytes) + gap \(gap) > Content-Length \(length)") }
        default: break
        }
        ends += 1
        open[direction] = nil
    }

    mutating func malformed(_ error: HTTPParseError, direction: UInt8, at: HTTPPosition) {
        if finished { violated("malformed after finish") }
        if direction > 1 { violated("malformed direction \(direction)") }
    }

    mutating func unansweredRequest(_ request: HTTPRequestSummary, reason: HTTPMessageEnd) {
        if finished { violated("unanswered after finish") }
        if request.index < 0 || request.index >= heads[0] { violated("unanswered request \(request.index) of \(heads[0])") }
    }
}

let smallLimits = HTTPLimits(maxHeadBytes: 200, maxHeaders: 6, maxChunkSizeDigits: 3, maxStartLine: 48)
let gapLengths: [UInt64] = [1, 2, 7, 100, 4096, 1 << 20, 1 << 33]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let control = input[0]
    let pairCount = min(Int(control & 0x0F), (size - 1) / 2)
    let payloadStart = 1 + 2 * pairCount
    let payload = UnsafeBufferPointer(rebasing: input[payloadStart...])
    let limits = control & 0x10 != 0 ? smallLimits : HTTPLimits.default
    var parser = HTTPConnectionParser(limits: limits)
    var handler = CheckingHandler(limits: limits)
    var offsets: [UInt64] = [0, 0]
    var frame: UInt64 = 1
    var time: Int64 = 1_000_000

    func position(_ direction: UInt8) -> HTTPPosition {
        HTTPPosition(frame: frame, time: time, offset: offsets[Int(direction)])
    }

    func feed(_ start: Int, _ end: Int, direction: UInt8) {
        guard start < end else { return }
        handler.feeding = direction
        if control & 0x40 != 0 {
            for index in start..<end {
                let one = UnsafeBufferPointer(rebasing: payload[index..<(index + 1)])
                parser.feed(Span(_unsafeElements: one), direction: direction, at: position(direction), handler: &handler)
                offsets[Int(direction)] += 1
            }
        } else {
            let piece = UnsafeBufferPointer(rebasing: payload[start..<end])
            parser.feed(Span(_unsafeElements: piece), direction: direction, at: position(direction), handler: &handler)
            offsets[Int(direction)] += UInt64(end - start)
        }
        handler.feeding = nil
        frame += 1
        time += 1000
    }

    var cut = 0
    var direction: UInt8 = 0
    for pair in 0..<pairCount {
        let a = Int(input[1 + 2 * pair])
        let b = input[2 + 2 * pair]
        let next = min(payload.count, cut + (b & 0x80 != 0 ? a * 16 : a))
        feed(cut, next, direction: direction)
        cut = next
        switch (b >> 1) & 0x07 {
        case 4:
            let length = gapLengths[Int(a) % 3]
            parser.gap(length: length, direction: direction, at: position(direction), handler: &handler)
            offsets[Int(direction)] += length
        case 5:
            let length = gapLengths[3 + Int(a) % 4]
            parser.gap(length: length, direction: direction, at: position(direction), handler: &handler)
            offsets[Int(direction)] += length
        case 6:
            parser.close(direction: direction, at: position(direction), handler: &handler)
        case 7:
            let other = direction ^ 1
            let length = gapLengths[Int(a) % gapLengths.count]
            parser.gap(length: length, direction: other, at: position(other), handler: &handler)
            offsets[Int(other)] += length
        default:
            break
        }
        direction = b & 0x01
    }
    feed(cut, payload.count, direction: direction)
    if control & 0x20 != 0 {
        parser.close(direction: 1, at: position(1), handler: &handler)
        parser.close(direction: 0, at: position(0), handler: &handler)
    }
    parser.finish(at: position(0), handler: &handler)
    if let message = handler.open[0] ?? handler.open[1] {
        violated("\(message.kind) \(message.index) still open after finish")
    }
    handler.finished = true
    // Nothing may be reported once the parser has finished.
    parser.feed(Span(_unsafeElements: payload), direction: 0, at: position(0), handler: &handler)
    parser.close(direction: 1, at: position(1), handler: &handler)
    parser.finish(at: position(0), handler: &handler)
    let counters = parser.counters
    if counters.requests > handler.heads[0] { violated("counters say \(counters.requests) requests, \(handler.heads[0]) heads") }
    return 0
}
