// Finding, parsing and reporting message heads, in place when a head lies inside one segment.

/// What scanning a (possibly partial) head found. Offsets are from the message's first byte.
enum HeadScanResult {
    /// The head is complete and valid; it ends at this offset.
    case complete(Int)
    /// More bytes are needed.
    case needMore
    /// The first line is not an HTTP start line; resume looking after `resume`.
    case notStart(resume: Int)
    /// The head is HTTP but invalid: the error, where it was found, and where to resume looking.
    case failed(HTTPParseError, at: Int, resume: Int)
}

extension HTTPStreamParser {
    /// Scans `message` (the bytes of a head so far, from its first byte) for the first line and the head's end.
    ///
    /// The order of checks (first byte, first line, head end, limits) and every offset depend only on the
    /// bytes, never on how they were split into segments, so any split reports the same result.
    static func scanHead(_ message: UnsafeBufferPointer<UInt8>, limits: HTTPLimits, scan: inout HeadScan,
                         head: inout HTTPHead) -> HeadScanResult {
        let firstLineEnd: Int
        if let known = scan.firstLineEnd {
            firstLineEnd = known
        } else {
            let limit = min(message.count, limits.maxStartLine &+ 1)
            guard let lf = ByteClass.find(ByteClass.lf, in: message, from: scan.searchFrom, to: limit) else {
                if message.count > limits.maxStartLine {
                    let resume = limits.maxStartLine &+ 1
                    return HeadParser.looksLikeStart(message, from: 0, to: message.count)
                        ? .failed(.startLineTooLong(limit: limits.maxStartLine), at: resume, resume: resume)
                        : .notStart(resume: resume)
                }
                scan.searchFrom = message.count
                return .needMore
            }
            switch HeadParser.parseStartLine(message, lineEnd: lf, into: &head) {
            case .ok: break
            case .notStartLine: return .notStart(resume: lf &+ 1)
            case .failed(let error): return .failed(error, at: 0, resume: lf &+ 1)
            }
            scan.firstLineEnd = lf
            scan.searchFrom = lf
            firstLineEnd = lf
        }
        let window = min(message.count, limits.maxHeadBytes)
        if scan.gathering {
            // A gathered head: find its end incrementally (each new byte looked at once), then parse it.
            guard let end = HeadParser.findHeadEnd(message, from: max(scan.searchFrom, firstLineEnd), to: window) else {
                if message.count >= limits.maxHeadBytes {
                    return .failed(.headTooLarge(limit: limits.maxHeadBytes), at: limits.maxHeadBytes, resume: limits.maxHeadBytes)
                }
                scan.searchFrom = max(firstLineEnd, window &- 2)
                return .needMore
            }
            switch HeadParser.parseHeaders(message, from: firstLineEnd &+ 1, limit: end, limits: limits, into: &head) {
            case .complete(let parsedEnd) where parsedEnd == end: return .complete(end)
            case .failed(let error, let offset): return .failed(error, at: offset, resume: end)
            case .complete, .needMore: return .failed(.invalidHeader, at: firstLineEnd &+ 1, resume: end)
            }
        }
        // Bytes in one segment: parse the header lines directly, finding the end on the way (one pass).
        switch HeadParser.parseHeaders(message, from: firstLineEnd &+ 1, limit: window, limits: limits, into: &head) {
        case .complete(let end):
            return .complete(end)
        case .needMore:
            if message.count >= limits.maxHeadBytes {
                return .failed(.headTooLarge(limit: limits.maxHeadBytes), at: limits.maxHeadBytes, resume: limits.maxHeadBytes)
            }
            // Every line so far was complete and not empty, so the end can only begin in the last two bytes.
            scan.searchFrom = max(firstLineEnd, window &- 2)
            scan.gathering = true
            head.headers.removeAll(keepingCapacity: true)
            return .needMore
        case .failed(let error, let offset):
            // Report only once the head is complete, exactly as a gathered head would be reported.
            let from = max(firstLineEnd, offset &- 1)
            if let end = HeadParser.findHeadEnd(message, from: from, to: window) {
                return .failed(error, at: offset, resume: end)
            }
            if message.count >= limits.maxHeadBytes {
                return .failed(.headTooLarge(limit: limits.maxHeadBytes), at: limits.maxHeadBytes, resume: limits.maxHeadBytes)
            }
            scan.searchFrom = max(from, window &- 2)
            scan.gathering = true
            head.headers.removeAll(keepingCapacity: true)
            return .needMore
        }
    }

