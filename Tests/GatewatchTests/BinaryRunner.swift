// Runs the built gatewatch binary and collects its output, for golden and CLI tests.

import Foundation

/// The result of one run of the binary.
struct RunResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

enum BinaryRunner {
    /// The repository root, found from this file's path (Tests/GatewatchTests/…).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the repository, where the reference and peer captures live; nil when absent.
    static let sharedDirectory: URL? = {
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("captures").path) ? url : nil
    }()

    /// The gatewatch executable built beside this test bundle (or `GATEWATCH_BIN`).
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["GATEWATCH_BIN"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("gatewatch")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return repositoryRoot.appendingPathComponent(".build/debug/gatewatch")
    }()

    /// Runs gatewatch with `arguments`; `environment` entries are added to a clean one.
    static func run(_ arguments: [String], environment: [String: String] = [:], standardInput: Data? = nil) throws -> RunResult {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        var env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let standardInput {
            let input = Pipe()
            process.standardInput = input
            try process.run()
            input.fileHandleForWriting.write(standardInput)
            try input.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        // Read both pipes fully before waiting, so a large output cannot fill a pipe and block.
        let outBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        let reader = out.fileHandleForReading
        DispatchQueue.global().async { outBox.data = reader.readDataToEndOfFile(); group.leave() }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let outData = outBox.data
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus,
                         standardOutput: String(decoding: outData, as: UTF8.self),
                         standardError: String(decoding: errData, as: UTF8.self))
    }
}

/// Holds what the background reader collected; the DispatchGroup orders the write before the read.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
