// Parses a complete start line and header section from contiguous bytes (RFC 9112 §3, §4, §5).

/// What a start line turned out to be.
enum StartLineOutcome: Equatable {
    /// A request line or status line; the head's start-line fields are filled.
    case ok
    /// Not an HTTP start line at all (another protocol, or the middle of a body): no message is reported.
    case notStartLine
    /// Recognisably HTTP but invalid.
    case failed(HTTPParseError)
}

/// What parsing header lines found.
enum HeaderParseResult: Equatable {
    /// The head is complete and valid, ending at this offset.
    case complete(Int)
    /// The bytes ran out before the empty line, with every line so far valid.
    case needMore
    /// A header line is invalid (or over the count limit); the offset is that line's start.
    case failed(HTTPParseError, Int)
}

/// Stateless parsing of heads held in contiguous memory. Callers guarantee the bounds they pass.
///
/// After a head is complete (its final empty line found), parsing is one forward pass: no state survives
/// between segments here, which is what makes split-independence easy to reason about.
enum HeadParser {
    /// Parses the start line in `buffer[0...lineEnd]`, where `buffer[lineEnd]` is its LF.
    static func parseStartLine(_ buffer: UnsafeBufferPointer<UInt8>, lineEnd: Int, into head: inout HTTPHead) -> StartLineOutcome {
        guard lineEnd < buffer.count, lineEnd >= 0 else { return .notStartLine }
        var end = lineEnd
        if end > 0 && buffer[end &- 1] == ByteClass.cr {
            end &-= 1
        } else {
            head.anomalies.insert(.bareLF)
        }
        if hasHTTPPrefix(buffer, at: 0, end: end) {
            return parseStatusLine(buffer, end: end, into: &head)
        }
        return parseRequestLine(buffer, end: end, into: &head)
    }

    /// `HTTP/d.d SP+ ddd [SP reason]` (RFC 9112 §4).
    private static func parseStatusLine(_ buffer: UnsafeBufferPointer<UInt8>, end: Int, into head: inout HTTPHead) -> StartLineOutcome {
        head.kind = .response
        guard let version = parseVersion(buffer, at: 5, end: end) else { return .failed(.invalidVersion) }
        head.version = version
        var index = 8
        // A tab or a second version digit here is a bad version, not a bad status (as http-parser reports it).
        guard index < end, buffer[index] == ByteClass.space else { return .failed(.invalidVersion) }
        index &+= 1
        if index < end && buffer[index] == ByteClass.space {
            head.anomalies.insert(.extraSpaces)
            while index < end && buffer[index] == ByteClass.space { index &+= 1 }
        }
        guard index &+ 3 <= end, ByteClass.isDigit(buffer[index]), ByteClass.isDigit(buffer[index &+ 1]),
              ByteClass.isDigit(buffer[index &+ 2]) else { return .failed(.invalidStatus) }
        head.status = Int(buffer[index] &- 0x30) * 100 + Int(buffer[index &+ 1] &- 0x30) * 10 + Int(buffer[index &+ 2] &- 0x30)
        index &+= 3
        guard index < end else { return .ok }
        guard buffer[index] == ByteClass.space else { return .failed(.invalidStatus) }
        index &+= 1
        var scan = index
        while scan < end {
            scan = ByteClass.firstControl(in: buffer, from: scan, to: end)
            guard scan < end else { break }
            // A bare CR stays an error (a request-smuggling vector); other controls are flagged.
            if buffer[scan] == ByteClass.cr { return .failed(.invalidStartLine) }
            if buffer[scan] != ByteClass.tab { head.anomalies.insert(.controlCharacters) }
            scan &+= 1
        }
        head.reason = index < end ? index..<end : nil
        return .ok
    }

