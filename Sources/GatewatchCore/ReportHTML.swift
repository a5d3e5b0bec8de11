// The --report page: one self-contained HTML file with inline CSS and server-drawn SVG charts.

import Rendering

/// Renders a run's report as one HTML page. Pure and deterministic: the same run gives the same
/// bytes (UTC times only, no clock, sorted tables). The page loads nothing: no scripts, no fonts,
/// no images from anywhere, and its Content-Security-Policy forbids them should any slip in. Every
/// string that came from packets goes through `HTMLText.escape`.
///
/// Key numbers carry stable ids and `data-` attributes (`id="total-responses"`,
/// `<tr data-status="502">`, `class="count"`) so tests and scripts can read them from the DOM.
public enum ReportHTML {
    /// The page for `outcome`; `source` names what was read (a file name or an interface).
    public static func page(_ outcome: RunOutcome, source: String) -> String {
        let report = outcome.report ?? ReportData()
        let summary = outcome.summary ?? RunSummary()
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Gatewatch report: \(HTMLText.escape(source))</title>
        <style>\(style)</style>
        </head>
        <body>
        <h1>Gatewatch report</h1>

        """
        html += header(outcome, source: source)
        html += headline(outcome)
        html += section(id: "rate", title: "Responses per second by status class") + rateChart(report.timeline) + "</section>\n"
        html += section(id: "latency", title: "Latency from request to response, by status") + latencyCharts(summary) + "</section>\n"
        html += section(id: "bad-gateways", title: "502 responses") + badGatewayTable(report) + "</section>\n"
        html += section(id: "summary", title: "Summary counts") + summaryTables(outcome, summary: summary) + "</section>\n"
        html += """
        <footer>Made by gatewatch from the capture alone: times are UTC, addresses are never looked up, \
        and frame numbers count from 1 as in Wireshark and tcpdump.</footer>
        </body>
        </html>

        """
        return html
    }

    /// What was read and when.
    private static func header(_ outcome: RunOutcome, source: String) -> String {
        let run = outcome.statistics
        var text = "<p class=\"meta\">Source <code id=\"source\">\(HTMLText.escape(source))</code>"
        if let first = run.firstTime, let last = run.lastTime {
            text += " · <span id=\"first-packet\">\(TimeFormat.absolute(first))</span> to "
                + "<span id=\"last-packet\">\(TimeFormat.absolute(last))</span> UTC"
                + " (" + TimeFormat.duration(last - first) + ")"
        }
        text += " · <span id=\"packets\">\(run.packets)</span> packets, \(run.bytes) bytes"
        if outcome.readError != nil { text += " · <strong>the capture file ended early (read error)</strong>" }
        return text + "</p>\n"
    }

    /// The few numbers someone on call looks at first.
    private static func headline(_ outcome: RunOutcome) -> String {
        let run = outcome.statistics
        let serverErrors = run.responsesByStatus.filter { (500...599).contains($0.key) }.reduce(0) { $0 + $1.value }
        let tiles: [(id: String, label: String, value: Int, alert: Bool)] = [
            ("total-requests", "requests", run.requests, false),
            ("total-responses", "responses", run.responses, false),
            ("total-502", "502 Bad Gateway", run.responsesByStatus[502] ?? 0, (run.responsesByStatus[502] ?? 0) > 0),
            ("total-5xx", "5xx in all", serverErrors, false),
            ("total-unanswered", "unanswered requests", run.unansweredRequests, false),
        ]
        var html = "<div class=\"tiles\">\n"
        for tile in tiles {
            html += "<div class=\"tile\(tile.alert ? " alert" : "")\"><span class=\"value\" id=\"\(tile.id)\">\(tile.value)</span>"
                + "<span class=\"label\">\(tile.label)</span></div>\n"
        }
        return html + "</div>\n"
    }

    private static func section(id: String, title: String) -> String {
        "<section id=\"\(id)\">\n<h2>\(title)</h2>\n"
    }

    /// The colour each status class is drawn in; 502s are red on top of them.
    static func colour(_ statusClass: StatusClass) -> String {
        switch statusClass {
        case .informational: "#9aa5b1"
        case .success: "#55a868"
        case .redirection: "#4c72b0"
        case .clientError: "#dd8452"
        case .serverError: "#8172b3"
        case .other: "#606060"
        }
    }

    /// The 502 marker colour.
    static let badGatewayColour = "#d62728"

    /// A coordinate with one decimal, the same on every machine.
    static func coordinate(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return sign + String(abs(tenths) / 10) + (abs(tenths) % 10 == 0 ? "" : "." + String(abs(tenths) % 10))
    }

    /// Inline CSS; system fonts only, so nothing is fetched.
    private static let style = """

    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
           margin: 24px auto; max-width: 1160px; padding: 0 16px; color: #1d232a; background: #ffffff; }
    h1 { font-size: 24px; margin: 0 0 4px; }
    h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #d9dee3; padding-bottom: 4px; }
    h3 { font-size: 14px; margin: 10px 0 2px; font-weight: 600; }
    p.meta, p.note, footer { color: #4d5761; font-size: 13px; }
    code, td.mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
    .tiles { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
    .tile { border: 1px solid #d9dee3; border-radius: 6px; padding: 10px 16px; min-width: 140px; }
    .tile .value { display: block; font-size: 26px; font-weight: 700; }
    .tile .label { color: #4d5761; font-size: 13px; }
    .tile.alert { border-color: #d62728; }
    .tile.alert .value { color: #d62728; }
    .legend { display: flex; flex-wrap: wrap; gap: 16px; font-size: 13px; margin: 4px 0 0 64px; }
    .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 5px; vertical-align: -1px; border-radius: 2px; }
    .charts { display: flex; flex-wrap: wrap; gap: 8px 24px; }
    .chart { flex: 0 0 540px; }
    svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 11px; fill: #4d5761; }
    svg .axis { stroke: #8a949e; stroke-width: 1; }
    svg .grid { stroke: #e6e9ec; stroke-width: 1; }
    table { border-collapse: collapse; font-size: 13px; margin: 8px 0 16px; }
    th, td { padding: 3px 10px; border-bottom: 1px solid #e6e9ec; text-align: left; vertical-align: top; }
    th { background: #f4f6f8; font-weight: 600; }
    td.count, td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    td.uri { max-width: 360px; overflow-wrap: anywhere; }
    td.time { white-space: nowrap; }
    tr.bad-gateway td.status { color: #d62728; font-weight: 700; }

    """
}
