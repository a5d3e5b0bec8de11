// `--status LIST`: which responses to show (`502`, `5xx`, `502,504`).

/// A set of status codes and classes parsed from `--status`.
public struct StatusFilter: Sendable, Equatable {
    /// One bit per code 100...999 (16 words), set for the codes the list names alone or by class:
    /// asked for every response, the two set lookups this replaced hashed twice, 145 instructions a
    /// response over nginx-busy (callgrind).
    private var shown = [UInt64](repeating: 0, count: 16)

    /// Parses a comma-separated list of codes (`502`) and classes (`5xx`); nil if any item is invalid.
    public init?(_ text: String) {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        guard !items.isEmpty else { return nil }
        for raw in items {
            let item = raw.trimmingSpaces.lowercased()
            if item.count == 3, item.hasSuffix("xx"), let digit = Int(item.prefix(1)), (1...5).contains(digit) {
                for code in (digit * 100)..<(digit * 100 + 100) { show(code) }
            } else if item.count == 3, let code = Int(item), (100...999).contains(code) {
                show(code)
            } else {
                return nil
            }
        }
    }

    private mutating func show(_ code: Int) { shown[code >> 6] |= 1 << UInt64(code & 63) }

    /// Whether a response with `status` is shown.
    @inline(__always)
    public func matches(_ status: Int) -> Bool {
        // Statuses outside 100...999 match nothing (as no code or class of the list can name them).
        guard status >= 100 && status <= 999 else { return false }
        return shown[status >> 6] & (1 << UInt64(status & 63)) != 0
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
