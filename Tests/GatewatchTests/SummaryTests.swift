// --summary and --write-matching, checked against what the per-message output of the same run says.

import Foundation
import Testing

/// One JSON object per output line.
private func jsonLines(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n").map { line in
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(line)")
    }
}

private func capture(_ name: String) -> String {
    BinaryRunner.repositoryRoot.appendingPathComponent("Captures").appendingPathComponent(name).path
}

/// The messages of a `--json --summary` run and its final summary object.
private func summaryRun(_ name: String, _ extra: [String] = []) throws -> (messages: [[String: Any]], summary: [String: Any]) {
    let result = try BinaryRunner.run(["-r", capture(name), "--json", "--summary"] + extra)
    #expect(result.status == 0)
    var lines = try jsonLines(result.standardOutput)
    let last = lines.popLast()
    let summary = try #require(last)
    #expect(summary["type"] as? String == "summary")
    #expect(!lines.contains { $0["type"] as? String == "summary" }, "the summary is the last line only")
    return (lines, summary)
}

@Suite("--summary and --write-matching")
struct SummaryTests {
    static let captures = ["nginx-502-causes.pcap", "nginx-varied.pcap"]

    @Test("responses by status equal the JSON lines by status", arguments: captures)
    func countsMatchLines(_ name: String) throws {
        let (messages, summary) = try summaryRun(name)
        var lines: [String: Int] = [:]
        for message in messages where message["type"] as? String == "response" {
            let status = try #require(message["status"] as? Int)
            lines[String(status), default: 0] += 1
        }
        let byStatus = try #require(summary["by_status"] as? [String: Int])
        #expect(!lines.isEmpty)
        #expect(byStatus == lines)
        #expect(summary["responses"] as? Int == lines.values.reduce(0, +))
        #expect(summary["requests"] as? Int == messages.filter { $0["type"] as? String == "request" }.count)
    }

