// Hostile traffic: endless heads, huge header counts and values, overflowing lengths, smuggling
// framing, random bytes. Each must end with a clear mark, in bounded time and memory.

import Foundation
import Testing

/// One hostile exchange: what the client and server send, and what the output must say.
struct HostileCase: Sendable, CustomStringConvertible {
    var name: String
    var request: [UInt8]
    var response: [UInt8]
    var mark: String
    var description: String { name }
}

@Suite("Hostile traffic", .serialized)
struct HostileTrafficTests {
    static let cases: [HostileCase] = {
        var random = SystemRandomNumberGenerator()
        var noise = [UInt8](repeating: 0, count: 4 << 20)
        for index in noise.indices { noise[index] = UInt8.random(in: 0...255, using: &random) }
        let manyHeaders = "GET / HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 100_000) + "\r\n"
        return [
            HostileCase(name: "100,000 headers", request: Array(manyHeaders.utf8),
                        response: Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8),
                        mark: "[malformed: head larger than 65536 bytes]"),
            HostileCase(name: "300 headers", request: Array(("GET / HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 300) + "\r\n").utf8),
                        response: [], mark: "[malformed: more than 256 header fields]"),
            HostileCase(name: "3 MB header value",
                        request: Array(("GET / HTTP/1.1\r\nX-Big: " + String(repeating: "v", count: 3 << 20) + "\r\n\r\n").utf8),
                        response: [], mark: "[malformed: head larger than 65536 bytes]"),
            HostileCase(name: "endless header line", request: Array(("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 8 << 20)).utf8),
                        response: [], mark: "[malformed: head larger than 65536 bytes]"),
            HostileCase(name: "chunk size that overflows",
                        request: Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8),
                        response: Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n".utf8),
                        mark: "[malformed: "),
            HostileCase(name: "Content-Length that overflows",
                        request: Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8),
                        response: Array("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999999\r\n\r\nabc".utf8),
                        mark: "Content-Length"),
            HostileCase(name: "negative Content-Length",
                        request: Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\nabc".utf8),
                        response: [], mark: "Content-Length"),
            HostileCase(name: "Content-Length with Transfer-Encoding (smuggling)",
                        request: Array("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".utf8),
                        response: Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8),
                        mark: "[request smuggling risk: Content-Length with Transfer-Encoding]"),
            HostileCase(name: "4 MB of random bytes", request: noise, response: noise.reversed(), mark: ""),
        ]
    }()

    @Test(arguments: cases)
    func boundedWithAClearMark(_ item: HostileCase) throws {
        var capture = PcapBuilder()
        capture.handshake()
        for start in stride(from: 0, to: item.request.count, by: 1448) {
            capture.send(.client, Array(item.request[start..<min(start + 1448, item.request.count)]))
        }
        for start in stride(from: 0, to: item.response.count, by: 1448) {
            capture.send(.server, Array(item.response[start..<min(start + 1448, item.response.count)]))
        }
        let url = try capture.write(named: "hostile-\(item.name.filter(\.isLetter)).pcap")
        defer { try? FileManager.default.removeItem(at: url) }
        let started = Date()
        let result = try BinaryRunner.run(["-r", url.path, "--color", "never"])
        let seconds = Date().timeIntervalSince(started)
        #expect(result.status == 0, "\(item.name): \(result.standardError)")
        #expect(seconds < 20, "\(item.name) took \(seconds) s")
        if !item.mark.isEmpty { #expect(result.standardOutput.contains(item.mark), "\(item.name): \(result.standardOutput.prefix(600))") }
        #expect(!result.standardOutput.utf8.contains(0x1B))
        if let kib = try Self.peakResidentKiB(["-r", url.path, "--json"]) {
            #expect(kib < 256 * 1024, "\(item.name): \(kib) KiB resident")
        }
    }

    @Test func httpLimitsAreAdjustable() throws {
        var capture = PcapBuilder()
        capture.handshake()
        capture.send(.client, "GET / HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 300) + "\r\n")
        let url = try capture.write(named: "limits.pcap")
        let tight = try BinaryRunner.run(["-r", url.path, "--color", "never", "--max-headers", "10"])
        #expect(tight.standardOutput.contains("[malformed: more than 10 header fields]"))
        let roomy = try BinaryRunner.run(["-r", url.path, "--json", "--max-headers", "1000"])
        #expect(roomy.standardOutput.contains("\"uri\":\"/\""))
        let small = try BinaryRunner.run(["-r", url.path, "--color", "never", "--max-head", "1"])
        #expect(small.standardOutput.contains("[malformed: head larger than 1024 bytes]"))
        #expect(try BinaryRunner.run(["-r", url.path, "--max-head", "0"]).status == 2)
    }

    /// Peak resident memory of one run, from /usr/bin/time; nil when that tool is absent.
    static func peakResidentKiB(_ arguments: [String]) throws -> Int? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-f", "%M", BinaryRunner.binary.path] + arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }
}
