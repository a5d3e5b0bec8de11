// One HTTP message as the renderers see it: owned values, decoded once, printed many ways.

import Diagnosis

/// An HTTP request or response ready to print. Built only for messages that will be shown, so
/// the packet loop never pays for these strings on messages a filter drops.
public struct MessageRecord: Sendable {
    public enum Kind: String, Sendable { case request, response }

    /// How the message ended on the wire.
    public enum Completion: Sendable, Equatable {
        case complete
        case incomplete(gapBytes: UInt64)   // bytes lost inside it (a gap in the capture)
        case cutByClose                     // the connection closed inside it
        case unfinished                     // the capture ended inside it
        case tunnel                         // CONNECT / 101: what follows is not HTTP
    }

    /// The request a response answers.
    public struct PairedRequest: Sendable {
        public var frame: UInt64
        public var time: Int64
        public var method: String
        public var uri: String
        public var host: String?
        public var bodyBytes: UInt64
        public init(frame: UInt64, time: Int64, method: String, uri: String, host: String?, bodyBytes: UInt64) {
            self.frame = frame; self.time = time; self.method = method; self.uri = uri; self.host = host; self.bodyBytes = bodyBytes
        }
    }

    public var kind: Kind
    public var frame: UInt64
    public var time: Int64
    public var stream: Int
    public var source: String          // "ip:port"
    public var destination: String
    public var version: String         // "HTTP/1.1"
    public var method: String = ""
    public var uri: String = ""
    public var host: String?
    public var status: Int = 0
    public var reason: String = ""
    public var headers: [(name: String, value: String)] = []
    public var bodyBytes: UInt64 = 0
    /// Payload bytes after the head in the message's first frame (Netmon's "data bytes remaining").
    public var bytesAfterHeadInFrame: Int = 0
    public var completion: Completion = .complete
    public var anomalies: [String] = []
    public var request: PairedRequest?
    public var diagnosis: Diagnosis?

    public init(kind: Kind, frame: UInt64, time: Int64, stream: Int, source: String, destination: String, version: String) {
        self.kind = kind
        self.frame = frame
        self.time = time
        self.stream = stream
        self.source = source
        self.destination = destination
        self.version = version
    }

    /// Request-to-response time in nanoseconds, when the request is known.
    public var latency: Int64? { request.map { time - $0.time } }
}
