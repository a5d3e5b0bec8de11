// `--status LIST`: which responses to show (`502`, `5xx`, `502,504`).

/// A set of status codes and classes parsed from `--status`.
public struct StatusFilter: Sendable, Equatable {
    private var codes: Set<Int> = []
    private var classes: Set<Int> = []

    /// Parses a comma-separated list of codes (`502`) and classes (`5xx`); nil if any item is invalid.
    public init?(_ text: String) {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        guard !items.isEmpty else { return nil }
        for raw in items {
            let item = raw.trimmingSpaces.lowercased()
            if item.count == 3, item.hasSuffix("xx"), let digit = Int(item.prefix(1)), (1...5).contains(digit) {
                classes.insert(digit)
            } else if item.count == 3, let code = Int(item), (100...999).contains(code) {
                codes.insert(code)
            } else {
                return nil
            }
        }
    }

    /// Whether a response with `status` is shown.
    public func matches(_ status: Int) -> Bool {
        codes.contains(status) || classes.contains(status / 100)
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
