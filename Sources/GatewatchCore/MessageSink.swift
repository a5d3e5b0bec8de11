// Receives HTTP events for every connection and turns the messages worth showing into records.

import Diagnosis
import HTTP1
import Rendering
import TCPReassembly

/// Endpoints and stream number of the connection whose bytes are being parsed.
struct ConnectionContext {
    var stream: Int
    /// Printed endpoints: the client's and the server's. Two strings rather than an array of
    /// two: an IPv4 "address:port" fits a string's inline storage, so a context is copied (at
    /// every change of connection while replaying) without a reference count or an allocation.
    var client: String
    var server: String
    /// The server's address alone: where a 502 on this connection was generated (the gateway).
    var serverAddress: String
    /// The source endpoint of `direction` (0: client→server, 1: server→client).
    func source(_ direction: UInt8) -> String { direction & 1 == 0 ? client : server }
    /// The destination endpoint of `direction`.
    func destination(_ direction: UInt8) -> String { direction & 1 == 0 ? server : client }

    /// The segment being fed: its first stream offset and its length, for "bytes remaining".
    var segmentOffset: UInt64 = 0
    var segmentLength = 0
    var segmentFrame: UInt64 = 0
}

/// The HTTP event handler: builds `MessageRecord`s for shown messages, diagnoses 502s, reports.
struct MessageSink: HTTPConnectionHandler {
    var context = ConnectionContext(stream: -1, client: "", server: "", serverAddress: "")
    let reporter: Reporter
    var statistics = RunStatistics()
    var legs = UpstreamLegTracker()
    private var generatorCache = GeneratorCache()
    /// Messages whose head was seen and whose end is still to come, by stream*2+direction.
    private var pending = StreamTable<MessageRecord>()
    /// The first bytes of 5xx bodies, for the generator's body markers.
    private var bodyPrefixes = StreamTable<[UInt8]>()
    private let bodyPrefixLimit = 4096
    private let filter: StatusFilter?
    /// `--summary`: gathered per message when asked for (and for `--report`, which shows it too).
    var summary: RunSummary?
    /// `--report`: responses over time and the 502 rows, gathered per message when asked for.
    var report: ReportData?
    /// `--write-matching`: told about matching responses and their upstream legs.
    var matcher: MatchingPacketWriter?

    init(reporter: Reporter) {
        self.reporter = reporter
        self.filter = reporter.options.statusFilter
        if reporter.options.summary || reporter.options.report { summary = RunSummary() }
        if reporter.options.report { report = ReportData() }
    }

    /// Whether a 5xx the filter hides still needs its record: the summary, the report and
    /// --write-matching diagnose 5xx responses whatever is shown (the report implies the summary).
    private var keepsHiddenErrors: Bool { summary != nil || matcher != nil }

    private func key(_ direction: UInt8) -> Int { context.stream &* 2 &+ Int(direction) }

    /// Takes `next` as the connection being fed. A stream's endpoint words never change, so for
    /// the stream already current only the segment's place is copied: assigning the whole context
    /// retained and released its strings on every segment (four atomic operations).
    @inline(__always)
    mutating func enter(_ next: ConnectionContext) {
        if context.stream == next.stream {
            context.segmentOffset = next.segmentOffset
            context.segmentLength = next.segmentLength
            context.segmentFrame = next.segmentFrame
        } else {
            context = next
        }
    }

