// Remembers what every TCP connection did, so a 502 can be tied to the gateway's upstream leg.

import Diagnosis
import TCPReassembly

/// Per-connection facts for the 502 diagnosis: open connections by stream number, and a bounded
/// list of recently closed ones (a 502 usually leaves just after its upstream leg has closed).
struct UpstreamLegTracker {
    private(set) var open: [Int: UpstreamLeg] = [:]
    private var closed: [UpstreamLeg] = []
    private var closedNext = 0
    private let closedCapacity = 4096

    mutating func opened(_ info: ConnectionInfo) {
        var leg = UpstreamLeg(stream: info.stream, gateway: info.client.description, upstream: info.server.description, firstTime: info.firstTime)
        apply(info, to: &leg)
        open[info.stream] = leg
    }

    mutating func update(stream: Int, _ change: (inout UpstreamLeg) -> Void) {
        guard open[stream] != nil else { return }
        change(&open[stream]!)
    }

    mutating func closed(_ info: ConnectionInfo) {
        guard var leg = open.removeValue(forKey: info.stream) else { return }
        apply(info, to: &leg)
        if closed.count < closedCapacity {
            closed.append(leg)
        } else {
            closed[closedNext] = leg
            closedNext = (closedNext + 1) % closedCapacity
        }
    }

    /// Candidate legs for a 502 on `stream`: every other connection the capture holds that was
    /// alive within `window` nanoseconds before the response.
    func candidates(excluding stream: Int, before time: Int64, window: Int64) -> [UpstreamLeg] {
        var result: [UpstreamLeg] = []
        for leg in open.values where leg.stream != stream && leg.firstTime <= time && leg.firstTime >= time - window {
            result.append(leg)
        }
        for leg in closed where leg.stream != stream && leg.firstTime <= time && leg.firstTime >= time - window {
            result.append(leg)
        }
        return result.sorted { $0.stream < $1.stream }
    }

    private func apply(_ info: ConnectionInfo, to leg: inout UpstreamLeg) {
        leg.synFrames = info.synFrames
        leg.synAckFrame = info.synAckFrame
        if let frame = info.resetFrame, leg.resetFrame == nil {
            leg.resetFrame = frame
            leg.resetTime = info.resetTime
            leg.resetFromUpstream = info.resetDirection == .serverToClient
        }
        let down = Int(StreamDirection.serverToClient.rawValue)
        if leg.upstreamFinFrame == nil, let frame = info.finFrame[down] {
            leg.upstreamFinFrame = frame
            leg.upstreamFinTime = info.finTime[down]
        }
        let up = Int(StreamDirection.clientToServer.rawValue)
        if leg.gatewayCloseFrame == nil, let frame = info.finFrame[up] {
            leg.gatewayCloseFrame = frame
            leg.gatewayCloseTime = info.finTime[up]
        }
        leg.responseBytes = max(leg.responseBytes, info.bytes[down])
        leg.requestBytes = max(leg.requestBytes, info.bytes[up])
        if leg.responseFirstByteFrame == nil { leg.responseFirstByteFrame = info.firstDataFrame[down] }
    }
}
