// What --summary gathers per response: latencies per status, 5xx causes, the URLs behind the 502s.

import Diagnosis

/// The end-of-run summary's data, gathered once per message (never per packet) in bounded memory:
/// one fixed-size histogram per status seen, one counter per (status, generator, cause), and at most
/// `urlCapacity` distinct 502 URLs (those beyond are counted in `urlOverflow`).
public struct RunSummary: Sendable {
    /// One row of the 5xx table.
    public struct ErrorKey: Hashable, Sendable {
        /// The response status (500…599).
        public var status: Int
        /// Who generated it; nil when it was not diagnosed (5xx other than 502 and 504).
        public var generator: Gateway?
        /// What the upstream did; nil when not diagnosed.
        public var cause: UpstreamCause?
    }

    /// One 502 URL: the method and request target of the client request it answered.
    public struct URLKey: Hashable, Sendable {
        /// The request method, "-" when the request was not captured.
        public var method: String
        /// The request target as sent (capped like every request summary).
        public var uri: String
    }

    /// Latency percentiles for one status, in nanoseconds.
    public struct LatencyRow: Sendable, Equatable {
        /// The response status.
        public var status: Int
        /// Responses of this status whose request was captured.
        public var count: Int
        /// Median, 90th and 99th percentile by nearest rank (bucket upper edge, at most 6.25 % high).
        public var p50: Int64
        /// See `p50`.
        public var p90: Int64
        /// See `p50`.
        public var p99: Int64
        /// The exact largest latency.
        public var max: Int64
    }

    private var latencies: [Int: LatencyHistogram] = [:]
    /// 5xx responses by status, generator and cause.
    public private(set) var errors: [ErrorKey: Int] = [:]
    /// 502 responses by the request they answered.
    public private(set) var urls: [URLKey: Int] = [:]
    /// 502 responses whose URL did not fit in the table.
    public private(set) var urlOverflow = 0
    /// Most distinct 502 URLs kept.
    public let urlCapacity: Int

    /// An empty summary keeping at most `urlCapacity` distinct 502 URLs.
    public init(urlCapacity: Int = 10_000) {
        self.urlCapacity = urlCapacity
    }

    /// A response head with the time its request began, when that request was captured.
    mutating func noteResponse(status: Int, time: Int64, requestTime: Int64?) {
        guard let requestTime else { return }
        if let index = latencies.index(forKey: status) {
            latencies.values[index].record(time &- requestTime)
        } else {
            var histogram = LatencyHistogram()
            histogram.record(time &- requestTime)
            latencies[status] = histogram
        }
    }

    /// A finished 5xx response, with its diagnosis when one was made.
    mutating func noteError(status: Int, diagnosis: Diagnosis?, method: String?, uri: String?) {
        let key = ErrorKey(status: status, generator: diagnosis?.generator.gateway, cause: diagnosis?.cause)
        errors[key, default: 0] += 1
        guard status == 502 else { return }
        let url = URLKey(method: method ?? "-", uri: uri ?? "(request not captured)")
        if let index = urls.index(forKey: url) {
            urls.values[index] += 1
        } else if urls.count < urlCapacity {
            urls[url] = 1
        } else {
            urlOverflow += 1
        }
    }

    /// The 5xx table: by status, then most frequent first, then by name.
    public var errorRows: [(key: ErrorKey, count: Int)] {
        errors.map { (key: $0.key, count: $0.value) }.sorted {
            if $0.key.status != $1.key.status { return $0.key.status < $1.key.status }
            if $0.count != $1.count { return $0.count > $1.count }
            let generators = ($0.key.generator?.displayName ?? "", $1.key.generator?.displayName ?? "")
            if generators.0 != generators.1 { return generators.0 < generators.1 }
            return ($0.key.cause?.rawValue ?? "") < ($1.key.cause?.rawValue ?? "")
        }
    }

    /// The `limit` most frequent 502 URLs, ties by method then URI.
    public func topURLs(_ limit: Int = 10) -> [(key: URLKey, count: Int)] {
        Array(urls.map { (key: $0.key, count: $0.value) }.sorted {
            if $0.count != $1.count { return $0.count > $1.count }
            if $0.key.method != $1.key.method { return $0.key.method < $1.key.method }
            return $0.key.uri < $1.key.uri
        }.prefix(limit))
    }

    /// The latency histogram of `status`, nil when no response of it had its request captured.
    func latencyHistogram(status: Int) -> LatencyHistogram? { latencies[status] }

    /// Latency percentiles per status, ascending status; only responses whose request was captured.
    public var latencyRows: [LatencyRow] {
        latencies.keys.sorted().compactMap { status in
            guard let histogram = latencies[status], let p50 = histogram.percentile(0.5), let p90 = histogram.percentile(0.9),
                  let p99 = histogram.percentile(0.99) else { return nil }
            return LatencyRow(status: status, count: histogram.count, p50: p50, p90: p90, p99: p99, max: histogram.maximum)
        }
    }
}
