// The incremental parser for one direction of a connection: a state machine fed segments in any split.

/// Parses one direction's byte stream into message events, whatever the segment boundaries.
///
/// Heads lying inside one segment are parsed in place (zero copy); only a head that spans segments is
/// gathered into `buffer`, bounded by ``HTTPLimits/maxHeadBytes`` and reused between messages.
/// Bodies are handed on as slices of the fed segments.
struct HTTPStreamParser {
    enum State: Equatable {
        /// Expecting the first byte of a message (empty lines are skipped).
        case start
        /// A head that spans segments is being gathered in `buffer`.
        case head
        /// A Content-Length body; `bodyRemaining` bytes to go.
        case body
        /// Chunked framing, at the given point of the chunk grammar (RFC 9112 §7.1).
        case chunk(ChunkState)
        /// A response body that ends when the server closes.
        case closeDelimited
        /// Lost: looking for a message start at segment starts and line starts.
        case hunting
        /// The direction does not carry HTTP: only segment starts are checked.
        case notHTTP
        /// A CONNECT or upgrade request is waiting for its answer; bytes are passed over until it comes.
        case tunnelPending
        /// The connection switched protocols.
        case tunnel
        /// The direction was closed.
        case closed
    }

    /// Points in the chunked-body grammar.
    enum ChunkState: Equatable {
        case size, sizeWhitespace, sizeExtension, sizeLF, data, dataCR, dataLF, trailerLineStart, trailerLine, trailerFinalLF
    }

    /// Progress in finding a gathered head's first line and end.
    struct HeadScan {
        var firstLineEnd: Int?
        var searchFrom = 0
        /// The head spans segments: find its end before parsing its header lines.
        var gathering = false
    }

    /// The reassembler's direction this parser reads.
    let direction: UInt8
    let limits: HTTPLimits
    var state: State = .start
    /// What this direction carries, learned from its first message.
    var role: HTTPMessageKind?
    /// Messages reported on this direction.
    var messages = 0
    /// The direction's first bytes were not an HTTP message start.
    var classifiedNotHTTP = false
    /// A partial head spanning segments (capacity kept between messages).
    var buffer: [UInt8] = []
    var scan = HeadScan()
    /// The head being parsed, reused so its header array keeps its storage.
    var head = HTTPHead(kind: .request)
    /// Where the current message's first byte was.
    var messageStart = HTTPPosition(frame: 0, time: 0, offset: 0)
    /// The current message once its head was reported.
    var info = HTTPMessageInfo(kind: .request, direction: 0, index: 0, start: HTTPPosition(frame: 0, time: 0, offset: 0), request: nil)
    var bodyRemaining: UInt64 = 0
    /// `bodyRemaining` inside a Content-Length body, else 0.
    var contentLengthBodyRemaining: UInt64 { state == .body ? bodyRemaining : 0 }
    var bodyBytes: UInt64 = 0
    var gapBytes: UInt64 = 0
    var chunkDigits = 0
    var framingBytes = 0
    /// The first byte of the current message (tells text from binary when it is not HTTP).
    var firstByte: UInt8 = 0
    /// Empty lines were skipped before the current message.
    var skippedEmptyLines = false
    /// The current message start was found by resynchronising, so a non-start is not an error.
    var resyncCandidate = false
    /// While hunting: the last byte seen was LF, so the next byte starts a line.
    var afterLF = false
    /// After the current request ends, hold off until the tunnel question is answered.
    var tunnelAfterMessage = false
    /// Bytes passed over while waiting for a tunnel answer.
    var pendingSkipped: UInt64 = 0

    init(direction: UInt8, limits: HTTPLimits) {
        self.direction = direction
        self.limits = limits
        info.direction = direction
    }

    /// Whether the direction never showed an HTTP message and its first bytes were something else.
    var isNotHTTP: Bool { messages == 0 && classifiedNotHTTP }

