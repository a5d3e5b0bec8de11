// The report's latency bins: 1, 2 and 5 times each power of ten, in milliseconds.

/// Display bins for the report's latency histograms, on a log scale people read at a glance:
/// edges at 0.001, 0.002, 0.005, 0.01 … 500, 1000 … 1000000 ms. Bin 0 holds what is below the
/// first edge, the last bin what is at or above the last.
enum LatencyBins {
    /// The edges in nanoseconds, ascending: 1 µs to 1000 s.
    static let edges: [Int64] = {
        var edges: [Int64] = []
        var decade: Int64 = 1_000
        while decade < 1_000_000_000_000 {
            edges += [decade, 2 * decade, 5 * decade]
            decade *= 10
        }
        edges.append(decade)
        return edges
    }()

    /// Number of bins: one more than the edges.
    static var count: Int { edges.count + 1 }

    /// The smallest latency of bin `index` in nanoseconds (0 for the first).
    static func lowerEdge(ofBin index: Int) -> Int64 {
        index == 0 ? 0 : edges[index - 1]
    }

    /// A bin edge in milliseconds, without trailing zeros: `0.005`, `2`, `1000`.
    static func milliseconds(_ nanoseconds: Int64) -> String {
        let whole = nanoseconds / 1_000_000, fraction = nanoseconds % 1_000_000
        guard fraction != 0 else { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return String(whole) + "." + digits
    }
}
