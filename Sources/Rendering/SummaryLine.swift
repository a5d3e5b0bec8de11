// One line per HTTP message, Netmon's Description column with the frame, time and endpoints.

/// How strongly a line should stand out; the output writer maps this to colour or nothing.
public enum Highlight: Sendable, Equatable {
    case none
    case serverError     // 5xx other than 502
    case badGateway      // 502: bold red, and a `!` in the gutter even without colour
}

/// Summary lines:
/// `    1  2005-08-23 20:25:47.000000  216.162.16.92:80 → 10.200.4.21:21937  HTTP:Response, HTTP/1.1, Status: Bad gateway`
public enum SummaryLine {
    /// The line for `record`, with `timeText` already formatted for the chosen time display.
    public static func render(_ record: MessageRecord, timeText: String) -> String {
        var line = LineBytes()
        render(record, timeText: timeText, into: &line)
        return line.string
    }

    /// Appends the line for `record` (without a newline) to `line`.
    public static func render(_ record: MessageRecord, timeText: String, into line: inout LineBytes) {
        render(record, into: &line) { $0.append(timeText) }
    }

    /// Appends the line for `record` (without a newline) to `line`, its time written by `appendTime`.
    public static func render(_ record: MessageRecord, into line: inout LineBytes, time appendTime: (inout LineBytes) -> Void) {
        line.append(highlight(of: record) == .badGateway ? "!" : " ")
        line.appendDecimal(record.frame, width: 4)
        line.append("  ")
        appendTime(&line)
        line.append("  ")
        line.appendEscaped(record.source)
        line.append(" → ")
        line.appendEscaped(record.destination)
        line.append("  ")
        appendNetmonDescription(record, to: &line)
        appendAnnotations(record, to: &line)
    }

    /// Netmon's description: `HTTP:Request, GET /path, Query:a=1` or
    /// `HTTP:Response, HTTP/1.1, Status: Bad gateway, URL: /path`.
    static func appendNetmonDescription(_ record: MessageRecord, to line: inout LineBytes) {
        switch record.kind {
        case .request:
            line.append("HTTP:Request, ")
            line.appendEscaped(record.method)
            line.append(" ")
            // A byte search ("?" is ASCII, so the UTF-8 index is a valid String index).
            if let mark = record.uri.utf8.firstIndex(of: UInt8(ascii: "?")) {
                line.appendEscaped(record.uri[..<mark])
                line.append(", Query:")
                line.appendEscaped(record.uri[record.uri.index(after: mark)...])
            } else {
                line.appendEscaped(record.uri)
            }
        case .response:
            line.append("HTTP:Response, ")
            line.appendEscaped(record.version)
            line.append(", Status: ")
            line.append(HTTPStatusText.netmonName(record.status))
            if let request = record.request {
                line.append(", URL: ")
                line.appendEscaped(request.uri)
            }
        }
    }

    /// The bracketed notes after the description: how the message ended, anomalies, diagnosis.
    static func appendAnnotations(_ record: MessageRecord, to line: inout LineBytes) {
        switch record.completion {
        case .complete: break
        case .incomplete(let gapBytes):
            line.append("  [incomplete: ")
            line.appendDecimal(gapBytes)
            line.append(" bytes not captured]")
        case .cutByClose: line.append("  [cut: connection closed mid-message]")
        case .unfinished: line.append("  [unfinished at end of capture]")
        case .tunnel: line.append("  [tunnel: what follows is not HTTP]")
        }
        for anomaly in record.anomalies {
            line.append("  [")
            line.appendEscaped(anomaly)
            line.append("]")
        }
        if let diagnosis = record.diagnosis {
            line.append("  [")
            DiagnosisText.appendShort(diagnosis, to: &line)
            line.append("]")
        }
    }

    /// Which highlight a message gets.
    public static func highlight(of record: MessageRecord) -> Highlight {
        guard record.kind == .response else { return .none }
        if record.status == 502 { return .badGateway }
        return record.status >= 500 && record.status < 600 ? .serverError : .none
    }

}
