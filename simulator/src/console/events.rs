//! Event history: LookupEvents with every lookup attribute, a time range, the region and
//! the event category, 50 events a page, the selected record's JSON beside the table. The
//! page's script polls `/console/events/head` and refreshes the first page when a newer
//! event arrives.

use std::fmt::Write;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;

use super::html::{self, esc};
use super::{Answer, Failure, Outcome, Request};
use crate::Simulator;
use crate::services::cloudtrail::{self, lookup::ATTRIBUTE_KEYS, model};

/// Events a page (LookupEvents' largest page).
pub const PAGE_SIZE: i64 = 50;

/// The filters of the page, from its query string.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub region: String,
    pub key: String,
    pub value: String,
    pub start: String,
    pub end: String,
    pub category: String,
    pub token: String,
}

impl Filters {
    pub fn from_request(sim: &Simulator, req: &Request) -> Filters {
        let region = match req.get("region") {
            "" => sim.default_region(),
            r => r.to_string(),
        };
        Filters {
            region,
            key: req.get("key").to_string(),
            value: req.get("value").to_string(),
            start: req.get("start").to_string(),
            end: req.get("end").to_string(),
            category: req.get("category").to_string(),
            token: req.get("token").to_string(),
        }
    }

    /// The query parameters that reproduce these filters (without the page token).
    fn params(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("region", &self.region),
            ("key", &self.key),
            ("value", &self.value),
            ("start", &self.start),
            ("end", &self.end),
            ("category", &self.category),
        ]
    }

    /// The LookupEvents request these filters stand for.
    pub fn lookup_request(&self, max: i64) -> Result<model::LookupEventsRequest, Failure> {
        let lookup_attributes = match (self.key.as_str(), self.value.as_str()) {
            ("", _) | (_, "") => None,
            (k, v) => Some(vec![model::LookupAttribute {
                attribute_key: k.to_string(),
                attribute_value: v.to_string(),
            }]),
        };
        Ok(model::LookupEventsRequest {
            lookup_attributes,
            start_time: instant(&self.start, "start")?.map(crate::clock::to_epoch_seconds),
            end_time: instant(&self.end, "end")?.map(crate::clock::to_epoch_seconds),
            event_category: (self.category == "insight").then(|| "insight".to_string()),
            max_results: Some(max),
            next_token: (!self.token.is_empty()).then(|| self.token.clone()),
        })
    }
}

/// A time from the form: `YYYY-MM-DDTHH:MM[:SS]` (UTC, as a datetime-local input sends it)
/// or RFC 3339.
pub fn instant(text: &str, what: &str) -> Result<Option<DateTime<Utc>>, Failure> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(Some(t.and_utc()));
        }
    }
    Err(Failure::bad_request(format!(
        "The {what} time {text:?} is not a time like 2026-01-08T10:00 (UTC) or an RFC 3339 instant."
    )))
}

/// One page of LookupEvents, unrecorded.
pub fn lookup(
    sim: &Simulator,
    f: &Filters,
    max: i64,
) -> Result<model::LookupEventsResponse, Failure> {
    let request = f.lookup_request(max)?;
    let ctx = sim.default_caller(&f.region);
    Ok(sim.read_unrecorded(|env| cloudtrail::lookup_events(env, &ctx, request))?)
}

/// The newest event id for the filters (the page's script compares it with what it shows).
pub fn head(sim: &Simulator, req: &Request) -> Outcome {
    let mut f = Filters::from_request(sim, req);
    f.token.clear();
    let page = lookup(sim, &f, 1)?;
    let id = page
        .events
        .first()
        .and_then(|e| e.event_id.clone())
        .unwrap_or_default();
    Ok(Answer::Raw {
        content_type: "text/plain; charset=utf-8",
        body: id.into_bytes(),
        filename: None,
    })
}

pub fn page(sim: &Simulator, req: &Request) -> Outcome {
    let f = Filters::from_request(sim, req);
    let found = lookup(sim, &f, PAGE_SIZE)?;
    Ok(Answer::page(
        "Event history",
        html::Nav::Events,
        render(&f, &found, req.get("event")),
    ))
}

fn error_of(record: &Value) -> String {
    match (
        record["errorCode"].as_str(),
        record["insightDetails"]["state"].as_str(),
    ) {
        (Some(code), _) => code.to_string(),
        (None, Some(state)) => format!(
            "{state} {}",
            record["insightDetails"]["insightType"]
                .as_str()
                .unwrap_or_default()
        ),
        (None, None) => String::new(),
    }
}

