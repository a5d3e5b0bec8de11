// Responses per time bin by status class, and the 502s among them, in bounded memory.

/// Responses counted per time bin by `StatusClass`, with the 502s counted apart.
///
/// Bins start at multiples of their width since the epoch. When the responses span more than
/// `capacity` bins, the width doubles and each pair of neighbours folds into one, so memory is at
/// most `capacity` bins whatever the capture's length or how far apart its timestamps are.
public struct ResponseTimeline: Sendable {
    /// Counters per bin: one per status class, then the 502s.
    static let stride = StatusClass.allCases.count + 1
    private static let badGatewaySlot = StatusClass.allCases.count

    /// Most bins kept.
    public let capacity: Int
    /// Seconds per bin: 1, doubled at each fold.
    public private(set) var binSeconds: Int64 = 1
    /// The first bin's number (its start time is `firstBin * binSeconds` seconds since the epoch).
    private var firstBin: Int64 = 0
    /// `stride` counters per bin, the earliest bin first.
    private var counts: [Int] = []

    /// An empty timeline of at most `capacity` bins (at least 2).
    public init(capacity: Int = 3600) {
        self.capacity = max(2, capacity)
    }

    /// Bins from the first response's to the last's.
    public var binCount: Int { counts.count / Self.stride }

    /// Start of bin `index`, in nanoseconds since the epoch.
    public func startTime(ofBin index: Int) -> Int64 {
        (firstBin + Int64(index)) * binSeconds * 1_000_000_000
    }

    /// Responses of `statusClass` in bin `index`.
    public func count(_ statusClass: StatusClass, inBin index: Int) -> Int {
        counts[index * Self.stride + statusClass.rawValue]
    }

    /// 502 responses in bin `index` (also counted in `.serverError`).
    public func badGateways(inBin index: Int) -> Int {
        counts[index * Self.stride + Self.badGatewaySlot]
    }

    /// Every response counted.
    public var totalResponses: Int {
        var total = 0
        for index in counts.indices where index % Self.stride != Self.badGatewaySlot { total += counts[index] }
        return total
    }

    /// Every 502 counted.
    public var totalBadGateways: Int {
        Swift.stride(from: Self.badGatewaySlot, to: counts.count, by: Self.stride).reduce(0) { $0 + counts[$1] }
    }

    /// Counts one response head with status `status` seen at `time` (nanoseconds since the epoch).
    mutating func record(status: Int, time: Int64) {
        var bin = Self.floorDivide(Self.floorDivide(time, 1_000_000_000), binSeconds)
        if counts.isEmpty {
            firstBin = bin
            counts = [Int](repeating: 0, count: Self.stride)
        } else {
            // Fold before growing, so a stray timestamp years away never allocates more than `capacity` bins.
            while max(firstBin + Int64(binCount) - 1, bin) - min(firstBin, bin) + 1 > Int64(capacity) {
                fold()
                bin = Self.floorDivide(bin, 2)
            }
            if bin < firstBin {
                counts.insert(contentsOf: repeatElement(0, count: Int(firstBin - bin) * Self.stride), at: 0)
                firstBin = bin
            } else if bin >= firstBin + Int64(binCount) {
                counts.append(contentsOf: repeatElement(0, count: Int(bin - firstBin + 1) * Self.stride - counts.count))
            }
        }
        let base = Int(bin - firstBin) * Self.stride
        counts[base + StatusClass(status: status).rawValue] += 1
        if status == 502 { counts[base + Self.badGatewaySlot] += 1 }
    }

    /// This timeline with its bins doubled in width until there are at most `maxBins` (for drawing:
    /// more bars than pixels only blur).
    public func folded(toAtMost maxBins: Int) -> ResponseTimeline {
        var copy = self
        while copy.binCount > max(1, maxBins) { copy.fold() }
        return copy
    }

    /// Doubles the bin width: bins 2k and 2k+1 (by absolute number) become bin k.
    private mutating func fold() {
        let newFirst = Self.floorDivide(firstBin, 2)
        let newCount = Int(Self.floorDivide(firstBin + Int64(binCount) - 1, 2) - newFirst + 1)
        var folded = [Int](repeating: 0, count: newCount * Self.stride)
        for index in 0..<binCount {
            let target = Int(Self.floorDivide(firstBin + Int64(index), 2) - newFirst) * Self.stride
            for slot in 0..<Self.stride { folded[target + slot] += counts[index * Self.stride + slot] }
        }
        counts = folded
        firstBin = newFirst
        binSeconds *= 2
    }

    /// Division rounding toward negative infinity, so bins before the epoch line up too.
    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
