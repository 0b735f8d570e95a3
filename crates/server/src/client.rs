//! Who a request comes from, for per-client fairness (docs/hardening.md): the peer address,
//! or — when the peer is a proxy named by `--trusted-proxy` — the last `X-Forwarded-For`
//! address, the one that proxy added. Earlier entries are whatever the client wrote, so they
//! are never believed: a visitor who forges the header changes nothing.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;

/// The client of a request from `peer` with `headers`, trusting `proxies`' forwarding header.
pub fn client_ip(peer: Option<SocketAddr>, headers: &HeaderMap, proxies: &[IpAddr]) -> Option<IpAddr> {
    // A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d: compare them as IPv4.
    let peer = peer?.ip().to_canonical();
    if !proxies.iter().any(|p| p.to_canonical() == peer) {
        return Some(peer);
    }
    // Several headers count as one comma-separated list, in order; the proxy appended last.
    let last = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .rfind(|s| !s.is_empty());
    Some(last.and_then(parse_forwarded).map_or(peer, |ip| ip.to_canonical()))
}

/// An address as proxies write it: `1.2.3.4`, `::1`, `[::1]:443` or `1.2.3.4:80`.
fn parse_forwarded(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>().ok().or_else(|| s.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn only_a_trusted_proxy_names_the_client_and_only_by_its_own_entry() {
        let proxy: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let visitor: SocketAddr = "127.0.0.2:6000".parse().unwrap();
        let trusted = ["127.0.0.1".parse().unwrap()];
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        // Not a proxy: the header is the client's own words.
        assert_eq!(client_ip(Some(visitor), &headers(&["9.9.9.9"]), &trusted), ip("127.0.0.2"));
        // The proxy's entry is the last one; a forged first entry is ignored.
        assert_eq!(client_ip(Some(proxy), &headers(&["6.6.6.6, 127.0.0.3"]), &trusted), ip("127.0.0.3"));
        assert_eq!(client_ip(Some(proxy), &headers(&["6.6.6.6", "[::1]:443"]), &trusted), ip("::1"));
        // No header or garbage: the proxy itself.
        assert_eq!(client_ip(Some(proxy), &headers(&[]), &trusted), ip("127.0.0.1"));
        assert_eq!(client_ip(Some(proxy), &headers(&["bogus"]), &trusted), ip("127.0.0.1"));
        assert_eq!(client_ip(None, &headers(&[]), &trusted), None);
        // A dual-stack listener's view of the same proxy.
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:5000".parse().unwrap();
        assert_eq!(client_ip(Some(mapped), &headers(&["127.0.0.3"]), &trusted), ip("127.0.0.3"));
    }
}