    mutating func messageHead(_ head: HTTPHead, bytes: Span<UInt8>, info: HTTPMessageInfo) {
        let isRequest = head.kind == .request
        // A request's method and target as text: built at most once, and only when needed.
        var requestText: (method: String, target: String)?
        func requestStrings() -> (method: String, target: String) {
            if let requestText { return requestText }
            let text = (head.method.map { head.string($0, in: bytes) } ?? "", head.target.map { head.string($0, in: bytes) } ?? "")
            requestText = text
            return text
        }
        if isRequest {
            statistics.requests += 1
            // A leg keeps its first request only (the one a gateway sends on a fresh connection).
            if legs.awaitsRequest(stream: context.stream) {
                let (method, target) = requestStrings()
                legs.update(stream: context.stream) { leg in
                    leg.requestFrame = info.start.frame
                    leg.requestTime = info.start.time
                    leg.requestMethod = method
                    leg.requestTarget = target
                }
            }
            guard filter == nil else { return }
        } else {
            statistics.noteResponse(status: head.status)
            let status = head.status
            let invalid = head.anomalies.contains(.invalidHeaderLine)
            legs.update(stream: context.stream) { leg in
                leg.responseHeadComplete = true
                if leg.responseStatus == nil { leg.responseStatus = status }
                // A head with a line gateways refuse (nginx: "upstream sent invalid header").
                if invalid { leg.responseStartsWithStatusLine = false }
            }
            summary?.noteResponse(status: status, time: info.start.time, requestTime: info.request?.start.time)
            report?.noteResponse(status: status, time: info.start.time)
            if let filter, !filter.matches(head.status), !(keepsHiddenErrors && head.status >= 500) { return }
        }
        var record = MessageRecord(kind: isRequest ? .request : .response, frame: info.start.frame, time: info.start.time,
                                   stream: context.stream,
                                   source: context.source(info.direction),
                                   destination: context.destination(info.direction),
                                   version: Self.versionText(head.version))
        if isRequest {
            (record.method, record.uri) = requestStrings()
            record.host = head.header(named: "host", in: bytes).map { head.string($0, in: bytes) }
        } else {
            record.status = head.status
            record.reason = head.reason.map { head.string($0, in: bytes) } ?? ""
        }
        record.headers = head.headers.map { (head.string($0.name, in: bytes), head.string($0.value, in: bytes)) }
        record.anomalies = anomalyNames(head.anomalies)
        if info.start.frame == context.segmentFrame, info.start.offset >= context.segmentOffset {
            let startInSegment = Int(truncatingIfNeeded: info.start.offset - context.segmentOffset)
            record.bytesAfterHeadInFrame = max(0, context.segmentLength - startInSegment - head.headLength)
        }
        if let request = info.request {
            record.request = MessageRecord.PairedRequest(frame: request.start.frame, time: request.start.time, method: request.method,
                                                         uri: request.target, host: request.host, bodyBytes: request.bodyBytes)
        }
        pending.set(record, for: key(info.direction))
        if !isRequest && head.status >= 500 { bodyPrefixes.set([], for: key(info.direction)) }
    }

    /// Whether the body now being read in `direction` of the current connection is kept (a 5xx's first bytes).
    func keepsBody(direction: UInt8) -> Bool {
        !bodyPrefixes.isEmpty && bodyPrefixes.index(of: key(direction)) != nil
    }

    mutating func messageBody(_ bytes: Span<UInt8>, info: HTTPMessageInfo) {
        // Most body pieces belong to no 5xx: no hash lookup for them.
        guard !bodyPrefixes.isEmpty else { return }
        let slot = key(info.direction)
        guard let index = bodyPrefixes.index(of: slot), bodyPrefixes.values[index].count < bodyPrefixLimit else { return }
        let take = min(bytes.count, bodyPrefixLimit - bodyPrefixes.values[index].count)
        // One bulk copy: appending byte by byte checked the array's uniqueness at every byte.
        unsafe bytes.withUnsafeBufferPointer { unsafe bodyPrefixes.values[index].append(contentsOf: $0.prefix(take)) }
    }

    mutating func messageEnd(_ end: HTTPMessageEnd, bodyBytes: UInt64, info: HTTPMessageInfo, at: HTTPPosition) {
        let slot = key(info.direction)
        let prefix = bodyPrefixes.isEmpty ? nil : bodyPrefixes.removeValue(for: slot)
        guard !pending.isEmpty, var record = pending.removeValue(for: slot) else { return }
        record.bodyBytes = bodyBytes
        switch end {
        case .complete: record.completion = .complete
        case .incomplete(let gapBytes): record.completion = .incomplete(gapBytes: gapBytes); statistics.incompleteMessages += 1
        case .cutByClose: record.completion = .cutByClose; statistics.incompleteMessages += 1
        case .unfinishedAtEnd: record.completion = .unfinished; statistics.incompleteMessages += 1
        case .tunnel: record.completion = .tunnel
        }
        var legStream: Int?
        if record.kind == .response, record.status == 502 {
            (record.diagnosis, legStream) = diagnose(record, bodyPrefix: prefix ?? [])
        }
        if record.kind == .response, record.status >= 500 {
            noteError(record, bodyPrefix: prefix ?? [], legStream: legStream)
            if let filter, !filter.matches(record.status) { return }
        }
        if filter != nil, record.kind == .response, let request = record.request {
            // --status shows matching responses with their requests: print the request first.
            var requestRecord = MessageRecord(kind: .request, frame: request.frame, time: request.time, stream: record.stream,
                                              source: record.destination, destination: record.source, version: record.version)
            requestRecord.method = request.method
            requestRecord.uri = request.uri
            requestRecord.host = request.host
            requestRecord.bodyBytes = request.bodyBytes
            if !reporter.options.json { reporter.emit(requestRecord) }
        }
        reporter.emit(record)
    }

