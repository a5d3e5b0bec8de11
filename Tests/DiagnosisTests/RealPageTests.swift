// Pages captured from Debian's nginx, Apache, HAProxy and Squid, each proxying to a closed or
// misbehaving loopback port in a private network namespace (see Pages/README.md).

import Diagnosis
import Testing

@Test func nginxRefusedPage() throws {
    let evidence = try FixturePage.load("nginx-1.22.1-refused.http")
    let verdict = GeneratorClassifier.classify(evidence)
    #expect(evidence.status == 502)
    #expect(verdict.gateway == .nginx)
    #expect(verdict.product == "nginx/1.22.1")
    #expect(verdict.confidence == .high)
    #expect(verdict.substatus == nil)
    #expect(verdict.markers.first == "body: nginx page footer")
}

@Test func nginxPassThroughOfAnApp502IsNotClaimedWithConfidence() throws {
    // gunicorn answered 502 with JSON; nginx replaced only the Server header.
    let evidence = try FixturePage.load("nginx-1.22.1-passthrough-app502.http")
    let verdict = GeneratorClassifier.classify(evidence)
    #expect(evidence.header("X-Request-Id") == "abc123")
    #expect(verdict.confidence == .low)
    #expect(verdict.markers == ["header: Server: nginx"])
}

@Test func haproxyClosedPage() throws {
    let evidence = try FixturePage.load("haproxy-2.6-closed.http")
    let verdict = GeneratorClassifier.classify(evidence)
    #expect(evidence.status == 502)
    #expect(verdict.gateway == .haproxy)
    #expect(verdict.product == nil)
    #expect(verdict.confidence == .medium)
    #expect(verdict.markers.contains("header: no Server header"))
}

@Test func haproxyRefused503Page() throws {
    let evidence = try FixturePage.load("haproxy-2.6-refused-503.http")
    let verdict = GeneratorClassifier.classify(evidence)
    #expect(evidence.status == 503)
    #expect(verdict.gateway == .haproxy)
    #expect(verdict.markers.first == "body: HAProxy 503 text")
}

@Test func apacheClosedPage() throws {
    let evidence = try FixturePage.load("apache-2.4-closed.http")
    let verdict = GeneratorClassifier.classify(evidence)
    #expect(evidence.reason == "Proxy Error")
    #expect(verdict.gateway == .apache)
    #expect(verdict.product == "Apache/2.4.71 (Debian)")
    #expect(verdict.confidence == .high)
    #expect(verdict.markers.contains("body: Apache: error reading from remote server"))
}

@Test func apachePartialHeadersPage() throws {
    let evidence = try FixturePage.load("apache-2.4-partial-headers.http")
    let verdict = GeneratorClassifier.classify(evidence)
    #expect(evidence.reason == "Bad Gateway")
    #expect(verdict.gateway == .apache)
    #expect(verdict.confidence == .high)
}

@Test func apacheRefused503PageStatesTheConnectFailure() throws {
    let evidence = try FixturePage.load("apache-2.4-refused-503.http")
    let exchange = ClientExchange(stream: 1, requestFrame: 1, requestTime: 0, responseFrame: 3,
                                  responseTime: 400_000, status: 503, gatewayAddress: "127.0.0.1")
    let diagnosis = Diagnoser.diagnose(exchange, evidence: evidence, legs: [])
    #expect(diagnosis.generator.gateway == .apache)
    #expect(diagnosis.cause == .refused)
    #expect(diagnosis.confidence == .medium)
    #expect(diagnosis.explanation.contains("AH00957"))
}

@Test func squidZeroSizeObjectPage() throws {
    let evidence = try FixturePage.load("squid-5.7-zero-size-object.http")
    let verdict = GeneratorClassifier.classify(evidence)
    #expect(verdict.gateway == .squid)
    #expect(verdict.product == "squid/5.7")
    #expect(verdict.confidence == .high)
    #expect(verdict.markers.contains("header: X-Squid-Error header"))
    let exchange = ClientExchange(stream: 1, responseFrame: 7, responseTime: 9, gatewayAddress: "127.0.0.1")
    let diagnosis = Diagnoser.diagnose(exchange, evidence: evidence, legs: [])
    #expect(diagnosis.cause == .closedBeforeResponse)
    #expect(diagnosis.confidence == .medium)
    #expect(diagnosis.explanation.contains("ERR_ZERO_SIZE_OBJECT"))
}

@Test func squidConnectFail503Page() throws {
    let evidence = try FixturePage.load("squid-5.7-connect-fail-503.http")
    let verdict = GeneratorClassifier.classify(evidence)
    #expect(evidence.status == 503)
    #expect(verdict.gateway == .squid)
    let exchange = ClientExchange(stream: 1, responseFrame: 7, responseTime: 9, status: 503, gatewayAddress: "127.0.0.1")
    #expect(Diagnoser.diagnose(exchange, evidence: evidence, legs: []).cause == .refused)
}

@Test func squidReadErrorPageStatesAReset() throws {
    let evidence = try FixturePage.load("squid-5.7-read-error.http")
    #expect(GeneratorClassifier.classify(evidence).gateway == .squid)
    let exchange = ClientExchange(stream: 1, responseFrame: 7, responseTime: 9, gatewayAddress: "127.0.0.1")
    let diagnosis = Diagnoser.diagnose(exchange, evidence: evidence, legs: [])
    #expect(diagnosis.cause == .reset)
    #expect(diagnosis.explanation.contains("ERR_READ_ERROR"))
}

/// The three 504s came from a 2 s timeout against an upstream that stayed silent for 5 s.
@Test(arguments: [("nginx-1.22.1-timeout-504.http", Gateway.nginx), ("haproxy-2.6-timeout-504.http", .haproxy),
                  ("squid-5.7-read-timeout-504.http", .squid)])
func timeoutPagesStateATimeout(file: String, gateway: Gateway) throws {
    let evidence = try FixturePage.load(file)
    #expect(evidence.status == 504)
    let exchange = ClientExchange(stream: 1, requestFrame: 1, requestTime: 0, responseFrame: 7,
                                  responseTime: 2_001_000_000, status: 504, gatewayAddress: "127.0.0.1")
    let diagnosis = Diagnoser.diagnose(exchange, evidence: evidence, legs: [])
    #expect(diagnosis.generator.gateway == gateway)
    #expect(diagnosis.generator.confidence >= .medium)
    #expect(diagnosis.cause == .timeout)
}

@Test func caddyRefusedPageIsEmptyWithItsServerHeader() throws {
    let evidence = try FixturePage.load("caddy-2.6-refused.http")
    let verdict = GeneratorClassifier.classify(evidence)
    #expect(evidence.bodyPrefix.isEmpty)
    #expect(verdict.gateway == .caddy)
    #expect(verdict.product == "Caddy")
    #expect(verdict.confidence == .medium)
}

@Test func varnishBackendFetchFailedPage() throws {
    let evidence = try FixturePage.load("varnish-7.1-backend-fetch-failed.http")
    let verdict = GeneratorClassifier.classify(evidence)
    #expect(evidence.reason == "Backend fetch failed")
    #expect(verdict.gateway == .varnish)
    #expect(verdict.product == "Varnish")
    #expect(verdict.confidence == .high)
}
