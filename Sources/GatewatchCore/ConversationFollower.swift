// `--follow`: one TCP conversation printed as it is reassembled, heads decoded and bodies shown.

import HTTP1
import Rendering
import TCPReassembly

/// Which conversation `--follow` prints: a stream number (Wireshark's `tcp.stream`) or the first
/// connection between two endpoints (`ip:port,ip:port`, either order, as tshark's follow takes them).
public enum FollowTarget: Sendable, Equatable {
    case stream(Int)
    case endpoints(String, String)

    /// Parses `12`, `10.0.0.1:41620,10.0.0.2:80` or `[::1]:41620,[::1]:80`; nil when it is neither.
    public init?(_ text: String) {
        if let number = Int(text), number >= 0 {
            self = .stream(number)
            return
        }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0.trimmingSpaces) }
        guard parts.count == 2, parts.allSatisfy(Self.isEndpoint) else { return nil }
        self = .endpoints(parts[0], parts[1])
    }

    /// `a.b.c.d:port` or `[v6]:port`, as gatewatch prints endpoints.
    private static func isEndpoint(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65_535).contains(port) else { return false }
        let host = text[..<colon]
        if host.hasPrefix("[") { return host.hasSuffix("]") && host.count > 2 }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { UInt8($0) != nil }
    }

    func matches(_ info: ConnectionInfo) -> Bool {
        switch self {
        case .stream(let number):
            return info.stream == number
        case .endpoints(let first, let second):
            let client = info.client.description, server = info.server.description
            return (client == first && server == second) || (client == second && server == first)
        }
    }
}

/// Prints the followed connection. Fed only that connection's events, in capture order.
struct ConversationFollower {
    let target: FollowTarget
    /// The followed connection's stream number, once it has opened.
    private(set) var stream: Int?
    /// Set when the followed connection has closed: later connections are not looked at.
    private(set) var done = false
    private var parser = HTTPConnectionParser()
    private var printer: FollowPrinter
    /// Per direction: whether its first bytes were looked at, and whether they were not HTTP.
    private var decided = [false, false]
    private var raw = [false, false]

    /// `HTTP/` or a method-like token (up to 20 letters, digits, `-` or `_`) and a space; bytes that
    /// end before that are given the benefit of the doubt.
    static func startsLikeHTTP(_ bytes: Span<UInt8>) -> Bool {
        for index in 0..<min(bytes.count, 21) {
            let byte = bytes[index]
            if byte == 0x20 { return index > 0 }
            if byte == 0x2F { return index == 4 && bytes[0] == 0x48 && bytes[1] == 0x54 && bytes[2] == 0x54 && bytes[3] == 0x50 }
            let upper = byte >= 0x41 && byte <= 0x5A, digit = byte >= 0x30 && byte <= 0x39
            if !(upper || digit || byte == 0x2D || byte == 0x5F) { return false }
        }
        return bytes.count < 21
    }

    init(target: FollowTarget, writer: OutputWriter, nanoseconds: Bool, httpLimits: HTTPLimits) {
        self.target = target
        self.parser = HTTPConnectionParser(limits: httpLimits)
        self.printer = FollowPrinter(writer: writer, nanoseconds: nanoseconds)
    }

    /// True when `info` opens the connection to follow (the first one that matches).
    mutating func opened(_ info: ConnectionInfo) -> Bool {
        guard stream == nil, !done, target.matches(info) else { return false }
        stream = info.stream
        printer.start(info)
        return true
    }

