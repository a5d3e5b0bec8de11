// Puts a diagnosis into one or two sentences an on-call person can act on.

/// Builds explanations. The log wording per gateway lets the reader grep their own logs.
enum Explanation {
    /// What each gateway writes in its log for each upstream failure (from the signature notes).
    static let logPhrases: [Gateway: [UpstreamCause: String]] = [
        .nginx: [
            .refused: "connect() failed (111: Connection refused) while connecting to upstream",
            .noAnswer: "upstream timed out (110: Connection timed out) while connecting to upstream",
            .reset: "recv() failed (104: Connection reset by peer) while reading response header from upstream",
            .closedBeforeResponse: "upstream prematurely closed connection while reading response header from upstream",
            .closedMidHeaders: "upstream prematurely closed connection while reading response header from upstream",
            .invalidResponse: "upstream sent invalid header (or \"too big header\") while reading response header from upstream",
            .timeout: "upstream timed out (110: Connection timed out) while reading response header from upstream",
        ],
        .apache: [
            .refused: "(111)Connection refused: AH00957: http: attempt to connect to ... failed",
            .reset: "AH01102: error reading status line from remote server",
            .closedBeforeResponse: "AH01102: error reading status line from remote server",
            .closedMidHeaders: "AH10404: Error reading headers from backend",
            .invalidResponse: "AH01102: error reading status line from remote server",
            .timeout: "AH01102: error reading status line from remote server (timeout)",
        ],
        .haproxy: [
            .refused: "termination state SC",
            .noAnswer: "termination state sC",
            .reset: "termination state SH",
            .closedBeforeResponse: "termination state SH",
            .closedMidHeaders: "termination state SH",
            .invalidResponse: "termination state PH",
            .timeout: "termination state sH",
        ],
        .envoy: [
            .refused: "response flag UF (reset reason: connection failure)",
            .noAnswer: "response flag UF (reset reason: connection failure)",
            .reset: "response flag UR (remote reset)",
            .closedBeforeResponse: "response flag UC (connection termination)",
            .closedMidHeaders: "response flag UC (connection termination)",
            .invalidResponse: "response flag UPE (protocol error)",
            .timeout: "response flag UT (upstream request timeout)",
        ],
        .squid: [
            .refused: "ERR_CONNECT_FAIL 111",
            .reset: "ERR_READ_ERROR",
            .closedBeforeResponse: "ERR_ZERO_SIZE_OBJECT",
            .closedMidHeaders: "ERR_INVALID_RESP",
            .invalidResponse: "ERR_INVALID_RESP",
            .timeout: "ERR_READ_TIMEOUT",
        ],
        .traefik: [
            .refused: "'502 Bad Gateway' caused by: dial tcp ...: connect: connection refused",
            .closedBeforeResponse: "'502 Bad Gateway' caused by: EOF",
            .closedMidHeaders: "'502 Bad Gateway' caused by: EOF",
        ],
        .caddy: [
            .refused: "dial tcp ...: connect: connection refused",
        ],
        .awsALB: [
            .reset: "elb_status_code=502 target_status_code=- (target reset the connection)",
            .closedBeforeResponse: "elb_status_code=502 target_status_code=- (target closed the connection)",
            .refused: "elb_status_code=502 target_status_code=- (connect refused)",
        ],
        .cloudflare: [
            .refused: "error 521 (origin refused the connection)",
            .noAnswer: "error 522 (connection to origin timed out)",
            .timeout: "error 524 (origin timed out after connecting)",
        ],
        .iisARR: [
            .refused: "502.3 with WinHTTP error 0x80072efd (cannot connect)",
            .timeout: "502.3 with WinHTTP error 0x80072ee2 (timeout)",
        ],
        .aspNetCoreModule: [
            .refused: "502.3 with WinHTTP error 0x80072efd (cannot connect)",
            .timeout: "502.3 with WinHTTP error 0x80072ee2 (WININET_E_TIMEOUT; requestTimeout expired)",
        ],
    ]

    /// What to check for each cause, in general terms.
    static let checks: [UpstreamCause: String] = [
        .refused: "check that the upstream process is running and listening on that address and port, and that the gateway points at the right one",
        .noAnswer: "check that the upstream host is up and routable and that no firewall or security group drops the gateway's SYNs",
        .reset: "check the upstream's logs for a crash or restart at that moment, and that its keep-alive idle timeout is longer than the gateway's",
        .closedBeforeResponse: "check the upstream's logs for a crash, a killed worker (OOM, worker timeout) or a restart, and its keep-alive idle timeout against the gateway's",
        .closedMidHeaders: "check the upstream for a crash while writing the response, and the size of its response headers",
        .invalidResponse: "check that the gateway speaks the upstream's protocol on that port (TLS vs plain HTTP, HTTP/2, FastCGI) and that its headers are valid and not too large",
        .timeout: "check what the upstream was doing with that request (slow query, lock, stuck worker); raise the gateway's timeout only if the work is legitimately slow",
        .upstream502: "diagnose the next hop: the upstream passed on a 502 from its own upstream",
        .unknown: "capture the gateway→upstream leg too (same host, both interfaces) and check the gateway's error log for this request",
    ]

