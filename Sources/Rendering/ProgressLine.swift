// The one-line progress display on stderr while a large capture file is read.

/// Formats the progress line: bar, percentage, bytes read of total, speed, messages, 502s, time left.
/// Pure, so its layout is tested without a terminal.
public enum ProgressLine {
    /// The line for `read` of `total` bytes after `elapsed` nanoseconds, fitted to `width` columns
    /// (the bar shrinks first, then the less important fields go).
    public static func render(read: Int64, total: Int64, elapsed: Int64, messages: Int, badGateways: Int, width: Int) -> String {
        let fraction = total > 0 ? min(1, max(0, Double(read) / Double(total))) : 0
        let percent = "\(Int(fraction * 100))%".leftPadded(to: 4)
        let seconds = Double(elapsed) / 1e9
        let rate = seconds > 0 ? Double(read) / seconds : 0
        // (text, priority): on a narrow terminal the highest numbers go first, the order stays.
        var fields: [(String, Int)] = [(percent, 0), ("\(megabytes(read))/\(megabytes(total)) MB", 0)]
        if seconds >= 0.05 { fields.append(("\(megabytes(Int64(rate))) MB/s", 4)) }
        fields.append(("\(FollowText.grouped(UInt64(messages))) messages", 3))
        fields.append(("\(FollowText.grouped(UInt64(badGateways))) × 502", 2))
        // A rate from the first fraction of a second says little about the rest; no estimate before half a second.
        if seconds >= 0.5, rate > 0, read < total { fields.append((clock(Double(total - read) / rate) + " left", 1)) }
        // Drop fields until the text fits beside at least a 10-column bar, or only the essentials are left.
        while fields.map(\.0).joined(separator: "  ").count + 14 > width,
              let worst = fields.indices.max(by: { fields[$0].1 < fields[$1].1 }), fields[worst].1 > 0 {
            fields.remove(at: worst)
        }
        let text = fields.map(\.0).joined(separator: "  ")
        let barWidth = min(30, width - text.count - 4)
        guard barWidth >= 10 else { return String(text.prefix(max(0, width - 1))) }
        let filled = Int(fraction * Double(barWidth))
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled) + "] " + text
    }

    /// Moves to the start of the line and clears it, so the next output (or the next frame) starts clean.
    public static let erase = "\r\u{1B}[K"

    /// Bytes as megabytes with one decimal (10^6, as disk sizes are given).
    static func megabytes(_ bytes: Int64) -> String {
        let tenths = (bytes + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `0:07`, `3:21`, `1:02:03`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let hours = total / 3600, minutes = total / 60 % 60, rest = total % 60
        let tail = (rest < 10 ? "0" : "") + "\(rest)"
        if hours > 0 { return "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes):" + tail }
        return "\(minutes):" + tail
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
