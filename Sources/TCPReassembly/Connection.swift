// One tracked connection: roles, both directions, handshake and close facts, table links.

/// A flow-table entry. Lives in the reassembler's slot array and is mutated in place.
struct Connection {
    var key: FlowKey
    var stream: Int
    /// Bumped each time the slot is reused, so stale timer entries can be recognised.
    var generation: UInt32
    /// Whether the client is `key.lower`; the endpoints themselves live only in the key.
    var clientIsLower: Bool
    var rolesFromHandshake: Bool
    var firstFrame: UInt64
    var firstTime: Int64
    var lastTime: Int64
    var lastFrame: UInt64
    var synFrames: [UInt64] = []
    /// First SYN/ACK and RST; frame 0 means "not seen" (frames are 1-based), keeping the entry small.
    var synAckFrameNumber: UInt64 = 0
    var synAckTimeValue: Int64 = 0
    var resetFrameNumber: UInt64 = 0
    var resetTimeValue: Int64 = 0
    var resetDirection: StreamDirection?
    var toServer = HalfStream()
    var toClient = HalfStream()
    /// Both directions closed and `connectionClosed` reported; the entry lingers for late packets.
    var isClosed = false
    var closeTime: Int64 = 0
    /// The earliest deadline already queued in the timer heap for this slot (`.max`: none).
    var armedDeadline: Int64 = .max
    /// Set when `settle` armed a reordering grace, so the reassembler queues a later look at this slot.
    var graceArmed = false
    /// Least-recently-active list links (slot indices, -1 = none).
    var newer: Int32 = -1
    var older: Int32 = -1
    var inUse = true

    /// Most SYN frames remembered per connection.
    static let maximumSynFrames = 8

    init(key: FlowKey, stream: Int, generation: UInt32, client: FlowEndpoint, server: FlowEndpoint,
         rolesFromHandshake: Bool, frame: UInt64, time: Int64) {
        self.key = key
        self.stream = stream
        self.generation = generation
        clientIsLower = client == key.lower
        self.rolesFromHandshake = rolesFromHandshake
        firstFrame = frame
        firstTime = time
        lastTime = time
        lastFrame = frame
    }

    var synAckFrame: UInt64? { synAckFrameNumber == 0 ? nil : synAckFrameNumber }
    var synAckTime: Int64? { synAckFrameNumber == 0 ? nil : synAckTimeValue }
    var resetFrame: UInt64? { resetFrameNumber == 0 ? nil : resetFrameNumber }
    var resetTime: Int64? { resetFrameNumber == 0 ? nil : resetTimeValue }
    var client: FlowEndpoint { clientIsLower ? key.lower : key.upper }
    var server: FlowEndpoint { clientIsLower ? key.upper : key.lower }

    /// The direction's half, by value or in place.
    subscript(half direction: StreamDirection) -> HalfStream {
        get { direction == .clientToServer ? toServer : toClient }
        _modify {
            if direction == .clientToServer { yield &toServer } else { yield &toClient }
        }
    }

    /// A snapshot for the handler.
    var info: ConnectionInfo {
        ConnectionInfo(stream: stream, client: client, server: server, vlanKey: key.vlan,
                       rolesFromHandshake: rolesFromHandshake, firstFrame: firstFrame, firstTime: firstTime,
                       lastTime: lastTime, synFrames: synFrames, synAckFrame: synAckFrame, synAckTime: synAckTime,
                       resetFrame: resetFrame, resetTime: resetTime, resetDirection: resetDirection,
                       finFrame: DirectionPair(toServer: toServer.finFrame, toClient: toClient.finFrame),
                       finTime: DirectionPair(toServer: toServer.finTime, toClient: toClient.finTime),
                       bytes: DirectionPair(toServer: toServer.bytesDelivered, toClient: toClient.bytesDelivered),
                       firstDataFrame: DirectionPair(toServer: toServer.firstDataFrame, toClient: toClient.firstDataFrame),
                       firstDataTime: DirectionPair(toServer: toServer.firstDataTime, toClient: toClient.firstDataTime))
    }

    /// The next capture time at which this connection needs attention (hold expiry or linger end).
    func deadline(limits: ReassemblyLimits) -> Int64 {
        if isClosed { return closeTime.addingReportingOverflow(limits.closedLinger).partialValue }
        var deadline = Int64.max
        if !toServer.held.isEmpty { deadline = toServer.holeSince &+ limits.holdTimeout }
        if !toClient.held.isEmpty { deadline = min(deadline, toClient.holeSince &+ limits.holdTimeout) }
        return deadline
    }
}
