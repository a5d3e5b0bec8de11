// Applying one segment to a connection: handshake, acknowledgments, data, FIN, RST.

extension Connection {
    /// Applies `segment` (travelling in `direction`) and reports what became of it.
    mutating func handle<H: TCPStreamHandler>(_ segment: TCPSegment, payload: Span<UInt8>,
                                              direction: StreamDirection, packetNumber: UInt64, handler: inout H,
                                              statistics: inout ReassemblyStatistics,
                                              limits: ReassemblyLimits) -> SegmentDisposition {
        lastTime = segment.time
        lastFrame = segment.frame
        let flags = segment.flags
        // No TCP segment is longer than 2^32 - 1 bytes (even in an IPv6 jumbogram); clamping keeps the
        // offset arithmetic far from overflow whatever the caller passes.
        let wireLength = min(max(0, segment.payloadWireLength), Int(UInt32.max))
        if isClosed {
            // Late retransmissions and final ACKs while lingering: nothing more belongs to the stream.
            guard wireLength > 0 else { return .control }
            statistics.ignored &+= 1
            return .ignored
        }
        let context = DeliveryContext(stream: stream, direction: direction, frame: segment.frame, time: segment.time)
        if flags.contains(.rst) {
            if resetDirection == nil {
                resetFrameNumber = segment.frame
                resetTimeValue = segment.time
                resetDirection = direction
            }
            abort(reason: .rst, gapReason: .closed, frame: segment.frame, time: segment.time,
                  handler: &handler, statistics: &statistics, limits: limits)
            return .control
        }
        let isSyn = flags.contains(.syn)
        if isSyn {
            noteSyn(segment, direction: direction)
        } else if !self[half: direction].baseKnown {
            self[half: direction].setBase(segment.sequenceNumber)
        }
        if flags.contains(.ack) {
            // The window this side advertises decides whether the peer's one-byte segments are probes.
            let zeroWindow = segment.window == 0 && !isSyn
            if direction == .clientToServer { toServer.advertisedZeroWindow = zeroWindow } else {
                toClient.advertisedZeroWindow = zeroWindow
            }
            noteAcknowledgment(segment.acknowledgmentNumber, of: direction.reversed, packetNumber: packetNumber)
        }
        let peerZeroWindow = self[half: direction.reversed].advertisedZeroWindow
        // A SYN occupies one sequence number before its (rare, TCP Fast Open) data.
        let dataSequence = isSyn ? segment.sequenceNumber &+ 1 : segment.sequenceNumber
        let relative = self[half: direction].relativeOffset(of: dataSequence)
        var disposition = SegmentDisposition.control
        if wireLength > 0 {
            statistics.dataSegments &+= 1
            // Explicit branches rather than the `half:` subscript: its `_modify` coroutine is not inlined.
            if direction == .clientToServer {
                disposition = toServer.receive(start: relative, payload: payload, wireLength: wireLength,
                                               peerAdvertisedZeroWindow: peerZeroWindow, context: context,
                                               handler: &handler, statistics: &statistics, limits: limits)
            } else {
                disposition = toClient.receive(start: relative, payload: payload, wireLength: wireLength,
                                               peerAdvertisedZeroWindow: peerZeroWindow, context: context,
                                               handler: &handler, statistics: &statistics, limits: limits)
            }
        } else if !isSyn && !flags.contains(.fin) {
            let next = Int64(bitPattern: self[half: direction].nextOffset)
            if next > 0 && relative == next - 1 {
                statistics.keepAlives &+= 1
                disposition = .keepAlive
            }
        }
        if flags.contains(.fin) {
            noteFin(direction: direction, end: relative + Int64(wireLength), frame: segment.frame,
                    time: segment.time, statistics: &statistics, limits: limits)
        }
        settle(frame: segment.frame, time: segment.time, packetNumber: packetNumber, handler: &handler,
               statistics: &statistics, limits: limits)
        return disposition
    }

