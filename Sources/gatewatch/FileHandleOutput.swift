// Writing to standard error without Foundation.

import Glibc

enum FileHandleOutput {
    /// Writes one line to stderr, unbuffered, so messages interleave correctly with stdout.
    static func standardError(_ text: String) {
        rawStandardError(text.hasSuffix("\n") ? text : text + "\n")
    }

    /// Writes `text` to stderr as it is (no newline added): the progress line redraws in place.
    static func rawStandardError(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { if errno == EINTR { continue }; return }
                offset += written
            }
        }
    }
}

/// The terminal's width in columns on `descriptor` (80 when it cannot tell).
func terminalColumns(_ descriptor: Int32) -> Int {
    var size = winsize()
    guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
}

/// The size of a regular file, nil for anything else (a pipe, a device, a missing file).
func regularFileSize(_ path: String) -> Int64? {
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int64(info.st_size)
}
