// The generator table: every product's error-page signature, in one place.
//
// Markers come from /work/shared/notes/502-signatures.md and from pages captured here from Debian's
// nginx 1.22, HAProxy 2.6, Apache 2.4, Squid 5.7, Caddy 2.6 and Varnish 7.1
// (Tests/DiagnosisTests/Pages). To support a new product, add a `Gateway` case and one entry below. Order matters only to break exact ties: the IIS
// family shares the detailed-error-page markers, so a bare detailed page goes to plain IIS, an
// `X-Powered-By: ARR` header tips it to ARR, and ANCM's own texts outrank both.

extension GeneratorClassifier {
    /// Markers of IIS's detailed error page, which every IIS-hosted generator can show.
    static let iisDetailedPage: [GeneratorSignature.BodyMarker] = [
        .init("Detailed Error - 502.", .distinctive, label: "IIS detailed error page"),
        .init("HTTP Error 502.", .generic, label: "HTTP Error 502.x heading"),
    ]

    /// The signature table, most specific products first.
    public static let signatures: [GeneratorSignature] = [
        GeneratorSignature(.iis, body: [
            // The title is shared by every IIS CGI error (timeout too), so only the sentences imply a code.
            .init("<title>Error in CGI Application</title>", .distinctive, label: "IIS CGI error title"),
            .init("misbehaved by not returning a complete set of HTTP headers", .distinctive,
                  label: "IIS CGI: incomplete headers", impliedSubstatus: "502.2", cause: .closedBeforeResponse),
            .init("did not return a complete set of HTTP headers", .distinctive,
                  label: "IIS CGI: incomplete headers", impliedSubstatus: "502.2", cause: .closedBeforeResponse),
            .init("exceeded the allowed time for processing", .distinctive, label: "IIS CGI timeout text",
                  impliedSubstatus: "502.1", cause: .timeout),
            .init("<h1>CGI Error</h1>", .distinctive, label: "IIS CGI error heading"),
        ] + iisDetailedPage, headers: [
            .init("Server", .prefix("Microsoft-IIS"), .identifying, label: "Server: Microsoft-IIS"),
            .init("X-Powered-By", .prefix("ASP.NET"), .supporting, label: "X-Powered-By: ASP.NET"),
        ], readsSubstatus: true),

        GeneratorSignature(.aspNetCoreModule, body: [
            .init("ANCM Out-Of-Process Startup Failure", .distinctive, label: "ANCM startup failure page",
                  impliedSubstatus: "502.5"),
            .init("502.5 - Process Failure", .distinctive, label: "ANCM process failure page",
                  impliedSubstatus: "502.5"),
            .init("The application process failed to start", .distinctive, label: "ANCM: process failed to start",
                  impliedSubstatus: "502.5"),
            .init("There was a connection error while trying to route the request", .distinctive,
                  label: "ANCM connection error text", impliedSubstatus: "502.3"),
        ] + iisDetailedPage, headers: [
            .init("Server", .prefix("Microsoft-IIS"), .identifying, label: "Server: Microsoft-IIS"),
        ], readsSubstatus: true),

        GeneratorSignature(.iisARR, body: [
            .init("Web server received an invalid response while acting as a gateway or proxy server",
                  .distinctive, label: "IIS gateway error page"),
            .init("it received an invalid response from the content server", .distinctive,
                  label: "IIS: invalid response from content server"),
        ] + iisDetailedPage, headers: [
            .init("X-Powered-By", .prefix("ARR/"), .identifying, label: "X-Powered-By: ARR"),
            .init("Server", .prefix("Microsoft-IIS"), .identifying, label: "Server: Microsoft-IIS"),
        ], readsSubstatus: true),

        GeneratorSignature(.nginx, body: [
            .init("<hr><center>nginx", .distinctive, label: "nginx page footer"),
            .init("<hr><center>openresty", .distinctive, label: "OpenResty page footer"),
            .init("<center><h1>502 Bad Gateway</h1></center>", .generic, label: "nginx-style 502 heading"),
            .init("<center><h1>504 Gateway Time-out</h1></center>", .generic, label: "nginx-style 504 heading",
                  cause: .timeout),
        ], headers: [
            .init("Server", .prefix("nginx"), .identifying, label: "Server: nginx"),
            .init("Server", .prefix("openresty"), .identifying, label: "Server: openresty"),
        ]),

        GeneratorSignature(.apache, body: [
            .init("<title>502 Proxy Error</title>", .distinctive, label: "Apache proxy error title"),
            .init("The proxy server received an invalid", .distinctive, label: "Apache: invalid response from upstream"),
            .init("Error reading from remote server", .distinctive, label: "Apache: error reading from remote server"),
            .init("The proxy server could not handle the request", .distinctive, label: "Apache: could not handle request"),
            .init("The server is temporarily unable to service your", .distinctive,
                  label: "Apache 503 page (connect failed)", cause: .refused),
            .init("The gateway did not receive a timely response", .distinctive, label: "Apache 504 page",
                  cause: .timeout),
            .init("<address>Apache", .distinctive, label: "Apache server signature"),
        ], headers: [
            .init("Server", .prefix("Apache"), .identifying, label: "Server: Apache"),
        ]),

        GeneratorSignature(.haproxy, body: [
            .init("The server returned an invalid or incomplete response", .distinctive,
                  label: "HAProxy 502 text"),
            .init("The server didn't respond in time", .distinctive, label: "HAProxy 504 text", cause: .timeout),
            .init("No server is available to handle this request", .distinctive, label: "HAProxy 503 text"),
        ], headers: [
            .init("Server", .absent, .supporting, label: "no Server header"),
            .init("Cache-Control", .equals("no-cache"), .supporting, label: "Cache-Control: no-cache"),
        ]),

        GeneratorSignature(.envoy, body: [
            .init("upstream connect error or disconnect/reset before headers", .distinctive,
                  label: "Envoy reset text"),
            .init("reset reason: connection failure", .distinctive, label: "Envoy: connection failure",
                  cause: .refused),
            .init("reset reason: connection termination", .distinctive, label: "Envoy: connection termination",
                  cause: .closedBeforeResponse),
            .init("reset reason: remote reset", .distinctive, label: "Envoy: remote reset", cause: .reset),
            .init("reset reason: protocol error", .distinctive, label: "Envoy: protocol error",
                  cause: .invalidResponse),
            .init("upstream request timeout", .distinctive, label: "Envoy timeout text", wholeBody: true,
                  cause: .timeout),
            .init("no healthy upstream", .distinctive, label: "Envoy: no healthy upstream", wholeBody: true),
        ], headers: [
            .init("Server", .equals("envoy"), .identifying, label: "server: envoy"),
            .init("x-envoy-", .present, .supporting, label: "x-envoy-* header", nameIsPrefix: true),
        ]),

        GeneratorSignature(.awsALB, body: [
            .init("<center><h1>502 Bad Gateway</h1></center>", .generic, label: "nginx-style 502 heading"),
            .init("<center><h1>504 Gateway Time-out</h1></center>", .generic, label: "nginx-style 504 heading",
                  cause: .timeout),
        ], headers: [
            // ALB passes a target's own Server header through, so `awselb` marks its own pages.
            .init("Server", .prefix("awselb"), .generatedOnly, label: "Server: awselb"),
        ]),

        GeneratorSignature(.cloudflare, body: [
            .init("Cloudflare Ray ID", .distinctive, label: "Cloudflare Ray ID footer"),
            .init("The web server reported a bad gateway error", .distinctive,
                  label: "Cloudflare: origin reported 502", cause: .upstream502),
            .init("<center>cloudflare</center>", .distinctive, label: "Cloudflare page footer"),
        ], headers: [
            .init("Server", .equals("cloudflare"), .identifying, label: "Server: cloudflare"),
            .init("CF-RAY", .present, .identifying, label: "CF-RAY header"),
        ]),

        GeneratorSignature(.googleFrontEnd, body: [
            .init("The server encountered a temporary error and could not complete your request",
                  .distinctive, label: "Google front end error text"),
            .init("<title>502 Server Error</title>", .distinctive, label: "Google 502 title"),
            .init("That\u{2019}s an error.", .distinctive, label: "Google \"That's an error\" page"),
        ], headers: [
            .init("Via", .contains("google"), .identifying, label: "Via: google"),
            .init("Server", .prefix("gfe"), .identifying, label: "Server: GFE"),
            .init("Server", .prefix("Google Frontend"), .identifying, label: "Server: Google Frontend"),
        ]),

        GeneratorSignature(.traefik, body: [
            .init("Bad Gateway", .generic, label: "bare \"Bad Gateway\" body", wholeBody: true),
            .init("Gateway Timeout", .generic, label: "bare \"Gateway Timeout\" body", wholeBody: true,
                  cause: .timeout),
        ], headers: [
            .init("Content-Type", .equals("text/plain; charset=utf-8"), .supporting, label: "text/plain body"),
            .init("Server", .absent, .supporting, label: "no Server header"),
        ]),

        GeneratorSignature(.caddy, headers: [
            .init("Server", .equals("Caddy"), .identifying, label: "Server: Caddy"),
        ], emptyBodyTypical: true),

        GeneratorSignature(.kong, body: [
            .init("An invalid response was received from the upstream server", .distinctive,
                  label: "Kong invalid-response message"),
            .init("The upstream server is timing out", .distinctive, label: "Kong timeout message", cause: .timeout),
            .init("failure to get a peer from the ring-balancer", .distinctive, label: "Kong: no peer"),
        ], headers: [
            .init("Server", .prefix("kong/"), .identifying, label: "Server: kong"),
            .init("Via", .contains("kong/"), .identifying, label: "Via: kong"),
            .init("X-Kong-", .present, .supporting, label: "X-Kong-* header", nameIsPrefix: true),
        ]),

        GeneratorSignature(.squid, body: [
            .init("(squid/", .distinctive, label: "Squid page footer"),
            .init("ERR_ZERO_SIZE_OBJECT", .distinctive, label: "Squid ERR_ZERO_SIZE_OBJECT",
                  cause: .closedBeforeResponse),
            .init("ERR_INVALID_RESP", .distinctive, label: "Squid ERR_INVALID_RESP", cause: .invalidResponse),
            .init("ERR_READ_ERROR", .distinctive, label: "Squid ERR_READ_ERROR", cause: .reset),
            .init("ERR_CONNECT_FAIL", .distinctive, label: "Squid ERR_CONNECT_FAIL", cause: .refused),
            .init("ERR_READ_TIMEOUT", .distinctive, label: "Squid ERR_READ_TIMEOUT", cause: .timeout),
        ], headers: [
            // Squid adds X-Squid-Error only to the error pages it writes itself.
            .init("X-Squid-Error", .present, .generatedOnly, label: "X-Squid-Error header"),
            .init("Server", .prefix("squid"), .identifying, label: "Server: squid"),
            .init("Via", .contains("(squid/"), .supporting, label: "Via: squid"),
        ], headerCauses: [
            .init("X-Squid-Error", contains: "ERR_ZERO_SIZE_OBJECT", .closedBeforeResponse),
            .init("X-Squid-Error", contains: "ERR_INVALID_RESP", .invalidResponse),
            .init("X-Squid-Error", contains: "ERR_READ_ERROR", .reset),
            .init("X-Squid-Error", contains: "ERR_CONNECT_FAIL", .refused),
            .init("X-Squid-Error", contains: "ERR_READ_TIMEOUT", .timeout),
        ]),

        GeneratorSignature(.varnish, body: [
            .init("Guru Meditation", .distinctive, label: "Varnish Guru Meditation"),
            .init("Varnish cache server", .distinctive, label: "Varnish page footer"),
            .init("Backend fetch failed", .distinctive, label: "Varnish: backend fetch failed"),
        ], headers: [
            .init("Server", .prefix("Varnish"), .identifying, label: "Server: Varnish"),
            .init("X-Varnish", .present, .supporting, label: "X-Varnish header"),
            .init("Via", .contains("varnish"), .supporting, label: "Via: varnish"),
        ]),
    ]
}
