//! Insights: for a trail with insight selectors, the per-minute counts of one API (the
//! series the detector keeps, `pipeline::insights`) against its 7-day baseline and the
//! start bound, with the Insights start and end events marked. Drawn here as inline SVG:
//! no script library, works offline.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;

use super::html::{self, esc};
use super::{Answer, Failure, Outcome, Request};
use crate::Simulator;
use crate::pipeline::insights::{BASELINE_MINUTES, Series, SeriesKey};
use crate::services::cloudtrail::{self, model};

/// Minutes shown around an insight (before its start, after its end).
const BEFORE: i64 = 60;
const AFTER: i64 = 30;
/// Minutes shown when there is no insight: the last three hours with counts.
const RECENT: i64 = 180;
/// Days of counts looked at for the series list.
const LIST_DAYS: i64 = 10;

/// The series an Insights record is about.
fn key_of_insight(r: &Value) -> Option<SeriesKey> {
    let d = &r["insightDetails"];
    Some(SeriesKey {
        insight_type: d["insightType"].as_str()?.to_string(),
        account_id: r["recipientAccountId"].as_str()?.to_string(),
        region: r["awsRegion"].as_str()?.to_string(),
        event_source: d["eventSource"].as_str()?.to_string(),
        event_name: d["eventName"].as_str()?.to_string(),
        error_code: d["errorCode"].as_str().unwrap_or_default().to_string(),
    })
}

/// A series as the page names it: the API, its error code, and where it was called when
/// that is not the trail's home.
fn series_label(key: &SeriesKey, home: (&str, &str)) -> String {
    let mut s = format!("{} {}", key.event_source, key.event_name);
    if !key.error_code.is_empty() {
        let _ = write!(s, " ({})", key.error_code);
    }
    if (key.account_id.as_str(), key.region.as_str()) != home {
        let _ = write!(s, " in {} {}", key.account_id, key.region);
    }
    s
}

/// An Insights event (Start or End) of a series, at a minute.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub minute: i64,
    pub state: String,
}

/// What the chart draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub from: i64,
    pub to: i64,
    /// Count per minute in `[from, to]` (zeros included).
    pub counts: Vec<u64>,
    /// Baseline mean and start bound per minute.
    pub mean: Vec<f64>,
    pub bound: Vec<f64>,
    pub marks: Vec<Mark>,
}

fn minute_of(iso: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(iso)
        .ok()
        .map(|t| t.timestamp().div_euclid(60))
}

fn minute_label(m: i64) -> String {
    crate::clock::from_millis(m * 60_000)
        .format("%m-%d %H:%M")
        .to_string()
}

/// The Insights events of the trail's home region that belong to `key`.
fn marks(records: &[Value], key: &SeriesKey) -> Vec<Mark> {
    let mut out: Vec<Mark> = records
        .iter()
        .filter(|r| key_of_insight(r).as_ref() == Some(key))
        .filter_map(|r| {
            Some(Mark {
                minute: minute_of(r["eventTime"].as_str()?)?,
                state: r["insightDetails"]["state"].as_str()?.to_string(),
            })
        })
        .collect();
    out.sort_by_key(|m| m.minute);
    out
}

/// The chart of one series: the window around its latest insight, else the recent minutes.
pub fn chart(points: &[(i64, u64)], marks: Vec<Mark>) -> Chart {
    let last = points.last().map_or(0, |p| p.0);
    let (from, to) = match (
        marks.iter().rev().find(|m| m.state == "Start"),
        marks.iter().rev().find(|m| m.state == "End"),
    ) {
        (Some(s), Some(e)) if e.minute >= s.minute => (s.minute - BEFORE, e.minute + AFTER),
        (Some(s), _) => (
            s.minute - BEFORE,
            (s.minute + 2 * BEFORE).min(last.max(s.minute) + AFTER),
        ),
        _ => (last - RECENT + 1, last),
    };
    let series = Series::new(points.iter().copied());
    let mut counts = Vec::new();
    let (mut mean, mut bound) = (Vec::new(), Vec::new());
    let by_minute: BTreeMap<i64, u64> = points.iter().copied().collect();
    for m in from..=to {
        counts.push(by_minute.get(&m).copied().unwrap_or(0));
        let b = series.baseline_at(m);
        mean.push(b.mean);
        bound.push(b.start_bound());
    }
    let marks = marks
        .into_iter()
        .filter(|m| m.minute >= from && m.minute <= to)
        .collect();
    Chart {
        from,
        to,
        counts,
        mean,
        bound,
        marks,
    }
}

