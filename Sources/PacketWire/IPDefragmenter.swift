// Bounded IPv4 / IPv6 fragment reassembly (RFC 791 section 3.2, RFC 8200 section 4.5, RFC 5722).

/// Rebuilds fragmented IP datagrams so their TCP segments can be decoded.
///
/// Fragments are rare in HTTP traffic, so this copies freely; what it must not do is grow without
/// bound on hostile input. Limits: datagrams in progress, bytes buffered (counted as the buffers
/// actually allocated, so one far fragment cannot hide a large allocation), fragments per
/// datagram, and a timeout measured in capture time from a datagram's first fragment. When a
/// limit is hit the oldest incomplete datagram is dropped. Overlapping fragments drop their
/// datagram; exact duplicates are ignored.
public struct IPDefragmenter {
    /// Identifies one datagram: RFC 791 uses (source, destination, protocol, id); RFC 8200 (source,
    /// destination, id).
    struct Key: Hashable {
        var source: IPAddress
        var destination: IPAddress
        var identification: UInt32
        var protocolNumber: UInt8
    }

    /// One datagram being rebuilt.
    struct Pending {
        var buffer: [UInt8] = []
        /// Received byte ranges, sorted, with touching ranges merged.
        var ranges: [Range<Int>] = []
        /// The datagram's payload length, known once the last fragment (MF clear) arrives.
        var end: Int?
        var firstTime: Int64
        var fragmentCount = 0
        var upperLayerProtocol: UInt8?
    }

    /// Most datagrams in progress at once.
    public let maximumDatagrams: Int
    /// Most bytes buffered across all datagrams in progress.
    public let maximumBytes: Int
    /// Nanoseconds of capture time after a datagram's first fragment before it is abandoned.
    public let timeout: Int64
    /// Most fragments one datagram may have (a 65535-byte datagram needs 45 at a 1500-byte MTU).
    public let maximumFragmentsPerDatagram: Int
    /// Counters of what happened to every fragment.
    public private(set) var statistics = IPDefragmenterStatistics()

    var pending: [Key: Pending] = [:]
    /// Keys in the order their datagrams started, for timeout and eviction; entries whose
    /// datagram is gone (or was restarted) are skipped lazily.
    var order: [(key: Key, firstTime: Int64)] = []
    var orderStart = 0
    var bytesInUse = 0

    /// A defragmenter with the given limits (defaults: 1024 datagrams, 4 MiB, 30 s, 256 fragments).
    public init(maximumDatagrams: Int = 1024, maximumBytes: Int = 4 << 20,
                timeout: Int64 = 30_000_000_000, maximumFragmentsPerDatagram: Int = 256) {
        self.maximumDatagrams = max(1, maximumDatagrams)
        self.maximumBytes = max(0, maximumBytes)
        self.timeout = timeout
        self.maximumFragmentsPerDatagram = max(1, maximumFragmentsPerDatagram)
    }

    /// Datagrams currently incomplete.
    public var datagramsInProgress: Int { pending.count }
    /// Bytes currently buffered.
    public var bufferedBytes: Int { bytesInUse }

    /// Adds one fragment and returns the reassembled IP payload (TCP header + data for TCP) once
    /// the datagram is complete, or nil while it is not.
    ///
    /// `payload` is the fragment's data after the IP header (and IPv6 Fragment header): the bytes
    /// at `DecodedFrame.payloadOffset` of length `payloadLength` for a fragment. `time` is the
    /// capture time in nanoseconds.
    public mutating func add(fragment payload: Span<UInt8>, network: NetworkRepr, time: Int64) -> [UInt8]? {
        addFragment(payload, network: network, time: time)?.payload
    }

