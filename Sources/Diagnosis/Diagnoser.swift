// Links a gateway error to its upstream leg and decides what the upstream did.

/// Diagnoses gateway errors from the client exchange, the response and the gateway's upstream legs.
public enum Diagnoser {
    /// How much earlier than the client request an upstream request may appear: the two legs can be
    /// captured on different interfaces whose timestamps disagree slightly.
    static let requestSlack: Int64 = 2_000_000
    /// A 502 this soon after the request had no time for an upstream round trip beyond loopback.
    static let immediateLatency: Int64 = 2_000_000
    /// Silence on a connected leg longer than this, ending in the error, reads as a timeout.
    static let longSilence: Int64 = 1_000_000_000
    /// An upstream close this close to the request on a reused connection is a keep-alive race.
    static let raceWindow: Int64 = 10_000_000
    /// A connection idle this long before the request counts as reused.
    static let reusedAfter: Int64 = 1_000_000_000
    /// Common default timeouts (nginx/ALB 60 s, ANCM/ARR 2 min, ...), in seconds.
    static let roundTimeouts: [Int64] = [30, 60, 90, 100, 120, 180, 300]
    /// How far from a round timeout a latency may be and still match it.
    static let roundTolerance: Int64 = 1_000_000_000

    /// Pick the upstream leg for an exchange: opened by the gateway host after the client request arrived
    /// (small slack) and before the 502 left, same method/path when visible, closest in time; nil when none.
    ///
    /// A leg's time is its request's time when it has one (a reused keep-alive connection was opened
    /// long before), else its first SYN or first frame. A different method or an unrelated path rules
    /// a leg out; a path that only shares its tail (a stripped `/api` prefix) ranks below an exact one.
    public static func matchUpstreamLeg(for exchange: ClientExchange, among legs: [UpstreamLeg]) -> UpstreamLeg? {
        matchUpstreamLeg(for: exchange, among: UpstreamLegCandidates(legs))
    }

    /// The same over legs lent in place.
    public static func matchUpstreamLeg(for exchange: ClientExchange, among legs: UpstreamLegCandidates) -> UpstreamLeg? {
        let host = Endpoint.host(ofAddress: exchange.gatewayAddress)
        let client = ClientRequest(exchange)
        // The best so far by position, and legs read in place from the candidates' arrays (not
        // through the collection's subscript, which copied the whole leg at every access): copying
        // a leg retains its strings and arrays. Only the winner is copied, once.
        var best: (position: Int, content: Int, distance: Int64, stream: Int)?
        for position in legs.picks.indices {
            let place = legs.picks[position]
            let rated = place >= 0 ? rate(legs.first, place, for: exchange, host: host, client: client)
                                   : rate(legs.second, -1 - place, for: exchange, host: host, client: client)
            guard let (content, distance, stream) = rated else { continue }
            if let current = best {
                if content < current.content { continue }
                if content == current.content {
                    if distance > current.distance { continue }
                    if distance == current.distance && stream >= current.stream { continue }
                }
            }
            best = (position, content, distance, stream)
        }
        return best.map { legs[$0.position] }
    }

    /// How well the leg `legs[index]` fits the exchange (content score, distance in time, its
    /// stream), or nil when it is ruled out. The leg is read field by field where it lies: passing
    /// `legs[index]` as a value copied it whole (callgrind).
    @inline(__always)
    private static func rate(_ legs: [UpstreamLeg], _ index: Int, for exchange: ClientExchange, host: String,
                             client: ClientRequest) -> (content: Int, distance: Int64, stream: Int)? {
        guard legs[index].stream != exchange.stream, Endpoint.endpoint(legs[index].gateway, isOn: host) else { return nil }
        let time = legs[index].requestTime ?? legs[index].synTimes.first ?? legs[index].firstTime
        if let requestTime = exchange.requestTime, time < requestTime &- requestSlack { return nil }
        guard time <= exchange.responseTime else { return nil }
        guard let content = contentScore(client, method: legs[index].requestMethod, target: legs[index].requestTarget) else {
            return nil
        }
        let reference = exchange.requestTime ?? exchange.responseTime
        let distance = time >= reference ? time &- reference : reference &- time
        return (content, distance, legs[index].stream)
    }

    /// The client's side of the comparison, worked out once per exchange rather than per leg.
    struct ClientRequest {
        var method: String?
        var rawTarget: String?
        var target: String?
        var path: Substring?
        /// The raw target's bytes when it is a plain origin-form target (see `PlainTarget`).
        var plain: PlainTarget?

        init(_ exchange: ClientExchange) {
            method = exchange.requestMethod
            rawTarget = exchange.requestTarget
            plain = rawTarget.flatMap(PlainTarget.init)
            // A plain target is compared over its bytes; its character forms are worked out only for
            // a leg whose target is not plain (`contentScoreByCharacters`), which is rare.
            if plain == nil { fillCharacterForms() }
        }