    mutating func malformed(_ error: HTTPParseError, direction: UInt8, at: HTTPPosition) {
        statistics.malformed += 1
        if direction == StreamDirection.serverToClient.rawValue {
            // A response head the parser rejects is what a gateway calls an invalid upstream response.
            legs.update(stream: context.stream) { leg in
                if !leg.responseHeadComplete { leg.responseStartsWithStatusLine = false }
            }
        }
        guard filter == nil else { return }
        reporter.note(frame: at.frame, time: at.time, source: context.source(direction),
                      destination: context.destination(direction), text: "HTTP: [malformed: \(error.description)]")
    }

    mutating func unansweredRequest(_ request: HTTPRequestSummary, reason: HTTPMessageEnd) {
        statistics.unansweredRequests += 1
        guard filter == nil else { return }
        let why: String
        switch reason {
        case .unfinishedAtEnd: why = "capture ended"
        default: why = "connection closed"
        }
        reporter.note(frame: request.start.frame, time: request.start.time, source: context.client, destination: context.server,
                      text: "HTTP:No response to " + SafeText.escape(request.method) + " " + SafeText.escape(request.target) + " (\(why))")
    }

    /// A finished 5xx for the summary and --write-matching. A 504 is diagnosed here too (for them
    /// only: its printed line stays as it was), at the same per-response cost as a 502.
    private mutating func noteError(_ record: MessageRecord, bodyPrefix: [UInt8], legStream: Int?) {
        guard keepsHiddenErrors else { return }
        var diagnosis = record.diagnosis
        var leg = legStream
        if record.status == 504 { (diagnosis, leg) = diagnose(record, bodyPrefix: bodyPrefix) }
        summary?.noteError(status: record.status, diagnosis: diagnosis, method: record.request?.method, uri: record.request?.uri)
        if record.status == 502, let diagnosis { report?.noteBadGateway(record, diagnosis: diagnosis) }
        if let matcher, matcher.filter.matches(record.status) {
            matcher.markMatching(leg.map { [record.stream, $0] } ?? [record.stream])
        }
    }

    /// The diagnosis of a gateway error, and the stream of the upstream leg it was tied to.
    private mutating func diagnose(_ record: MessageRecord, bodyPrefix: [UInt8]) -> (Diagnosis, Int?) {
        let evidence = ResponseEvidence(status: record.status, reason: record.reason, headers: record.headers, bodyPrefix: bodyPrefix)
        let exchange = ClientExchange(stream: record.stream,
                                      requestFrame: record.request?.frame, requestTime: record.request?.time,
                                      requestMethod: record.request?.method, requestTarget: record.request?.uri,
                                      requestHost: record.request?.host, requestBodyBytes: record.request?.bodyBytes ?? 0,
                                      responseFrame: record.frame, responseTime: record.time, status: record.status,
                                      gatewayAddress: context.serverAddress)
        // Without a request, upstream legs of the ten minutes before the 502 (longer than any gateway timeout we know).
        let candidates = legs.candidates(excluding: record.stream, requestTime: record.request?.time, responseTime: record.time,
                                         window: 600 * 1_000_000_000)
        return Diagnoser.diagnoseWithLeg(exchange, evidence: evidence, legs: candidates, cache: &generatorCache)
    }

    /// "HTTP/1.1" and "HTTP/1.0" without interpolating (which cost 700 instructions a 5xx, callgrind).
    private static func versionText(_ version: HTTPVersion) -> String {
        switch (version.major, version.minor) {
        case (1, 1): "HTTP/1.1"
        case (1, 0): "HTTP/1.0"
        default: "HTTP/\(version.major).\(version.minor)"
        }
    }

    private func anomalyNames(_ anomalies: HTTPAnomalies) -> [String] {
        var names: [String] = []
        if anomalies.contains(.contentLengthWithTransferEncoding) { names.append("request smuggling risk: Content-Length with Transfer-Encoding") }
        if anomalies.contains(.conflictingContentLength) { names.append("conflicting Content-Length headers") }
        if anomalies.contains(.duplicateContentLength) { names.append("duplicate Content-Length") }
        if anomalies.contains(.invalidContentLength) { names.append("invalid Content-Length") }
        if anomalies.contains(.obsFold) { names.append("obsolete line folding") }
        if anomalies.contains(.bareLF) { names.append("bare LF line endings") }
        if anomalies.contains(.invalidHeaderLine) { names.append("invalid header line skipped") }
        if anomalies.contains(.controlCharacters) { names.append("control characters in the start line or a header value") }
        return names
    }
}
