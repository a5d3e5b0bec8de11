// Live capture on a private network namespace's loopback: nginx proxying to a closed port, curl
// provoking 502s, gatewatch sniffing with --json -w --summary --report, stopped by SIGINT. Skips
// unless root with ip, nginx and curl installed (Tools/setup.sh --test installs them).

import Foundation
import Testing

/// A network namespace with its loopback up, removed on cleanup.
final class TestNamespace {
    let name: String
    private(set) var processes: [Process] = []

    init() throws {
        name = "gwtest\(getpid() % 100_000)"
        _ = try? Self.shell("ip", ["netns", "delete", name])
        try Self.shell("ip", ["netns", "add", name])
        try Self.shell("ip", ["-n", name, "link", "set", "lo", "up"])
    }

    /// Starts a long-running command inside the namespace.
    func start(_ command: [String], output: URL? = nil, errors: URL? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns", "exec", name] + command
        if let output { _ = FileManager.default.createFile(atPath: output.path, contents: nil); process.standardOutput = try FileHandle(forWritingTo: output) }
        if let errors { _ = FileManager.default.createFile(atPath: errors.path, contents: nil); process.standardError = try FileHandle(forWritingTo: errors) }
        process.standardInput = FileHandle.nullDevice
        try process.run()
        processes.append(process)
        return process
    }

    /// Runs a command inside the namespace to completion; returns its stdout.
    @discardableResult
    func run(_ command: [String]) throws -> String { try Self.shell("ip", ["netns", "exec", name] + command) }

    func cleanUp() {
        for process in processes where process.isRunning { process.terminate(); process.waitUntilExit() }
        _ = try? Self.shell("ip", ["netns", "delete", name])
    }

    @discardableResult
    static func shell(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "shell", code: Int(process.terminationStatus), userInfo: [NSLocalizedDescriptionKey: "\(tool) \(arguments) failed"])
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func available(_ tool: String) -> Bool { (try? shell("which", [tool])) != nil }
}

@Suite("Live capture", .serialized)
struct LiveCaptureTests {
    static var canRun: Bool { getuid() == 0 && ["ip", "nginx", "curl"].allSatisfy(TestNamespace.available) }

