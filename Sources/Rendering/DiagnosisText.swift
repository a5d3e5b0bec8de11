// The 502 diagnosis as text: a short note for the summary line, a block for -V, an object for JSON.

import Diagnosis

public enum DiagnosisText {
    /// Appends the note for the summary line: `502.2 by IIS: upstream-closed-before-response, high confidence`.
    public static func appendShort(_ diagnosis: Diagnosis, to line: inout LineBytes) {
        line.append(diagnosis.generator.substatus ?? "502")
        line.append(" by ")
        line.append(diagnosis.generator.gateway.displayName)
        line.append(": ")
        line.append(diagnosis.cause.rawValue)
        line.append(", ")
        line.append(diagnosis.confidence.rawValue)
        line.append(" confidence")
    }

    /// The `Diagnosis:` block `-V` prints after the HTTP lines.
    public static func lines(_ diagnosis: Diagnosis, request: MessageRecord.PairedRequest?) -> [String] {
        let generator = diagnosis.generator
        var generatorText = generator.gateway.displayName
        if let product = generator.product { generatorText += " (" + SafeText.escape(product) + ")" }
        var lines = ["Diagnosis: Generator = \(generatorText), confidence \(generator.confidence.rawValue)"]
        if let substatus = generator.substatus {
            lines.append("Diagnosis: Substatus = \(substatus)" + (generator.substatusMeaning.map { " - " + $0 } ?? ""))
        }
        if !generator.markers.isEmpty {
            lines.append("Diagnosis: Matched = " + generator.markers.map(SafeText.escape).joined(separator: "; "))
        }
        lines.append("Diagnosis: Cause = \(diagnosis.cause.rawValue), confidence \(diagnosis.confidence.rawValue)")
        if let upstream = diagnosis.upstream { lines.append("Diagnosis: Upstream = \(upstream)") }
        if !diagnosis.evidence.isEmpty {
            lines.append("Diagnosis: Evidence frames = " + diagnosis.evidence.map(String.init).joined(separator: ", "))
        }
        if let latency = diagnosis.latency {
            var line = "Diagnosis: Time from request to 502 = " + TimeFormat.duration(latency)
            if let request, request.bodyBytes > 0 { line += ", request body = \(request.bodyBytes) bytes" }
            lines.append(line)
        }
        lines.append("Diagnosis: " + diagnosis.explanation)
        return lines
    }

    /// `diagnosis` in `--json`: generator, substatus, cause, upstream, evidence, confidence.
    public static func json(_ diagnosis: Diagnosis) -> JSONObject {
        var object = JSONObject()
        object.add("generator", diagnosis.generator.gateway.rawValue)
        if let product = diagnosis.generator.product { object.add("product", product) }
        if let substatus = diagnosis.generator.substatus { object.add("substatus", substatus) } else { object.addNull("substatus") }
        if let meaning = diagnosis.generator.substatusMeaning { object.add("substatus_meaning", meaning) }
        object.add("cause", diagnosis.cause.rawValue)
        if let upstream = diagnosis.upstream { object.add("upstream", upstream) } else { object.addNull("upstream") }
        object.add("evidence", raw: JSONObject.array(diagnosis.evidence.map(String.init)))
        object.add("confidence", diagnosis.confidence.rawValue)
        object.add("explanation", diagnosis.explanation)
        return object
    }
}