    /// At a message start: skips empty lines, then parses the head in place or starts gathering it.
    mutating func startMessage<Handler: HTTPConnectionHandler>(_ bytes: Span<UInt8>, from index: Int, at: HTTPPosition,
                                                              shared: inout ConnectionState, handler: inout Handler) -> Int {
        let count = bytes.count
        var start = index
        while start < count && (bytes[start] == ByteClass.cr || bytes[start] == ByteClass.lf) { start &+= 1 }
        if start > index { skippedEmptyLines = true }
        guard start < count else { return count }
        head.reset(kind: .request)
        scan = HeadScan()
        messageStart = at.advanced(by: start)
        firstByte = bytes[start]
        guard ByteClass.isToken(bytes[start]) else {
            return notAStart(resume: start &+ 1, afterLF: false, shared: &shared, handler: &handler)
        }
        let limits = self.limits
        let result = bytes.withUnsafeBufferPointer { all in
            HTTPStreamParser.scanHead(UnsafeBufferPointer(rebasing: all[start..<count]), limits: limits, scan: &self.scan,
                                      head: &self.head)
        }
        switch result {
        case .needMore:
            buffer.removeAll(keepingCapacity: true)
            bytes.withUnsafeBufferPointer { all in buffer.append(contentsOf: UnsafeBufferPointer(rebasing: all[start..<count])) }
            state = .head
            return count
        case .complete(let end):
            let after = start &+ end
            deliverHead(bytes.extracting(start..<after), at: at.advanced(by: after), shared: &shared, handler: &handler)
            return after
        case .notStart(let resume):
            return notAStart(resume: start &+ resume, afterLF: bytes[start &+ resume &- 1] == ByteClass.lf,
                             shared: &shared, handler: &handler)
        case .failed(let error, let offset, let resume):
            report(error, at: HTTPPosition(frame: at.frame, time: at.time, offset: messageStart.offset &+ UInt64(offset)),
                   shared: &shared, handler: &handler)
            loseSync(afterLF: bytes[start &+ resume &- 1] == ByteClass.lf)
            return start &+ resume
        }
    }

    /// Gathers more of a head that spans segments; parses it once its end has arrived.
    mutating func continueHead<Handler: HTTPConnectionHandler>(_ bytes: Span<UInt8>, from index: Int, at: HTTPPosition,
                                                              shared: inout ConnectionState, handler: inout Handler) -> Int {
        let oldCount = buffer.count
        let take = min(bytes.count &- index, limits.maxHeadBytes &- oldCount)
        bytes.withUnsafeBufferPointer { all in buffer.append(contentsOf: UnsafeBufferPointer(rebasing: all[index..<(index &+ take)])) }
        var store: [UInt8] = []
        swap(&store, &buffer)
        var scan = self.scan
        var head = HTTPHead(kind: .request)
        swap(&head, &self.head)
        let limits = self.limits
        let result = store.withUnsafeBufferPointer { HTTPStreamParser.scanHead($0, limits: limits, scan: &scan, head: &head) }
        swap(&head, &self.head)
        self.scan = scan
        let next: Int
        switch result {
        case .needMore:
            swap(&store, &buffer)
            return index &+ take
        case .complete(let end):
            next = index &+ max(0, end &- oldCount)
            state = .start
            deliverHead(store.span.extracting(0..<end), at: at.advanced(by: next), shared: &shared, handler: &handler)
        case .notStart(let resume):
            next = index &+ max(0, resume &- oldCount)
            let lf = resume > 0 && store[resume &- 1] == ByteClass.lf
            store.removeAll(keepingCapacity: true)
            swap(&store, &buffer)
            return notAStart(resume: next, afterLF: lf, shared: &shared, handler: &handler)
        case .failed(let error, let offset, let resume):
            next = index &+ max(0, resume &- oldCount)
            let lf = resume > 0 && store[resume &- 1] == ByteClass.lf
            report(error, at: HTTPPosition(frame: at.frame, time: at.time, offset: messageStart.offset &+ UInt64(offset)),
                   shared: &shared, handler: &handler)
            store.removeAll(keepingCapacity: true)
            swap(&store, &buffer)
            loseSync(afterLF: lf)
            return next
        }
        store.removeAll(keepingCapacity: true)
        swap(&store, &buffer)
        return next
    }

    /// The bytes at a message start are not a start line: ignore silently when hunting or when the direction
    /// never carried HTTP (another protocol, or a capture that began mid-body); otherwise it is malformed.
    mutating func notAStart<Handler: HTTPConnectionHandler>(resume: Int, afterLF: Bool, shared: inout ConnectionState,
                                                           handler: inout Handler) -> Int {
        buffer.removeAll(keepingCapacity: true)
        if resyncCandidate {
            resyncCandidate = false
            loseSync(afterLF: afterLF)
            return resume
        }
        if messages == 0 {
            if !classifiedNotHTTP {
                classifiedNotHTTP = true
                shared.counters.notHTTPDirections &+= 1
            }
            loseSync(afterLF: afterLF)
            // Binary first bytes (TLS, compressed data) are not worth scanning line by line.
            if !Self.isText(firstByte) { state = .notHTTP }
            return resume
        }
        report(.invalidStartLine, at: messageStart, shared: &shared, handler: &handler)
        loseSync(afterLF: afterLF)
        return resume
    }
}
