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
    /// One or two plain sentences a person on call can act on.
    public var explanation: String
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
        self.explanation = explanation
        self.latency = latency
    }
}