    /// Like `add(fragment:network:time:)`, but also returns the payload's protocol and the
    /// fragment count.
    public mutating func addFragment(_ payload: Span<UInt8>, network: NetworkRepr, time: Int64) -> ReassembledDatagram? {
        expire(before: time)
        guard let fragment = Self.describe(network, capturedLength: payload.count) else {
            statistics.notFragments += 1
            return nil
        }
        let start = fragment.offset
        // Decoded headers keep these within 16 bits; the bound also protects hand-built values
        // from overflowing the arithmetic below.
        guard (0...65535).contains(start), (1...65535).contains(fragment.length) else {
            statistics.malformedRejected += 1
            return nil
        }
        let end = start + fragment.length
        guard fragment.length <= payload.count,
              !fragment.more || fragment.length % 8 == 0 else {
            statistics.malformedRejected += 1
            return nil
        }
        guard end + min(max(0, fragment.headerAllowance), 65535) <= 65535, end <= maximumBytes else {
            statistics.oversizedRejected += 1
            return nil
        }

        let key = fragment.key
        if pending[key] == nil {
            if pending.count >= maximumDatagrams { evictOldest() }
            pending[key] = Pending(firstTime: time)
            order.append((key, time))
            pruneOrder()
        }
        guard var datagram = pending.removeValue(forKey: key) else { return nil }

        // The datagram's end must agree with every fragment: the last one fixes it, and no other
        // fragment may reach past it.
        if let known = datagram.end, end > known || (!fragment.more && end != known) {
            drop(datagram, counting: \.malformedRejected)
            return nil
        }
        if !fragment.more, let last = datagram.ranges.last, last.upperBound > end {
            drop(datagram, counting: \.malformedRejected)
            return nil
        }

        switch Self.overlap(of: start..<end, with: datagram, payload: payload) {
        case .none:
            break
        case .duplicate:
            statistics.duplicateFragments += 1
            pending[key] = datagram
            return nil
        case .conflict:
            drop(datagram, counting: \.overlapsRejected)
            return nil
        }
        guard datagram.fragmentCount < maximumFragmentsPerDatagram else {
            drop(datagram, counting: \.oversizedRejected)
            return nil
        }

        // Make room before growing the buffer. The datagram goes back in the table meanwhile so
        // its place in the age order stays valid; if it is itself the oldest, it is the one dropped.
        let growth = max(0, end - datagram.buffer.count)
        if bytesInUse + growth > maximumBytes {
            pending[key] = datagram
            while bytesInUse + growth > maximumBytes, evictOldest() {}
            guard pending.removeValue(forKey: key) != nil else {
                statistics.limitRejected += 1
                return nil
            }
        }
        if growth > 0 {
            datagram.buffer.append(contentsOf: repeatElement(0, count: growth))
            bytesInUse += growth
        }
        for index in 0..<fragment.length {
            datagram.buffer[start + index] = payload[index]
        }
        Self.insert(start..<end, into: &datagram.ranges)
        datagram.fragmentCount += 1
        if !fragment.more { datagram.end = end }
        if start == 0 { datagram.upperLayerProtocol = fragment.protocolNumber }
        statistics.fragmentsAccepted += 1

        if let total = datagram.end, datagram.ranges.count == 1, datagram.ranges[0] == 0..<total {
            bytesInUse -= datagram.buffer.count
            statistics.datagramsCompleted += 1
            datagram.buffer.removeLast(datagram.buffer.count - total)
            var protocolNumber = datagram.upperLayerProtocol ?? fragment.protocolNumber
            if case .ipv6 = network {
                // The fragmentable part may begin with destination options (or routing, AH);
                // skip them so `payload` starts at the upper-layer header as promised.
                let skipped = Self.skipExtensionHeaders(datagram.buffer.span, next: &protocolNumber)
                if skipped > 0 { datagram.buffer.removeFirst(skipped) }
            }
            return ReassembledDatagram(upperLayerProtocol: protocolNumber,
                                       payload: datagram.buffer, fragmentCount: datagram.fragmentCount)
        }
        pending[key] = datagram
        return nil
    }

    /// Drops every datagram whose first fragment is more than `timeout` before `time`.
    public mutating func expire(before time: Int64) {
        while orderStart < order.count {
            let entry = order[orderStart]
            if let datagram = pending[entry.key], datagram.firstTime == entry.firstTime {
                guard isExpired(since: entry.firstTime, now: time) else { break }
                pending[entry.key] = nil
                bytesInUse -= datagram.buffer.count
                statistics.datagramsTimedOut += 1
            }
            orderStart += 1
        }
        compactOrder()
    }

    // MARK: - Internals

    /// Whether more than `timeout` passed from `first` to `now`; hostile timestamps can be any
    /// 64-bit value, so the difference must not trap on overflow.
    func isExpired(since first: Int64, now: Int64) -> Bool {
        let (elapsed, overflow) = now.subtractingReportingOverflow(first)
        return overflow ? now > first : elapsed > timeout
    }

    /// The fields of a fragment that reassembly needs.
    struct FragmentInfo {
        var key: Key
        var offset: Int
        var length: Int
        var more: Bool
        var protocolNumber: UInt8
        /// Bytes the reassembled datagram's header takes from the 65535-byte limit.
        var headerAllowance: Int
    }

