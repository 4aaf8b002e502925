//! `ctsim sns`: what SNS handed to each subscription (alarm notifications, CloudTrail
//! log-file notices, EventBridge targets), with the status of the HTTP POSTs ctsim made.

use std::fmt::Write;

use anyhow::{Result, anyhow};
use clap::Subcommand;

use crate::Simulator;
use crate::services::sns::{self, Delivery};

#[derive(Subcommand)]
pub enum SnsCommand {
    /// Deliveries to subscriptions, oldest first: time, protocol, endpoint, type, status.
    Deliveries {
        /// Only deliveries of this topic (ARN).
        #[arg(long)]
        topic: Option<String>,
        /// Print each delivery's body too.
        #[arg(long)]
        body: bool,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(sim: &Simulator, cmd: SnsCommand) -> Result<String> {
    match cmd {
        SnsCommand::Deliveries { topic, body, json } => {
            // POSTs still waiting (e.g. stored by another process) are made first.
            sim.push_sns_http_deliveries()
                .map_err(|e| anyhow!("{}: {}", e.code, e.message))?;
            let list = sim
                .run_unrecorded(|env| sns::deliveries(env, topic.as_deref()))
                .map_err(|e| anyhow!("{}: {}", e.code, e.message))?;
            if json {
                let mut s = serde_json::to_string_pretty(&list)?;
                s.push('\n');
                return Ok(s);
            }
            Ok(render(&list, body))
        }
    }
}

fn render(list: &[Delivery], body: bool) -> String {
    if list.is_empty() {
        return "No SNS deliveries.\n".into();
    }
    let mut out = String::new();
    for d in list {
        let when = crate::clock::from_millis((d.timestamp * 1000.0).round() as i64)
            .format("%Y-%m-%dT%H:%M:%SZ");
        let _ = writeln!(
            out,
            "{when}  {:<10} {:<24} {:<48} {}",
            d.protocol, d.message_type, d.endpoint, d.status
        );
        let _ = writeln!(out, "    topic {}  message {}", d.topic_arn, d.message_id);
        if body {
            for line in d.body.lines() {
                let _ = writeln!(out, "    | {line}");
            }
        }
    }
    out
}