    /// Parses one in-order segment; `at` is the position of `bytes[0]`.
    mutating func feed<Handler: HTTPConnectionHandler>(_ bytes: Span<UInt8>, at: HTTPPosition, shared: inout ConnectionState,
                                                      handler: inout Handler) {
        let count = bytes.count
        guard count > 0 else { return }
        if shared.isTunnel { enterTunnel(at: at, shared: &shared, handler: &handler) }
        var index = 0
        while index < count {
            switch state {
            case .closed, .tunnel:
                shared.counters.skippedBytes &+= UInt64(count &- index)
                return
            case .tunnelPending:
                if shared.awaitingTunnelAnswer {
                    pendingSkipped &+= UInt64(count &- index)
                    shared.counters.skippedBytes &+= UInt64(count &- index)
                    return
                }
                state = pendingSkipped == 0 ? .start : .hunting
                afterLF = false
            case .notHTTP:
                if index == 0, Self.plausibleStart(bytes, at: 0, kind: role) {
                    shared.counters.resyncs &+= 1
                    resyncCandidate = true
                    state = .start
                    continue
                }
                shared.counters.skippedBytes &+= UInt64(count &- index)
                return
            case .hunting:
                let found = hunt(bytes, from: index)
                shared.counters.skippedBytes &+= UInt64((found ?? count) &- index)
                guard let found else { return }
                shared.counters.resyncs &+= 1
                resyncCandidate = true
                state = .start
                index = found
            case .start:
                index = startMessage(bytes, from: index, at: at, shared: &shared, handler: &handler)
            case .head:
                index = continueHead(bytes, from: index, at: at, shared: &shared, handler: &handler)
            case .body:
                let available = UInt64(count &- index)
                let take = Int(min(available, bodyRemaining))
                if take > 0 {
                    bodyRemaining &-= UInt64(take)
                    bodyBytes &+= UInt64(take)
                    handler.messageBody(bytes.extracting(index..<(index &+ take)), info: info)
                    index &+= take
                }
                if bodyRemaining == 0 {
                    endMessage(gapBytes > 0 ? .incomplete(gapBytes: gapBytes) : .complete,
                               at: at.advanced(by: index), shared: &shared, handler: &handler)
                }
            case .closeDelimited:
                bodyBytes &+= UInt64(count &- index)
                handler.messageBody(bytes.extracting(index..<count), info: info)
                return
            case .chunk(let chunkState):
                index = continueChunked(chunkState, bytes, from: index, at: at, shared: &shared, handler: &handler)
            }
        }
    }

    /// The other direction switched protocols: a message still open here ends with it.
    mutating func enterTunnel<Handler: HTTPConnectionHandler>(at: HTTPPosition, shared: inout ConnectionState,
                                                             handler: inout Handler) {
        switch state {
        case .body, .chunk, .closeDelimited:
            tunnelAfterMessage = false
            endMessage(.tunnel, at: at, shared: &shared, handler: &handler)
        case .head:
            shared.counters.truncatedHeads &+= 1
            buffer.removeAll(keepingCapacity: true)
        case .closed, .tunnel, .start, .hunting, .notHTTP, .tunnelPending:
            break
        }
        if state != .closed { state = .tunnel }
    }

    /// Reports the end of the current message and prepares for the next one.
    mutating func endMessage<Handler: HTTPConnectionHandler>(_ end: HTTPMessageEnd, at: HTTPPosition, shared: inout ConnectionState,
                                                            handler: inout Handler) {
        handler.messageEnd(end, bodyBytes: bodyBytes, info: info, at: at)
        if info.kind == .request {
            shared.pending.setBodyBytes(bodyBytes, forIndex: info.index)
        }
        // Let go of the answered request's summary now rather than at the next head: then the pairing
        // queue's slot holds the only reference and refills its storage in place instead of copying it.
        info.clearRequest()
        bodyRemaining = 0
        bodyBytes = 0
        gapBytes = 0
        if end == .tunnel {
            state = .tunnel
        } else if tunnelAfterMessage {
            tunnelAfterMessage = false
            pendingSkipped = 0
            state = .tunnelPending
        } else {
            state = .start
        }
    }

    /// Drops the current message after a framing error and starts looking for the next one.
    mutating func abandon<Handler: HTTPConnectionHandler>(_ error: HTTPParseError?, at: HTTPPosition, shared: inout ConnectionState,
                                                         handler: inout Handler) {
        if let error { report(error, at: at, shared: &shared, handler: &handler) }
        tunnelAfterMessage = false
        endMessage(.incomplete(gapBytes: gapBytes), at: at, shared: &shared, handler: &handler)
        if state != .tunnel { loseSync(afterLF: false) }
    }

