// Picking the upstream leg of one failed exchange among many concurrent ones.

import Diagnosis
import Testing

/// A connected leg from `gateway` with a request at `time` for `method target`.
func requestLeg(_ stream: Int, gateway: String = "10.0.0.5:41000", upstream: String = "10.0.0.9:8080",
                at time: Int64, _ method: String? = "GET", _ target: String? = nil) -> UpstreamLeg {
    UpstreamLeg(stream: stream, gateway: gateway, upstream: upstream, firstTime: time - 1 * ms,
                synFrames: [UInt64(stream * 10)], synTimes: [time - 1 * ms], synAckFrame: UInt64(stream * 10 + 1),
                requestFrame: UInt64(stream * 10 + 2), requestTime: time, requestMethod: method, requestTarget: target)
}

@Test func picksTheLegWithTheSamePathAmongConcurrentOnes() {
    // Three requests in flight through the same gateway within 3 ms of each other.
    let legs = [
        requestLeg(11, at: 100 * ms + 300_000, "GET", "/cart"),
        requestLeg(12, at: 100 * ms + 900_000, "GET", "/orders/7"),
        requestLeg(13, at: 101 * ms, "GET", "/search?q=x"),
    ]
    #expect(Diagnoser.matchUpstreamLeg(for: clientExchange(), among: legs)?.stream == 12)
}

@Test func picksTheClosestInTimeWhenPathsAreNotVisible() {
    let legs = [
        requestLeg(21, at: 130 * ms, nil, nil),
        requestLeg(22, at: 100 * ms + 400_000, nil, nil),
        requestLeg(23, at: 110 * ms, nil, nil),
    ]
    #expect(Diagnoser.matchUpstreamLeg(for: clientExchange(), among: legs)?.stream == 22)
}

@Test func aRewrittenPrefixStillBeatsAnUnrelatedPath() {
    // location /api/ { proxy_pass http://app/; } turns /api/orders/7 into /orders/7.
    var exchange = clientExchange()
    exchange.requestTarget = "/api/orders/7"
    let legs = [requestLeg(31, at: 100 * ms + 100_000, "GET", "/health"), requestLeg(32, at: 104 * ms, "GET", "/orders/7")]
    #expect(Diagnoser.matchUpstreamLeg(for: exchange, among: legs)?.stream == 32)
}

@Test func aDifferentMethodIsRuledOut() {
    let legs = [requestLeg(41, at: 100 * ms + 100_000, "POST", "/orders/7")]
    #expect(Diagnoser.matchUpstreamLeg(for: clientExchange(), among: legs) == nil)
}

@Test func legsOutsideTheRequestToResponseWindowAreIgnored() {
    let legs = [
        requestLeg(51, at: 90 * ms, "GET", "/orders/7"),     // before the client asked
        requestLeg(52, at: 151 * ms, "GET", "/orders/7"),    // after the 502 left
    ]
    #expect(Diagnoser.matchUpstreamLeg(for: clientExchange(), among: legs) == nil)
    // Within the slack (1 ms early: the two legs were captured on different interfaces) is fine.
    #expect(Diagnoser.matchUpstreamLeg(for: clientExchange(), among: [requestLeg(53, at: 99 * ms, "GET", "/orders/7")])?.stream == 53)
}

@Test func legsFromAnotherHostAndTheClientLegItselfAreIgnored() {
    let other = requestLeg(61, gateway: "10.0.0.6:41000", at: 101 * ms, "GET", "/orders/7")
    let itself = requestLeg(0, at: 101 * ms, "GET", "/orders/7")
    #expect(Diagnoser.matchUpstreamLeg(for: clientExchange(), among: [other, itself]) == nil)
}

@Test func aReusedKeepAliveLegMatchesByItsRequestTime() {
    var reused = UpstreamLeg(stream: 71, gateway: "10.0.0.5:40100", upstream: "10.0.0.9:8080", firstTime: -30 * second)
    reused.requestTime = 100 * ms + 200_000
    reused.requestTarget = "/orders/7"
    #expect(Diagnoser.matchUpstreamLeg(for: clientExchange(), among: [reused])?.stream == 71)
}

@Test func anUnansweredConnectMatchesBySynTime() {
    let attempt = UpstreamLeg(stream: 81, gateway: "10.0.0.5:40200", upstream: "10.0.0.9:8080", firstTime: 101 * ms,
                              synFrames: [5, 6], synTimes: [101 * ms, 1_101 * ms])
    #expect(Diagnoser.matchUpstreamLeg(for: clientExchange(responseTime: 3 * second), among: [attempt])?.stream == 81)
}

@Test func ipv6EndpointsCompareByHost() {
    let exchange = ClientExchange(stream: 0, requestTime: 100 * ms, responseFrame: 9, responseTime: 150 * ms,
                                  gatewayAddress: "2001:db8::5")
    let bracketed = UpstreamLeg(stream: 91, gateway: "[2001:DB8::5]:41000", upstream: "[2001:db8::9]:8080", firstTime: 101 * ms)
    let bare = UpstreamLeg(stream: 92, gateway: "2001:db8::6:41000", upstream: "[2001:db8::9]:8080", firstTime: 101 * ms)
    #expect(Diagnoser.matchUpstreamLeg(for: exchange, among: [bare, bracketed])?.stream == 91)
}

@Test func absoluteFormTargetsMatchTheirOriginForm() {
    var exchange = clientExchange()
    exchange.requestTarget = "http://shop.example/orders/7"
    let legs = [requestLeg(101, at: 100 * ms + 100_000, "GET", "/cart"), requestLeg(102, at: 120 * ms, "GET", "/orders/7")]
    #expect(Diagnoser.matchUpstreamLeg(for: exchange, among: legs)?.stream == 102)
}

@Test func diagnoseUsesOnlyTheMatchedLeg() {
    var refused = requestLeg(111, at: 100 * ms + 100_000, "GET", "/cart")
    refused.synAckFrame = nil; refused.resetFrame = 1112; refused.resetFromUpstream = true
    var closed = requestLeg(112, upstream: "10.0.0.10:8080", at: 101 * ms, "GET", "/orders/7")
    closed.upstreamFinFrame = 1125; closed.upstreamFinTime = 120 * ms
    let result = Diagnoser.diagnose(clientExchange(), evidence: nginxPage, legs: [refused, closed])
    #expect(result.upstream == "10.0.0.10:8080")
    #expect(result.cause == .closedBeforeResponse)
    #expect(!result.evidence.contains(1112))
    #expect(result.evidence.contains(1125))
}

@Test func anUnrelatedPathIsRuledOutEvenWhenItIsTheOnlyLeg() {
    let legs = [requestLeg(121, at: 100 * ms + 100_000, "GET", "/health")]
    #expect(Diagnoser.matchUpstreamLeg(for: clientExchange(), among: legs) == nil)
    let result = Diagnoser.diagnose(clientExchange(), evidence: nginxPage, legs: legs)
    #expect(result.upstream == nil)
    #expect(result.confidence < .high)
}
