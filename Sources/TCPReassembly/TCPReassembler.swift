// The flow table and per-packet entry point of TCP stream reassembly.

/// Turns captured TCP segments into per-connection, per-direction ordered byte streams with explicit gaps.
///
/// One instance serves one pipeline (one thread). In-order payload goes to the handler straight from the
/// caller's span; only early segments are copied, into a store bounded per direction and in total.
/// Holes become gaps when the peer acknowledges past them (after `reorderGracePackets`), after
/// `holdTimeout`, when a budget is hit, at close and at `finish`, so a stream never stalls.
public struct TCPReassembler<Handler: TCPStreamHandler> {
    /// The caps and timeouts in force.
    public let limits: ReassemblyLimits
    /// Running totals.
    public internal(set) var statistics = ReassemblyStatistics()

    var connections: [Connection] = []
    var freeSlots: [Int32] = []
    /// Open-addressing flow table: 0 = empty, 1 = deleted, else hash tag << 32 | (slot + 2).
    var buckets = [UInt64](repeating: 0, count: 1_024)
    var tableCount = 0
    var tombstones = 0
    /// Per-instance hash seed, so crafted addresses cannot be aimed at one probe chain.
    let hashSeed = UInt64.random(in: 0...UInt64.max)
    /// Least-recently-active list ends (slot indices, -1 = empty).
    var newest: Int32 = -1
    var oldest: Int32 = -1
    var timers = TimerHeap()
    /// Packets processed so far; the clock of reordering graces.
    var packetNumber: UInt64 = 0
    /// Slots to revisit once a reordering grace has run out, in due order (graces all have the same length).
    var graceQueue: [TimerEntry] = []
    var graceHead = 0
    var nextStream = 0
    /// The latest capture time seen (time never runs backwards for expiry purposes).
    var now: Int64 = .min
    // Consecutive packets usually belong to the same connection; one remembered lookup skips hashing.
    var cachedKey: FlowKey?
    var cachedSlot: Int32 = -1
    /// Whether `process` may take header prediction's short path (`Connection.deliverPredicted`).
    /// It changes no outcome; tests and the fuzzer turn it off to compare.
    public var predictsHeaders = true
    /// Segments that took the short path.
    public internal(set) var predictedSegments: UInt64 = 0

    /// A reassembler with the given limits.
    public init(limits: ReassemblyLimits = .default) {
        self.limits = limits
    }

    /// Connections tracked right now, including closed ones lingering for late packets.
    public var connectionCount: Int { tableCount }

    /// Processes one captured segment; `payload` holds the captured payload bytes (possibly fewer than
    /// `segment.payloadWireLength`) and is only used during the call. Calls `advanceTime(to:)` first.
    @discardableResult
    public mutating func process(_ segment: TCPSegment, payload: Span<UInt8>, handler: inout Handler) -> SegmentResult {
        advanceTime(to: segment.time, handler: &handler)
        statistics.segments &+= 1
        packetNumber &+= 1
        let key = FlowKey(segment.source, segment.destination, vlan: segment.vlanKey)
        var slot = lookup(key)
        if slot >= 0 && predictsHeaders,
           let direction = connections[Int(slot)].deliverPredicted(segment, payload: payload, handler: &handler,
                                                                    statistics: &statistics) {
            // The rest of the long path, minus what the prediction's conditions make idle.
            let index = Int(slot)
            predictedSegments &+= 1
            touch(index)
            queueGraceIfArmed(index)
            armTimer(index)
            if graceHead < graceQueue.count { runDueGraces(handler: &handler) }
            return SegmentResult(stream: connections[index].stream, direction: direction, disposition: .delivered)
        }
        if slot >= 0 && segment.flags.contains(.syn) && !segment.flags.contains(.rst)
            && startsNewConnection(Int(slot), segment) {
            statistics.portReuses &+= 1
            retire(Int(slot), reason: .portReuse, gapReason: .closed, frame: segment.frame, time: segment.time,
                   handler: &handler)
            slot = -1
        }
        if slot < 0 { slot = open(segment, key: key, handler: &handler) }
        let index = Int(slot)
        touch(index)
        let direction: StreamDirection = connections[index].client == segment.source ? .clientToServer : .serverToClient
        let limits = self.limits
        let disposition = connections[index].handle(segment, payload: payload, direction: direction,
                                                    packetNumber: packetNumber, handler: &handler,
                                                    statistics: &statistics, limits: limits)
        queueGraceIfArmed(index)
        let result = SegmentResult(stream: connections[index].stream, direction: direction, disposition: disposition)
        armTimer(index)
        if graceHead < graceQueue.count { runDueGraces(handler: &handler) }
        return result
    }

    @inline(__always)
    mutating func lookup(_ key: FlowKey) -> Int32 {
        if cachedSlot >= 0, cachedKey == key { return cachedSlot }
        let slot = find(key)
        guard slot >= 0 else { return -1 }
        cachedKey = key
        cachedSlot = slot
        return slot
    }

