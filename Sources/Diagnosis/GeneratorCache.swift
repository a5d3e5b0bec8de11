// Remembering classifications: a gateway sends the same error page again and again.

/// A bounded memo of generator classifications. A busy capture holds thousands of 502s, mostly the
/// same page from the same gateway, and classifying one costs about 100 µs; the key is the whole
/// evidence except the `Date` header (no signature reads it, and it changes every second).
public struct GeneratorCache: Sendable {
    struct Entry: Sendable {
        var evidence: ResponseEvidence
        var result: (verdict: GeneratorVerdict, cause: UpstreamCause?)
    }

    /// Entries by a hash of their evidence. The hash is taken over the evidence as it stands and a
    /// hit is confirmed field by field: building a key of joined header strings first cost 10,000
    /// instructions a 502 (callgrind over nginx-busy). A collision only means classifying again.
    private var entries: [Int: Entry] = [:]
    private let capacity: Int
    /// The entry answered last: a burst of 502s is mostly one page, compared with it before any
    /// hashing (the hash was 3,000 instructions a 502 over nginx-busy, its page's header strings
    /// and body prefix; the comparison stops at the first difference).
    private var last: Entry?

    public init(capacity: Int = 512) { self.capacity = max(1, capacity) }

    mutating func classify(_ evidence: ResponseEvidence) -> (verdict: GeneratorVerdict, cause: UpstreamCause?) {
        if let last, Self.sameIgnoringDate(last.evidence, evidence) { return last.result }
        let key = Self.hash(evidence)
        if let known = entries[key], Self.sameIgnoringDate(known.evidence, evidence) {
            last = known
            return known.result
        }
        let result = GeneratorClassifier.classifyWithCause(evidence)
        // Forget everything when full: simple, bounded, and the common pages come straight back.
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        let entry = Entry(evidence: evidence, result: result)
        entries[key] = entry
        last = entry
        return result
    }

    /// Whether a header name is `Date`, in any case. Over the bytes: lowercasing the name made a
    /// string per header per comparison. `| 0x20` maps a byte to d, a, t or e only from that
    /// letter in either case.
    @inline(__always)
    static func isDate(_ name: String) -> Bool {
        guard name.utf8.count == 4 else { return false }
        var index = 0
        for byte in name.utf8 {
            let wanted: UInt8 = index == 0 ? 0x64 : index == 1 ? 0x61 : index == 2 ? 0x74 : 0x65
            if byte | 0x20 != wanted { return false }
            index += 1
        }
        return true
    }

    static func hash(_ evidence: ResponseEvidence) -> Int {
        var hasher = Hasher()
        hasher.combine(evidence.status)
        hasher.combine(evidence.reason)
        for header in evidence.headers where !isDate(header.name) {
            hasher.combine(header.name)
            hasher.combine(header.value)
        }
        hasher.combine(evidence.bodyPrefix.count)
        evidence.bodyPrefix.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }

    /// Whether two pieces of evidence agree in everything but their `Date` headers.
    static func sameIgnoringDate(_ first: ResponseEvidence, _ second: ResponseEvidence) -> Bool {
        guard first.status == second.status, first.reason == second.reason, first.bodyPrefix == second.bodyPrefix else { return false }
        // The headers read in place, by index: the lazy filtered iterators copied each pair out.
        let one = first.headers, other = second.headers
        var mine = 0, theirs = 0
        while true {
            while mine < one.count, isDate(one[mine].name) { mine += 1 }
            while theirs < other.count, isDate(other[theirs].name) { theirs += 1 }
            if mine == one.count || theirs == other.count { return mine == one.count && theirs == other.count }
            if one[mine].name != other[theirs].name || one[mine].value != other[theirs].value { return false }
            mine += 1
            theirs += 1
        }
    }
}
