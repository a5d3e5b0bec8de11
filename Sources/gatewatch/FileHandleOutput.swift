// Writing to standard error without Foundation.

import Glibc

enum FileHandleOutput {
    /// Writes one line to stderr, unbuffered, so messages interleave correctly with stdout.
    static func standardError(_ text: String) {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        var bytes = Array(line.utf8)
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
