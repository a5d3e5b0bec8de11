// The five HTTP status classes (RFC 9110 §15), and a sixth for codes outside them.

/// The class of a response status: what the --report chart stacks its responses by.
public enum StatusClass: Int, Sendable, CaseIterable {
    case informational, success, redirection, clientError, serverError
    /// A status outside 100…599 (the parser accepts any three digits).
    case other

    /// The class of `status`.
    public init(status: Int) {
        switch status {
        case 100...199: self = .informational
        case 200...299: self = .success
        case 300...399: self = .redirection
        case 400...499: self = .clientError
        case 500...599: self = .serverError
        default: self = .other
        }
    }

    /// `1xx` … `5xx`, or `other`.
    public var label: String {
        self == .other ? "other" : "\(rawValue + 1)xx"
    }
}
