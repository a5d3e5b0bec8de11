// FuzzReassembly: TCPReassembler fed segments decoded from the input, with a checking handler.
//
// Input layout:
//   byte 0     bit0: small limits (2 connections, tiny buffers, short timeouts); bits1-3: reorder
//              grace packets; bit4: zero chunk overhead
//   records    8 control bytes, then the payload's captured bytes
//     c0      TCP flags, as on the wire
//     c1      bit0: server to client; bits1-2: which of four client ports; bit3: VLAN 7;
//             bit4: window scale option present; bits5-7: ack offset selector ((n - 2) * 100)
//     c2 c3   signed sequence offset from the direction's next expected sequence number,
//             shifted left by c5's high nibble (so far jumps and wraps are reachable)
//     c4      payload length on the wire
//     c5      bits0-3: of those, bytes not captured (snaplen); bits4-7: sequence scale shift
//     c6 c7   time step in microseconds (bit 15: a step of seconds, to reach the timeouts)
//
// The handler checks, per stream and direction: data and gaps arrive at exactly the next offset,
// nothing arrives after the direction closed or the connection closed, a direction closes once,
// a connection closes only after both directions, stream numbers open as 0, 1, 2, ..., the
// delivered byte counts match `ConnectionInfo.bytes`, and `finish` closes every connection.
// A second reassembler with header prediction off takes the same segments: every segment's result,
// every event (with its bytes, frame and reason) and the totals must be the same.

import PacketWire
import TCPReassembly

func violated(_ message: String) -> Never {
    fatalError("invariant violated: \(message)")
}

/// One stream's expectations; scalar fields (not arrays) keep the per-event cost low.
struct StreamState {
    var next = (UInt64(0), UInt64(0))
    var delivered = (UInt64(0), UInt64(0))
    var closed = (false, false)
    var done = false
}

struct CheckingHandler: TCPStreamHandler {
    /// Indexed by stream number, which the reassembler hands out from 0 upwards.
    var streams: [StreamState] = []
    var open = 0
    /// Every event so far, in order, for comparing two reassemblers.
    var events = Hasher()

    func known(_ stream: Int) -> Bool { stream >= 0 && stream < streams.count }

    func state(_ stream: Int, _ what: String) -> StreamState {
        guard known(stream) else { violated("\(what) for unknown stream \(stream)") }
        let state = streams[stream]
        if state.done { violated("\(what) after stream \(stream) closed") }
        return state
    }

    mutating func connectionOpened(_ info: ConnectionInfo) {
        if info.stream != streams.count { violated("stream \(info.stream) opened, expected \(streams.count)") }
        streams.append(StreamState())
        open += 1
    }

    mutating func streamData(_ bytes: Span<UInt8>, stream: Int, direction: StreamDirection,
                             offset: UInt64, frame: UInt64, time: Int64) {
        var state = state(stream, "data")
        let server = direction.rawValue != 0
        if server ? state.closed.1 : state.closed.0 { violated("data after close, stream \(stream) \(direction)") }
        let expected = server ? state.next.1 : state.next.0
        if offset != expected { violated("data at \(offset), expected \(expected) (stream \(stream) \(direction))") }
        if bytes.count == 0 { violated("empty data delivery") }
        events.combine(1 as UInt8)
        events.combine(stream); events.combine(direction); events.combine(offset); events.combine(frame); events.combine(time)
        bytes.withUnsafeBytes { events.combine(bytes: $0) }
        let count = UInt64(bytes.count)
        if server { state.next.1 += count; state.delivered.1 += count } else { state.next.0 += count; state.delivered.0 += count }
        streams[stream] = state
    }

