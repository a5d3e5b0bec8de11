// End-of-run statistics as text for stderr: what was read, reassembled, parsed, and what limits cost.

/// The `--stats` block, and the note printed whenever a limit dropped something.
public enum StatisticsText {
    /// Every counter worth knowing after a run, one `name: value` line each.
    public static func lines(_ outcome: RunOutcome) -> [String] {
        let run = outcome.statistics, tcp = outcome.reassembly
        var lines = [
            "packets: \(run.packets) (\(run.bytes) bytes), TCP segments: \(run.tcpSegments), IP fragments: \(run.ipFragments), not decoded: \(run.undecodedFrames)",
            "connections: \(tcp.connectionsOpened) opened, \(tcp.portReuses) port reuses, \(tcp.connectionsExpired) expired idle, \(tcp.connectionsEvicted) evicted by --max-connections",
            "segments: \(tcp.outOfOrder) out of order, \(tcp.retransmissions) retransmitted, \(tcp.duplicates) duplicated, \(tcp.overlapConflicts) overlaps with different data, \(tcp.keepAlives) keep-alives, \(tcp.zeroWindowProbes) zero-window probes",
            "gaps: \(tcp.gaps) (\(tcp.gapBytes) bytes): \(tcp.acknowledgedGaps) acknowledged past, \(tcp.holdTimeoutGaps) waited past --hold-timeout, \(tcp.bufferCapGaps) over the buffer limits, \(tcp.snaplenGaps) cut by the snapshot length",
            "held out of order: peak \(tcp.peakBufferedBytes) bytes",
            "HTTP: \(run.requests) requests, \(run.responses) responses, \(run.incompleteMessages) incomplete, \(run.unansweredRequests) unanswered, \(run.malformed) malformed",
        ]
        let statuses = run.responsesByStatus.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        if !statuses.isEmpty { lines.append("responses by status: " + statuses.joined(separator: ", ")) }
        return lines
    }

    /// A note for stderr when a limit dropped data, naming the flag that raises it; nil when none did.
    public static func limitNote(_ outcome: RunOutcome) -> String? {
        let tcp = outcome.reassembly
        var parts: [String] = []
        if tcp.connectionsEvicted > 0 { parts.append("\(tcp.connectionsEvicted) connections evicted (raise --max-connections)") }
        if tcp.bufferCapGaps > 0 { parts.append("\(tcp.bufferCapGaps) gaps forced by the out-of-order buffer limits (raise --max-buffer / --max-flow-buffer)") }
        return parts.isEmpty ? nil : "note: " + parts.joined(separator: "; ")
    }
}
