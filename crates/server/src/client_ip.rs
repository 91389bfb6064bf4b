//! The client's IP address: the TCP peer, or — only when that peer is a
//! configured trusted proxy (`--trusted-proxy`) — the address the proxy saw,
//! from `X-Forwarded-For`. Anyone can send that header, so it is believed
//! only from a proxy we run.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;

use crate::state::ApiContext;

/// The client's IP address when the server knows it, else `unknown`.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

impl FromRequestParts<ApiContext> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, ctx: &ApiContext) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts, &ctx.config.trusted_proxies)))
    }
}

pub fn client_ip(parts: &Parts, trusted: &[IpAddr]) -> String {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    resolve(peer, &parts.headers, trusted).map(|ip| ip.to_string()).unwrap_or_else(|| "unknown".into())
}

/// Walks `X-Forwarded-For` from the right (the entries our proxies appended)
/// and takes the first address that is not one of our proxies.
pub fn resolve(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    hops.into_iter().rev().find(|ip| !trusted.contains(ip)).or(Some(peer))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", v.parse().unwrap());
        h
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let spoofed: IpAddr = "198.51.100.9".parse().unwrap();
        assert_eq!(resolve(Some(client), &xff("198.51.100.9"), &[proxy]), Some(client), "untrusted peer: header ignored");
        assert_eq!(resolve(Some(proxy), &xff("203.0.113.7"), &[proxy]), Some(client));
        // The client sent its own X-Forwarded-For; the proxy appended the real address.
        assert_eq!(resolve(Some(proxy), &xff("198.51.100.9, 203.0.113.7"), &[proxy]), Some(client));
        assert_ne!(resolve(Some(proxy), &xff("198.51.100.9, 203.0.113.7"), &[proxy]), Some(spoofed));
        assert_eq!(resolve(Some(proxy), &HeaderMap::new(), &[proxy]), Some(proxy));
        assert_eq!(resolve(None, &xff("203.0.113.7"), &[proxy]), None);
    }
}
