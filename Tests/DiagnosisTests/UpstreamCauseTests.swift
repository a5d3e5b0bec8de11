// Each upstream-leg behaviour maps to its cause, with the frames that show it.

import Diagnosis
import Testing

let ms: Int64 = 1_000_000
let second: Int64 = 1_000_000_000

/// nginx's bare 502 page, so the explanations use nginx's log wording.
let nginxPage = FixturePage.response(502, "Bad Gateway", [("Server", "nginx/1.22.1"), ("Content-Type", "text/html")],
    body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n")

/// Client 192.0.2.10 asked gateway 10.0.0.5 for GET /orders/7 at t=100 ms (frame 1); the 502 is frame 50.
func clientExchange(responseTime: Int64 = 150 * ms) -> ClientExchange {
    ClientExchange(stream: 0, requestFrame: 1, requestTime: 100 * ms, requestMethod: "GET", requestTarget: "/orders/7",
                   requestHost: "shop.example", responseFrame: 50, responseTime: responseTime, gatewayAddress: "10.0.0.5")
}

/// A leg from the gateway to 10.0.0.9:8080 opened at t=101 ms with SYN frame 2.
func leg(_ configure: (inout UpstreamLeg) -> Void) -> UpstreamLeg {
    var leg = UpstreamLeg(stream: 1, gateway: "10.0.0.5:40000", upstream: "10.0.0.9:8080", firstTime: 101 * ms,
                          synFrames: [2], synTimes: [101 * ms])
    configure(&leg)
    return leg
}

/// Handshake done (SYN-ACK frame 3) and request sent (frame 4, t=102 ms).
func connectedLeg(_ configure: (inout UpstreamLeg) -> Void) -> UpstreamLeg {
    leg {
        $0.synAckFrame = 3
        $0.requestFrame = 4
        $0.requestTime = 102 * ms
        $0.requestMethod = "GET"
        $0.requestTarget = "/orders/7"
        $0.requestBytes = 180
        configure(&$0)
    }
}

func diagnose(_ leg: UpstreamLeg, responseTime: Int64 = 150 * ms, page: ResponseEvidence = nginxPage) -> Diagnosis {
    Diagnoser.diagnose(clientExchange(responseTime: responseTime), evidence: page, legs: [leg])
}

@Test func synAnsweredByResetIsRefused() {
    let result = diagnose(leg {
        $0.resetFrame = 3; $0.resetTime = 101 * ms + 40_000; $0.resetFromUpstream = true
    })
    #expect(result.cause == .refused)
    #expect(result.confidence == .high)
    #expect(result.upstream == "10.0.0.9:8080")
    #expect(result.evidence == [1, 2, 3, 50])
    #expect(result.explanation.contains("connect() failed (111: Connection refused)"))
    #expect(result.explanation.contains("10.0.0.9:8080"))
}

@Test func retransmittedSynsWithoutAnswerAreNoAnswer() {
    let result = diagnose(leg {
        $0.synFrames = [2, 5, 9]; $0.synTimes = [101 * ms, 1_101 * ms, 3_101 * ms]
        $0.gatewayCloseFrame = nil
    }, responseTime: 5_101 * ms)
    #expect(result.cause == .noAnswer)
    #expect(result.confidence == .high)
    #expect(result.evidence == [1, 2, 5, 9, 50])
    #expect(result.explanation.contains("3 SYN(s) to 10.0.0.9:8080 got no answer over 5.0 s"))
}

@Test func aSingleUnansweredSynIsOnlyMediumConfidence() {
    let result = diagnose(leg { _ in })
    #expect(result.cause == .noAnswer)
    #expect(result.confidence == .medium)
}

@Test func resetAfterTheRequestIsReset() {
    let result = diagnose(connectedLeg {
        $0.resetFrame = 6; $0.resetTime = 140 * ms; $0.resetFromUpstream = true
    })
    #expect(result.cause == .reset)
    #expect(result.confidence == .high)
    #expect(result.evidence == [1, 2, 3, 4, 6, 50])
    #expect(result.explanation.contains("recv() failed (104: Connection reset by peer)"))
    #expect(!result.explanation.contains("keep-alive connection"))
}

@Test func finBeforeAnyResponseByteIsClosedBeforeResponse() {
    let result = diagnose(connectedLeg {
        $0.upstreamFinFrame = 7; $0.upstreamFinTime = 130 * ms
        $0.gatewayCloseFrame = 8; $0.gatewayCloseTime = 131 * ms
    })
    #expect(result.cause == .closedBeforeResponse)
    #expect(result.confidence == .high)
    #expect(result.evidence == [1, 2, 3, 4, 7, 50])
    #expect(result.explanation.contains("upstream prematurely closed connection"))
}

@Test func finOnAReusedIdleConnectionRightAfterTheRequestIsAKeepAliveRace() {
    // Opened 30 s earlier, so no SYN in this leg's window; the FIN lands 300 µs after the request.
    var reused = UpstreamLeg(stream: 4, gateway: "10.0.0.5:40100", upstream: "10.0.0.9:8080", firstTime: -30 * second)
    reused.requestFrame = 4; reused.requestTime = 102 * ms; reused.requestMethod = "GET"; reused.requestTarget = "/orders/7"
    reused.upstreamFinFrame = 5; reused.upstreamFinTime = 102 * ms + 300_000
    let result = diagnose(reused)
    #expect(result.cause == .closedBeforeResponse)
    #expect(result.explanation.contains("idle keep-alive connection"))
}

@Test func partialHeadThenFinIsClosedMidHeaders() {
    let result = diagnose(connectedLeg {
        $0.responseFirstByteFrame = 6; $0.responseBytes = 37
        $0.responseStartsWithStatusLine = true; $0.responseHeadComplete = false
        $0.upstreamFinFrame = 7; $0.upstreamFinTime = 120 * ms
    })
    #expect(result.cause == .closedMidHeaders)
    #expect(result.confidence == .high)
    #expect(result.evidence == [1, 2, 3, 4, 6, 7, 50])
    #expect(result.explanation.contains("sent 37 bytes of a response head"))
}

@Test func bytesThatAreNotAStatusLineAreAnInvalidResponse() {
    let result = diagnose(connectedLeg {
        $0.responseFirstByteFrame = 6; $0.responseBytes = 7   // a TLS alert: 15 03 03 00 02 02 46
        $0.responseStartsWithStatusLine = false
        $0.upstreamFinFrame = 7; $0.upstreamFinTime = 104 * ms
    })
    #expect(result.cause == .invalidResponse)
    #expect(result.confidence == .high)
    #expect(result.explanation.contains("not an HTTP status line"))
    #expect(result.explanation.contains("TLS vs plain HTTP"))
}

@Test func aCompleteAnswerTheGatewayRejectedIsAnInvalidResponseAtMediumConfidence() {
    let result = diagnose(connectedLeg {
        $0.responseFirstByteFrame = 6; $0.responseBytes = 9_000
        $0.responseStartsWithStatusLine = true; $0.responseHeadComplete = true; $0.responseStatus = 200
    })
    #expect(result.cause == .invalidResponse)
    #expect(result.confidence == .medium)
    #expect(result.explanation.contains("answered 200 but the gateway rejected"))
}

@Test func silenceUntilTheGatewayClosesIsATimeout() {
    let result = diagnose(connectedLeg {
        $0.gatewayCloseFrame = 40; $0.gatewayCloseTime = 102 * ms + 60 * second
    }, responseTime: 102 * ms + 60 * second + 200_000)
    #expect(result.cause == .timeout)
    #expect(result.confidence == .high)
    #expect(result.evidence == [1, 2, 3, 4, 40, 50])
    #expect(result.explanation.contains("sent nothing for 60.0 s"))
    #expect(result.explanation.contains("upstream timed out (110: Connection timed out)"))
}

@Test func gatewayResetCountsAsTheGatewayGivingUp() {
    let result = diagnose(connectedLeg {
        $0.resetFrame = 40; $0.resetTime = 102 * ms + 120 * second; $0.resetFromUpstream = false
    }, responseTime: 102 * ms + 120 * second + 1 * ms)
    #expect(result.cause == .timeout)
    #expect(result.confidence == .high)
    #expect(result.evidence.contains(40))
}

@Test func longSilenceWithoutACloseIsATimeoutAtMediumConfidence() {
    let result = diagnose(connectedLeg { _ in }, responseTime: 30 * second)
    #expect(result.cause == .timeout)
    #expect(result.confidence == .medium)
}

@Test func anUpstream502IsPassedThrough() {
    let result = diagnose(connectedLeg {
        $0.responseFirstByteFrame = 6; $0.responseBytes = 240
        $0.responseStartsWithStatusLine = true; $0.responseHeadComplete = true; $0.responseStatus = 502
    })
    #expect(result.cause == .upstream502)
    #expect(result.confidence == .high)
    #expect(result.evidence == [1, 2, 3, 4, 6, 50])
    #expect(result.explanation.contains("next hop"))
}

@Test func aQuietShortLegIsUnknown() {
    let result = diagnose(connectedLeg { _ in })
    #expect(result.cause == .unknown)
    #expect(result.confidence == .low)
    #expect(result.upstream == "10.0.0.9:8080")
}

@Test func upstreamFinAfterTheGatewayGaveUpIsStillATimeout() {
    // The gateway's FIN at 60 s comes first; the upstream's FIN is only its reply.
    let result = diagnose(connectedLeg {
        $0.gatewayCloseFrame = 40; $0.gatewayCloseTime = 60 * second
        $0.upstreamFinFrame = 41; $0.upstreamFinTime = 60 * second + 100_000
    }, responseTime: 60 * second + 1 * ms)
    #expect(result.cause == .timeout)
}

@Test func passThroughBehindNginxWithTheUpstreamLegIsUpstream502NotNginx() throws {
    let page = try FixturePage.load("nginx-1.22.1-passthrough-app502.http")
    let result = diagnose(connectedLeg {
        $0.responseFirstByteFrame = 6; $0.responseBytes = 190
        $0.responseStartsWithStatusLine = true; $0.responseHeadComplete = true; $0.responseStatus = 502
    }, page: page)
    #expect(result.cause == .upstream502)
    #expect(result.generator.confidence == .low)
}