    /// nginx in `namespace`: /ok answers 200, everything else is proxied to a closed port (502).
    static func startNginx(in work: URL, namespace: TestNamespace) throws {
        try FileManager.default.createDirectory(at: work.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let config = work.appendingPathComponent("nginx.conf")
        try """
        worker_processes 1;
        error_log \(work.path)/logs/error.log;
        pid \(work.path)/nginx.pid;
        events { worker_connections 64; }
        http {
            access_log off;
            client_body_temp_path \(work.path)/body; proxy_temp_path \(work.path)/proxy;
            fastcgi_temp_path \(work.path)/fcgi; uwsgi_temp_path \(work.path)/uwsgi; scgi_temp_path \(work.path)/scgi;
            server {
                listen 127.0.0.1:8080;
                location /ok { return 200 "fine\\n"; }
                location / { proxy_pass http://127.0.0.1:9; }
            }
        }
        """.write(to: config, atomically: true, encoding: .utf8)

        _ = try namespace.start(["nginx", "-c", config.path, "-p", work.path, "-g", "daemon off;"])
    }

    /// Without --write-matching the HTTP side runs on a second thread: its lines must still come
    /// while the capture runs, and nothing may be lost on Ctrl-C. A request every 30 ms keeps the
    /// device from ever being quiet for 100 ms, so only the hand-over every 50 ms of capture time
    /// can bring the 502s out in time.
    @Test func linesComeWhileTheCaptureRunsOnTwoThreads() throws {
        guard Self.canRun else {
            print("skipped: live capture needs root with ip, nginx and curl (Tools/setup.sh --test)")
            return
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("gatewatch-live-split-\(getpid())")
        let namespace = try TestNamespace()
        defer { namespace.cleanUp() }
        try Self.startNginx(in: work, namespace: namespace)
        let output = work.appendingPathComponent("lines.txt"), errors = work.appendingPathComponent("errors.txt")
        let sniffer = try namespace.start([BinaryRunner.binary.path, "-i", "lo", "--color", "never", "tcp port 8080"],
                                          output: output, errors: errors)
        Thread.sleep(forTimeInterval: 1.5)
        let ticker = try namespace.start(["sh", "-c", "while :; do curl -s -o /dev/null http://127.0.0.1:8080/ok; sleep 0.03; done"])
        defer { ticker.terminate() }
        Thread.sleep(forTimeInterval: 0.3)
        for path in ["/ok", "/api/a", "/api/b"] {
            _ = try namespace.run(["curl", "-s", "-o", "/dev/null", "--max-time", "5", "http://127.0.0.1:8080\(path)"])
        }
        // Still running: the lines must already be there.
        var seen = ""
        for _ in 0..<20 where seen.components(separatedBy: "Status: Bad gateway").count < 3 {
            Thread.sleep(forTimeInterval: 0.1)
            seen = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        }
        #expect(sniffer.isRunning)
        #expect(seen.components(separatedBy: "Status: Bad gateway").count == 3, "\(seen)")
        #expect(seen.contains("GET /ok"))
        _ = try namespace.run(["curl", "-s", "-o", "/dev/null", "--max-time", "5", "http://127.0.0.1:8080/api/last"])
        sniffer.interrupt()
        sniffer.waitUntilExit()
        #expect(sniffer.terminationStatus == 0)
        let all = try String(contentsOf: output, encoding: .utf8)
        #expect(all.components(separatedBy: "Status: Bad gateway").count == 4, "\(all)")
        #expect(all.contains("GET /api/last"))
    }

    @Test func sniffsNginx502sAndStopsCleanlyOnSIGINT() throws {
        guard Self.canRun else {
            print("skipped: live capture needs root with ip, nginx and curl (Tools/setup.sh --test)")
            return
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("gatewatch-live-\(getpid())")
        let namespace = try TestNamespace()
        defer { namespace.cleanUp() }
        try Self.startNginx(in: work, namespace: namespace)
        let saved = work.appendingPathComponent("saved.pcap")
        let output = work.appendingPathComponent("out.jsonl"), errors = work.appendingPathComponent("err.txt")
        let matching = work.appendingPathComponent("502s.pcap"), report = work.appendingPathComponent("report.html")
        let sniffer = try namespace.start([BinaryRunner.binary.path, "-i", "lo", "--json", "-w", saved.path, "--summary",
                                           "--write-matching", matching.path, "--report", report.path, "tcp port 8080 or tcp port 9"],
                                          output: output, errors: errors)
        Thread.sleep(forTimeInterval: 1.5)   // nginx up, the capture activated
        var statuses: [String] = []
        for path in ["/ok", "/api/a", "/api/b", "/api/c"] {
            statuses.append(try namespace.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", "http://127.0.0.1:8080\(path)"]))
        }
        #expect(statuses == ["200", "502", "502", "502"])
        Thread.sleep(forTimeInterval: 1.0)
        sniffer.interrupt()   // SIGINT, as Ctrl-C
        sniffer.waitUntilExit()
        #expect(sniffer.terminationReason == .exit)
        #expect(sniffer.terminationStatus == 0)

        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        let responses = try lines.compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["type"] as? String == "response" && ($0["dst"] as? String)?.hasSuffix(":8080") == false }
        let clientLeg = responses.filter { ($0["src"] as? String) == "127.0.0.1:8080" }
        #expect(clientLeg.compactMap { $0["status"] as? Int }.sorted() == [200, 502, 502, 502])
        for response in clientLeg where response["status"] as? Int == 502 {
            let diagnosis = response["diagnosis"] as? [String: Any]
            #expect(diagnosis?["generator"] as? String == "nginx")
            #expect(diagnosis?["cause"] as? String == "upstream-refused")
        }
        // Ctrl-C still ends with the --summary object, and it counts what the lines show.
        let lastLine = try #require(lines.last)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any])
        #expect(summary["type"] as? String == "summary")
        let byStatus = summary["by_status"] as? [String: Int] ?? [:]
        #expect(byStatus["502"] == 3 && byStatus["200"] == 1)
        let errorRows = summary["errors"] as? [[String: Any]] ?? []
        #expect(errorRows.count == 1)
        #expect(errorRows.first?["cause"] as? String == "upstream-refused" && errorRows.first?["count"] as? Int == 3)
        // Ctrl-C also ends with the --report page (opened before root was dropped), with the same counts.
        let page = try String(contentsOf: report, encoding: .utf8)
        #expect(page.contains("<span class=\"value\" id=\"total-502\">3</span>"))
        #expect(page.contains("<code id=\"source\">live capture on lo</code>"))
        #expect(page.contains("data-generator=\"nginx\" data-cause=\"upstream-refused\""))
        // --write-matching: the three 502 connections with their refused legs, not the 200's.
        let matched = try BinaryRunner.run(["-r", matching.path, "--json"])
        #expect(matched.status == 0)
        let matchedStatuses = matched.standardOutput.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["status"] as? Int
        }
        #expect(matchedStatuses == [502, 502, 502])
        let matchedCauses = matched.standardOutput.components(separatedBy: "\"cause\":\"upstream-refused\"").count - 1
        #expect(matchedCauses == 3)

        let stderr = try String(contentsOf: errors, encoding: .utf8)
        #expect(stderr.contains("packets captured"))
        #expect(stderr.contains("dropped by kernel"))

        // The -w file is complete: it reads back with the same exchanges.
        let reread = try BinaryRunner.run(["-r", saved.path, "--json"])
        #expect(reread.status == 0)
        #expect(reread.standardOutput.split(separator: "\n").filter { $0.contains("\"status\":502") }.count == 3)
        if TestNamespace.available("tcpdump") {
            let packets = try TestNamespace.shell("tcpdump", ["-r", saved.path, "-nn"]).split(separator: "\n").count
            #expect(packets >= 20)
        }
    }
}
