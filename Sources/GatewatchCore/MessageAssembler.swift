// The bridge from reassembled TCP byte streams to the HTTP parser, one parser per connection.

import HTTP1
import TCPReassembly

/// Per-connection HTTP state, created when the reassembler opens a connection.
struct ConnectionState {
    var parser: HTTPConnectionParser
    var context: ConnectionContext
}

/// Receives the reassembler's events and feeds each connection's HTTP parser.
struct MessageAssembler: TCPStreamHandler {
    var connections: [Int: ConnectionState] = [:]
    var sink: MessageSink
    let httpLimits: HTTPLimits

    init(sink: MessageSink, httpLimits: HTTPLimits) {
        self.sink = sink
        self.httpLimits = httpLimits
    }

    mutating func connectionOpened(_ info: ConnectionInfo) {
        let context = ConnectionContext(stream: info.stream,
                                        endpoints: [info.client.description, info.server.description],
                                        serverAddress: info.server.address.description)
        connections[info.stream] = ConnectionState(parser: HTTPConnectionParser(limits: httpLimits), context: context)
        sink.legs.opened(info)
    }

    mutating func streamData(_ bytes: Span<UInt8>, stream: Int, direction: StreamDirection, offset: UInt64, frame: UInt64, time: Int64) {
        guard connections[stream] != nil else { return }
        if direction == .serverToClient, bytes.count > 0 {
            sink.legs.update(stream: stream) { $0.responseBytes &+= UInt64(bytes.count) }
        }
        if direction == .serverToClient, offset == 0, bytes.count > 0 {
            let startsLikeStatus = bytes.count >= 5 && bytes[0] == 0x48 && bytes[1] == 0x54 && bytes[2] == 0x54 && bytes[3] == 0x50 && bytes[4] == 0x2F
            sink.legs.update(stream: stream) { leg in
                if leg.responseFirstByteFrame == nil { leg.responseFirstByteFrame = frame }
                if leg.responseStartsWithStatusLine == nil { leg.responseStartsWithStatusLine = startsLikeStatus }
            }
        }
        connections[stream]!.context.segmentOffset = offset
        connections[stream]!.context.segmentLength = bytes.count
        connections[stream]!.context.segmentFrame = frame
        sink.context = connections[stream]!.context
        connections[stream]!.parser.feed(bytes, direction: direction.rawValue, at: HTTPPosition(frame: frame, time: time, offset: offset), handler: &sink)
    }

    mutating func streamGap(stream: Int, direction: StreamDirection, offset: UInt64, length: UInt64, reason: GapReason, frame: UInt64, time: Int64) {
        guard let state = connections[stream] else { return }
        sink.context = state.context
        connections[stream]!.parser.gap(length: length, direction: direction.rawValue, at: HTTPPosition(frame: frame, time: time, offset: offset), handler: &sink)
    }

    mutating func directionClosed(stream: Int, direction: StreamDirection, reason: CloseReason, frame: UInt64, time: Int64) {
        guard let state = connections[stream] else { return }
        sink.legs.update(stream: stream) { leg in
            switch (reason, direction) {
            case (.fin, .serverToClient):
                if leg.upstreamFinFrame == nil { leg.upstreamFinFrame = frame; leg.upstreamFinTime = time }
            // An RST closes both directions at once, so the direction here is not its sender; the
            // sender comes with ConnectionInfo in connectionClosed, which follows immediately.
            case (.fin, .clientToServer):
                if leg.gatewayCloseFrame == nil { leg.gatewayCloseFrame = frame; leg.gatewayCloseTime = time }
            default: break
            }
        }
        sink.context = state.context
        connections[stream]!.parser.close(direction: direction.rawValue, at: HTTPPosition(frame: frame, time: time, offset: 0), handler: &sink)
    }

    mutating func connectionClosed(_ info: ConnectionInfo, reason: CloseReason) {
        if let state = connections.removeValue(forKey: info.stream) {
            var parser = state.parser
            sink.context = state.context
            parser.finish(at: HTTPPosition(frame: info.firstFrame, time: info.lastTime, offset: 0), handler: &sink)
        }
        sink.legs.closed(info)
    }
}