    mutating func streamGap(stream: Int, direction: StreamDirection, offset: UInt64, length: UInt64,
                            reason: GapReason, frame: UInt64, time: Int64) {
        var state = state(stream, "gap")
        let server = direction.rawValue != 0
        if server ? state.closed.1 : state.closed.0 { violated("gap after close, stream \(stream) \(direction)") }
        let expected = server ? state.next.1 : state.next.0
        if offset != expected { violated("gap at \(offset), expected \(expected) (stream \(stream) \(direction))") }
        if length == 0 { violated("empty gap") }
        events.combine(2 as UInt8)
        events.combine(stream); events.combine(direction); events.combine(offset); events.combine(length)
        events.combine(reason); events.combine(frame); events.combine(time)
        if server { state.next.1 += length } else { state.next.0 += length }
        streams[stream] = state
    }

    mutating func directionClosed(stream: Int, direction: StreamDirection, reason: CloseReason,
                                  frame: UInt64, time: Int64) {
        var state = state(stream, "close")
        let server = direction.rawValue != 0
        if server ? state.closed.1 : state.closed.0 { violated("stream \(stream) \(direction) closed twice") }
        events.combine(3 as UInt8)
        events.combine(stream); events.combine(direction); events.combine(reason); events.combine(frame); events.combine(time)
        if server { state.closed.1 = true } else { state.closed.0 = true }
        streams[stream] = state
    }

    mutating func connectionClosed(_ info: ConnectionInfo, reason: CloseReason) {
        var state = state(info.stream, "connection close")
        if !state.closed.0 || !state.closed.1 { violated("stream \(info.stream) closed with a direction open") }
        if info.bytes[0] != state.delivered.0 || info.bytes[1] != state.delivered.1 {
            violated("stream \(info.stream) info.bytes \(info.bytes), delivered \(state.delivered)")
        }
        state.done = true
        streams[info.stream] = state
        open -= 1
        events.combine(4 as UInt8)
        events.combine(info.stream); events.combine(reason); events.combine(info.lastTime)
        events.combine(info.bytes[0]); events.combine(info.bytes[1])
        events.combine(info.firstDataFrame[0]); events.combine(info.firstDataFrame[1])
    }
}

let smallLimits = ReassemblyLimits(maxConnections: 2, maxBufferedBytes: 1500, maxBufferedBytesPerDirection: 600,
                                   holdTimeout: 50_000_000, idleTimeout: 2_000_000_000, closedLinger: 500_000_000,
                                   reorderGracePackets: 2, chunkOverhead: 64)
