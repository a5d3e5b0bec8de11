// --report: the page's numbers against --summary --json, escaping of hostile bytes, bounded
// collection, and the page as a real headless browser renders it.

import Foundation
import Testing
@testable import GatewatchCore
import Diagnosis
import Rendering
import TCPReassembly

private func capture(_ name: String) -> String {
    BinaryRunner.repositoryRoot.appendingPathComponent("Captures").appendingPathComponent(name).path
}

private func temporaryPath(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("gatewatch-report-\(getpid())-\(name)")
}

/// Writes the report of `pcap` (plus `extra` options) and returns the page.
private func report(of pcap: String, named name: String, _ extra: [String] = []) throws -> (page: String, url: URL) {
    let url = temporaryPath(name)
    let result = try BinaryRunner.run(["-r", pcap, "--report", url.path, "-q"] + extra)
    #expect(result.status == 0, "\(result.standardError)")
    return (try String(contentsOf: url, encoding: .utf8), url)
}

/// The messages and final summary object of a `--json --summary` run.
private func summaryRun(_ pcap: String) throws -> (messages: [[String: Any]], summary: [String: Any]) {
    let result = try BinaryRunner.run(["-r", pcap, "--json", "--summary"])
    #expect(result.status == 0)
    var objects: [[String: Any]] = []
    for line in result.standardOutput.split(separator: "\n") {
        objects.append(try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]))
    }
    let last = objects.popLast()
    let summary = try #require(last)
    #expect(summary["type"] as? String == "summary")
    return (objects, summary)
}

/// Reads numbers and rows out of the page (as written, or as the browser serialises it).
private struct PageReader {
    var html: String

    /// The text of the element with `id`.
    func text(id: String) -> String? {
        guard let match = try? Regex("id=\"\(id)\"[^>]*>([^<]*)<").firstMatch(in: html) else { return nil }
        return match.output[1].substring.map(String.init)
    }

    func number(id: String) -> Int? { text(id: id).flatMap { Int($0) } }

    /// The markup of the table with `id`, empty when there is none.
    func table(_ id: String) -> String {
        guard let start = html.range(of: "<table id=\"\(id)\""),
              let end = html.range(of: "</table>", range: start.upperBound..<html.endIndex) else { return "" }
        return String(html[start.lowerBound..<end.upperBound])
    }

    /// Every match of `pattern` in `text`: its capture groups.
    static func rows(_ pattern: String, in text: String) -> [[String]] {
        guard let regex = try? Regex(pattern) else { return [] }
        return text.matches(of: regex).map { match in
            (1..<match.output.count).map { match.output[$0].substring.map(String.init) ?? "" }
        }
    }

    /// The value of attribute `name` on the first element whose markup starts with `opening`.
    func attribute(_ name: String, of opening: String) -> String? {
        guard let start = html.range(of: opening), let end = html[start.upperBound...].firstIndex(of: ">") else { return nil }
        let tag = html[start.lowerBound..<end]
        guard let match = try? Regex(" \(name)=\"([^\"]*)\"").firstMatch(in: tag) else { return nil }
        return match.output[1].substring.map(String.init)
    }
}

