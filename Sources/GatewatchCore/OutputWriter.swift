// The one place output is written: buffered, coloured when asked, flushed per line when live.

import Glibc
import Rendering

/// Whether to colour output, as `--color auto|always|never` and `NO_COLOR` decide.
public enum ColorMode: String, Sendable, CaseIterable {
    case auto, always, never

    /// Resolves `auto`: colour only when stdout is a terminal and `NO_COLOR` is unset or empty.
    public func enabled(isTerminal: Bool, environment: [String: String]) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
            return isTerminal
        }
    }
}

/// Collects output lines into a buffer and writes them with few system calls.
public final class OutputWriter {
    private var buffer: [UInt8] = []
    private let colored: Bool
    private let flushEachLine: Bool
    private let sink: (UnsafeRawBufferPointer) -> Void
    /// Every line written, when capturing output for tests.
    public private(set) var captured: String? = nil
    /// Runs before each write to stdout (the progress line erases itself when both share a terminal).
    public var beforeWrite: (() -> Void)?

    /// A writer to standard output.
    public init(colored: Bool, flushEachLine: Bool) {
        self.colored = colored
        self.flushEachLine = flushEachLine
        self.sink = { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = unsafe write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { if errno == EINTR { continue }; return }
                offset += written
            }
        }
        buffer.reserveCapacity(1 << 16)
    }

    /// A writer that keeps everything in `captured` (tests and library callers).
    public init(capturingWithColor colored: Bool = false) {
        self.colored = colored
        self.flushEachLine = false
        self.captured = ""
        self.sink = { _ in }
    }

    deinit { flush() }

    /// Writes one line (a newline is added), coloured by `highlight` when colour is on.
    public func line(_ text: String, highlight: Highlight = .none) {
        if colored, highlight != .none {
            let start = highlight == .badGateway ? "\u{1B}[1;31m" : "\u{1B}[33m"
            append(start + text + "\u{1B}[0m\n")
        } else {
            append(text + "\n")
        }
        if flushEachLine { flush() }
    }

    /// Writes one line built as bytes (a newline is added), coloured by `highlight` when colour is on.
    public func line(_ text: LineBytes, highlight: Highlight = .none) {
        if captured != nil {
            line(text.string, highlight: highlight)
            return
        }
        let coloured = colored && highlight != .none
        if coloured { buffer.append(contentsOf: (highlight == .badGateway ? "\u{1B}[1;31m" : "\u{1B}[33m").utf8) }
        buffer.append(contentsOf: text.bytes)
        if coloured { buffer.append(contentsOf: "\u{1B}[0m".utf8) }
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
        if flushEachLine { flush() }
    }

    /// Writes several lines without highlight.
    public func lines(_ texts: [String]) {
        for text in texts { append(text + "\n") }
        if flushEachLine { flush() }
    }

    private func append(_ text: String) {
        if captured != nil { captured! += text; return }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes out what is buffered.
    public func flush() {
        guard !buffer.isEmpty else { return }
        beforeWrite?()
        unsafe buffer.withUnsafeBytes { unsafe sink($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
