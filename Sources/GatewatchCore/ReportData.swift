// What --report gathers beyond the summary: responses over time and the 502s one by one.

import Diagnosis
import Rendering

/// The report's data, gathered once per message (never per packet) in bounded memory: the
/// timeline's bins are capped, and so are the 502 rows (those past `rowCapacity` are only counted).
/// The summary counts and latency histograms come from `RunSummary`, gathered alongside.
public struct ReportData: Sendable {
    /// Responses per time bin by status class, 502s marked.
    public private(set) var timeline: ResponseTimeline
    /// The first `rowCapacity` 502s, in the order they ended.
    public private(set) var badGateways: [BadGatewayRow] = []
    /// 502s past `rowCapacity`, counted but not listed.
    public private(set) var badGatewaysNotListed = 0
    /// Most 502 rows kept.
    public let rowCapacity: Int
    /// Longest method, request target and `Server` product kept per row, in Unicode scalars: a row
    /// stays small even when a hostile peer sends a 64 KiB header.
    static let methodLimit = 64, uriLimit = 1024, productLimit = 256

    /// Empty report data: at most `timelineCapacity` time bins and `rowCapacity` 502 rows.
    public init(timelineCapacity: Int = 3600, rowCapacity: Int = 1000) {
        self.timeline = ResponseTimeline(capacity: timelineCapacity)
        self.rowCapacity = rowCapacity
    }

    /// A response head, counted in the bin of the time it began.
    mutating func noteResponse(status: Int, time: Int64) {
        timeline.record(status: status, time: time)
    }

    /// A finished 502 and its diagnosis.
    mutating func noteBadGateway(_ record: MessageRecord, diagnosis: Diagnosis) {
        guard badGateways.count < rowCapacity else {
            badGatewaysNotListed += 1
            return
        }
        badGateways.append(BadGatewayRow(frame: record.frame, time: record.time, client: record.destination, gateway: record.source,
                                         method: record.request.map { Self.capped($0.method, Self.methodLimit) },
                                         uri: record.request.map { Self.capped($0.uri, Self.uriLimit) },
                                         generator: diagnosis.generator.gateway,
                                         product: diagnosis.generator.product.map { Self.capped($0, Self.productLimit) },
                                         substatus: diagnosis.generator.substatus, cause: diagnosis.cause,
                                         confidence: diagnosis.confidence, upstream: diagnosis.upstream, latency: record.latency))
    }

    /// `text` cut to `limit` Unicode scalars, with "…" to show it was cut.
    static func capped(_ text: String, _ limit: Int) -> String {
        guard text.unicodeScalars.count > limit else { return text }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: text.unicodeScalars.prefix(limit))
        return String(result) + "…"
    }
}
