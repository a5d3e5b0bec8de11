// Loads captured responses (curl -i output) and builds literal ones for the classifier tests.

import Diagnosis
import Foundation
import Testing

/// Test helpers that turn a raw HTTP response into `ResponseEvidence`.
enum FixturePage {
    /// The Pages directory beside this file (found through #filePath, not bundle resources).
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Pages")

    /// Reads Pages/`name` and parses it as one HTTP response.
    static func load(_ name: String) throws -> ResponseEvidence {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try #require(parse(Array(data)))
    }

    /// Parses "HTTP/1.1 502 Reason\r\nName: value\r\n...\r\n\r\nbody" (LF-only lines accepted).
    static func parse(_ bytes: [UInt8]) -> ResponseEvidence? {
        var lines: [String] = []
        var index = 0
        var lineStart = 0
        while index < bytes.count {
            if bytes[index] == 0x0A {
                var end = index
                if end > lineStart && bytes[end - 1] == 0x0D { end -= 1 }
                let line = String(decoding: bytes[lineStart..<end], as: UTF8.self)
                index += 1
                lineStart = index
                if line.isEmpty { break }
                lines.append(line)
                continue
            }
            index += 1
        }
        guard let statusLine = lines.first else { return nil }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        let headers: [(name: String, value: String)] = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return (name: String(line[..<colon]), value: value)
        }
        return ResponseEvidence(status: status, reason: parts.count > 2 ? String(parts[2]) : "",
                                headers: headers, bodyPrefix: Array(bytes[lineStart...]))
    }

    /// Builds evidence from literal parts.
    static func response(_ status: Int, _ reason: String, _ headers: [(String, String)], body: String) -> ResponseEvidence {
        ResponseEvidence(status: status, reason: reason, headers: headers.map { (name: $0.0, value: $0.1) },
                         bodyPrefix: Array(body.utf8))
    }
}
