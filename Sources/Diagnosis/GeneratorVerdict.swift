// Who generated an error response, as decided from the response alone.

/// The classifier's answer: which product generated the response and how sure we are.
public struct GeneratorVerdict: Sendable, Equatable {
    /// The generating product, or `.unknown`.
    public var gateway: Gateway
    /// The product and version from the `Server` header when it names one, e.g. "nginx/1.22.1".
    public var product: String?
    /// The IIS-family substatus shown on the page, e.g. "502.2".
    public var substatus: String?
    /// What that substatus means for this generator.
    public var substatusMeaning: String?
    /// Short labels of the signature markers that matched, body markers first.
    public var markers: [String]
    /// How strongly the markers support `gateway`.
    public var confidence: Confidence

    /// Creates a verdict.
    public init(gateway: Gateway, product: String? = nil, substatus: String? = nil,
                substatusMeaning: String? = nil, markers: [String] = [], confidence: Confidence) {
        self.gateway = gateway
        self.product = product
        self.substatus = substatus
        self.substatusMeaning = substatusMeaning
        self.markers = markers
        self.confidence = confidence
    }
}
