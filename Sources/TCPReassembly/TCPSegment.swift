// The decoder's summary of one captured TCP segment, the reassembler's input.

public import PacketWire

/// One captured TCP segment as the frame decoder saw it; the payload bytes travel separately as a span.
public struct TCPSegment: Sendable {
    /// Sender.
    public var source: FlowEndpoint
    /// Receiver.
    public var destination: FlowEndpoint
    /// The VLAN identity (0 = untagged); part of the flow key so equal 4-tuples on different VLANs stay apart.
    public var vlanKey: UInt32
    /// The TCP sequence number.
    public var sequenceNumber: UInt32
    /// The TCP acknowledgment number (meaningful when `flags` has `.ack`).
    public var acknowledgmentNumber: UInt32
    /// The TCP flags.
    public var flags: TCPFlags
    /// The raw advertised window (unscaled).
    public var window: UInt16
    /// The window-scale option, when the segment is a SYN that carries one.
    public var windowScale: UInt8?
    /// Payload length on the wire; the captured payload may be shorter (snaplen), and the rest becomes a gap.
    public var payloadWireLength: Int
    /// 1-based frame number.
    public var frame: UInt64
    /// Capture time in nanoseconds since the epoch.
    public var time: Int64

    /// A segment from all of its fields.
    public init(source: FlowEndpoint, destination: FlowEndpoint, vlanKey: UInt32 = 0,
                sequenceNumber: UInt32, acknowledgmentNumber: UInt32, flags: TCPFlags,
                window: UInt16, windowScale: UInt8? = nil, payloadWireLength: Int,
                frame: UInt64, time: Int64) {
        self.source = source
        self.destination = destination
        self.vlanKey = vlanKey
        self.sequenceNumber = sequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber
        self.flags = flags
        self.window = window
        self.windowScale = windowScale
        self.payloadWireLength = payloadWireLength
        self.frame = frame
        self.time = time
    }
}