    @Test("the 502 generator and cause table is what the per-line diagnoses say", arguments: captures)
    func errorTableMatchesDiagnoses(_ name: String) throws {
        let (messages, summary) = try summaryRun(name)
        var perLine: [String: Int] = [:]
        for message in messages where message["status"] as? Int == 502 {
            let diagnosis = try #require(message["diagnosis"] as? [String: Any])
            perLine["\(diagnosis["generator"] ?? "") \(diagnosis["cause"] ?? "")", default: 0] += 1
        }
        var table: [String: Int] = [:]
        for row in try #require(summary["errors"] as? [[String: Any]]) where row["status"] as? Int == 502 {
            let count = try #require(row["count"] as? Int)
            table["\(row["generator"] ?? "") \(row["cause"] ?? "")", default: 0] += count
        }
        #expect(!perLine.isEmpty)
        #expect(table == perLine)
    }

    @Test("the top 502 URLs are the requests the 502s answered")
    func topURLsAreThe502Requests() throws {
        let (messages, summary) = try summaryRun("nginx-502-causes.pcap")
        var perLine: [String: Int] = [:]
        for message in messages where message["status"] as? Int == 502 {
            let request = try #require(message["request"] as? [String: Any])
            perLine["\(request["method"] ?? "") \(request["uri"] ?? "")", default: 0] += 1
        }
        var top: [String: Int] = [:]
        for row in try #require(summary["top_502_urls"] as? [[String: Any]]) {
            let count = try #require(row["count"] as? Int)
            top["\(row["method"] ?? "") \(row["uri"] ?? "")"] = count
        }
        #expect(perLine.count <= 10)
        #expect(top == perLine)
    }

    @Test("percentiles are monotonic, counted over the timed responses, and the max is the largest latency", arguments: captures)
    func percentilesAreMonotonic(_ name: String) throws {
        let (messages, summary) = try summaryRun(name)
        var latencies: [String: [Double]] = [:]
        for message in messages where message["type"] as? String == "response" {
            if let latency = message["latency_ms"] as? Double { latencies[String(message["status"] as? Int ?? 0), default: []].append(latency) }
        }
        let table = try #require(summary["latency_ms"] as? [String: [String: Any]])
        #expect(Set(table.keys) == Set(latencies.keys))
        for (status, row) in table {
            let p50 = try #require(row["p50"] as? Double), p90 = try #require(row["p90"] as? Double)
            let p99 = try #require(row["p99"] as? Double), maximum = try #require(row["max"] as? Double)
            #expect(p50 <= p90 && p90 <= p99 && p99 <= maximum, "status \(status): \(row)")
            let values = latencies[status] ?? []
            #expect(row["count"] as? Int == values.count)
            #expect(abs(maximum - (values.max() ?? -1)) <= 0.0015, "status \(status)")
            // The log-scale buckets are at most 1/16 wide: p50 is within that of the true median.
            let sorted = values.sorted()
            let median = sorted[(sorted.count + 1) / 2 - 1]
            #expect(p50 >= median - 0.0015 && p50 <= median * 1.0625 + 0.0015, "status \(status): p50 \(p50), median \(median)")
        }
    }

    @Test("--status only narrows the lines: the summary still counts and diagnoses every response")
    func summaryIgnoresTheStatusFilter() throws {
        let (all, full) = try summaryRun("nginx-502-causes.pcap")
        let (shown, narrowed) = try summaryRun("nginx-502-causes.pcap", ["--status", "200"])
        #expect(shown.allSatisfy { $0["status"] as? Int == 200 })
        #expect(shown.count < all.count)
        #expect(narrowed["by_status"] as? [String: Int] == full["by_status"] as? [String: Int])
        let rows = { (summary: [String: Any]) in
            (summary["errors"] as? [[String: Any]] ?? []).map { "\($0["status"] ?? "") \($0["generator"] ?? "") \($0["cause"] ?? "") \($0["count"] ?? "")" }
        }
        #expect(!rows(full).isEmpty)
        #expect(rows(narrowed) == rows(full))
    }

    @Test func unwritableMatchingFileIsARuntimeError() throws {
        let result = try BinaryRunner.run(["-r", capture("nginx-502-causes.pcap"), "--write-matching", "/nonexistent/dir/out.pcap"])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("gatewatch: "))
        #expect(result.standardError.contains("/nonexistent/dir/out.pcap"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test("text --summary follows the messages and ends with the gaps line")
    func textSummaryComesLast() throws {
        let result = try BinaryRunner.run(["-r", capture("nginx-502-causes.pcap"), "--summary", "--color", "never"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("Summary: ") })
        #expect(!lines[..<start].contains { $0.hasPrefix("Responses by status") })
        #expect(lines[start...].allSatisfy { !$0.contains("HTTP:Response") })
        #expect(lines.last?.hasPrefix("Gaps and drops: 0 gaps (0 bytes)") == true)
        #expect(lines.contains("Responses by status: 200: 4, 502: 8, 504: 1"))
    }

    @Test("--write-matching keeps exactly the 502 connections and their upstream legs, every packet of them")
    func writeMatchingKeepsThe502Exchanges() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gatewatch-matching-\(getpid()).pcap")
        defer { try? FileManager.default.removeItem(at: output) }
        let write = try BinaryRunner.run(["-r", capture("nginx-502-causes.pcap"), "--status", "502", "--json",
                                          "--write-matching", output.path])
        #expect(write.status == 0)
        #expect(write.standardError.isEmpty)
        let original = try jsonLines(write.standardOutput)
        let readBack = try jsonLines(try BinaryRunner.run(["-r", output.path, "--json"]).standardOutput)

        // The same 502s, with the same diagnoses (so their upstream legs came along).
        func fiveOhTwos(_ messages: [[String: Any]]) -> [String] {
            messages.filter { $0["status"] as? Int == 502 }.map { message in
                let request = message["request"] as? [String: Any], diagnosis = message["diagnosis"] as? [String: Any]
                return "\(request?["uri"] ?? "-") \(diagnosis?["cause"] ?? "-") \(diagnosis?["upstream"] ?? "-")"
            }.sorted()
        }
        #expect(fiveOhTwos(original).count == 8)
        #expect(fiveOhTwos(readBack) == fiveOhTwos(original))

        // Which connections should be there: each 502's own, and each leg its diagnosis names
        // by evidence frames. Compare endpoint pairs and packet counts per pair with the original.
        let all = try BinaryRunner.run(["-r", capture("nginx-502-causes.pcap"), "--frames", "--color", "never"]).standardOutput
        let kept = try BinaryRunner.run(["-r", output.path, "--frames", "--color", "never"]).standardOutput
        let originalFrames = framesByConnection(all)
        let keptFrames = framesByConnection(kept)
        var expected: Set<String> = []
        for message in original where message["status"] as? Int == 502 {
            let pair = connectionKey(try #require(message["src"] as? String), try #require(message["dst"] as? String))
            expected.insert(pair)
            let diagnosis = try #require(message["diagnosis"] as? [String: Any])
            let evidence = Set(try #require(diagnosis["evidence"] as? [Int]).map(UInt64.init))
            guard let upstream = diagnosis["upstream"] as? String else { continue }
            for (connection, frames) in originalFrames where connection.contains(upstream) && !frames.isDisjoint(with: evidence) {
                expected.insert(connection)
            }
        }
        #expect(expected.count == 14)
        #expect(Set(keptFrames.keys) == expected)
        #expect(originalFrames.count > expected.count, "the capture holds connections that must be left out")
        for connection in expected {
            #expect(keptFrames[connection]?.count == originalFrames[connection]?.count, "\(connection)")
        }
    }

    @Test("--write-matching without --status keeps every 5xx, the 504 and its upstream leg too")
    func writeMatchingDefaultsTo5xx() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gatewatch-5xx-\(getpid()).pcap")
        defer { try? FileManager.default.removeItem(at: output) }
        let write = try BinaryRunner.run(["-r", capture("nginx-502-causes.pcap"), "--write-matching", output.path])
        #expect(write.status == 0)
        let readBack = try jsonLines(try BinaryRunner.run(["-r", output.path, "--json"]).standardOutput)
        let statuses = readBack.compactMap { $0["status"] as? Int }
        #expect(statuses.filter { $0 >= 500 }.count == 9)
        // The 504's upstream leg: its request for /slow and the upstream's late 200.
        #expect(readBack.contains { $0["uri"] as? String == "/slow" })
        #expect(!readBack.contains { $0["uri"] as? String == "/static/small.txt" })
    }
}

/// Frame numbers per connection (endpoint pair, order-free) from `--frames` output.
private func framesByConnection(_ output: String) -> [String: Set<UInt64>] {
    var result: [String: Set<UInt64>] = [:]
    for line in output.split(separator: "\n") where line.contains("  TCP:") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard let arrow = fields.firstIndex(of: "→"), arrow > 0, arrow + 1 < fields.count,
              let frame = UInt64(fields[0]) else { continue }
        result[connectionKey(String(fields[arrow - 1]), String(fields[arrow + 1])), default: []].insert(frame)
    }
    return result
}

private func connectionKey(_ a: String, _ b: String) -> String { a < b ? a + " " + b : b + " " + a }