    /// Whether a SYN on a tracked 4-tuple starts a new connection (port reuse), as Wireshark decides it:
    /// a SYN whose ISN differs from the one known, or a SYN/ACK with a new ISN after the old connection closed.
    func startsNewConnection(_ index: Int, _ segment: TCPSegment) -> Bool {
        let connection = connections[index]
        let direction: StreamDirection = connection.client == segment.source ? .clientToServer : .serverToClient
        let half = connection[half: direction]
        // A late SYN (captured after its connection's first packets) matches the stream's offset 0.
        let sameISN = (half.isnKnown && half.isn == segment.sequenceNumber)
            || (half.baseKnown && half.baseSeq == segment.sequenceNumber &+ 1)
        if segment.flags.contains(.ack) { return connection.isClosed && !sameISN }
        return !sameISN
    }

    /// Creates a connection for the first packet of a new flow, evicting the least recently active
    /// one when the table is full.
    mutating func open(_ segment: TCPSegment, key: FlowKey, handler: inout Handler) -> Int32 {
        while tableCount >= limits.maxConnections, oldest >= 0 {
            let victim = Int(oldest)
            if !connections[victim].isClosed { statistics.connectionsEvicted &+= 1 }
            retire(victim, reason: .evicted, gapReason: .evicted, frame: connections[victim].lastFrame,
                   time: now, handler: &handler)
        }
        let flags = segment.flags
        let sourceIsClient: Bool
        let fromHandshake: Bool
        if flags.contains(.syn) && !flags.contains(.rst) {
            sourceIsClient = !flags.contains(.ack)
            fromHandshake = true
        } else {
            sourceIsClient = Self.guessSourceIsClient(segment.source.port, segment.destination.port)
            fromHandshake = false
        }
        let client = sourceIsClient ? segment.source : segment.destination
        let server = sourceIsClient ? segment.destination : segment.source
        reserveTableSpace()
        let stream = nextStream
        nextStream += 1
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = Int(free)
            let generation = connections[slot].generation &+ 1
            connections[slot] = Connection(key: key, stream: stream, generation: generation, client: client,
                                           server: server, rolesFromHandshake: fromHandshake,
                                           frame: segment.frame, time: segment.time)
        } else {
            slot = connections.count
            connections.append(Connection(key: key, stream: stream, generation: 0, client: client, server: server,
                                          rolesFromHandshake: fromHandshake, frame: segment.frame,
                                          time: segment.time))
        }
        // The opening SYN or SYN/ACK is part of what the handler is told at open.
        if flags.contains(.syn) && !flags.contains(.rst) {
            if flags.contains(.ack) {
                connections[slot].synAckFrameNumber = segment.frame
                connections[slot].synAckTimeValue = segment.time
            } else {
                connections[slot].synFrames.append(segment.frame)
            }
        }
        insert(key, slot: slot)
        cachedKey = key
        cachedSlot = Int32(slot)
        linkNewest(slot)
        statistics.connectionsOpened &+= 1
        statistics.activeConnections = tableCount
        handler.connectionOpened(connections[slot].info)
        return Int32(slot)
    }

    /// Mid-stream role guess: a well-known port (< 1024) is the server's; failing that, an ephemeral port
    /// (≥ 32768) is the client's; failing that, the lower port is the server's; equal ports: the sender is the client.
    static func guessSourceIsClient(_ source: UInt16, _ destination: UInt16) -> Bool {
        let sourceWellKnown = source < 1024, destinationWellKnown = destination < 1024
        if sourceWellKnown != destinationWellKnown { return destinationWellKnown }
        let sourceEphemeral = source >= 32768, destinationEphemeral = destination >= 32768
        if sourceEphemeral != destinationEphemeral { return sourceEphemeral }
        if source != destination { return destination < source }
        return true
    }

    /// Queues a revisit of the slot for when the reordering grace it just armed runs out.
    @inline(__always)
    mutating func queueGraceIfArmed(_ index: Int) {
        guard connections[index].graceArmed else { return }
        connections[index].graceArmed = false
        let due = packetNumber &+ UInt64(limits.reorderGracePackets)
        graceQueue.append(TimerEntry(deadline: Int64(truncatingIfNeeded: due), slot: Int32(index),
                                     generation: connections[index].generation))
    }

    /// Queues a timer for the connection if it now needs attention earlier than already queued.
    @inline(__always)
    mutating func armTimer(_ index: Int) {
        let deadline = connections[index].deadline(limits: limits)
        guard deadline < connections[index].armedDeadline else { return }
        connections[index].armedDeadline = deadline
        timers.push(TimerEntry(deadline: deadline, slot: Int32(index), generation: connections[index].generation))
    }
}
