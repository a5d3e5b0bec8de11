// One direction of a connection: sequence bookkeeping, delivery, gaps, FIN and ACK state.

/// The receiving side's view of one direction's byte stream.
///
/// Offsets are 64-bit and relative to ISN+1 (or to the first sequence number seen mid-stream); raw
/// sequence numbers are only ever compared with a signed 32-bit difference against the next expected
/// byte, so wraparound at 2^32 is invisible. Everything below `nextOffset` has been reported exactly
/// once, as data or as a gap.
struct HalfStream {
    /// Whether `baseSeq` is set (a SYN, a SYN/ACK's ACK, or the first segment seen).
    var baseKnown = false
    /// The sequence number of stream offset 0.
    var baseSeq: UInt32 = 0
    /// Whether this direction's SYN was seen, and its ISN.
    var synSeen = false
    var isn: UInt32 = 0
    /// Whether `isn` is known (from this side's SYN, or from the peer's SYN/ACK acknowledging it).
    var isnKnown = false
    /// The next offset to report.
    var nextOffset: UInt64 = 0
    /// Early bytes, sorted by offset, never overlapping, all beyond `nextOffset`.
    var held: [HeldChunk] = []
    /// Budget charged for `held` (bytes plus per-chunk overhead).
    var heldCost = 0
    /// Capture time since which the first hole has been waiting.
    var holeSince: Int64 = 0
    /// Stream offset of the FIN (`.max` until one is seen); bytes at or beyond it are ignored.
    var finOffset: UInt64 = .max
    /// Whether `directionClosed` has been reported.
    var closed = false
    /// The highest offset the peer has acknowledged (only tracked past `nextOffset`).
    var acknowledgedOffset: UInt64 = 0
    /// The packet number (counted across all connections) after which a pending gap fires (`.max`: none),
    /// what fires, and up to where.
    var pendingDue: UInt64 = .max
    var pendingReason: GapReason = .acknowledgedPastHole
    var pendingEnd: UInt64 = 0
    /// The first ACK past `pendingEnd` seen while a grace runs (its end, and its packet number; 0 = none),
    /// so a second hole's grace counts from its own ACK rather than from when the first hole fired.
    var laterAckEnd: UInt64 = 0
    var laterAckPacket: UInt64 = 0
    /// The last window this direction's sender advertised was zero (so the peer may probe).
    var advertisedZeroWindow = false
    /// A zero-window probe byte sent at `nextOffset` (the only place a probe is taken), kept in case the
    /// receiver took it after all; dropped as soon as `nextOffset` moves.
    var probePending = false
    var probeByte: UInt8 = 0
    /// The previous data segment's length and start, to tell an exact duplicate from a retransmission.
    var lastDataLength: Int32 = 0
    var lastDataStart: UInt64 = .max
    /// Volume and first/FIN timing for `ConnectionInfo`; frame 0 means "not yet" (frames are 1-based),
    /// which keeps the per-connection record small (optionals would double these fields).
    var bytesDelivered: UInt64 = 0
    var firstDataFrameNumber: UInt64 = 0
    var firstDataTimeValue: Int64 = 0
    var finFrameNumber: UInt64 = 0
    var finTimeValue: Int64 = 0

    var firstDataFrame: UInt64? { firstDataFrameNumber == 0 ? nil : firstDataFrameNumber }
    var firstDataTime: Int64? { firstDataFrameNumber == 0 ? nil : firstDataTimeValue }
    var finFrame: UInt64? { finFrameNumber == 0 ? nil : finFrameNumber }
    var finTime: Int64? { finFrameNumber == 0 ? nil : finTimeValue }

    /// The stream offset of `sequence`, measured from the next expected byte (may be negative).
    @inline(__always)
    func relativeOffset(of sequence: UInt32) -> Int64 {
        let reference = baseSeq &+ UInt32(truncatingIfNeeded: nextOffset)
        return Int64(bitPattern: nextOffset) &+ Int64(Int32(bitPattern: sequence &- reference))
    }

    /// Sets offset 0 to `sequence` unless something has already been reported.
    mutating func setBase(_ sequence: UInt32) {
        guard nextOffset == 0, held.isEmpty else { return }
        baseSeq = sequence
        baseKnown = true
    }

    // MARK: Reporting

    @inline(__always)
    mutating func emitData<H: TCPStreamHandler>(_ bytes: Span<UInt8>, frame: UInt64, time: Int64,
                                                context: DeliveryContext, handler: inout H,
                                                statistics: inout ReassemblyStatistics) {
        let count = bytes.count
        guard count > 0 else { return }
        handler.streamData(bytes, stream: context.stream, direction: context.direction,
                           offset: nextOffset, frame: frame, time: time)
        nextOffset &+= UInt64(count)
        bytesDelivered &+= UInt64(count)
        statistics.deliveredBytes &+= UInt64(count)
        if firstDataFrameNumber == 0 { firstDataFrameNumber = frame; firstDataTimeValue = time }
        probePending = false
    }

