// The result of decoding one captured frame: each layer's fields plus byte offsets into the frame.

/// One decoded frame. Offsets index the caller's frame buffer, so the payload is never copied.
///
/// When decoding stops early, `error` names the first layer that failed and the layers before it
/// are filled in. When `network` is set but `tcp` is nil (a fragment, or a protocol other than
/// TCP), `payloadOffset` and the payload lengths describe the IP payload instead, so a
/// defragmenter can take the fragment's bytes.
public struct DecodedFrame: Sendable {
    /// Bytes captured (the span's count).
    public var capturedLength: Int
    /// The link layer, if it decoded.
    public var link: LinkRepr?
    /// The IP layer, if it decoded.
    public var network: NetworkRepr?
    /// The TCP header, if the packet is an unfragmented TCP segment whose header decoded.
    public var tcp: TCPRepr?
    /// Offset of the IP header in the frame (0 if none, and for raw IP link types).
    public var networkOffset: Int
    /// Offset of the TCP header in the frame (0 if none).
    public var transportOffset: Int
    /// Offset of the first TCP payload byte (or IP payload byte when `tcp` is nil).
    public var payloadOffset: Int
    /// Captured payload bytes that belong to the segment; Ethernet padding past the IP length is excluded.
    public var payloadLength: Int
    /// Payload length according to the IP length fields; larger than `payloadLength` when the
    /// snaplen cut the frame. When the IP length is 0 (TSO/LSO on the sender) the capture is trusted.
    public var payloadWireLength: Int
    /// The first layer that failed, or nil if every layer present decoded.
    public var error: WireError?

    /// An empty result for a frame of `capturedLength` bytes: no layers, zero offsets, no error.
    public init(capturedLength: Int) {
        self.capturedLength = capturedLength
        networkOffset = 0
        transportOffset = 0
        payloadOffset = 0
        payloadLength = 0
        payloadWireLength = 0
    }

    /// True when some bytes of the segment were not captured (snaplen), so a reassembler sees a gap.
    public var isPayloadTruncated: Bool { payloadWireLength > payloadLength }
}
