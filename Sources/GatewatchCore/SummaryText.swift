// The --summary block: text lines after the messages, or one JSON object with --json.

import Rendering
import TCPReassembly

/// Renders a run's summary. Pure: it returns lines, the caller writes them.
public enum SummaryText {
    /// The summary as aligned text lines.
    public static func lines(_ outcome: RunOutcome) -> [String] {
        let run = outcome.statistics, tcp = outcome.reassembly
        let summary = outcome.summary ?? RunSummary()
        var lines = ["Summary: \(run.responses) responses to \(run.requests) requests"]
        let statuses = run.responsesByStatus.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        lines.append("Responses by status: " + (statuses.isEmpty ? "none" : statuses.joined(separator: ", ")))

        let errors = summary.errorRows
        if !errors.isEmpty {
            lines.append("5xx by generator and cause:")
            let generators = errors.map { $0.key.generator?.displayName ?? "not diagnosed" }
            let causes = errors.map { $0.key.cause?.rawValue ?? "-" }
            let generatorWidth = generators.map(\.count).max() ?? 0
            let causeWidth = causes.map(\.count).max() ?? 0
            for (index, row) in errors.enumerated() {
                lines.append("  \(row.key.status)  " + Padding.right(generators[index], generatorWidth) + "  "
                             + Padding.right(causes[index], causeWidth) + "  " + Padding.left(String(row.count), 6))
            }
        }

        let latencies = summary.latencyRows
        if !latencies.isEmpty {
            let timed = latencies.reduce(0) { $0 + $1.count }
            let untimed = run.responses - timed
            lines.append("Latency from request to response, ms" + (untimed > 0 ? " (\(untimed) responses without their request not counted):" : ":"))
            lines.append("  status   count        p50        p90        p99        max")
            for row in latencies {
                lines.append("  " + Padding.left(String(row.status), 6) + Padding.left(String(row.count), 8)
                             + [row.p50, row.p90, row.p99, row.max].map { Padding.left(milliseconds($0), 11) }.joined())
            }
        }

        let urls = summary.topURLs()
        if !urls.isEmpty {
            lines.append("Top 502 URLs:" + (summary.urlOverflow > 0 ? " (\(summary.urlOverflow) 502s past the \(summary.urlCapacity)-URL table not counted)" : ""))
            let methodWidth = max(6, urls.map { SafeText.escape($0.key.method).count }.max() ?? 0)
            lines.append("   count  " + Padding.right("method", methodWidth) + "  URI")
            for row in urls {
                lines.append("  " + Padding.left(String(row.count), 6) + "  " + Padding.right(SafeText.escape(row.key.method), methodWidth)
                             + "  " + SafeText.escape(row.key.uri))
            }
        }

        var drops = "Gaps and drops: \(tcp.gaps) gaps (\(tcp.gapBytes) bytes), \(run.incompleteMessages) incomplete messages, "
            + "\(run.malformed) malformed, \(run.unansweredRequests) unanswered requests"
        if tcp.connectionsEvicted > 0 { drops += ", \(tcp.connectionsEvicted) connections evicted" }
        lines.append(drops)
        return lines
    }

    /// The summary as one JSON object, `{"type":"summary",…}`.
    public static func json(_ outcome: RunOutcome) -> String {
        let run = outcome.statistics, tcp = outcome.reassembly
        let summary = outcome.summary ?? RunSummary()
        var object = JSONObject()
        object.add("type", "summary")
        object.add("requests", run.requests)
        object.add("responses", run.responses)
        var byStatus = JSONObject()
        for (status, count) in run.responsesByStatus.sorted(by: { $0.key < $1.key }) { byStatus.add(String(status), count) }
        object.add("by_status", byStatus)
        object.add("errors", raw: JSONObject.array(summary.errorRows.map { row in
            var item = JSONObject()
            item.add("status", row.key.status)
            // The same identifiers as each message's "diagnosis"; null when the status is not diagnosed.
            if let generator = row.key.generator { item.add("generator", generator.rawValue) } else { item.addNull("generator") }
            if let cause = row.key.cause { item.add("cause", cause.rawValue) } else { item.addNull("cause") }
            item.add("count", row.count)
            return item.rendered
        }))
        var latency = JSONObject()
        for row in summary.latencyRows {
            var item = JSONObject()
            item.add("count", row.count)
            item.add("p50", number: Double(row.p50) / 1e6)
            item.add("p90", number: Double(row.p90) / 1e6)
            item.add("p99", number: Double(row.p99) / 1e6)
            item.add("max", number: Double(row.max) / 1e6)
            latency.add(String(row.status), item)
        }
        object.add("latency_ms", latency)
        object.add("top_502_urls", raw: JSONObject.array(summary.topURLs().map { row in
            var item = JSONObject()
            item.add("count", row.count)
            item.add("method", row.key.method)
            item.add("uri", row.key.uri)
            return item.rendered
        }))
        object.add("urls_not_counted", summary.urlOverflow)
        object.add("gaps", tcp.gaps)
        object.add("gap_bytes", tcp.gapBytes)
        object.add("incomplete", run.incompleteMessages)
        object.add("malformed", run.malformed)
        object.add("unanswered", run.unansweredRequests)
        object.add("connections_evicted", tcp.connectionsEvicted)
        return object.rendered
    }

    /// Nanoseconds as milliseconds with three decimals, rounded half up as the JSON numbers are.
    static func milliseconds(_ nanoseconds: Int64) -> String {
        let micro = max(0, nanoseconds) / 1000 + (max(0, nanoseconds) % 1000 >= 500 ? 1 : 0)
        let fraction = String(micro % 1000)
        return String(micro / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

}
