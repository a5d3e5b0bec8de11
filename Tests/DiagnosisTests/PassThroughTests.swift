// A 502 that an application wrote and a proxy merely relayed must not be pinned on the proxy.

import Diagnosis
import Testing

let passThroughSamples: [(name: String, evidence: ResponseEvidence)] = [
    ("JSON 502 from a Flask app behind nginx", FixturePage.response(502, "BAD GATEWAY", [
        ("Server", "nginx/1.24.0"), ("Content-Type", "application/json"), ("X-Request-ID", "f3a9"),
    ], body: "{\"error\": \"payment provider unreachable\"}")),
    ("Express sendStatus(502) behind nginx", FixturePage.response(502, "Bad Gateway", [
        ("Server", "nginx"), ("X-Powered-By", "Express"), ("Content-Type", "text/plain; charset=utf-8"),
    ], body: "Bad Gateway")),
    ("Spring Boot 502 behind an ALB", FixturePage.response(502, "Bad Gateway", [
        ("Content-Type", "application/json"), ("Connection", "keep-alive"),
    ], body: "{\"timestamp\":\"2026-11-22T03:00:00.000+00:00\",\"status\":502,\"error\":\"Bad Gateway\",\"path\":\"/api/pay\"}")),
    ("gunicorn HTML 502 behind Cloudflare with pass-through", FixturePage.response(502, "Bad Gateway", [
        ("Server", "cloudflare"), ("CF-RAY", "8f1c2a3b4c5d6e7f-AMS"), ("Content-Type", "text/html"),
    ], body: "<html><head><title>502 Bad Gateway</title></head><body><h1>Upstream payment API failed</h1></body></html>")),
    ("Kestrel app 502 behind Envoy", FixturePage.response(502, "Bad Gateway", [
        ("server", "envoy"), ("x-envoy-upstream-service-time", "41"), ("content-type", "application/problem+json"),
    ], body: "{\"type\":\"https://tools.ietf.org/html/rfc9110#section-15.6.3\",\"title\":\"Bad Gateway\",\"status\":502}")),
    ("Caddy relaying an app's HTML 502", FixturePage.response(502, "Bad Gateway", [
        ("Server", "Caddy"), ("Content-Type", "text/html"),
    ], body: "<html><body>Our backend is down, sorry.</body></html>")),
]

@Test func noPassThroughIsClaimedWithHighOrMediumConfidence() {
    for sample in passThroughSamples {
        let verdict = GeneratorClassifier.classify(sample.evidence)
        #expect(verdict.confidence == .low, "\(sample.name): \(verdict.gateway) \(verdict.confidence)")
    }
}

@Test func aWeakMatchIsWordedAsSuch() {
    let exchange = ClientExchange(stream: 0, responseFrame: 2, responseTime: 1, gatewayAddress: "10.0.0.5")
    let result = Diagnoser.diagnose(exchange, evidence: passThroughSamples[0].evidence, legs: [])
    #expect(result.generator.gateway == .nginx)
    #expect(result.explanation.hasPrefix("This 502 only weakly matches nginx and may come from the application behind it"))
}

@Test func anAppWithNoProxyHeadersIsUnknownWithItsServerAsProduct() {
    let verdict = GeneratorClassifier.classify(FixturePage.response(502, "Bad Gateway", [("Server", "gunicorn")],
                                                                    body: "<h1>upstream failed</h1>"))
    #expect(verdict == GeneratorVerdict(gateway: .unknown, product: "gunicorn", confidence: .low))
}

@Test func bodyMarkersBeatAnOuterProxysHeaders() {
    // nginx's own page relayed by an ALB that kept nginx's Server header and by Cloudflare that replaced it.
    let viaCloudflare = FixturePage.response(502, "Bad Gateway", [("Server", "cloudflare"), ("CF-RAY", "8f1c-AMS")],
        body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
    let verdict = GeneratorClassifier.classify(viaCloudflare)
    #expect(verdict.gateway == .nginx)
    #expect(verdict.confidence == .medium)
    #expect(verdict.product == nil)
}