    /// `method SP target SP HTTP/d.d` (RFC 9112 §3).
    private static func parseRequestLine(_ buffer: UnsafeBufferPointer<UInt8>, end: Int, into head: inout HTTPHead) -> StartLineOutcome {
        head.kind = .request
        var index = 0
        while index < end && ByteClass.isToken(buffer[index]) { index &+= 1 }
        guard index > 0, index < end, buffer[index] == ByteClass.space else {
            // A line that ends like a request line but has a bad method is HTTP gone wrong, not another protocol.
            return endsWithVersion(buffer, end: end) ? .failed(.invalidMethod) : .notStartLine
        }
        head.method = 0..<index
        index = skipSpaces(buffer, from: index, end: end, head: &head)
        let targetStart = index
        // The target ends at the next space. Control bytes inside it are flagged, not refused: a
        // dissector must show what was sent (escaped), and the method and version still decide
        // whether this is HTTP at all.
        while true {
            index = ByteClass.firstControlOrSpace(in: buffer, from: index, to: end)
            guard index < end, buffer[index] != ByteClass.space else { break }
            head.anomalies.insert(.controlCharacters)
            index &+= 1
        }
        guard index > targetStart, index < end, buffer[index] == ByteClass.space else { return .notStartLine }
        head.target = targetStart..<index
        index = skipSpaces(buffer, from: index, end: end, head: &head)
        guard hasHTTPPrefix(buffer, at: index, end: end) else { return .notStartLine }
        guard end &- index == 8, let version = parseVersion(buffer, at: index &+ 5, end: end), version.major == 1 else {
            return .failed(.invalidVersion)
        }
        head.version = version
        return .ok
    }

    /// Skips one required space and counts any extra ones as an anomaly.
    @inline(__always)
    private static func skipSpaces(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, end: Int, head: inout HTTPHead) -> Int {
        var index = from &+ 1
        if index < end && buffer[index] == ByteClass.space {
            head.anomalies.insert(.extraSpaces)
            while index < end && buffer[index] == ByteClass.space { index &+= 1 }
        }
        return index
    }

    /// `d.d` at `at`, accepting 1.x and 0.9 (RFC 9112 §2.3; other majors are not HTTP/1 framing).
    @inline(__always)
    private static func parseVersion(_ buffer: UnsafeBufferPointer<UInt8>, at: Int, end: Int) -> HTTPVersion? {
        guard at &+ 3 <= end, ByteClass.isDigit(buffer[at]), buffer[at &+ 1] == 0x2E, ByteClass.isDigit(buffer[at &+ 2]) else {
            return nil
        }
        let version = HTTPVersion(major: buffer[at] &- 0x30, minor: buffer[at &+ 2] &- 0x30)
        guard version.major == 1 || (version.major == 0 && version.minor == 9) else { return nil }
        return version
    }

    /// Whether `buffer[at..<end]` starts with `HTTP/`.
    @inline(__always)
    static func hasHTTPPrefix(_ buffer: UnsafeBufferPointer<UInt8>, at: Int, end: Int) -> Bool {
        at &+ 5 <= end && buffer[at] == 0x48 && buffer[at &+ 1] == 0x54 && buffer[at &+ 2] == 0x54
            && buffer[at &+ 3] == 0x50 && buffer[at &+ 4] == 0x2F
    }

    /// Whether the line ends with ` HTTP/x.y`.
    private static func endsWithVersion(_ buffer: UnsafeBufferPointer<UInt8>, end: Int) -> Bool {
        end >= 9 && buffer[end &- 9] == ByteClass.space && hasHTTPPrefix(buffer, at: end &- 8, end: end)
    }