        mutating func fillCharacterForms() {
            target = rawTarget.map(Endpoint.originForm)
            path = target.map(Endpoint.path(of:))
        }
    }

    /// An origin-form target of printable ASCII alone ("/", then 0x21...0x7E): nearly every
    /// target. Each of its bytes is a character of its own, so its origin form is itself, its
    /// path ends at the first "?", and character comparisons are byte comparisons.
    struct PlainTarget {
        var bytes: [UInt8]
        var pathLength: Int

        init?(_ target: String) {
            // Copied in one piece, then checked: appending byte by byte checked the array's
            // uniqueness and capacity at every byte.
            let bytes = Array(target.utf8)
            guard bytes.first == UInt8(ascii: "/") else { return nil }
            var pathLength: Int?
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte >= 0x21 && byte <= 0x7E else { return nil }
                if byte == UInt8(ascii: "?"), pathLength == nil { pathLength = index }
            }
            self.bytes = bytes
            self.pathLength = pathLength ?? bytes.count
        }
    }

    /// How well a leg's request matches the client's: nil rules it out (different method or path).
    static func contentScore(_ client: ClientRequest, method legMethod: String?, target rawLegTarget: String?) -> Int? {
        if let method = client.method, let legMethod, method != legMethod, method.uppercased() != legMethod.uppercased() {
            return nil
        }
        // Both targets plain: the comparisons below, over the bytes. The general path built a
        // substring and walked characters per candidate leg, 1,070 instructions a leg (callgrind
        // over nginx-busy, 7 legs a 502); most legs are other requests, ruled out here at once.
        if let plain = client.plain, let rawLegTarget, let answer = plainScore(plain, rawLegTarget) { return answer }
        return contentScoreByCharacters(client, target: rawLegTarget)
    }

    /// `contentScoreByCharacters` for a plain client target, or nil (answer unknown) when the
    /// leg's target is not plain or is not stored contiguously.
    static func plainScore(_ client: PlainTarget, _ legTarget: String) -> Int?? {
        legTarget.utf8.withContiguousStorageIfAvailable { leg -> Int?? in
            guard leg.first == UInt8(ascii: "/") else { return nil }
            var legPathLength = leg.count
            for index in leg.indices {
                let byte = leg[index]
                guard byte >= 0x21 && byte <= 0x7E else { return nil }
                if byte == UInt8(ascii: "?"), legPathLength == leg.count { legPathLength = index }
            }
            return client.bytes.withUnsafeBufferPointer { mine -> Int?? in
                if mine.count == leg.count && mine.elementsEqual(leg) { return .some(4) }
                let path = UnsafeBufferPointer(rebasing: mine[0..<client.pathLength])
                let legPath = UnsafeBufferPointer(rebasing: leg[0..<legPathLength])
                if path.count == legPath.count && path.elementsEqual(legPath) { return .some(3) }
                if legPath.count > 1 && path.count >= legPath.count && path[(path.count - legPath.count)...].elementsEqual(legPath)
                    || path.count > 1 && legPath.count >= path.count && legPath[(legPath.count - path.count)...].elementsEqual(path) {
                    return .some(2)
                }
                return .some(nil)
            }
        } ?? nil
    }

    /// `contentScore` past the method test, over characters: any targets.
    static func contentScoreByCharacters(_ client: ClientRequest, target rawLegTarget: String?) -> Int? {
        var client = client
        if client.target == nil { client.fillCharacterForms() }
        guard let rawTarget = client.rawTarget, let target = client.target, let path = client.path,
              let rawLegTarget else { return 1 }
        if rawTarget == rawLegTarget { return 4 }
        let legTarget = Endpoint.originForm(rawLegTarget)
        if target == legTarget { return 4 }
        let legPath = Endpoint.path(of: legTarget)
        if path == legPath { return 3 }
        // Proxies often strip or add a prefix (location /api/ → upstream /), so a shared tail counts.
        if Endpoint.hasSuffix(path, legPath) && legPath.count > 1 || Endpoint.hasSuffix(legPath, path) && path.count > 1 { return 2 }
        // An unrelated path is someone else's request: blaming its leg would be confidently wrong.
        return nil
    }

    /// Diagnoses one failed exchange: classifies the response, matches the upstream leg, reads what
    /// the leg shows (or, without one, what the page and timing say) and writes the explanation.
    public static func diagnose(_ exchange: ClientExchange, evidence: ResponseEvidence, legs: [UpstreamLeg]) -> Diagnosis {
        diagnose(exchange, classified: GeneratorClassifier.classifyWithCause(evidence), legs: legs)
    }

    /// The same, with classifications remembered in `cache` (for a run over many 502s).
    public static func diagnose(_ exchange: ClientExchange, evidence: ResponseEvidence, legs: [UpstreamLeg],
                                cache: inout GeneratorCache) -> Diagnosis {
        diagnose(exchange, classified: cache.classify(evidence), legs: legs)
    }

    /// The same, also naming the stream of the upstream leg the diagnosis was tied to (nil: none).
    public static func diagnoseWithLeg(_ exchange: ClientExchange, evidence: ResponseEvidence, legs: [UpstreamLeg],
                                       cache: inout GeneratorCache) -> (diagnosis: Diagnosis, legStream: Int?) {
        diagnoseWithLeg(exchange, classified: cache.classify(evidence), legs: UpstreamLegCandidates(legs))
    }

    /// The same over legs lent in place (the pipeline's tables: only the leg chosen is copied).
    public static func diagnoseWithLeg(_ exchange: ClientExchange, evidence: ResponseEvidence, legs: UpstreamLegCandidates,
                                       cache: inout GeneratorCache) -> (diagnosis: Diagnosis, legStream: Int?) {
        diagnoseWithLeg(exchange, classified: cache.classify(evidence), legs: legs)
    }

    static func diagnose(_ exchange: ClientExchange, classified: (verdict: GeneratorVerdict, cause: UpstreamCause?),
                         legs: [UpstreamLeg]) -> Diagnosis {
        diagnoseWithLeg(exchange, classified: classified, legs: UpstreamLegCandidates(legs)).diagnosis
    }

    static func diagnoseWithLeg(_ exchange: ClientExchange, classified: (verdict: GeneratorVerdict, cause: UpstreamCause?),
                                legs: UpstreamLegCandidates) -> (diagnosis: Diagnosis, legStream: Int?) {
        let (verdict, pageCause) = classified
        let latency = exchange.requestTime.map { exchange.responseTime &- $0 }
        var frames: [UInt64] = [exchange.responseFrame]
        if let frame = exchange.requestFrame { frames.append(frame) }

        let finding: Finding
        let leg = matchUpstreamLeg(for: exchange, among: legs)
        if let leg {
            finding = analyse(leg, responseTime: exchange.responseTime)
        } else {
            finding = analyseWithoutLeg(pageCause: pageCause, latency: latency)
        }
        frames.append(contentsOf: finding.frames)
        frames.sort()
        var evidence: [UInt64] = []
        evidence.reserveCapacity(frames.count)
        for frame in frames where frame != evidence.last { evidence.append(frame) }
        let diagnosis = Diagnosis(generator: verdict, finding: finding, status: exchange.status, upstream: leg?.upstream,
                                  evidence: evidence, latency: latency)
        return (diagnosis, leg?.stream)
    }

    /// What one leg (or the page and timing) show, before it is put into words.
    struct Finding: Sendable, Equatable {
        enum Basis: Sendable { case leg, page, immediate, roundTimeout, none }
        var cause: UpstreamCause
        var confidence: Confidence
        var basis: Basis
        var frames: [UInt64] = []
        /// Retransmitted SYN count, response bytes or similar detail for the explanation.
        var synCount = 0
        var responseBytes: UInt64 = 0
        var responseStatus: Int?
        /// Silence before the gateway gave up, for timeouts.
        var silence: Int64?
        /// The upstream closed a reused idle connection just as the request went out.
        var keepAliveRace = false
    }

    /// One end of the connection closing: which frame, when, and whether it was a reset.
    struct Close {
        var frame: UInt64
        var time: Int64?
        var isReset: Bool
    }

    static func analyse(_ leg: UpstreamLeg, responseTime: Int64) -> Finding {
        var finding = Finding(cause: .unknown, confidence: .low, basis: .leg)
        finding.frames = leg.synFrames
        finding.synCount = leg.synFrames.count
        finding.responseBytes = leg.responseBytes
        finding.responseStatus = leg.responseStatus
        for frame in [leg.synAckFrame, leg.requestFrame, leg.responseFirstByteFrame] {
            if let frame { finding.frames.append(frame) }
        }

        let upstreamClose = earliest(
            leg.upstreamFinFrame.map { Close(frame: $0, time: leg.upstreamFinTime, isReset: false) },
            leg.resetFromUpstream ? leg.resetFrame.map { Close(frame: $0, time: leg.resetTime, isReset: true) } : nil)
        let gatewayClose = earliest(
            leg.gatewayCloseFrame.map { Close(frame: $0, time: leg.gatewayCloseTime, isReset: false) },
            leg.resetFromUpstream ? nil : leg.resetFrame.map { Close(frame: $0, time: leg.resetTime, isReset: true) })
        // Whichever side closed first is the one that ended the exchange; the other only answered.
        let upstreamFirst: Bool = switch (upstreamClose, gatewayClose) {
        case (.some(let up), .some(let down)): (up.time ?? .max, up.frame) <= (down.time ?? .max, down.frame)
        case (.some, nil): true
        default: false
        }

        // No handshake: refused or unanswered.
        if !leg.synFrames.isEmpty && leg.synAckFrame == nil {
            if let close = upstreamClose, close.isReset {
                finding.cause = .refused
                finding.confidence = .high
                finding.frames.append(close.frame)
            } else {
                finding.cause = .noAnswer
                finding.confidence = leg.synFrames.count >= 2 ? .high : .medium
                if let close = gatewayClose { finding.frames.append(close.frame) }
                if let first = leg.synTimes.first { finding.silence = (gatewayClose?.time ?? responseTime) &- first }
            }
            return finding
        }

        if let status = leg.responseStatus, leg.responseHeadComplete {
            finding.cause = status == 502 ? .upstream502 : .invalidResponse
            finding.confidence = status == 502 ? .high : .medium
            return finding
        }
        if leg.responseStartsWithStatusLine == false {
            finding.cause = .invalidResponse
            finding.confidence = .high
            if let close = upstreamClose ?? gatewayClose { finding.frames.append(close.frame) }
            return finding
        }
        if leg.responseBytes > 0 && !leg.responseHeadComplete {
            if let close = upstreamClose, upstreamFirst {
                finding.cause = .closedMidHeaders
                finding.confidence = .high
                finding.frames.append(close.frame)
            } else if let close = gatewayClose {
                // The gateway hung up on a head it had started to receive: after a long silence that
                // is its timer; right away, it rejected what it read (nginx "upstream sent invalid header").
                let silence = leg.requestTime.flatMap { start in close.time.map { $0 &- start } }
                let timedOut = (silence ?? 0) >= longSilence
                finding.cause = timedOut ? .timeout : .invalidResponse
                finding.confidence = .medium
                finding.frames.append(close.frame)
                finding.silence = silence
            } else {
                finding.cause = .closedMidHeaders
                finding.confidence = .medium
            }
            return finding
        }

        // Connected, no response bytes.
        if let close = upstreamClose, upstreamFirst {
            finding.cause = close.isReset ? .reset : .closedBeforeResponse
            finding.confidence = leg.requestFrame == nil ? .medium : .high
            finding.frames.append(close.frame)
            if let request = leg.requestTime, let closeTime = close.time {
                let reused = request &- leg.firstTime >= reusedAfter
                finding.keepAliveRace = closeTime < request || reused && closeTime &- request <= raceWindow
            }
            return finding
        }
        if let close = gatewayClose, leg.requestFrame != nil,
           let start = leg.requestTime, let end = close.time, end &- start >= longSilence {
            finding.cause = .timeout
            finding.confidence = .high
            finding.frames.append(close.frame)
            if let start = leg.requestTime, let end = close.time { finding.silence = end &- start }
            return finding
        }
        if let start = leg.requestTime, responseTime &- start >= longSilence {
            finding.cause = .timeout
            finding.confidence = .medium
            finding.silence = responseTime &- start
        }
        return finding
    }

    static func earliest(_ first: Close?, _ second: Close?) -> Close? {
        guard let first else { return second }
        guard let second else { return first }
        return (first.time ?? .max, first.frame) <= (second.time ?? .max, second.frame) ? first : second
    }

    /// Without a leg, the page's own statement wins, then timing; confidence never exceeds medium.
    static func analyseWithoutLeg(pageCause: UpstreamCause?, latency: Int64?) -> Finding {
        if let pageCause {
            var finding = Finding(cause: pageCause, confidence: .medium, basis: .page)
            if pageCause == .timeout, let latency, roundTimeout(latency) != nil { finding.silence = latency }
            return finding
        }
        guard let latency else { return Finding(cause: .unknown, confidence: .low, basis: .none) }
        if latency >= 0 && latency <= immediateLatency {
            return Finding(cause: .refused, confidence: .low, basis: .immediate)
        }
        if roundTimeout(latency) != nil {
            var finding = Finding(cause: .timeout, confidence: .medium, basis: .roundTimeout)
            finding.silence = latency
            return finding
        }
        return Finding(cause: .unknown, confidence: .low, basis: .none)
    }

    /// The round timeout (in seconds) a latency matches, if any.
    static func roundTimeout(_ latency: Int64) -> Int64? {
        roundTimeouts.first { seconds in
            let target = seconds * 1_000_000_000
            return latency >= target &- roundTolerance && latency <= target &+ roundTolerance
        }
    }
}
