// Broken capture files beyond the classic-pcap cases in CLITests: pcapng cut inside a block, a link
// type we do not decode, a record longer than the snapshot length.

import Foundation
import Testing

@Suite("Broken capture files")
struct BrokenFileTests {
    /// A little-endian pcapng: section header, Ethernet interface, one enhanced packet per frame.
    static func pcapng(frames: [[UInt8]]) -> [UInt8] {
        func le32(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24 & 0xFF)] }
        var bytes = le32(0x0A0D_0D0A) + le32(28) + le32(0x1A2B_3C4D) + [1, 0, 0, 0] + [UInt8](repeating: 0xFF, count: 8) + le32(28)
        bytes += le32(1) + le32(20) + [1, 0, 0, 0] + le32(262_144) + le32(20)
        for frame in frames {
            let padded = frame + [UInt8](repeating: 0, count: (4 - frame.count % 4) % 4)
            let length = 32 + padded.count
            bytes += le32(6) + le32(length) + le32(0) + le32(0) + le32(0) + le32(frame.count) + le32(frame.count) + padded + le32(length)
        }
        return bytes
    }

    @Test func pcapngCutInsideABlockReportsAndKeepsWhatCameBefore() throws {
        let frames = nginxExchange().records.map(\.frame)
        var bytes = Self.pcapng(frames: frames)
        let whole = try temporaryFile(named: "whole.pcapng", bytes: bytes)
        let complete = try BinaryRunner.run(["-r", whole.path, "--json"])
        #expect(complete.status == 0)
        #expect(complete.standardOutput.split(separator: "\n").count == 4)
        bytes.removeLast(30)   // cut inside the last packet block (a FIN)
        let cut = try temporaryFile(named: "cut.pcapng", bytes: bytes)
        let result = try BinaryRunner.run(["-r", cut.path, "--json"])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("gatewatch: "))
        #expect(result.standardError.contains("cut.pcapng"))
        #expect(result.standardOutput.split(separator: "\n").count == 4)
    }

    @Test func unknownLinkTypeWarnsOnceAndCarriesOn() throws {
        var bytes = nginxExchange().fileBytes()
        bytes[20] = 147   // LINKTYPE_USER0: nothing we decode
        let url = try temporaryFile(named: "user0.pcap", bytes: bytes)
        let result = try BinaryRunner.run(["-r", url.path, "--stats"])
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.components(separatedBy: "is not decoded").count == 2)
        #expect(result.standardError.contains("packets: 9 "))   // handshake 3, two exchanges 4, FINs 2
    }

    @Test func recordLongerThanTheSnapshotLengthIsAnError() throws {
        let capture = nginxExchange()
        var bytes = capture.fileBytes(snapLength: 64)
        // The first record claims 200 captured bytes, past the 64-byte snapshot length.
        bytes[24 + 8] = 200
        let url = try temporaryFile(named: "over-snaplen.pcap", bytes: bytes)
        let result = try BinaryRunner.run(["-r", url.path])
        #expect(result.status == 1)
        #expect(result.standardError.contains("over-snaplen.pcap"))
        #expect(result.standardError.split(separator: "\n").count == 1)
    }
}
