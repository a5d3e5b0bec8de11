// Remembers what every TCP connection did, so a 502 can be tied to the gateway's upstream leg.

import Diagnosis
import PacketWire
import TCPReassembly

/// Per-connection facts for the 502 diagnosis: open connections by stream number, and a bounded
/// list of recently closed ones (a 502 usually leaves just after its upstream leg has closed).
struct UpstreamLegTracker {
    private(set) var open = StreamTable<UpstreamLeg>()
    /// `matchTime` of each open leg, at the same dense index as in `open.values`, kept up to date by
    /// every change: the scan per 502 reads one integer a leg, where working it out there read each
    /// leg's SYN times (most of that scan's cost with a few hundred connections open, callgrind).
    private var openMatchTimes: [Int64] = []
    private var closed: [UpstreamLeg] = []
    /// Stream, match time and close time of each entry of `closed`, scanned per 502 without touching the legs.
    private var closedKeys: [(stream: Int, time: Int64, closeTime: Int64)] = []
    private var closedNext = 0
    /// The latest last-packet time of any closed leg so far.
    private var latestClose = Int64.min
    private let closedCapacity = 4096
    /// `candidates`' list of places, kept for its storage (the list lent out is gone by the next 502).
    private var placesScratch: [Int] = []

    /// A new connection; `gateway` and `upstream` are its client and server endpoints as text.
    mutating func opened(_ info: ConnectionInfo, gateway: String, upstream: String) {
        var leg = UpstreamLeg(stream: info.stream, gateway: gateway, upstream: upstream, firstTime: info.firstTime)
        apply(info, to: &leg)
        let time = Self.matchTime(leg)
        if let index = open.index(of: info.stream) {
            open.values[index] = leg
            openMatchTimes[index] = time
        } else {
            // A new key goes at the end of the dense arrays.
            open.set(leg, for: info.stream)
            openMatchTimes.append(time)
        }
    }

    /// Whether the open connection `stream` has not seen a request yet.
    func awaitsRequest(stream: Int) -> Bool {
        guard let index = open.index(of: stream) else { return false }
        return open.values[index].requestFrame == nil
    }

    mutating func update(stream: Int, _ change: (inout UpstreamLeg) -> Void) {
        // In place: `open[stream] != nil` would copy the leg (strings, arrays) just to test it.
        guard let index = open.index(of: stream) else { return }
        change(&open.values[index])
        openMatchTimes[index] = Self.matchTime(open.values[index])
    }

    /// Handshake packets as they pass: the connection info the reassembler hands over at open and
    /// close does not show a SYN/ACK or a retransmitted SYN that came in between, and a 502 is
    /// often sent while its upstream connection is still open.
    mutating func noteSyn(stream: Int, direction: StreamDirection, flags: TCPFlags, frame: UInt64, time: Int64) {
        update(stream: stream) { leg in
            if flags.contains(.ack) {
                if direction == .serverToClient, leg.synAckFrame == nil { leg.synAckFrame = frame }
            } else if direction == .clientToServer, !leg.synFrames.contains(frame), leg.synFrames.count < 8 {
                leg.synFrames.append(frame)
                leg.synTimes.append(time)
            }
        }
    }

    mutating func closed(_ info: ConnectionInfo) {
        guard let index = open.index(of: info.stream), var leg = open.removeValue(for: info.stream) else { return }
        // The table moved its last entry into the hole: the times follow.
        openMatchTimes.swapAt(index, openMatchTimes.count - 1)
        openMatchTimes.removeLast()
        apply(info, to: &leg)
        // Never decreasing, even when an idle-timed-out leg with an old last packet closes late.
        latestClose = max(latestClose, info.lastTime)
        let key = (stream: leg.stream, time: Self.matchTime(leg), closeTime: latestClose)
        if closed.count < closedCapacity {
            closed.append(leg)
            closedKeys.append(key)
        } else {
            closed[closedNext] = leg
            closedKeys[closedNext] = key
            closedNext = (closedNext + 1) % closedCapacity
        }
    }