const W: f64 = 1100.0;
const H: f64 = 320.0;
const LEFT: f64 = 50.0;
const RIGHT: f64 = 45.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 40.0;

/// The chart as inline SVG (presentation attributes only: the page's policy allows no
/// inline styles).
pub fn svg(c: &Chart, title: &str) -> String {
    let n = c.counts.len().max(1) as f64;
    let peak = c
        .counts
        .iter()
        .map(|&x| x as f64)
        .chain(c.bound.iter().copied())
        .fold(1.0_f64, f64::max)
        * 1.1;
    let x = |i: f64| LEFT + (W - LEFT - RIGHT) * i / n;
    let y = |v: f64| TOP + (H - TOP - BOTTOM) * (1.0 - v / peak);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" \
         width=\"{W}\" height=\"{H}\" role=\"img\" aria-label=\"{}\"><title>{}</title>\
         <rect x=\"0\" y=\"0\" width=\"{W}\" height=\"{H}\" fill=\"#ffffff\"/>",
        esc(title),
        esc(title)
    );
    // Axes and ticks.
    let _ = write!(
        out,
        "<line x1=\"{LEFT}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#879596\"/>\
         <line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{}\" stroke=\"#879596\"/>",
        H - BOTTOM,
        W - RIGHT,
        H - BOTTOM,
        H - BOTTOM
    );
    for k in 0..=4 {
        let v = peak / 1.1 * k as f64 / 4.0;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#545b64\">{:.0}</text>\
             <line x1=\"{LEFT}\" y1=\"{:.1}\" x2=\"{}\" y2=\"{:.1}\" stroke=\"#eaeded\"/>",
            LEFT - 6.0,
            y(v) + 4.0,
            v,
            y(v),
            W - RIGHT,
            y(v)
        );
    }
    let ticks = 6;
    for k in 0..=ticks {
        let i = ((c.counts.len().saturating_sub(1)) * k / ticks) as f64;
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#545b64\">{}</text>",
            x(i + 0.5),
            H - BOTTOM + 16.0,
            esc(&minute_label(c.from + i as i64))
        );
    }
    // Counts as bars.
    let bw = ((W - LEFT - RIGHT) / n * 0.8).max(0.5);
    for (i, &v) in c.counts.iter().enumerate() {
        if v == 0 {
            continue;
        }
        let top = y(v as f64);
        let _ = write!(
            out,
            "<rect class=\"count\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"#0073bb\"><title>{} UTC: {v} calls</title></rect>",
            x(i as f64),
            (H - BOTTOM - top).max(0.0),
            esc(&minute_label(c.from + i as i64))
        );
    }
    // Baseline and start bound.
    let line = |values: &[f64]| {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i as f64 + 0.5), y(*v)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let _ = write!(
        out,
        "<polyline class=\"baseline\" points=\"{}\" fill=\"none\" stroke=\"#1d8102\" stroke-width=\"2\"/>\
         <polyline class=\"bound\" points=\"{}\" fill=\"none\" stroke=\"#d13212\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
        line(&c.mean),
        line(&c.bound)
    );
    // Insights events.
    for m in &c.marks {
        let i = (m.minute - c.from) as f64;
        let colour = if m.state == "Start" {
            "#d13212"
        } else {
            "#6b40b2"
        };
        let _ = write!(
            out,
            "<line class=\"mark mark-{}\" x1=\"{:.1}\" y1=\"{TOP}\" x2=\"{:.1}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"2\"/>\
             <text x=\"{:.1}\" y=\"{}\" font-size=\"12\" fill=\"{colour}\">{} {}</text>",
            esc(&m.state.to_lowercase()),
            x(i),
            x(i),
            H - BOTTOM,
            x(i) + 4.0,
            TOP + 12.0,
            esc(&m.state),
            esc(&minute_label(m.minute))
        );
    }
    out.push_str("</svg>");
    out
}