    static func text(verdict: GeneratorVerdict, status: Int, finding: Diagnoser.Finding,
                     upstream: String?, latency: Int64?) -> String {
        let who: String
        let iisEntry = verdict.substatus.flatMap { IISSubstatus.entry(for: $0, gateway: verdict.gateway) }
        if verdict.gateway == .unknown {
            who = "No gateway signature matched this \(status) (it may come from the application itself)"
        } else if let substatus = verdict.substatus, let meaning = verdict.substatusMeaning {
            who = "\(verdict.gateway.displayName) returned \(substatus): \(meaning)"
        } else {
            // A weak match is often a pass-through (the proxy's Server header on the app's page).
            who = switch verdict.confidence {
            case .high: "\(verdict.gateway.displayName) generated this \(status)"
            case .medium: "\(verdict.gateway.displayName) most likely generated this \(status)"
            case .low: "This \(status) only weakly matches \(verdict.gateway.displayName) and may come from the application behind it"
            }
        }
        let target = upstream ?? "the upstream"
        var sentence = who
        if let happened = whatHappened(finding, gateway: verdict.gateway, upstream: target, latency: latency),
           !(finding.basis == .page && iisEntry != nil) {
            sentence += "; " + happened
        }
        sentence += "."
        var check = iisEntry?.check ?? checks[finding.cause] ?? ""
        if let phrase = logPhrases[verdict.gateway]?[finding.cause] {
            check += " (its log should say \"\(phrase)\")"
        }
        return check.isEmpty ? sentence : sentence + " " + capitalised(check) + "."
    }

    /// The setting that bounds how long each gateway waits for the upstream, with its default.
    static let timeoutSettings: [Gateway: String] = [
        .nginx: "proxy_read_timeout, default 60 s",
        .apache: "ProxyTimeout, default the server Timeout of 60 s",
        .haproxy: "timeout server",
        .envoy: "route timeout, default 15 s",
        .awsALB: "idle timeout, default 60 s",
        .cloudflare: "proxy read timeout, 100 s",
        .aspNetCoreModule: "requestTimeout, default 2 min",
        .iisARR: "server farm proxy timeout",
        .iis: "CGI timeout",
        .traefik: "responseHeaderTimeout",
        .kong: "read_timeout, default 60 s",
        .squid: "read_timeout, default 15 min",
        .varnish: "first_byte_timeout, default 60 s",
    ]

    static func whatHappened(_ finding: Diagnoser.Finding, gateway: Gateway, upstream: String, latency: Int64?) -> String? {
        switch finding.basis {
        case .none:
            return latency.map { "the capture does not show why (it left \(duration($0)) after the request)" }
                ?? "the capture does not show why"
        case .immediate:
            let after = latency.map { " \(duration($0)) after the request" } ?? ""
            return "it left\(after), too soon for an upstream round trip, so the gateway made no upstream attempt (no live upstream) or its connect was refused at once"
        case .roundTimeout:
            guard let silence = finding.silence, let seconds = Diagnoser.roundTimeout(silence) else {
                return "it left after a round number of seconds, which looks like a gateway timeout"
            }
            let setting = timeoutSettings[gateway].map { " (\($0))" } ?? ""
            return "it left \(duration(silence)) after the request, which matches a \(seconds) s gateway timeout\(setting)"
        case .page:
            return "the page says " + pageStatement(finding.cause)
        case .leg:
            return legStatement(finding, upstream: upstream)
        }
    }

    static func pageStatement(_ cause: UpstreamCause) -> String {
        switch cause {
        case .refused: "the connection to the upstream failed"
        case .noAnswer: "the upstream did not answer the connection attempt"
        case .reset: "the upstream reset the connection"
        case .closedBeforeResponse: "the upstream closed the connection without a response"
        case .closedMidHeaders: "the upstream's response was cut short"
        case .invalidResponse: "the upstream's response was invalid"
        case .timeout: "the upstream timed out"
        case .upstream502: "the origin itself answered 502"
        case .unknown: "nothing specific about the upstream"
        }
    }

    static func legStatement(_ finding: Diagnoser.Finding, upstream: String) -> String? {
        let race = finding.keepAliveRace
            ? " just as the gateway reused the idle keep-alive connection (upstream idle timeout shorter than the gateway's)"
            : ""
        switch finding.cause {
        case .refused:
            return "its connection to \(upstream) was refused (SYN answered by RST): nothing was listening there"
        case .noAnswer:
            let silence = finding.silence.map { " over \(duration($0))" } ?? ""
            return "\(finding.synCount) SYN(s) to \(upstream) got no answer\(silence)"
        case .reset:
            return "\(upstream) reset the connection without answering the request\(race)"
        case .closedBeforeResponse:
            return "\(upstream) closed the connection without sending a single response byte\(race)"
        case .closedMidHeaders:
            return "\(upstream) sent \(finding.responseBytes) bytes of a response head and then closed the connection"
        case .invalidResponse:
            if let status = finding.responseStatus {
                return "\(upstream) answered \(status) but the gateway rejected the response (headers invalid or too large, or it came too late)"
            }
            return "\(upstream) answered with bytes that are not an HTTP status line"
        case .timeout:
            let silence = finding.silence.map { " for \(duration($0))" } ?? ""
            return "\(upstream) accepted the request but sent nothing\(silence), and the gateway gave up"
        case .upstream502:
            return "\(upstream) itself answered 502 and the gateway passed it on"
        case .unknown:
            return "the leg to \(upstream) shows no failure the capture can explain"
        }
    }

    /// "850 µs", "12 ms", "60.0 s": integer arithmetic so the text is identical on every machine.
    static func duration(_ nanoseconds: Int64) -> String {
        let value = nanoseconds < 0 ? 0 : nanoseconds
        if value < 1_000_000 { return "\(value / 1_000) µs" }
        if value < 1_000_000_000 { return "\(value / 1_000_000) ms" }
        let tenths = value / 100_000_000
        return "\(tenths / 10).\(tenths % 10) s"
    }

    static func capitalised(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