    /// The fragment described by `network`, or nil if it is not a fragment. `length` is the
    /// fragment's length on the wire, so a capture shorter than it is detectable.
    static func describe(_ network: NetworkRepr, capturedLength: Int) -> FragmentInfo? {
        switch network {
        case .ipv4(let header):
            guard header.isFragment else { return nil }
            let length = header.totalLength == 0 ? capturedLength : header.totalLength - header.headerLength
            return FragmentInfo(
                key: Key(source: header.source, destination: header.destination,
                         identification: UInt32(header.identification), protocolNumber: header.protocolNumber),
                offset: header.fragmentOffset, length: length, more: header.moreFragments,
                protocolNumber: header.protocolNumber, headerAllowance: header.headerLength)
        case .ipv6(let header):
            guard let fragment = header.fragment, fragment.isFragment else { return nil }
            let length = header.payloadLength == 0
                ? capturedLength : IPv6Header.minimumLength + header.payloadLength - header.headerLength
            // The payload length limit covers the unfragmentable extension headers too.
            let unfragmentable = max(0, header.headerLength - IPv6Header.minimumLength - 8)
            return FragmentInfo(
                key: Key(source: header.source, destination: header.destination,
                         identification: fragment.identification, protocolNumber: 0),
                offset: fragment.offset, length: length, more: fragment.moreFragments,
                protocolNumber: header.upperLayerProtocol, headerAllowance: unfragmentable)
        }
    }

    /// Bytes of IPv6 extension headers at the start of a reassembled payload, updating `next` to
    /// the protocol after them. Stops (leaving `next` as the header it could not skip) at the
    /// walk bound or at a header longer than the payload.
    static func skipExtensionHeaders(_ bytes: Span<UInt8>, next: inout UInt8) -> Int {
        var offset = 0
        var walked = 0
        while IPv6Header.isExtensionHeader(next), next != IPv6Header.NextHeader.fragment,
              walked < IPv6Header.maximumExtensionHeaders, offset + 8 <= bytes.count {
            let length = next == IPv6Header.NextHeader.authentication
                ? (Int(bytes[offset + 1]) + 2) * 4 : (Int(bytes[offset + 1]) + 1) * 8
            guard offset + length <= bytes.count else { break }
            next = bytes[offset]
            offset += length
            walked += 1
        }
        return offset
    }

    enum Overlap { case none, duplicate, conflict }

    /// How `range` relates to the data already stored.
    static func overlap(of range: Range<Int>, with datagram: Pending, payload: Span<UInt8>) -> Overlap {
        guard datagram.ranges.contains(where: { $0.overlaps(range) }) else { return .none }
        // Only a repeat lying wholly inside stored data with identical bytes is harmless.
        guard datagram.ranges.contains(where: { $0.contains(range.lowerBound) && $0.upperBound >= range.upperBound })
        else { return .conflict }
        for index in 0..<range.count where datagram.buffer[range.lowerBound + index] != payload[index] {
            return .conflict
        }
        return .duplicate
    }

    /// Inserts a range that overlaps none already present, merging with neighbours it touches.
    static func insert(_ range: Range<Int>, into ranges: inout [Range<Int>]) {
        var index = ranges.firstIndex { $0.lowerBound > range.lowerBound } ?? ranges.count
        ranges.insert(range, at: index)
        if index + 1 < ranges.count, ranges[index].upperBound == ranges[index + 1].lowerBound {
            ranges[index] = ranges[index].lowerBound..<ranges[index + 1].upperBound
            ranges.remove(at: index + 1)
        }
        if index > 0, ranges[index - 1].upperBound == ranges[index].lowerBound {
            ranges[index - 1] = ranges[index - 1].lowerBound..<ranges[index].upperBound
            ranges.remove(at: index)
            index -= 1
        }
    }

    /// Releases a datagram already removed from the table and counts why.
    mutating func drop(_ datagram: Pending, counting counter: WritableKeyPath<IPDefragmenterStatistics, UInt64>) {
        bytesInUse -= datagram.buffer.count
        statistics[keyPath: counter] += 1
    }

    /// Drops the oldest datagram in the table; false if there was none.
    @discardableResult
    mutating func evictOldest() -> Bool {
        defer { compactOrder() }
        while orderStart < order.count {
            let entry = order[orderStart]
            orderStart += 1
            if let datagram = pending[entry.key], datagram.firstTime == entry.firstTime {
                pending[entry.key] = nil
                bytesInUse -= datagram.buffer.count
                statistics.datagramsEvicted += 1
                return true
            }
        }
        return false
    }

    /// Drops entries of finished datagrams from `order` once they outnumber the live ones, so a
    /// long-lived datagram at the front cannot make the array grow with every datagram behind it.
    mutating func pruneOrder() {
        guard order.count - orderStart > 2 * pending.count + 64 else { return }
        let live = order[orderStart...].filter { entry in pending[entry.key]?.firstTime == entry.firstTime }
        order = Array(live)
        orderStart = 0
    }

    /// Reclaims the consumed front of `order` once it is at least half the array.
    mutating func compactOrder() {
        if orderStart > 0, orderStart * 2 >= order.count {
            order.removeFirst(orderStart)
            orderStart = 0
        }
    }
}