/// The page body for one LookupEvents answer; `selected` is the event whose record the side
/// pane shows first (default: the newest).
pub fn render(f: &Filters, found: &model::LookupEventsResponse, selected: &str) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(&filter_form(f));
    let head = found
        .events
        .first()
        .and_then(|e| e.event_id.as_deref())
        .unwrap_or_default();
    let live = f.token.is_empty() && f.end.is_empty();
    let _ = write!(
        out,
        "<div id=\"history\" data-head=\"{}\" data-live=\"{}\"><div class=\"split\"><div class=\"list\">",
        esc(head),
        if live { "1" } else { "0" }
    );
    if found.events.is_empty() {
        out.push_str("<p class=\"empty\">No events match these filters.</p>");
    }
    let mut pane = String::new();
    if !found.events.is_empty() {
        out.push_str(
            "<table class=\"events\"><thead><tr><th>Event time</th><th>Event name</th>\
             <th>User name</th><th>Event source</th><th>Resource type</th>\
             <th>Resource name</th><th>Error / state</th>\
             </tr></thead><tbody>",
        );
    }
    for (i, e) in found.events.iter().enumerate() {
        let record: Value = e
            .cloud_trail_event
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or(Value::Null);
        let id = e.event_id.as_deref().unwrap_or_default();
        let pretty = esc(&serde_json::to_string_pretty(&record).unwrap_or_default());
        if (selected.is_empty() && i == 0) || selected == id {
            pane = pretty.clone();
        }
        let resources = e.resources.as_deref().unwrap_or_default();
        let join = |pick: fn(&model::Resource) -> Option<&String>| {
            resources
                .iter()
                .filter_map(pick)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut link_params = f.params();
        link_params.push(("token", &f.token));
        link_params.push(("event", id));
        let href = html::link("/console/events", &link_params);
        let error = error_of(&record);
        let class = if error.is_empty() { "ev" } else { "ev failed" };
        let _ = write!(
            out,
            "<tr class=\"{class}\" data-id=\"{}\"><td class=\"time\">{}</td><td><a href=\"{}\">{}</a></td>\
             <td>{}</td><td>{}</td><td>{}</td><td class=\"wrap\">{}</td><td class=\"wrap\">{}</td></tr>\
             <tr class=\"record\" hidden><td colspan=\"7\"><pre class=\"json\">{pretty}</pre></td></tr>",
            esc(id),
            esc(&html::when(e.event_time)),
            esc(&href),
            esc(e.event_name.as_deref().unwrap_or_default()),
            esc(e.username.as_deref().unwrap_or_default()),
            esc(e.event_source.as_deref().unwrap_or_default()),
            esc(&join(|r| r.resource_type.as_ref())),
            esc(&join(|r| r.resource_name.as_ref())),
            esc(&error),
        );
    }
    if !found.events.is_empty() {
        out.push_str("</tbody></table>");
    }
    out.push_str("<p class=\"pager\">");
    if !f.token.is_empty() {
        let _ = write!(
            out,
            "{} ",
            html::a(&html::link("/console/events", &f.params()), "« First page")
        );
    }
    if let Some(next) = &found.next_token {
        let mut params = f.params();
        params.push(("token", next));
        let _ = write!(
            out,
            "{}",
            html::a(&html::link("/console/events", &params), "Next page »")
        );
    }
    let _ = write!(
        out,
        "</p></div><aside class=\"pane\"><h2>Record</h2><pre id=\"record\" class=\"json\">{pane}</pre></aside></div></div>"
    );
    out
}

fn filter_form(f: &Filters) -> String {
    let mut keys: Vec<(&str, &str)> = vec![("", "(no attribute)")];
    keys.extend(ATTRIBUTE_KEYS.iter().map(|k| (*k, *k)));
    let mut out =
        String::from("<form class=\"filters\" method=\"get\" action=\"/console/events\">");
    out.push_str(&html::input("Region", "region", &f.region, "us-east-1"));
    let _ = write!(
        out,
        "<label>Category{}</label><label>Lookup attribute{}</label>",
        html::select(
            "category",
            &[("", "Management"), ("insight", "Insights")],
            &f.category
        ),
        html::select("key", &keys, &f.key)
    );
    out.push_str(&html::input("Value", "value", &f.value, "e.g. CreateTrail"));
    out.push_str(&html::input(
        "Start (UTC)",
        "start",
        &f.start,
        "2026-01-08T10:00",
    ));
    out.push_str(&html::input("End (UTC)", "end", &f.end, "2026-01-08T11:00"));
    out.push_str(
        "<button type=\"submit\">Apply</button> <a href=\"/console/events\">Clear</a>\
         <span class=\"live\" id=\"live-status\"></span></form>",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_times_read_as_utc() {
        let t = instant("2026-01-08T10:00", "start").unwrap().unwrap();
        assert_eq!(crate::clock::iso_seconds(t), "2026-01-08T10:00:00Z");
        let t = instant("2026-01-08T12:00:00+02:00", "start")
            .unwrap()
            .unwrap();
        assert_eq!(crate::clock::iso_seconds(t), "2026-01-08T10:00:00Z");
        assert_eq!(instant("", "start").unwrap(), None);
        assert_eq!(instant("yesterday", "start").unwrap_err().status, 400);
    }

    #[test]
    fn filters_become_one_lookup_attribute() {
        let f = Filters {
            key: "Username".into(),
            value: "alice".into(),
            category: "insight".into(),
            ..Filters::default()
        };
        let r = f.lookup_request(50).unwrap();
        let attrs = r.lookup_attributes.unwrap();
        assert_eq!(attrs[0].attribute_key, "Username");
        assert_eq!(r.event_category.as_deref(), Some("insight"));
        let none = Filters {
            key: "Username".into(),
            ..Filters::default()
        };
        assert!(none.lookup_request(50).unwrap().lookup_attributes.is_none());
    }
}
