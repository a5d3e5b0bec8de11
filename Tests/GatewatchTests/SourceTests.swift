// Packet sources as tcpdump users reach for them: -D, stdin, nanosecond savefiles, time displays.

import Foundation
import Testing

@Suite("Sources and time")
struct SourceTests {
    @Test func listsInterfacesLikeTcpdump() throws {
        let result = try BinaryRunner.run(["-D"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.contains { $0.contains(".lo ") && $0.contains("Loopback") })
        #expect(lines.first?.hasPrefix("1.") == true)
    }

    @Test func readsACaptureFromStandardInput() throws {
        let bytes = nginxExchange().fileBytes()
        let result = try BinaryRunner.run(["-r", "-", "--json"], standardInput: Data(bytes))
        #expect(result.status == 0)
        #expect(result.standardOutput.split(separator: "\n").count == 4)
    }

    @Test func nanosecondCaptureKeepsNineDigits() throws {
        var bytes = nginxExchange().fileBytes()
        // Same file, nanosecond magic: the microsecond fields now read as nanoseconds.
        bytes.replaceSubrange(0..<4, with: [0x4D, 0x3C, 0xB2, 0xA1])
        let url = try temporaryFile(named: "nano.pcap", bytes: bytes)
        let text = try BinaryRunner.run(["-r", url.path, "--color", "never"]).standardOutput
        let json = try BinaryRunner.run(["-r", url.path, "--json"]).standardOutput
        #expect(text.contains("2023-11-14 22:13:20.000004000"))
        #expect(json.contains("\"time\":\"2023-11-14T22:13:20.000004000Z\""))
        let micro = try BinaryRunner.run(["-r", try nginxExchange().write(named: "micro.pcap").path, "--color", "never"]).standardOutput
        #expect(micro.contains("2023-11-14 22:13:20.004000  "))
    }

    @Test func timeDisplaysFollowTcpdump() throws {
        let url = try nginxExchange().write(named: "times.pcap")
        let epoch = try BinaryRunner.run(["-r", url.path, "--color", "never", "-tt"]).standardOutput
        let delta = try BinaryRunner.run(["-r", url.path, "--color", "never", "-ttt"]).standardOutput
        let sinceFirst = try BinaryRunner.run(["-r", url.path, "--color", "never", "-ttttt"]).standardOutput
        #expect(epoch.split(separator: "\n").first?.contains("1700000000.004000") == true)
        // Frames 4, 5, 6, 7 are one millisecond apart: each line is 0.001 after the one before.
        #expect(delta.split(separator: "\n").dropFirst().allSatisfy { $0.contains("  0.001000  ") })
        #expect(sinceFirst.split(separator: "\n").first?.contains("  0.003000  ") == true)
        let bad = try BinaryRunner.run(["-r", url.path, "-tttt"])
        #expect(bad.status == 2)
    }
}
