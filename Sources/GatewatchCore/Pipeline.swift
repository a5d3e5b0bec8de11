// The packet loop: read, decode, reassemble, parse, report, capture time only. The HTTP side runs
// on a second thread, and a savefile may be read ahead on a third.

import Capture
import Glibc
import PacketWire
import Rendering
import TCPReassembly

/// How a run ended.
public struct RunOutcome: Sendable {
    public var statistics: RunStatistics
    public var reassembly: ReassemblyStatistics
    /// A read error that ended the run early (a cut savefile); what came before it was printed.
    public var readError: PcapError?
    /// The `--summary` data, when asked for.
    public var summary: RunSummary?
    /// `--follow`: the stream number followed, nil when no connection matched.
    public var followedStream: Int?
    /// The `--report` data beyond the summary, when asked for.
    public var report: ReportData?
    /// `--write-matching`: packets written to its file.
    public var matchingWritten = 0
    /// `--write-matching`: packets pushed out of its bounded buffer before their connection matched.
    public var matchingDropped = 0
    /// Of `matchingDropped`, packets of connections that matched later: missing from the file.
    public var matchingMissing = 0
    /// Whether the HTTP side ran on a second thread.
    public var usedSecondThread = false
    /// Payload bytes handed to the second thread in place rather than copied (`StreamEventRecorder.Lending`).
    public var lentBytes = 0
    /// Savefile blocks the second thread read for the packet loop while it waited for work (`IdleReadAhead`).
    public var blocksReadAhead = 0
}

/// One run of Gatewatch over a packet source.
///
/// A run takes two threads (three with a savefile's read-ahead): this one reads, decodes and
/// reassembles, and records what the reassembler delivers (`StreamEventRecorder`); a second one
/// replays those events into the HTTP parsers, the 502 diagnosis and the output, in the same
/// order, so the output is byte for byte what one thread prints. A live capture hands its events
/// over at least every 50 ms of capture time and whenever the device goes quiet, so lines still
/// come as the traffic does. `--frames`, `--follow` and `--write-matching` run on one thread:
/// they act on each packet as it is read.
public final class Pipeline {
    private let options: PipelineOptions
    private let reporter: Reporter
    // The per-packet state below is private, touched only by this class's own methods on one
    // thread at a time, and never reached again from inside a call that already holds it (the
    // reassembler gets the assembler inout; neither knows the pipeline). Swift's run-time
    // exclusivity checks on it cost four calls a packet, 5% of a busy run (callgrind), so they are
    // off for these fields. On two threads the packet loop keeps to the fields above `assembler`
    // and the second thread to `assembler`, until the second thread has been joined.
    @exclusivity(unchecked) private var reassembler: TCPReassembler<MessageAssembler>
    @exclusivity(unchecked) private var defragmenter = IPDefragmenter()
    private let linkType: LinkType
    @exclusivity(unchecked) private var frameNumber: UInt64 = 0
    @exclusivity(unchecked) private var frameCounts = FrameCounts()
    @exclusivity(unchecked) private var warnedLinkType = false
    /// The TCP connection of the frame just processed (nil: none), for --write-matching.
    @exclusivity(unchecked) private var currentStream: Int?
    @exclusivity(unchecked) private var assembler: MessageAssembler
    /// Where warnings go (stderr in the CLI).
    public var warn: (String) -> Void = { _ in }

    public init(options: PipelineOptions, writer: OutputWriter, dataLinkType: Int32) {
        self.options = options
        self.linkType = LinkType(dlt: dataLinkType)
        self.reporter = Reporter(options: options, writer: writer, linkType: linkType)
        self.assembler = MessageAssembler(sink: MessageSink(reporter: reporter), httpLimits: options.httpLimits)
        if let target = options.follow {
            assembler.follower = ConversationFollower(target: target, writer: writer, nanoseconds: options.nanoseconds,
                                                      httpLimits: options.httpLimits)
        }
        self.reassembler = TCPReassembler(limits: options.reassemblyLimits)
    }

