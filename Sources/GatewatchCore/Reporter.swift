// Turns finished messages into output lines: summary, frame details, hex dump, diagnosis, JSON.

import PacketWire
import Rendering

/// Owns the output side of a run: the writer, the time display state and the frame views.
final class Reporter {
    let options: PipelineOptions
    let writer: OutputWriter
    let linkType: LinkType
    var frames: FrameStore?
    private var firstTime: Int64?
    private var previousTime: Int64?
    /// The summary line being built, kept so its storage is reused from line to line.
    private var line = LineBytes()

    init(options: PipelineOptions, writer: OutputWriter, linkType: LinkType) {
        self.options = options
        self.writer = writer
        self.linkType = linkType
        self.frames = options.needsFrameBytes ? FrameStore() : nil
    }

    func noteFirstPacket(time: Int64) {
        if firstTime == nil { firstTime = time }
    }

    /// Time text for a line, per `-t`/`-tt`/`-ttt`/`-ttttt`.
    func timeText(_ time: Int64) -> String {
        defer { previousTime = time }
        switch options.timeDisplay {
        case .absolute: return TimeFormat.absolute(time, nanoseconds: options.nanoseconds)
        case .epoch: return TimeFormat.seconds(time, nanoseconds: options.nanoseconds)
        case .sincePrevious: return TimeFormat.seconds(time - (previousTime ?? time), nanoseconds: options.nanoseconds)
        case .sinceFirst: return TimeFormat.seconds(time - (firstTime ?? time), nanoseconds: options.nanoseconds)
        }
    }

    /// `timeText(time)` appended to `line`; the default display is written into it directly.
    private func appendTime(_ time: Int64, to line: inout LineBytes) {
        guard options.timeDisplay == .absolute else {
            line.append(timeText(time))
            return
        }
        previousTime = time
        TimeFormat.appendAbsolute(time, nanoseconds: options.nanoseconds, to: &line.bytes)
    }

    /// Prints one finished message in the chosen form.
    func emit(_ record: MessageRecord) {
        if options.json {
            writer.line(MessageJSON.render(record, nanoseconds: options.nanoseconds))
            return
        }
        line.bytes.removeAll(keepingCapacity: true)
        SummaryLine.render(record, into: &line) { appendTime(record.time, to: &$0) }
        writer.line(line, highlight: SummaryLine.highlight(of: record))
        guard options.verbose || options.hexDump else { return }
        // With --frames every frame was already shown as it was read; add only the HTTP decode.
        let stored = options.everyFrame ? nil : frames?.bytes(of: record.frame)
        if options.verbose {
            if options.everyFrame {
                // frame views were printed with the frame
            } else if let stored {
                let decoded = stored.withUnsafeBufferPointer { FrameDecoder.decode(Span(_unsafeElements: $0), linkType: linkType) }
                writer.lines(FrameDetails.lines(frame: record.frame, decoded: decoded, linkType: linkType))
            } else {
                writer.line("Frame: Number = \(record.frame) (frame bytes no longer held; rerun with a narrower filter)")
            }
            writer.lines(HTTPDetails.lines(record))
        }
        if options.hexDump, let stored {
            writer.lines(stored.withUnsafeBufferPointer { HexDump.rows(Span(_unsafeElements: $0)) })
        }
        if options.verbose, let diagnosis = record.diagnosis {
            writer.lines(DiagnosisText.lines(diagnosis, request: record.request))
        }
        writer.line("")
    }

    /// A line for a problem that is not a message (malformed bytes, a request left unanswered).
    func note(frame: UInt64, time: Int64, source: String, destination: String, text: String) {
        if options.json { return }
        let line = " " + Padding.left(String(frame), 4) + "  " + timeText(time)
            + "  " + SafeText.escape(source) + " → " + SafeText.escape(destination) + "  " + text
        writer.line(line)
    }

    /// `--frames`: the frame views for every frame as it is read.
    func emitFrame(number: UInt64, time: Int64, bytes: Span<UInt8>, decoded: DecodedFrame) {
        guard !options.json else { return }
        writer.line(" " + Padding.left(String(number), 4) + "  " + timeText(time) + "  " + frameSummary(decoded))
        if options.verbose { writer.lines(FrameDetails.lines(frame: number, decoded: decoded, linkType: linkType)) }
        if options.hexDump { writer.lines(HexDump.rows(bytes)) }
        if options.verbose || options.hexDump { writer.line("") }
    }

    private func frameSummary(_ decoded: DecodedFrame) -> String {
        guard let network = decoded.network else { return "Frame: \(decoded.capturedLength) bytes" + (decoded.error.map { " \($0)" } ?? "") }
        guard let tcp = decoded.tcp else { return "\(network.source) → \(network.destination)  IP protocol \(network.upperLayerProtocol)" }
        return network.source.endpointDescription(port: tcp.sourcePort) + " → " + network.destination.endpointDescription(port: tcp.destinationPort)
            + "  TCP:" + FrameDetails.tcpDescription(tcp, payloadLength: decoded.payloadWireLength, context: TCPContext())
    }
}
