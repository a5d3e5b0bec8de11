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
        // Appended into one reserved string: a chain of `+` built a new string at every step.
        var line = ""
        line.reserveCapacity(160 + timeText.utf8.count + record.source.utf8.count + record.destination.utf8.count)
        line += highlight(of: record) == .badGateway ? "!" : " "
        line += Padding.left(String(record.frame), 4)
        line += "  "
        line += timeText
        line += "  "
        line += SafeText.escape(record.source)
        line += " → "
        line += SafeText.escape(record.destination)
        line += "  "
        line += netmonDescription(record)
        line += annotations(record)
        return line
    }

    /// Netmon's description: `HTTP:Request, GET /path, Query:a=1` or
    /// `HTTP:Response, HTTP/1.1, Status: Bad gateway, URL: /path`.
    public static func netmonDescription(_ record: MessageRecord) -> String {
        switch record.kind {
        case .request:
            let (path, query) = splitQuery(record.uri)
            var text = "HTTP:Request, " + SafeText.escape(record.method) + " " + SafeText.escape(path)
            if let query { text += ", Query:" + SafeText.escape(query) }
            return text
        case .response:
            var text = "HTTP:Response, "
            text += SafeText.escape(record.version)
            text += ", Status: "
            text += HTTPStatusText.netmonName(record.status)
            if let request = record.request {
                text += ", URL: "
                text += SafeText.escape(request.uri)
            }
            return text
        }
    }

    /// The bracketed notes after the description: how the message ended, anomalies, diagnosis.
    public static func annotations(_ record: MessageRecord) -> String {
        var text = ""
        switch record.completion {
        case .complete: break
        case .incomplete(let gapBytes): text += "  [incomplete: \(gapBytes) bytes not captured]"
        case .cutByClose: text += "  [cut: connection closed mid-message]"
        case .unfinished: text += "  [unfinished at end of capture]"
        case .tunnel: text += "  [tunnel: what follows is not HTTP]"
        }
        for anomaly in record.anomalies { text += "  [" + SafeText.escape(anomaly) + "]" }
        if let diagnosis = record.diagnosis {
            text += "  [" + DiagnosisText.short(diagnosis) + "]"
        }
        return text
    }

    /// Which highlight a message gets.
    public static func highlight(of record: MessageRecord) -> Highlight {
        guard record.kind == .response else { return .none }
        if record.status == 502 { return .badGateway }
        return record.status >= 500 && record.status < 600 ? .serverError : .none
    }

    static func splitQuery(_ uri: String) -> (String, String?) {
        // A byte search ("?" is ASCII, so the UTF-8 index is a valid String index).
        guard let mark = uri.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (uri, nil) }
        return (String(uri[..<mark]), String(uri[uri.index(after: mark)...]))
    }

}
