// The byte-level shortcuts of leg matching and the classification memo agree with the slow paths.

@testable import Diagnosis
import Testing

@Test(arguments: ["/orders/7", "/orders/7?x=1", "?only", "/", "", "/caf\u{E9}?q", "/e\u{301}/x?y", "no-query"])
func pathSplitMatchesCharacterSearch(target: String) {
    let expected = target.firstIndex(of: "?").map { target[..<$0] } ?? target[...]
    #expect(Endpoint.path(of: target) == expected)
}

@Test func suffixTestsMatchTheStandardLibrary() {
    // With the ends that make last bytes mislead: a CR LF pair is one character, a prepended mark
    // (U+0600) joins the ASCII letter after it, a combining accent follows an ASCII letter.
    // A Kelvin sign is canonically "K"; a CR LF inside both strings is the same character in both.
    let samples = ["/api/orders/7", "/orders/7", "7", "", "/", "/caf\u{E9}", "/cafe\u{301}", "\u{E9}", "/x/\u{E9}",
                   "/a\r\n", "\n", "\r", "/a\r", "/\u{600}a", "a", "/b/a", "e", "\u{301}", "/x/e",
                   "K", "/OK", "\u{212A}", "/O\u{212A}", "/a\r\nb", "\r\nb", "\nb", "b", "x\u{600}", "\u{600}"]
    for text in samples {
        for suffix in samples {
            #expect(Endpoint.hasSuffix(text[...], suffix[...]) == text.hasSuffix(suffix), "\(text) / \(suffix)")
        }
    }
    // Random short strings over an alphabet of the troublesome pieces.
    let pieces = ["a", "b", "/", "\r", "\n", "\u{301}", "\u{600}", "\u{212A}", "K", "\u{E9}", "e"]
    var generator = SystemRandomNumberGenerator()
    var mismatches: [String] = []
    for _ in 0..<20_000 {
        let text = (0..<Int.random(in: 0...5, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
        let suffix = (0..<Int.random(in: 0...3, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
        if Endpoint.hasSuffix(text[...], suffix[...]) != text.hasSuffix(suffix), mismatches.count < 5 {
            mismatches.append("\(text.unicodeScalars.map { $0.value }) / \(suffix.unicodeScalars.map { $0.value })")
        }
    }
    #expect(mismatches.isEmpty, "\(mismatches)")
}

@Test func endpointHostTestMatchesParsing() {
    #expect(Endpoint.endpoint("10.0.0.5:41000", isOn: "10.0.0.5"))
    #expect(!Endpoint.endpoint("10.0.0.50:41000", isOn: "10.0.0.5"))
    #expect(Endpoint.endpoint("10.0.0.5", isOn: "10.0.0.5"))   // a bare address is its own host
    #expect(Endpoint.endpoint("[fe80::1]:80", isOn: "fe80::1"))
    #expect(Endpoint.endpoint("[FE80::1]:80", isOn: "fe80::1"))
    #expect(!Endpoint.endpoint("[fe80::2]:80", isOn: "fe80::1"))
}

@Test func theDiagnoserNamesTheLegItMatched() {
    var refused = requestLeg(111, at: 100 * ms + 100_000, "GET", "/cart")
    refused.synAckFrame = nil; refused.resetFrame = 1112; refused.resetFromUpstream = true
    let closed = requestLeg(112, upstream: "10.0.0.10:8080", at: 101 * ms, "GET", "/orders/7")
    var cache = GeneratorCache()
    let (diagnosis, legStream) = Diagnoser.diagnoseWithLeg(clientExchange(), evidence: nginxPage, legs: [refused, closed], cache: &cache)
    #expect(legStream == 112)
    #expect(diagnosis == Diagnoser.diagnose(clientExchange(), evidence: nginxPage, legs: [refused, closed]))
    let none = Diagnoser.diagnoseWithLeg(clientExchange(), evidence: nginxPage, legs: [], cache: &cache)
    #expect(none.legStream == nil)
}

@Test func explanationsWrittenWhenReadReadAsBefore() {
    let leg = requestLeg(112, upstream: "10.0.0.10:8080", at: 101 * ms, "GET", "/orders/7")
    let result = Diagnoser.diagnose(clientExchange(), evidence: nginxPage, legs: [leg])
    guard case .deferred(let finding, let status) = result.wording else {
        Issue.record("a diagnosis from the diagnoser words its explanation when read")
        return
    }
    #expect(result.explanation == Explanation.text(verdict: result.generator, status: status, finding: finding,
                                                   upstream: "10.0.0.10:8080", latency: result.latency))
    #expect(result.explanation.contains("10.0.0.10:8080"))
    let given = Diagnosis(generator: result.generator, cause: .refused, confidence: .high, explanation: "given text")
    #expect(given.explanation == "given text")
}

@Test func theClassificationMemoIgnoresOnlyTheDateHeader() {
    func page(date: String, server: String = "nginx/1.22.1", body: String = "<center>nginx</center>") -> ResponseEvidence {
        ResponseEvidence(status: 502, reason: "Bad Gateway", headers: [("Server", server), ("Date", date)],
                         bodyPrefix: Array(body.utf8))
    }
    let first = page(date: "Sun, 22 Nov 2026 03:20:54 GMT")
    #expect(GeneratorCache.sameIgnoringDate(first, page(date: "Sun, 22 Nov 2026 03:20:55 GMT")))
    #expect(GeneratorCache.hash(first) == GeneratorCache.hash(page(date: "Mon, 23 Nov 2026 00:00:00 GMT")))
    #expect(!GeneratorCache.sameIgnoringDate(first, page(date: "x", server: "Apache")))
    #expect(!GeneratorCache.sameIgnoringDate(first, page(date: "x", body: "<center>other</center>")))
    var noDate = first
    noDate.headers.removeLast()
    #expect(GeneratorCache.sameIgnoringDate(first, noDate))
    var extra = first
    extra.headers.append(("X-Cache", "MISS"))
    #expect(!GeneratorCache.sameIgnoringDate(first, extra))
    // The memo answers as the classifier does, for pages it has and has not seen.
    var cache = GeneratorCache(capacity: 2)
    for evidence in [first, page(date: "y", server: "Apache"), first, page(date: "z", body: "x"), first] {
        let memo = cache.classify(evidence)
        let direct = GeneratorClassifier.classifyWithCause(evidence)
        #expect(memo.verdict == direct.verdict)
        #expect(memo.cause == direct.cause)
    }
}

@Test func plainTargetScoresMatchTheCharacterComparison() {
    // Targets built from pieces that matter: query marks, shared tails, absolute form, a space,
    // a non-ASCII letter, a combining accent, a CR, an empty target.
    let pieces = ["/", "/api", "/orders", "/7", "?", "x=1", "&", "a", "7", "http://h", " ", "\u{E9}", "e\u{301}", "\r", "%2F"]
    var generator = SystemRandomNumberGenerator()
    func target() -> String {
        (0..<Int.random(in: 0...4, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }
    var mismatches: [String] = []
    var plainPairs = 0
    for round in 0..<20_000 {
        let mine = round % 7 == 0 ? "/orders/7" : target()
        let theirs = round % 5 == 0 ? mine : target()
        let exchange = ClientExchange(stream: 0, requestFrame: 1, requestTime: 0, requestMethod: "GET", requestTarget: mine,
                                      requestHost: nil, responseFrame: 2, responseTime: 1, gatewayAddress: "10.0.0.5")
        let client = Diagnoser.ClientRequest(exchange)
        if client.plain != nil, Diagnoser.PlainTarget(theirs) != nil { plainPairs += 1 }
        let fast = Diagnoser.contentScore(client, method: "GET", target: theirs)
        let slow = Diagnoser.contentScoreByCharacters(client, target: theirs)
        if fast != slow, mismatches.count < 5 { mismatches.append("\(mine.debugDescription) / \(theirs.debugDescription): \(String(describing: fast)) against \(String(describing: slow))") }
    }
    #expect(mismatches.isEmpty, "\(mismatches)")
    #expect(plainPairs > 1_000)
    // The plain test itself: printable ASCII from "/" on, and where the path ends.
    #expect(Diagnoser.PlainTarget("/a?b?c")?.pathLength == 2)
    #expect(Diagnoser.PlainTarget("/a b") == nil)
    #expect(Diagnoser.PlainTarget("http://h/a") == nil)
    #expect(Diagnoser.PlainTarget("/caf\u{E9}") == nil)
}

@Test func theDateHeaderIsKnownInAnyCaseAndNothingElseIs() {
    for name in ["Date", "date", "DATE", "dAtE"] { #expect(GeneratorCache.isDate(name), "\(name)") }
    // Near misses: a letter off, bytes that differ from a letter only in bit 5, lengths, non-ASCII.
    for name in ["Dat", "Dates", "Datf", "Bate", "D\u{41}te", "\u{44}\u{01}te", "D`te", "Da\u{54}\u{05}", "", "Dat\u{E9}", "Date "] {
        let expected = name.count == 4 && name.lowercased() == "date"
        #expect(GeneratorCache.isDate(name) == expected, "\(name.debugDescription)")
    }
}
