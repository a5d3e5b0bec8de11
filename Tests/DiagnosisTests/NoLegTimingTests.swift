// Without an upstream leg, only the page and the timing speak, and never with high confidence.

import Diagnosis
import Testing

func exchange(latency: Int64?) -> ClientExchange {
    ClientExchange(stream: 0, requestFrame: latency == nil ? nil : 1, requestTime: latency == nil ? nil : 5 * second,
                   requestMethod: "GET", requestTarget: "/", responseFrame: 2,
                   responseTime: 5 * second + (latency ?? 0), gatewayAddress: "10.0.0.5")
}

@Test func an800MicrosecondAnswerMeansNoAttemptOrRefused() {
    let result = Diagnoser.diagnose(exchange(latency: 800_000), evidence: nginxPage, legs: [])
    #expect(result.cause == .refused)
    #expect(result.confidence == .low)
    #expect(result.latency == 800_000)
    #expect(result.explanation.contains("800 µs"))
    #expect(result.explanation.contains("no upstream attempt"))
}

@Test(arguments: [Int64(30), 60, 120])
func aRoundNumberOfSecondsIsATimeout(seconds: Int64) {
    let result = Diagnoser.diagnose(exchange(latency: seconds * second + 4 * ms), evidence: nginxPage, legs: [])
    #expect(result.cause == .timeout)
    #expect(result.confidence == .medium)
    #expect(result.explanation.contains("matches a \(seconds) s gateway timeout"))
}

@Test func ancmTwoMinuteTimeoutNamesRequestTimeout() {
    let page = FixturePage.response(502, "Bad Gateway", [("Server", "Microsoft-IIS/10.0")],
        body: "<h3>HTTP Error 502.3 - Bad Gateway</h3><h4>There was a connection error while trying to route the request.</h4>")
    let result = Diagnoser.diagnose(exchange(latency: 120 * second + 300 * ms), evidence: page, legs: [])
    #expect(result.generator.gateway == .aspNetCoreModule)
    #expect(result.generator.substatus == "502.3")
    #expect(result.cause == .timeout)
    #expect(result.explanation.contains("requestTimeout, default 2 min"))
}

@Test(arguments: [Int64(15 * ms), 7_300 * ms, 45 * second, 200 * second])
func otherLatenciesAreUnknown(latency: Int64) {
    let result = Diagnoser.diagnose(exchange(latency: latency), evidence: nginxPage, legs: [])
    #expect(result.cause == .unknown)
    #expect(result.confidence == .low)
    #expect(result.explanation.contains("does not show why"))
}

@Test func withoutTheRequestThereIsNoTiming() {
    let result = Diagnoser.diagnose(exchange(latency: nil), evidence: nginxPage, legs: [])
    #expect(result.cause == .unknown)
    #expect(result.latency == nil)
    #expect(result.evidence == [2])
}

@Test func thePageStatementBeatsTiming() {
    let envoy = FixturePage.response(503, "Service Unavailable", [("server", "envoy")],
        body: "upstream connect error or disconnect/reset before headers. reset reason: connection termination")
    let result = Diagnoser.diagnose(exchange(latency: 60 * second), evidence: envoy, legs: [])
    #expect(result.cause == .closedBeforeResponse)
    #expect(result.confidence == .medium)
    #expect(result.explanation.contains("UC"))
}

@Test func cloudflareSayingTheOriginAnswered502IsUpstream502() {
    let page = FixturePage.response(502, "Bad Gateway", [("Server", "cloudflare"), ("CF-RAY", "8f1c2a3b4c5d6e7f-FRA")],
        body: "<p>The web server reported a bad gateway error.</p><p>Cloudflare Ray ID: 8f1c2a3b4c5d6e7f</p>")
    let result = Diagnoser.diagnose(exchange(latency: 40 * ms), evidence: page, legs: [])
    #expect(result.cause == .upstream502)
    #expect(result.confidence < .high)
}

@Test func noConfidenceIsHighWithoutALeg() {
    let pages = [nginxPage, FixturePage.response(502, "Bad Gateway", [("X-Squid-Error", "ERR_READ_ERROR 104")], body: "")]
    for page in pages {
        for latency in [Int64(500_000), 60 * second, 3 * second] {
            #expect(Diagnoser.diagnose(exchange(latency: latency), evidence: page, legs: []).confidence < .high)
        }
    }
}
