// Accepting one segment's payload: in order, retransmitted, early, truncated, probing.

extension HalfStream {
    /// How far ahead of the next expected byte a segment may start before it is taken as bogus.
    /// Real senders stay within the receive window (at most 1 GiB with window scaling).
    static let maximumLead: Int64 = 1 << 30

    /// Takes one segment's payload at stream offset `start` (relative offsets may be negative: bytes
    /// before offset 0 were never part of what we track) and reports what it did.
    mutating func receive<H: TCPStreamHandler>(start relativeStart: Int64, payload: Span<UInt8>, wireLength: Int,
                                               peerAdvertisedZeroWindow: Bool, context: DeliveryContext,
                                               handler: inout H, statistics: inout ReassemblyStatistics,
                                               limits: ReassemblyLimits) -> SegmentDisposition {
        let next = Int64(bitPattern: nextOffset)
        let captured = min(payload.count, wireLength)
        // Common case first: the next bytes, nothing held, nothing odd.
        if relativeStart == next && held.isEmpty && !probePending && !peerAdvertisedZeroWindow && captured == wireLength
            && nextOffset &+ UInt64(wireLength) <= finOffset {
            lastDataStart = nextOffset
            lastDataLength = Int32(truncatingIfNeeded: wireLength)
            emitData(payload, frame: context.frame, time: context.time, context: context,
                     handler: &handler, statistics: &statistics)
            return .delivered
        }
        if wireLength <= 1 && relativeStart == next - 1 && next > 0 {
            statistics.keepAlives &+= 1
            return .keepAlive
        }
        if relativeStart - next > Self.maximumLead || relativeStart + Int64(wireLength) < next - Self.maximumLead {
            statistics.ignored &+= 1
            return .ignored
        }
        if wireLength == 1 && captured == 1 && relativeStart == next && peerAdvertisedZeroWindow {
            probePending = true
            probeByte = payload[0]
            statistics.zeroWindowProbes &+= 1
            return .zeroWindowProbe
        }
        // Trim what lies before offset 0 or at/after the FIN; neither is part of the stream.
        var skip = 0
        if relativeStart < 0 {
            let before = -relativeStart
            guard before < Int64(wireLength) else { return retransmitted(start: 0, wireLength: 0, statistics: &statistics) }
            skip = Int(before)
        }
        let start = UInt64(relativeStart + Int64(skip))
        var end = UInt64(relativeStart + Int64(wireLength))
        var capturedEnd = start &+ UInt64(max(0, captured - skip))
        if end > finOffset {
            guard start < finOffset else { statistics.ignored &+= 1; return .ignored }
            end = finOffset
            capturedEnd = min(capturedEnd, finOffset)
        }
        if end <= nextOffset {
            return retransmitted(start: start, wireLength: wireLength, statistics: &statistics)
        }
        lastDataStart = start
        lastDataLength = Int32(truncatingIfNeeded: wireLength)
        // A segment right after an unacknowledged probe byte means the receiver took the probe.
        if start == nextOffset &+ 1 && probePending {
            let probe: InlineArray<1, UInt8> = [probeByte]
            probePending = false
            emitData(probe.span, frame: context.frame, time: context.time, context: context,
                     handler: &handler, statistics: &statistics)
        }
        // The first copy of any byte wins; count differences against held bytes.
        let conflicts = countConflicts(start: start, capturedEnd: capturedEnd, payload: payload, skip: skip)
        if conflicts > 0 {
            statistics.overlapConflicts &+= 1
            statistics.overlapConflictBytes &+= UInt64(conflicts)
        }
        if start > nextOffset {
            makeRoom(start: start, end: end, capturedEnd: capturedEnd, context: context,
                     handler: &handler, statistics: &statistics, limits: limits)
        }
        if start > nextOffset {
            let covered = hold(start: start, end: end, capturedEnd: capturedEnd, payload: payload, skip: skip,
                               context: context, statistics: &statistics, limits: limits)
            if conflicts > 0 { return .overlapConflict }
            if covered { statistics.duplicates &+= 1; return .duplicate }
            statistics.outOfOrder &+= 1
            return .heldOutOfOrder
        }
        deliverInOrder(start: start, end: end, capturedEnd: capturedEnd, payload: payload, skip: skip,
                       context: context, handler: &handler, statistics: &statistics, limits: limits)
        return conflicts > 0 ? .overlapConflict : .delivered
    }

