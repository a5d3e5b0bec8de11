// The seed capture's 502 response frame, read from the shared pcap with plain file I/O.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import PacketWire

@Suite struct SeedCaptureTests {
    /// `/work/shared/captures/` located from this file: Tests/PacketWireTests/ → repo root → ../shared.
    /// Symlinks are resolved first, so a private package that links this folder still finds the file.
    static let capturePath: String = {
        var file = String(#filePath)
        if let resolved = realpath(file, nil) {
            file = String(cString: resolved)
            free(resolved)
        }
        var components = file.split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)                  // file name, PacketWireTests, Tests
        return components.joined(separator: "/") + "/../shared/captures/seed-iis6-cgi-502.pcap"
    }()

    /// The whole file, or nil if it cannot be opened.
    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, 4096, file) }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        return bytes
    }

    /// The first record's captured bytes and the file's link type, from a little-endian pcap.
    static func firstFrame(of file: [UInt8]) -> (frame: [UInt8], linkType: LinkType)? {
        func le32(_ offset: Int) -> UInt32 {
            UInt32(file[offset]) | UInt32(file[offset + 1]) << 8 | UInt32(file[offset + 2]) << 16
                | UInt32(file[offset + 3]) << 24
        }
        // 24-byte global header (magic a1b2c3d4 written little-endian), then a 16-byte record header.
        guard file.count >= 40, le32(0) == 0xa1b2_c3d4 else { return nil }
        let capturedLength = Int(le32(32))
        guard file.count >= 40 + capturedLength else { return nil }
        return (Array(file[40..<(40 + capturedLength)]), LinkType(dlt: Int32(bitPattern: le32(20))))
    }

    /// Whether the shared captures directory is present (it is outside the repository).
    static var captureExists: Bool { access(capturePath, R_OK) == 0 }

    @Test(.enabled(if: captureExists, "skipped: /work/shared/captures/seed-iis6-cgi-502.pcap is absent"))
    func seedFrameDecodes() throws {
        let file = try #require(Self.readFile(Self.capturePath))
        let record = try #require(Self.firstFrame(of: file))
        #expect(record.linkType == .ethernet)
        #expect(record.frame.count == 424)
        let decoded = decodeFrame(record.frame, record.linkType)
        #expect(decoded.error == nil)
        let network = try #require(decoded.network)
        let tcp = try #require(decoded.tcp)
        #expect(network.source.endpointDescription(port: tcp.sourcePort) == "216.162.16.92:80")
        #expect(network.destination.endpointDescription(port: tcp.destinationPort) == "10.200.4.21:21937")
        #expect(decoded.payloadOffset == 54)
        #expect(decoded.payloadLength == 370)
        #expect(decoded.payloadWireLength == 370)
        #expect(tcp.flags == [.ack, .psh])
        #expect(decoded.link?.destination?.description == "00-11-BC-3E-62-3C")
        let statusLine = record.frame[54..<66].map { Character(UnicodeScalar($0)) }
        #expect(String(statusLine) == "HTTP/1.1 502")
    }
}