let client = IPAddress(ipv4: 0x0A00_0001)
let server = IPAddress(ipv4: 0x0A00_0002)
let initialSequence: [UInt32] = [0xFFFF_FF00, 1000]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReassembly(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let control = input[0]
    var limits = control & 0x01 != 0 ? smallLimits : ReassemblyLimits.default
    limits.reorderGracePackets = Int((control >> 1) & 0x07)
    if control & 0x10 != 0 { limits.chunkOverhead = 0 }
    var reassembler = TCPReassembler<CheckingHandler>(limits: limits)
    var handler = CheckingHandler()
    var unpredicted = TCPReassembler<CheckingHandler>(limits: limits)
    unpredicted.predictsHeaders = false
    var unpredictedHandler = CheckingHandler()
    // Next expected sequence number per (client port, direction), so offsets of 0 make a clean stream.
    var nextSequence: [UInt32] = []
    for _ in 0..<4 { nextSequence.append(contentsOf: initialSequence) }
    var time: Int64 = 1_700_000_000_000_000_000
    var frame: UInt64 = 0
    var position = 1
    while position + 8 <= input.count, frame < 2000 {
        let c0 = input[position], c1 = input[position + 1]
        let rawOffset = Int16(bitPattern: UInt16(input[position + 2]) << 8 | UInt16(input[position + 3]))
        let wireLength = Int(input[position + 4])
        let c5 = input[position + 5]
        let step = Int64(input[position + 6]) << 8 | Int64(input[position + 7])
        position += 8
        let uncaptured = min(Int(c5 & 0x0F), wireLength)
        let captured = min(wireLength - uncaptured, input.count - position)
        let payload = UnsafeBufferPointer(rebasing: input[position..<(position + captured)])
        position += captured
        frame += 1
        time &+= step & 0x8000 != 0 ? (step & 0x7FFF) * 1_000_000_000 : step * 1000

        let fromServer = c1 & 0x01 != 0
        let port = UInt16(40000) + UInt16((c1 >> 1) & 0x03)
        let slot = Int((c1 >> 1) & 0x03) * 2 + (fromServer ? 1 : 0)
        let reverse = slot ^ 1
        let flags = TCPFlags(rawValue: c0)
        let shift = UInt32(c5 >> 4)
        let sequence = nextSequence[slot] &+ UInt32(bitPattern: Int32(rawOffset) << shift)
        let ackSelector = Int32((c1 >> 5) & 0x07) - 2
        let acknowledgment = nextSequence[reverse] &+ UInt32(bitPattern: ackSelector * 100)
        let clientEnd = FlowEndpoint(address: client, port: port)
        let serverEnd = FlowEndpoint(address: server, port: 80)
        let segment = TCPSegment(source: fromServer ? serverEnd : clientEnd, destination: fromServer ? clientEnd : serverEnd,
                                 vlanKey: c1 & 0x08 != 0 ? 7 : 0, sequenceNumber: sequence,
                                 acknowledgmentNumber: acknowledgment, flags: flags, window: rawOffset < 0 ? 0 : 512,
                                 windowScale: c1 & 0x10 != 0 ? c5 & 0x0F : nil, payloadWireLength: captured + uncaptured,
                                 frame: frame, time: time)
        let result = reassembler.process(segment, payload: Span(_unsafeElements: payload), handler: &handler)
        if result.disposition != .ignored, !handler.known(result.stream) {
            violated("segment placed in stream \(result.stream), never opened")
        }
        let unpredictedResult = unpredicted.process(segment, payload: Span(_unsafeElements: payload),
                                                    handler: &unpredictedHandler)
        if result != unpredictedResult { violated("frame \(frame): \(result) predicted, \(unpredictedResult) not") }
        reassembler.advanceTime(to: time, handler: &handler)
        unpredicted.advanceTime(to: time, handler: &unpredictedHandler)
        // Segments that continue where this one ended keep the stream in order.
        let advance = UInt32(captured + uncaptured) + (flags.contains(.syn) ? 1 : 0) + (flags.contains(.fin) ? 1 : 0)
        nextSequence[slot] = sequence &+ advance
        if reassembler.connectionCount > limits.maxConnections {
            violated("\(reassembler.connectionCount) connections, limit \(limits.maxConnections)")
        }
        // Closed connections may linger in the table; open ones must all be in it.
        if handler.open > reassembler.connectionCount {
            violated("reassembler has \(reassembler.connectionCount) connections, handler \(handler.open) open")
        }
        let statistics = reassembler.statistics
        if statistics.bufferedBytes < 0 || statistics.bufferedBytes > limits.maxBufferedBytes {
            violated("buffered \(statistics.bufferedBytes), limit \(limits.maxBufferedBytes)")
        }
    }
    reassembler.finish(handler: &handler)
    unpredicted.finish(handler: &unpredictedHandler)
    if handler.events.finalize() != unpredictedHandler.events.finalize() {
        violated("the events differ with header prediction off")
    }
    if reassembler.statistics != unpredicted.statistics {
        violated("statistics \(reassembler.statistics) predicted, \(unpredicted.statistics) not")
    }
    if handler.open != 0 || reassembler.connectionCount != 0 {
        violated("after finish: \(handler.open) open, \(reassembler.connectionCount) in the table")
    }
    if reassembler.statistics.bufferedBytes != 0 { violated("after finish: \(reassembler.statistics.bufferedBytes) bytes buffered") }
    return 0
}