pub fn page(sim: &Simulator, req: &Request) -> Outcome {
    let trails: Vec<_> = super::trails::all(sim)?
        .into_iter()
        .filter(|v| v.trail.has_insight_selectors == Some(true))
        .collect();
    let mut body = String::new();
    if trails.is_empty() {
        body.push_str(
            "<p class=\"empty\">No trail has insight selectors. Put some with \
             PutInsightSelectors (aws_cloudtrail insight_selector), generate traffic with a \
             spike (ctsim generate --spike ...) and come back.</p>",
        );
        return Ok(Answer::page("Insights", html::Nav::Insights, body));
    }
    let wanted = req.get("trail");
    let view = trails
        .iter()
        .find(|v| v.trail.trail_arn.as_deref() == Some(wanted))
        .or_else(|| trails.first())
        .ok_or_else(|| Failure::not_found("no trail"))?;
    let arn = view.trail.trail_arn.clone().unwrap_or_default();
    let region = view
        .trail
        .home_region
        .clone()
        .unwrap_or_else(|| sim.default_region());
    let trail_account = arn.split(':').nth(4).unwrap_or_default().to_string();
    let now_minute = sim.now().timestamp().div_euclid(60);
    let counts = sim.read_unrecorded(|env| {
        Ok(env
            .db
            .insight_counts(&arn, now_minute - LIST_DAYS * 24 * 60, now_minute)?)
    })?;
    let mut series: BTreeMap<SeriesKey, (u64, u64)> = BTreeMap::new();
    for c in &counts {
        let e = series.entry(SeriesKey::of(c)).or_default();
        e.0 += c.count as u64;
        e.1 = e.1.max(c.count as u64);
    }
    let insight_records = insight_events(sim, &region)?;
    // The series asked for, else the one with the latest insight, else the busiest.
    let asked = SeriesKey {
        insight_type: req.get("type").to_string(),
        account_id: req.get("account").to_string(),
        region: req.get("region").to_string(),
        event_source: req.get("source").to_string(),
        event_name: req.get("name").to_string(),
        error_code: req.get("error").to_string(),
    };
    let latest_insight = insight_records
        .iter()
        .find_map(|r| key_of_insight(r).filter(|k| series.contains_key(k)));
    let chosen = if series.contains_key(&asked) {
        Some(asked)
    } else {
        latest_insight.or_else(|| {
            series
                .iter()
                .max_by_key(|(_, (_, peak))| *peak)
                .map(|(k, _)| k.clone())
        })
    };
    // Trail picker.
    body.push_str("<form class=\"filters\" method=\"get\" action=\"/console/insights\"><label>Trail<select name=\"trail\">");
    for v in &trails {
        let a = v.trail.trail_arn.as_deref().unwrap_or_default();
        let _ = write!(
            body,
            "<option value=\"{}\"{}>{}</option>",
            esc(a),
            if a == arn { " selected" } else { "" },
            esc(v.trail.name.as_deref().unwrap_or_default())
        );
    }
    body.push_str("</select></label><button type=\"submit\">Show</button></form>");
    match &chosen {
        None => body.push_str(
            "<p class=\"empty\">No calls counted for this trail yet: Insights counts the \
             write management calls a trail captures once it logs.</p>",
        ),
        Some(key) => {
            let points: Vec<(i64, u64)> = sim
                .read_unrecorded(|env| {
                    Ok(env.db.insight_counts(
                        &arn,
                        now_minute - LIST_DAYS * 24 * 60 - BASELINE_MINUTES,
                        now_minute,
                    )?)
                })?
                .into_iter()
                .filter(|c| SeriesKey::of(c) == *key)
                .map(|c| (c.minute, c.count as u64))
                .collect();
            let c = chart(&points, marks(&insight_records, key));
            let title = format!(
                "{} · {}",
                key.insight_type,
                series_label(key, (&trail_account, &region))
            );
            let _ = write!(
                body,
                "<h2>{}</h2><p class=\"legend\"><span class=\"swatch count\"></span>calls per minute \
                 <span class=\"swatch baseline\"></span>baseline (7-day mean) \
                 <span class=\"swatch bound\"></span>start bound \
                 <span class=\"swatch mark\"></span>Insights start / end</p><div class=\"chart-box\">{}</div>",
                esc(&title),
                svg(&c, &title)
            );
        }
    }
    // Series list.
    let rows: Vec<Vec<String>> = series
        .iter()
        .map(|(k, (total, peak))| {
            let href = html::link(
                "/console/insights",
                &[
                    ("trail", &arn),
                    ("type", &k.insight_type),
                    ("account", &k.account_id),
                    ("region", &k.region),
                    ("source", &k.event_source),
                    ("name", &k.event_name),
                    ("error", &k.error_code),
                ],
            );
            let shown = chosen.as_ref() == Some(k);
            vec![
                esc(&k.insight_type),
                esc(&k.account_id),
                esc(&k.region),
                esc(&k.event_source),
                html::a(&href, &k.event_name),
                esc(&k.error_code),
                esc(&total.to_string()),
                esc(&peak.to_string()),
                if shown { "shown".into() } else { String::new() },
            ]
        })
        .collect();
    let _ = write!(body, "<h2>APIs counted (last {LIST_DAYS} days)</h2>");
    body.push_str(&html::table(
        "series",
        &[
            "Insight type",
            "Account",
            "Region",
            "Event source",
            "Event name",
            "Error code",
            "Calls",
            "Peak / minute",
            "",
        ],
        &rows,
    ));
    // Insights events.
    let rows: Vec<Vec<String>> = insight_records
        .iter()
        .map(|r| {
            let d = &r["insightDetails"];
            let s = |v: &Value| esc(v.as_str().unwrap_or_default());
            vec![
                s(&r["eventTime"]),
                s(&d["state"]),
                s(&d["insightType"]),
                s(&d["eventSource"]),
                s(&d["eventName"]),
                s(&d["errorCode"]),
            ]
        })
        .collect();
    let _ = write!(body, "<h2>Insights events in {}</h2>", esc(&region));
    if rows.is_empty() {
        body.push_str("<p class=\"empty\">None yet.</p>");
    } else {
        body.push_str(&html::table(
            "insight-events",
            &[
                "Event time",
                "State",
                "Type",
                "Event source",
                "Event name",
                "Error code",
            ],
            &rows,
        ));
    }
    Ok(Answer::page("Insights", html::Nav::Insights, body))
}

