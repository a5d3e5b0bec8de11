// One end of a TCP connection: an address and a port.

public import PacketWire

/// An IP address and TCP port; printed as `ip:port` or `[v6]:port`.
public struct FlowEndpoint: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The host's address.
    public var address: IPAddress
    /// The TCP port.
    public var port: UInt16

    /// An endpoint from its address and port.
    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// Orders by address, then port; used to build a direction-independent flow key.
    public static func < (lhs: FlowEndpoint, rhs: FlowEndpoint) -> Bool {
        if lhs.address != rhs.address { return lhs.address < rhs.address }
        return lhs.port < rhs.port
    }

    /// `ip:port` for IPv4, `[ip]:port` for IPv6.
    public var description: String { address.endpointDescription(port: port) }
}