    /// Header prediction, after Van Jacobson's for BSD TCP: most segments of a busy capture are the next
    /// bytes of a direction in which nothing else is going on. For those, `handle` comes down to moving
    /// the direction on, so this does just that and returns the direction; for anything else it changes
    /// nothing and returns nil, and `handle` takes the segment.
    ///
    /// The conditions are those under which `handle` would take its plainest course, step by step: no
    /// SYN, RST or FIN; both offsets 0 known (no `setBase`); an ACK that acknowledges nothing beyond what
    /// the peer's direction has delivered (`noteAcknowledgment` changes nothing); the peer not announcing
    /// a zero window, and nothing held, probed, short of the wire length or past a FIN (`receive`'s first
    /// branch); and in both directions no FIN, no pending or due grace and no acknowledged hole, so
    /// `settle` has nothing to arm, fire or close. The packet loop went from 64.3 M to 54.4 M instructions
    /// on the first 60 MB of `nginx-large` and from 148.7 M to 133.1 M on those of `nginx-busy`
    /// (callgrind); `HeaderPredictionTests` checks that the outcome is the same with and without it.
    @inline(__always)
    mutating func deliverPredicted<H: TCPStreamHandler>(_ segment: TCPSegment, payload: Span<UInt8>,
                                                        handler: inout H,
                                                        statistics: inout ReassemblyStatistics) -> StreamDirection? {
        let wireLength = segment.payloadWireLength
        guard segment.flags.contains(.ack), segment.flags.isDisjoint(with: [.syn, .rst, .fin]),
              wireLength > 0, payload.count >= wireLength, !isClosed,
              toServer.isIdleForPrediction, toClient.isIdleForPrediction
        else { return nil }
        let direction: StreamDirection = client == segment.source ? .clientToServer : .serverToClient
        let predicted = direction == .clientToServer ? Self.predicts(segment, receiver: toServer, peer: toClient)
            : Self.predicts(segment, receiver: toClient, peer: toServer)
        guard predicted else { return nil }
        lastTime = segment.time
        lastFrame = segment.frame
        if direction == .clientToServer {
            toServer.deliverPredicted(segment, payload: payload, stream: stream, direction: direction,
                                      handler: &handler, statistics: &statistics)
        } else {
            toClient.deliverPredicted(segment, payload: payload, stream: stream, direction: direction,
                                      handler: &handler, statistics: &statistics)
        }
        return direction
    }

    /// Whether `segment` is the next data of `receiver` and acknowledges nothing new of `peer`.
    @inline(__always)
    private static func predicts(_ segment: TCPSegment, receiver: HalfStream, peer: HalfStream) -> Bool {
        !peer.advertisedZeroWindow
            && receiver.relativeOffset(of: segment.sequenceNumber) == Int64(bitPattern: receiver.nextOffset)
            && peer.relativeOffset(of: segment.acknowledgmentNumber) <= Int64(bitPattern: peer.nextOffset)
    }

    /// Records a SYN or SYN/ACK and fixes offset 0 of the directions it tells us about.
    private mutating func noteSyn(_ segment: TCPSegment, direction: StreamDirection) {
        let sequence = segment.sequenceNumber
        if segment.flags.contains(.ack) {
            if synAckFrameNumber == 0 {
                synAckFrameNumber = segment.frame
                synAckTimeValue = segment.time
            }
            // The SYN/ACK acknowledges the client's ISN+1 even when the SYN itself was not captured.
            let peer = direction.reversed
            if !self[half: peer].baseKnown {
                self[half: peer].setBase(segment.acknowledgmentNumber)
                self[half: peer].isn = segment.acknowledgmentNumber &- 1
                self[half: peer].isnKnown = true
            }
        } else if direction == .clientToServer {
            if synFrames.count < Self.maximumSynFrames && synFrames.last != segment.frame {
                synFrames.append(segment.frame)
            }
            // A late SYN confirms a guessed role.
            rolesFromHandshake = true
        }
        if !self[half: direction].synSeen {
            self[half: direction].synSeen = true
            self[half: direction].isn = sequence
            self[half: direction].isnKnown = true
            self[half: direction].setBase(sequence &+ 1)
        }
    }

