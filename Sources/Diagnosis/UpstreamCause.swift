// What went wrong between the gateway and its upstream.

/// The failure on the gateway→upstream leg that made the gateway answer with an error.
/// Raw values are stable identifiers for output and JSON.
public enum UpstreamCause: String, Sendable {
    /// The upstream answered the SYN with RST: nothing listening on that port.
    case refused = "upstream-refused"
    /// The gateway's SYNs got no answer: host down, wrong address or a filtering firewall.
    case noAnswer = "upstream-no-answer"
    /// The upstream reset the connection after the request was sent.
    case reset = "upstream-reset"
    /// The upstream closed (FIN) before sending any response byte.
    case closedBeforeResponse = "upstream-closed-before-response"
    /// The upstream sent part of a response head, then closed or reset.
    case closedMidHeaders = "upstream-closed-mid-headers"
    /// The upstream's bytes are not an acceptable HTTP response (no status line, bad header).
    case invalidResponse = "upstream-invalid-response"
    /// The upstream accepted the request but did not answer before the gateway gave up.
    case timeout = "upstream-timeout"
    /// The upstream itself answered 502, and the gateway passed it on.
    case upstream502 = "upstream-502"
    /// Nothing in the capture says why.
    case unknown
}
