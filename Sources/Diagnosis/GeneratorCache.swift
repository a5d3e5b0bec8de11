// Remembering classifications: a gateway sends the same error page again and again.

/// A bounded memo of generator classifications. A busy capture holds thousands of 502s, mostly the
/// same page from the same gateway, and classifying one costs about 100 µs; the key is the whole
/// evidence except the `Date` header (no signature reads it, and it changes every second).
public struct GeneratorCache: Sendable {
    struct Key: Hashable, Sendable {
        var status: Int
        var reason: String
        var headers: [String]
        var body: [UInt8]

        // The synthesised hash feeds the body to the hasher a byte at a time (7,000 instructions a
        // lookup on a 502 page); one call over its bytes gives the same equality at a tenth of it.
        func hash(into hasher: inout Hasher) {
            hasher.combine(status)
            hasher.combine(reason)
            hasher.combine(headers)
            hasher.combine(body.count)
            body.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    private var entries: [Key: (verdict: GeneratorVerdict, cause: UpstreamCause?)] = [:]
    private let capacity: Int

    public init(capacity: Int = 512) { self.capacity = max(1, capacity) }

    mutating func classify(_ evidence: ResponseEvidence) -> (verdict: GeneratorVerdict, cause: UpstreamCause?) {
        var headers: [String] = []
        headers.reserveCapacity(evidence.headers.count)
        for header in evidence.headers where header.name.utf8.count != 4 || header.name.lowercased() != "date" {
            headers.append(header.name + "\u{0}" + header.value)
        }
        let key = Key(status: evidence.status, reason: evidence.reason, headers: headers, body: evidence.bodyPrefix)
        if let known = entries[key] { return known }
        let result = GeneratorClassifier.classifyWithCause(evidence)
        // Forget everything when full: simple, bounded, and the common pages come straight back.
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = result
        return result
    }
}
