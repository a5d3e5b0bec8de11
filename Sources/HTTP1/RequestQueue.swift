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
///
/// A ring of slots that are never freed while the queue lives: a new request refills the slot (and the
/// summary's byte storage) an older one left, so pairing allocates nothing per request once the ring has
/// grown to the most requests in flight. A popped entry shares its storage with the slot until one of them
/// changes; a slot whose storage grew large for one long target lets it go.
struct RequestQueue {
    private var slots: [PendingRequest] = []
    /// The slot of the oldest entry.
    private var oldest = 0
    /// Entries waiting.
    private(set) var count = 0
    /// The most entries kept; pushing beyond drops the oldest.
    let capacity: Int
    /// Summary storage larger than this is not kept for reuse.
    private static let reusableStorage = 512

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Whether nothing is waiting.
    var isEmpty: Bool { count == 0 }
    /// Whether there is an oldest entry and it asked with HEAD; likewise CONNECT (read in place).
    var firstIsHead: Bool { count > 0 && slots[oldest].isHead }
    var firstIsConnect: Bool { count > 0 && slots[oldest].isConnect }
    /// The oldest entry's summary; only valid while the queue is not empty.
    var firstSummary: HTTPRequestSummary { slots[oldest].summary }

    /// The slot `offset` places after the oldest entry (`offset <= slots.count`).
    private func slot(_ offset: Int) -> Int {
        let position = oldest &+ offset
        return position >= slots.count ? position &- slots.count : position
    }

    /// Appends an entry whose fields the caller then sets through ``newest`` (the slot may hold an older
    /// request's values); returns false when the oldest had to be dropped to make room.
    mutating func pushSlot() -> Bool {
        var kept = true
        if count >= capacity {
            dropOldest()
            kept = false
        }
        if count == slots.count {
            // Full ring: unroll it so the oldest entry is first, then add a slot at the end.
            if oldest != 0 {
                slots = Array(slots[oldest...] + slots[..<oldest])
                oldest = 0
            }
            let empty = HTTPRequestSummary(index: 0, method: "", target: "", host: nil,
                                           start: HTTPPosition(frame: 0, time: 0, offset: 0), bodyBytes: 0)
            slots.append(PendingRequest(summary: empty, isHead: false, isConnect: false, mayTunnel: false))
        }
        count &+= 1
        return kept
    }

    /// The newest entry, for filling in after ``pushSlot()``; only valid while the queue is not empty.
    var newest: PendingRequest {
        get { slots[slot(count &- 1)] }
        _modify { yield &slots[slot(count &- 1)] }
    }

    /// Removes and returns the oldest entry.
    mutating func popFirst() -> PendingRequest? {
        guard count > 0 else { return nil }
        let request = slots[oldest]
        dropOldest()
        return request
    }

    /// What `removeFirst()` found.
    enum Removal { case empty, removed, mayTunnel }

    /// Removes the oldest entry, if any, and says whether it was one that may open a tunnel;
    /// `popFirst()` without the copy of the entry.
    mutating func removeFirst() -> Removal {
        guard count > 0 else { return .empty }
        let mayTunnel = slots[oldest].mayTunnel
        dropOldest()
        return mayTunnel ? .mayTunnel : .removed
    }

    /// Forgets the oldest entry, keeping its slot (and its storage, unless large) for a later request.
    private mutating func dropOldest() {
        if slots[oldest].summary.storageCapacity > Self.reusableStorage {
            slots[oldest].summary = HTTPRequestSummary(index: 0, method: "", target: "", host: nil,
                                                       start: HTTPPosition(frame: 0, time: 0, offset: 0), bodyBytes: 0)
        }
        oldest = slot(1)
        count &-= 1
        if count == 0 { oldest = 0 }
    }

    /// Records the final body size of the request with this index, if it is still waiting.
    mutating func setBodyBytes(_ bodyBytes: UInt64, forIndex index: Int) {
        var offset = count
        while offset > 0 {
            offset &-= 1
            let position = slot(offset)
            if slots[position].summary.index == index {
                slots[position].summary.bodyBytes = bodyBytes
                return
            }
        }
    }
}
