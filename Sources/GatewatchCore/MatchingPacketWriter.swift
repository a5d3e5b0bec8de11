// --write-matching: every packet of each connection that carried a matching response, plus the
// upstream legs its diagnosis tied to it.

import Capture

/// Buffers each connection's packets until one of its responses matches, then writes them (merged
/// in frame order with the legs marked at the same time) and passes its later packets straight
/// through. Bounded: `byteLimit` in all, `connectionByteLimit` per connection; past either, the
/// oldest packets are dropped and counted. Work happens per packet only as a copy into a queue.
final class MatchingPacketWriter {
    private struct Token {
        var stream: Int
        var frame: UInt64
    }

    private let dumper: PcapDumper
    private let nanosecondPrecision: Bool
    /// The responses whose connections are written.
    let filter: StatusFilter
    let byteLimit: Int
    let connectionByteLimit: Int

    private var queues: [Int: PacketQueue] = [:]
    /// Arrival order over all queues, to drop the oldest packet first; stale tokens are skipped.
    private var order: [Token] = []
    private var orderHead = 0
    private var bufferedBytes = 0
    private var bufferedPackets = 0
    /// Connections written straight through from now on.
    private var matched: Set<Int> = []
    /// Matched connections that closed, oldest first: forgotten after a while (lingering packets
    /// of a closed connection keep its stream number for a few seconds only).
    private var closedMatched: [Int] = []

    /// Packets dropped from the buffer (of connections that had not matched yet).
    private(set) var droppedPackets = 0
    /// Of those, packets of connections that matched later: missing from the file.
    private(set) var missingPackets = 0
    /// Packets written to the file.
    private(set) var writtenPackets = 0

    init(dumper: PcapDumper, nanosecondPrecision: Bool, filter: StatusFilter,
         byteLimit: Int = 64 << 20, connectionByteLimit: Int = 8 << 20) {
        self.dumper = dumper
        self.nanosecondPrecision = nanosecondPrecision
        self.filter = filter
        self.byteLimit = byteLimit
        self.connectionByteLimit = connectionByteLimit
    }

    /// One packet as read; `stream` is its TCP connection, or nil for a packet of none.
    func packet(_ record: PacketRecord, frame: UInt64, stream: Int?) {
        guard let stream else { return }
        if matched.contains(stream) {
            dumper.write(record, nanosecondPrecision: nanosecondPrecision)
            writtenPackets += 1
            return
        }
        let size = record.bytes.count
        if let index = queues.index(forKey: stream) {
            queues.values[index].append(record, frame: frame)
            while queues.values[index].liveBytes > connectionByteLimit, queues.values[index].liveCount > 1 {
                bufferedBytes -= queues.values[index].dropOldest()
                bufferedPackets -= 1
                droppedPackets += 1
            }
        } else {
            var queue = PacketQueue()
            queue.append(record, frame: frame)
            queues[stream] = queue
        }
        bufferedBytes += size
        bufferedPackets += 1
        order.append(Token(stream: stream, frame: frame))
        while bufferedBytes > byteLimit, orderHead < order.count { dropOldestOverall() }
        if order.count - orderHead > 2 * bufferedPackets + 4096 { compactOrder() }
    }

    /// A response matched: write what is buffered of `streams` in frame order, then pass their
    /// later packets straight through (for a closed connection, the last ACKs that may still come).
    func markMatching(_ streams: [Int]) {
        var flushed: [Int: PacketQueue] = [:]
        var pending: [(frame: UInt64, stream: Int, entry: PacketQueue.Entry)] = []
        for stream in Set(streams) where !matched.contains(stream) {
            let queue = queues.removeValue(forKey: stream)
            if let queue {
                missingPackets += queue.dropped
                bufferedBytes -= queue.liveBytes
                bufferedPackets -= queue.liveCount
                for entry in queue.live { pending.append((entry.frame, stream, entry)) }
                flushed[stream] = queue
            }
            matched.insert(stream)
            if queue?.closed == true { rememberClosed(stream) }
        }
        pending.sort { $0.frame < $1.frame }
        for item in pending {
            guard let queue = flushed[item.stream] else { continue }
            queue.bytes.withUnsafeBytes { buffer in
                let slice = UnsafeRawBufferPointer(rebasing: buffer[item.entry.offset..<(item.entry.offset + item.entry.length)])
                dumper.write(PacketRecord(time: item.entry.time, capturedLength: item.entry.length,
                                          originalLength: item.entry.originalLength, bytes: slice),
                             nanosecondPrecision: nanosecondPrecision)
            }
            writtenPackets += 1
        }
    }

    /// The reassembler closed `stream`.
    func connectionClosed(stream: Int) {
        if matched.contains(stream) {
            rememberClosed(stream)
        } else if let index = queues.index(forKey: stream) {
            queues.values[index].closed = true
        }
    }

    private func rememberClosed(_ stream: Int) {
        closedMatched.append(stream)
        if closedMatched.count > 8192 {
            for old in closedMatched.prefix(4096) { matched.remove(old) }
            closedMatched.removeFirst(4096)
        }
    }

    /// Writes out what the file buffers.
    func finish() { dumper.flush() }

    private func dropOldestOverall() {
        let token = order[orderHead]
        orderHead += 1
        guard let index = queues.index(forKey: token.stream), let oldest = queues.values[index].firstFrame,
              oldest == token.frame else { return }
        bufferedBytes -= queues.values[index].dropOldest()
        bufferedPackets -= 1
        droppedPackets += 1
        if queues.values[index].isEmpty, queues.values[index].closed { queues.remove(at: index) }
    }

    /// Forgets tokens of packets no longer buffered (flushed, or dropped by the per-connection cap).
    private func compactOrder() {
        order = order[orderHead...].filter { token in
            guard let first = queues[token.stream]?.firstFrame else { return false }
            return token.frame >= first
        }
        orderHead = 0
    }
}