    /// Reports `[nextOffset, end)` as missing; a pending zero-window probe byte at the hole's start is
    /// delivered first, since the receiver evidently accepted it.
    mutating func emitGap<H: TCPStreamHandler>(to end: UInt64, reason: GapReason, frame: UInt64, time: Int64,
                                               context: DeliveryContext, handler: inout H,
                                               statistics: inout ReassemblyStatistics) {
        if probePending && end > nextOffset {
            let probe: InlineArray<1, UInt8> = [probeByte]
            probePending = false
            emitData(probe.span, frame: frame, time: time, context: context, handler: &handler,
                     statistics: &statistics)
        }
        guard end > nextOffset else { return }
        let length = end - nextOffset
        handler.streamGap(stream: context.stream, direction: context.direction, offset: nextOffset,
                          length: length, reason: reason, frame: frame, time: time)
        nextOffset = end
        statistics.gaps &+= 1
        statistics.gapBytes &+= length
        switch reason {
        case .acknowledgedPastHole: statistics.acknowledgedGaps &+= 1
        case .holdTimeout: statistics.holdTimeoutGaps &+= 1
        case .holdBudget: statistics.bufferCapGaps &+= 1
        case .snaplenTruncated: statistics.snaplenGaps &+= 1
        case .closed, .endOfInput, .evicted: break
        }
        probePending = false
    }

    /// Delivers held chunks that now start at or before `nextOffset`; afterwards the first held chunk,
    /// if any, starts strictly beyond `nextOffset`.
    mutating func drainHeld<H: TCPStreamHandler>(context: DeliveryContext, handler: inout H,
                                                 statistics: inout ReassemblyStatistics,
                                                 limits: ReassemblyLimits) {
        var index = 0
        while index < held.count, held[index].offset <= nextOffset {
            let chunk = held[index]
            index += 1
            release(chunk, statistics: &statistics, limits: limits)
            guard chunk.end > nextOffset else { continue }
            if chunk.isTruncation {
                emitGap(to: chunk.end, reason: .snaplenTruncated, frame: chunk.frame, time: chunk.time,
                        context: context, handler: &handler, statistics: &statistics)
            } else {
                let skip = Int(nextOffset - chunk.offset)
                emitData(chunk.bytes.span.extracting(skip...), frame: chunk.frame, time: chunk.time,
                         context: context, handler: &handler, statistics: &statistics)
            }
        }
        if index > 0 {
            held.removeFirst(index)
            // The next hole starts waiting now: the one that was just filled was the one being timed.
            if !held.isEmpty { holeSince = context.time }
        }
    }

    /// Declares the first hole (bounded by `limit`) a gap and delivers what follows it.
    mutating func forceFirstHole<H: TCPStreamHandler>(upTo limit: UInt64, reason: GapReason,
                                                      context: DeliveryContext, handler: inout H,
                                                      statistics: inout ReassemblyStatistics,
                                                      limits: ReassemblyLimits) {
        let holeEnd = min(held.first?.offset ?? limit, limit)
        emitGap(to: holeEnd, reason: reason, frame: context.frame, time: context.time, context: context,
                handler: &handler, statistics: &statistics)
        drainHeld(context: context, handler: &handler, statistics: &statistics, limits: limits)
    }

    /// Declares every hole up to `end` a gap, delivering the held bytes between them.
    mutating func fillHoles<H: TCPStreamHandler>(upTo end: UInt64, reason: GapReason, context: DeliveryContext,
                                                 handler: inout H, statistics: inout ReassemblyStatistics,
                                                 limits: ReassemblyLimits) {
        // Each pass moves nextOffset forward by at least one byte, so this ends.
        while nextOffset < end {
            forceFirstHole(upTo: end, reason: reason, context: context, handler: &handler,
                           statistics: &statistics, limits: limits)
        }
    }

    /// Declares all holes gaps and delivers everything held (close, eviction, end of input).
    mutating func flushAll<H: TCPStreamHandler>(reason: GapReason, context: DeliveryContext, handler: inout H,
                                                statistics: inout ReassemblyStatistics, limits: ReassemblyLimits) {
        if pendingDue != .max {
            pendingDue = .max
            fillHoles(upTo: min(pendingEnd, finOffset), reason: pendingReason, context: context,
                      handler: &handler, statistics: &statistics, limits: limits)
        }
        if acknowledgedOffset > nextOffset {
            fillHoles(upTo: min(acknowledgedOffset, finOffset), reason: .acknowledgedPastHole, context: context,
                      handler: &handler, statistics: &statistics, limits: limits)
        }
        if let last = held.last {
            fillHoles(upTo: last.end, reason: reason, context: context, handler: &handler,
                      statistics: &statistics, limits: limits)
        }
    }

    mutating func release(_ chunk: HeldChunk, statistics: inout ReassemblyStatistics, limits: ReassemblyLimits) {
        let cost = chunk.bytes.count + limits.chunkOverhead
        heldCost -= cost
        statistics.bufferedBytes -= cost
    }

    /// Forgets held bytes at or beyond `end` (bytes after a FIN are not part of the stream).
    mutating func dropHeld(from end: UInt64, statistics: inout ReassemblyStatistics, limits: ReassemblyLimits) {
        while let last = held.last, last.end > end {
            if last.offset >= end {
                release(last, statistics: &statistics, limits: limits)
                held.removeLast()
            } else {
                let keep = Int(end - last.offset)
                let index = held.count - 1
                if !last.isTruncation {
                    let removed = last.bytes.count - keep
                    heldCost -= removed
                    statistics.bufferedBytes -= removed
                    held[index].bytes.removeLast(removed)
                }
                held[index].length = UInt64(keep)
                break
            }
        }
    }
}
