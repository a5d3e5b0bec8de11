// Hostile input: random bytes, headers and legs must never trap and must keep the output's invariants.

import Diagnosis
import Testing

/// SplitMix64: a fixed-seed generator so every run sees the same inputs.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Fragments of real markers, so random input often comes close to matching.
let markerFragments: [String] = GeneratorClassifier.signatures.flatMap { signature in
    signature.bodyMarkers.map(\.text)
} + ["502.", "502.2", "502.99", ".5", "HTTP Error 502.", "Server", "<hr><center>", "\u{2019}", "\r\n", "\u{0}"]

func randomBytes(_ generator: inout SplitMix64, count: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    while bytes.count < count {
        if generator.next() % 5 == 0, let fragment = markerFragments.randomElement(using: &generator) {
            var text = Array(fragment.utf8)
            // Cut or corrupt the fragment half the time.
            if generator.next() % 2 == 0, !text.isEmpty { text = Array(text.prefix(Int(generator.next() % UInt64(text.count)))) }
            bytes.append(contentsOf: text)
        } else {
            bytes.append(UInt8(truncatingIfNeeded: generator.next()))
        }
    }
    return bytes
}

func randomText(_ generator: inout SplitMix64) -> String {
    String(decoding: randomBytes(&generator, count: Int(generator.next() % 24)), as: UTF8.self)
}

@Test func classifierNeverTrapsAndKeepsItsInvariants() {
    var generator = SplitMix64(state: 502)
    let names = ["Server", "server", "Via", "X-Squid-Error", "CF-RAY", "x-envoy-x", "X-Kong-Y", "X-Powered-By", "Content-Type", ""]
    let statuses = [502, 503, 504, 0, -1, Int.min, Int.max, 1_000, 5020]
    var known = 0
    for round in 0..<800 {
        var headers: [(name: String, value: String)] = []
        for _ in 0..<Int(generator.next() % 6) {
            let name = generator.next() % 2 == 0 ? names.randomElement(using: &generator)! : randomText(&generator)
            headers.append((name: name, value: randomText(&generator)))
        }
        let body = randomBytes(&generator, count: Int(generator.next() % 6_000))
        let status = statuses[round % statuses.count]
        let evidence = ResponseEvidence(status: status, reason: randomText(&generator), headers: headers, bodyPrefix: body)
        let verdict = GeneratorClassifier.classify(evidence)
        #expect(verdict == GeneratorClassifier.classify(evidence), "classification must be deterministic")
        #expect((verdict.gateway == .unknown) == verdict.markers.isEmpty)
        if verdict.gateway == .unknown { #expect(verdict.confidence == .low) } else { known += 1 }
        if let substatus = verdict.substatus {
            #expect(substatus.hasPrefix("\(status)."))
            #expect(substatus.count == String(status).count + 2)
        }
        #expect((verdict.substatusMeaning != nil) <= (verdict.substatus != nil))
    }
    // The fragments must actually exercise the matching paths, not just the unknown branch.
    #expect(known > 80)
}

extension Bool {
    static func <= (lhs: Bool, rhs: Bool) -> Bool { !lhs || rhs }
}

@Test func diagnoserNeverTrapsOnArbitraryLegs() {
    var generator = SplitMix64(state: 0xBAD_6A7E)
    func maybe<T>(_ value: T, _ generator: inout SplitMix64) -> T? { generator.next() % 2 == 0 ? value : nil }
    func time(_ generator: inout SplitMix64) -> Int64 {
        generator.next() % 7 == 0 ? Int64(bitPattern: generator.next()) : Int64(generator.next() % 200_000_000_000)
    }
    let endpoints = ["10.0.0.5:1", "10.0.0.5", "[::1]:80", "::1", "[", "]", ":", "", "[::1", "10.0.0.5:x:y"]
    for _ in 0..<1_000 {
        var legs: [UpstreamLeg] = []
        for stream in 0..<Int(generator.next() % 5) {
            let synCount = Int(generator.next() % 4)
            var leg = UpstreamLeg(stream: stream, gateway: endpoints.randomElement(using: &generator)!,
                                  upstream: endpoints.randomElement(using: &generator)!, firstTime: time(&generator),
                                  synFrames: (0..<synCount).map { _ in generator.next() },
                                  synTimes: (0..<Int(generator.next() % 4)).map { _ in time(&generator) })
            leg.synAckFrame = maybe(generator.next(), &generator)
            leg.resetFrame = maybe(generator.next(), &generator)
            leg.resetTime = maybe(time(&generator), &generator)
            leg.resetFromUpstream = generator.next() % 2 == 0
            leg.upstreamFinFrame = maybe(generator.next(), &generator)
            leg.upstreamFinTime = maybe(time(&generator), &generator)
            leg.gatewayCloseFrame = maybe(generator.next(), &generator)
            leg.gatewayCloseTime = maybe(time(&generator), &generator)
            leg.requestFrame = maybe(generator.next(), &generator)
            leg.requestTime = maybe(time(&generator), &generator)
            leg.requestMethod = maybe(randomText(&generator), &generator)
            leg.requestTarget = maybe(["/", "http://", "http://h", "?", "/a?b", randomText(&generator)].randomElement(using: &generator)!, &generator)
            leg.responseBytes = generator.next()
            leg.responseStartsWithStatusLine = maybe(generator.next() % 2 == 0, &generator)
            leg.responseHeadComplete = generator.next() % 2 == 0
            leg.responseStatus = maybe(Int(truncatingIfNeeded: generator.next()), &generator)
            legs.append(leg)
        }
        let exchange = ClientExchange(stream: Int(generator.next() % 3), requestFrame: maybe(generator.next(), &generator),
                                      requestTime: maybe(time(&generator), &generator),
                                      requestMethod: maybe("GET", &generator),
                                      requestTarget: maybe(["/", "://", "http://h/x?y", randomText(&generator)].randomElement(using: &generator)!, &generator),
                                      responseFrame: generator.next(), responseTime: time(&generator),
                                      status: Int(truncatingIfNeeded: generator.next()),
                                      gatewayAddress: endpoints.randomElement(using: &generator)!)
        let evidence = ResponseEvidence(status: exchange.status, bodyPrefix: randomBytes(&generator, count: Int(generator.next() % 300)))
        let result = Diagnoser.diagnose(exchange, evidence: evidence, legs: legs)
        #expect(result == Diagnoser.diagnose(exchange, evidence: evidence, legs: legs.reversed()),
                "the diagnosis must not depend on the order legs arrive in")
        #expect(result.evidence == Array(Set(result.evidence)).sorted())
        #expect(result.evidence.contains(exchange.responseFrame))
        #expect(!result.explanation.isEmpty)
        if result.upstream == nil { #expect(result.confidence < .high) }
    }
}
