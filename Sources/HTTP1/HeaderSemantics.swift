// Derives framing facts from header fields: Content-Length, Transfer-Encoding, Connection, Expect, Upgrade.

/// Reads the headers that decide framing and persistence (RFC 9112 §6, §9; RFC 9110 §7.8, §8.6, §10.1.1).
enum HeaderSemantics {
    /// Fills the head's framing facts and anomalies from its header ranges.
    static func apply(_ buffer: UnsafeBufferPointer<UInt8>, to head: inout HTTPHead) {
        var contentLengthSeen = false
        var keepAliveToken = false
        var upgradeToken = false
        var upgradeHeader = false
        for field in head.headers {
            let name = field.name
            // One byte rules out most headers before any full comparison.
            switch ByteClass.lowercased(buffer[name.lowerBound]) {
            case 0x68, 0x65, 0x75, 0x63, 0x70, 0x74: break    // h e u c p t
            default: continue
            }
            switch name.count {
            case 4 where ByteClass.equalsLowercase(buffer, at: name.lowerBound, count: 4, "host"):
                if head.host == nil { head.host = field.value } else { head.anomalies.insert(.duplicateHost) }
            case 6 where ByteClass.equalsLowercase(buffer, at: name.lowerBound, count: 6, "expect"):
                if ByteClass.equalsLowercase(buffer, at: field.value.lowerBound, count: field.value.count, "100-continue") {
                    head.expectContinue = true
                }
            case 7 where ByteClass.equalsLowercase(buffer, at: name.lowerBound, count: 7, "upgrade"):
                upgradeHeader = true
            case 10 where ByteClass.equalsLowercase(buffer, at: name.lowerBound, count: 10, "connection"),
                 16 where ByteClass.equalsLowercase(buffer, at: name.lowerBound, count: 16, "proxy-connection"):
                forEachToken(buffer, in: field.value) { start, count in
                    if ByteClass.equalsLowercase(buffer, at: start, count: count, "close") { head.connectionClose = true }
                    if ByteClass.equalsLowercase(buffer, at: start, count: count, "keep-alive") { keepAliveToken = true }
                    if ByteClass.equalsLowercase(buffer, at: start, count: count, "upgrade") { upgradeToken = true }
                }
            case 14 where ByteClass.equalsLowercase(buffer, at: name.lowerBound, count: 14, "content-length"):
                applyContentLength(buffer, field.value, seen: &contentLengthSeen, head: &head)
            case 17 where ByteClass.equalsLowercase(buffer, at: name.lowerBound, count: 17, "transfer-encoding"):
                applyTransferEncoding(buffer, field.value, head: &head)
            default:
                break
            }
        }
        if head.hasTransferEncoding && (contentLengthSeen || head.contentLengthInvalid) {
            head.anomalies.insert(.contentLengthWithTransferEncoding)
        }
        if head.hasTransferEncoding && head.version == .http10 {
            head.anomalies.insert(.transferEncodingInHTTP10)
        }
        head.upgrade = upgradeHeader && upgradeToken
        if head.version.major == 1 && head.version.minor >= 1 {
            head.keepAlive = !head.connectionClose
        } else {
            head.keepAlive = keepAliveToken && !head.connectionClose
        }
    }

    /// Content-Length: decimal digits, possibly a comma list of equal values (RFC 9110 §8.6).
    private static func applyContentLength(_ buffer: UnsafeBufferPointer<UInt8>, _ value: Range<Int>, seen: inout Bool,
                                           head: inout HTTPHead) {
        var valid = true
        var parsedAny = false
        forEachToken(buffer, in: value, emptyTokens: { valid = false }) { start, count in
            var number: UInt64 = 0
            for index in start..<(start &+ count) {
                let byte = buffer[index]
                guard ByteClass.isDigit(byte) else { valid = false; return }
                let (times, overflowTimes) = number.multipliedReportingOverflow(by: 10)
                let (sum, overflowSum) = times.addingReportingOverflow(UInt64(byte &- 0x30))
                guard !overflowTimes, !overflowSum else { valid = false; return }
                number = sum
            }
            parsedAny = true
            if seen || head.contentLength != nil {
                if let first = head.contentLength, first != number {
                    head.anomalies.insert(.conflictingContentLength)
                } else {
                    head.anomalies.insert(.duplicateContentLength)
                }
            }
            if head.contentLength == nil { head.contentLength = number }
            seen = true
        }
        if !valid || !parsedAny {
            head.contentLengthInvalid = true
            head.contentLength = nil
        }
    }

    /// Transfer-Encoding: a coding list; the body is chunked only if chunked is the final coding (RFC 9112 §6.1).
    private static func applyTransferEncoding(_ buffer: UnsafeBufferPointer<UInt8>, _ value: Range<Int>, head: inout HTTPHead) {
        head.hasTransferEncoding = true
        var lastIsChunked = false
        var unknown = false
        forEachToken(buffer, in: value) { start, count in
            // Parameters (";q=…") do not change the coding's name.
            var nameCount = 0
            while nameCount < count && ByteClass.isToken(buffer[start &+ nameCount]) { nameCount &+= 1 }
            // Anything after the name other than parameters (e.g. a folded continuation) makes it another coding.
            var rest = start &+ nameCount
            while rest < start &+ count && ByteClass.isWhitespace(buffer[rest]) { rest &+= 1 }
            let clean = rest == start &+ count || buffer[rest] == 0x3B
            let isChunked = clean && ByteClass.equalsLowercase(buffer, at: start, count: nameCount, "chunked")
            if lastIsChunked { unknown = true }    // chunked applied twice, or something after chunked
            lastIsChunked = isChunked
            if !clean { unknown = true }
            if !isChunked && !ByteClass.equalsLowercase(buffer, at: start, count: nameCount, "gzip")
                && !ByteClass.equalsLowercase(buffer, at: start, count: nameCount, "x-gzip")
                && !ByteClass.equalsLowercase(buffer, at: start, count: nameCount, "deflate")
                && !ByteClass.equalsLowercase(buffer, at: start, count: nameCount, "compress")
                && !ByteClass.equalsLowercase(buffer, at: start, count: nameCount, "identity") {
                unknown = true
            }
        }
        // A later Transfer-Encoding header continues the list, so its last coding decides.
        head.isChunked = lastIsChunked
        if unknown || !lastIsChunked { head.anomalies.insert(.unknownTransferEncoding) }
    }

    /// Calls `body` with each comma-separated, whitespace-trimmed, non-empty element of `value`.
    @inline(__always)
    private static func forEachToken(_ buffer: UnsafeBufferPointer<UInt8>, in value: Range<Int>,
                                     emptyTokens: () -> Void = {}, _ body: (Int, Int) -> Void) {
        guard value.upperBound <= buffer.count else { return }
        var index = value.lowerBound
        while index <= value.upperBound {
            var end = index
            while end < value.upperBound && buffer[end] != 0x2C { end &+= 1 }
            var start = index
            var stop = end
            while start < stop && ByteClass.isWhitespace(buffer[start]) { start &+= 1 }
            while stop > start && ByteClass.isWhitespace(buffer[stop &- 1]) { stop &-= 1 }
            if stop > start { body(start, stop &- start) } else { emptyTokens() }
            index = end &+ 1
        }
    }
}
