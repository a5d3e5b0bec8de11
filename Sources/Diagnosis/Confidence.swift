// How far a verdict can be trusted.

/// How strongly the evidence supports a verdict; ordered so that `low < medium < high`.
public enum Confidence: String, Sendable, Comparable {
    case low, medium, high

    /// Rank used for ordering; the raw values are for output only.
    private var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        }
    }

    /// `low < medium < high`.
    public static func < (lhs: Confidence, rhs: Confidence) -> Bool { lhs.rank < rhs.rank }
}
