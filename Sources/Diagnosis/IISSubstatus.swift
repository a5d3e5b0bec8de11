// The IIS family's 502 substatus codes: what each means and what to check.

/// Meanings of IIS 502.x substatus codes. The same number can mean different things under ARR and
/// the ASP.NET Core Module, so lookups take the generator into account.
public enum IISSubstatus {
    /// One substatus entry.
    public struct Entry: Sendable {
        /// The code, e.g. "502.2".
        public var code: String
        /// What it means, in one phrase.
        public var meaning: String
        /// What an operator should check first.
        public var check: String
    }

    /// Generic IIS meanings (the official list), used when no product-specific entry exists.
    public static let general: [Entry] = [
        Entry(code: "502.1", meaning: "CGI application timeout: the CGI process did not finish within the CGI timeout and IIS terminated it",
              check: "check why the CGI request runs so long (FREB trace) and the CGI timeout setting"),
        Entry(code: "502.2", meaning: "CGI application premature exit: it did not return a complete set of HTTP headers",
              check: "check the CGI executable (capture a crash dump of the process) and trace the request with FREB (IIS 7+) or ETW (IIS 6) to see the headers it returned"),
        Entry(code: "502.3", meaning: "forwarder connection error or timeout: the proxied upstream could not be reached or did not answer in time",
              check: "check that the upstream is listening and healthy, and the WinHTTP error code in FREB (0x80072ee2 is a timeout)"),
        Entry(code: "502.4", meaning: "no server: no healthy server was available in the ARR server farm",
              check: "check the server farm's health-test results and which members are marked unhealthy"),
        Entry(code: "502.5", meaning: "WebSocket failure on the forwarded connection (ARR)",
              check: "check WebSocket support on IIS and the upstream, and FREB for the failing module"),
        Entry(code: "502.6", meaning: "forwarded request failure (ARR)",
              check: "check FREB for the ARR module's error and the upstream's logs for the same request"),
        Entry(code: "502.7", meaning: "execute request failure (ARR)",
              check: "check FREB for the ARR module's error and the upstream's logs for the same request"),
    ]

    /// ASP.NET Core Module meanings, which replace the general ones for `.aspNetCoreModule`.
    public static let aspNetCoreModule: [Entry] = [
        Entry(code: "502.3", meaning: "connection error or timeout between the ASP.NET Core Module and the app process (not listening, crashed mid-request, or requestTimeout, default 2 minutes, expired)",
              check: "check the app's stdout log and the Event Log, and whether the request ran past requestTimeout"),
        Entry(code: "502.5", meaning: "process failure: the ASP.NET Core app process failed to start",
              check: "check processPath/arguments in web.config, the installed .NET hosting bundle, and the Event Log entry \"failed to start process\""),
    ]

    /// ARR meanings that differ from the general list.
    public static let applicationRequestRouting: [Entry] = [
        Entry(code: "502.2", meaning: "ARR map-request failure: the request could not be routed to a server farm",
              check: "check the URL Rewrite rule that routes to the farm and the farm's configuration"),
    ]

    /// The entry for `code` under `gateway`, falling back to the general list.
    public static func entry(for code: String, gateway: Gateway) -> Entry? {
        let specific: [Entry] = switch gateway {
        case .aspNetCoreModule: aspNetCoreModule
        case .iisARR: applicationRequestRouting
        default: []
        }
        return specific.first { $0.code == code } ?? general.first { $0.code == code }
    }
}
