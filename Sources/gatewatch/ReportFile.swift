// The --report file: opened when the run starts, so a bad path fails at once, written when it ends.

import Glibc

/// An HTML report file, created (or truncated) up front and filled at the end of the run.
final class ReportFile {
    private var descriptor: Int32
    let path: String

    /// Creates or truncates `path`; the error is one line saying why it cannot be written.
    init(path: String) throws(ReportFileError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0 { throw ReportFileError(path: path, code: errno) }
    }

    /// Writes the whole page and closes the file.
    func write(_ text: String) throws(ReportFileError) {
        var bytes = Array(text.utf8)
        let failure: Int32? = bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0, errno == EINTR { continue }
                if written <= 0 { return written < 0 ? errno : EIO }
                offset += written
            }
            return nil
        }
        let closed = close(descriptor)
        let closeError = errno
        descriptor = -1
        if let failure { throw ReportFileError(path: path, code: failure) }
        if closed != 0 { throw ReportFileError(path: path, code: closeError) }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }
}
