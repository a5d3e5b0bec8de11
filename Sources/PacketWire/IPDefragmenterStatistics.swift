// Counters kept by the IP defragmenter, so rejected and abandoned fragments are visible in reports.

/// What an `IPDefragmenter` has done so far. Every fragment passed to it lands in exactly one of
/// `fragmentsAccepted`, `duplicateFragments`, `notFragments` or one of the `…Rejected` counters.
public struct IPDefragmenterStatistics: Sendable, Equatable {
    /// Fragments stored (or completing a datagram).
    public var fragmentsAccepted: UInt64 = 0
    /// Datagrams rebuilt and returned.
    public var datagramsCompleted: UInt64 = 0
    /// Exact repeats of a stored fragment (same range, same bytes), ignored.
    public var duplicateFragments: UInt64 = 0
    /// Fragments overlapping stored data with different bounds or bytes; the whole datagram is
    /// dropped (RFC 5722), so an ambiguous reassembly never reaches the HTTP parser.
    public var overlapsRejected: UInt64 = 0
    /// Fragments that would make the datagram exceed 65535 bytes, or exceed the per-datagram
    /// fragment count.
    public var oversizedRejected: UInt64 = 0
    /// Fragments with an inconsistent length: empty, not a multiple of 8 before the last,
    /// cut short by the capture, or contradicting the datagram's known end.
    public var malformedRejected: UInt64 = 0
    /// Fragments dropped because making room for them evicted their own datagram.
    public var limitRejected: UInt64 = 0
    /// Calls with a packet that was not a fragment.
    public var notFragments: UInt64 = 0
    /// Incomplete datagrams dropped because their first fragment is older than the timeout.
    public var datagramsTimedOut: UInt64 = 0
    /// Incomplete datagrams dropped to stay within the datagram-count or byte limit.
    public var datagramsEvicted: UInt64 = 0

    /// All counters zero.
    public init() {}
}
