// Why --report could not write its file, as one line.

import Glibc

/// Why the report file could not be created or written.
struct ReportFileError: Error {
    var path: String
    var code: Int32

    /// `cannot write report to out.html: Permission denied`.
    var message: String {
        "cannot write report to \(path): " + String(cString: strerror(code))
    }
}
