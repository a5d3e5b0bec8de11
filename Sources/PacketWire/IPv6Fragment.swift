// The fields of an IPv6 Fragment extension header (RFC 8200 section 4.5).

/// A decoded IPv6 Fragment header.
public struct IPv6Fragment: Sendable {
    /// Offset of this fragment's data in the fragmentable part, in bytes (the field × 8).
    public var offset: Int
    /// The M flag: more fragments follow.
    public var moreFragments: Bool
    /// The identification shared by all fragments of one packet.
    public var identification: UInt32

    /// A fragment header with the given fields.
    public init(offset: Int, moreFragments: Bool, identification: UInt32) {
        self.offset = offset
        self.moreFragments = moreFragments
        self.identification = identification
    }

    /// False for an "atomic fragment" (offset 0, M clear; RFC 6946), which holds the whole packet.
    public var isFragment: Bool { moreFragments || offset != 0 }
}
