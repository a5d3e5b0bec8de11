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

    /// The host of an address that normally has no port ("10.0.0.5", "::1", "[::1]"); an IPv4
    /// "ip:port" is tolerated.
    static func host(ofAddress address: String) -> String {
        if address.hasPrefix("[") { return host(ofEndpoint: address) }
        let colons = address.count { $0 == ":" }
        return colons == 1 ? host(ofEndpoint: address) : address.lowercased()
    }

    /// The origin-form of a target: an absolute URI ("http://h/p", used to forward proxies) loses
    /// its scheme and authority.
    static func originForm(_ target: String) -> String {
        guard let scheme = target.firstRange(of: "://") else { return target }
        let rest = target[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
    }

    /// The path of an origin-form target, without query.
    static func path(of target: String) -> String {
        guard let query = target.firstIndex(of: "?") else { return target }
        return String(target[..<query])
    }
}
