// A handler that renders every event as text, so whole and split runs can be compared line for line.

import HTTP1

/// Records events twice: a detailed log (every field, for split-equivalence) and a compact log (for expectations).
struct RecordingHandler: HTTPConnectionHandler {
    var detailed: [String] = []
    var compact: [String] = []
    /// Heads seen, with copies of their bytes, for field-level assertions.
    var heads: [(head: HTTPHead, bytes: [UInt8], info: HTTPMessageInfo)] = []
    /// Body bytes per message key ("d0 request 0"), concatenated.
    var bodies: [String: [UInt8]] = [:]
    private var pendingBody: (key: String, bytes: [UInt8])?

    static func key(_ info: HTTPMessageInfo) -> String { "d\(info.direction) \(info.kind) \(info.index)" }

    mutating func messageHead(_ head: HTTPHead, bytes: Span<UInt8>, info: HTTPMessageInfo) {
        flush()
        var copy: [UInt8] = []
        for index in 0..<bytes.count { copy.append(bytes[index]) }
        heads.append((head, copy, info))
        let fields = head.headers.map { "\(head.string($0.name, in: bytes))=\(head.string($0.value, in: bytes))" }
        let line: String
        switch head.kind {
        case .request:
            line = "head req \(head.string(head.method ?? 0..<0, in: bytes)) \(head.string(head.target ?? 0..<0, in: bytes))"
        case .response:
            line = "head res \(head.status)"
        }
        let anomalies = Self.names(head.anomalies)
        compact.append(line + " " + Self.name(head.framing) + (anomalies.isEmpty ? "" : " [\(anomalies)]"))
        let reason = head.reason.map { head.string($0, in: bytes) } ?? "-"
        let request = info.request.map { "\($0.index):\($0.method) \($0.target) host=\($0.host ?? "-")" } ?? "none"
        detailed.append("\(line) reason=\(reason) v\(head.version.major).\(head.version.minor) len=\(head.headLength) "
            + "cl=\(head.contentLength.map(String.init) ?? "-") chunked=\(head.isChunked) close=\(head.connectionClose) "
            + "ka=\(head.keepAlive) expect=\(head.expectContinue) upgrade=\(head.upgrade) [\(anomalies)] "
            + "\(fields) \(Self.describe(info)) req=\(request)")
    }

    mutating func messageBody(_ bytes: Span<UInt8>, info: HTTPMessageInfo) {
        let key = Self.key(info)
        if pendingBody?.key != key { flush() }
        var chunk = pendingBody?.bytes ?? []
        for index in 0..<bytes.count { chunk.append(bytes[index]) }
        pendingBody = (key, chunk)
        bodies[key, default: []].append(contentsOf: (0..<bytes.count).map { bytes[$0] })
    }

    mutating func messageEnd(_ end: HTTPMessageEnd, bodyBytes: UInt64, info: HTTPMessageInfo, at: HTTPPosition) {
        flush()
        compact.append("end \(Self.name(end)) \(bodyBytes)")
        detailed.append("end \(Self.name(end)) \(bodyBytes) \(Self.describe(info)) at=\(at.offset)")
    }

    mutating func malformed(_ error: HTTPParseError, direction: UInt8, at: HTTPPosition) {
        flush()
        compact.append("malformed \(error) @\(at.offset)")
        detailed.append("malformed \(error) d\(direction) @\(at.offset)")
    }

    mutating func unansweredRequest(_ request: HTTPRequestSummary, reason: HTTPMessageEnd) {
        flush()
        compact.append("unanswered \(request.method) \(request.target) \(Self.name(reason))")
        detailed.append("unanswered #\(request.index) \(request.method) \(request.target) body=\(request.bodyBytes) "
            + "start=\(request.start.offset) \(Self.name(reason))")
    }

    /// Ends any body run so the logs show one body line per contiguous run of one message's body.
    mutating func flush() {
        guard let body = pendingBody else { return }
        pendingBody = nil
        let text = Self.escape(body.bytes)
        compact.append("body \(text)")
        detailed.append("body \(body.key) \(text)")
    }

    /// Both logs, with any trailing body run flushed.
    mutating func finished() -> (detailed: [String], compact: [String]) {
        flush()
        return (detailed, compact)
    }

    static func describe(_ info: HTTPMessageInfo) -> String {
        "d\(info.direction) \(info.kind)#\(info.index) start=\(info.start.offset)"
    }

    static func escape(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            switch byte {
            case 0x0D: text += "\\r"
            case 0x0A: text += "\\n"
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(byte))
            default: text += "\\x" + String(byte, radix: 16)
            }
        }
        return text
    }

    static func name(_ framing: HTTPBodyFraming) -> String {
        switch framing {
        case .none: "none"
        case .contentLength(let length): "cl(\(length))"
        case .chunked: "chunked"
        case .closeDelimited: "close"
        case .tunnel: "tunnel"
        }
    }

    static func name(_ end: HTTPMessageEnd) -> String {
        switch end {
        case .complete: "complete"
        case .incomplete(let gap): "incomplete(\(gap))"
        case .cutByClose: "cut"
        case .unfinishedAtEnd: "unfinished"
        case .tunnel: "tunnel"
        }
    }

    static func names(_ anomalies: HTTPAnomalies) -> String {
        let table: [(HTTPAnomalies, String)] = [
            (.bareLF, "bareLF"), (.obsFold, "obsFold"), (.duplicateContentLength, "dupCL"),
            (.conflictingContentLength, "conflictCL"), (.contentLengthWithTransferEncoding, "clte"),
            (.invalidContentLength, "badCL"), (.unknownTransferEncoding, "unknownTE"),
            (.whitespaceBeforeColon, "wsColon"), (.duplicateHost, "dupHost"), (.extraSpaces, "spaces"),
            (.leadingEmptyLines, "leadingCRLF"), (.transferEncodingInHTTP10, "te10"),
            (.controlCharacters, "ctl"), (.invalidHeaderLine, "badLine"),
        ]
        return table.filter { anomalies.contains($0.0) }.map(\.1).joined(separator: ",")
    }
}