    /// Nothing that `Connection.deliverPredicted` would have to handle: offset 0 known, nothing held,
    /// no probe, no FIN, no grace pending and no acknowledged hole waiting for one. (After `settle`, a
    /// pending grace implies one of the last two; it is checked anyway, so the condition reads as
    /// `settleHalf`'s own.)
    var isIdleForPrediction: Bool {
        baseKnown && held.isEmpty && !probePending && finOffset == .max && pendingDue == .max
            && acknowledgedOffset <= nextOffset
    }

    /// `handle`'s plainest course for the next bytes of this direction, in its order: the sender's
    /// window noted, then `receive`'s first branch.
    @inline(__always)
    mutating func deliverPredicted<H: TCPStreamHandler>(_ segment: TCPSegment, payload: Span<UInt8>, stream: Int,
                                                        direction: StreamDirection, handler: inout H,
                                                        statistics: inout ReassemblyStatistics) {
        advertisedZeroWindow = segment.window == 0
        statistics.dataSegments &+= 1
        lastDataStart = nextOffset
        lastDataLength = Int32(truncatingIfNeeded: segment.payloadWireLength)
        let context = DeliveryContext(stream: stream, direction: direction, frame: segment.frame, time: segment.time)
        emitData(payload, frame: segment.frame, time: segment.time, context: context, handler: &handler,
                 statistics: &statistics)
    }

    private mutating func retransmitted(start: UInt64, wireLength: Int,
                                        statistics: inout ReassemblyStatistics) -> SegmentDisposition {
        if start == lastDataStart && Int32(truncatingIfNeeded: wireLength) == lastDataLength {
            statistics.duplicates &+= 1
            return .duplicate
        }
        lastDataStart = start
        lastDataLength = Int32(truncatingIfNeeded: wireLength)
        statistics.retransmissions &+= 1
        return .retransmission
    }

    /// Hands over `[nextOffset, end)` from the segment, interleaving held chunks that were there first.
    private mutating func deliverInOrder<H: TCPStreamHandler>(start: UInt64, end: UInt64, capturedEnd: UInt64,
                                                              payload: Span<UInt8>, skip: Int,
                                                              context: DeliveryContext, handler: inout H,
                                                              statistics: inout ReassemblyStatistics,
                                                              limits: ReassemblyLimits) {
        // Each pass either drains a held chunk or advances nextOffset to `limit` > nextOffset.
        while true {
            drainHeld(context: context, handler: &handler, statistics: &statistics, limits: limits)
            guard end > nextOffset else { break }
            let limit = min(end, held.first?.offset ?? end)
            let dataLimit = min(limit, capturedEnd)
            if dataLimit > nextOffset {
                let from = skip + Int(nextOffset - start)
                let to = skip + Int(dataLimit - start)
                emitData(payload.extracting(from..<to), frame: context.frame, time: context.time,
                         context: context, handler: &handler, statistics: &statistics)
            }
            if limit > nextOffset {
                emitGap(to: limit, reason: .snaplenTruncated, frame: context.frame, time: context.time,
                        context: context, handler: &handler, statistics: &statistics)
            }
        }
    }

