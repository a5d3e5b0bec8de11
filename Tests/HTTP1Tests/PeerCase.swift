// A named script with the compact event log it must produce.

import HTTP1
import Testing

/// One peer-suite case: a script and its expected compact log.
struct PeerCase: Sendable, CustomTestStringConvertible {
    var name: String
    var script: Script
    var expected: [String]

    var testDescription: String { name }

    /// A response-only case on direction 1.
    static func response(_ name: String, _ text: String, close: Bool = false, finish: Bool = false,
                         limits: HTTPLimits = .default, _ expected: [String]) -> PeerCase {
        response(name, Array(text.utf8), close: close, finish: finish, limits: limits, expected)
    }

    /// A response-only case on direction 1, from raw bytes.
    static func response(_ name: String, _ bytes: [UInt8], close: Bool = false, finish: Bool = false,
                         limits: HTTPLimits = .default, _ expected: [String]) -> PeerCase {
        var steps: [Step] = [.data(1, bytes)]
        if close { steps.append(.close(1)) }
        if finish { steps.append(.finish) }
        return PeerCase(name: name, script: Script(steps: steps, limits: limits), expected: expected)
    }

    /// A request-only case on direction 0.
    static func request(_ name: String, _ text: String, finish: Bool = false, limits: HTTPLimits = .default,
                        _ expected: [String]) -> PeerCase {
        var steps: [Step] = [.data(0, Array(text.utf8))]
        if finish { steps.append(.finish) }
        return PeerCase(name: name, script: Script(steps: steps, limits: limits), expected: expected)
    }

    /// A two-direction case: `(direction, text)` segments in order, then finish.
    static func exchange(_ name: String, _ segments: [(UInt8, String)], _ expected: [String]) -> PeerCase {
        var steps = segments.map { Step.data($0.0, Array($0.1.utf8)) }
        steps.append(.finish)
        return PeerCase(name: name, script: Script(steps: steps), expected: expected)
    }
}
