// IP fragment reassembly: order, duplicates, overlaps, limits, timeouts, IPv6, hostile input.

import Testing
@testable import PacketWire

@Suite struct IPDefragmenterTests {
    /// A TCP segment of 56 bytes: the plain 20-byte header and 36 bytes of "GET / HTTP/1.1…" data.
    static let segment: [UInt8] = Fixtures.plainTCP + Array("GET / HTTP/1.1\r\nHost: example\r\n\r\n\r\n".utf8)

    /// An IPv4 packet (seed header: 216.162.16.92 → 10.200.4.21) carrying one fragment of `data`.
    static func ipv4Fragment(id: UInt16, offset: Int, more: Bool, _ data: [UInt8]) -> [UInt8] {
        var header = Fixtures.seedIPv4
        patch16(&header, at: 2, UInt16(20 + data.count))
        patch16(&header, at: 4, id)
        patch16(&header, at: 6, (more ? 0x2000 : 0) | UInt16(offset / 8))
        return header + data
    }

    /// An IPv6 packet (2001:db8::1 → 2001:db8::2) with a Fragment header carrying `data`.
    static func ipv6Fragment(id: UInt32, offset: Int, more: Bool, next: UInt8 = 6, _ data: [UInt8]) -> [UInt8] {
        var header = Fixtures.plainIPv6
        patch16(&header, at: 4, UInt16(8 + data.count))
        header[6] = 44                            // Next Header: Fragment
        let field = UInt16(offset) | (more ? 1 : 0)
        let fragment: [UInt8] = [next, 0, UInt8(field >> 8), UInt8(field & 0xFF),
                                 UInt8(id >> 24), UInt8((id >> 16) & 0xFF), UInt8((id >> 8) & 0xFF), UInt8(id & 0xFF)]
        return header + fragment + data
    }

    /// Decodes `packet` as raw IP and hands its fragment to `defragmenter`.
    static func feed(_ defragmenter: inout IPDefragmenter, _ packet: [UInt8], time: Int64 = 0,
                     capture: Int? = nil) -> ReassembledDatagram? {
        let bytes = Array(packet.prefix(capture ?? packet.count))
        let decoded = FrameDecoder.decode(bytes.span, linkType: .rawIP)
        guard let network = decoded.network else { return nil }
        let end = decoded.payloadOffset + decoded.payloadLength
        return defragmenter.addFragment(bytes.span.extracting(decoded.payloadOffset..<end), network: network, time: time)
    }

    /// The segment split into 24 + 24 + 8 bytes.
    static var threeFragments: [[UInt8]] {
        [ipv4Fragment(id: 7, offset: 0, more: true, Array(segment[0..<24])),
         ipv4Fragment(id: 7, offset: 24, more: true, Array(segment[24..<48])),
         ipv4Fragment(id: 7, offset: 48, more: false, Array(segment[48...]))]
    }

    @Test func fragmentsDecodeWithoutTCP() {
        let decoded = decodeFrame(Self.threeFragments[1], .rawIP)
        #expect(decoded.error == nil)
        #expect(decoded.tcp == nil)
        #expect(decoded.network?.isFragment == true)
        #expect(decoded.payloadLength == 24)
    }

