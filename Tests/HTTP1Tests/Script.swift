// Scripts of reassembler events, and running them whole, split at a byte, or a byte at a time.

import HTTP1

/// One reassembler event.
enum Step: Sendable {
    case data(UInt8, [UInt8])
    case gap(UInt8, UInt64)
    case close(UInt8)
    case finish
}

/// A script of events, runnable with each data step cut into pieces.
struct Script: Sendable {
    var steps: [Step]
    var limits: HTTPLimits = .default

    /// Bytes helper: a string's UTF-8 bytes.
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Runs the script, cutting data step `step` (or every step when nil) at the positions `cuts` returns.
    func run(cuts: (Int, Int) -> [Int] = { _, _ in [] }) -> (log: RecordingHandler, parser: HTTPConnectionParser) {
        var parser = HTTPConnectionParser(limits: limits)
        var handler = RecordingHandler()
        var offsets: [UInt64] = [0, 0]
        var frame: UInt64 = 1
        for (number, step) in steps.enumerated() {
            switch step {
            case .data(let direction, let bytes):
                var pieces: [Range<Int>] = []
                var last = 0
                for cut in cuts(number, bytes.count) where cut > last && cut < bytes.count {
                    pieces.append(last..<cut)
                    last = cut
                }
                pieces.append(last..<bytes.count)
                for piece in pieces {
                    let slice = Array(bytes[piece])
                    let at = HTTPPosition(frame: frame, time: Int64(frame) * 1000, offset: offsets[Int(direction)])
                    parser.feed(slice.span, direction: direction, at: at, handler: &handler)
                    offsets[Int(direction)] += UInt64(slice.count)
                    frame += 1
                }
            case .gap(let direction, let length):
                let at = HTTPPosition(frame: frame, time: Int64(frame) * 1000, offset: offsets[Int(direction)])
                parser.gap(length: length, direction: direction, at: at, handler: &handler)
                offsets[Int(direction)] += length
            case .close(let direction):
                let at = HTTPPosition(frame: frame, time: Int64(frame) * 1000, offset: offsets[Int(direction)])
                parser.close(direction: direction, at: at, handler: &handler)
            case .finish:
                parser.finish(at: HTTPPosition(frame: frame, time: Int64(frame) * 1000, offset: 0), handler: &handler)
            }
        }
        handler.flush()
        return (handler, parser)
    }

    /// The detailed log of a whole run.
    func wholeLog() -> [String] { run().log.detailed }

    /// For every data step and every cut position in it, the first split run whose log differs from the whole
    /// run (nil when all agree), then the one-byte-at-a-time run likewise.
    func firstSplitMismatch() -> String? {
        let whole = wholeLog()
        for (number, step) in steps.enumerated() {
            guard case .data(_, let bytes) = step, bytes.count > 1 else { continue }
            for cut in 1..<bytes.count {
                let log = run(cuts: { index, _ in index == number ? [cut] : [] }).log.detailed
                if log != whole { return "step \(number) cut \(cut): \(log) vs \(whole)" }
            }
        }
        let bytewise = run(cuts: { _, count in Array(0..<count) }).log.detailed
        if bytewise != whole { return "byte at a time: \(bytewise) vs \(whole)" }
        return nil
    }
}