    /// Candidate legs for a 502 on `stream`: connections whose request (or, without one, whose
    /// opening) falls between the client's request, less a little slack, and the response. That is
    /// the window the diagnoser accepts; filtering here keeps the cost per 502 independent of how
    /// many connections the capture holds. Without a client request, legs of the last `window` ns.
    mutating func candidates(excluding stream: Int, requestTime: Int64?, responseTime: Int64, window: Int64) -> UpstreamLegCandidates {
        let earliest = requestTime.map { $0 - 2_000_000 } ?? responseTime - window
        // Picked as places and sorted by the stream they name before any leg is read: moving whole
        // legs (strings and arrays) through the sort was a third of this function's cost (callgrind).
        // The legs themselves are lent in place, not copied (`UpstreamLegCandidates`).
        // place >= 0: an index into `closed`; place < 0: -1 - an index into `open.values`.
        // The list's storage is kept from 502 to 502: growing a new one took four allocations a 502.
        var places = placesScratch
        placesScratch = []
        places.removeAll(keepingCapacity: true)
        for index in open.values.indices {
            let time = openMatchTimes[index]
            if open.keys[index] != stream, time >= earliest, time <= responseTime { places.append(-1 - index) }
        }
        // Newest first. An entry's close time bounds the match times of it and of every older entry
        // (it is the running maximum of last-packet times), so once it falls 50 ms before `earliest`
        // (slack for captures whose clock steps back a little) no older entry can match. This cut the scan from
        // 4,096 entries per 502 to a handful (the scan was 3% of a run over nginx-busy).
        // The ring is walked backwards from the newest entry with a wrapping index: a modulo per
        // step was a division per entry, most of this scan's cost on a capture that closes
        // hundreds of connections in 50 ms (callgrind over nginx-busy).
        let count = closedKeys.count
        let cutoff = earliest - 50_000_000
        var index = closedNext == 0 ? count - 1 : closedNext - 1
        var step = 0
        while step < count {
            let key = closedKeys[index]
            if key.closeTime < cutoff { break }
            if key.stream != stream, key.time >= earliest, key.time <= responseTime { places.append(index) }
            step += 1
            index = index == 0 ? count - 1 : index - 1
        }
        places.sort { streamOfPlace($0) < streamOfPlace($1) }
        placesScratch = places
        return UpstreamLegCandidates(first: closed, second: open.values, picks: places)
    }

    /// The stream of the leg at `place` (see `candidates`).
    private func streamOfPlace(_ place: Int) -> Int { place >= 0 ? closedKeys[place].stream : open.keys[-1 - place] }

    /// The time the diagnoser matches a leg by: its request, else its first SYN, else its first packet.
    static func matchTime(_ leg: UpstreamLeg) -> Int64 {
        leg.requestTime ?? leg.synTimes.first ?? leg.firstTime
    }

    private func apply(_ info: ConnectionInfo, to leg: inout UpstreamLeg) {
        for frame in info.synFrames where !leg.synFrames.contains(frame) { leg.synFrames.append(frame) }
        leg.synFrames.sort()
        if leg.synAckFrame == nil { leg.synAckFrame = info.synAckFrame }
        if let frame = info.resetFrame, leg.resetFrame == nil {
            leg.resetFrame = frame
            leg.resetTime = info.resetTime
            leg.resetFromUpstream = info.resetDirection == .serverToClient
            if info.resetDirection == .clientToServer, leg.gatewayCloseFrame == nil {
                leg.gatewayCloseFrame = frame
                leg.gatewayCloseTime = info.resetTime
            }
        }
        // On a leg the gateway is the client: what it sent goes to the server (upstream).
        if leg.upstreamFinFrame == nil, let frame = info.finFrame.toClient {
            leg.upstreamFinFrame = frame
            leg.upstreamFinTime = info.finTime.toClient
        }
        if leg.gatewayCloseFrame == nil, let frame = info.finFrame.toServer {
            leg.gatewayCloseFrame = frame
            leg.gatewayCloseTime = info.finTime.toServer
        }
        leg.requestBytes = max(leg.requestBytes, info.bytes.toServer)
        if leg.responseFirstByteFrame == nil { leg.responseFirstByteFrame = info.firstDataFrame.toClient }
    }
}
