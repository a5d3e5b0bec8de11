// Drives the stderr progress line while a large capture file is read: redraws at most ten times a
// second, erases itself before stdout writes to the same terminal, and leaves no trace at the end.

import Glibc
import Rendering

/// The progress display for one run over a savefile of known size.
public final class ProgressMeter {
    private let total: Int64
    private let start: Int64
    private var lastDraw: Int64 = 0
    private var visible = false
    private let write: (String) -> Void
    private let width: () -> Int

    /// A meter for a file of `totalBytes`; `write` puts text on stderr unbuffered, `width` gives the
    /// terminal's columns (asked on each draw, so a resized window is followed).
    public init(totalBytes: Int64, width: @escaping () -> Int, write: @escaping (String) -> Void) {
        self.total = totalBytes
        self.start = Self.now()
        self.width = width
        self.write = write
    }

    /// Called every few thousand packets; draws when 100 ms have passed since the last frame, or
    /// at once for the first one.
    public func update(read: Int64?, statistics: RunStatistics) {
        let now = Self.now()
        guard !visible || now - lastDraw >= 100_000_000 else { return }
        lastDraw = now
        let line = ProgressLine.render(read: min(read ?? 0, total), total: total, elapsed: now - start,
                                       messages: statistics.requests + statistics.responses,
                                       badGateways: statistics.responses(status: 502), width: width())
        write("\r" + line + "\u{1B}[K")
        visible = true
    }

    /// Removes the line (before stdout writes to the same terminal, and at the end of the run).
    public func erase() {
        guard visible else { return }
        write(ProgressLine.erase)
        visible = false
    }

    private static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