/// The newest Insights records of a region (LookupEvents, category insight), unrecorded.
fn insight_events(sim: &Simulator, region: &str) -> Result<Vec<Value>, Failure> {
    let ctx = sim.default_caller(region);
    let page = sim.read_unrecorded(|env| {
        cloudtrail::lookup_events(
            env,
            &ctx,
            model::LookupEventsRequest {
                event_category: Some("insight".into()),
                max_results: Some(50),
                ..Default::default()
            },
        )
    })?;
    Ok(page
        .events
        .iter()
        .filter_map(|e| serde_json::from_str(e.cloud_trail_event.as_deref()?).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_frames_the_insight_and_marks_start_and_end() {
        let mut points: Vec<(i64, u64)> = (0..20_000).map(|m| (m, 1)).collect();
        for p in points.iter_mut().skip(15_000).take(10) {
            p.1 = 40;
        }
        let marks = vec![
            Mark {
                minute: 15_000,
                state: "Start".into(),
            },
            Mark {
                minute: 15_014,
                state: "End".into(),
            },
        ];
        let c = chart(&points, marks);
        assert_eq!((c.from, c.to), (15_000 - BEFORE, 15_014 + AFTER));
        assert_eq!(c.counts[BEFORE as usize], 40);
        assert!((c.mean[0] - 1.0).abs() < 0.01, "{}", c.mean[0]);
        assert_eq!(c.marks.len(), 2);
        let svg = svg(&c, "ApiCallRateInsight <x>");
        assert!(svg.contains("class=\"mark mark-start\""));
        assert!(svg.contains("class=\"mark mark-end\""));
        assert!(svg.contains("ApiCallRateInsight &lt;x&gt;"));
        assert!(!svg.contains("style="));
    }
}
