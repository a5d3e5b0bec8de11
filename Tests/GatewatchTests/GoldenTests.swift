// Golden-output tests in tcpdump's style: Captures/TESTLIST names a capture, options and the
// expected output; RECORD_GOLDEN=1 (or a missing expected file) re-records and fails.

import Foundation
import Testing

/// One line of Captures/TESTLIST: `name  capture  expected  options…`.
struct GoldenCase: CustomStringConvertible, Sendable {
    var name: String
    var capture: String
    var expected: String
    var options: [String]
    var description: String { name }

    static func load() -> [GoldenCase] {
        let list = BinaryRunner.repositoryRoot.appendingPathComponent("Captures/TESTLIST")
        guard let text = try? String(contentsOf: list, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
            let fields = trimmed.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count >= 3 else { return nil }
            return GoldenCase(name: fields[0], capture: fields[1], expected: fields[2], options: Array(fields.dropFirst(3)))
        }
    }
}

@Suite("Golden output over Captures/")
struct GoldenTests {
    @Test("TESTLIST is present and names existing captures")
    func listIsValid() throws {
        let cases = GoldenCase.load()
        #expect(cases.count >= 5)
        for item in cases {
            let path = BinaryRunner.repositoryRoot.appendingPathComponent("Captures").appendingPathComponent(item.capture).path
            #expect(FileManager.default.fileExists(atPath: path), "\(item.name): \(item.capture) is missing")
        }
    }

    @Test("output matches the recorded golden file", arguments: GoldenCase.load())
    func golden(_ item: GoldenCase) throws {
        let captures = BinaryRunner.repositoryRoot.appendingPathComponent("Captures")
        let result = try BinaryRunner.run(["-r", captures.appendingPathComponent(item.capture).path, "--color", "never"] + item.options)
        let actual = "exit \(result.status)\n" + result.standardOutput
            + (result.standardError.isEmpty ? "" : "--- stderr\n" + result.standardError)
        let expectedURL = captures.appendingPathComponent(item.expected)
        let record = ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"
        guard !record, let expected = try? String(contentsOf: expectedURL, encoding: .utf8) else {
            try FileManager.default.createDirectory(at: expectedURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
            Issue.record("\(item.name): recorded \(item.expected); check it and run again without RECORD_GOLDEN")
            return
        }
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDifference = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
            Issue.record("""
            \(item.name): output differs from \(item.expected) at line \(firstDifference + 1)
              expected: \(firstDifference < e.count ? String(e[firstDifference]) : "<end>")
              actual:   \(firstDifference < a.count ? String(a[firstDifference]) : "<end>")
            """)
        }
    }
}
