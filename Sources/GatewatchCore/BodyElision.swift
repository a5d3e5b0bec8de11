// A stretch of a stream the HTTP side will only count: its bytes need not cross to its thread.

import TCPReassembly

/// Stream bytes `from..<to` of one direction of `stream`: the rest of a Content-Length body whose
/// bytes nothing looks at (not a 5xx, whose first bytes feed the diagnosis). The HTTP side says so
/// when it enters such a body; the packet loop then records those bytes' deliveries without
/// copying them, and the HTTP side counts them as it would have (see `StreamEventRecorder`).
struct BodyElision: Sendable {
    var stream: Int
    var direction: StreamDirection
    var from: UInt64
    var to: UInt64

    /// The key of `stream`'s `direction` in a `StreamTable`.
    static func key(stream: Int, direction: StreamDirection) -> Int { stream &* 2 &+ Int(direction.rawValue) }
}