    mutating func data(_ bytes: Span<UInt8>, direction: StreamDirection, offset: UInt64, frame: UInt64, time: Int64) {
        printer.segment(direction: direction.rawValue, frame: frame, time: time)
        printer.emittedInSegment = false
        let side = Int(direction.rawValue & 1)
        if !decided[side], bytes.count > 0 {
            decided[side] = true
            raw[side] = !Self.startsLikeHTTP(bytes)
        }
        // A direction that did not open with a request or status line is another protocol: shown raw.
        if raw[side] {
            printer.raw(bytes, direction: direction.rawValue)
            return
        }
        let skippedBefore = parser.counters.skippedBytes
        parser.feed(bytes, direction: direction.rawValue, at: HTTPPosition(frame: frame, time: time, offset: offset), handler: &printer)
        // Bytes the HTTP parser passes over (another protocol, garbage before a message, a tunnel after
        // CONNECT/101) are shown raw, so the transcript is the whole conversation.
        let skipped = parser.counters.skippedBytes &- skippedBefore
        if !printer.emittedInSegment, skipped > 0 || parser.isTunnel {
            printer.raw(bytes, direction: direction.rawValue)
        } else if skipped > 0 {
            printer.note("[\(FollowText.grouped(skipped)) bytes that are not HTTP skipped]", direction: direction.rawValue)
        }
    }

    mutating func gap(direction: StreamDirection, offset: UInt64, length: UInt64, reason: GapReason, frame: UInt64, time: Int64) {
        printer.gap(direction: direction.rawValue, length: length, reason: reason)
        parser.gap(length: length, direction: direction.rawValue, at: HTTPPosition(frame: frame, time: time, offset: offset), handler: &printer)
    }

    mutating func closed(direction: StreamDirection, reason: CloseReason, frame: UInt64, time: Int64) {
        parser.close(direction: direction.rawValue, at: HTTPPosition(frame: frame, time: time, offset: 0), handler: &printer)
        printer.closed(direction: direction.rawValue, reason: reason, frame: frame)
    }

    mutating func finished(_ info: ConnectionInfo) {
        parser.finish(at: HTTPPosition(frame: info.firstFrame, time: info.lastTime, offset: 0), handler: &printer)
        printer.finish(info)
        done = true
    }
}

/// The HTTP handler behind `--follow`: writes heads line by line and bodies as text or hex rows.
struct FollowPrinter: HTTPConnectionHandler {
    /// How one direction's current body is being shown.
    private enum BodyMode { case undecided, text, hex }

    /// Per-direction display state.
    private struct Side {
        var name = ""
        var bodyMode = BodyMode.undecided
        /// A text line not yet ended (bounded by `maxPendingLine`).
        var pendingLine: [UInt8] = []
        /// Hex bytes not yet making a full row, and the body offset of the first of them.
        var pendingRow: [UInt8] = []
        var rowOffset = 0
        var chunked = false
        var encoding: String?
    }

    /// A longer text line is printed in pieces rather than held without bound.
    static let maxPendingLine = 16 * 1024

    private let writer: OutputWriter
    private let nanoseconds: Bool
    private var sides = [Side(), Side()]
    private var stream = 0
    /// The direction whose bytes were shown last; a change prints a turn line.
    private var lastShown: UInt8?
    private var segmentFrame: UInt64 = 0
    private var segmentTime: Int64 = 0
    private var requests = 0
    private var responses = 0
    /// Whether anything was printed for the segment being fed.
    var emittedInSegment = false

    init(writer: OutputWriter, nanoseconds: Bool) {
        self.writer = writer
        self.nanoseconds = nanoseconds
    }

    mutating func start(_ info: ConnectionInfo) {
        stream = info.stream
        sides[0].name = info.client.description
        sides[1].name = info.server.description
        writer.line(FollowText.banner(stream: info.stream, client: sides[0].name, server: sides[1].name,
                                      rolesFromHandshake: info.rolesFromHandshake))
    }

    mutating func segment(direction: UInt8, frame: UInt64, time: Int64) {
        segmentFrame = frame
        segmentTime = time
    }

    /// Prints a turn line when the speaking direction changes.
    private mutating func speak(_ direction: UInt8, frame: UInt64, time: Int64) {
        emittedInSegment = true
        guard lastShown != direction else { return }
        flushPending(direction: 1 &- direction)
        lastShown = direction
        let side = Int(direction & 1)
        writer.line(FollowText.turn(from: sides[side].name, to: sides[1 - side].name, frame: frame,
                                    time: TimeFormat.absolute(time, nanoseconds: nanoseconds)))
    }

