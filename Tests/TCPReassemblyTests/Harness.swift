// Builds hand-made segment sequences for one or more connections and feeds them to a reassembler.

import PacketWire
import TCPReassembly

/// A reassembler, a recorder and a clock; segments are described with stream-relative offsets.
struct Harness {
    var reassembler: TCPReassembler<StreamRecorder>
    var recorder = StreamRecorder()
    var frame: UInt64 = 0
    var time: Int64 = 1_700_000_000_000_000_000

    init(limits: ReassemblyLimits = .default) {
        reassembler = TCPReassembler(limits: limits)
    }

    @discardableResult
    mutating func send(_ segment: TCPSegment, payload: [UInt8]) -> SegmentResult {
        if recorder.keepsBytes { recorder.log.append("frame \(segment.frame)") }
        return reassembler.process(segment, payload: payload.span, handler: &recorder)
    }

    mutating func advance(by nanoseconds: Int64) {
        time += nanoseconds
        reassembler.advanceTime(to: time, handler: &recorder)
    }

    mutating func finish() { reassembler.finish(handler: &recorder) }
    var statistics: ReassemblyStatistics { reassembler.statistics }
}

/// One connection's endpoints and ISNs; turns relative offsets into segments.
struct Flow {
    var client = FlowEndpoint(address: IPAddress(ipv4: 0x0A00_0001), port: 50_000)
    var server = FlowEndpoint(address: IPAddress(ipv4: 0x0A00_0002), port: 80)
    var clientISN: UInt32 = 1_000
    var serverISN: UInt32 = 900_000
    var vlan: UInt32 = 0

    func isn(_ direction: StreamDirection) -> UInt32 { direction == .clientToServer ? clientISN : serverISN }

    /// A segment of `direction` whose first byte is at stream offset `offset`, acknowledging the peer's
    /// stream offset `ack` (default: nothing beyond offset 0).
    func segment(_ direction: StreamDirection, offset: UInt64, length: Int, ack: UInt64 = 0,
                 flags: TCPFlags = [.ack, .psh], window: UInt16 = 65_535, wireLength: Int? = nil,
                 in harness: inout Harness) -> TCPSegment {
        harness.frame += 1
        harness.time += 1_000_000
        let source = direction == .clientToServer ? client : server
        let destination = direction == .clientToServer ? server : client
        let sequence = isn(direction) &+ 1 &+ UInt32(truncatingIfNeeded: offset)
        let acknowledgment = isn(direction.reversed) &+ 1 &+ UInt32(truncatingIfNeeded: ack)
        return TCPSegment(source: source, destination: destination, vlanKey: vlan, sequenceNumber: sequence,
                          acknowledgmentNumber: acknowledgment, flags: flags, window: window,
                          payloadWireLength: wireLength ?? length, frame: harness.frame, time: harness.time)
    }

    @discardableResult
    func send(_ direction: StreamDirection, at offset: UInt64, _ text: String, ack: UInt64 = 0,
              flags: TCPFlags = [.ack, .psh], window: UInt16 = 65_535, wireLength: Int? = nil,
              in harness: inout Harness) -> SegmentResult {
        let bytes = Array(text.utf8)
        let segment = segment(direction, offset: offset, length: bytes.count, ack: ack, flags: flags, window: window,
                              wireLength: wireLength, in: &harness)
        return harness.send(segment, payload: bytes)
    }

    /// SYN, SYN/ACK, ACK.
    func handshake(in harness: inout Harness) {
        syn(in: &harness)
        synAck(in: &harness)
        send(.clientToServer, at: 0, "", flags: [.ack], in: &harness)
    }

    @discardableResult
    func syn(isn: UInt32? = nil, in harness: inout Harness) -> SegmentResult {
        harness.frame += 1
        harness.time += 1_000_000
        let segment = TCPSegment(source: client, destination: server, vlanKey: vlan, sequenceNumber: isn ?? clientISN,
                                 acknowledgmentNumber: 0, flags: [.syn], window: 64_240, windowScale: 7,
                                 payloadWireLength: 0, frame: harness.frame, time: harness.time)
        return harness.send(segment, payload: [])
    }

    @discardableResult
    func synAck(in harness: inout Harness) -> SegmentResult {
        harness.frame += 1
        harness.time += 1_000_000
        let segment = TCPSegment(source: server, destination: client, vlanKey: vlan, sequenceNumber: serverISN,
                                 acknowledgmentNumber: clientISN &+ 1, flags: [.syn, .ack], window: 65_160,
                                 windowScale: 7, payloadWireLength: 0, frame: harness.frame, time: harness.time)
        return harness.send(segment, payload: [])
    }
}