    /// Notes how far the peer acknowledged `direction`; bytes acknowledged but never captured will
    /// become a gap after the reordering grace.
    private mutating func noteAcknowledgment(_ acknowledgment: UInt32, of direction: StreamDirection,
                                             packetNumber: UInt64) {
        guard self[half: direction].baseKnown else {
            // The SYN sender's ACK of a SYN/ACK the sniffer missed still says where the peer's bytes begin,
            // so a reordered first data segment is not mistaken for the start of the stream.
            if self[half: direction.reversed].synSeen {
                modifyHalf(direction) { half in
                    half.setBase(acknowledgment)
                    half.isn = acknowledgment &- 1
                    half.isnKnown = true
                }
            }
            return
        }
        let relative = self[half: direction].relativeOffset(of: acknowledgment)
        let next = Int64(bitPattern: self[half: direction].nextOffset)
        guard relative > next, relative - next <= HalfStream.maximumLead else { return }
        // An ACK of the FIN covers one sequence number that is not a byte. The gap itself is armed in
        // `settle`, one hole at a time, so later ACKs do not shorten the grace of bytes still in flight.
        let end = min(UInt64(relative), self[half: direction].finOffset)
        modifyHalf(direction) { half in
            half.acknowledgedOffset = max(half.acknowledgedOffset, end)
            if half.pendingDue != .max && end > half.pendingEnd && half.laterAckPacket == 0 {
                half.laterAckEnd = end
                half.laterAckPacket = packetNumber
            }
        }
    }

    /// Records the first FIN of `direction`, ending its stream at `end`.
    private mutating func noteFin(direction: StreamDirection, end: Int64, frame: UInt64, time: Int64,
                                  statistics: inout ReassemblyStatistics, limits: ReassemblyLimits) {
        guard self[half: direction].finOffset == .max else { return }
        let next = Int64(bitPattern: self[half: direction].nextOffset)
        guard end - next <= HalfStream.maximumLead else { return }
        modifyHalf(direction) { half in
            half.finOffset = UInt64(max(end, next))
            half.finFrameNumber = frame
            half.finTimeValue = time
        }
        self[half: direction].dropHeld(from: self[half: direction].finOffset, statistics: &statistics, limits: limits)
    }

    @inline(__always)
    private mutating func modifyHalf(_ direction: StreamDirection, _ body: (inout HalfStream) -> Void) {
        if direction == .clientToServer { body(&toServer) } else { body(&toClient) }
    }

    /// Arms or fires reordering graces, closes directions whose FIN was reached, and the connection when
    /// both were. `packetNumber` counts packets across all connections.
    mutating func settle<H: TCPStreamHandler>(frame: UInt64, time: Int64, packetNumber: UInt64, handler: inout H,
                                              statistics: inout ReassemblyStatistics, limits: ReassemblyLimits) {
        let stream = self.stream
        let bothFinished = toServer.finOffset != .max && toClient.finOffset != .max
        var armed = Self.settleHalf(&toServer, stream: stream, direction: .clientToServer, frame: frame, time: time,
                                    packetNumber: packetNumber, bothFinished: bothFinished, handler: &handler,
                                    statistics: &statistics, limits: limits)
        armed = Self.settleHalf(&toClient, stream: stream, direction: .serverToClient, frame: frame, time: time,
                                packetNumber: packetNumber, bothFinished: bothFinished, handler: &handler,
                                statistics: &statistics, limits: limits) || armed
        if armed { graceArmed = true }
        if toServer.closed && toClient.closed && !isClosed {
            isClosed = true
            closeTime = time
            handler.connectionClosed(info, reason: .fin)
        }
    }

