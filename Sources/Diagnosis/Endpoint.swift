// Small parsers for "ip:port" endpoints and request targets.

/// Helpers that split endpoints and targets; they accept any text and never trap.
enum Endpoint {
    /// The host of "ip:port", "[v6]:port" or a bare IPv6 "a:b::c:port".
    static func host(ofEndpoint endpoint: String) -> String {
        if endpoint.hasPrefix("["), let close = endpoint.firstIndex(of: "]") {
            return String(endpoint[endpoint.index(after: endpoint.startIndex)..<close]).lowercased()
        }
        guard let colon = endpoint.lastIndex(of: ":") else { return endpoint.lowercased() }
        return String(endpoint[..<colon]).lowercased()
    }

    /// Whether `endpoint` ("ip:port", "[v6]:port") is on `host` (as `host(ofAddress:)` gives it).
    /// The common case, an exact `host:` prefix, is answered from the bytes without building
    /// strings (the generic `starts(with:)` over UTF-8 views took 780 instructions a call).
    static func endpoint(_ endpoint: String, isOn host: String) -> Bool {
        let prefixed: Bool? = endpoint.utf8.withContiguousStorageIfAvailable { endpointBytes in
            host.utf8.withContiguousStorageIfAvailable { hostBytes in
                guard endpointBytes.count > hostBytes.count, endpointBytes[hostBytes.count] == UInt8(ascii: ":") else { return false }
                for index in hostBytes.indices where endpointBytes[index] != hostBytes[index] { return false }
                return true
            } ?? false
        }
        if prefixed == true { return true }
        return self.host(ofEndpoint: endpoint) == host
    }

    /// The host of an address that normally has no port ("10.0.0.5", "::1", "[::1]"); an IPv4
    /// "ip:port" is tolerated.
    static func host(ofAddress address: String) -> String {
        if address.hasPrefix("[") { return host(ofEndpoint: address) }
        // Counted over the bytes: ":" is ASCII, and a Character walk cost 2,000 instructions a 502.
        let colons = address.utf8.count { $0 == UInt8(ascii: ":") }
        return colons == 1 ? host(ofEndpoint: address) : address.lowercased()
    }

    /// The origin-form of a target: an absolute URI ("http://h/p", used to forward proxies) loses
    /// its scheme and authority.
    static func originForm(_ target: String) -> String {
        // Almost every target is already origin-form; answer those without a substring search
        // (measured: the search was 8% of a run over a busy capture's 3,500 502s).
        if target.utf8.first == UInt8(ascii: "/") || target == "*" { return target }
        guard let scheme = target.firstRange(of: "://") else { return target }
        let rest = target[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
    }

    /// The path of an origin-form target, without query.
    static func path(of target: String) -> Substring {
        // A search over the contiguous bytes: a Character search was 4% of a busy run, called for
        // every candidate leg, and the generic UTF-8 view search still 280 instructions a call.
        let query: Int?? = target.utf8.withContiguousStorageIfAvailable { $0.firstIndex(of: UInt8(ascii: "?")) }
        let offset = query ?? target.utf8.firstIndex(of: UInt8(ascii: "?")).map { target.utf8.distance(from: target.utf8.startIndex, to: $0) }
        guard let offset else { return target[...] }
        // "?" is ASCII, so its UTF-8 position is a valid String index.
        return target[..<target.utf8.index(target.utf8.startIndex, offsetBy: offset)]
    }

    /// `text.hasSuffix(suffix)`, compared over the bytes when both are ASCII and the text has no CR (the generic suffix test
    /// over a Substring walks reversed Characters: 1,700 instructions a call, measured).
    static func hasSuffix(_ text: Substring, _ suffix: Substring) -> Bool {
        // Different last bytes, both ASCII: the last characters differ, whatever comes before
        // them, so neither scan below is needed (most pairs of unrelated paths end here).
        if let last = text.utf8.last, let suffixLast = suffix.utf8.last, last < 0x80, suffixLast < 0x80, last != suffixLast {
            return false
        }
        let answer: Bool?? = text.utf8.withContiguousStorageIfAvailable { textBytes in
            suffix.utf8.withContiguousStorageIfAvailable { suffixBytes -> Bool? in
                // A CR in the text could pair with an LF starting the suffix into one character.
                for byte in textBytes where byte >= 0x80 || byte == 0x0D { return nil }
                for byte in suffixBytes where byte >= 0x80 { return nil }
                guard suffixBytes.count <= textBytes.count else { return false }
                let start = textBytes.count - suffixBytes.count
                for index in suffixBytes.indices where textBytes[start + index] != suffixBytes[index] { return false }
                return true
            } ?? nil
        }
        if let answer, let answer { return answer }
        return text.hasSuffix(suffix)
    }
}
