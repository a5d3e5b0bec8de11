// The report's first chart: responses per second, stacked by status class, with the 502s in red.

import Rendering

extension ReportHTML {
    /// Geometry of the rate chart, in SVG user units.
    private enum RateLayout {
        static let width = 1120.0, height = 330.0
        static let left = 64.0, right = 1084.0, top = 14.0, bottom = 252.0
        /// The strip under the plot where each bin holding a 502 gets a red tick.
        static let rugTop = 258.0, rugBottom = 270.0
        static let labelBaseline = 288.0
    }

    /// One stacked layer: a status class, with the 502s taken out of 5xx into a red layer of their own.
    private struct Layer: Sendable {
        var name: String
        var colour: String
        var count: @Sendable (ResponseTimeline, Int) -> Int
    }

    /// Stacking order, bottom to top: errors sit on top where they are easiest to see, 502s topmost.
    private static let layers: [Layer] = [StatusClass.success, .redirection, .informational, .other, .clientError].map { statusClass in
        Layer(name: statusClass.label, colour: colour(statusClass)) { $0.count(statusClass, inBin: $1) }
    } + [
        Layer(name: "5xx except 502", colour: colour(.serverError)) { $0.count(.serverError, inBin: $1) - $0.badGateways(inBin: $1) },
        Layer(name: "502", colour: badGatewayColour) { $0.badGateways(inBin: $1) },
    ]

