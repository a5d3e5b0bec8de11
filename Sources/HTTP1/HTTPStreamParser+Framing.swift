// Deciding a message's body framing from its head and the request it answers, then reporting the head.

extension HTTPStreamParser {
    /// Reports a complete, valid head and enters the state its framing calls for (RFC 9112 §6.3).
    ///
    /// `after` is the position just past the head, where a body-less message ends.
    mutating func deliverHead<Handler: HTTPConnectionHandler>(_ headBytes: Span<UInt8>, at after: HTTPPosition,
                                                             shared: inout ConnectionState, handler: inout Handler) {
        if skippedEmptyLines {
            head.anomalies.insert(.leadingEmptyLines)
            skippedEmptyLines = false
        }
        resyncCandidate = false
        bodyBytes = 0
        gapBytes = 0
        bodyRemaining = 0
        tunnelAfterMessage = false
        // The request answered is read in place in the queue: a copy of it as an optional was
        // destroyed through its type's value witness, looked up at run time (callgrind).
        let framing: HTTPBodyFraming
        let error: HTTPParseError?
        switch head.kind {
        case .request:
            (framing, error) = requestFraming()
        case .response:
            (framing, error) = responseFraming(answeringHead: shared.pending.firstIsHead, connect: shared.pending.firstIsConnect)
        }
        if let error {
            report(error, at: messageStart, shared: &shared, handler: &handler)
            loseSync(afterLF: true)
            return
        }
        head.framing = framing
        if framing == .closeDelimited { head.keepAlive = false }
        countAnomalies(&shared.counters)
        messages &+= 1
        if role == nil { role = head.kind }
        switch head.kind {
        case .request:
            shared.counters.requests &+= 1
            if shared.requestDirection == nil { shared.requestDirection = direction }
            let isConnect = ByteClass.equalsMethod(headBytes, head.method, "CONNECT")
            let mayTunnel = isConnect || head.upgrade
            if !shared.pending.pushSlot() { shared.counters.pairingOverflow &+= 1 }
            // Filled in place, so the slot's storage from an earlier request is reused.
            shared.pending.newest.summary.refill(index: shared.requestIndex, start: messageStart, method: head.method,
                                                 target: head.target, host: head.host, cap: shared.limits.maxSummaryBytes,
                                                 from: headBytes)
            shared.pending.newest.isHead = ByteClass.equalsMethod(headBytes, head.method, "HEAD")
            shared.pending.newest.isConnect = isConnect
            shared.pending.newest.mayTunnel = mayTunnel
            info.reset(kind: .request, direction: direction, index: shared.requestIndex, start: messageStart)
            info.clearRequest()
            shared.requestIndex &+= 1
            if mayTunnel {
                tunnelAfterMessage = true
                shared.awaitingTunnelAnswer = true
            }
        case .response:
            shared.counters.responses &+= 1
            if shared.responseDirection == nil { shared.responseDirection = direction }
            let interim = head.status >= 100 && head.status < 200 && head.status != 101
            info.reset(kind: .response, direction: direction, index: shared.responseIndex, start: messageStart)
            if shared.pending.isEmpty {
                info.clearRequest()
            } else {
                info.setRequest(shared.pending.firstSummary)
            }
            if interim {
                shared.counters.interimResponses &+= 1
            } else if shared.pending.removeFirst() == .mayTunnel, framing != .tunnel {
                // The CONNECT or upgrade was refused: the request direction goes back to parsing HTTP.
                shared.awaitingTunnelAnswer = false
            }
            shared.responseIndex &+= 1
        }
        handler.messageHead(head, bytes: headBytes, info: info)
        switch framing {
        case .none, .contentLength(0):
            endMessage(.complete, at: after, shared: &shared, handler: &handler)
        case .contentLength(let length):
            bodyRemaining = length
            state = .body
        case .chunked:
            bodyRemaining = 0
            chunkDigits = 0
            framingBytes = 0
            state = .chunk(.size)
        case .closeDelimited:
            state = .closeDelimited
        case .tunnel:
            shared.isTunnel = true
            shared.awaitingTunnelAnswer = false
            shared.counters.tunnels &+= 1
            endMessage(.tunnel, at: after, shared: &shared, handler: &handler)
        }
    }

    /// Request framing: chunked if Transfer-Encoding ends in chunked, else Content-Length, else no body.
    ///
    /// `mutating` though it changes nothing, like `countAnomalies`: as non-mutating methods called
    /// on the parser in the middle of a mutation, each took a 488-byte copy of it, retaining what
    /// it holds (two copies a head, callgrind over nginx-busy).
    private mutating func requestFraming() -> (HTTPBodyFraming, HTTPParseError?) {
        if head.hasTransferEncoding {
            // RFC 9112 §6.3 item 4: a request whose final coding is not chunked has no knowable length.
            return head.isChunked ? (.chunked, nil) : (.none, .invalidTransferEncoding)
        }
        if head.contentLengthInvalid { return (.none, .invalidContentLength) }
        if let length = head.contentLength { return (.contentLength(length), nil) }
        return (.none, nil)
    }

    /// Response framing, which also depends on the request's method (HEAD, CONNECT) when it is known.
    private mutating func responseFraming(answeringHead isHead: Bool, connect isConnect: Bool) -> (HTTPBodyFraming, HTTPParseError?) {
        let status = head.status
        if status == 101 { return (.tunnel, nil) }
        if isConnect && status >= 200 && status < 300 { return (.tunnel, nil) }
        if isHead || status < 200 || status == 204 || status == 304 {
            if head.contentLengthInvalid { head.anomalies.insert(.invalidContentLength) }
            return (.none, nil)
        }
        if head.hasTransferEncoding { return (head.isChunked ? .chunked : .closeDelimited, nil) }
        if head.contentLengthInvalid { return (.none, .invalidContentLength) }
        if let length = head.contentLength { return (.contentLength(length), nil) }
        return (.closeDelimited, nil)
    }

    /// Adds the head's anomalies to the totals.
    private mutating func countAnomalies(_ counters: inout HTTPCounters) {
        let anomalies = head.anomalies
        if anomalies.contains(.bareLF) { counters.bareLF &+= 1 }
        if anomalies.contains(.obsFold) { counters.obsFold &+= 1 }
        if !anomalies.isDisjoint(with: .smuggling) { counters.smugglingSignals &+= 1 }
        if anomalies.contains(.contentLengthWithTransferEncoding) { counters.contentLengthWithTransferEncoding &+= 1 }
    }
}
