// Builds small pcap files in tests: Ethernet/IPv4/TCP frames around chosen payloads.

import Foundation

/// One TCP conversation written as a classic microsecond pcap, with correct lengths and
/// sequence numbers, so tests can state exactly what is on the wire.
struct PcapBuilder {
    struct Host { var address: [UInt8]; var port: UInt16 }
    var client = Host(address: [10, 0, 0, 1], port: 40_000)
    var server = Host(address: [10, 0, 0, 2], port: 80)
    private var clientSequence: UInt32 = 1_000
    private var serverSequence: UInt32 = 5_000
    private(set) var records: [(time: Int64, frame: [UInt8])] = []
    var time: Int64 = 1_700_000_000 * 1_000_000_000

    enum Side { case client, server }

    /// SYN, SYN/ACK, ACK.
    mutating func handshake() {
        segment(from: .client, flags: 0x02, payload: [])
        clientSequence &+= 1
        segment(from: .server, flags: 0x12, payload: [])
        serverSequence &+= 1
        segment(from: .client, flags: 0x10, payload: [])
    }

    /// A data segment (PSH|ACK) carrying `payload`.
    mutating func send(_ side: Side, _ payload: [UInt8]) {
        segment(from: side, flags: 0x18, payload: payload)
        if side == .client { clientSequence &+= UInt32(payload.count) } else { serverSequence &+= UInt32(payload.count) }
    }

    mutating func send(_ side: Side, _ text: String) { send(side, Array(text.utf8)) }

    /// A data segment the sniffer missed: the sequence advances, nothing is recorded.
    mutating func lose(_ side: Side, _ text: String) {
        if side == .client { clientSequence &+= UInt32(text.utf8.count) } else { serverSequence &+= UInt32(text.utf8.count) }
    }

    /// FIN|ACK from one side.
    mutating func fin(_ side: Side) {
        segment(from: side, flags: 0x11, payload: [])
        if side == .client { clientSequence &+= 1 } else { serverSequence &+= 1 }
    }

    /// RST from one side.
    mutating func reset(_ side: Side) { segment(from: side, flags: 0x14, payload: []) }

    mutating func segment(from side: Side, flags: UInt8, payload: [UInt8]) {
        time += 1_000_000
        let (source, destination) = side == .client ? (client, server) : (server, client)
        let sequence = side == .client ? clientSequence : serverSequence
        let acknowledgment = side == .client ? serverSequence : clientSequence
        var frame: [UInt8] = [0x02, 0, 0, 0, 0, side == .client ? 2 : 1, 0x02, 0, 0, 0, 0, side == .client ? 1 : 2, 0x08, 0x00]
        let totalLength = 20 + 20 + payload.count
        frame += [0x45, 0, UInt8(totalLength >> 8), UInt8(totalLength & 0xFF), 0, 1, 0x40, 0, 64, 6, 0, 0]
        frame += source.address + destination.address
        frame += [UInt8(source.port >> 8), UInt8(source.port & 0xFF), UInt8(destination.port >> 8), UInt8(destination.port & 0xFF)]
        frame += bigEndian(sequence) + bigEndian(acknowledgment)
        frame += [0x50, flags, 0xFF, 0xFF, 0, 0, 0, 0]
        frame += payload
        records.append((time, frame))
    }

    /// A data segment sent as IPv4 fragments of at most `fragmentSize` bytes of IP payload (a multiple
    /// of 8), in the given order of fragment indices (nil: in order; `reversed`: last first).
    mutating func sendFragmented(_ side: Side, _ text: String, fragmentSize: Int, order: [Int]? = nil, reversed: Bool = false) {
        let payload = Array(text.utf8)
        time += 1_000_000
        let (source, destination) = side == .client ? (client, server) : (server, client)
        let sequence = side == .client ? clientSequence : serverSequence
        let acknowledgment = side == .client ? serverSequence : clientSequence
        var tcp = [UInt8(source.port >> 8), UInt8(source.port & 0xFF), UInt8(destination.port >> 8), UInt8(destination.port & 0xFF)]
        tcp += bigEndian(sequence) + bigEndian(acknowledgment) + [0x50, 0x18, 0xFF, 0xFF, 0, 0, 0, 0] + payload
        var pieces: [(offset: Int, bytes: [UInt8])] = []
        var offset = 0
        while offset < tcp.count {
            let end = min(offset + fragmentSize, tcp.count)
            pieces.append((offset, Array(tcp[offset..<end])))
            offset = end
        }
        for index in order ?? (reversed ? Array(pieces.indices.reversed()) : Array(pieces.indices)) {
            let piece = pieces[index]
            let more = index < pieces.count - 1
            let totalLength = 20 + piece.bytes.count
            let flagsAndOffset = (more ? 0x2000 : 0) | (piece.offset / 8)
            var frame: [UInt8] = [0x02, 0, 0, 0, 0, side == .client ? 2 : 1, 0x02, 0, 0, 0, 0, side == .client ? 1 : 2, 0x08, 0x00]
            frame += [0x45, 0, UInt8(totalLength >> 8), UInt8(totalLength & 0xFF), 0x12, 0x34,
                      UInt8(flagsAndOffset >> 8), UInt8(flagsAndOffset & 0xFF), 64, 6, 0, 0]
            frame += source.address + destination.address + piece.bytes
            records.append((time, frame))
            time += 1000
        }
        if side == .client { clientSequence &+= UInt32(payload.count) } else { serverSequence &+= UInt32(payload.count) }
    }

    /// The pcap file bytes.
    func fileBytes(snapLength: UInt32 = 262_144) -> [UInt8] {
        var bytes: [UInt8] = littleEndian(UInt32(0xA1B2_C3D4)) + [2, 0, 4, 0] + [UInt8](repeating: 0, count: 8)
        bytes += littleEndian(snapLength) + littleEndian(UInt32(1))
        for record in records {
            let seconds = UInt32(record.time / 1_000_000_000)
            let micros = UInt32(record.time % 1_000_000_000 / 1000)
            let captured = min(record.frame.count, Int(snapLength))
            bytes += littleEndian(seconds) + littleEndian(micros) + littleEndian(UInt32(captured)) + littleEndian(UInt32(record.frame.count))
            bytes += record.frame.prefix(captured)
        }
        return bytes
    }

    /// Writes the file to a fresh temporary path and returns it.
    func write(named name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatewatch-tests-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(fileBytes()).write(to: url)
        return url
    }

    private func bigEndian(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    private func littleEndian(_ value: UInt32) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)] }
}

/// Writes arbitrary bytes to a temporary file (for corrupt-file tests).
func temporaryFile(named name: String, bytes: [UInt8]) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatewatch-tests-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
}