    /// The stacked step chart of responses per second with the 502s as the red top layer, a red
    /// tick under each bin that holds a 502 (a lone 502 in a busy hour still shows), and a legend.
    static func rateChart(_ collected: ResponseTimeline) -> String {
        typealias L = RateLayout
        // At least two pixels per bar: wider bins are the collected ones folded further.
        let timeline = collected.folded(toAtMost: Int((L.right - L.left) / 2))
        let bins = timeline.binCount
        guard bins > 0 else { return "<p class=\"note\" id=\"rate-empty\">No responses in this capture.</p>\n" }
        let seconds = Double(timeline.binSeconds)
        let binWidth = (L.right - L.left) / Double(bins)
        func x(_ bin: Int) -> Double { L.left + Double(bin) * binWidth }

        var totals = [Int](repeating: 0, count: bins)
        for bin in 0..<bins { for statusClass in StatusClass.allCases { totals[bin] += timeline.count(statusClass, inBin: bin) } }
        let (scaleTop, scaleStep) = rateScale(peak: Double(totals.max() ?? 0) / seconds)
        func y(_ count: Int) -> Double { L.bottom - Double(count) / seconds / scaleTop * (L.bottom - L.top) }

        let start = timeline.startTime(ofBin: 0), end = timeline.startTime(ofBin: bins)
        var svg = "<svg id=\"rate-chart\" role=\"img\" viewBox=\"0 0 \(Int(L.width)) \(Int(L.height))\" width=\"\(Int(L.width))\" "
            + "height=\"\(Int(L.height))\" data-bin-seconds=\"\(timeline.binSeconds)\" data-bins=\"\(bins)\" "
            + "data-collected-bin-seconds=\"\(collected.binSeconds)\" "
            + "data-responses=\"\(timeline.totalResponses)\" data-bad-gateways=\"\(timeline.totalBadGateways)\" "
            + "aria-label=\"Responses per second by status class, \(timeline.binSeconds)-second bins\">\n"

        // Horizontal grid and the rate scale.
        svg += "<text x=\"\(Int(L.left) - 6)\" y=\"\(Int(L.bottom))\" dy=\"4\" text-anchor=\"end\">0</text>\n"
        let gridLines = Int((scaleTop / scaleStep).rounded())
        for tick in (1...gridLines).map({ scaleTop * Double($0) / Double(gridLines) }) {
            let tickY = coordinate(L.bottom - tick / scaleTop * (L.bottom - L.top))
            svg += "<line class=\"grid\" x1=\"\(Int(L.left))\" x2=\"\(Int(L.right))\" y1=\"\(tickY)\" y2=\"\(tickY)\"/>"
            svg += "<text x=\"\(Int(L.left) - 6)\" y=\"\(tickY)\" dy=\"4\" text-anchor=\"end\">\(rateText(tick, step: scaleStep))</text>\n"
        }

        // One closed step outline per layer: along the top of the layer, back along its bottom.
        var below = [Int](repeating: 0, count: bins)
        for layer in layers {
            let counts = (0..<bins).map { layer.count(timeline, $0) }
            guard counts.contains(where: { $0 > 0 }) else { continue }
            let above = zip(below, counts).map { $0 + $1 }
            var path = "M" + coordinate(x(0)) + " " + coordinate(y(above[0]))
            path += steps(above.map(y), x: x, forward: true)
            path += "V" + coordinate(y(below[bins - 1]))
            path += steps(below.map(y), x: x, forward: false)
            svg += "<path class=\"layer\" data-layer=\"\(layer.name)\" fill=\"\(layer.colour)\" d=\"\(path)Z\"/>\n"
            below = above
        }

        var rug = ""
        for bin in 0..<bins where timeline.badGateways(inBin: bin) > 0 {
            rug += "M" + coordinate(x(bin) + binWidth / 2) + " \(Int(L.rugTop))V\(Int(L.rugBottom))"
        }
        if !rug.isEmpty {
            let tickWidth = coordinate(max(1.5, min(6, binWidth * 0.8)))
            svg += "<path id=\"bad-gateway-ticks\" stroke=\"\(badGatewayColour)\" stroke-width=\"\(tickWidth)\" d=\"\(rug)\"/>\n"
        }

        // Axes and UTC time labels.
        svg += "<line class=\"axis\" x1=\"\(Int(L.left))\" x2=\"\(Int(L.right))\" y1=\"\(Int(L.bottom))\" y2=\"\(Int(L.bottom))\"/>"
        svg += "<line class=\"axis\" x1=\"\(Int(L.left))\" x2=\"\(Int(L.left))\" y1=\"\(Int(L.top))\" y2=\"\(Int(L.bottom))\"/>\n"
        for tick in timeTicks(from: start, to: end) {
            let tickX = coordinate(L.left + Double(tick.time - start) / Double(end - start) * (L.right - L.left))
            svg += "<line class=\"axis\" x1=\"\(tickX)\" x2=\"\(tickX)\" y1=\"\(Int(L.bottom))\" y2=\"\(Int(L.bottom) + 4)\"/>"
            svg += "<text x=\"\(tickX)\" y=\"\(Int(L.labelBaseline))\" text-anchor=\"middle\">\(tick.label)</text>\n"
        }
        svg += "<text x=\"\(Int(L.left))\" y=\"\(Int(L.height) - 14)\">time, UTC</text>"
        svg += "<text x=\"\(Int(L.left) - 50)\" y=\"\(Int(L.top) + 2)\" dy=\"-2\" transform=\"rotate(-90 \(Int(L.left) - 50) \(Int(L.top) + 2))\" "
            + "text-anchor=\"end\">responses per second</text>\n"
        svg += "</svg>\n"
        return svg + rateLegend(timeline, bins: bins) + rateNote(timeline, collected: collected, start: start, end: end)
    }

    /// The path steps across the bins: `forward` walks left to right along `levels` (a level per
    /// bin), otherwise right to left; a level equal to its neighbour's adds nothing.
    private static func steps(_ levels: [Double], x: (Int) -> Double, forward: Bool) -> String {
        var path = ""
        let count = levels.count
        if forward {
            for bin in 0..<count {
                if bin + 1 < count, coordinate(levels[bin + 1]) == coordinate(levels[bin]) { continue }
                path += "H" + coordinate(x(bin + 1))
                if bin + 1 < count { path += "V" + coordinate(levels[bin + 1]) }
            }
        } else {
            for bin in stride(from: count - 1, through: 0, by: -1) {
                if bin > 0, coordinate(levels[bin - 1]) == coordinate(levels[bin]) { continue }
                path += "H" + coordinate(x(bin))
                if bin > 0 { path += "V" + coordinate(levels[bin - 1]) }
            }
        }
        return path
    }

