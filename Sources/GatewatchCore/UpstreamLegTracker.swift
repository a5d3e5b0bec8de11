// Remembers what every TCP connection did, so a 502 can be tied to the gateway's upstream leg.

import Diagnosis
import PacketWire
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
        leg.requestBytes = max(leg.requestBytes, info.bytes[up])
        if leg.responseFirstByteFrame == nil { leg.responseFirstByteFrame = info.firstDataFrame[down] }
    }
}
