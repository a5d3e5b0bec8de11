// The chunked transfer coding (RFC 9112 §7.1), decoded incrementally a byte or a data run at a time.

extension HTTPStreamParser {
    /// Advances through chunked framing from `index`; returns where the caller continues.
    ///
    /// Chunk data is handed on as slices of the segment; only the small framing lines are walked bytewise.
    mutating func continueChunked<Handler: HTTPConnectionHandler>(_ start: ChunkState, _ bytes: Span<UInt8>, from index: Int,
                                                                 at: HTTPPosition, shared: inout ConnectionState,
                                                                 handler: inout Handler) -> Int {
        let count = bytes.count
        var chunkState = start
        var index = index
        while index < count {
            if chunkState == .data {
                let take = Int(min(UInt64(count &- index), bodyRemaining))
                if take > 0 {
                    handler.messageBody(bytes.extracting(index..<(index &+ take)), info: info)
                    bodyRemaining &-= UInt64(take)
                    bodyBytes &+= UInt64(take)
                    index &+= take
                }
                if bodyRemaining == 0 { chunkState = .dataCR }
                continue
            }
            let byte = bytes[index]
            let position = at.advanced(by: index)
            index &+= 1
            switch chunkState {
            case .size:
                if let digit = ByteClass.hexValue(byte) {
                    chunkDigits &+= 1
                    // Sixteen hex digits fill 64 bits; refuse before shifting anything out.
                    guard chunkDigits <= limits.maxChunkSizeDigits, bodyRemaining >> 60 == 0 else {
                        abandon(.chunkSizeTooLarge, at: position, shared: &shared, handler: &handler)
                        return index
                    }
                    bodyRemaining = bodyRemaining << 4 | digit
                    continue
                }
                guard chunkDigits > 0 else {
                    abandon(.invalidChunkSize, at: position, shared: &shared, handler: &handler)
                    return index
                }
                switch byte {
                case ByteClass.space, ByteClass.tab: chunkState = .sizeWhitespace
                case 0x3B: chunkState = .sizeExtension
                case ByteClass.cr: chunkState = .sizeLF
                case ByteClass.lf:
                    shared.counters.bareLF &+= 1
                    chunkState = endOfSizeLine()
                default:
                    abandon(.invalidChunkSize, at: position, shared: &shared, handler: &handler)
                    return index
                }
            case .sizeWhitespace:
                // Whitespace after the size is not in the grammar but common (http-parser accepts it).
                switch byte {
                case ByteClass.space, ByteClass.tab: break
                case 0x3B: chunkState = .sizeExtension
                case ByteClass.cr: chunkState = .sizeLF
                case ByteClass.lf:
                    shared.counters.bareLF &+= 1
                    chunkState = endOfSizeLine()
                default:
                    abandon(.invalidChunkSize, at: position, shared: &shared, handler: &handler)
                    return index
                }
            case .sizeExtension:
                framingBytes &+= 1
                if byte == ByteClass.cr {
                    chunkState = .sizeLF
                } else if byte == ByteClass.lf {
                    shared.counters.bareLF &+= 1
                    chunkState = endOfSizeLine()
                } else if ByteClass.isForbiddenControl(byte) || framingBytes > limits.maxChunkExtensionBytes {
                    abandon(.invalidChunkExtension, at: position, shared: &shared, handler: &handler)
                    return index
                }
            case .sizeLF:
                guard byte == ByteClass.lf else {
                    abandon(.invalidChunkSize, at: position, shared: &shared, handler: &handler)
                    return index
                }
                chunkState = endOfSizeLine()
            case .dataCR:
                if byte == ByteClass.cr {
                    chunkState = .dataLF
                } else if byte == ByteClass.lf {
                    shared.counters.bareLF &+= 1
                    chunkState = startNextChunk()
                } else {
                    abandon(.invalidChunkData, at: position, shared: &shared, handler: &handler)
                    return index
                }
            case .dataLF:
                guard byte == ByteClass.lf else {
                    abandon(.invalidChunkData, at: position, shared: &shared, handler: &handler)
                    return index
                }
                chunkState = startNextChunk()
            case .trailerLineStart:
                if byte == ByteClass.cr {
                    chunkState = .trailerFinalLF
                } else if byte == ByteClass.lf {
                    shared.counters.bareLF &+= 1
                    state = .chunk(chunkState)
                    endMessage(gapBytes > 0 ? .incomplete(gapBytes: gapBytes) : .complete, at: at.advanced(by: index),
                               shared: &shared, handler: &handler)
                    return index
                } else if ByteClass.isToken(byte) {
                    framingBytes &+= 1
                    chunkState = .trailerLine
                } else {
                    abandon(.invalidTrailer, at: position, shared: &shared, handler: &handler)
                    return index
                }
            case .trailerLine:
                framingBytes &+= 1
                guard framingBytes <= limits.maxHeadBytes else {
                    abandon(.invalidTrailer, at: position, shared: &shared, handler: &handler)
                    return index
                }
                if byte == ByteClass.lf { chunkState = .trailerLineStart }
            case .trailerFinalLF:
                guard byte == ByteClass.lf else {
                    abandon(.invalidTrailer, at: position, shared: &shared, handler: &handler)
                    return index
                }
                state = .chunk(chunkState)
                endMessage(gapBytes > 0 ? .incomplete(gapBytes: gapBytes) : .complete, at: at.advanced(by: index),
                           shared: &shared, handler: &handler)
                return index
            case .data:
                break
            }
        }
        state = .chunk(chunkState)
        return index
    }

    /// After a chunk-size line: the zero chunk starts the trailer section, any other size its data.
    private mutating func endOfSizeLine() -> ChunkState {
        framingBytes = 0
        chunkDigits = 0
        return bodyRemaining == 0 ? .trailerLineStart : .data
    }

    /// After a chunk's data and CRLF.
    private mutating func startNextChunk() -> ChunkState {
        bodyRemaining = 0
        chunkDigits = 0
        framingBytes = 0
        return .size
    }
}
