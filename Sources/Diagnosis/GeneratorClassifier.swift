// Decides which product generated an error response from the response alone.

/// Classifies an error response against `signatures`.
///
/// Evidence is read from the innermost outward: body markers rank first, headers second. A proxy
/// that passes an upstream's 502 through keeps the upstream's body but may stamp its own `Server`
/// header, so a header alone never earns high confidence when the body says nothing.
public enum GeneratorClassifier {
    /// One signature's score against the evidence.
    struct Match {
        var index: Int
        var bodyScore = 0
        var headerScore = 0
        var distinctiveBodyHits = 0
        var generatedHeaderHit = false
        var serverMatched = false
        var strongHit = false
        var markers: [String] = []
        var impliedSubstatus: String?
        var cause: UpstreamCause?

        /// Body evidence first, header evidence second, table order last.
        func ranks(above other: Match) -> Bool {
            if bodyScore != other.bodyScore { return bodyScore > other.bodyScore }
            if headerScore != other.headerScore { return headerScore > other.headerScore }
            return index < other.index
        }
    }

    /// Returns the generator verdict for `evidence`; `.unknown` with low confidence when nothing matches.
    public static func classify(_ evidence: ResponseEvidence) -> GeneratorVerdict {
        classifyWithCause(evidence).verdict
    }

    /// The verdict plus the upstream failure the page itself states, if any (Squid's error code,
    /// Envoy's reset reason, IIS's CGI timeout text).
    static func classifyWithCause(_ evidence: ResponseEvidence) -> (verdict: GeneratorVerdict, cause: UpstreamCause?) {
        let headers = evidence.headers.map { (name: $0.name.lowercased(), value: $0.value) }
        var best: Match?
        for index in signatures.indices {
            let match = score(signatures[index], index: index, evidence: evidence, headers: headers)
            guard match.strongHit else { continue }
            if best.map({ match.ranks(above: $0) }) ?? true { best = match }
        }
        guard let best else {
            let product = evidence.header("Server")
            return (GeneratorVerdict(gateway: .unknown, product: product, confidence: .low), nil)
        }
        let signature = signatures[best.index]
        var substatus: String?
        if signature.readsSubstatus {
            // An implied "502.x" only fits a 502; a 503 carrying the same text is a different error.
            let implied = best.impliedSubstatus.flatMap { $0.hasPrefix(String(evidence.status) + ".") ? $0 : nil }
            substatus = ASCIIMatch.substatus(of: evidence.status, in: evidence.bodyPrefix) ?? implied
        }
        let entry = substatus.flatMap { IISSubstatus.entry(for: $0, gateway: signature.gateway) }
        let verdict = GeneratorVerdict(
            gateway: signature.gateway,
            product: best.serverMatched ? evidence.header("Server") : nil,
            substatus: substatus,
            substatusMeaning: entry?.meaning,
            markers: best.markers,
            confidence: confidence(of: best, signature: signature, evidence: evidence))
        return (verdict, best.cause)
    }

    /// Body markers folded once, indexed like `signatures`, so a classification does not re-fold them.
    static let foldedBodyMarkers: [[[UInt8]]] = signatures.map { $0.bodyMarkers.map { ASCIIMatch.foldedBytes($0.text) } }

    static func score(_ signature: GeneratorSignature, index: Int, evidence: ResponseEvidence,
                      headers: [(name: String, value: String)]) -> Match {
        var match = Match(index: index)
        let needles = foldedBodyMarkers[index]
        for (marker, needle) in zip(signature.bodyMarkers, needles) {
            let hit = marker.wholeBody
                ? ASCIIMatch.trimmedEquals(evidence.bodyPrefix, foldedNeedle: needle)
                : ASCIIMatch.contains(evidence.bodyPrefix, foldedNeedle: needle)
            guard hit else { continue }
            match.bodyScore += marker.strength.weight
            if marker.strength == .distinctive { match.distinctiveBodyHits += 1 }
            if marker.strength.weight >= GeneratorSignature.Strength.generic.weight { match.strongHit = true }
            if !match.markers.contains("body: " + marker.label) { match.markers.append("body: " + marker.label) }
            if match.impliedSubstatus == nil { match.impliedSubstatus = marker.impliedSubstatus }
            if match.cause == nil { match.cause = marker.cause }
        }
        for rule in signature.headerRules where matches(rule, headers) {
            match.headerScore += rule.strength.weight
            if rule.strength == .generatedOnly { match.generatedHeaderHit = true }
            if rule.strength.weight >= GeneratorSignature.Strength.generic.weight { match.strongHit = true }
            if rule.name.lowercased() == "server", rule.test.isPositive { match.serverMatched = true }
            match.markers.append("header: " + rule.label)
        }
        for hint in signature.headerCauses where match.cause == nil {
            let name = hint.name.lowercased()
            let needle = ASCIIMatch.foldedBytes(hint.contains)
            if headers.contains(where: { $0.name == name
                && ASCIIMatch.contains(Array($0.value.utf8), foldedNeedle: needle) }) {
                match.cause = hint.cause
            }
        }
        return match
    }

    static func matches(_ rule: GeneratorSignature.HeaderRule, _ headers: [(name: String, value: String)]) -> Bool {
        let name = rule.name.lowercased()
        let candidates = headers.filter { rule.nameIsPrefix ? $0.name.hasPrefix(name) : $0.name == name }
        switch rule.test {
        case .absent:
            return candidates.isEmpty
        case .present:
            return !candidates.isEmpty
        case .equals(let text):
            let needle = ASCIIMatch.foldedBytes(text)
            return candidates.contains { ASCIIMatch.trimmedEquals(Array($0.value.utf8), foldedNeedle: needle) }
        case .prefix(let text):
            let needle = ASCIIMatch.foldedBytes(text)
            return candidates.contains { ASCIIMatch.hasPrefix(Array($0.value.utf8), foldedNeedle: needle) }
        case .contains(let text):
            let needle = ASCIIMatch.foldedBytes(text)
            return candidates.contains { ASCIIMatch.contains(Array($0.value.utf8), foldedNeedle: needle) }
        }
    }

    /// High needs a product-specific body marker backed by a header or a second marker (or a
    /// generated-only header with a matching page); a header alone stays low unless the body is
    /// empty where the product's own page is empty too.
    static func confidence(of match: Match, signature: GeneratorSignature, evidence: ResponseEvidence) -> Confidence {
        let identifyingHeader = match.headerScore >= GeneratorSignature.Strength.identifying.weight
        if match.distinctiveBodyHits >= 2 { return .high }
        if match.distinctiveBodyHits == 1 { return identifyingHeader ? .high : .medium }
        if match.generatedHeaderHit { return match.bodyScore > 0 ? .high : .medium }
        if match.bodyScore > 0 && identifyingHeader { return .medium }
        if identifyingHeader && signature.emptyBodyTypical && ASCIIMatch.isBlank(evidence.bodyPrefix) {
            return .medium
        }
        return .low
    }
}
