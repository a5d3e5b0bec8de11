// The products that commonly synthesise a 502 page themselves.

/// A gateway, reverse proxy or front end that can generate an error response on its own.
///
/// `unknown` means no signature matched: the response may come from the origin application
/// (a pass-through 502) or from a product we have no signature for.
public enum Gateway: String, Sendable, CaseIterable {
    case iis, iisARR, aspNetCoreModule, nginx, apache, haproxy, envoy, awsALB, cloudflare
    case googleFrontEnd, traefik, caddy, kong, squid, varnish, unknown

    /// The name an operator knows the product by, for reports.
    public var displayName: String {
        switch self {
        case .iis: "IIS"
        case .iisARR: "IIS ARR"
        case .aspNetCoreModule: "ASP.NET Core Module"
        case .nginx: "nginx"
        case .apache: "Apache mod_proxy"
        case .haproxy: "HAProxy"
        case .envoy: "Envoy"
        case .awsALB: "AWS ALB/ELB"
        case .cloudflare: "Cloudflare"
        case .googleFrontEnd: "Google Front End"
        case .traefik: "Traefik"
        case .caddy: "Caddy"
        case .kong: "Kong"
        case .squid: "Squid"
        case .varnish: "Varnish"
        case .unknown: "unknown generator"
        }
    }
}
