// What the packet loop tells the HTTP side besides the reassembler's events.

import PacketWire
import TCPReassembly

/// The reassembler's events plus the three facts the packet loop itself learns about a frame.
///
/// `MessageAssembler` acts on them at once; `StreamEventRecorder` writes them down for the
/// second pipeline thread, which replays them into a `MessageAssembler` in the same order.
protocol PipelineStreamHandler: TCPStreamHandler {
    /// The run's first packet, whatever it carries (the origin of `-ttttt` times).
    mutating func firstPacket(time: Int64)
    /// A SYN or SYN/ACK of `stream`, after the reassembler has applied it.
    mutating func synSeen(stream: Int, direction: StreamDirection, flags: TCPFlags, frame: UInt64, time: Int64)
    /// A payload-carrying frame, kept for the frame views (`-V`, `-X`) of a message starting in it.
    mutating func frameToKeep(_ bytes: Span<UInt8>, number: UInt64)
}

extension MessageAssembler: PipelineStreamHandler {
    mutating func firstPacket(time: Int64) {
        sink.reporter.noteFirstPacket(time: time)
    }

    mutating func synSeen(stream: Int, direction: StreamDirection, flags: TCPFlags, frame: UInt64, time: Int64) {
        sink.legs.noteSyn(stream: stream, direction: direction, flags: flags, frame: frame, time: time)
    }

    mutating func frameToKeep(_ bytes: Span<UInt8>, number: UInt64) {
        sink.reporter.frames?.store(frame: number, bytes: bytes)
    }
}
