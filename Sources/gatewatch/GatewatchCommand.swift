// The command line: tcpdump's habits (-r, -i, -w, -c, -s, -D, -V, -X, a trailing filter).

import ArgumentParser
import Capture
import GatewatchCore
import HTTP1
import Glibc
import Rendering

struct GatewatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatewatch",
        abstract: "Capture or read packets, decode every HTTP exchange, and explain 502 Bad Gateway responses.",
        discussion: """
        EXAMPLES
          Reading a capture file
            gatewatch -r capture.pcap
                One line per HTTP message; 502s marked ! (red on a terminal).
            gatewatch -r capture.pcap --status 502
                Only the 502s, each with its request and why it happened.
            gatewatch -r capture.pcap --status 5xx -V -X
                Netmon frame details and hex dump of each 5xx.
            gatewatch -r capture.pcap --summary
                Status counts, 5xx causes, latency percentiles, top 502 URLs.
            gatewatch -r capture.pcap host 10.0.0.5
                Only the packets a BPF filter selects, as in tcpdump.
            tcpdump -i eth0 -w - | gatewatch -r -
                Read another sniffer's output from a pipe.

          Live capture (root, or CAP_NET_RAW)
            gatewatch -i eth0 tcp port 80
                Sniff; Ctrl-C stops and prints tcpdump's packet counts.
            gatewatch -i lo -w saved.pcap --status 502
                Show the 502s, keep every packet (complete after Ctrl-C).
            gatewatch -D
                List the interfaces.

          One conversation
            gatewatch -r capture.pcap --follow 3
                Stream 3 (the "stream" of --json, Wireshark's tcp.stream).
            gatewatch -r capture.pcap --follow 10.0.0.1:41620,10.0.0.2:80
                The first connection between these endpoints.

          A visual report
            gatewatch -r capture.pcap --report report.html
                One self-contained HTML page: responses per second with the
                502s marked, latency histograms, the table of 502s, counts.

          For scripts and other tools
            gatewatch -r capture.pcap --json
                One JSON object per message.
            gatewatch -r capture.pcap --status 502 --write-matching 502s.pcap
                Every connection with a 502, and its upstream legs, as pcap.
            gatewatch -r capture.pcap -tt
                Epoch seconds (-ttt since the previous line, -ttttt since
                the first packet).

        EXIT STATUS
          0  success
          1  runtime error (unreadable or corrupt file, capture failure, --follow found nothing)
          2  usage error

        Times are UTC; names are never looked up. NO_COLOR turns colour off
        under --color auto. A progress line shows on stderr for files of
        4 MiB or more when stderr is a terminal (not with -q). HTTP is
        parsed on a second thread when there are two processors;
        GATEWATCH_THREADS=1 keeps it on one.

        The manual page is docs/gatewatch.1; shell completions are in
        docs/completions (or: gatewatch --generate-completion-script bash).
        """,
        version: "gatewatch 0.1.0"
    )

    @Option(name: .customShort("r"), help: ArgumentHelp("Read packets from a pcap or pcapng file ('-' for stdin).", valueName: "file"),
            completion: .file(extensions: ["pcap", "pcapng", "cap"]))
    var readFile: String?

    @Option(name: .customShort("i"), help: ArgumentHelp("Capture live on an interface (needs root or CAP_NET_RAW).", valueName: "interface"),
            completion: .shellCommand("ls /sys/class/net"))
    var interface: String?

    @Option(name: .customShort("w"), help: ArgumentHelp("Also write every packet read to a pcap file (complete even after Ctrl-C).", valueName: "file"),
            completion: .file())
    var writeFile: String?

    @Option(name: .customShort("c"), help: ArgumentHelp("Stop after this many packets.", valueName: "count"))
    var count: Int?

    @Option(name: .customShort("s"), help: ArgumentHelp("Snapshot length for live capture, in bytes (default 262144).", valueName: "snaplen"))
    var snapLength: Int32 = 262_144

    @Option(name: .customShort("B"), help: ArgumentHelp("Kernel capture buffer size, in KiB (default 16384).", valueName: "KiB"))
    var bufferSize: Int32?

    @Option(name: .customShort("Z"), help: ArgumentHelp("After opening the device, drop root to this user ('root' keeps root).", valueName: "user"))
    var dropUser: String?

    @Flag(name: .customShort("p"), help: "Do not put the interface into promiscuous mode.")
    var noPromiscuous = false

    @Flag(name: .customShort("D"), help: "List the interfaces that can be captured on, and exit.")
    var listInterfaces = false

    @Flag(name: .customShort("V"), help: "Netmon frame details (Frame, Ethernet, Ipv4, Tcp, HTTP lines) for each message's first frame.")
    var verbose = false

    @Flag(name: .customShort("X"), help: "Netmon hex dump of each message's first frame.")
    var hexDump = false

    @Flag(name: .customLong("frames"), help: "Apply -V/-X to every frame, not only to message starts.")
    var everyFrame = false

    @Flag(name: .customLong("json"), help: "One JSON object per HTTP message instead of text.")
    var json = false

    @Option(name: .customLong("status"), help: ArgumentHelp("Show only responses with these statuses, with their requests (502, 5xx, 502,504).", valueName: "list"))
    var status: String?

    @Flag(name: .customLong("summary"), help: "At the end, print a summary: responses by status, 5xx by generator and cause, latency percentiles, top 502 URLs, gaps.")
    var summary = false

    @Option(name: .customLong("report"), help: ArgumentHelp("At the end (also after Ctrl-C), write a self-contained HTML page: responses per second by status class with the 502s marked, latency histograms per status, the table of 502s, the summary counts.", valueName: "file"),
            completion: .file(extensions: ["html"]))
    var reportFile: String?

    @Option(name: .customLong("write-matching"), help: ArgumentHelp("Write every packet of each connection with a response matching --status (all 5xx without it), and its upstream legs, to a pcap file.", valueName: "file"),
            completion: .file())
    var writeMatchingFile: String?

    @Option(name: .customLong("follow"), help: ArgumentHelp("Print one TCP conversation, both directions in order, heads decoded and bodies shown (de-chunked; binary as hex), gaps marked: a stream number as in --json's \"stream\" and Wireshark's tcp.stream, or two endpoints as printed (10.0.0.1:41620,10.0.0.2:80).", valueName: "stream"))
    var follow: String?

    @Option(name: .customLong("color"), help: ArgumentHelp("Colour: auto (a terminal and NO_COLOR unset), always, never.", valueName: "when"),
            completion: .list(ColorMode.allCases.map(\.rawValue)))
    var color: String = "auto"

    @Flag(name: .customShort("t"), help: "Time: -tt epoch seconds, -ttt since the previous line, -ttttt since the first packet (default: UTC date and time).")
    var timeFlags: Int

    @Flag(name: .customShort("n"), help: "Accepted for tcpdump habit; Gatewatch never resolves names.")
    var numeric = false

    @Flag(name: .customShort("q"), help: "Quiet: no statistics or progress on stderr (progress shows for files of 4 MiB or more when stderr is a terminal).")
    var quiet = false

    @Flag(name: .customLong("stats"), help: "Print reassembly and HTTP statistics to stderr at the end.")
    var printStatistics = false

    @Option(name: .customLong("max-connections"), help: ArgumentHelp("Connections tracked at once; the oldest idle are evicted beyond it (default 50000).", valueName: "n"))
    var maxConnections: Int?

    @Option(name: .customLong("max-buffer"), help: ArgumentHelp("MiB of out-of-order data held in all (default 16).", valueName: "MiB"))
    var maxBufferMiB: Int?

    @Option(name: .customLong("max-flow-buffer"), help: ArgumentHelp("KiB of out-of-order data held per direction (default 1024).", valueName: "KiB"))
    var maxFlowBufferKiB: Int?

    @Option(name: .customLong("hold-timeout"), help: ArgumentHelp("Seconds of capture time a hole may wait before it is a gap (default 3).", valueName: "s"))
    var holdTimeout: Double?

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Seconds of capture time before an idle connection is forgotten (default 300).", valueName: "s"))
    var idleTimeout: Double?

    @Option(name: .customLong("max-head"), help: ArgumentHelp("KiB an HTTP head may take before it is malformed (default 64).", valueName: "KiB"))
    var maxHeadKiB: Int?

    @Option(name: .customLong("max-headers"), help: ArgumentHelp("Header fields an HTTP head may hold before it is malformed (default 256).", valueName: "n"))
    var maxHeaders: Int?

    @Argument(help: ArgumentHelp("A libpcap (BPF) filter expression, as in tcpdump.", valueName: "expression"))
    var filter: [String] = []

    func validate() throws {
        if !listInterfaces {
            guard (readFile == nil) != (interface == nil) else {
                throw ValidationError(readFile == nil ? "give -r FILE to read a capture or -i INTERFACE to sniff one" : "-r and -i cannot be used together")
            }
        }
        if let count, count <= 0 { throw ValidationError("-c needs a positive packet count") }
        if snapLength <= 0 { throw ValidationError("-s needs a positive snapshot length") }
        if let status, StatusFilter(status) == nil {
            throw ValidationError("--status takes codes and classes like 502, 5xx or 502,504 (got '\(status)')")
        }
        if let follow {
            guard FollowTarget(follow) != nil else {
                throw ValidationError("--follow takes a stream number (0, 1, …) or two endpoints like 10.0.0.1:41620,10.0.0.2:80 (got '\(follow)')")
            }
            let clashing = [("--json", json), ("-V", verbose), ("-X", hexDump), ("--frames", everyFrame), ("--status", status != nil),
                            ("--summary", summary), ("--write-matching", writeMatchingFile != nil), ("--report", reportFile != nil)].filter { $0.1 }.map { $0.0 }
            if !clashing.isEmpty {
                throw ValidationError("--follow prints one conversation; it cannot be combined with \(clashing.joined(separator: ", "))")
            }
        }
        if ColorMode(rawValue: color) == nil { throw ValidationError("--color takes auto, always or never (got '\(color)')") }
        if let maxHeadKiB, !(1...16_384).contains(maxHeadKiB) { throw ValidationError("--max-head takes 1 to 16384 KiB") }
        if let maxHeaders, !(1...100_000).contains(maxHeaders) { throw ValidationError("--max-headers takes 1 to 100000") }
        for (name, value) in [("--max-connections", maxConnections), ("--max-buffer", maxBufferMiB), ("--max-flow-buffer", maxFlowBufferKiB)] {
            if let value, value <= 0 || value > 1 << 20 { throw ValidationError("\(name) needs a positive number up to 1048576") }
        }
        for (name, value) in [("--hold-timeout", holdTimeout), ("--idle-timeout", idleTimeout)] {
            if let value, !(value > 0 && value <= 86_400) { throw ValidationError("\(name) needs seconds between 0 and 86400") }
        }
        if ![0, 2, 3, 5].contains(timeFlags) { throw ValidationError("use -tt, -ttt or -ttttt for the time display") }
    }

    func run() throws { Glibc.exit(execute()) }

    /// Runs the command and returns the exit status: 0 ok, 1 runtime error.
    func execute() -> Int32 {
        if listInterfaces { return listDevices() }
        let handle: PcapHandle
        let source: String
        do {
            if let readFile {
                source = readFile
                var planned = PipelineOptions()
                planned.everyFrame = everyFrame
                planned.follow = follow.flatMap(FollowTarget.init)
                planned.secondThread = Self.environment()["GATEWATCH_THREADS"] != "1"
                let reading = Pipeline.savefileReading(planned, writesMatching: writeMatchingFile != nil)
                handle = try PcapHandle.openOffline(path: readFile, directReadBlockSize: reading.blockSize,
                                                    directReadAhead: reading.readAhead, directLendingSlots: reading.lendingSlots)
            } else {
                let device = interface ?? "any"
                source = device
                var live = PcapHandle.LiveOptions()
                live.snapshotLength = snapLength
                live.promiscuous = !noPromiscuous
                // Deeper than libpcap's 2 MiB by default: HTTP parsing costs more a packet than
                // tcpdump's copy to a file, and a ring that absorbs a 50 ms stall at 200 MB/s
                // keeps a busy loopback from dropping while the box is loaded (see the README).
                live.bufferSizeKiB = bufferSize ?? 16_384
                handle = try PcapHandle.openLive(device: device, options: live)
                if let warning = handle.activationWarning, !quiet { FileHandleOutput.standardError("gatewatch: warning: \(warning)") }
            }
            if !filter.isEmpty { try handle.setFilter(filter.joined(separator: " ")) }
        } catch {
            FileHandleOutput.standardError("gatewatch: " + explain(error, live: interface != nil))
            return 1
        }
        var dumper: PcapDumper?
        if let writeFile {
            do { dumper = try handle.openDumper(path: writeFile) } catch {
                FileHandleOutput.standardError("gatewatch: \(error.message)")
                return 1
            }
        }
        var matchingDumper: PcapDumper?
        if let writeMatchingFile {
            do { matchingDumper = try handle.openDumper(path: writeMatchingFile) } catch {
                FileHandleOutput.standardError("gatewatch: \(error.message)")
                return 1
            }
        }
        var report: ReportFile?
        if let reportFile {
            do { report = try ReportFile(path: reportFile) } catch {
                FileHandleOutput.standardError("gatewatch: \(error.message)")
                return 1
            }
        }
        if interface != nil {
            do {
                if let dropUser {
                    try PrivilegeDrop.drop(to: dropUser)
                } else if PrivilegeDrop.isRoot, let fallback = PrivilegeDrop.defaultUser() {
                    try PrivilegeDrop.drop(to: fallback)
                }
            } catch {
                FileHandleOutput.standardError("gatewatch: \(error.message)")
                return 1
            }
        }
        StopSignal.install(interrupting: interface != nil ? handle : nil)

        var options = PipelineOptions()
        options.verbose = verbose
        options.hexDump = hexDump
        options.everyFrame = everyFrame
        options.json = json
        options.statusFilter = status.flatMap(StatusFilter.init)
        options.packetLimit = count
        options.summary = summary
        options.follow = follow.flatMap(FollowTarget.init)
        options.report = report != nil
        if maxHeadKiB != nil || maxHeaders != nil {
            let head = (maxHeadKiB ?? 64) * 1024
            options.httpLimits = HTTPLimits(maxHeadBytes: head, maxHeaders: maxHeaders ?? 256, maxStartLine: min(16 * 1024, head))
        }
        if let maxConnections { options.reassemblyLimits.maxConnections = maxConnections }
        if let maxBufferMiB { options.reassemblyLimits.maxBufferedBytes = maxBufferMiB << 20 }
        if let maxFlowBufferKiB { options.reassemblyLimits.maxBufferedBytesPerDirection = maxFlowBufferKiB << 10 }
        if let holdTimeout { options.reassemblyLimits.holdTimeout = Int64(holdTimeout * 1e9) }
        if let idleTimeout { options.reassemblyLimits.idleTimeout = Int64(idleTimeout * 1e9) }
        options.nanoseconds = handle.sourceHasNanoseconds && readFile != nil
        switch timeFlags {
        case 2: options.timeDisplay = .epoch
        case 3: options.timeDisplay = .sincePrevious
        case 5: options.timeDisplay = .sinceFirst
        default: options.timeDisplay = .absolute
        }
        let environment = Self.environment()
        // GATEWATCH_THREADS=1 keeps the HTTP side on the packet loop's thread (benchmarks, a busy box).
        options.secondThread = environment["GATEWATCH_THREADS"] != "1"
        let colored = (ColorMode(rawValue: color) ?? .auto).enabled(isTerminal: isatty(1) == 1, environment: environment)
        let writer = OutputWriter(colored: colored, flushEachLine: interface != nil)
        let progress = makeProgressMeter()
        if let progress, isatty(1) == 1 { writer.beforeWrite = { progress.erase() } }
        let pipeline = Pipeline(options: options, writer: writer, dataLinkType: handle.dataLinkType)
        pipeline.warn = { progress?.erase(); FileHandleOutput.standardError("gatewatch: " + $0) }
        let outcome = pipeline.run(handle, dumper: dumper, matchingDumper: matchingDumper, progress: progress)
        dumper?.close()
        matchingDumper?.close()
        if summary {
            if json { writer.line(SummaryText.json(outcome)) } else { writer.lines(SummaryText.lines(outcome)) }
        }
        writer.flush()
        var reportFailed = false
        if let report {
            let name = readFile.map { $0 == "-" ? "standard input" : Self.fileName($0) } ?? "live capture on \(source)"
            do { try report.write(ReportHTML.page(outcome, source: name)) } catch {
                FileHandleOutput.standardError("gatewatch: \(error.message)")
                reportFailed = true
            }
        }

        if interface != nil, !quiet, let stats = handle.statistics() {
            FileHandleOutput.standardError("""
            \(outcome.statistics.packets) packets captured
            \(stats.received) packets received by filter
            \(stats.droppedByKernel) packets dropped by kernel
            \(stats.droppedByInterface) packets dropped by interface
            """)
        }
        if printStatistics {
            for line in StatisticsText.lines(outcome) { FileHandleOutput.standardError(line) }
        }
        if !quiet, let note = StatisticsText.limitNote(outcome) { FileHandleOutput.standardError("gatewatch: " + note) }
        if !quiet, outcome.matchingDropped > 0 {
            FileHandleOutput.standardError("gatewatch: note: --write-matching dropped \(outcome.matchingDropped) buffered packets (64 MiB in all, 8 MiB per connection), "
                                           + "\(outcome.matchingMissing) of them from connections written to the file")
        }
        if let follow, outcome.followedStream == nil, outcome.readError == nil {
            let opened = outcome.reassembly.connectionsOpened
            let range = opened == 0 ? "the capture has no TCP connection" : opened == 1 ? "the capture has one, stream 0" : "the capture has \(opened), streams 0 to \(opened - 1)"
            FileHandleOutput.standardError("gatewatch: --follow \(follow): no such TCP conversation (\(range))")
            return 1
        }
        if let error = outcome.readError {
            FileHandleOutput.standardError("gatewatch: \(source): \(error.message)")
            return 1
        }
        return reportFailed ? 1 : 0
    }

    /// The last component of a path: the report names the capture, not where it sat.
    private static func fileName(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }

    /// Files smaller than this are read too fast for a progress line to help.
    static let progressThreshold: Int64 = 4 << 20

    /// The stderr progress line: only for a savefile of a few MB or more, with stderr on a terminal, without -q.
    private func makeProgressMeter() -> ProgressMeter? {
        guard let readFile, readFile != "-", !quiet, isatty(2) == 1, let size = regularFileSize(readFile),
              size >= Self.progressThreshold else { return nil }
        return ProgressMeter(totalBytes: size, width: { terminalColumns(2) }, write: FileHandleOutput.rawStandardError)
    }

    private func listDevices() -> Int32 {
        do {
            let devices = try CaptureDevice.all()
            for (index, device) in devices.enumerated() { print(device.listing(number: index + 1)) }
            return 0
        } catch {
            FileHandleOutput.standardError("gatewatch: \(error.message)")
            return 1
        }
    }

    /// One clear line for an open/filter failure, with the fix where there is one.
    private func explain(_ error: PcapError, live: Bool) -> String {
        switch error.kind {
        case .permission where !live:
            let user = PrivilegeDrop.currentUserName.map { "user \($0)" } ?? "this user"
            return "\(error.message): \(user) cannot read it; make it readable (chmod a+r) or read it as its owner (reading a capture never needs root)"
        case .filter:
            return "\(error.message) (the syntax is libpcap's, as in tcpdump: see 'man pcap-filter')"
        case .permission:
            return "\(error.message): run as root or grant CAP_NET_RAW (setcap cap_net_raw,cap_net_admin+eip $(which gatewatch))"
        case .noSuchDevice:
            return "\(error.message): no such interface; 'gatewatch -D' lists them"
        default:
            return error.message
        }
    }

    static func environment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