    @Test(arguments: [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]])
    func reassemblesInAnyOrder(order: [Int]) throws {
        var defragmenter = IPDefragmenter()
        var results: [ReassembledDatagram] = []
        for index in order {
            if let done = Self.feed(&defragmenter, Self.threeFragments[index]) { results.append(done) }
        }
        #expect(results.count == 1)
        let datagram = try #require(results.first)
        #expect(datagram.payload == Self.segment)
        #expect(datagram.upperLayerProtocol == 6)
        #expect(datagram.fragmentCount == 3)
        let tcp = try outcome(datagram.payload, TCPHeader.decode).get()
        #expect(tcp.sourcePort == 443)
        #expect(defragmenter.datagramsInProgress == 0)
        #expect(defragmenter.bufferedBytes == 0)
        #expect(defragmenter.statistics.fragmentsAccepted == 3)
        #expect(defragmenter.statistics.datagramsCompleted == 1)
    }

    @Test func plainAddReturnsThePayload() {
        var defragmenter = IPDefragmenter()
        var last: [UInt8]?
        for packet in Self.threeFragments {
            let decoded = FrameDecoder.decode(packet.span, linkType: .rawIP)
            let end = decoded.payloadOffset + decoded.payloadLength
            guard let network = decoded.network else { break }
            last = defragmenter.add(fragment: packet.span.extracting(decoded.payloadOffset..<end), network: network, time: 0)
        }
        #expect(last == Self.segment)
    }

    @Test func exactDuplicateIsIgnored() {
        var defragmenter = IPDefragmenter()
        let fragments = Self.threeFragments
        #expect(Self.feed(&defragmenter, fragments[0]) == nil)
        #expect(Self.feed(&defragmenter, fragments[0]) == nil)
        #expect(Self.feed(&defragmenter, fragments[1]) == nil)
        #expect(Self.feed(&defragmenter, fragments[2])?.payload == Self.segment)
        #expect(defragmenter.statistics.duplicateFragments == 1)
    }

    @Test func overlapWithDifferentBytesDropsTheDatagram() {
        var defragmenter = IPDefragmenter()
        let fragments = Self.threeFragments
        _ = Self.feed(&defragmenter, fragments[0])
        var forged = Array(Self.segment[0..<24])
        forged[22] ^= 0xFF                        // same range, one byte different
        #expect(Self.feed(&defragmenter, Self.ipv4Fragment(id: 7, offset: 0, more: true, forged)) == nil)
        #expect(defragmenter.statistics.overlapsRejected == 1)
        #expect(defragmenter.datagramsInProgress == 0)
        // The rest cannot complete a datagram that no longer exists.
        #expect(Self.feed(&defragmenter, fragments[1]) == nil)
        #expect(Self.feed(&defragmenter, fragments[2]) == nil)
        #expect(defragmenter.statistics.datagramsCompleted == 0)
    }

    @Test func partialOverlapIsRejected() {
        var defragmenter = IPDefragmenter()
        _ = Self.feed(&defragmenter, Self.threeFragments[0])
        // Bytes 16..<40 straddle the stored 0..<24, even with matching content.
        #expect(Self.feed(&defragmenter, Self.ipv4Fragment(id: 7, offset: 16, more: true, Array(Self.segment[16..<40]))) == nil)
        #expect(defragmenter.statistics.overlapsRejected == 1)
    }

    @Test func oversizedDatagramIsRejected() {
        var defragmenter = IPDefragmenter()
        // Offset 65528 + 16 bytes + 20-byte header exceeds 65535 (the "ping of death").
        let packet = Self.ipv4Fragment(id: 9, offset: 65528, more: false, [UInt8](repeating: 1, count: 16))
        #expect(Self.feed(&defragmenter, packet) == nil)
        #expect(defragmenter.statistics.oversizedRejected == 1)
        #expect(defragmenter.bufferedBytes == 0)
    }

    @Test func middleFragmentNotMultipleOfEightIsMalformed() {
        var defragmenter = IPDefragmenter()
        #expect(Self.feed(&defragmenter, Self.ipv4Fragment(id: 3, offset: 0, more: true, Array(Self.segment[0..<20]))) == nil)
        #expect(defragmenter.statistics.malformedRejected == 1)
        #expect(defragmenter.datagramsInProgress == 0)
    }

    @Test func fragmentCutByCaptureIsRejected() {
        var defragmenter = IPDefragmenter()
        #expect(Self.feed(&defragmenter, Self.threeFragments[1], capture: 30) == nil)
        #expect(defragmenter.statistics.malformedRejected == 1)
    }

    @Test func conflictingEndsDropTheDatagram() {
        var defragmenter = IPDefragmenter()
        _ = Self.feed(&defragmenter, Self.threeFragments[2])                                  // ends at 56
        let early = Self.ipv4Fragment(id: 7, offset: 24, more: false, Array(Self.segment[24..<48]))  // claims end 48
        #expect(Self.feed(&defragmenter, early) == nil)
        #expect(defragmenter.statistics.malformedRejected == 1)
        #expect(defragmenter.datagramsInProgress == 0)
    }

    @Test func differentIdentificationsDoNotMix() {
        var defragmenter = IPDefragmenter()
        let fragments = Self.threeFragments
        _ = Self.feed(&defragmenter, fragments[0])
        _ = Self.feed(&defragmenter, Self.ipv4Fragment(id: 8, offset: 24, more: true, Array(Self.segment[24..<48])))
        #expect(Self.feed(&defragmenter, fragments[2]) == nil)
        #expect(defragmenter.datagramsInProgress == 2)
    }

    @Test func timeoutDropsOldDatagrams() {
        var defragmenter = IPDefragmenter(timeout: 30_000_000_000)
        let fragments = Self.threeFragments
        _ = Self.feed(&defragmenter, fragments[0], time: 0)
        _ = Self.feed(&defragmenter, fragments[1], time: 29_000_000_000)
        #expect(Self.feed(&defragmenter, fragments[2], time: 31_000_000_000) == nil)
        #expect(defragmenter.statistics.datagramsTimedOut == 1)
        #expect(defragmenter.datagramsInProgress == 1)   // the last fragment started a new datagram
    }

    @Test func extremeTimestampsDoNotTrap() {
        var defragmenter = IPDefragmenter()
        _ = Self.feed(&defragmenter, Self.threeFragments[0], time: .min)
        _ = Self.feed(&defragmenter, Self.threeFragments[1], time: .max)
        #expect(defragmenter.statistics.datagramsTimedOut == 1)
        defragmenter.expire(before: .min)
        #expect(defragmenter.datagramsInProgress == 1)
    }

    @Test func datagramLimitEvictsTheOldest() {
        var defragmenter = IPDefragmenter(maximumDatagrams: 2)
        for id: UInt16 in 1...3 {
            _ = Self.feed(&defragmenter, Self.ipv4Fragment(id: id, offset: 0, more: true, Array(Self.segment[0..<24])))
        }
        #expect(defragmenter.datagramsInProgress == 2)
        #expect(defragmenter.statistics.datagramsEvicted == 1)
        // Datagram 1 was evicted, so its remaining fragments cannot complete it; datagram 3 can.
        _ = Self.feed(&defragmenter, Self.ipv4Fragment(id: 1, offset: 24, more: false, Array(Self.segment[24...])))
        #expect(Self.feed(&defragmenter, Self.ipv4Fragment(id: 3, offset: 24, more: false, Array(Self.segment[24...])))?.payload
            == Self.segment)
    }

    @Test func byteLimitEvictsTheOldest() {
        var defragmenter = IPDefragmenter(maximumBytes: 64)
        _ = Self.feed(&defragmenter, Self.ipv4Fragment(id: 1, offset: 0, more: true, Array(Self.segment[0..<48])))
        #expect(defragmenter.bufferedBytes == 48)
        _ = Self.feed(&defragmenter, Self.ipv4Fragment(id: 2, offset: 0, more: true, Array(Self.segment[0..<24])))
        #expect(defragmenter.statistics.datagramsEvicted == 1)
        #expect(defragmenter.bufferedBytes == 24)
        // A datagram whose own end is past the byte limit is refused outright.
        _ = Self.feed(&defragmenter, Self.ipv4Fragment(id: 3, offset: 64, more: false, [1, 2, 3, 4]))
        #expect(defragmenter.statistics.oversizedRejected == 1)
    }

    @Test func fragmentCountIsBounded() {
        var defragmenter = IPDefragmenter(maximumFragmentsPerDatagram: 2)
        let fragments = Self.threeFragments
        _ = Self.feed(&defragmenter, fragments[0])
        _ = Self.feed(&defragmenter, fragments[1])
        #expect(Self.feed(&defragmenter, fragments[2]) == nil)
        #expect(defragmenter.statistics.oversizedRejected == 1)
        #expect(defragmenter.datagramsInProgress == 0)
    }

    @Test func notAFragmentIsCounted() {
        var defragmenter = IPDefragmenter()
        #expect(Self.feed(&defragmenter, Fixtures.seedIPv4 + Fixtures.seedTCP) == nil)
        #expect(defragmenter.statistics.notFragments == 1)
    }

    @Test func ipv6FragmentsReassemble() throws {
        var defragmenter = IPDefragmenter()
        let first = Self.ipv6Fragment(id: 0xcafe, offset: 0, more: true, Array(Self.segment[0..<32]))
        // RFC 8200: only the first fragment's Next Header counts; this one says 17 and is ignored.
        let second = Self.ipv6Fragment(id: 0xcafe, offset: 32, more: false, next: 17, Array(Self.segment[32...]))
        #expect(Self.feed(&defragmenter, second) == nil)
        let datagram = try #require(Self.feed(&defragmenter, first))
        #expect(datagram.payload == Self.segment)
        #expect(datagram.upperLayerProtocol == 6)
    }

    @Test func hostileFragmentsStayWithinLimits() {
        var generator = SplitMix64(state: 0xF4A6)
        var defragmenter = IPDefragmenter(maximumDatagrams: 16, maximumBytes: 4_000, timeout: 20_000,
                                          maximumFragmentsPerDatagram: 32)
        var calls: UInt64 = 0
        var worstBytes = 0
        var worstDatagrams = 0
        var mismatches = 0
        for step in 0..<20_000 {
            let length = Int.random(in: 1...3, using: &generator) * 8
            let data = (0..<length).map { _ in UInt8.random(in: 0...3, using: &generator) }
            let packet = Self.ipv4Fragment(id: UInt16.random(in: 0..<40, using: &generator),
                                           offset: Int.random(in: 0..<64, using: &generator) * 8,
                                           more: Bool.random(using: &generator), data)
            _ = Self.feed(&defragmenter, packet, time: Int64(step) * 1_000)
            calls += 1
            worstBytes = max(worstBytes, defragmenter.bufferedBytes)
            // The running byte count must match what the datagrams actually hold.
            let held = defragmenter.pending.values.reduce(0) { $0 + $1.buffer.count }
            if held != defragmenter.bufferedBytes { mismatches += 1 }
            worstDatagrams = max(worstDatagrams, defragmenter.datagramsInProgress)
        }
        let stats = defragmenter.statistics
        #expect(mismatches == 0)
        #expect(worstBytes <= 4_000)
        #expect(worstDatagrams <= 16)
        // Every fragment is counted exactly once.
        #expect(stats.fragmentsAccepted + stats.duplicateFragments + stats.overlapsRejected + stats.oversizedRejected
            + stats.malformedRejected + stats.notFragments + stats.limitRejected == calls)
        #expect(stats.overlapsRejected > 0)
        #expect(stats.datagramsCompleted > 0)
        #expect(stats.datagramsEvicted > 0 && stats.datagramsTimedOut > 0)
    }
}

