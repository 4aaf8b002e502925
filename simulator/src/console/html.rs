//! HTML building for the console: one escaping function ([`esc`]) used for every value a
//! page shows, the page layout, links with query strings, and small table helpers.
//!
//! Event fields are attacker-controlled (userAgent, requestParameters, user names, ingested
//! files): nothing reaches a page without going through [`esc`]. Pages are strings built with
//! `write!`; a value is either a literal of ours or `esc(value)`.

use std::fmt::Write;

use crate::server::sigv4::uri_encode;

/// Escapes text for HTML element content and for quoted attribute values: `& < > " '`.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A console link: `path?k=v&...` with every key and value percent-encoded, empty values
/// left out. The result still goes through [`esc`] when put into an attribute.
pub fn link(path: &str, params: &[(&str, &str)]) -> String {
    let mut out = path.to_string();
    let mut first = true;
    for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
        out.push(if first { '?' } else { '&' });
        first = false;
        out.push_str(&uri_encode(k, false));
        out.push('=');
        out.push_str(&uri_encode(v, false));
    }
    out
}

/// `<a href="...">text</a>`, both escaped.
pub fn a(href: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", esc(href), esc(text))
}

/// The pages of the navigation bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Events,
    Trails,
    Insights,
    Lake,
    Compliance,
    None,
}

const NAV: &[(Nav, &str, &str)] = &[
    (Nav::Events, "/console/events", "Event history"),
    (Nav::Trails, "/console/trails", "Trails"),
    (Nav::Insights, "/console/insights", "Insights"),
    (Nav::Lake, "/console/lake", "Lake"),
    (Nav::Compliance, "/console/compliance", "Compliance"),
];

/// A whole page: the layout around `body` (already HTML). The stylesheet and the script are
/// served from `/console/assets/` so the Content-Security-Policy can forbid inline scripts.
pub fn page(title: &str, active: Nav, now: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 2048);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{} · ctsim console</title>\
         <link rel=\"stylesheet\" href=\"/console/assets/console.css\">\
         <script src=\"/console/assets/console.js\" defer></script></head>\
         <body><header><span class=\"brand\">ctsim</span><nav>",
        esc(title)
    );
    for (nav, href, label) in NAV {
        let class = if *nav == active {
            " class=\"active\""
        } else {
            ""
        };
        let _ = write!(out, "<a href=\"{href}\"{class}>{label}</a>");
    }
    let _ = writeln!(
        out,
        "</nav><span class=\"clock\" title=\"simulator clock\">{}</span></header>\
         <main id=\"main\"><h1>{}</h1>{body}</main></body></html>",
        esc(now),
        esc(title)
    );
    out
}

/// A table from a header row and rows of cells that are already HTML.
pub fn table(class: &str, headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("<table class=\"{}\"><thead><tr>", esc(class));
    for h in headers {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// Key/value rows (keys and values plain text, escaped here).
pub fn properties(rows: &[(&str, String)]) -> String {
    let mut out = String::from("<table class=\"props\"><tbody>");
    for (k, v) in rows {
        let _ = write!(out, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(v));
    }
    out.push_str("</tbody></table>");
    out
}

/// Pretty JSON in a monospace block.
pub fn json_block(value: &serde_json::Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    format!("<pre class=\"json\">{}</pre>", esc(&text))
}

/// A `<select>` with `options` (value, label), `selected` marked.
pub fn select(name: &str, options: &[(&str, &str)], selected: &str) -> String {
    let mut out = format!("<select name=\"{}\">", esc(name));
    for (value, label) in options {
        let sel = if *value == selected { " selected" } else { "" };
        let _ = write!(
            out,
            "<option value=\"{}\"{sel}>{}</option>",
            esc(value),
            esc(label)
        );
    }
    out.push_str("</select>");
    out
}

/// A text input with a label.
pub fn input(label: &str, name: &str, value: &str, placeholder: &str) -> String {
    format!(
        "<label>{}<input name=\"{}\" value=\"{}\" placeholder=\"{}\"></label>",
        esc(label),
        esc(name),
        esc(value),
        esc(placeholder)
    )
}

/// An epoch-seconds timestamp as `YYYY-MM-DDTHH:MM:SSZ` ("-" when absent).
pub fn when(epoch_seconds: Option<f64>) -> String {
    match epoch_seconds.and_then(crate::clock::from_epoch_seconds) {
        Some(t) => crate::clock::iso_seconds(t),
        None => "-".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esc_escapes_markup_and_quotes() {
        assert_eq!(
            esc(r#"<script>alert('x')</script>" onerror="a&b"#),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot; onerror=&quot;a&amp;b"
        );
        assert_eq!(esc("plain"), "plain");
    }

    #[test]
    fn links_encode_keys_and_values_and_skip_empty_ones() {
        assert_eq!(
            link(
                "/console/events",
                &[("key", "EventName"), ("value", "a&b c\"<"), ("x", "")]
            ),
            "/console/events?key=EventName&value=a%26b%20c%22%3C"
        );
        assert_eq!(link("/console", &[]), "/console");
    }

    #[test]
    fn the_layout_escapes_the_title_and_marks_the_active_page() {
        let html = page("<b>", Nav::Trails, "2026-01-01T00:00:00Z", "<p>x</p>");
        assert!(html.contains("<title>&lt;b&gt; · ctsim console</title>"));
        assert!(html.contains("<a href=\"/console/trails\" class=\"active\">Trails</a>"));
        assert!(!html.contains("<b>"));
    }
}
