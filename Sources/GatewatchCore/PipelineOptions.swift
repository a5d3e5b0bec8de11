// What the user asked the pipeline to show and how.

import HTTP1
import Rendering
import TCPReassembly

/// Options that shape decoding and output; the CLI fills these from its flags.
public struct PipelineOptions: Sendable {
    /// `-V`: Netmon frame details for the frame where each message begins.
    public var verbose = false
    /// `-X`: Netmon hex dump of that frame.
    public var hexDump = false
    /// `--frames`: apply the frame views to every frame, not only message starts.
    public var everyFrame = false
    /// `--json`: one JSON object per message instead of text.
    public var json = false
    /// `--status LIST`: show only matching responses, with their requests.
    public var statusFilter: StatusFilter?
    /// tcpdump's `-t` family.
    public var timeDisplay: TimeDisplay = .absolute
    /// Print nine fractional digits (set when the source records nanoseconds).
    public var nanoseconds = false
    /// `-c N`: stop after this many packets.
    public var packetLimit: Int?
    public var reassemblyLimits = ReassemblyLimits.default
    public var httpLimits = HTTPLimits.default
    /// `--summary`: gather the end-of-run summary (`RunOutcome.summary`).
    public var summary = false
    /// `--follow`: print this one conversation instead of message lines.
    public var follow: FollowTarget?
    /// `--report`: gather the report's data (`RunOutcome.report`) and the summary it shows.
    public var report = false
    /// Whether the HTTP side may run on a second thread (see `Pipeline`); the output is
    /// the same either way. `GATEWATCH_THREADS=1` turns it off in the CLI.
    public var secondThread = true
    /// How much the packet loop records before it hands a batch to the second thread. The
    /// defaults bound the hand-over's memory (a few MiB); tests make them tiny to hand over often.
    public var handOver = HandOver()

    /// Sizes of one batch of recorded stream events (`StreamEventBatch`).
    public struct HandOver: Sendable {
        /// Events in a batch.
        public var events = 8_192
        /// Copied payload bytes in a batch; a larger span still goes in whole, alone.
        public var bytes = 512 << 10
        /// The rest of a Content-Length body at least this long, which nothing looks at, is not
        /// copied across (its deliveries are counted only; see `BodyElision`); nil copies all.
        public var elidedBodies: UInt64? = 64 << 10
        /// When the savefile's records are lent in place rather than copied (see
        /// `StreamEventRecorder`): a batch is handed over once the reader has moved this many
        /// blocks past the first block it lent from, so a block is never wanted back by the
        /// batch still being filled when the reader's ring comes round to it.
        public var lentBlocks = 8
        public init() {}
        public init(events: Int, bytes: Int, elidedBodies: UInt64? = 64 << 10) {
            self.events = max(1, events)
            self.bytes = max(1, bytes)
            self.elidedBodies = elidedBodies
        }
    }

    public init() {}

    /// Whether frame bytes must be kept briefly for the views.
    var needsFrameBytes: Bool { verbose || hexDump }
}