/// Checks every number the page shows against the `--summary --json` object of the same capture.
private func expectPage(_ page: PageReader, matches summary: [String: Any], messages: [[String: Any]]) throws {
    #expect(page.number(id: "total-requests") == summary["requests"] as? Int)
    #expect(page.number(id: "total-responses") == summary["responses"] as? Int)
    let byStatus = try #require(summary["by_status"] as? [String: Int])
    #expect(page.number(id: "total-502") == byStatus["502"] ?? 0)
    #expect(page.number(id: "total-5xx") == byStatus.filter { (500...599).contains(Int($0.key) ?? 0) }.values.reduce(0, +))
    for (id, key) in [("gaps", "gaps"), ("gap-bytes", "gap_bytes"), ("incomplete", "incomplete"), ("malformed", "malformed"),
                      ("unanswered", "unanswered"), ("total-unanswered", "unanswered"), ("connections-evicted", "connections_evicted")] {
        #expect(page.number(id: id) == summary[key] as? Int, "\(id)")
    }

    // Responses by status.
    var statuses: [String: Int] = [:]
    for row in PageReader.rows(#"<tr data-status="(\d+)"[^>]*>.*?<td class="count">(\d+)</td>"#, in: page.table("by-status")) {
        statuses[row[0]] = Int(row[1])
    }
    #expect(!statuses.isEmpty)
    #expect(statuses == byStatus)

    // 5xx by generator and cause.
    var errors: [String: Int] = [:]
    for row in PageReader.rows(#"<tr data-status="(\d+)" data-generator="([^"]*)" data-cause="([^"]*)">.*?<td class="count">(\d+)</td>"#,
                               in: page.table("errors")) {
        errors["\(row[0]) \(row[1]) \(row[2])"] = Int(row[3])
    }
    var expectedErrors: [String: Int] = [:]
    for row in try #require(summary["errors"] as? [[String: Any]]) {
        let key = "\(row["status"] as? Int ?? 0) \(row["generator"] as? String ?? "") \(row["cause"] as? String ?? "")"
        expectedErrors[key] = row["count"] as? Int
    }
    #expect(errors == expectedErrors)

    // Latency percentiles, and each status's histogram holds exactly its timed responses.
    let latency = try #require(summary["latency_ms"] as? [String: [String: Any]])
    let latencyRows = PageReader.rows(#"<tr data-status="(\d+)"><td>\d+</td><td class="count">(\d+)</td><td class="num p50">([\d.]+)</td>"#
                                      + #"<td class="num p90">([\d.]+)</td><td class="num p99">([\d.]+)</td><td class="num max">([\d.]+)</td>"#,
                                      in: page.table("latency-table"))
    #expect(Set(latencyRows.map { $0[0] }) == Set(latency.keys))
    for row in latencyRows {
        let expected = try #require(latency[row[0]])
        #expect(Int(row[1]) == expected["count"] as? Int, "status \(row[0])")
        for (index, key) in ["p50", "p90", "p99", "max"].enumerated() {
            let shown = try #require(Double(row[2 + index])), json = try #require(expected[key] as? Double)
            #expect(abs(shown - json) < 0.0011, "status \(row[0]) \(key): page \(shown), JSON \(json)")
        }
        let bars = PageReader.rows(#"(?s)<svg class="latency-chart"[^>]* data-status="\#(row[0])" data-count="(\d+)"[^>]*>(.*?)</svg>"#, in: page.html)
        let chart = try #require(bars.first, "latency chart of \(row[0])")
        #expect(Int(chart[0]) == expected["count"] as? Int)
        let barCounts = PageReader.rows(#"<rect data-from-ms="[\d.]+" data-count="(\d+)""#, in: chart[1]).compactMap { Int($0[0]) }
        #expect(barCounts.reduce(0, +) == expected["count"] as? Int, "bars of \(row[0])")
    }

    // The rate chart counts every response and every 502.
    #expect(page.attribute("data-responses", of: "<svg id=\"rate-chart\"") == String(summary["responses"] as? Int ?? -1))
    #expect(page.attribute("data-bad-gateways", of: "<svg id=\"rate-chart\"") == String(byStatus["502"] ?? 0))

    // The 502 table: one row per 502 line, same frames, generators and causes.
    let tableRows = PageReader.rows(#"<tr class="bad-gateway" data-frame="(\d+)" data-generator="([^"]*)" data-cause="([^"]*)">"#,
                                    in: page.table("bad-gateway-table"))
    let lines = messages.filter { $0["status"] as? Int == 502 }.map { message in
        let diagnosis = message["diagnosis"] as? [String: Any]
        return ["\(message["frame"] as? Int ?? 0)", diagnosis?["generator"] as? String ?? "", diagnosis?["cause"] as? String ?? ""]
    }
    #expect(tableRows.map { $0.joined(separator: " ") }.sorted() == lines.map { $0.joined(separator: " ") }.sorted())
}

@Suite("--report")
struct ReportTests {
    static let captures = ["nginx-502-causes.pcap", "nginx-varied.pcap", "haproxy-502-causes.pcap", "seed-iis6-cgi-502.pcap"]

    @Test("the page's numbers equal --summary --json of the same capture", arguments: captures)
    func numbersMatchTheSummary(_ name: String) throws {
        let (page, url) = try report(of: capture(name), named: "\(name).html")
        defer { try? FileManager.default.removeItem(at: url) }
        let (messages, summary) = try summaryRun(capture(name))
        try expectPage(PageReader(html: page), matches: summary, messages: messages)
    }

    @Test("the same capture gives the same bytes, and the page fetches nothing")
    func deterministicAndSelfContained() throws {
        let (first, firstURL) = try report(of: capture("nginx-502-causes.pcap"), named: "first.html")
        let (second, secondURL) = try report(of: capture("nginx-502-causes.pcap"), named: "second.html", ["--json", "--status", "200"])
        defer { try? FileManager.default.removeItem(at: firstURL); try? FileManager.default.removeItem(at: secondURL) }
        #expect(first == second, "output flags must not change the report")
        #expect(first.hasPrefix("<!DOCTYPE html>"))
        let lower = first.lowercased()
        for reference in ["http://", "https://", "src=", "href=", "<script", "<link", "@import", "url(", "<img", "<iframe"] {
            #expect(!lower.contains(reference), "the page must not reference \(reference)")
        }
        #expect(first.contains("default-src 'none'"))
    }

    @Test("a hostile URI and Server header reach the page escaped, never as markup or control bytes")
    func hostileBytesAreEscaped() throws {
        var traffic = PcapBuilder()
        traffic.handshake()
        traffic.send(.client, "GET /<script>alert('x')</script>?a=1&b=\"2\"\u{1B}[31m\u{07}\u{202E}\u{9B} HTTP/1.1\r\nHost: a\r\n\r\n")
        traffic.send(.server, "HTTP/1.1 502 Bad Gateway\r\nServer: <img src=x onerror=alert(1)>\u{1B}]0;t\u{07}\r\nContent-Length: 0\r\n\r\n")
        let pcap = try traffic.write(named: "report-hostile.pcap")
        defer { try? FileManager.default.removeItem(at: pcap) }
        let (page, url) = try report(of: pcap.path, named: "hostile.html")
        defer { try? FileManager.default.removeItem(at: url) }

        let lower = page.lowercased()
        #expect(!lower.contains("<script"))
        #expect(!lower.contains("<img"))
        let bytes = Array(page.utf8)
        #expect(!bytes.contains { ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F }, "a raw control byte reached the page")
        #expect(!page.unicodeScalars.contains { ($0.value >= 0x80 && $0.value < 0xA0) || $0.value == 0x202E })
        // The request shows, escaped, in the 502 table and in the top URLs. Header bytes are Latin-1,
        // as everywhere in Gatewatch: U+202E's UTF-8 bytes are "â", a C1 control and "®".
        let shown = "/&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;?a=1&amp;b=&quot;2&quot;\\x1B[31m\\x07â\\x80®Â\\x9B"
        #expect(PageReader(html: page).table("bad-gateway-table").contains("GET " + shown))
        #expect(PageReader(html: page).table("top-urls").contains(shown))
        #expect(PageReader(html: page).number(id: "total-502") == 1)
    }

    @Test func unwritableReportIsARuntimeError() throws {
        let result = try BinaryRunner.run(["-r", capture("nginx-502-causes.pcap"), "--report", "/nonexistent/dir/report.html"])
        #expect(result.status == 1)
        #expect(result.standardError == "gatewatch: cannot write report to /nonexistent/dir/report.html: No such file or directory\n")
        #expect(result.standardOutput.isEmpty, "a bad report path fails before any packet is read")
    }

    @Test("the timeline folds into wider bins past its capacity, whatever the timestamps")
    func timelineStaysBounded() {
        let second: Int64 = 1_000_000_000, start: Int64 = 1_700_000_000 * second
        var timeline = ResponseTimeline(capacity: 3600)
        for offset in 0..<10_000 { timeline.record(status: offset % 7 == 0 ? 502 : 200, time: start + Int64(offset) * second) }
        #expect(timeline.binSeconds == 4)
        #expect(timeline.binCount <= 3600)
        #expect(timeline.totalResponses == 10_000)
        #expect(timeline.totalBadGateways == (0..<10_000).filter { $0 % 7 == 0 }.count)
        // Each bin starts at a multiple of its width and holds the responses of those seconds.
        #expect(timeline.startTime(ofBin: 0) % (4 * second) == 0)
        #expect(timeline.count(.success, inBin: 1) + timeline.count(.serverError, inBin: 1) == 4)

        // A stray timestamp decades away, and one earlier than all: still at most `capacity` bins, nothing lost.
        timeline.record(status: 404, time: start + 40 * 365 * 86_400 * second)
        timeline.record(status: 101, time: 3 * second)
        #expect(timeline.binCount <= 3600)
        #expect(timeline.totalResponses == 10_002)
        let classes = StatusClass.allCases.map { statusClass in (0..<timeline.binCount).reduce(0) { $0 + timeline.count(statusClass, inBin: $1) } }
        #expect(classes[StatusClass.clientError.rawValue] == 1 && classes[StatusClass.informational.rawValue] == 1)
    }

    @Test("a long run renders with widened bins, a scale that fits and a bounded page")
    func longRunRendersBounded() throws {
        let second: Int64 = 1_000_000_000, start: Int64 = 1_700_000_000 * second
        var data = ReportData()
        var statistics = RunStatistics()
        for offset in Swift.stride(from: 0, to: 86_400 * 3, by: 7) {
            let status = offset % 1001 == 0 ? 502 : 200
            data.noteResponse(status: status, time: start + Int64(offset) * second)
            statistics.responses += 1
            statistics.responsesByStatus[status, default: 0] += 1
        }
        let outcome = RunOutcome(statistics: statistics, reassembly: ReassemblyStatistics(), report: data)
        let page = PageReader(html: ReportHTML.page(outcome, source: "three days"))
        // Counted in 128 s bins (3 days would be 2025 of them), drawn in 512 s bins (two pixels each at least).
        let bins = try #require(Int(page.attribute("data-bins", of: "<svg id=\"rate-chart\"") ?? ""))
        #expect(bins <= 510 && bins > 255)
        #expect(page.attribute("data-collected-bin-seconds", of: "<svg id=\"rate-chart\"") == "128")
        #expect(page.attribute("data-bin-seconds", of: "<svg id=\"rate-chart\"") == "512")
        #expect(page.attribute("data-responses", of: "<svg id=\"rate-chart\"") == String(statistics.responses))
        #expect(page.html.contains("counted in bins of 128 s to keep memory bounded"))
        #expect(page.html.utf8.count < 1_000_000, "\(page.html.utf8.count) bytes")
        // One response every 7 s is about 0.14 per second: the scale says so, not "0".
        #expect(ReportHTML.rateScale(peak: 74.0 / 512) == (0.15, 0.05))
        #expect(page.html.contains(">0.15</text>"))
    }

    @Test func rateScaleIsRound() {
        #expect(ReportHTML.rateScale(peak: 24) == (25, 5))
        #expect(ReportHTML.rateScale(peak: 4) == (4, 1))
        #expect(ReportHTML.rateScale(peak: 8400) == (10_000, 2000))
        #expect(ReportHTML.rateScale(peak: 0.003) == (0.003, 0.001))
        #expect(ReportHTML.rateScale(peak: 0) == (1, 0.2))
    }

    @Test("the 502 table keeps its first rows, counts the rest, and caps each row's strings")
    func badGatewayRowsAreCapped() {
        var data = ReportData(rowCapacity: 3)
        let diagnosis = Diagnosis(generator: GeneratorVerdict(gateway: .nginx, confidence: .high), cause: .refused,
                                  confidence: .high, explanation: "refused")
        for frame in 1...10 {
            var record = MessageRecord(kind: .response, frame: UInt64(frame), time: Int64(frame), stream: 0,
                                       source: "10.0.0.2:80", destination: "10.0.0.1:4000", version: "HTTP/1.1")
            record.status = 502
            record.request = MessageRecord.PairedRequest(frame: 1, time: 0, method: "GET", uri: "/" + String(repeating: "a", count: 4000),
                                                         host: nil, bodyBytes: 0)
            var verdict = diagnosis
            verdict.generator.product = String(repeating: "<", count: 60_000)
            data.noteBadGateway(record, diagnosis: verdict)
        }
        #expect(data.badGateways.map(\.frame) == [1, 2, 3])
        #expect(data.badGatewaysNotListed == 7)
        #expect(data.badGateways.first?.client == "10.0.0.1:4000" && data.badGateways.first?.gateway == "10.0.0.2:80")
        // Each row stays small however long the peer's strings were.
        #expect(data.badGateways.first?.uri?.unicodeScalars.count == 1025 && data.badGateways.first?.uri?.hasSuffix("…") == true)
        #expect(data.badGateways.first?.product?.unicodeScalars.count == 257)
    }
}

@Suite("--report in a headless browser",
       .enabled(if: HeadlessBrowser.isAvailable && TestNamespace.available("python3"), "needs chromium and python3 on PATH (Tools/setup.sh --test)"))
struct ReportBrowserTests {
    @Test("chromium renders the charts: a screenshot with the chart colours, and the DOM numbers equal the summary")
    func chartsRenderInChromium() throws {
        let (_, url) = try report(of: capture("nginx-502-causes.pcap"), named: "browser.html")
        let png = temporaryPath("browser.png")
        defer { try? FileManager.default.removeItem(at: url); try? FileManager.default.removeItem(at: png) }

        let dom = try HeadlessBrowser.dumpDOM(url)
        #expect(dom.contains("<svg id=\"rate-chart\""))
        #expect(dom.components(separatedBy: "<path class=\"layer\"").count - 1 >= 2)
        let (messages, summary) = try summaryRun(capture("nginx-502-causes.pcap"))
        let latency = try #require(summary["latency_ms"] as? [String: Any])
        #expect(dom.components(separatedBy: "<svg class=\"latency-chart\"").count - 1 == latency.count)
        try expectPage(PageReader(html: dom), matches: summary, messages: messages)

        try HeadlessBrowser.screenshot(url, to: png, width: 1280, height: 2000)
        let decoded = try TestNamespace.shell("python3", [BinaryRunner.repositoryRoot.appendingPathComponent("Tools/png-colours.py").path,
                                                          png.path, "d62728", "55a868", "ffffff"])
        let lines = decoded.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        let header = try #require(lines.first)
        #expect(header.count == 3 && header[0] == "1280" && header[1] == "2000", "\(decoded)")
        let colours = Int(header.last ?? "") ?? 0
        var pixels: [String: Int] = [:]
        for line in lines.dropFirst() where line.count == 2 { pixels[line[0]] = Int(line[1]) }
        #expect(colours >= 50, "a blank page has one colour; the report has text, bars and tables: \(colours)")
        #expect(pixels["d62728", default: 0] >= 1000, "the 502s are drawn in red")
        #expect(pixels["55a868", default: 0] >= 1000, "the 2xx are drawn in green")
        #expect(pixels["ffffff", default: 0] < 1280 * 2000 * 98 / 100, "mostly blank")
    }

    @Test("hostile bytes stay text in the browser's DOM")
    func hostilePageHasNoMarkupFromPackets() throws {
        var traffic = PcapBuilder()
        traffic.handshake()
        traffic.send(.client, "GET /<script>document.title='pwned'</script><img/src=x/onerror=alert(1)> HTTP/1.1\r\nHost: a\r\n\r\n")
        traffic.send(.server, "HTTP/1.1 502 Bad Gateway\r\nServer: </td></tr></table><script>alert(2)</script>\r\nContent-Length: 0\r\n\r\n")
        let pcap = try traffic.write(named: "report-browser-hostile.pcap")
        let (_, url) = try report(of: pcap.path, named: "browser-hostile.html")
        defer { try? FileManager.default.removeItem(at: pcap); try? FileManager.default.removeItem(at: url) }
        let dom = try HeadlessBrowser.dumpDOM(url)
        #expect(!dom.lowercased().contains("<script"))
        #expect(!dom.lowercased().contains("<img"))
        #expect(!dom.contains("<title>pwned"))
        #expect(dom.contains("&lt;script&gt;document.title="))
        #expect(PageReader(html: dom).number(id: "total-502") == 1)
    }
}
