// The HTTP version of a start line.

/// An HTTP version from a start line, `HTTP/major.minor` (RFC 9112 §2.3: one digit each).
public struct HTTPVersion: Sendable, Equatable {
    /// The major version digit.
    public var major: UInt8
    /// The minor version digit.
    public var minor: UInt8

    /// Creates a version.
    public init(major: UInt8, minor: UInt8) {
        self.major = major
        self.minor = minor
    }

    /// HTTP/1.0.
    public static let http10 = HTTPVersion(major: 1, minor: 0)
    /// HTTP/1.1.
    public static let http11 = HTTPVersion(major: 1, minor: 1)
}
