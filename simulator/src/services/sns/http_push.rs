//! The real HTTP POSTs of SNS deliveries to `http://` endpoints on loopback, so a user's
//! webhook can be tested against the messages SNS sends.
//!
//! A POST never runs inside a store transaction: the delivery is stored `pending` with the
//! call that published it, and the POST is made after that call commits (the process notes
//! that one is waiting) or by the next due-work pass (`ctsim serve`'s loop, `ctsim
//! deliver`), which also picks up deliveries left by other processes. Each pending delivery
//! is claimed in a transaction before its POST, so one POST is made per delivery. AWS's
//! retry policy is not simulated: a failed POST is reported as failed.
//!
//! The request is written on a plain socket rather than with the server's HTTP stack: it
//! runs on whatever thread committed the call, inside a tokio runtime or not, and only ever
//! talks HTTP/1.1 to this machine.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::deliveries::is_loopback_http;
use super::model::Delivery;

static PENDING: AtomicBool = AtomicBool::new(false);

/// Notes that this process stored a delivery whose POST is still to be made.
pub fn note_pending() {
    PENDING.store(true, Ordering::Release);
}

/// Whether a delivery was noted since the last push (and clears the note).
pub fn take_noted() -> bool {
    PENDING.swap(false, Ordering::AcqRel)
}

const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const IO_TIMEOUT: Duration = Duration::from_secs(5);

/// Host, port and path of an `http://` URL.
fn split_url(url: &str) -> Option<(String, u16, String)> {
    let rest = url.strip_prefix("http://")?;
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let path = if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_string()
    };
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, tail) = v6.split_once(']')?;
        let port = tail
            .strip_prefix(':')
            .map_or(Some(80), |p| p.parse().ok())?;
        (h.to_string(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p.parse().ok()?),
            None => (authority.to_string(), 80),
        }
    };
    Some((host, port, path))
}

/// POSTs one delivery as SNS does and answers the status to record.
pub fn post(d: &Delivery) -> String {
    if !is_loopback_http(&d.endpoint) {
        return "failed: ctsim only calls http:// endpoints on loopback".into();
    }
    match try_post(d) {
        Ok(code) if (200..300).contains(&code) => format!("delivered (HTTP {code})"),
        Ok(code) => format!("failed: HTTP {code}"),
        Err(e) => format!("failed: {e}"),
    }
}

fn try_post(d: &Delivery) -> Result<u16, String> {
    let (host, port, path) = split_url(&d.endpoint).ok_or("malformed endpoint URL")?;
    let addr = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .find(|a| a.ip().is_loopback())
        .ok_or_else(|| format!("{host} is not a loopback address"))?;
    let mut stream = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT)
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(IO_TIMEOUT))
        .and_then(|()| stream.set_write_timeout(Some(IO_TIMEOUT)))
        .map_err(|e| e.to_string())?;
    let host_header = if port == 80 {
        host.clone()
    } else {
        format!("{host}:{port}")
    };
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: Amazon Simple Notification Service Agent\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: {}\r\nx-amz-sns-message-type: {}\r\nx-amz-sns-message-id: {}\r\nx-amz-sns-topic-arn: {}\r\n",
        d.body.len(),
        d.message_type,
        d.message_id,
        d.topic_arn
    );
    if d.message_type == "Notification" {
        head.push_str(&format!(
            "x-amz-sns-subscription-arn: {}\r\n",
            d.subscription_arn
        ));
        if !d.body.starts_with('{') || !d.body.contains("\"Type\":\"Notification\"") {
            head.push_str("x-amz-sns-rawdelivery: true\r\n");
        }
    }
    head.push_str("Connection: close\r\n\r\n");
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(d.body.as_bytes()))
        .map_err(|e| format!("cannot send to {addr}: {e}"))?;
    // The status line is all that is needed; read a bounded amount.
    let mut buf = [0u8; 256];
    let mut got = 0;
    while got < buf.len() {
        match stream.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => {
                got += n;
                if buf[..got].contains(&b'\n') {
                    break;
                }
            }
            Err(e) => return Err(format!("no answer from {addr}: {e}")),
        }
    }
    let line = String::from_utf8_lossy(&buf[..got]);
    line.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("not an HTTP answer from {addr}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_host_port_and_path() {
        assert_eq!(
            split_url("http://127.0.0.1:8080/hook?x=1"),
            Some(("127.0.0.1".into(), 8080, "/hook?x=1".into()))
        );
        assert_eq!(
            split_url("http://localhost"),
            Some(("localhost".into(), 80, "/".into()))
        );
        assert_eq!(
            split_url("http://[::1]:9/a"),
            Some(("::1".into(), 9, "/a".into()))
        );
        assert_eq!(split_url("http://h:notaport/"), None);
    }

    #[test]
    fn only_loopback_http_endpoints_are_called() {
        assert!(is_loopback_http("http://127.0.0.1:1/x"));
        assert!(is_loopback_http("http://localhost:8080"));
        assert!(is_loopback_http("http://[::1]:8080/"));
        assert!(!is_loopback_http("https://127.0.0.1/"));
        assert!(!is_loopback_http("http://example.com/"));
        assert!(!is_loopback_http("http://127.0.0.1.example.com/"));
    }
}
