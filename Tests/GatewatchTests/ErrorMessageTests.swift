// The errors a new user meets first: one clear line each, with the fix, and exit status 1.

import Foundation
import Testing

@Suite("Error messages a new user meets")
struct ErrorMessageTests {
    static var isRoot: Bool { getuid() == 0 }
    static var canSwitchUser: Bool { isRoot && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") }

    /// A copy of the binary any user can run (the build directory may sit under a private home).
    static let sharedBinary: URL? = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatewatch-shared-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o755])
        let copy = directory.appendingPathComponent("gatewatch")
        try? FileManager.default.removeItem(at: copy)
        guard (try? FileManager.default.copyItem(at: BinaryRunner.binary, to: copy)) != nil else { return nil }
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
        return copy
    }()

    /// Runs gatewatch as `nobody` (through runuser) and returns its exit status and stderr.
    static func runAsNobody(_ arguments: [String]) throws -> (status: Int32, standardError: String) {
        let binary = try #require(sharedBinary)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        process.arguments = ["-u", "nobody", "--", binary.path] + arguments
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func isOneLine(_ text: String) -> Bool { text.hasSuffix("\n") && text.dropLast().split(separator: "\n").count == 1 }

    @Test(.enabled(if: canSwitchUser)) func liveCaptureWithoutPrivilegesSaysHowToGetThem() throws {
        let result = try Self.runAsNobody(["-i", "lo", "-c", "1"])
        #expect(result.status == 1)
        #expect(Self.isOneLine(result.standardError))
        #expect(result.standardError.hasPrefix("gatewatch: lo: "))
        #expect(result.standardError.contains("run as root or grant CAP_NET_RAW"))
    }

    @Test(.enabled(if: isRoot)) func noSuchInterfacePointsToTheList() throws {
        let result = try BinaryRunner.run(["-i", "nosuch0", "-c", "1"])
        #expect(result.status == 1)
        #expect(Self.isOneLine(result.standardError))
        #expect(result.standardError.hasPrefix("gatewatch: nosuch0: "))
        #expect(result.standardError.contains("no such interface; 'gatewatch -D' lists them"))
    }

    @Test func filterSyntaxErrorGivesLibpcapsWordsTheExpressionAndWhereToLook() throws {
        let result = try BinaryRunner.run(["-r", "Captures/nginx-502-causes.pcap", "tcp", "port"])
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(Self.isOneLine(result.standardError))
        #expect(result.standardError.contains("invalid filter 'tcp port'"))
        #expect(result.standardError.contains("syntax error"))
        #expect(result.standardError.contains("man pcap-filter"))
    }

    @Test(.enabled(if: canSwitchUser)) func unreadableFileSaysWhoCannotReadItAndTheFix() throws {
        let source = BinaryRunner.repositoryRoot.appendingPathComponent("Captures/nginx-502-causes.pcap")
        let directory = try #require(Self.sharedBinary).deletingLastPathComponent()
        let secret = directory.appendingPathComponent("private.pcap")
        try? FileManager.default.removeItem(at: secret)
        try FileManager.default.copyItem(at: source, to: secret)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        let result = try Self.runAsNobody(["-r", secret.path])
        #expect(result.status == 1)
        #expect(Self.isOneLine(result.standardError))
        #expect(result.standardError.hasPrefix("gatewatch: \(secret.path): permission denied: user nobody cannot read it"))
        #expect(result.standardError.contains("chmod a+r"))
    }

    @Test func unwritableOutputFileIsOneLineNamingIt() throws {
        let result = try BinaryRunner.run(["-r", "Captures/nginx-502-causes.pcap", "-w", "/nonexistent-dir/out.pcap"])
        #expect(result.status == 1)
        #expect(Self.isOneLine(result.standardError))
        #expect(result.standardError.contains("/nonexistent-dir/out.pcap"))
    }
}