    /// Reads `handle` to its end (or until a stop is requested / `-c` is reached), writing every
    /// packet to `dumper` when given, and to `matchingDumper` every packet of the connections that
    /// carried a response matching `--status` (every 5xx without it) and of their upstream legs.
    public func run(_ handle: PcapHandle, dumper: PcapDumper? = nil, matchingDumper: PcapDumper? = nil,
                    progress: ProgressMeter? = nil) -> RunOutcome {
        if matchingDumper == nil, splitsAcrossThreads,
           let outcome = runOnTwoThreads(handle, dumper: dumper, progress: progress) {
            return outcome
        }
        var readError: PcapError?
        var matcher: MatchingPacketWriter?
        if let matchingDumper {
            if let filter = options.statusFilter ?? StatusFilter("5xx") {
                matcher = MatchingPacketWriter(dumper: matchingDumper, nanosecondPrecision: handle.nanosecondPrecision, filter: filter)
                assembler.sink.matcher = matcher
            }
        }
        loop: while !StopSignal.isRequested {
            switch handle.next() {
            case .packet(let record):
                dumper?.write(record, nanosecondPrecision: handle.nanosecondPrecision)
                process(time: record.time, bytes: record.bytes)
                matcher?.packet(record, frame: frameNumber, stream: currentStream)
                if let limit = options.packetLimit, frameNumber >= limit { break loop }
                if let progress, frameNumber & 2047 == 1 { progress.update(read: handle.fileOffset, statistics: assembler.sink.statistics) }
                // --follow: the conversation is complete; the rest of the file cannot add to it.
                if assembler.follower?.done == true { break loop }
            case .timeout:
                reporter.writer.flush()
                continue
            case .end:
                break loop
            case .failed(let error):
                readError = error
                break loop
            }
        }
        finish()
        progress?.erase()
        matcher?.finish()
        return outcome(readError: readError, reassembly: reassembler.statistics, matcher: matcher)
    }

    /// Whether this run may put the HTTP side on a second thread: nothing processed yet, and what
    /// `mayUseSecondThread` says.
    private var splitsAcrossThreads: Bool {
        guard frameNumber == 0, Self.mayUseSecondThread(options, writesMatching: false) else { return false }
        if case .other = linkType { return false }   // its warning is printed by the packet loop, which stays alone
        return true
    }

    /// Whether a run with `options` puts its HTTP side on a second thread: allowed, at
    /// least two processors, and no option that acts on each packet as it is read (`--frames`,
    /// `--follow`, `--write-matching`).
    public static func mayUseSecondThread(_ options: PipelineOptions, writesMatching: Bool) -> Bool {
        options.secondThread && !options.everyFrame && options.follow == nil && !writesMatching && processorCount >= 2
    }

    /// Whether a savefile is worth reading ahead on a thread of its own: not when the HTTP side
    /// takes the second of two processors. Measured on nginx-busy with two: the HTTP side on a
    /// second thread 1.65x tcpdump's time with the read-ahead thread, 1.54x without it; on one
    /// thread 1.98x with it, 2.35x without.
    public static func readAheadPays(_ options: PipelineOptions, writesMatching: Bool) -> Bool {
        !mayUseSecondThread(options, writesMatching: writesMatching) || processorCount >= 3
    }

    /// How a savefile should be opened for a run with `options` (`PcapHandle.openOffline`): the
    /// direct reader's block size and ring. When the HTTP side takes the second thread and the
    /// reader has no thread of its own, it reads 256 KiB blocks into a ring of 32 (8 MiB), so
    /// that records can be lent across rather than copied (`StreamEventRecorder.Lending`);
    /// otherwise 1 MiB blocks and no ring.
    public static func savefileReading(_ options: PipelineOptions, writesMatching: Bool)
        -> (readAhead: Bool, blockSize: Int, lendingSlots: Int) {
        let readAhead = readAheadPays(options, writesMatching: writesMatching)
        guard !readAhead, mayUseSecondThread(options, writesMatching: writesMatching) else { return (readAhead, 1 << 20, 1) }
        return (false, 256 << 10, max(32, options.handOver.lentBlocks * 4))
    }

    private static var processorCount: Int { sysconf(Int32(_SC_NPROCESSORS_ONLN)) }

