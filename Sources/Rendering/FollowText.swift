// The lines of `--follow`: one TCP conversation as a terminal transcript, like Wireshark's
// "Follow TCP Stream", with every wire byte escaped.

/// Pure formatting for `--follow`; the state (which direction spoke last, partial lines) lives in
/// GatewatchCore's follower.
public enum FollowText {
    /// The banner before the conversation.
    public static func banner(stream: Int, client: String, server: String, rolesFromHandshake: Bool) -> String {
        "Follow TCP stream \(stream): client \(client), server \(server)"
            + (rolesFromHandshake ? "" : " (roles guessed: the capture starts mid-connection)")
    }

    /// The line that opens a run of bytes in one direction.
    public static func turn(from source: String, to destination: String, frame: UInt64, time: String) -> String {
        "──── \(source) → \(destination)  frame \(frame)  \(time)"
    }

    /// One line of a head or of a text body, without its line ending, escaped.
    public static func textLine(_ bytes: Span<UInt8>) -> String {
        var end = bytes.count
        if end > 0 && bytes[end - 1] == 0x0A { end -= 1 }
        if end > 0 && bytes[end - 1] == 0x0D { end -= 1 }
        var raw: [UInt8] = []
        raw.reserveCapacity(end)
        for index in 0..<end { raw.append(bytes[index]) }
        return SafeText.escape(bytes: raw)
    }

    /// What a body was, said after it.
    public static func bodyNote(bytes: UInt64, chunked: Bool, binary: Bool, encoding: String?) -> String {
        var parts = ["body \(grouped(bytes)) byte\(bytes == 1 ? "" : "s")"]
        if chunked { parts.append("de-chunked") }
        if let encoding { parts.append("Content-Encoding \(SafeText.escape(encoding)), shown as sent") }
        else if binary { parts.append("binary, shown as hex") }
        return "[" + parts.joined(separator: ", ") + "]"
    }

    /// A hole the sniffer never saw.
    public static func gap(bytes: UInt64, source: String, destination: String, reason: String) -> String {
        "[gap: \(grouped(bytes)) bytes of \(source) → \(destination) not captured (\(reason))]"
    }

    /// One direction ended.
    public static func closed(source: String, destination: String, how: String, frame: UInt64) -> String {
        "[\(source) → \(destination) closed by \(how), frame \(frame)]"
    }

    /// The closing line, with what went each way.
    public static func footer(stream: Int, clientBytes: UInt64, serverBytes: UInt64, requests: Int, responses: Int) -> String {
        "──── end of stream \(stream): \(grouped(clientBytes)) bytes client → server, \(grouped(serverBytes)) bytes server → client, "
            + "\(requests) request\(requests == 1 ? "" : "s"), \(responses) response\(responses == 1 ? "" : "s")"
    }

    /// `1234567` as `1,234,567`.
    public static func grouped(_ value: UInt64) -> String {
        let digits = Array(String(value))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    /// Whether a body's first bytes look like text a terminal can show: no NUL or control bytes
    /// other than tab, CR and LF, and valid UTF-8 (a multi-byte character cut at the end is allowed).
    public static func looksLikeText(_ bytes: Span<UInt8>) -> Bool {
        let limit = min(bytes.count, 1024)
        var index = 0
        while index < limit {
            let byte = bytes[index]
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D { return false }
            if byte == 0x7F { return false }
            if byte < 0x80 { index += 1; continue }
            let length: Int
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return false
            }
            for next in 1..<length {
                if index + next >= bytes.count { return true }
                if bytes[index + next] & 0xC0 != 0x80 { return false }
            }
            index += length
        }
        return true
    }
}
