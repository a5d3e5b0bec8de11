// One value for each direction of a connection, held inline.

/// A value per direction: index 0 (or `.clientToServer`) is what the client sent, 1 the server.
///
/// Replaces two-element arrays in `ConnectionInfo`: five of them cost five allocations per
/// snapshot, and a snapshot is taken at every open and close (1,290 instructions to destroy one,
/// callgrind on nginx-busy).
public struct DirectionPair<Value: Sendable>: Sendable {
    /// The client-to-server value.
    public var toServer: Value
    /// The server-to-client value.
    public var toClient: Value

    public init(toServer: Value, toClient: Value) {
        self.toServer = toServer
        self.toClient = toClient
    }

    /// 0 is the client-to-server value, any other index the server-to-client one.
    public subscript(_ index: Int) -> Value {
        index == 0 ? toServer : toClient
    }
}

extension DirectionPair: Equatable where Value: Equatable {}

extension DirectionPair: ExpressibleByArrayLiteral {
    /// `[toServer, toClient]`, so tests read as before; any other count is a programming error.
    public init(arrayLiteral elements: Value...) {
        precondition(elements.count == 2, "a DirectionPair has two values")
        self.init(toServer: elements[0], toClient: elements[1])
    }
}