    /// `run` with the HTTP side on a second thread; nil (nothing read) if the thread cannot be started.
    private func runOnTwoThreads(_ handle: PcapHandle, dumper: PcapDumper?, progress: ProgressMeter?) -> RunOutcome? {
        let channel = StreamEventChannel(limits: options.handOver)
        var recorder = StreamEventRecorder(limits: options.handOver, handOver: { channel.send($0) })
        // Records read in place from the savefile reader's ring are lent across instead of copied:
        // before the reader fills a slot again, it waits until the batches that lent from it are
        // back. The recorder hands a batch over once the reader is a few blocks past what it
        // lent, so that wait is for batches already sent; only a record running through more
        // blocks than the ring's spare ones (tiny test blocks) finds the batch being filled
        // holding the slot, and then that batch is handed over first (through `ledger.recorder`,
        // set while the loop runs: the reader asks from inside `handle.next()`, never while the
        // recorder is in use).
        var ledger: LendingLedger?
        let ring = handle.lendRecordBytes { slot in
            guard let ledger else { return }
            let needed = ledger.lastBatch(of: slot)
            guard needed >= 0 else { return }
            if let filling = ledger.recorder, unsafe (needed >= filling.pointee.batchNumber) { unsafe filling.pointee.flush() }
            channel.waitUntilReplayed(needed + 1)
        }
        if let ring, ring.slots > options.handOver.lentBlocks + 1, let base = ring.storage.baseAddress {
            let lentFrom = LendingLedger(slots: ring.slots)
            ledger = lentFrom
            recorder.lending = .init(base: UInt(bitPattern: base), blockSize: ring.blockSize, slots: ring.slots,
                                     lastBatch: lentFrom.lastBatch, ledger: lentFrom)
        }
        let lends = recorder.lending != nil
        // While the HTTP thread waits for a batch, it reads blocks of the ring ahead of the packet
        // loop, and the recorder wakes it when the packet loop has made room (`IdleReadAhead`).
        let idle = ledger.map { IdleReadAhead(handle: handle, ledger: $0, slots: $0.slots) }
        ledger?.wakeIdleReader = { channel.wakeConsumer() }
        assembler.elisionThreshold = options.handOver.elidedBodies   // before the second thread can read it
        let shared = SharedWithWorker(pipeline: self, progress: progress, channel: channel, idle: idle)
        guard let worker = WorkerThread({ shared.pipeline.replayBatches(from: shared.channel, progress: shared.progress, idle: shared.idle) }) else {
            assembler.elisionThreshold = nil   // one thread after all: nobody would take the announcements
            return nil
        }
        var recordingReassembler = TCPReassembler<StreamEventRecorder>(limits: options.reassemblyLimits)
        var readError: PcapError?
        // Live: the capture time of the last hand-over, so a trickle of traffic is not held back.
        let live = !handle.isSavefile
        var handedOver = Int64.min
        unsafe withUnsafeMutablePointer(to: &recorder) { recorder in
            ledger?.recorder = unsafe recorder
            loop: while !StopSignal.isRequested {
                switch handle.next() {
                case .packet(let record):
                    dumper?.write(record, nanosecondPrecision: handle.nanosecondPrecision)
                    if lends { unsafe recorder.pointee.readerAt(block: handle.blockNumber) }
                    unsafe process(time: record.time, bytes: record.bytes, reassembler: &recordingReassembler, handler: &recorder.pointee)
                    if let limit = options.packetLimit, frameNumber >= limit { break loop }
                    if progress != nil, frameNumber & 2047 == 1 { unsafe recorder.pointee.fileOffset = handle.fileOffset }
                    if live {
                        if handedOver == .min {
                            handedOver = record.time
                        } else if record.time < handedOver || record.time &- handedOver >= 50_000_000 {
                            unsafe recorder.pointee.flush()
                            handedOver = record.time
                        }
                    }
                case .timeout:
                    unsafe recorder.pointee.flush()
                case .end:
                    break loop
                case .failed(let error):
                    readError = error
                    break loop
                }
            }
            ledger?.recorder = nil
        }
        recordingReassembler.finish(handler: &recorder)
        recorder.flush()
        channel.close()
        worker.join()
        reporter.writer.flush()
        progress?.erase()
        var outcome = outcome(readError: readError, reassembly: recordingReassembler.statistics, matcher: nil)
        outcome.usedSecondThread = true
        outcome.lentBytes = recorder.lentBytes
        outcome.blocksReadAhead = handle.blocksReadAhead
        return outcome
    }

    /// The second thread: replays batch after batch into the HTTP side until the packet loop is done.
    private func replayBatches(from channel: StreamEventChannel, progress: ProgressMeter?, idle: IdleReadAhead?) {
        var zeros: [UInt8] = []
        while let batch = channel.receive(whileIdle: idle) {
            batch.replay(into: &assembler, zeros: &zeros)
            if let progress, let offset = batch.fileOffset { progress.update(read: offset, statistics: assembler.sink.statistics) }
            var announced: [BodyElision] = []
            swap(&announced, &assembler.elisions)
            channel.giveBack(batch, announcing: announced)
        }
    }