    /// The index of the first held chunk ending after `offset` (chunks are sorted and disjoint, so their
    /// ends are sorted too); binary search keeps floods of tiny early segments from costing O(n) each.
    func firstHeldChunk(endingAfter offset: UInt64) -> Int {
        var low = 0, high = held.count
        while low < high {
            let middle = (low + high) / 2
            if held[middle].end > offset { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Bytes of the segment that differ from held bytes at the same offsets.
    private func countConflicts(start: UInt64, capturedEnd: UInt64, payload: Span<UInt8>, skip: Int) -> Int {
        guard !held.isEmpty, capturedEnd > start else { return 0 }
        var conflicts = 0
        var index = firstHeldChunk(endingAfter: start)
        while index < held.count && held[index].offset < capturedEnd {
            let chunk = held[index]
            index += 1
            guard !chunk.isTruncation else { continue }
            let from = max(start, chunk.offset), to = min(capturedEnd, chunk.end)
            var offset = from
            while offset < to {
                if payload[skip + Int(offset - start)] != chunk.bytes[Int(offset - chunk.offset)] { conflicts += 1 }
                offset += 1
            }
        }
        return conflicts
    }

    /// Declares holes gaps until holding `[start, end)` fits both budgets, or the segment is next in line.
    private mutating func makeRoom<H: TCPStreamHandler>(start: UInt64, end: UInt64, capturedEnd: UInt64,
                                                        context: DeliveryContext, handler: inout H,
                                                        statistics: inout ReassemblyStatistics, limits: ReassemblyLimits) {
        while start > nextOffset {
            // Recomputed after each forced hole: draining held chunks changes what the segment would add.
            let cost = holdCost(start: start, end: end, capturedEnd: capturedEnd, limits: limits)
            guard heldCost + cost > limits.maxBufferedBytesPerDirection
                || statistics.bufferedBytes + cost > limits.maxBufferedBytes else { return }
            forceFirstHole(upTo: start, reason: .holdBudget, context: context, handler: &handler,
                           statistics: &statistics, limits: limits)
        }
    }

    /// Exactly what `hold` would charge for `[start, end)`: the captured bytes not held yet plus one
    /// overhead per piece. A segment spanning several holes between held chunks makes several pieces;
    /// counting it as one let the total pass its budget by a few overheads (found by FuzzReassembly).
    private func holdCost(start: UInt64, end: UInt64, capturedEnd: UInt64, limits: ReassemblyLimits) -> Int {
        var cost = 0
        func pieces(from: UInt64, to: UInt64) {
            let dataEnd = min(to, capturedEnd)
            if dataEnd > from { cost += Int(dataEnd - from) + limits.chunkOverhead }
            if to > max(from, capturedEnd) { cost += limits.chunkOverhead }
        }
        var cursor = start
        var index = firstHeldChunk(endingAfter: start)
        while index < held.count && held[index].offset < end {
            if held[index].offset > cursor { pieces(from: cursor, to: held[index].offset) }
            cursor = max(cursor, held[index].end)
            index += 1
        }
        if cursor < end { pieces(from: cursor, to: end) }
        return cost
    }

    /// Copies the parts of `[start, end)` not already held; returns true when nothing was new.
    private mutating func hold(start: UInt64, end: UInt64, capturedEnd: UInt64, payload: Span<UInt8>, skip: Int,
                               context: DeliveryContext, statistics: inout ReassemblyStatistics,
                               limits: ReassemblyLimits) -> Bool {
        // Only chunks first..<last overlap the segment; new pieces go into the holes between them.
        let first = firstHeldChunk(endingAfter: start)
        var last = first
        var merged: [HeldChunk] = []
        var cursor = start
        var added = false
        while last < held.count && held[last].offset < end {
            let chunk = held[last]
            if chunk.offset > cursor {
                added = appendPieces(from: cursor, to: chunk.offset, start: start, capturedEnd: capturedEnd,
                                     payload: payload, skip: skip, context: context, into: &merged,
                                     statistics: &statistics, limits: limits) || added
            }
            merged.append(chunk)
            cursor = max(cursor, chunk.end)
            last += 1
        }
        if cursor < end {
            added = appendPieces(from: cursor, to: end, start: start, capturedEnd: capturedEnd, payload: payload,
                                 skip: skip, context: context, into: &merged, statistics: &statistics,
                                 limits: limits) || added
        }
        guard added else { return true }
        if held.isEmpty { holeSince = context.time }
        held.replaceSubrange(first..<last, with: merged)
        statistics.peakBufferedBytes = max(statistics.peakBufferedBytes, statistics.bufferedBytes)
        return false
    }

    /// Appends held pieces for `[from, to)`: captured bytes as data, the uncaptured rest as a known hole.
    /// Returns true when it appended anything, after charging the budgets.
    private mutating func appendPieces(from: UInt64, to: UInt64, start: UInt64, capturedEnd: UInt64,
                                       payload: Span<UInt8>, skip: Int, context: DeliveryContext,
                                       into pieces: inout [HeldChunk], statistics: inout ReassemblyStatistics,
                                       limits: ReassemblyLimits) -> Bool {
        var added = false
        let dataEnd = min(to, capturedEnd)
        if dataEnd > from {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(dataEnd - from))
            let base = skip + Int(from - start)
            for index in base..<(base + Int(dataEnd - from)) { bytes.append(payload[index]) }
            pieces.append(HeldChunk(offset: from, length: dataEnd - from, bytes: bytes, isTruncation: false,
                                    frame: context.frame, time: context.time))
            charge(bytes.count + limits.chunkOverhead, statistics: &statistics)
            added = true
        }
        let gapStart = max(from, capturedEnd)
        if to > gapStart {
            pieces.append(HeldChunk(offset: gapStart, length: to - gapStart, bytes: [], isTruncation: true,
                                    frame: context.frame, time: context.time))
            charge(limits.chunkOverhead, statistics: &statistics)
            added = true
        }
        return added
    }

    private mutating func charge(_ cost: Int, statistics: inout ReassemblyStatistics) {
        heldCost += cost
        statistics.bufferedBytes += cost
    }
}
