// FuzzPipeline: the whole pipeline (decode, defragment, reassemble, parse, diagnose, render) over
// a classic pcap file given as the input.
//
// The pcap header and records are parsed here (bounded), not by libpcap, so a corrupt file only
// ends the record loop. Options come from the header's `thiszone` field, which real captures
// leave at 0: bit0 -V, bit1 -X, bit2 --json, bit3 --frames, bit4 --status 502, bit5 small
// reassembly limits, bit6 -ttt, bit7 small HTTP limits; the next byte's bit0 is --follow, of the
// stream its bits 1-3 name.
//
// Checked: nothing traps, and no byte that could drive a terminal (C0 other than newline, DEL,
// C1, bidi overrides and isolates) reaches the output, whatever the packets hold. Without
// --frames and --follow, the same frames also go through the two-thread path's recording and
// replay (on this thread, in batches of 1-8 events, the byte budget from the next byte, bodies
// nothing reads elided or not): its output and counts must be the direct path's exactly.

import GatewatchCore
import HTTP1
import Rendering
import TCPReassembly

func violated(_ message: String) -> Never {
    fatalError("invariant violated: \(message)")
}

@inline(__always)
func read32(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, swapped: Bool) -> UInt32 {
    let value = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    return swapped ? value.byteSwapped : value
}

func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    if v == 0x0A { return false }
    return v < 0x20 || v == 0x7F || (0x80..<0xA0).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipeline(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 24 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let magic = read32(input, 0, swapped: false)
    let swapped: Bool
    let nanoseconds: Bool
    switch magic {
    case 0xA1B2_C3D4: swapped = false; nanoseconds = false
    case 0xA1B2_3C4D: swapped = false; nanoseconds = true
    case 0xD4C3_B2A1: swapped = true; nanoseconds = false
    case 0x4D3C_B2A1: swapped = true; nanoseconds = true
    default: return 0
    }
    let zone = input[8]
    let linkType = Int32(bitPattern: read32(input, 20, swapped: swapped) & 0x0FFF_FFFF)

    var options = PipelineOptions()
    options.verbose = zone & 0x01 != 0
    options.hexDump = zone & 0x02 != 0
    options.json = zone & 0x04 != 0
    options.everyFrame = zone & 0x08 != 0
    if zone & 0x10 != 0 { options.statusFilter = StatusFilter("502") }
    if zone & 0x20 != 0 {
        options.reassemblyLimits = ReassemblyLimits(maxConnections: 3, maxBufferedBytes: 4096, maxBufferedBytesPerDirection: 2048,
                                                    holdTimeout: 100_000_000, idleTimeout: 5_000_000_000)
    }
    if zone & 0x40 != 0 { options.timeDisplay = .sincePrevious }
    if zone & 0x80 != 0 { options.httpLimits = HTTPLimits(maxHeadBytes: 256, maxHeaders: 8, maxChunkSizeDigits: 4, maxStartLine: 64) }
    options.nanoseconds = nanoseconds
    if input[9] & 0x01 != 0 { options.follow = .stream(Int(input[9] >> 1 & 0x07)) }

    let writer = OutputWriter(capturingWithColor: false)
    let pipeline = Pipeline(options: options, writer: writer, dataLinkType: linkType)
    let recordsToo = !options.everyFrame && options.follow == nil
    var frames: [(time: Int64, bytes: [UInt8])] = []
    var position = 24
    var records = 0
    while position + 16 <= input.count, records < 20_000 {
        let seconds = Int64(read32(input, position, swapped: swapped))
        let fraction = Int64(read32(input, position + 4, swapped: swapped))
        let included = Int(read32(input, position + 8, swapped: swapped))
        position += 16
        guard included <= 262_144, included <= input.count - position else { break }
        let time = seconds &* 1_000_000_000 &+ (nanoseconds ? fraction : fraction &* 1000)
        pipeline.process(time: time, bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: input[position..<(position + included)])))
        if recordsToo { frames.append((time, Array(input[position..<(position + included)]))) }
        position += included
        records += 1
    }
    pipeline.finish()
    if let output = writer.captured {
        for scalar in output.unicodeScalars where isUnsafe(scalar) {
            violated("output carries U+\(String(scalar.value, radix: 16, uppercase: true))")
        }
    }
    if recordsToo {
        var recordedOptions = options
        // Bodies elided from their first byte (bit 3 clear) or never; batch sizes from the rest.
        recordedOptions.handOver = .init(events: Int(input[10] & 0x07) + 1, bytes: Int(input[11]) * 16 + 1,
                                         elidedBodies: input[10] & 0x08 == 0 ? 1 : nil)
        let replayed = OutputWriter(capturingWithColor: false)
        let replay = Pipeline(options: recordedOptions, writer: replayed, dataLinkType: linkType)
        replay.processRecorded(frames)
        if replayed.captured != writer.captured { violated("recorded and replayed output differs from the direct path's") }
        let direct = pipeline.statistics, recorded = replay.statistics
        if direct.packets != recorded.packets || direct.bytes != recorded.bytes || direct.tcpSegments != recorded.tcpSegments
            || direct.requests != recorded.requests || direct.responses != recorded.responses || direct.malformed != recorded.malformed
            || direct.incompleteMessages != recorded.incompleteMessages || direct.firstTime != recorded.firstTime {
            violated("recorded and replayed counts differ from the direct path's")
        }
    }
    return 0
}