    private func outcome(readError: PcapError?, reassembly: ReassemblyStatistics, matcher: MatchingPacketWriter?) -> RunOutcome {
        var outcome = RunOutcome(statistics: statistics, reassembly: reassembly, readError: readError,
                                 summary: assembler.sink.summary, report: assembler.sink.report, matchingWritten: matcher?.writtenPackets ?? 0,
                                 matchingDropped: matcher?.droppedPackets ?? 0, matchingMissing: matcher?.missingPackets ?? 0)
        outcome.followedStream = assembler.follower?.stream
        return outcome
    }

    /// Processes the frames of `frames` as `run` would on two threads, but replays each batch on
    /// this thread as soon as it is handed over (tests and the fuzzer compare the two paths).
    public func processRecorded(_ frames: [(time: Int64, bytes: [UInt8])]) {
        assembler.elisionThreshold = options.handOver.elidedBodies
        var zeros: [UInt8] = []
        var recorder = StreamEventRecorder(limits: options.handOver, handOver: { [self] batch in
            batch.replay(into: &assembler, zeros: &zeros)
            var emptied = batch
            emptied.clear()
            var announced: [BodyElision] = []
            swap(&announced, &assembler.elisions)
            return (emptied, announced)
        })
        var recordingReassembler = TCPReassembler<StreamEventRecorder>(limits: options.reassemblyLimits)
        for frame in frames {
            frame.bytes.withUnsafeBytes { process(time: frame.time, bytes: $0, reassembler: &recordingReassembler, handler: &recorder) }
        }
        recordingReassembler.finish(handler: &recorder)
        recorder.flush()
        reporter.writer.flush()
    }

    /// Decodes and processes one frame. Public so tests and fuzzers can drive the pipeline directly.
    public func process(time: Int64, bytes: UnsafeRawBufferPointer) {
        process(time: time, bytes: bytes, reassembler: &reassembler, handler: &assembler)
    }

    /// Decodes one frame and hands its segment to `reassembler`, which tells `handler`.
    @inline(__always)
    private func process<Handler: PipelineStreamHandler>(time: Int64, bytes: UnsafeRawBufferPointer,
                                                         reassembler: inout TCPReassembler<Handler>, handler: inout Handler) {
        frameNumber += 1
        currentStream = nil
        frameCounts.packets += 1
        frameCounts.bytes += UInt64(bytes.count)
        if frameCounts.firstTime == nil { frameCounts.firstTime = time; handler.firstPacket(time: time) }
        frameCounts.lastTime = time
        let typed = bytes.assumingMemoryBound(to: UInt8.self)
        let frame = Span(_unsafeElements: typed)
        // The common frame takes the short decode; --frames needs every layer of every frame.
        if !options.everyFrame, let segment = SegmentDecoder.decode(frame, linkType: linkType) {
            if options.needsFrameBytes, segment.payloadLength > 0 { handler.frameToKeep(frame, number: frameNumber) }
            let payloadEnd = min(segment.payloadOffset + segment.payloadLength, frame.count)
            feed(source: FlowEndpoint(address: segment.source, port: segment.sourcePort),
                 destination: FlowEndpoint(address: segment.destination, port: segment.destinationPort),
                 vlanKey: segment.vlanKey, sequenceNumber: segment.sequenceNumber,
                 acknowledgmentNumber: segment.acknowledgmentNumber, flags: segment.flags, window: segment.window,
                 windowScale: segment.windowScale,
                 payload: frame.extracting(min(segment.payloadOffset, payloadEnd)..<payloadEnd),
                 wireLength: segment.payloadWireLength, time: time, reassembler: &reassembler, handler: &handler)
            return
        }
        // Options of non-SYN segments are not used here; --frames shows every frame's decode whole.
        let decoded = FrameDecoder.decode(frame, linkType: linkType, tcpOptionsOnSYNOnly: !options.everyFrame)
        if case .other = linkType, !warnedLinkType {
            warnedLinkType = true
            warn("warning: link type \(linkType.dlt) is not decoded; frames are counted but not dissected")
        }
        if options.everyFrame { reporter.emitFrame(number: frameNumber, time: time, bytes: frame, decoded: decoded) }
        guard let network = decoded.network else {
            frameCounts.undecodedFrames += 1
            reassembler.advanceTime(to: time, handler: &handler)
            return
        }
        let payloadEnd = min(decoded.payloadOffset + decoded.payloadLength, frame.count)
        let payloadStart = min(decoded.payloadOffset, payloadEnd)
        guard let tcp = decoded.tcp else {
            if network.isFragment, network.upperLayerProtocol == 6 {
                // An IP fragment of a TCP segment: held (copied, bounded) until its datagram is whole.
                frameCounts.ipFragments += 1
                if let datagram = defragmenter.addFragment(frame.extracting(payloadStart..<payloadEnd), network: network, time: time),
                   datagram.upperLayerProtocol == 6 {
                    let whole = datagram.payload.span
                    if let header = try? TCPHeader.decode(whole) {
                        feed(network: network, tcp: header, vlanKey: decoded.link?.vlanKey ?? 0,
                             payload: whole.extracting(header.headerLength..<whole.count),
                             wireLength: whole.count - header.headerLength, time: time, reassembler: &reassembler, handler: &handler)
                        return
                    }
                }
            } else {
                frameCounts.undecodedFrames += 1
            }
            reassembler.advanceTime(to: time, handler: &handler)
            return
        }
        // Tested on the options, not on `reporter.frames`: reading a class's var is a run-time exclusivity check per packet.
        if options.needsFrameBytes, decoded.payloadLength > 0 { handler.frameToKeep(frame, number: frameNumber) }
        feed(network: network, tcp: tcp, vlanKey: decoded.link?.vlanKey ?? 0,
             payload: frame.extracting(payloadStart..<payloadEnd), wireLength: decoded.payloadWireLength, time: time,
             reassembler: &reassembler, handler: &handler)
    }

