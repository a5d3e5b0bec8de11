// The command line as a user meets it: help, usage errors, broken files, colour, escaping, -w.

import Foundation
import Testing

/// A keep-alive exchange with a 200 and a 502 from nginx, built byte by byte.
func nginxExchange() -> PcapBuilder {
    var capture = PcapBuilder()
    capture.handshake()
    capture.send(.client, "GET /ok HTTP/1.1\r\nHost: shop.example\r\n\r\n")
    capture.send(.server, "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 2\r\n\r\nhi")
    capture.send(.client, "GET /api/cart HTTP/1.1\r\nHost: shop.example\r\n\r\n")
    let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n"
    capture.send(.server, "HTTP/1.1 502 Bad Gateway\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\nContent-Length: \(page.utf8.count)\r\nConnection: keep-alive\r\n\r\n" + page)
    capture.fin(.client)
    capture.fin(.server)
    return capture
}

@Suite("Command line")
struct CLITests {
    @Test func helpShowsExamplesAndExitCodes() throws {
        let result = try BinaryRunner.run(["--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("EXAMPLES"))
        #expect(result.standardOutput.contains("-r <file>"))
        #expect(result.standardOutput.contains("2  usage error"))
    }

    @Test func noSourceIsAUsageError() throws {
        let result = try BinaryRunner.run([])
        #expect(result.status == 2)
        #expect(result.standardError.contains("give -r FILE"))
    }

    @Test func badStatusListIsAUsageError() throws {
        let result = try BinaryRunner.run(["-r", "x.pcap", "--status", "50x"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("--status"))
    }

    @Test func missingFileNamesTheFile() throws {
        let result = try BinaryRunner.run(["-r", "/nonexistent/capture.pcap"])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("gatewatch: "))
        #expect(result.standardError.contains("/nonexistent/capture.pcap"))
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    @Test func directoryIsRefusedPlainly() throws {
        let result = try BinaryRunner.run(["-r", "/tmp"])
        #expect(result.status == 1)
        #expect(result.standardError == "gatewatch: /tmp: is a directory\n")
    }

    @Test(arguments: [
        ("empty", [UInt8]()),
        ("cut-header", [0xD4, 0xC3, 0xB2, 0xA1, 0x02, 0x00]),
        ("bad-magic", Array("this is not a capture file at all".utf8)),
    ])
    func brokenFilesGiveOneLineAndExit1(_ name: String, _ bytes: [UInt8]) throws {
        let url = try temporaryFile(named: "\(name).pcap", bytes: bytes)
        let result = try BinaryRunner.run(["-r", url.path])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("gatewatch: "))
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(result.standardOutput.isEmpty)
    }

    @Test func cutRecordPrintsWhatCameBeforeThenFails() throws {
        var bytes = nginxExchange().fileBytes()
        bytes += [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0xFF, 0x00, 0x00, 0x00]   // a record header cut short
        let url = try temporaryFile(named: "cut-record.pcap", bytes: bytes)
        let result = try BinaryRunner.run(["-r", url.path, "--color", "never"])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("Status: Bad gateway"))
        #expect(result.standardError.contains("cut-record.pcap"))
    }

    @Test func hugeCapturedLengthIsAnErrorNotACrash() throws {
        var bytes = nginxExchange().fileBytes()
        bytes += [0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0x7F]
        let url = try temporaryFile(named: "huge-caplen.pcap", bytes: bytes)
        let result = try BinaryRunner.run(["-r", url.path, "--color", "never"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("huge-caplen.pcap"))
        #expect(result.standardOutput.contains("Status: Ok"))
    }

    @Test func filterSyntaxErrorQuotesTheExpression() throws {
        let url = try nginxExchange().write(named: "filter.pcap")
        let result = try BinaryRunner.run(["-r", url.path, "tcp", "port", "eighty"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("'tcp port eighty'"))
    }

    @Test func filterSelectsPackets() throws {
        let url = try nginxExchange().write(named: "filter-ok.pcap")
        let all = try BinaryRunner.run(["-r", url.path, "--json", "tcp port 80"])
        let none = try BinaryRunner.run(["-r", url.path, "--json", "tcp port 81"])
        #expect(all.status == 0 && none.status == 0)
        #expect(all.standardOutput.split(separator: "\n").count == 4)
        #expect(none.standardOutput.isEmpty)
    }

    @Test func colourAlwaysMarks502InBoldRedAndNeverDoesNot() throws {
        let url = try nginxExchange().write(named: "colour.pcap")
        let coloured = try BinaryRunner.run(["-r", url.path, "--color", "always"])
        let plain = try BinaryRunner.run(["-r", url.path, "--color", "never"])
        let auto = try BinaryRunner.run(["-r", url.path], environment: ["NO_COLOR": "1"])
        let badGatewayLine = coloured.standardOutput.split(separator: "\n").first { $0.contains("Bad gateway") }
        #expect(badGatewayLine?.hasPrefix("\u{1B}[1;31m!") == true)
        #expect(!plain.standardOutput.contains("\u{1B}"))
        #expect(!auto.standardOutput.contains("\u{1B}"))
        // Without colour the 502 still stands out: its line starts with '!'.
        #expect(plain.standardOutput.split(separator: "\n").filter { $0.hasPrefix("!") }.count == 1)
    }

    @Test func controlBytesInHeadersNeverReachTheTerminal() throws {
        var capture = PcapBuilder()
        capture.handshake()
        capture.send(.client, "GET /\u{1B}]0;pwned\u{07} HTTP/1.1\r\nHost: a\u{1B}[31mb\r\n\r\n")
        capture.send(.server, "HTTP/1.1 502 Bad\u{1B}[2J Gateway\r\nServer: x\u{9B}y\r\nContent-Length: 0\r\n\r\n")
        let url = try capture.write(named: "escape.pcap")
        for options in [["--color", "never"], ["--color", "never", "-V", "-X"], ["--json"]] {
            let result = try BinaryRunner.run(["-r", url.path] + options)
            #expect(result.status == 0)
            let raw = Array(result.standardOutput.utf8)
            #expect(!raw.contains(0x1B), "raw ESC with \(options)")
            #expect(!raw.contains(0x07), "raw BEL with \(options)")
            #expect(!result.standardOutput.unicodeScalars.contains { $0.value >= 0x80 && $0.value < 0xA0 }, "raw C1 with \(options)")
        }
        let text = try BinaryRunner.run(["-r", url.path, "--color", "never", "-V"]).standardOutput
        #expect(text.contains("HTTP: Host =a\\x1B[31mb"))
    }

    @Test func writeFileKeepsEveryPacket() throws {
        let capture = nginxExchange()
        let url = try capture.write(named: "tee-source.pcap")
        let copy = url.deletingLastPathComponent().appendingPathComponent("tee-copy.pcap")
        let result = try BinaryRunner.run(["-r", url.path, "-w", copy.path, "--json"])
        #expect(result.status == 0)
        // The copy is a nanosecond savefile (live captures keep nanoseconds), so compare without times.
        let reread = try BinaryRunner.run(["-r", copy.path, "--json"])
        func withoutTimes(_ text: String) -> [String] {
            text.split(separator: "\n").map { String($0).replacing(/"time":"[^"]*",/, with: "") }
        }
        #expect(withoutTimes(reread.standardOutput) == withoutTimes(result.standardOutput))
        #expect(reread.standardOutput.split(separator: "\n").count == 4)
        let data = try Data(contentsOf: copy)
        #expect(data.count == capture.fileBytes().count)
    }

    @Test func countStopsAfterNPackets() throws {
        let url = try nginxExchange().write(named: "count.pcap")
        let result = try BinaryRunner.run(["-r", url.path, "--json", "-c", "5"])
        #expect(result.status == 0)
        // Frames 1-5 hold the handshake, the first request and its 200: two messages.
        #expect(result.standardOutput.split(separator: "\n").count == 2)
    }

    @Test func statisticsGoToStderrAndNeverMixWithOutput() throws {
        let capture = BinaryRunner.repositoryRoot.appendingPathComponent("Captures/nginx-502-causes.pcap").path
        let result = try BinaryRunner.run(["-r", capture, "--json", "--stats"])
        #expect(result.status == 0)
        #expect(result.standardError.contains("connections: 17 opened"))
        #expect(result.standardError.contains("responses by status: 200: 4, 502: 8, 504: 1"))   // tshark: 13 responses
        #expect(result.standardOutput.split(separator: "\n").allSatisfy { $0.hasPrefix("{") })
    }

    @Test func whatALimitDropsIsReportedWithTheFlagToRaise() throws {
        let capture = BinaryRunner.repositoryRoot.appendingPathComponent("Captures/nginx-502-causes.pcap").path
        let tight = try BinaryRunner.run(["-r", capture, "--json", "--max-connections", "1"])
        #expect(tight.status == 0)
        #expect(tight.standardError.contains("connections evicted (raise --max-connections)"))
        let roomy = try BinaryRunner.run(["-r", capture, "--json"])
        #expect(roomy.standardError.isEmpty)
        let quiet = try BinaryRunner.run(["-r", capture, "--json", "--max-connections", "1", "-q"])
        #expect(quiet.standardError.isEmpty)
    }

    @Test(arguments: [["--max-connections", "0"], ["--hold-timeout", "-1"], ["--max-buffer", "abc"]])
    func badLimitsAreUsageErrors(_ options: [String]) throws {
        let result = try BinaryRunner.run(["-r", "x.pcap"] + options)
        #expect(result.status == 2)
    }
}
