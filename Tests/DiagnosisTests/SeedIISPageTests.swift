// The IIS 6.0 CGI 502 from the seed article (Netmon trace), byte for byte.

import Diagnosis
import Testing

/// The response reassembled from the seed's hex dump (frame payload from offset 0x36).
let seedIIS6Response: [UInt8] = Array((
    "HTTP/1.1 502 Bad Gateway\r\n" +
    "Content-Length: 232\r\n" +
    "Content-Type: text/html\r\n" +
    "Server: Microsoft-IIS/6.0\r\n" +
    "Date: Tue, 23 Aug 2005 20:25:47 GMT\r\n\r\n" +
    "<html><head><title>Error</title></head><body><head><title>Error in CGI Application</title></head>\n" +
    "<body><h1>CGI Error</h1>The specified CGI application misbehaved by not returning a complete set of HTTP headers.</body></body></html>"
).utf8)

@Test func seedBodyIsTheLengthTheTraceDeclares() throws {
    let evidence = try #require(FixturePage.parse(seedIIS6Response))
    #expect(evidence.bodyPrefix.count == 232)
}

@Test func seedIIS6PageIsIISSubstatus502Dot2() throws {
    let evidence = try #require(FixturePage.parse(seedIIS6Response))
    let verdict = GeneratorClassifier.classify(evidence)
    #expect(verdict.gateway == .iis)
    #expect(verdict.product == "Microsoft-IIS/6.0")
    #expect(verdict.substatus == "502.2")
    #expect(verdict.substatusMeaning == "CGI application premature exit: it did not return a complete set of HTTP headers")
    #expect(verdict.confidence == .high)
    #expect(verdict.markers.contains("body: IIS CGI error title"))
    #expect(verdict.markers.contains("header: Server: Microsoft-IIS"))
}

@Test func seedDiagnosisTellsWhatToCheck() throws {
    let evidence = try #require(FixturePage.parse(seedIIS6Response))
    let exchange = ClientExchange(stream: 0, requestFrame: 10, requestTime: 1_000_000_000, requestMethod: "POST",
                                  requestTarget: "/cgi-bin/htmlos.exe/00182.3.055317239900014075",
                                  responseFrame: 90, responseTime: 5_000_000_000, gatewayAddress: "216.162.16.92")
    let diagnosis = Diagnoser.diagnose(exchange, evidence: evidence, legs: [])
    #expect(diagnosis.generator.gateway == .iis)
    #expect(diagnosis.cause == .closedBeforeResponse)
    #expect(diagnosis.confidence == .medium)
    #expect(diagnosis.upstream == nil)
    #expect(diagnosis.evidence == [10, 90])
    #expect(diagnosis.latency == 4_000_000_000)
    #expect(diagnosis.explanation.hasPrefix("IIS returned 502.2: CGI application premature exit"))
    #expect(diagnosis.explanation.contains("crash dump"))
    #expect(diagnosis.explanation.contains("FREB"))
    #expect(diagnosis.explanation.contains("ETW"))
}
