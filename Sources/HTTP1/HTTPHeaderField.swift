// One header field as ranges into the head's bytes.

/// A header field: the name and value as ranges into the bytes handed with the head.
///
/// The value is trimmed of leading and trailing optional whitespace. For an obs-folded value the
/// range spans the continuation lines, line breaks included (RFC 9112 §5.2).
public struct HTTPHeaderField: Sendable, Equatable {
    /// The field name, as it appears on the wire.
    public var name: Range<Int>
    /// The field value, without surrounding whitespace (possibly empty).
    public var value: Range<Int>

    /// Creates a field.
    public init(name: Range<Int>, value: Range<Int>) {
        self.name = name
        self.value = value
    }
}