    /// Reports a malformed message and counts it by kind.
    mutating func report<Handler: HTTPConnectionHandler>(_ error: HTTPParseError, at: HTTPPosition, shared: inout ConnectionState,
                                                        handler: inout Handler) {
        shared.counters.malformed &+= 1
        switch error {
        case .invalidStartLine, .invalidVersion, .invalidStatus, .invalidMethod:
            shared.counters.malformedStartLine &+= 1
        case .startLineTooLong:
            shared.counters.malformedStartLine &+= 1
            shared.counters.limitsExceeded &+= 1
        case .invalidHeader:
            shared.counters.malformedHead &+= 1
        case .headTooLarge, .tooManyHeaders:
            shared.counters.malformedHead &+= 1
            shared.counters.limitsExceeded &+= 1
        case .chunkSizeTooLarge:
            shared.counters.malformedFraming &+= 1
            shared.counters.limitsExceeded &+= 1
        case .invalidContentLength, .invalidTransferEncoding, .invalidChunkSize, .invalidChunkExtension, .invalidChunkData,
             .invalidTrailer:
            shared.counters.malformedFraming &+= 1
        }
        handler.malformed(error, direction: direction, at: at)
    }

    /// Switches to looking for the next message start.
    mutating func loseSync(afterLF: Bool) {
        buffer.removeAll(keepingCapacity: true)
        scan = HeadScan()
        self.afterLF = afterLF
        state = .hunting
    }

    /// A gap of `length` unseen bytes at `at` (RFC 793 sequence space the reassembler could not fill).
    mutating func gap<Handler: HTTPConnectionHandler>(length: UInt64, at: HTTPPosition, shared: inout ConnectionState,
                                                     handler: inout Handler) {
        guard length > 0 else { return }
        shared.counters.gaps &+= 1
        if shared.isTunnel { enterTunnel(at: at, shared: &shared, handler: &handler) }
        switch state {
        case .start:
            loseSync(afterLF: false)
        case .head:
            shared.counters.abandoned &+= 1
            loseSync(afterLF: false)
        case .body:
            if length < bodyRemaining {
                bodyRemaining &-= length
                gapBytes &+= length
                shared.counters.gapBytesSkipped &+= length
            } else {
                let rest = bodyRemaining
                gapBytes &+= rest
                shared.counters.gapBytesSkipped &+= rest
                endMessage(.incomplete(gapBytes: gapBytes), at: at.advanced(by: Int(truncatingIfNeeded: rest)),
                           shared: &shared, handler: &handler)
                if length > rest && state == .start { loseSync(afterLF: false) }
            }
        case .chunk(.data) where length <= bodyRemaining:
            bodyRemaining &-= length
            gapBytes &+= length
            shared.counters.gapBytesSkipped &+= length
            if bodyRemaining == 0 { state = .chunk(.dataCR) }
        case .chunk:
            shared.counters.abandoned &+= 1
            gapBytes &+= length
            abandon(nil, at: at, shared: &shared, handler: &handler)
        case .closeDelimited:
            gapBytes &+= length
            shared.counters.gapBytesSkipped &+= length
        case .tunnelPending:
            pendingSkipped &+= length
        case .hunting, .notHTTP, .tunnel, .closed:
            break
        }
    }

    /// The direction ended: a FIN or RST (`cut` is the end reported for unfinished framed bodies).
    mutating func close<Handler: HTTPConnectionHandler>(at: HTTPPosition, cut: HTTPMessageEnd, shared: inout ConnectionState,
                                                       handler: inout Handler) {
        if shared.isTunnel { enterTunnel(at: at, shared: &shared, handler: &handler) }
        switch state {
        case .closeDelimited:
            let end: HTTPMessageEnd = cut == .unfinishedAtEnd ? .unfinishedAtEnd
                : (gapBytes > 0 ? .incomplete(gapBytes: gapBytes) : .complete)
            tunnelAfterMessage = false
            endMessage(end, at: at, shared: &shared, handler: &handler)
        case .body, .chunk:
            tunnelAfterMessage = false
            endMessage(cut, at: at, shared: &shared, handler: &handler)
        case .head:
            shared.counters.truncatedHeads &+= 1
        case .start, .hunting, .notHTTP, .tunnelPending, .tunnel, .closed:
            break
        }
        buffer.removeAll(keepingCapacity: false)
        state = .closed
    }
}
