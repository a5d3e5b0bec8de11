// The FIFO of requests waiting for responses, bounded so a flood of requests cannot grow memory.

/// A request waiting for its response, with what its response's framing depends on.
struct PendingRequest {
    /// The owned summary handed to the response's events.
    var summary: HTTPRequestSummary
    /// HEAD: the response has no body whatever its headers say.
    var isHead: Bool
    /// CONNECT: a 2xx response turns the connection into a tunnel.
    var isConnect: Bool
    /// CONNECT or an upgrade request: the request direction pauses until the answer is known.
    var mayTunnel: Bool
}

/// A bounded FIFO of pending requests (pipelining pairs responses in request order, RFC 9112 §9.3.2).
struct RequestQueue {
    private var storage: [PendingRequest] = []
    private var headIndex = 0
    /// The most entries kept; pushing beyond drops the oldest.
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Entries waiting.
    var count: Int { storage.count &- headIndex }
    /// Whether nothing is waiting.
    var isEmpty: Bool { count == 0 }
    /// The oldest entry.
    var first: PendingRequest? { headIndex < storage.count ? storage[headIndex] : nil }

    /// Appends an entry; returns false when the oldest had to be dropped to make room.
    mutating func push(_ request: PendingRequest) -> Bool {
        var kept = true
        if count >= capacity {
            _ = popFirst()
            kept = false
        }
        storage.append(request)
        return kept
    }

    /// Removes and returns the oldest entry.
    mutating func popFirst() -> PendingRequest? {
        guard headIndex < storage.count else { return nil }
        let request = storage[headIndex]
        headIndex &+= 1
        if headIndex == storage.count {
            storage.removeAll(keepingCapacity: true)
            headIndex = 0
        } else if headIndex >= 64 && headIndex &* 2 >= storage.count {
            storage.removeFirst(headIndex)
            headIndex = 0
        }
        return request
    }

    /// Records the final body size of the request with this index, if it is still waiting.
    mutating func setBodyBytes(_ bodyBytes: UInt64, forIndex index: Int) {
        var position = storage.count
        while position > headIndex {
            position &-= 1
            if storage[position].summary.index == index {
                storage[position].summary.bodyBytes = bodyBytes
                return
            }
        }
    }
}
