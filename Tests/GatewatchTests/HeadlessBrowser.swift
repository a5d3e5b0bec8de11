// Debian's chromium, headless: loads a report page and returns its DOM or a screenshot.

import Foundation

/// Runs `chromium --headless` (or `chromium-browser`) found on PATH, with a fresh profile and a time limit.
enum HeadlessBrowser {
    /// The browser's path, nil when neither name is on PATH (the browser tests are then skipped).
    static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser"] {
            for directory in path.split(separator: ":") + ["/usr/bin"] {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    static var isAvailable: Bool { executable != nil }

    /// The DOM after loading `page`, as the browser serialises it.
    static func dumpDOM(_ page: URL) throws -> String {
        try run(["--dump-dom", page.absoluteString])
    }

    /// Loads `page` in a `width`×`height` window and writes a PNG screenshot to `output`.
    static func screenshot(_ page: URL, to output: URL, width: Int, height: Int) throws {
        try? FileManager.default.removeItem(at: output)
        _ = try run(["--screenshot=\(output.path)", "--window-size=\(width),\(height)", page.absoluteString])
    }

    /// One browser run; its stdout. Root needs --no-sandbox; a private profile and HOME keep it
    /// from touching the user's; a run past `timeout` seconds is terminated and fails the test.
    private static func run(_ arguments: [String], timeout: Double = 60) throws -> String {
        guard let executable else { throw BrowserError(message: "no chromium on PATH") }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("gatewatch-chromium-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                             "--no-first-run", "--user-data-dir=\(profile.path)"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = profile.path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let collected = CollectedOutput()
        let group = DispatchGroup()
        group.enter()
        let reader = output.fileHandleForReading
        DispatchQueue.global().async { collected.data = reader.readDataToEndOfFile(); group.leave() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw BrowserError(message: "chromium took more than \(Int(timeout)) s")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BrowserError(message: "chromium exited with \(process.terminationStatus)") }
        return String(decoding: collected.data, as: UTF8.self)
    }
}

/// A browser run that failed.
struct BrowserError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Holds what the background reader collected; the DispatchGroup orders the write before the read.
private final class CollectedOutput: @unchecked Sendable {
    var data = Data()
}
