// IPv4 and IPv6 addresses as one small value type, printed the way tcpdump and Wireshark do.

/// An IPv4 or IPv6 address held in two words, so flow keys hash and compare without allocating.
///
/// IPv4 addresses live in the low 32 bits of `low` with `high == 0` and `isIPv6 == false`.
public struct IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64
    public let isIPv6: Bool

    /// An IPv4 address from its 32-bit big-endian value (`0x0A000001` is 10.0.0.1).
    public init(ipv4 value: UInt32) {
        high = 0
        low = UInt64(value)
        isIPv6 = false
    }

    /// An IPv6 address from its two 64-bit halves, most significant first.
    public init(ipv6High high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
        isIPv6 = true
    }

    /// The IPv4 value; meaningful only when `isIPv6` is false.
    public var ipv4Value: UInt32 { UInt32(truncatingIfNeeded: low) }

    /// IPv4 before IPv6, then by numeric value, so sorted output is stable across runs.
    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        if lhs.isIPv6 != rhs.isIPv6 { return !lhs.isIPv6 }
        if lhs.high != rhs.high { return lhs.high < rhs.high }
        return lhs.low < rhs.low
    }

    /// Dotted quad for IPv4; RFC 5952 text for IPv6 (lower case, longest zero run as `::`, and
    /// IPv4-mapped addresses as `::ffff:192.0.2.1` per section 5, as inet_ntop prints them).
    public var description: String {
        if !isIPv6 {
            return Self.dottedQuad(ipv4Value)
        }
        if high == 0 && low >> 32 == 0xFFFF {
            return "::ffff:" + Self.dottedQuad(UInt32(truncatingIfNeeded: low))
        }
        var groups = [UInt16](repeating: 0, count: 8)
        for i in 0..<4 {
            groups[i] = UInt16(truncatingIfNeeded: high >> (48 - 16 * UInt64(i)))
            groups[i + 4] = UInt16(truncatingIfNeeded: low >> (48 - 16 * UInt64(i)))
        }
        // RFC 5952 4.2: compress the longest run of two or more zero groups, the first if tied.
        var bestStart = -1, bestLength = 0, runStart = -1
        for i in 0...8 {
            if i < 8 && groups[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                let length = i - runStart
                if length > bestLength && length >= 2 { bestStart = runStart; bestLength = length }
                runStart = -1
            }
        }
        func hex(_ g: UInt16) -> String { String(g, radix: 16) }
        if bestStart < 0 { return groups.map(hex).joined(separator: ":") }
        let head = groups[..<bestStart].map(hex).joined(separator: ":")
        let tail = groups[(bestStart + bestLength)...].map(hex).joined(separator: ":")
        return head + "::" + tail
    }

    static func dottedQuad(_ v: UInt32) -> String {
        // Digits written straight into the string's storage: interpolation cost 1,600 instructions
        // an address, and every connection of a busy capture prints two.
        String(unsafeUninitializedCapacity: 15) { buffer in
            writeDottedQuad(v, into: buffer, at: 0)
        }
    }

    /// `ip:port` for IPv4, `[ip]:port` for IPv6, as the JSON output and summary lines print endpoints.
    public func endpointDescription(port: UInt16) -> String {
        if isIPv6 { return "[\(description)]:\(port)" }
        // Written on the stack first, then into a string of the exact length: a string asked for
        // 21 bytes of room lives on the heap even when it needs 15 ("127.0.0.1:36200"), which a
        // string holds inline; that cost an allocation and 815 instructions an endpoint, and a
        // reference count at every copy of the connection's context (callgrind, nginx-busy).
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { scratch in
            var end = Self.writeDottedQuad(ipv4Value, into: scratch, at: 0)
            scratch[end] = UInt8(ascii: ":")
            end = Self.writeDecimal(UInt32(port), into: scratch, at: end + 1)
            return String(decoding: UnsafeBufferPointer(rebasing: scratch[0..<end]), as: UTF8.self)
        }
    }

    /// Writes `v` as a dotted quad at `start` (room for 15 bytes needed); returns the end.
    private static func writeDottedQuad(_ v: UInt32, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var end = start
        for shift in stride(from: 24, through: 0, by: -8) {
            if shift != 24 { buffer[end] = UInt8(ascii: "."); end += 1 }
            end = writeDecimal((v >> UInt32(shift)) & 0xFF, into: buffer, at: end)
        }
        return end
    }

    /// Writes `value` in decimal at `start` (room for 10 bytes needed); returns the end.
    private static func writeDecimal(_ value: UInt32, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var digits = 1, rest = value
        while rest >= 10 { rest /= 10; digits += 1 }
        var remaining = value
        for index in stride(from: start + digits - 1, through: start, by: -1) {
            buffer[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
        }
        return start + digits
    }
}