    /// One direction's share of `settle`. A hole the peer acknowledged (or that both FINs enclose) gets a
    /// grace of `reorderGracePackets` captured packets (of any connection: capture reordering displaces
    /// packets by position in the capture); if it is still open after them, it becomes a gap.
    /// Returns true when it armed a new grace.
    private static func settleHalf<H: TCPStreamHandler>(_ half: inout HalfStream, stream: Int,
                                                        direction: StreamDirection, frame: UInt64, time: Int64,
                                                        packetNumber: UInt64, bothFinished: Bool, handler: inout H,
                                                        statistics: inout ReassemblyStatistics,
                                                        limits: ReassemblyLimits) -> Bool {
        var armed = false
        if half.pendingDue == .max {
            if half.acknowledgedOffset > half.nextOffset {
                half.pendingDue = packetNumber &+ UInt64(limits.reorderGracePackets)
                half.pendingReason = .acknowledgedPastHole
                half.pendingEnd = half.acknowledgedOffset
                armed = true
            } else if bothFinished && half.nextOffset < half.finOffset {
                half.pendingDue = packetNumber &+ UInt64(limits.reorderGracePackets)
                half.pendingReason = .closed
                half.pendingEnd = half.finOffset
                armed = true
            }
        }
        // At most two passes: the running grace, then the one of the ACK remembered while it ran.
        while half.pendingDue != .max {
            let end = min(half.pendingEnd, half.finOffset)
            if half.nextOffset >= end {
                half.pendingDue = .max
            } else if packetNumber >= half.pendingDue {
                half.pendingDue = .max
                let context = DeliveryContext(stream: stream, direction: direction, frame: frame, time: time)
                half.fillHoles(upTo: end, reason: half.pendingReason, context: context, handler: &handler,
                               statistics: &statistics, limits: limits)
            } else {
                break
            }
            armed = false
            if half.laterAckPacket != 0 {
                if half.laterAckEnd > half.nextOffset {
                    half.pendingDue = half.laterAckPacket &+ UInt64(limits.reorderGracePackets)
                    half.pendingReason = .acknowledgedPastHole
                    half.pendingEnd = half.laterAckEnd
                    armed = true
                }
                half.laterAckPacket = 0
            }
        }
        if !half.closed && half.nextOffset >= half.finOffset {
            half.closed = true
            handler.directionClosed(stream: stream, direction: direction, reason: .fin, frame: frame, time: time)
        }
        return armed
    }

    /// Ends the connection now: holes become gaps, held bytes are delivered, both directions and the
    /// connection are reported closed (a direction whose FIN was reached closes as `.fin`).
    mutating func abort<H: TCPStreamHandler>(reason: CloseReason, gapReason: GapReason, frame: UInt64, time: Int64,
                                             handler: inout H, statistics: inout ReassemblyStatistics,
                                             limits: ReassemblyLimits) {
        guard !isClosed else { return }
        let stream = self.stream
        for direction in [StreamDirection.clientToServer, .serverToClient] {
            let context = DeliveryContext(stream: stream, direction: direction, frame: frame, time: time)
            modifyHalf(direction) { half in
                half.flushAll(reason: gapReason, context: context, handler: &handler, statistics: &statistics,
                              limits: limits)
                guard !half.closed else { return }
                half.closed = true
                handler.directionClosed(stream: stream, direction: direction,
                                        reason: half.nextOffset >= half.finOffset ? .fin : reason,
                                        frame: frame, time: time)
            }
        }
        isClosed = true
        closeTime = time
        // At end of input (or idle expiry) a connection whose FINs were both reached ended normally.
        let finished = toServer.nextOffset >= toServer.finOffset && toClient.nextOffset >= toClient.finOffset
        handler.connectionClosed(info, reason: finished && (reason == .endOfInput || reason == .idleTimeout) ? .fin : reason)
    }
}
