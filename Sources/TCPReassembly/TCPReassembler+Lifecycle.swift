// Connection lifetime: activity order, timers, idle expiry, eviction, end of input.

extension TCPReassembler {
    /// Expires holds, idle connections and lingering closed connections whose capture-time deadline has
    /// passed. Costs two comparisons when nothing is due, so it can run for every packet.
    @inline(__always)
    public mutating func advanceTime(to time: Int64, handler: inout Handler) {
        if time > now { now = time }
        if timers.earliest <= now
            || (oldest >= 0 && connections[Int(oldest)].lastTime &+ limits.idleTimeout <= now) {
            expireDue(handler: &handler)
        }
    }

    /// The slow half of `advanceTime`: something is due.
    @inline(never)
    mutating func expireDue(handler: inout Handler) {
        while timers.earliest <= now, let entry = timers.popFirst() {
            fireTimer(entry, handler: &handler)
        }
        while oldest >= 0 {
            let index = Int(oldest)
            guard connections[index].lastTime &+ limits.idleTimeout <= now else { break }
            if !connections[index].isClosed { statistics.connectionsExpired &+= 1 }
            retire(index, reason: .idleTimeout, gapReason: .closed, frame: connections[index].lastFrame,
                   time: now, handler: &handler)
        }
    }

    /// End of input: pending and remaining holes become gaps, held bytes are delivered, and every
    /// connection still open is closed, in stream-number order. The reassembler is empty afterwards.
    public mutating func finish(handler: inout Handler) {
        // Only connections still open have anything left to say (`abort` returns at once for a closed
        // one), and the table is dropped whole afterwards rather than key by key: on `nginx-busy`,
        // whose 21,000 connections all still linger at the end, sorting and removing each one cost
        // 19 M instructions while the HTTP thread had nothing to do (callgrind).
        var open: [(stream: Int, index: Int)] = []
        for index in connections.indices where connections[index].inUse && !connections[index].isClosed {
            open.append((connections[index].stream, index))
        }
        open.sort { $0.stream < $1.stream }
        let limits = self.limits
        for (_, index) in open {
            let time = max(now, connections[index].lastTime)
            connections[index].abort(reason: .endOfInput, gapReason: .endOfInput, frame: connections[index].lastFrame,
                                     time: time, handler: &handler, statistics: &statistics, limits: limits)
        }
        connections.removeAll()
        freeSlots.removeAll()
        rebuild(minimumCount: 0)   // with no connections left: the smallest empty table
        newest = -1
        oldest = -1
        cachedSlot = -1
        cachedKey = nil
        statistics.bufferedBytes = 0
        statistics.activeConnections = 0
        timers.removeAll()
        graceQueue.removeAll()
        graceHead = 0
    }

    /// Revisits connections whose reordering grace ran out with this packet, even if they went quiet.
    mutating func runDueGraces(handler: inout Handler) {
        let limits = self.limits
        while graceHead < graceQueue.count, UInt64(truncatingIfNeeded: graceQueue[graceHead].deadline) <= packetNumber {
            let entry = graceQueue[graceHead]
            graceHead += 1
            let index = Int(entry.slot)
            guard index < connections.count, connections[index].inUse, !connections[index].isClosed,
                  connections[index].generation == entry.generation else { continue }
            connections[index].settle(frame: connections[index].lastFrame, time: now, packetNumber: packetNumber,
                                      handler: &handler, statistics: &statistics, limits: limits)
            queueGraceIfArmed(index)
            armTimer(index)
        }
        // Drop the consumed prefix now and then, so the queue stays as long as the graces in flight.
        if graceHead >= 256 && graceHead * 2 >= graceQueue.count {
            graceQueue.removeFirst(graceHead)
            graceHead = 0
        }
    }

    private mutating func fireTimer(_ entry: TimerEntry, handler: inout Handler) {
        let index = Int(entry.slot)
        guard index < connections.count, connections[index].inUse,
              connections[index].generation == entry.generation,
              connections[index].armedDeadline == entry.deadline else { return }
        connections[index].armedDeadline = .max
        let limits = self.limits
        if connections[index].isClosed {
            if connections[index].closeTime &+ limits.closedLinger <= now {
                remove(index)
                return
            }
        } else {
            let frame = connections[index].lastFrame
            let stream = connections[index].stream
            let now = self.now
            for direction in [StreamDirection.clientToServer, .serverToClient] {
                guard let first = connections[index][half: direction].held.first,
                      connections[index][half: direction].holeSince &+ limits.holdTimeout <= now else { continue }
                let context = DeliveryContext(stream: stream, direction: direction, frame: frame, time: now)
                connections[index][half: direction].forceFirstHole(upTo: first.offset, reason: .holdTimeout,
                                                                   context: context, handler: &handler,
                                                                   statistics: &statistics, limits: limits)
            }
            connections[index].settle(frame: frame, time: now, packetNumber: packetNumber, handler: &handler,
                                      statistics: &statistics, limits: limits)
            queueGraceIfArmed(index)
        }
        armTimer(index)
    }

    /// Closes the connection (if still open) with `reason` and forgets it.
    mutating func retire(_ index: Int, reason: CloseReason, gapReason: GapReason, frame: UInt64, time: Int64,
                         handler: inout Handler) {
        let limits = self.limits
        connections[index].abort(reason: reason, gapReason: gapReason, frame: frame, time: time,
                                 handler: &handler, statistics: &statistics, limits: limits)
        remove(index)
    }

    /// Drops the slot from the table, the activity list and the cache, and frees its memory.
    mutating func remove(_ index: Int) {
        guard connections[index].inUse else { return }
        erase(connections[index].key)
        unlink(index)
        if cachedSlot == Int32(index) {
            cachedSlot = -1
            cachedKey = nil
        }
        for direction in [StreamDirection.clientToServer, .serverToClient] {
            statistics.bufferedBytes -= connections[index][half: direction].heldCost
            connections[index][half: direction] = HalfStream()
        }
        connections[index].synFrames = []
        connections[index].inUse = false
        connections[index].armedDeadline = .max
        freeSlots.append(Int32(index))
        statistics.activeConnections = tableCount
    }

    /// Marks the connection most recently active.
    @inline(__always)
    mutating func touch(_ index: Int) {
        guard newest != Int32(index) else { return }
        unlink(index)
        linkNewest(index)
    }

    mutating func linkNewest(_ index: Int) {
        connections[index].older = newest
        connections[index].newer = -1
        if newest >= 0 { connections[Int(newest)].newer = Int32(index) }
        newest = Int32(index)
        if oldest < 0 { oldest = Int32(index) }
    }

    mutating func unlink(_ index: Int) {
        let older = connections[index].older, newer = connections[index].newer
        if older >= 0 { connections[Int(older)].newer = newer } else if oldest == Int32(index) { oldest = newer }
        if newer >= 0 { connections[Int(newer)].older = older } else if newest == Int32(index) { newest = older }
        connections[index].older = -1
        connections[index].newer = -1
    }
}
