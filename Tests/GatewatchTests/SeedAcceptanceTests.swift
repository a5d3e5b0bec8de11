// The acceptance that matters: the seed's Netmon decode and hex dump, reproduced exactly.

import Foundation
import Testing

@Suite("Seed trace (IIS 6.0 CGI 502.2)")
struct SeedAcceptanceTests {
    /// The HTTP and hex lines as the article prints them, taken from ../shared/seeds when present.
    static func articleLines() throws -> [String]? {
        guard let shared = BinaryRunner.sharedDirectory else { return nil }
        let seeds = shared.appendingPathComponent("seeds")
        let names = try FileManager.default.contentsOfDirectory(atPath: seeds.path).filter { $0.hasPrefix("000_") }.sorted()
        guard let name = names.first else { return nil }
        let text = try String(contentsOf: seeds.appendingPathComponent(name), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter {
            $0.hasPrefix("HTTP: ") || $0.range(of: #"^[0-9A-F]{5}: "#, options: .regularExpression) != nil
        }
    }

    @Test func verboseHexDumpReproducesTheArticle() throws {
        guard let article = try Self.articleLines() else {
            print("skipped: ../shared/seeds is absent")
            return
        }
        #expect(article.count == 36, "the article has 9 HTTP lines and 27 hex lines")
        let capture = BinaryRunner.repositoryRoot.appendingPathComponent("Captures/seed-iis6-cgi-502.pcap").path
        let result = try BinaryRunner.run(["-r", capture, "-V", "-X", "--color", "never"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: article[0]) else {
            Issue.record("the first HTTP line of the article is not in the output")
            return
        }
        let block = Array(lines[start..<min(lines.count, start + article.count)])
        #expect(block == article)
    }

    @Test func committedCaptureIsTheReferenceFrame() throws {
        guard let shared = BinaryRunner.sharedDirectory else { return }
        let ours = try Data(contentsOf: BinaryRunner.repositoryRoot.appendingPathComponent("Captures/seed-iis6-cgi-502.pcap"))
        let reference = try Data(contentsOf: shared.appendingPathComponent("captures/seed-iis6-cgi-502.pcap"))
        #expect(ours == reference)
    }

    @Test func attributedToIISWithTheCGIExplanation() throws {
        let capture = BinaryRunner.repositoryRoot.appendingPathComponent("Captures/seed-iis6-cgi-502.pcap").path
        let result = try BinaryRunner.run(["-r", capture, "--json"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let diagnosis = object?["diagnosis"] as? [String: Any]
        #expect(object?["status"] as? Int == 502)
        #expect(object?["stream"] as? Int == 0)
        #expect(object?["frame"] as? Int == 1)
        #expect(diagnosis?["generator"] as? String == "iis")
        #expect(diagnosis?["substatus"] as? String == "502.2")
        #expect((diagnosis?["explanation"] as? String)?.contains("CGI") == true)
    }
}
