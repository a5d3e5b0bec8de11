// Entry point: parse the command line (usage errors exit 2, like tcpdump), then run.

import ArgumentParser
import Glibc

do {
    let command = try GatewatchCommand.parseAsRoot()
    guard let gatewatch = command as? GatewatchCommand else {
        var other = command
        try other.run()
        exit(0)
    }
    exit(gatewatch.execute())
} catch {
    let code = GatewatchCommand.exitCode(for: error)
    let message = GatewatchCommand.fullMessage(for: error)
    if code == .success {
        print(message)
        exit(0)
    }
    FileHandleOutput.standardError(message.isEmpty ? "gatewatch: \(error)" : message)
    if !message.contains("Usage:") {
        FileHandleOutput.standardError("Usage: gatewatch [-r FILE | -i IFACE] [options] [filter expression]; see gatewatch --help")
    }
    exit(2)
}
