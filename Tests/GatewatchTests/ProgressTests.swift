// The progress line on stderr: shown for a large file when stderr is a terminal, erased at the end,
// never with -q or when stderr is not a terminal.

import Foundation
import Testing

@Suite("Progress on stderr")
struct ProgressTests {
    /// About 6 MB: 4,200 exchanges with 1,400-byte bodies, every tenth answer a 502.
    static let largeCapture: URL? = {
        var capture = PcapBuilder()
        capture.handshake()
        let body = String(repeating: "x", count: 1_400)
        for index in 0..<4_200 {
            capture.send(.client, "GET /item/\(index) HTTP/1.1\r\nHost: shop\r\n\r\n")
            let status = index % 10 == 0 ? "502 Bad Gateway" : "200 OK"
            capture.send(.server, "HTTP/1.1 \(status)\r\nContent-Length: 1400\r\n\r\n" + body)
        }
        capture.fin(.client)
        capture.fin(.server)
        return try? capture.write(named: "progress-large.pcap")
    }()

    /// Runs gatewatch under `script`, which gives it a pseudo-terminal; stdout goes to /dev/null so
    /// what comes back is what gatewatch wrote to stderr (the terminal).
    static func runOnTerminal(_ arguments: [String]) throws -> String {
        let command = ([BinaryRunner.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ") + " >/dev/null"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        process.environment = ["PATH": "/usr/bin:/bin", "TERM": "xterm", "LANG": "C.UTF-8"]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    static var scriptAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/script") }

    @Test(.enabled(if: scriptAvailable)) func aLargeFileShowsProgressThenErasesIt() throws {
        let url = try #require(Self.largeCapture)
        let terminal = try Self.runOnTerminal(["-r", url.path])
        #expect(terminal.hasPrefix("\r["))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        #expect(terminal.contains("/\(String(format: "%.1f", Double(size) / 1e6)) MB"))
        #expect(terminal.contains("messages"))
        // The last thing on the terminal is the erase: no progress text is left behind.
        #expect(terminal.hasSuffix("\r\u{1B}[K"))
    }

    @Test(.enabled(if: scriptAvailable)) func quietShowsNoProgress() throws {
        let url = try #require(Self.largeCapture)
        let terminal = try Self.runOnTerminal(["-q", "-r", url.path])
        #expect(terminal.isEmpty)
    }

    @Test(.enabled(if: scriptAvailable)) func aSmallFileShowsNoProgress() throws {
        let terminal = try Self.runOnTerminal(["-r", "Captures/nginx-502-causes.pcap"])
        #expect(terminal.isEmpty)
    }

    @Test func noProgressWhenStderrIsNotATerminal() throws {
        let url = try #require(Self.largeCapture)
        let result = try BinaryRunner.run(["-r", url.path, "--status", "502"])
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty)
        #expect(result.standardOutput.components(separatedBy: "\n").filter { $0.hasPrefix("!") }.count == 420)
    }
}