    /// Swatches with the count of each layer present.
    private static func rateLegend(_ timeline: ResponseTimeline, bins: Int) -> String {
        var html = "<div class=\"legend\">"
        for layer in layers {
            let count = (0..<bins).reduce(0) { $0 + layer.count(timeline, $1) }
            guard count > 0 else { continue }
            html += "<span data-layer=\"\(layer.name)\"><span class=\"swatch\" style=\"background:\(layer.colour)\"></span>"
                + "\(layer.name) <span class=\"count\">\(count)</span></span>"
        }
        return html + "</div>\n"
    }

    private static func rateNote(_ timeline: ResponseTimeline, collected: ResponseTimeline, start: Int64, end: Int64) -> String {
        var note = "<p class=\"note\">Each response is counted in the second its head began, drawn as \(timeline.binCount) bars of "
            + "\(timeline.binSeconds) s from \(TimeFormat.absolute(start)) to \(TimeFormat.absolute(end)) UTC"
        if timeline.binSeconds > 1 { note += "; a bar's height is its average per second" }
        if collected.binSeconds > 1 {
            note += "; the responses span more than \(collected.capacity) seconds, so they were counted in bins of "
                + "\(collected.binSeconds) s to keep memory bounded"
        }
        return note + ".</p>\n"
    }

    /// The rate scale: grid lines every `step` (1, 2 or 5 times a power of ten, at most five of
    /// them up to the peak) and the top, the first grid line at or above the peak.
    static func rateScale(peak: Double) -> (top: Double, step: Double) {
        guard peak > 0 else { return (1, 0.2) }
        // step = mantissa × 10^exponent; below 1 it is divided, not multiplied, so 0.05 × 3 is 0.15 exactly.
        let rough = peak / 5
        var exponent = 0
        while power(exponent) > rough { exponent -= 1 }
        while power(exponent + 1) <= rough { exponent += 1 }
        let mantissa = [1.0, 2.0, 5.0, 10.0].first { $0 * power(exponent) >= rough } ?? 10
        let step = scaled(mantissa, exponent)
        let count = (peak / step * (1 - 1e-9)).rounded(.up)
        return (scaled(count * mantissa, exponent), step)
    }

    /// 10^exponent.
    private static func power(_ exponent: Int) -> Double { scaled(1, exponent) }

    /// value × 10^exponent, dividing for negative exponents so decimal fractions come out as written.
    private static func scaled(_ value: Double, _ exponent: Int) -> Double {
        var factor = 1.0
        for _ in 0..<abs(exponent) { factor *= 10 }
        return exponent < 0 ? value / factor : value * factor
    }

    /// A rate for the scale, with as many decimals as the grid `step` needs: `250`, `0.5`, `0.002`.
    private static func rateText(_ value: Double, step: Double) -> String {
        var decimals = 0, scale = 1.0
        while step * scale < 0.999_999, decimals < 9 { decimals += 1; scale *= 10 }
        let scaled = Int((value * scale).rounded()), whole = Int(scale.rounded())
        guard decimals > 0 else { return String(scaled) }
        let fraction = String(scaled % whole)
        return String(scaled / whole) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// At most about eight round UTC times across `start..<end` (nanoseconds), with labels whose
    /// precision suits the spacing.
    private static func timeTicks(from start: Int64, to end: Int64) -> [(time: Int64, label: String)] {
        let span = max(1, (end - start) / 1_000_000_000)
        let steps: [Int64] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400,
                              172_800, 604_800, 1_209_600, 2_419_200, 31_536_000]
        let step = steps.first { span / $0 <= 8 } ?? (span / 8 + 1)
        let stepNanoseconds = step * 1_000_000_000
        var time = (start + stepNanoseconds - 1) / stepNanoseconds * stepNanoseconds
        let acrossDays = (end - start) > 86_400 * 1_000_000_000
        var ticks: [(Int64, String)] = []
        while time <= end {
            let text = TimeFormat.absolute(time)             // 2026-11-22 20:25:47.000000
            let date = text.dropFirst(5).prefix(5), clock = text.dropFirst(11)
            var label = String(step < 60 ? clock.prefix(8) : clock.prefix(5))
            if step >= 86_400 { label = String(text.prefix(10)) } else if acrossDays { label = date + " " + label }
            ticks.append((time, label))
            time += stepNanoseconds
        }
        return ticks
    }
}
