// The per-502 choice of candidate legs, checked against a plain scan of every leg the tracker holds.

@testable import Diagnosis
@testable import GatewatchCore
import PacketWire
import TCPReassembly
import Testing

private func info(stream: Int, firstTime: Int64, lastTime: Int64) -> ConnectionInfo {
    ConnectionInfo(stream: stream, client: FlowEndpoint(address: IPAddress(ipv4: 0x7F00_0001), port: UInt16(30_000 + stream % 20_000)),
                   server: FlowEndpoint(address: IPAddress(ipv4: 0x7F00_0001), port: 9001), vlanKey: 0,
                   rolesFromHandshake: true, firstFrame: UInt64(stream), firstTime: firstTime, lastTime: lastTime,
                   synFrames: [], synAckFrame: nil, synAckTime: nil, resetFrame: nil, resetTime: nil, resetDirection: nil,
                   finFrame: [nil, nil], finTime: [nil, nil], bytes: [0, 0], firstDataFrame: [nil, nil], firstDataTime: [nil, nil])
}

@Test func candidateLegsAreThoseAPlainScanOfEveryLegFinds() {
    // Connections open, get SYNs and requests (which move the time a leg is matched by), and
    // close in random order; after each step, a 502 at a random time asks for its candidates.
    // The answer must be what a scan of every open leg and every remembered closed leg gives,
    // each leg's match time worked out afresh, in stream order.
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<2 {
        var tracker = UpstreamLegTracker()
        var open: [Int: UpstreamLeg] = [:]
        var closed: [UpstreamLeg] = []
        var nextStream = 0
        var clock: Int64 = 1_000_000_000
        for _ in 0..<2_000 {
            clock += Int64.random(in: 0...3_000_000, using: &generator)
            switch Int.random(in: 0..<10, using: &generator) {
            case 0...2:
                let stream = nextStream
                nextStream += 1
                tracker.opened(info(stream: stream, firstTime: clock, lastTime: clock), gateway: "127.0.0.1:1", upstream: "127.0.0.1:9001")
                open[stream] = UpstreamLeg(stream: stream, gateway: "127.0.0.1:1", upstream: "127.0.0.1:9001", firstTime: clock)
            case 3...4:
                guard let stream = open.keys.randomElement(using: &generator) else { continue }
                tracker.noteSyn(stream: stream, direction: .clientToServer, flags: .syn, frame: UInt64(clock), time: clock)
                if !open[stream]!.synFrames.contains(UInt64(clock)), open[stream]!.synFrames.count < 8 {
                    open[stream]!.synFrames.append(UInt64(clock))
                    open[stream]!.synTimes.append(clock)
                }
            case 5...6:
                guard let stream = open.keys.randomElement(using: &generator) else { continue }
                tracker.update(stream: stream) { $0.requestTime = clock }
                open[stream]!.requestTime = clock
            default:
                guard let stream = open.keys.randomElement(using: &generator) else { continue }
                let leg = open.removeValue(forKey: stream)!
                let last = clock - Int64.random(in: 0...5_000_000, using: &generator)
                tracker.closed(info(stream: stream, firstTime: leg.firstTime, lastTime: last))
                closed.append(leg)
            }
            let requestTime: Int64? = Bool.random(using: &generator) ? clock - Int64.random(in: 0...40_000_000, using: &generator) : nil
            let excluded = Int.random(in: 0...max(0, nextStream), using: &generator)
            let picked = tracker.candidates(excluding: excluded, requestTime: requestTime, responseTime: clock, window: 600_000_000_000)
            let earliest = requestTime.map { $0 - 2_000_000 } ?? clock - 600_000_000_000
            let expected = (Array(open.values) + closed.suffix(4096))
                .filter { leg in
                    let time = UpstreamLegTracker.matchTime(leg)
                    return leg.stream != excluded && time >= earliest && time <= clock
                }
                .map(\.stream).sorted()
            // The closed ring stops at legs that closed long before the window: those cannot match.
            #expect(picked.map(\.stream) == expected)
            #expect(picked.count == picked.picks.count)
        }
    }
}

@Test func legCandidatesLendLegsFromBothTablesInTheirOrder() {
    let first = (0..<4).map { UpstreamLeg(stream: $0, gateway: "a", upstream: "b", firstTime: Int64($0)) }
    let second = (10..<13).map { UpstreamLeg(stream: $0, gateway: "a", upstream: "b", firstTime: Int64($0)) }
    let candidates = UpstreamLegCandidates(first: first, second: second, picks: [2, -1, 0, -3])
    #expect(candidates.map(\.stream) == [2, 10, 0, 12])
    #expect(UpstreamLegCandidates(first).map(\.stream) == [0, 1, 2, 3])
    #expect(UpstreamLegCandidates(first: first, second: second, picks: []).isEmpty)
}

@Test func theStatusFilterAnswersAsItsCodesAndClassesSay() throws {
    for list in ["502", "5xx", "502,504", "1xx,404", "4xx,5xx,200", "999,100"] {
        let filter = try #require(StatusFilter(list))
        let items = list.split(separator: ",")
        for status in -3...1_100 {
            let expected = items.contains { item in
                item.hasSuffix("xx") ? status >= 100 && status <= 999 && String(status / 100) == String(item.prefix(1))
                                     : Int(item) == status
            }
            #expect(filter.matches(status) == expected, "\(list) \(status)")
        }
    }
}
