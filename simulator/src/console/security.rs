//! The console's guards. The console answers browsers, so it cannot ask for SigV4; instead:
//!
//! * **Host**: only `localhost` or an IP literal (with any port). A page on another site
//!   cannot point a DNS name of its own at 127.0.0.1 (DNS rebinding) and read the console.
//! * **POST only for state changes**, with the per-process token every form carries (a
//!   page elsewhere cannot read it), and, when the browser sends them, an `Origin` naming
//!   this host and a `Sec-Fetch-Site` that is not cross-site.

use std::io::Read;
use std::net::IpAddr;

use sha2::{Digest, Sha256};

use super::Failure;
use crate::server::Incoming;

/// A fresh token: 32 bytes from the operating system, hashed with the time and process id
/// (so even a missing `/dev/urandom` leaves a token no page can guess from the outside).
pub fn new_token() -> String {
    let mut seed = [0u8; 32];
    let _ = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut seed));
    let mut h = Sha256::new();
    h.update(seed);
    h.update(std::process::id().to_le_bytes());
    h.update(
        chrono::Utc::now()
            .timestamp_nanos_opt()
            .unwrap_or_default()
            .to_le_bytes(),
    );
    hex::encode(h.finalize())
}

/// The host name of a `Host` header value (`name:port`, `[v6]:port`, `name`).
fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    host.rsplit_once(':').map_or(host, |(h, _)| h)
}

/// Whether a `Host` value names this machine by something no other site controls.
pub fn allowed_host(host: &str) -> bool {
    let name = host_name(host.trim());
    name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok()
}

pub fn check_host(req: &Incoming) -> Result<(), Failure> {
    match req.header("host") {
        Some(h) if allowed_host(h) => Ok(()),
        Some(h) => Err(Failure::new(
            403,
            format!("The console answers only requests for localhost or an IP address, not {h:?}."),
        )),
        // HTTP/1.0 without Host: only a local tool would send that.
        None => Ok(()),
    }
}

/// The checks on a POST before its form is read: same origin, form encoding.
pub fn check_post(req: &Incoming, _token: &str) -> Result<(), Failure> {
    if let Some(site) = req.header("sec-fetch-site")
        && site != "same-origin"
        && site != "none"
    {
        return Err(Failure::new(
            403,
            "Cross-site requests cannot change the simulator.",
        ));
    }
    if let Some(origin) = req.header("origin") {
        let host = req.header("host").unwrap_or_default();
        let same = origin
            .strip_prefix("http://")
            .is_some_and(|o| o.eq_ignore_ascii_case(host));
        if !same {
            return Err(Failure::new(
                403,
                format!("A form from {origin:?} cannot change the simulator."),
            ));
        }
    }
    let form = req
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return Err(Failure::bad_request(
            "The console's actions take an application/x-www-form-urlencoded form.",
        ));
    }
    Ok(())
}

/// The form's `csrf` field must be this console's token (compared in constant time).
pub fn check_token(given: &str, token: &str) -> Result<(), Failure> {
    let (a, b) = (given.as_bytes(), token.as_bytes());
    let same = a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0;
    if same && !token.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(
            403,
            "The form's CSRF token is missing or stale: reload the page and try again.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_localhost_and_ip_literals_are_allowed_hosts() {
        for ok in [
            "127.0.0.1:4566",
            "localhost:4566",
            "[::1]:4566",
            "LOCALHOST",
            "10.0.0.5:80",
        ] {
            assert!(allowed_host(ok), "{ok}");
        }
        for bad in [
            "evil.example:4566",
            "localhost.evil.example",
            "127.0.0.1.nip.io:4566",
        ] {
            assert!(!allowed_host(bad), "{bad}");
        }
    }

    #[test]
    fn tokens_are_fresh_and_compared_exactly() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert!(check_token(&a, &a).is_ok());
        assert_eq!(check_token(&b, &a).unwrap_err().status, 403);
        assert_eq!(check_token("", &a).unwrap_err().status, 403);
        assert!(check_token("", "").is_err());
    }
}