    /// Parses header lines from `start`, reading no further than `limit`, up to and including the empty line
    /// that ends the head; then derives framing facts.
    ///
    /// Line boundaries are the same LFs ``findHeadEnd(_:from:to:)`` looks at, so when the head's end lies
    /// within `limit` this finds the same end, whatever else `limit` covers.
    static func parseHeaders(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int, limits: HTTPLimits,
                             into head: inout HTTPHead) -> HeaderParseResult {
        let limit = min(limit, buffer.count)
        var index = start
        while true {
            guard index < limit else { return .needMore }
            let first = buffer[index]
            if first == ByteClass.cr {
                guard index &+ 1 < limit else { return .needMore }
                guard buffer[index &+ 1] == ByteClass.lf else { return .failed(.invalidHeader, index) }
                index &+= 2
                break
            }
            if first == ByteClass.lf {
                head.anomalies.insert(.bareLF)
                index &+= 1
                break
            }
            if ByteClass.isWhitespace(first) {
                // obs-fold (RFC 9112 §5.2): the line continues the previous value. None before the first header.
                guard let last = head.headers.indices.last else { return .failed(.invalidHeader, index) }
                head.anomalies.insert(.obsFold)
                var valueStart = index
                while valueStart < limit && ByteClass.isWhitespace(buffer[valueStart]) { valueStart &+= 1 }
                let (lineEnd, valueEnd) = scanValue(buffer, from: valueStart, limit: limit, head: &head)
                guard lineEnd >= 0 else { return lineEnd == Self.lineNeedsMore ? .needMore : .failed(.invalidHeader, index) }
                if valueEnd > valueStart {
                    let previous = head.headers[last].value
                    head.headers[last].value = (previous.isEmpty ? valueStart : previous.lowerBound)..<valueEnd
                }
                index = lineEnd &+ 1
                continue
            }
            let nameStart = index
            // Letters, digits and `-` eight at a time; any other token byte one at a time.
            while true {
                index = ByteClass.firstNonNameByte(in: buffer, from: index, to: limit)
                guard index < limit, ByteClass.isToken(buffer[index]) else { break }
                index &+= 1
            }
            let nameEnd = index
            guard index < limit else { return .needMore }
            guard nameEnd > nameStart else {
                guard let lineEnd = skipInvalidLine(buffer, from: nameStart, limit: limit, head: &head) else { return .needMore }
                index = lineEnd
                continue
            }
            if ByteClass.isWhitespace(buffer[index]) {
                head.anomalies.insert(.whitespaceBeforeColon)
                while index < limit && ByteClass.isWhitespace(buffer[index]) { index &+= 1 }
                guard index < limit else { return .needMore }
            }
            guard buffer[index] == ByteClass.colon else {
                guard let lineEnd = skipInvalidLine(buffer, from: nameStart, limit: limit, head: &head) else { return .needMore }
                index = lineEnd
                continue
            }
            index &+= 1
            while index < limit && ByteClass.isWhitespace(buffer[index]) { index &+= 1 }
            let (lineEnd, valueEnd) = scanValue(buffer, from: index, limit: limit, head: &head)
            guard lineEnd >= 0 else { return lineEnd == Self.lineNeedsMore ? .needMore : .failed(.invalidHeader, nameStart) }
            guard head.headers.count < limits.maxHeaders else { return .failed(.tooManyHeaders(limit: limits.maxHeaders), nameStart) }
            head.headers.append(HTTPHeaderField(name: nameStart..<nameEnd, value: index..<max(index, valueEnd)))
            index = lineEnd &+ 1
        }
        head.headLength = index
        HeaderSemantics.apply(buffer, to: &head)
        return .complete(index)
    }

    /// `scanValue` line-end marker: the line is not complete within the limit.
    static let lineNeedsMore = -1
    /// Skips a header line that is not `name: value`, flagging it; returns the next line's start, or
    /// nil when its LF is not within `limit` yet.
    @inline(__always)
    private static func skipInvalidLine(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, limit: Int, head: inout HTTPHead) -> Int? {
        guard let lf = ByteClass.find(ByteClass.lf, in: buffer, from: from, to: limit) else { return nil }
        head.anomalies.insert(.invalidHeaderLine)
        return lf &+ 1
    }

    /// `scanValue` line-end marker: the line holds a control byte or a bare CR.
    static let lineInvalid = -2

