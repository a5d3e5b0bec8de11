// Request-to-response times in constant memory, for the --summary percentiles.

/// Latencies (nanoseconds) counted in fixed log-scale buckets: values below 32 ns exactly, then 16
/// buckets per power of two. Counts are exact; a percentile is the upper edge of the bucket holding
/// its rank, so it is at most 1/16 (6.25 %) above the true value and never above the exact maximum.
/// Memory is the same 960 counters whatever the run's length.
struct LatencyHistogram: Sendable {
    private static let subBucketBits = 4
    private static let subBuckets = 1 << subBucketBits
    /// Powers of two 2^4 … 2^62 with 16 buckets each, after the 16 exact ones below 16.
    private static let bucketCount = (63 - subBucketBits + 1) * subBuckets

    private var counts = [Int](repeating: 0, count: LatencyHistogram.bucketCount)
    /// Values recorded.
    private(set) var count = 0
    /// The largest value recorded (exact).
    private(set) var maximum: Int64 = 0

    /// Records one latency; a negative one (reordered capture clocks) counts as 0.
    mutating func record(_ nanoseconds: Int64) {
        let value = max(0, nanoseconds)
        counts[Self.bucket(of: value)] += 1
        count += 1
        maximum = max(maximum, value)
    }

    /// The value at `fraction` (0…1) by nearest rank, or nil when nothing was recorded.
    func percentile(_ fraction: Double) -> Int64? {
        guard count > 0 else { return nil }
        let rank = min(count, max(1, Int((fraction * Double(count)).rounded(.up))))
        var seen = 0
        for index in counts.indices {
            seen += counts[index]
            if seen >= rank { return min(Self.upperEdge(of: index), maximum) }
        }
        return maximum
    }

    /// Counts regrouped into coarser bins split at ascending `edges`: bin 0 holds values below
    /// `edges[0]`, bin i values from `edges[i-1]`, the last bin values from the last edge up. Each
    /// bucket goes whole to the bin of its smallest value, so a count may sit one bin low when its
    /// bucket straddles an edge (by at most the bucket's 1/16 width).
    func counts(splitAt edges: [Int64]) -> [Int] {
        var bins = [Int](repeating: 0, count: edges.count + 1)
        var bin = 0
        for index in counts.indices where counts[index] > 0 {
            let lower = Self.lowerEdge(of: index)
            while bin < edges.count, lower >= edges[bin] { bin += 1 }
            bins[bin] += counts[index]
        }
        return bins
    }

    static func bucket(of value: Int64) -> Int {
        guard value >= Int64(subBuckets) else { return Int(value) }
        let exponent = 63 - value.leadingZeroBitCount            // 4…62
        let shift = exponent - subBucketBits
        let sub = Int((value >> Int64(shift)) & Int64(subBuckets - 1))
        return (shift + 1) * subBuckets + sub
    }

    /// The smallest value that falls in bucket `index`.
    static func lowerEdge(of index: Int) -> Int64 {
        guard index >= subBuckets else { return Int64(index) }
        let shift = index / subBuckets - 1
        return Int64(subBuckets + index % subBuckets) << Int64(shift)
    }

    /// The largest value that falls in bucket `index`.
    static func upperEdge(of index: Int) -> Int64 {
        guard index >= subBuckets else { return Int64(index) }
        let shift = index / subBuckets - 1
        let lower = Int64(subBuckets + index % subBuckets) << Int64(shift)
        return lower + ((Int64(1) << Int64(shift)) - 1)   // grouped: the top bucket ends at Int64.max
    }
}
