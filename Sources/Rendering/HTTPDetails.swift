// The HTTP part of the frame details, in the form of the Netmon decode in the IIS 502.2 article.

/// `HTTP:` detail lines:
/// ```
/// HTTP: Response to Client; HTTP/1.1; Status Code = 502 - Bad Gateway
/// HTTP: Protocol Version =HTTP/1.1
/// HTTP: Status Code = Bad Gateway
/// HTTP: Reason =Bad Gateway
/// HTTP: Content-Length =232
/// HTTP: Data: Number of data bytes remaining = 232 (0x00E8)
/// ```
public enum HTTPDetails {
    public static func lines(_ record: MessageRecord) -> [String] {
        var lines: [String] = []
        let version = SafeText.escape(record.version)
        switch record.kind {
        case .response:
            let standard = HTTPStatusText.phrase(record.status) ?? SafeText.escape(record.reason)
            lines.append("HTTP: Response to Client; \(version); Status Code = \(record.status) - \(standard)")
            lines.append("HTTP: Protocol Version =\(version)")
            lines.append("HTTP: Status Code = \(standard)")
            lines.append("HTTP: Reason =\(SafeText.escape(record.reason))")
        case .request:
            let method = SafeText.escape(record.method), uri = SafeText.escape(record.uri)
            lines.append("HTTP: Request from Client; \(method) \(uri); \(version)")
            lines.append("HTTP: Request Method =\(method)")
            lines.append("HTTP: Uniform Resource Identifier =\(uri)")
            lines.append("HTTP: Protocol Version =\(version)")
        }
        for header in record.headers {
            lines.append("HTTP: \(SafeText.escape(header.name)) =\(SafeText.escape(header.value))")
        }
        if record.bytesAfterHeadInFrame > 0 {
            let hex = String(record.bytesAfterHeadInFrame, radix: 16, uppercase: true)
            let padded = hex.count >= 4 ? hex : String(repeating: "0", count: 4 - hex.count) + hex
            lines.append("HTTP: Data: Number of data bytes remaining = \(record.bytesAfterHeadInFrame) (0x\(padded))")
        }
        for anomaly in record.anomalies {
            lines.append("HTTP: [anomaly: \(SafeText.escape(anomaly))]")
        }
        return lines
    }
}