    /// Finds the end of a value starting at `from`: the LF's index and the end of the trimmed value,
    /// or a negative marker (``lineNeedsMore``, ``lineInvalid``) as the first element.
    @inline(__always)
    private static func scanValue(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, limit: Int,
                                  head: inout HTTPHead) -> (Int, Int) {
        var index = from
        var valueEnd: Int
        while true {
            index = ByteClass.firstControl(in: buffer, from: index, to: limit)
            guard index < limit else { return (lineNeedsMore, 0) }
            let byte = buffer[index]
            if byte == ByteClass.tab {
                index &+= 1
                continue
            }
            if byte == ByteClass.lf {
                head.anomalies.insert(.bareLF)
                valueEnd = index
                break
            }
            guard byte == ByteClass.cr else {
                // NUL and the other controls are flagged and kept (shown escaped), not refused.
                head.anomalies.insert(.controlCharacters)
                index &+= 1
                continue
            }
            guard index &+ 1 < limit else { return (lineNeedsMore, 0) }
            guard buffer[index &+ 1] == ByteClass.lf else { return (lineInvalid, 0) }
            valueEnd = index
            index &+= 1
            break
        }
        while valueEnd > from && ByteClass.isWhitespace(buffer[valueEnd &- 1]) { valueEnd &-= 1 }
        return (index, valueEnd)
    }

    /// Finds the end of a head in `buffer[from..<to]`: the index just past the empty line that ends it.
    ///
    /// `lineStart` is where the search may assume a line begins (the head's first byte); an empty line is
    /// an LF (optionally preceded by CR) that directly follows another LF.
    @inline(__always)
    static func findHeadEnd(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        var index = from
        while let lf = ByteClass.find(ByteClass.lf, in: buffer, from: index, to: to) {
            let next = lf &+ 1
            if next < to {
                let byte = buffer[next]
                if byte == ByteClass.lf { return next &+ 1 }
                if byte == ByteClass.cr && next &+ 1 < to && buffer[next &+ 1] == ByteClass.lf { return next &+ 2 }
            }
            index = next
        }
        return nil
    }

    /// Whether a too-long first line still reads as the start of an HTTP message (so it is reported, not ignored).
    static func looksLikeStart(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool {
        if hasHTTPPrefix(buffer, at: from, end: to) { return true }
        return KnownMethod.length(buffer, at: from, end: to) != nil
    }

    /// A strict check used while resynchronising: `HTTP/1.d ddd` or a well-known method, SP and a target byte.
    static func plausibleStart(_ buffer: UnsafeBufferPointer<UInt8>, at: Int, end: Int, kind: HTTPMessageKind?) -> Bool {
        if kind != .request, hasHTTPPrefix(buffer, at: at, end: end), at &+ 12 <= end {
            return buffer[at &+ 5] == 0x31 && buffer[at &+ 6] == 0x2E && ByteClass.isDigit(buffer[at &+ 7])
                && buffer[at &+ 8] == ByteClass.space && ByteClass.isDigit(buffer[at &+ 9])
                && ByteClass.isDigit(buffer[at &+ 10]) && ByteClass.isDigit(buffer[at &+ 11])
        }
        if kind != .response, let length = KnownMethod.length(buffer, at: at, end: end), at &+ length &+ 1 < end {
            let target = buffer[at &+ length &+ 1]
            guard target == 0x2F || target == 0x2A || (ByteClass.lowercased(target) &- 0x61 < 26) else { return false }
            // When the whole line is here, it must also end like a request line (text bodies quote methods too).
            guard let lf = ByteClass.find(ByteClass.lf, in: buffer, from: at, to: min(end, at &+ 8192)) else { return true }
            let lineEnd = lf > at && buffer[lf &- 1] == ByteClass.cr ? lf &- 1 : lf
            return endsWithVersion(buffer, end: lineEnd)
        }
        return false
    }
}
