// One row of the generator table: how a product's own error response looks.

/// How a product's self-generated error response can be recognised, as plain data.
///
/// A signature lists body markers (literal text, matched case-insensitively on ASCII letters) and
/// header rules, each with a strength. The classifier ranks signatures by body evidence first and
/// header evidence second, because a proxy that merely passes a 502 through often stamps its own
/// headers on it while the body stays the inner generator's.
public struct GeneratorSignature: Sendable {
    /// How much one matching marker says about the generator.
    public enum Strength: Sendable {
        /// Text only this product emits (a page footer, a fixed sentence).
        case distinctive
        /// Text several products share (the bare "502 Bad Gateway" title); it only breaks ties.
        case generic
        /// A header the product adds only to responses it generated itself (`X-Squid-Error`,
        /// ALB's `Server: awselb`), so it also rules out a pass-through.
        case generatedOnly
        /// A header that shows the product is on the path, not that it wrote this response.
        case identifying
        /// A trait that fits the product but proves nothing alone (no `Server` header).
        case supporting

        var weight: Int {
            switch self {
            case .distinctive: 10
            case .generatedOnly: 6
            case .identifying: 4
            case .generic: 3
            case .supporting: 1
            }
        }
    }

    /// How a header value (or its absence) is tested. Comparisons ignore ASCII case.
    public enum ValueTest: Sendable {
        /// The header is present, whatever its value.
        case present
        /// No header with that name is present.
        case absent
        /// The value equals the text after trimming spaces.
        case equals(String)
        /// The value starts with the text.
        case prefix(String)
        /// The value contains the text.
        case contains(String)

        /// Whether a match means the header is there (every test but `absent`).
        var isPositive: Bool {
            if case .absent = self { return false }
            return true
        }
    }

    /// A test on one header.
    public struct HeaderRule: Sendable {
        /// The header name; with `nameIsPrefix`, any header whose name starts with it.
        public var name: String
        /// Whether `name` is a prefix (`X-Kong-`) rather than a whole name.
        public var nameIsPrefix: Bool
        /// The test on the value.
        public var test: ValueTest
        /// What a match says.
        public var strength: Strength
        /// A short label for reports, e.g. "Server: nginx".
        public var label: String

        /// Creates a header rule.
        public init(_ name: String, _ test: ValueTest, _ strength: Strength, label: String,
                    nameIsPrefix: Bool = false) {
            self.name = name
            self.nameIsPrefix = nameIsPrefix
            self.test = test
            self.strength = strength
            self.label = label
        }
    }

    /// A literal text in the body (or, with `wholeBody`, the entire trimmed body).
    public struct BodyMarker: Sendable {
        /// The text to find; ASCII letters match in either case.
        public var text: String
        /// Whether the trimmed body must equal `text` instead of containing it.
        public var wholeBody: Bool
        /// What a match says.
        public var strength: Strength
        /// A short label for reports.
        public var label: String
        /// The substatus this text implies when the page does not print a number, e.g. "502.2".
        public var impliedSubstatus: String?
        /// The upstream failure this text states, when the page says it (Envoy's reset reason).
        public var cause: UpstreamCause?

        /// Creates a body marker.
        public init(_ text: String, _ strength: Strength, label: String, wholeBody: Bool = false,
                    impliedSubstatus: String? = nil, cause: UpstreamCause? = nil) {
            self.text = text
            self.wholeBody = wholeBody
            self.strength = strength
            self.label = label
            self.impliedSubstatus = impliedSubstatus
            self.cause = cause
        }
    }

    /// A header value that states the upstream failure (Squid's `X-Squid-Error: ERR_CONNECT_FAIL 111`).
    public struct HeaderCause: Sendable {
        /// The header name.
        public var name: String
        /// Text the value must contain.
        public var contains: String
        /// The failure it states.
        public var cause: UpstreamCause

        /// Creates a header cause hint.
        public init(_ name: String, contains: String, _ cause: UpstreamCause) {
            self.name = name
            self.contains = contains
            self.cause = cause
        }
    }

    /// The product this signature identifies.
    public var gateway: Gateway
    /// Body markers, most telling first.
    public var bodyMarkers: [BodyMarker]
    /// Header rules.
    public var headerRules: [HeaderRule]
    /// Header values that state the cause.
    public var headerCauses: [HeaderCause]
    /// Whether the page may print an IIS-style substatus ("HTTP Error 502.3").
    public var readsSubstatus: Bool
    /// Whether the product's page normally has an empty body (Caddy), so a matching header with an
    /// empty body is fair evidence rather than a possible pass-through.
    public var emptyBodyTypical: Bool

    /// Creates a signature.
    public init(_ gateway: Gateway, body: [BodyMarker] = [], headers: [HeaderRule] = [],
                headerCauses: [HeaderCause] = [], readsSubstatus: Bool = false,
                emptyBodyTypical: Bool = false) {
        self.gateway = gateway
        self.bodyMarkers = body
        self.headerRules = headers
        self.headerCauses = headerCauses
        self.readsSubstatus = readsSubstatus
        self.emptyBodyTypical = emptyBodyTypical
    }
}
