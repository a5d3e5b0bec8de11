// 502 diagnosis on real captures made on a gateway host (both legs captured), nginx and HAProxy:
// every 502 a gateway generated carries the right generator and upstream cause.

import Foundation
import Testing

struct ExpectedDiagnosis: Sendable, CustomStringConvertible {
    var capture: String
    var uri: String
    var generator: String
    var cause: String
    var description: String { "\(capture) \(uri)" }
}

@Suite("502 diagnosis on real gateway captures")
struct DiagnosisAcceptanceTests {
    /// What each gateway's own error log said (Captures/README.md); made by Tools/make-captures.sh
    /// and Tools/make-haproxy-captures.sh.
    static let expected: [ExpectedDiagnosis] = [
        .init(capture: "nginx-502-causes.pcap", uri: "/refused", generator: "nginx", cause: "upstream-refused"),
        .init(capture: "nginx-502-causes.pcap", uri: "/up/reset", generator: "nginx", cause: "upstream-reset"),
        .init(capture: "nginx-502-causes.pcap", uri: "/up/fin", generator: "nginx", cause: "upstream-closed-before-response"),
        .init(capture: "nginx-502-causes.pcap", uri: "/up/halfheader", generator: "nginx", cause: "upstream-closed-mid-headers"),
        .init(capture: "nginx-502-causes.pcap", uri: "/up/badheader", generator: "nginx", cause: "upstream-invalid-response"),
        .init(capture: "nginx-502-causes.pcap", uri: "/up/toobig", generator: "nginx", cause: "upstream-invalid-response"),
        .init(capture: "nginx-502-causes.pcap", uri: "/up/502", generator: "nginx", cause: "upstream-502"),
        .init(capture: "haproxy-502-causes.pcap", uri: "/reset/x", generator: "haproxy", cause: "upstream-reset"),
        .init(capture: "haproxy-502-causes.pcap", uri: "/fin/x", generator: "haproxy", cause: "upstream-closed-before-response"),
        .init(capture: "haproxy-502-causes.pcap", uri: "/halfheader/x", generator: "haproxy", cause: "upstream-closed-mid-headers"),
        .init(capture: "haproxy-502-causes.pcap", uri: "/badheader/x", generator: "haproxy", cause: "upstream-invalid-response"),
        .init(capture: "haproxy-502-causes.pcap", uri: "/toobig/x", generator: "haproxy", cause: "upstream-invalid-response"),
    ]

    /// The 502 responses of a capture, as (client-leg URI, diagnosis).
    static func diagnoses(_ capture: String) throws -> [(uri: String, diagnosis: [String: Any], source: String)] {
        let path = BinaryRunner.repositoryRoot.appendingPathComponent("Captures").appendingPathComponent(capture).path
        let result = try BinaryRunner.run(["-r", path, "--json", "--status", "502"])
        return try result.standardOutput.split(separator: "\n").compactMap { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let request = object["request"] as? [String: Any], let uri = request["uri"] as? String,
                  let diagnosis = object["diagnosis"] as? [String: Any], let source = object["src"] as? String else { return nil }
            return (uri, diagnosis, source)
        }
    }

    @Test(arguments: expected)
    func gatewayAndCause(_ item: ExpectedDiagnosis) throws {
        // The client leg's 502 is the one the gateway (port 8080) sent.
        let found = try Self.diagnoses(item.capture).first { $0.uri == item.uri && $0.source.hasSuffix(":8080") }
        let diagnosis = try #require(found?.diagnosis, "no 502 for \(item.uri)")
        #expect(diagnosis["generator"] as? String == item.generator)
        #expect(diagnosis["cause"] as? String == item.cause)
        #expect(diagnosis["upstream"] as? String != nil)
        #expect((diagnosis["evidence"] as? [Int])?.isEmpty == false)
    }

    @Test(arguments: ["nginx-502-causes.pcap", "haproxy-502-causes.pcap"])
    func noWrongGeneratorWithHighConfidence(_ capture: String) throws {
        for entry in try Self.diagnoses(capture) where entry.diagnosis["confidence"] as? String == "high" {
            let generator = entry.diagnosis["generator"] as? String
            // A 502 the upstream app wrote (port 9001) is not the gateway's: it must not be named as one.
            if entry.source.hasSuffix(":9001") { #expect(generator == "unknown") }
        }
    }
}
