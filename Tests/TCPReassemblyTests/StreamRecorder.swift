// A TCPStreamHandler for tests: records every event and checks the stream contract as it goes.

import PacketWire
import TCPReassembly

/// Records events, concatenates each direction's bytes, and notes any contract violation.
struct StreamRecorder: TCPStreamHandler {
    struct Gap: Equatable, CustomStringConvertible {
        var stream: Int, direction: StreamDirection, offset: UInt64, length: UInt64, reason: GapReason
        var description: String { "gap(\(stream) \(direction) @\(offset)+\(length) \(reason))" }
    }
    struct Key: Hashable { var stream: Int; var direction: StreamDirection }

    var opened: [ConnectionInfo] = []
    var openedStreams: Set<Int> = []
    var closedStreams: Set<Int> = []
    /// Off for long randomized runs that only check the contract, not the bytes.
    var keepsBytes = true
    var closed: [(info: ConnectionInfo, reason: CloseReason)] = []
    var directionCloses: [Key: CloseReason] = [:]
    var gaps: [Gap] = []
    /// The frame each gap was declared at, parallel to `gaps`.
    var gapFrames: [UInt64] = []
    var bytes: [Key: [UInt8]] = [:]
    var dataFrames: [Key: [UInt64]] = [:]
    /// Next offset each direction must report; a mismatch is a contract violation.
    var expectedOffset: [Key: UInt64] = [:]
    var problems: [String] = []
    /// One line per event, for ordering assertions.
    var log: [String] = []

    mutating func connectionOpened(_ info: ConnectionInfo) {
        if !openedStreams.insert(info.stream).inserted { problems.append("stream \(info.stream) opened twice") }
        opened.append(info)
        log.append("open \(info.stream)")
    }

    mutating func streamData(_ data: Span<UInt8>, stream: Int, direction: StreamDirection, offset: UInt64,
                             frame: UInt64, time: Int64) {
        let key = Key(stream: stream, direction: direction)
        check(key, offset: offset, what: "data")
        if data.count == 0 { problems.append("empty data call") }
        if keepsBytes {
            for index in 0..<data.count { bytes[key, default: []].append(data[index]) }
            dataFrames[key, default: []].append(frame)
        }
        expectedOffset[key] = offset + UInt64(data.count)
        log.append("data \(stream) \(direction.rawValue) @\(offset) \(data.count)")
    }

    mutating func streamGap(stream: Int, direction: StreamDirection, offset: UInt64, length: UInt64,
                            reason: GapReason, frame: UInt64, time: Int64) {
        let key = Key(stream: stream, direction: direction)
        check(key, offset: offset, what: "gap")
        if length == 0 { problems.append("zero-length gap") }
        gaps.append(Gap(stream: stream, direction: direction, offset: offset, length: length, reason: reason))
        gapFrames.append(frame)
        expectedOffset[key] = offset + length
        log.append("gap \(stream) \(direction.rawValue) @\(offset) \(length) \(reason)")
    }

    mutating func directionClosed(stream: Int, direction: StreamDirection, reason: CloseReason,
                                  frame: UInt64, time: Int64) {
        let key = Key(stream: stream, direction: direction)
        if directionCloses[key] != nil { problems.append("direction \(stream)/\(direction) closed twice") }
        directionCloses[key] = reason
        log.append("dirclose \(stream) \(direction.rawValue) \(reason) #\(frame)")
    }

    mutating func connectionClosed(_ info: ConnectionInfo, reason: CloseReason) {
        for direction in [StreamDirection.clientToServer, .serverToClient]
        where directionCloses[Key(stream: info.stream, direction: direction)] == nil {
            problems.append("stream \(info.stream) closed before its \(direction) direction")
        }
        if !closedStreams.insert(info.stream).inserted { problems.append("stream \(info.stream) closed twice") }
        closed.append((info, reason))
        log.append("close \(info.stream) \(reason)")
    }

    private mutating func check(_ key: Key, offset: UInt64, what: String) {
        if directionCloses[key] != nil { problems.append("\(what) after close on \(key)") }
        if !openedStreams.contains(key.stream) { problems.append("\(what) before open on \(key)") }
        let expected = expectedOffset[key] ?? 0
        if offset != expected { problems.append("\(what) on \(key) at \(offset), expected \(expected)") }
    }

    /// The bytes delivered for a direction, as text.
    func text(_ stream: Int, _ direction: StreamDirection) -> String {
        String(decoding: bytes[Key(stream: stream, direction: direction)] ?? [], as: UTF8.self)
    }

    func data(_ stream: Int, _ direction: StreamDirection) -> [UInt8] {
        bytes[Key(stream: stream, direction: direction)] ?? []
    }

    func closeReason(_ stream: Int, _ direction: StreamDirection) -> CloseReason? {
        directionCloses[Key(stream: stream, direction: direction)]
    }
}
