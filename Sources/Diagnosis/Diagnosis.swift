// The answer for one failed exchange: who generated the error and why.

/// A diagnosis of one gateway error: the generator, the upstream failure and the frames that show it.
public struct Diagnosis: Sendable, Equatable {
    /// Who generated the response.
    public var generator: GeneratorVerdict
    /// What went wrong upstream.
    public var cause: UpstreamCause
    /// How strongly the evidence supports `cause`.
    public var confidence: Confidence
    /// The upstream "ip:port", when a leg was matched.
    public var upstream: String?
    /// Frame numbers that show the failure, ascending and unique.
    public var evidence: [UInt64]
    /// One or two plain sentences a person on call can act on. Put into words when read: a run
    /// that prints only summary lines never needs them (the sentences were a sixth of the cost
    /// of diagnosing a 502, measured with callgrind over nginx-busy).
    public var explanation: String {
        switch wording {
        case .text(let text): return text
        case .deferred(let finding, let status):
            return Explanation.text(verdict: generator, status: status, finding: finding, upstream: upstream, latency: latency)
        }
    }
    /// The explanation as given, or what it is made from.
    enum Wording: Sendable, Equatable {
        case text(String)
        case deferred(Diagnoser.Finding, status: Int)
    }
    let wording: Wording
    /// Nanoseconds from the client's request to the error response, when the request was captured.
    public var latency: Int64?

    /// Creates a diagnosis.
    public init(generator: GeneratorVerdict, cause: UpstreamCause, confidence: Confidence,
                upstream: String? = nil, evidence: [UInt64] = [], explanation: String, latency: Int64? = nil) {
        self.generator = generator
        self.cause = cause
        self.confidence = confidence
        self.upstream = upstream
        self.evidence = evidence
        self.wording = .text(explanation)
        self.latency = latency
    }

    /// A diagnosis whose explanation is written from `finding` when it is read.
    init(generator: GeneratorVerdict, finding: Diagnoser.Finding, status: Int, upstream: String?,
         evidence: [UInt64], latency: Int64?) {
        self.generator = generator
        self.cause = finding.cause
        self.confidence = finding.confidence
        self.upstream = upstream
        self.evidence = evidence
        self.wording = .deferred(finding, status: status)
        self.latency = latency
    }
}
