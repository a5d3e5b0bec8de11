// Which half of a connection a byte stream belongs to.

/// The direction of a half-connection; the client is the SYN sender, or a guess when no handshake was seen.
public enum StreamDirection: UInt8, Sendable, Hashable {
    /// From the client (SYN sender) to the server.
    case clientToServer = 0
    /// From the server to the client.
    case serverToClient = 1

    /// The other direction.
    public var reversed: StreamDirection { self == .clientToServer ? .serverToClient : .clientToServer }
}
