// The legs a 502 may be tied to, lent from the pipeline's own tables rather than copied out.

/// A list of upstream legs read in place from two arrays, in the order of `picks`.
///
/// Why: the diagnoser reads a few fields of each candidate and keeps one. Copying every candidate
/// into an array of its own retained each leg's strings and arrays, a third of the cost of a 502's
/// diagnosis over nginx-busy (callgrind). A concrete type, not a generic parameter: the generic
/// diagnoser was not specialised across modules and cost four times as much.
public struct UpstreamLegCandidates: RandomAccessCollection, Sendable {
    /// Where the legs live: `picks` entries >= 0 index `first`, entries < 0 index `second` as -1 - entry.
    public let first: [UpstreamLeg]
    public let second: [UpstreamLeg]
    public let picks: [Int]

    public init(first: [UpstreamLeg], second: [UpstreamLeg], picks: [Int]) {
        self.first = first
        self.second = second
        self.picks = picks
    }

    /// Every leg of `legs`, in order.
    public init(_ legs: [UpstreamLeg]) {
        self.init(first: legs, second: [], picks: Array(legs.indices))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { picks.count }

    public subscript(position: Int) -> UpstreamLeg {
        _read {
            let place = picks[position]
            if place >= 0 { yield first[place] } else { yield second[-1 - place] }
        }
    }
}
