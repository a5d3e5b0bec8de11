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
    var connections = StreamTable<ConnectionState>()
    var sink: MessageSink
    let httpLimits: HTTPLimits
    /// `--follow`: when set, only the followed connection is looked at, and only the follower prints.
    var follower: ConversationFollower?
    /// On two threads: a Content-Length body with at least this many bytes still to come, which
    /// nothing looks at, is announced in `elisions` so its bytes are not copied across (nil: never).
    var elisionThreshold: UInt64?
    /// Bodies announced since the packet loop last took them.
    var elisions: [BodyElision] = []

    init(sink: MessageSink, httpLimits: HTTPLimits) {
        self.sink = sink
        self.httpLimits = httpLimits
    }

    mutating func connectionOpened(_ info: ConnectionInfo) {
        if follower != nil {
            _ = follower!.opened(info)
            return
        }
        // Each endpoint is put into words once, for the printed lines and the upstream leg alike.
        let client = info.client.description, server = info.server.description
        let context = ConnectionContext(stream: info.stream, client: client, server: server,
                                        serverAddress: info.server.address.description)
        connections.set(ConnectionState(parser: HTTPConnectionParser(limits: httpLimits), context: context), for: info.stream)
        sink.legs.opened(info, gateway: client, upstream: server)
    }

    mutating func streamData(_ bytes: Span<UInt8>, stream: Int, direction: StreamDirection, offset: UInt64, frame: UInt64, time: Int64) {
        if follower != nil {
            if follower!.stream == stream, !follower!.done { follower!.data(bytes, direction: direction, offset: offset, frame: frame, time: time) }
            return
        }
        guard let index = connections.index(of: stream) else { return }
        if direction == .serverToClient, bytes.count > 0 {
            let startsLikeStatus = offset == 0 && bytes.count >= 5 && bytes[0] == 0x48 && bytes[1] == 0x54 && bytes[2] == 0x54
                && bytes[3] == 0x50 && bytes[4] == 0x2F
            sink.legs.update(stream: stream) { leg in
                leg.responseBytes &+= UInt64(bytes.count)
                guard offset == 0 else { return }
                if leg.responseFirstByteFrame == nil { leg.responseFirstByteFrame = frame }
                if leg.responseStartsWithStatusLine == nil { leg.responseStartsWithStatusLine = startsLikeStatus }
            }
        }
        // One in-place access to the connection: reading `connections[stream]!.field` would copy the
        // whole state, parser included, on every segment (measured: 4% of a run, plus memmove).
        guard let threshold = elisionThreshold else {
            Self.feed(&connections.values[index], sink: &sink, bytes, direction: direction,
                      at: HTTPPosition(frame: frame, time: time, offset: offset))
            return
        }
        let wasInBody = connections.values[index].parser.contentLengthBodyRemaining(direction: direction.rawValue) > 0
        Self.feed(&connections.values[index], sink: &sink, bytes, direction: direction,
                  at: HTTPPosition(frame: frame, time: time, offset: offset))
        // Entered a long body in this segment: what follows it up to the body's end is only counted.
        if !wasInBody {
            let remaining = connections.values[index].parser.contentLengthBodyRemaining(direction: direction.rawValue)
            if remaining >= threshold, !sink.keepsBody(direction: direction.rawValue) {
                let from = offset &+ UInt64(bytes.count)
                elisions.append(BodyElision(stream: stream, direction: direction, from: from, to: from &+ remaining))
            }
        }
    }

    private static func feed(_ state: inout ConnectionState, sink: inout MessageSink, _ bytes: Span<UInt8>,
                             direction: StreamDirection, at position: HTTPPosition) {
        state.context.segmentOffset = position.offset
        state.context.segmentLength = bytes.count
        state.context.segmentFrame = position.frame
        sink.enter(state.context)
        state.parser.feed(bytes, direction: direction.rawValue, at: position, handler: &sink)
    }

    mutating func streamGap(stream: Int, direction: StreamDirection, offset: UInt64, length: UInt64, reason: GapReason, frame: UInt64, time: Int64) {
        if follower != nil {
            if follower!.stream == stream, !follower!.done {
                follower!.gap(direction: direction, offset: offset, length: length, reason: reason, frame: frame, time: time)
            }
            return
        }
        guard let index = connections.index(of: stream) else { return }
        Self.gap(&connections.values[index], sink: &sink, length: length, direction: direction,
                 at: HTTPPosition(frame: frame, time: time, offset: offset))
    }

    private static func gap(_ state: inout ConnectionState, sink: inout MessageSink, length: UInt64,
                            direction: StreamDirection, at position: HTTPPosition) {
        sink.enter(state.context)
        state.parser.gap(length: length, direction: direction.rawValue, at: position, handler: &sink)
    }

    mutating func directionClosed(stream: Int, direction: StreamDirection, reason: CloseReason, frame: UInt64, time: Int64) {
        if follower != nil {
            if follower!.stream == stream, !follower!.done { follower!.closed(direction: direction, reason: reason, frame: frame, time: time) }
            return
        }
        guard let index = connections.index(of: stream) else { return }
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
        Self.close(&connections.values[index], sink: &sink, direction: direction, at: HTTPPosition(frame: frame, time: time, offset: 0))
    }

    private static func close(_ state: inout ConnectionState, sink: inout MessageSink, direction: StreamDirection, at position: HTTPPosition) {
        sink.enter(state.context)
        state.parser.close(direction: direction.rawValue, at: position, handler: &sink)
    }

    mutating func connectionClosed(_ info: ConnectionInfo, reason: CloseReason) {
        if follower != nil {
            if follower!.stream == info.stream, !follower!.done { follower!.finished(info) }
            return
        }
        if let index = connections.index(of: info.stream) {
            // Finished in place, then dropped: taking the state out first copied all of it.
            sink.enter(connections.values[index].context)
            connections.values[index].parser.finish(at: HTTPPosition(frame: info.firstFrame, time: info.lastTime, offset: 0), handler: &sink)
            connections.discardValue(for: info.stream)
        }
        sink.legs.closed(info)
        sink.matcher?.connectionClosed(stream: info.stream)
    }
}
