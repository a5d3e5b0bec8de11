// The report's latency histograms: one small bar chart per status, on shared log-scale bins.

import Rendering

extension ReportHTML {
    /// Geometry of one latency chart, in SVG user units.
    private enum LatencyLayout {
        static let width = 540.0, height = 200.0
        static let left = 12.0, right = 528.0, top = 18.0, bottom = 160.0
        static let labelBaseline = 174.0
    }

    /// One histogram per status whose responses had their requests captured, all over the same
    /// bins (from the lowest bin any status uses to the highest) so they compare at a glance.
    static func latencyCharts(_ summary: RunSummary) -> String {
        let rows = summary.latencyRows
        let histograms: [(row: RunSummary.LatencyRow, counts: [Int])] = rows.compactMap { row in
            summary.latencyHistogram(status: row.status).map { (row, $0.counts(splitAt: LatencyBins.edges)) }
        }
        guard !histograms.isEmpty else {
            return "<p class=\"note\" id=\"latency-empty\">No response had its request in the capture, so no latency was measured.</p>\n"
        }
        let used = histograms.flatMap { histogram in histogram.counts.indices.filter { histogram.counts[$0] > 0 } }
        let first = used.min() ?? 0, last = used.max() ?? 0
        var html = "<p class=\"note\">Bars are counts of responses in log-scale bins (edges in ms, each bin from its left edge up to "
            + "the next); a count may sit one bin low when it is within 6.25 % of an edge. Percentiles are from the same "
            + "histograms, as in <code>--summary</code>.</p>\n<div class=\"charts\">\n"
        for (row, counts) in histograms {
            html += latencyChart(row, counts: Array(counts[first...last]), firstBin: first)
        }
        return html + "</div>\n"
    }

    private static func latencyChart(_ row: RunSummary.LatencyRow, counts: [Int], firstBin: Int) -> String {
        typealias L = LatencyLayout
        let status = row.status
        let fill = status == 502 ? badGatewayColour : colour(StatusClass(status: status))
        let phrase = HTTPStatusText.phrase(status).map { " " + $0 } ?? ""
        var html = "<div class=\"chart\"><h3>\(status)\(phrase)</h3>"
            + "<p class=\"note\">\(row.count) timed · p50 \(SummaryText.milliseconds(row.p50)) ms · p90 \(SummaryText.milliseconds(row.p90)) ms"
            + " · p99 \(SummaryText.milliseconds(row.p99)) ms · max \(SummaryText.milliseconds(row.max)) ms</p>\n"
        html += "<svg class=\"latency-chart\" role=\"img\" viewBox=\"0 0 \(Int(L.width)) \(Int(L.height))\" width=\"\(Int(L.width))\" "
            + "height=\"\(Int(L.height))\" data-status=\"\(status)\" data-count=\"\(row.count)\" "
            + "aria-label=\"Latency histogram of \(status) responses\">\n"
        let slot = (L.right - L.left) / Double(counts.count)
        let tallest = Double(max(1, counts.max() ?? 1))
        for (offset, count) in counts.enumerated() {
            let bin = firstBin + offset
            let lower = LatencyBins.milliseconds(LatencyBins.lowerEdge(ofBin: bin))
            let range = bin + 1 < LatencyBins.count ? lower + "–" + LatencyBins.milliseconds(LatencyBins.edges[bin]) + " ms" : "≥ " + lower + " ms"
            let height = Double(count) / tallest * (L.bottom - L.top)
            let x = L.left + Double(offset) * slot + 1
            html += "<rect data-from-ms=\"\(lower)\" data-count=\"\(count)\" x=\"\(coordinate(x))\" y=\"\(coordinate(L.bottom - height))\" "
                + "width=\"\(coordinate(max(1, slot - 2)))\" height=\"\(coordinate(height))\" fill=\"\(fill)\">"
                + "<title>\(range): \(count)</title></rect>"
            if count > 0 {
                html += "<text x=\"\(coordinate(x + (slot - 2) / 2))\" y=\"\(coordinate(L.bottom - height - 4))\" text-anchor=\"middle\">\(count)</text>"
            }
            html += "\n"
        }
        html += "<line class=\"axis\" x1=\"\(Int(L.left))\" x2=\"\(Int(L.right))\" y1=\"\(Int(L.bottom))\" y2=\"\(Int(L.bottom))\"/>\n"
        // Edge labels: every edge when they fit, else the powers of ten only.
        let labelAll = counts.count <= 12
        for offset in 0...counts.count {
            let bin = firstBin + offset
            guard bin < LatencyBins.count else { continue }
            let edge = LatencyBins.lowerEdge(ofBin: bin)
            guard labelAll || isPowerOfTen(edge) else { continue }
            let x = coordinate(L.left + Double(offset) * slot)
            html += "<line class=\"axis\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(Int(L.bottom))\" y2=\"\(Int(L.bottom) + 3)\"/>"
            html += "<text x=\"\(x)\" y=\"\(Int(L.labelBaseline))\" text-anchor=\"middle\">\(LatencyBins.milliseconds(edge))</text>\n"
        }
        html += "<text x=\"\(Int(L.right))\" y=\"\(Int(L.height) - 6)\" text-anchor=\"end\">latency, ms (log scale)</text>\n"
        return html + "</svg></div>\n"
    }

    private static func isPowerOfTen(_ value: Int64) -> Bool {
        var value = value
        guard value > 0 else { return value == 0 }
        while value % 10 == 0 { value /= 10 }
        return value == 1
    }
}
