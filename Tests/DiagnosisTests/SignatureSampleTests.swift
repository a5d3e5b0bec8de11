// One faithful sample per product that could not be run here, written from the signature notes.

import Diagnosis
import Testing

/// A sample response and what the classifier must say about it.
struct SignatureSample: Sendable, CustomTestStringConvertible {
    var name: String
    var evidence: ResponseEvidence
    var gateway: Gateway
    var minimum: Confidence
    var substatus: String? = nil
    var product: String? = nil
    var testDescription: String { name }
}

let signatureSamples: [SignatureSample] = [
    SignatureSample(name: "IIS ARR 502.3 custom error page", evidence: FixturePage.response(502, "Bad Gateway", [
        ("Content-Type", "text/html"), ("Server", "Microsoft-IIS/10.0"), ("X-Powered-By", "ARR/3.0"),
        ("X-Powered-By", "ASP.NET"),
    ], body: """
        <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
        <html xmlns="http://www.w3.org/1999/xhtml"><head><title>502 - Web server received an invalid response while acting as a gateway or proxy server.</title></head>
        <body><div id="header"><h1>Server Error</h1></div><div id="content"><div class="content-container"><fieldset>
          <h2>502 - Web server received an invalid response while acting as a gateway or proxy server.</h2>
          <h3>There is a problem with the page you are looking for, and it cannot be displayed. When the Web server (while acting as a gateway or proxy) contacted the upstream content server, it received an invalid response from the content server.</h3>
         </fieldset></div></div></body></html>
        """), gateway: .iisARR, minimum: .high, product: "Microsoft-IIS/10.0"),
    SignatureSample(name: "IIS ARR detailed error 502.3", evidence: FixturePage.response(502, "Bad Gateway", [
        ("Server", "Microsoft-IIS/8.5"), ("X-Powered-By", "ARR/2.5"),
    ], body: """
        <html><head><title>IIS 8.5 Detailed Error - 502.3 - Bad Gateway</title></head><body><div id="content">
        <div class="content-container"><h3>HTTP Error 502.3 - Bad Gateway</h3><h4>A connection with the server could not be established</h4></div>
        <div class="content-container"><fieldset><h4>Most likely causes:</h4><ul><li>The CGI application did not return a valid set of HTTP errors.</li></ul></fieldset></div>
        <table><tr><th>Module</th><td>ApplicationRequestRouting</td></tr><tr><th>Error Code</th><td>0x80072efd</td></tr></table></body></html>
        """), gateway: .iisARR, minimum: .high, substatus: "502.3"),
    SignatureSample(name: "ASP.NET Core Module 502.5 (v1)", evidence: FixturePage.response(502, "Bad Gateway", [
        ("Content-Type", "text/html"), ("Server", "Microsoft-IIS/10.0"), ("X-Powered-By", "ASP.NET"),
    ], body: """
        <html><head><title>IIS 10.0 Detailed Error - 502.5 - Process Failure</title></head><body>
        <h1>HTTP Error 502.5 - Process Failure</h1><h2>Common causes of this issue:</h2><ul>
        <li>The application process failed to start</li><li>The application process started but then stopped</li>
        <li>The application process started but failed to listen on the configured port</li></ul></body></html>
        """), gateway: .aspNetCoreModule, minimum: .high, substatus: "502.5"),
    SignatureSample(name: "ASP.NET Core Module 502.5 (v2, no number elsewhere)", evidence: FixturePage.response(502, "Bad Gateway", [
        ("Server", "Microsoft-IIS/10.0"),
    ], body: "<html><body><h1>ANCM Out-Of-Process Startup Failure</h1><p>Troubleshooting steps:</p></body></html>"),
        gateway: .aspNetCoreModule, minimum: .high, substatus: "502.5"),
    SignatureSample(name: "Envoy protocol error", evidence: FixturePage.response(502, "Bad Gateway", [
        ("content-length", "87"), ("content-type", "text/plain"), ("date", "Sun, 22 Nov 2026 03:00:00 GMT"),
        ("server", "envoy"),
    ], body: "upstream connect error or disconnect/reset before headers. reset reason: protocol error"),
        gateway: .envoy, minimum: .high),
    SignatureSample(name: "AWS ALB", evidence: FixturePage.response(502, "Bad Gateway", [
        ("Server", "awselb/2.0"), ("Date", "Sun, 22 Nov 2026 03:00:00 GMT"), ("Content-Type", "text/html"),
        ("Content-Length", "122"), ("Connection", "keep-alive"),
    ], body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"),
        gateway: .awsALB, minimum: .high, product: "awselb/2.0"),
    SignatureSample(name: "Cloudflare branded origin 502", evidence: FixturePage.response(502, "Bad Gateway", [
        ("Server", "cloudflare"), ("CF-RAY", "8f1c2a3b4c5d6e7f-FRA"), ("Content-Type", "text/html; charset=UTF-8"),
    ], body: """
        <!DOCTYPE html><html lang="en-US"><head><title>example.com | 502: Bad gateway</title></head><body>
        <h1><span class="inline-block">Bad gateway</span><span class="code-label">Error code 502</span></h1>
        <h2>What happened?</h2><p>The web server reported a bad gateway error.</p>
        <p>Cloudflare Ray ID: <strong class="font-semibold">8f1c2a3b4c5d6e7f</strong></p></body></html>
        """), gateway: .cloudflare, minimum: .high, product: "cloudflare"),
    SignatureSample(name: "Google Cloud load balancer", evidence: FixturePage.response(502, "Bad Gateway", [
        ("Content-Type", "text/html; charset=UTF-8"), ("Referrer-Policy", "no-referrer"), ("Content-Length", "332"),
        ("Via", "1.1 google"),
    ], body: """
        <html><head>
        <meta http-equiv="content-type" content="text/html;charset=utf-8">
        <title>502 Server Error</title>
        </head>
        <body text=#000000 bgcolor=#ffffff>
        <h1>Error: Server Error</h1>
        <h2>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.</h2>
        <h2></h2>
        </body></html>
        """), gateway: .googleFrontEnd, minimum: .high),
    SignatureSample(name: "Traefik", evidence: FixturePage.response(502, "Bad Gateway", [
        ("Content-Type", "text/plain; charset=utf-8"), ("Date", "Sun, 22 Nov 2026 03:00:00 GMT"), ("Content-Length", "11"),
    ], body: "Bad Gateway"), gateway: .traefik, minimum: .low),
    SignatureSample(name: "Caddy", evidence: FixturePage.response(502, "Bad Gateway", [
        ("Server", "Caddy"), ("Date", "Sun, 22 Nov 2026 03:00:00 GMT"), ("Content-Length", "0"),
    ], body: ""), gateway: .caddy, minimum: .medium, product: "Caddy"),
    SignatureSample(name: "Kong", evidence: FixturePage.response(502, "Bad Gateway", [
        ("Content-Type", "application/json; charset=utf-8"), ("Server", "kong/3.4.2"), ("X-Kong-Response-Latency", "3"),
    ], body: "{\n  \"message\":\"An invalid response was received from the upstream server\",\n  \"request_id\":\"5b0f2e3c\"\n}"),
        gateway: .kong, minimum: .high, product: "kong/3.4.2"),
    SignatureSample(name: "Varnish backend fetch failed", evidence: FixturePage.response(503, "Backend fetch failed", [
        ("Content-Type", "text/html; charset=utf-8"), ("Retry-After", "5"), ("X-Varnish", "32770"),
        ("Via", "1.1 varnish (Varnish/7.1)"),
    ], body: """
        <!DOCTYPE html>
        <html>
          <head>
            <title>503 Backend fetch failed</title>
          </head>
          <body>
            <h1>Error 503 Backend fetch failed</h1>
            <p>Backend fetch failed</p>
            <h3>Guru Meditation:</h3>
            <p>XID: 32771</p>
            <hr>
            <p>Varnish cache server</p>
          </body>
        </html>
        """), gateway: .varnish, minimum: .high),
    SignatureSample(name: "IIS 6 CGI timeout", evidence: FixturePage.response(502, "Bad Gateway", [
        ("Server", "Microsoft-IIS/6.0"), ("Content-Type", "text/html"),
    ], body: "<html><head><title>Error in CGI Application</title></head><body><h1>CGI Timeout</h1>The specified CGI application exceeded the allowed time for processing.  The server has deleted the process.</body></html>"),
        gateway: .iis, minimum: .high, substatus: "502.1", product: "Microsoft-IIS/6.0"),
    SignatureSample(name: "nginx 504 behind ALB keeps the inner Server header", evidence: FixturePage.response(504, "Gateway Time-out", [
        ("Server", "nginx/1.18.0"), ("Content-Type", "text/html"),
    ], body: "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"),
        gateway: .nginx, minimum: .high, product: "nginx/1.18.0"),
]

@Test(arguments: signatureSamples)
func sampleIsClassified(_ sample: SignatureSample) {
    let verdict = GeneratorClassifier.classify(sample.evidence)
    #expect(verdict.gateway == sample.gateway)
    #expect(verdict.confidence >= sample.minimum)
    #expect(verdict.substatus == sample.substatus)
    if let product = sample.product { #expect(verdict.product == product) }
    #expect(!verdict.markers.isEmpty)
}

@Test func everyGatewayButUnknownHasOneSignature() {
    let covered = GeneratorClassifier.signatures.map(\.gateway)
    #expect(Set(covered).count == covered.count)
    #expect(Set(covered) == Set(Gateway.allCases.filter { $0 != .unknown }))
}

@Test func displayNamesAreTheOperatorsNames() {
    #expect(Gateway.iisARR.displayName == "IIS ARR")
    #expect(Gateway.aspNetCoreModule.displayName == "ASP.NET Core Module")
    #expect(Gateway.apache.displayName == "Apache mod_proxy")
    #expect(Set(Gateway.allCases.map(\.displayName)).count == Gateway.allCases.count)
}

@Test func confidenceIsOrdered() {
    #expect(Confidence.low < .medium && Confidence.medium < .high)
    #expect(!(Confidence.high < .high))
}

@Test func substatusMeaningDependsOnTheModule() {
    let arr = IISSubstatus.entry(for: "502.5", gateway: .iisARR)
    let ancm = IISSubstatus.entry(for: "502.5", gateway: .aspNetCoreModule)
    #expect(arr?.meaning.contains("WebSocket") == true)
    #expect(ancm?.meaning.contains("failed to start") == true)
    #expect(IISSubstatus.entry(for: "502.9", gateway: .iis) == nil)
}

@Test func bodyIsCutToFourKiB() {
    let evidence = ResponseEvidence(status: 502, bodyPrefix: [UInt8](repeating: 0x41, count: 10_000))
    #expect(evidence.bodyPrefix.count == ResponseEvidence.bodyPrefixLimit)
}