@Suite struct IPv6ReassemblyExtensionTests {
    @Test func destinationOptionsInsideTheFragmentablePartAreSkipped() throws {
        // Fragmentable part: destination options (next TCP, 8 bytes, PadN) then the TCP segment.
        let part: [UInt8] = [0x06, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00] + IPDefragmenterTests.segment
        var defragmenter = IPDefragmenter()
        let first = IPDefragmenterTests.ipv6Fragment(id: 5, offset: 0, more: true, next: 60, Array(part[0..<32]))
        let rest = IPDefragmenterTests.ipv6Fragment(id: 5, offset: 32, more: false, next: 60, Array(part[32...]))
        #expect(IPDefragmenterTests.feed(&defragmenter, first) == nil)
        let datagram = try #require(IPDefragmenterTests.feed(&defragmenter, rest))
        #expect(datagram.upperLayerProtocol == 6)
        #expect(datagram.payload == IPDefragmenterTests.segment)
    }

    @Test func oversizedExtensionLengthIsLeftInPlace() throws {
        // A destination-options header claiming 2048 bytes in a 64-byte payload is not skipped.
        let part: [UInt8] = [0x06, 0xff] + [UInt8](repeating: 0, count: 62)
        var defragmenter = IPDefragmenter()
        _ = IPDefragmenterTests.feed(&defragmenter, IPDefragmenterTests.ipv6Fragment(id: 6, offset: 0, more: true, next: 60, Array(part[0..<32])))
        let datagram = try #require(IPDefragmenterTests.feed(
            &defragmenter, IPDefragmenterTests.ipv6Fragment(id: 6, offset: 32, more: false, next: 60, Array(part[32...]))))
        #expect(datagram.upperLayerProtocol == 60)
        #expect(datagram.payload.count == 64)
    }
}

@Suite struct IPDefragmenterBookkeepingTests {
    @Test func ageOrderStaysSmallBehindALongLivedDatagram() {
        var defragmenter = IPDefragmenter()
        // One datagram that never completes stays at the front of the age order...
        _ = IPDefragmenterTests.feed(&defragmenter, IPDefragmenterTests.ipv4Fragment(
            id: 60000, offset: 0, more: true, Array(IPDefragmenterTests.segment[0..<24])))
        // ...while thousands of others complete behind it.
        for id: UInt16 in 1...5000 {
            for fragment in [IPDefragmenterTests.ipv4Fragment(id: id, offset: 0, more: true, Array(IPDefragmenterTests.segment[0..<24])),
                             IPDefragmenterTests.ipv4Fragment(id: id, offset: 24, more: false, Array(IPDefragmenterTests.segment[24...]))] {
                _ = IPDefragmenterTests.feed(&defragmenter, fragment)
            }
        }
        #expect(defragmenter.statistics.datagramsCompleted == 5000)
        #expect(defragmenter.datagramsInProgress == 1)
        #expect(defragmenter.order.count - defragmenter.orderStart <= 2 * 1 + 64 + 1)
    }
}