    /// Hands one TCP segment of the current frame to the reassembler.
    private func feed<Handler: PipelineStreamHandler>(network: NetworkRepr, tcp: TCPRepr, vlanKey: UInt32, payload: Span<UInt8>,
                                                      wireLength: Int, time: Int64,
                                                      reassembler: inout TCPReassembler<Handler>, handler: inout Handler) {
        feed(source: FlowEndpoint(address: network.source, port: tcp.sourcePort),
             destination: FlowEndpoint(address: network.destination, port: tcp.destinationPort),
             vlanKey: vlanKey, sequenceNumber: tcp.sequenceNumber, acknowledgmentNumber: tcp.acknowledgmentNumber,
             flags: tcp.flags, window: tcp.window, windowScale: tcp.options.windowScale,
             payload: payload, wireLength: wireLength, time: time, reassembler: &reassembler, handler: &handler)
    }

    @inline(__always)
    private func feed<Handler: PipelineStreamHandler>(source: FlowEndpoint, destination: FlowEndpoint, vlanKey: UInt32,
                                                      sequenceNumber: UInt32, acknowledgmentNumber: UInt32, flags: TCPFlags,
                                                      window: UInt16, windowScale: UInt8?, payload: Span<UInt8>, wireLength: Int,
                                                      time: Int64, reassembler: inout TCPReassembler<Handler>, handler: inout Handler) {
        frameCounts.tcpSegments += 1
        let segment = TCPSegment(source: source, destination: destination, vlanKey: vlanKey,
                                 sequenceNumber: sequenceNumber, acknowledgmentNumber: acknowledgmentNumber,
                                 flags: flags, window: window, windowScale: windowScale,
                                 payloadWireLength: wireLength, frame: frameNumber, time: time)
        // process() advances the reassembler's clock to the segment's time before it applies it.
        let result = reassembler.process(segment, payload: payload, handler: &handler)
        currentStream = result.stream
        if flags.contains(.syn) {
            handler.synSeen(stream: result.stream, direction: result.direction, flags: flags, frame: frameNumber, time: time)
        }
    }

    /// Ends the run: declares what is still missing, closes every connection, flushes output.
    public func finish() {
        reassembler.finish(handler: &assembler)
        reporter.writer.flush()
    }

    /// Counters so far.
    public var statistics: RunStatistics { frameCounts.applied(to: assembler.sink.statistics) }
}

/// What the second thread is given: the pipeline whose `assembler` it drives (see the comment on
/// the pipeline's fields for who touches what), the progress line it redraws, and its channel.
private struct SharedWithWorker: @unchecked Sendable {
    let pipeline: Pipeline
    let progress: ProgressMeter?
    let channel: StreamEventChannel
    let idle: IdleReadAhead?
}