    mutating func messageHead(_ head: HTTPHead, bytes: Span<UInt8>, info: HTTPMessageInfo) {
        speak(info.direction, frame: info.start.frame, time: info.start.time)
        let side = Int(info.direction & 1)
        if head.kind == .request { requests += 1 } else { responses += 1 }
        var lineStart = 0
        var first = true
        let end = min(head.headLength, bytes.count)
        for index in 0..<end where bytes[index] == 0x0A {
            let line = FollowText.textLine(bytes.extracting(lineStart..<(index + 1)))
            let highlight: Highlight = first && head.kind == .response && head.status == 502 ? .badGateway
                : first && head.kind == .response && head.status >= 500 ? .serverError : .none
            writer.line(line, highlight: highlight)
            first = false
            lineStart = index + 1
        }
        sides[side].bodyMode = .undecided
        sides[side].pendingLine.removeAll(keepingCapacity: true)
        sides[side].pendingRow.removeAll(keepingCapacity: true)
        sides[side].rowOffset = 0
        sides[side].chunked = head.isChunked
        sides[side].encoding = head.header(named: "content-encoding", in: bytes).map { head.string($0, in: bytes) }
    }

    mutating func messageBody(_ bytes: Span<UInt8>, info: HTTPMessageInfo) {
        guard bytes.count > 0 else { return }
        speak(info.direction, frame: segmentFrame, time: segmentTime)
        let side = Int(info.direction & 1)
        if sides[side].bodyMode == .undecided {
            sides[side].bodyMode = sides[side].encoding == nil && FollowText.looksLikeText(bytes) ? .text : .hex
        }
        if sides[side].bodyMode == .text { appendText(bytes, side: side) } else { appendHex(bytes, side: side) }
    }

    private mutating func appendText(_ bytes: Span<UInt8>, side: Int) {
        var lineStart = 0
        for index in 0..<bytes.count where bytes[index] == 0x0A {
            if sides[side].pendingLine.isEmpty {
                writer.line(FollowText.textLine(bytes.extracting(lineStart..<(index + 1))))
            } else {
                for position in lineStart...index { sides[side].pendingLine.append(bytes[position]) }
                let pending = sides[side].pendingLine
                writer.line(FollowText.textLine(pending.span))
                sides[side].pendingLine.removeAll(keepingCapacity: true)
            }
            lineStart = index + 1
        }
        for position in lineStart..<bytes.count {
            sides[side].pendingLine.append(bytes[position])
            if sides[side].pendingLine.count >= Self.maxPendingLine {
                let pending = sides[side].pendingLine
                writer.line(FollowText.textLine(pending.span))
                sides[side].pendingLine.removeAll(keepingCapacity: true)
            }
        }
    }

    private mutating func appendHex(_ bytes: Span<UInt8>, side: Int) {
        var index = 0
        // Complete the row left over from the previous piece, then whole rows straight from the bytes.
        while !sides[side].pendingRow.isEmpty && sides[side].pendingRow.count < 16 && index < bytes.count {
            sides[side].pendingRow.append(bytes[index])
            index += 1
        }
        if sides[side].pendingRow.count == 16 {
            let row = sides[side].pendingRow
            writer.lines(HexDump.rows(row.span, base: sides[side].rowOffset))
            sides[side].rowOffset += 16
            sides[side].pendingRow.removeAll(keepingCapacity: true)
        }
        let whole = (bytes.count - index) / 16 * 16
        if whole > 0 {
            writer.lines(HexDump.rows(bytes.extracting(index..<(index + whole)), base: sides[side].rowOffset))
            sides[side].rowOffset += whole
            index += whole
        }
        while index < bytes.count {
            sides[side].pendingRow.append(bytes[index])
            index += 1
        }
    }

    /// Prints what a direction holds back (a partial line or hex row).
    private mutating func flushPending(direction: UInt8) {
        let side = Int(direction & 1)
        if !sides[side].pendingLine.isEmpty {
            let pending = sides[side].pendingLine
                writer.line(FollowText.textLine(pending.span))
            sides[side].pendingLine.removeAll(keepingCapacity: true)
        }
        if !sides[side].pendingRow.isEmpty {
            let row = sides[side].pendingRow
            writer.lines(HexDump.rows(row.span, base: sides[side].rowOffset))
            sides[side].rowOffset += sides[side].pendingRow.count
            sides[side].pendingRow.removeAll(keepingCapacity: true)
        }
    }

