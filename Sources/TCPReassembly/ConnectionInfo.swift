// What the reassembler knows about one connection: roles, handshake, close, volume.

/// A snapshot of one connection, handed to the handler when it opens and when it closes.
///
/// The handshake and close fields feed the 502 diagnosis (retransmitted SYNs, resets, who closed first).
/// Per-direction arrays have two elements, indexed by `StreamDirection.rawValue`.
public struct ConnectionInfo: Sendable {
    /// 0-based stream number, in order of first packet like Wireshark's `tcp.stream`.
    public var stream: Int
    /// The SYN sender, or the guessed client.
    public var client: FlowEndpoint
    /// The SYN receiver, or the guessed server.
    public var server: FlowEndpoint
    /// The VLAN identity that is part of the flow key.
    public var vlanKey: UInt32
    /// True when a SYN or SYN/ACK fixed the roles; false when they were guessed mid-stream.
    public var rolesFromHandshake: Bool
    /// The connection's first frame.
    public var firstFrame: UInt64
    /// Capture time of the first packet.
    public var firstTime: Int64
    /// Capture time of the latest packet.
    public var lastTime: Int64
    /// Every SYN seen from the client (retransmitted SYNs show connect trouble); the first 8 are kept.
    public var synFrames: [UInt64]
    /// The first SYN/ACK's frame.
    public var synAckFrame: UInt64?
    /// The first SYN/ACK's capture time.
    public var synAckTime: Int64?
    /// The first RST's frame.
    public var resetFrame: UInt64?
    /// The first RST's capture time.
    public var resetTime: Int64?
    /// Who sent the first RST.
    public var resetDirection: StreamDirection?
    /// The first FIN's frame, per direction.
    public var finFrame: DirectionPair<UInt64?>
    /// The first FIN's capture time, per direction.
    public var finTime: DirectionPair<Int64?>
    /// Payload bytes delivered to the handler, per direction.
    public var bytes: DirectionPair<UInt64>
    /// The first frame carrying payload, per direction.
    public var firstDataFrame: DirectionPair<UInt64?>
    /// The first payload's capture time, per direction.
    public var firstDataTime: DirectionPair<Int64?>

    /// A snapshot from all of its fields.
    public init(stream: Int, client: FlowEndpoint, server: FlowEndpoint, vlanKey: UInt32,
                rolesFromHandshake: Bool, firstFrame: UInt64, firstTime: Int64, lastTime: Int64,
                synFrames: [UInt64], synAckFrame: UInt64?, synAckTime: Int64?,
                resetFrame: UInt64?, resetTime: Int64?, resetDirection: StreamDirection?,
                finFrame: DirectionPair<UInt64?>, finTime: DirectionPair<Int64?>, bytes: DirectionPair<UInt64>,
                firstDataFrame: DirectionPair<UInt64?>, firstDataTime: DirectionPair<Int64?>) {
        self.stream = stream
        self.client = client
        self.server = server
        self.vlanKey = vlanKey
        self.rolesFromHandshake = rolesFromHandshake
        self.firstFrame = firstFrame
        self.firstTime = firstTime
        self.lastTime = lastTime
        self.synFrames = synFrames
        self.synAckFrame = synAckFrame
        self.synAckTime = synAckTime
        self.resetFrame = resetFrame
        self.resetTime = resetTime
        self.resetDirection = resetDirection
        self.finFrame = finFrame
        self.finTime = finTime
        self.bytes = bytes
        self.firstDataFrame = firstDataFrame
        self.firstDataTime = firstDataTime
    }
}
