// The manual page and shell completions in docs/: current with the flags, and completing for real.

import Foundation
import Testing

@Suite("Manual page and shell completions")
struct DocsTests {
    static let docs = BinaryRunner.repositoryRoot.appendingPathComponent("docs")

    @Test(arguments: ["bash", "zsh", "fish"])
    func committedCompletionsMatchTheBinary(_ shell: String) throws {
        let generated = try BinaryRunner.run(["--generate-completion-script", shell])
        #expect(generated.status == 0)
        let committed = try String(contentsOf: Self.docs.appendingPathComponent("completions/gatewatch.\(shell)"), encoding: .utf8)
        // Stale after a flag changed: run Tools/make-docs.sh.
        #expect(committed == generated.standardOutput)
    }

    @Test func manualPageDocumentsEveryFlag() throws {
        let dump = try BinaryRunner.run(["--experimental-dump-help"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(dump.standardOutput.utf8)) as? [String: Any])
        let command = try #require(json["command"] as? [String: Any])
        let arguments = try #require(command["arguments"] as? [[String: Any]])
        let manual = try String(contentsOf: Self.docs.appendingPathComponent("gatewatch.1"), encoding: .utf8)
        var checked = 0
        for argument in arguments {
            guard let names = argument["names"] as? [[String: Any]], let first = names.first,
                  let kind = first["kind"] as? String, let name = first["name"] as? String else { continue }
            let macro = kind == "long" ? "Fl -\(name)" : "Fl \(name)"
            // Stale after a flag was added: run Tools/make-docs.sh.
            #expect(manual.contains(macro), "docs/gatewatch.1 lacks \(macro)")
            checked += 1
        }
        #expect(checked >= 30)
        #expect(manual.contains("EXIT STATUS"))
        #expect(!manual.contains(".Ar subcommand"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash")))
    func bashCompletesFlagsValuesAndInterfaces() throws {
        let script = """
        source docs/completions/gatewatch.bash
        complete_words() { COMPREPLY=(); COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
          _gatewatch gatewatch "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"; echo "${COMPREPLY[*]}"; }
        complete_words gatewatch --fol
        complete_words gatewatch --color ""
        complete_words gatewatch -i ""
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = BinaryRunner.repositoryRoot
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let lines = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        process.waitUntilExit()
        #expect(lines.count == 3)
        #expect(lines.first == "--follow")
        #expect(lines.dropFirst().first == "auto always never")
        #expect(lines.last?.split(separator: " ").contains("lo") == true)
    }
}
