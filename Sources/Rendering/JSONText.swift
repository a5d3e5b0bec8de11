// Minimal JSON text building: correct string escaping is all JSON lines need.

/// Builds one JSON object as text, keys in the order they are added.
public struct JSONObject {
    private var text = "{"
    private var first = true

    public init() {}

    private mutating func key(_ name: String) {
        if !first { text += "," }
        first = false
        text += JSONObject.quoted(name) + ":"
    }

    public mutating func add(_ name: String, _ value: String) { key(name); text += JSONObject.quoted(value) }
    public mutating func add(_ name: String, _ value: Int) { key(name); text += String(value) }
    public mutating func add(_ name: String, _ value: UInt64) { key(name); text += String(value) }
    public mutating func add(_ name: String, _ value: Bool) { key(name); text += value ? "true" : "false" }
    public mutating func add(_ name: String, number value: Double) { key(name); text += fixed(value, digits: 3) }
    public mutating func add(_ name: String, _ value: JSONObject) { key(name); text += value.rendered }
    public mutating func add(_ name: String, raw: String) { key(name); text += raw }
    public mutating func addNull(_ name: String) { key(name); text += "null" }

    /// The finished object.
    public var rendered: String { text + "}" }

    /// A JSON string literal. Control characters (C0, DEL, C1) and the bidi overrides are `\u` escapes,
    /// so the text is safe on a terminal as well as valid JSON.
    public static func quoted(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if SafeText.isUnsafe(scalar) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A JSON array of already-rendered values.
    public static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
}

/// The `--json` line for one message.
public enum MessageJSON {
    public static func render(_ record: MessageRecord, nanoseconds: Bool = false) -> String {
        var object = JSONObject()
        object.add("type", record.kind.rawValue)
        object.add("frame", record.frame)
        object.add("time", TimeFormat.iso8601(record.time, nanoseconds: nanoseconds))
        object.add("stream", record.stream)
        object.add("src", record.source)
        object.add("dst", record.destination)
        object.add("version", record.version)
        switch record.kind {
        case .request:
            object.add("method", record.method)
            object.add("uri", record.uri)
            if let host = record.host { object.add("host", host) } else { object.addNull("host") }
        case .response:
            object.add("status", record.status)
            object.add("reason", record.reason)
        }
        object.add("headers", raw: JSONObject.array(record.headers.map { header in
            var pair = JSONObject()
            pair.add("name", header.name)
            pair.add("value", header.value)
            return pair.rendered
        }))
        object.add("body_bytes", record.bodyBytes)
        switch record.completion {
        case .complete: break
        case .incomplete(let gap): object.add("incomplete", true); object.add("gap_bytes", gap)
        case .cutByClose: object.add("incomplete", true); object.add("cut_by_close", true)
        case .unfinished: object.add("incomplete", true); object.add("unfinished", true)
        case .tunnel: object.add("tunnel", true)
        }
        if !record.anomalies.isEmpty {
            object.add("anomalies", raw: JSONObject.array(record.anomalies.map(JSONObject.quoted)))
        }
        if let request = record.request {
            var paired = JSONObject()
            paired.add("frame", request.frame)
            paired.add("method", request.method)
            paired.add("uri", request.uri)
            object.add("request", paired)
            if let latency = record.latency { object.add("latency_ms", number: Double(latency) / 1_000_000) }
        }
        if let diagnosis = record.diagnosis {
            object.add("diagnosis", DiagnosisText.json(diagnosis))
        }
        return object.rendered
    }
}
