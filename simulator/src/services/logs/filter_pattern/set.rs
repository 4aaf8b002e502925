//! Many metric filters over the same events: [`MetricFilterSet`].
//!
//! Evaluating each [`CompiledMetricFilter`] alone validates a JSON message once per filter
//! and walks the raw bytes once per condition. A set compiled from a log group's filters
//! reads each message once instead: the selectors of all its JSON patterns share one
//! [`PathTrie`], one validating pass records the value of each selected path, and every
//! JSON pattern's `&&` / `||` tree then runs on those values. The conditions themselves are
//! the patterns' own ([`super::json`] decides what a value satisfies), so a set answers
//! exactly what its filters answer one by one:
//!
//! - a selector with a `*` wildcard is not in the trie; its condition walks the message as
//!   it does alone (once the pass has found the message to be a JSON object);
//! - terms, regex, space-delimited and match-all patterns run alone, as before;
//! - metric values and dimensions are read as [`CompiledMetricFilter::evaluate`] reads
//!   them, and only for the filters that matched.

use std::convert::Infallible;

use super::json::Condition;
use super::path_scan::{PathTrie, ScanScratch, TrieBuilder};
use super::syntax::BoolExpr;
use super::{CompiledMetricFilter, Hit, Kind, Match};

/// A condition of a JSON pattern and the trie node its selector ends at (`None` for a
/// wildcard selector, which is evaluated on the message).
#[derive(Debug, Clone)]
struct Leaf {
    condition: Condition,
    node: Option<u32>,
}

#[derive(Debug, Clone)]
enum Plan {
    /// Not a JSON pattern: run through [`super::FilterPattern`] alone.
    Alone,
    /// A JSON pattern's expression, its leaves resolved against the set's trie.
    Json(BoolExpr<Leaf>),
}

/// Metric filters compiled together so each message is read once for all of them.
#[derive(Debug, Clone)]
pub struct MetricFilterSet {
    filters: Vec<CompiledMetricFilter>,
    plans: Vec<Plan>,
    trie: PathTrie,
    any_json: bool,
    scratch: ScanScratch,
}

impl MetricFilterSet {
    /// Compiles filters into a set; a filter keeps its position (the index
    /// [`MetricFilterSet::evaluate`] reports).
    pub fn new(filters: impl IntoIterator<Item = CompiledMetricFilter>) -> MetricFilterSet {
        let filters: Vec<CompiledMetricFilter> = filters.into_iter().collect();
        let mut builder = TrieBuilder::new();
        for f in &filters {
            if let Kind::Json(j) = &f.pattern.kind {
                j.conditions().for_each_leaf(&mut |c: &Condition| {
                    builder.insert(c.selector().steps());
                });
            }
        }
        let trie = builder.finish();
        let plans: Vec<Plan> = filters
            .iter()
            .map(|f| match &f.pattern.kind {
                Kind::Json(j) => {
                    let expr = j.conditions().clone().try_map(&mut |condition: Condition| {
                        let node = trie.find(condition.selector().steps());
                        Ok::<_, Infallible>(Leaf { condition, node })
                    });
                    match expr {
                        Ok(expr) => Plan::Json(expr),
                        Err(never) => match never {},
                    }
                }
                _ => Plan::Alone,
            })
            .collect();
        let any_json = plans.iter().any(|p| matches!(p, Plan::Json(_)));
        MetricFilterSet {
            filters,
            plans,
            trie,
            any_json,
            scratch: ScanScratch::default(),
        }
    }

    /// The filters, in the order given.
    pub fn filters(&self) -> &[CompiledMetricFilter] {
        &self.filters
    }

    pub fn len(&self) -> usize {
        self.filters.len()
    }

    pub fn is_empty(&self) -> bool {
        self.filters.is_empty()
    }

    /// How many distinct selector paths the JSON patterns read in the shared pass
    /// (the top-level object included).
    pub fn shared_paths(&self) -> usize {
        self.trie.len()
    }

    /// Runs one log event message through every filter and calls `f` with the index and
    /// [`Match`] of each filter that matches, in filter order: the same matches, values and
    /// dimensions as [`CompiledMetricFilter::evaluate`] gives filter by filter.
    pub fn evaluate<'m>(&mut self, message: &'m str, mut f: impl FnMut(usize, Match<'_, 'm>)) {
        let json = self.any_json && self.trie.scan(message, &mut self.scratch);
        let (trie, scratch) = (&self.trie, &self.scratch);
        for (i, (filter, plan)) in self.filters.iter().zip(&self.plans).enumerate() {
            let hit = match plan {
                Plan::Alone => filter.pattern.hit(message),
                Plan::Json(expr) => {
                    let mut holds = |leaf: &Leaf| match leaf.node {
                        Some(id) => {
                            let node = trie.node(scratch, message, id);
                            leaf.condition.holds_over(|test| node.is_some_and(test))
                        }
                        None => leaf.condition.holds(message),
                    };
                    (json && expr.eval(&mut holds)).then_some(Hit::Plain)
                }
            };
            if let Some(hit) = hit {
                f(i, filter.matched(message, hit));
            }
        }
    }
}

#[cfg(test)]
mod tests;