    mutating func messageEnd(_ end: HTTPMessageEnd, bodyBytes: UInt64, info: HTTPMessageInfo, at: HTTPPosition) {
        let side = Int(info.direction & 1)
        flushPending(direction: info.direction)
        if bodyBytes > 0 {
            writer.line(FollowText.bodyNote(bytes: bodyBytes, chunked: sides[side].chunked,
                                            binary: sides[side].bodyMode == .hex, encoding: sides[side].encoding))
        }
        switch end {
        case .complete: break
        case .incomplete(let gapBytes): writer.line("[message incomplete: \(FollowText.grouped(gapBytes)) bytes not captured]")
        case .cutByClose: writer.line("[message cut short: the connection closed]")
        case .unfinishedAtEnd: writer.line("[message unfinished: the capture ended]")
        case .tunnel: writer.line("[tunnel: the connection switched protocols; bytes after this are shown raw]")
        }
        sides[side].bodyMode = .undecided
    }

    mutating func malformed(_ error: HTTPParseError, direction: UInt8, at: HTTPPosition) {
        speak(direction, frame: at.frame, time: at.time)
        writer.line("[malformed: \(error)]")
    }

    mutating func unansweredRequest(_ request: HTTPRequestSummary, reason: HTTPMessageEnd) {}

    /// Bytes shown as they are (not HTTP): text lines or hex rows by content.
    mutating func raw(_ bytes: Span<UInt8>, direction: UInt8) {
        guard bytes.count > 0 else { return }
        speak(direction, frame: segmentFrame, time: segmentTime)
        let side = Int(direction & 1)
        if sides[side].bodyMode == .undecided {
            sides[side].bodyMode = FollowText.looksLikeText(bytes) ? .text : .hex
        }
        if sides[side].bodyMode == .text { appendText(bytes, side: side) } else { appendHex(bytes, side: side) }
    }

    /// A remark about the current segment.
    mutating func note(_ text: String, direction: UInt8) {
        speak(direction, frame: segmentFrame, time: segmentTime)
        writer.line(text)
    }

    mutating func gap(direction: UInt8, length: UInt64, reason: GapReason) {
        flushPending(direction: direction)
        let side = Int(direction & 1)
        writer.line(FollowText.gap(bytes: length, source: sides[side].name, destination: sides[1 - side].name,
                                   reason: Self.describe(reason)))
    }

    mutating func closed(direction: UInt8, reason: CloseReason, frame: UInt64) {
        flushPending(direction: direction)
        let side = Int(direction & 1)
        let how: String
        switch reason {
        case .fin: how = "FIN"
        case .rst: how = "RST"
        case .idleTimeout: how = "idle timeout"
        case .endOfInput: how = "end of capture"
        case .evicted: how = "eviction (--max-connections)"
        case .portReuse: how = "port reuse"
        }
        writer.line(FollowText.closed(source: sides[side].name, destination: sides[1 - side].name, how: how, frame: frame))
    }

    mutating func finish(_ info: ConnectionInfo) {
        flushPending(direction: 0)
        flushPending(direction: 1)
        writer.line(FollowText.footer(stream: info.stream, clientBytes: info.bytes.toServer, serverBytes: info.bytes.toClient,
                                      requests: requests, responses: responses))
    }

    private static func describe(_ reason: GapReason) -> String {
        switch reason {
        case .acknowledgedPastHole: return "acknowledged by the peer, lost by the sniffer"
        case .holdTimeout: return "not seen within --hold-timeout"
        case .holdBudget: return "--max-buffer or --max-flow-buffer was full"
        case .closed: return "missing when the connection closed"
        case .endOfInput: return "missing at the end of the capture"
        case .snaplenTruncated: return "cut by the snapshot length"
        case .evicted: return "the connection was evicted (--max-connections)"
        }
    }
}
