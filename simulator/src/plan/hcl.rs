//! A directory of `.tf` files (and its local modules) evaluated the way `terraform plan`
//! would before apply: variables take their defaults (or `terraform.tfvars` /
//! `*.auto.tfvars`), locals, references between resources, `count` / `for_each` and
//! `dynamic` blocks are resolved when their inputs are known. Whatever only apply can know
//! (computed attributes, the caller's account, a variable with no value) becomes an unknown
//! marker naming the expression and its `file:line`; nothing is guessed.
//!
//! Parsing is hcl-rs; evaluation is ours because Terraform's unknowns have to survive it.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, Operation, TemplateExpr, Traversal,
    TraversalOperator, UnaryOperator,
};
use hcl::structure::{Block, BlockLabel, Body, Structure};
use hcl::template::{Element, Template};
use serde_json::{Map, Number, Value, json};

use super::{
    Config, LoadError, Mode, Origin, Resource, Unresolved, as_unknown, contains_unknown,
    first_unknown, is_unknown, policy_document, unknown,
};

/// Meta-arguments that are not resource attributes.
const META: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "provider",
    "lifecycle",
    "provisioner",
    "connection",
];

/// Modules nested deeper than this are refused (a module that includes itself).
const MAX_MODULE_DEPTH: usize = 16;

/// Expressions and references (a local naming a local naming ...) nested deeper than this
/// stop evaluation: each level is a few frames of recursion.
pub const MAX_EVAL_DEPTH: usize = 256;
/// The most work one configuration may take to evaluate, in steps: one per expression, per
/// resource instance, per byte of text or element built, and per node of a value copied
/// by a reference. Locals that double a value through references, or a `count` of a
/// billion, would otherwise exhaust memory; real configurations take a few thousand.
pub const MAX_EVAL_WORK: u64 = 16_000_000;
/// Values reached through references nested deeper than this stop evaluation.
pub const MAX_VALUE_DEPTH: usize = 128;

/// What evaluating a configuration has taken so far, shared by the root module and its
/// children; once a limit is reached every further expression is an unknown and
/// [`load_dir`] fails naming the place.
#[derive(Default)]
struct Budget {
    depth: Cell<usize>,
    work: Cell<u64>,
    stopped: RefCell<Option<String>>,
}

impl Budget {
    fn stop(&self, at: Loc<'_>, why: String) {
        let mut s = self.stopped.borrow_mut();
        if s.is_none() {
            *s = Some(format!("{at}: evaluation stopped: {why}"));
        }
    }

    fn is_stopped(&self) -> bool {
        self.stopped.borrow().is_some()
    }

    /// Takes `units` steps; false (and stopped) when that goes over [`MAX_EVAL_WORK`].
    fn charge(&self, units: u64, at: Loc<'_>) -> bool {
        let work = self.work.get().saturating_add(units);
        self.work.set(work);
        if work > MAX_EVAL_WORK {
            self.stop(
                at,
                format!(
                    "the configuration takes more than {MAX_EVAL_WORK} steps to evaluate \
                     (a value that doubles through references, or a very large count?)"
                ),
            );
            return false;
        }
        true
    }
}

/// The size of a value in steps (nodes and bytes of text) and its depth, measured down to
/// `limit` levels.
fn measure(v: &Value, limit: usize) -> (u64, usize) {
    match v {
        Value::String(s) => (1 + s.len() as u64, 1),
        Value::Array(_) | Value::Object(_) if limit == 0 => (1, 1),
        Value::Array(a) => a.iter().fold((1, 1), |(size, depth), x| {
            let (s, d) = measure(x, limit - 1);
            (size.saturating_add(s), depth.max(d + 1))
        }),
        Value::Object(o) => o.iter().fold((1, 1), |(size, depth), (k, x)| {
            let (s, d) = measure(x, limit - 1);
            (
                size.saturating_add(s).saturating_add(k.len() as u64),
                depth.max(d + 1),
            )
        }),
        _ => (1, 1),
    }
}

/// The steps a value built by one expression takes beyond its parts: its own text or
/// elements (its parts were paid for when they were evaluated).
fn shallow_size(v: &Value) -> u64 {
    match v {
        Value::String(s) => s.len() as u64,
        Value::Array(a) => a.len() as u64,
        Value::Object(o) => o.len() as u64,
        _ => 0,
    }
}

/// Loads and evaluates the configuration in `dir`.
pub fn load_dir(dir: &Path) -> Result<Config, LoadError> {
    let budget = Rc::new(Budget::default());
    let root = ModuleEval::load(dir, dir, String::new(), BTreeMap::new(), 0, budget.clone())?;
    let mut resources = Vec::new();
    root.collect(&mut resources);
    if let Some(dt) = &root.default_tags {
        let at = root.at(dt.file, dt.line);
        let defaults = root.eval(&dt.item, &Scope::new(), at);
        apply_default_tags(&mut resources, &defaults);
    }
    if let Some(why) = budget.stopped.take() {
        return Err(LoadError::Other(format!("{}: {why}", dir.display())));
    }
    let unresolved = root.take_unresolved();
    Ok(Config {
        origin: Origin::Hcl(dir.to_path_buf()),
        resources,
        unresolved,
        region: root.region(),
    }
    .finish())
}

/// Resource types that take provider `default_tags` (the ones the model reads or renders).
const TAGGABLE: &[&str] = &[
    "aws_cloudtrail",
    "aws_cloudtrail_event_data_store",
    "aws_s3_bucket",
    "aws_kms_key",
    "aws_cloudwatch_log_group",
    "aws_sns_topic",
    "aws_iam_role",
];

/// `tags_all` = the provider's `default_tags` overridden by the resource's `tags`, as the
/// provider plans it.
fn apply_default_tags(resources: &mut [Resource], defaults: &Value) {
    let Value::Object(d) = defaults else { return };
    for r in resources
        .iter_mut()
        .filter(|r| r.mode == Mode::Managed && TAGGABLE.contains(&r.rtype.as_str()))
    {
        let mut all = d.clone();
        match r.attrs.get("tags") {
            Some(Value::Object(t)) if !is_unknown(r.attrs.get("tags").unwrap_or(&Value::Null)) => {
                all.extend(t.clone());
            }
            Some(Value::Null) | None => {}
            Some(other) => {
                let u = other.clone();
                if let Value::Object(o) = &mut r.attrs {
                    o.insert("tags_all".into(), u);
                }
                continue;
            }
        }
        if let Value::Object(o) = &mut r.attrs {
            o.insert("tags_all".into(), Value::Object(all));
        }
    }
}

/// `file:line`, formatted only when an unknown or a note needs it.
#[derive(Clone, Copy)]
struct Loc<'a> {
    file: &'a str,
    line: usize,
}

impl std::fmt::Display for Loc<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Line lookup in one file's text (hcl-rs keeps no spans).
struct SourceFile {
    name: String,
    text: String,
    /// Byte ranges of the lines of `text`.
    lines: Vec<(usize, usize)>,
}

impl SourceFile {
    fn new(name: String, text: String) -> SourceFile {
        let mut lines = Vec::new();
        let mut start = 0;
        for l in text.split_inclusive('\n') {
            lines.push((start, start + l.trim_end_matches(['\n', '\r']).len()));
            start += l.len();
        }
        SourceFile { name, text, lines }
    }

    fn lines(&self) -> impl Iterator<Item = &str> + '_ {
        self.lines
            .iter()
            .map(|&(a, b)| self.text.get(a..b).unwrap_or_default())
    }

    /// The 1-based line of the header of block `ident "l1" "l2"`, searched from line `from`
    /// (blocks are indexed in file order), then from the top.
    fn block_line(&self, from: usize, ident: &str, labels: &[String]) -> usize {
        let is_header = |l: &&str| {
            // Cheap test first: most lines are not this block's header.
            if !l.trim_start().starts_with(ident) {
                return false;
            }
            let toks: Vec<&str> = l
                .split(|c: char| c.is_whitespace() || c == '{')
                .filter(|t| !t.is_empty())
                .map(|t| t.trim_matches('"'))
                .collect();
            toks.first() == Some(&ident)
                && toks.len() > labels.len()
                && labels.iter().zip(&toks[1..]).all(|(a, b)| a == b)
        };
        let start = from.saturating_sub(1).min(self.lines.len());
        let after = self.lines[start..]
            .iter()
            .map(|&(a, b)| self.text.get(a..b).unwrap_or_default())
            .position(|l| is_header(&l))
            .map(|i| start + i + 1);
        after
            .or_else(|| self.lines().position(|l| is_header(&l)).map(|i| i + 1))
            .unwrap_or(0)
    }

    /// The 1-based line of attribute `name` at or after line `from`.
    fn attr_line(&self, from: usize, name: &str) -> usize {
        let start = from.saturating_sub(1).min(self.lines.len());
        self.lines[start..]
            .iter()
            .map(|&(a, b)| self.text.get(a..b).unwrap_or_default())
            .position(|l| {
                let t = l.trim_start();
                t.strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with([' ', '=', '\t', '{']))
            })
            .map_or(from, |i| start + i + 1)
    }
}

#[derive(Clone)]
struct Located<T> {
    item: T,
    file: usize,
    line: usize,
}

struct ResourceDef {
    mode: Mode,
    rtype: String,
    name: String,
    body: Body,
    file: usize,
    line: usize,
}

impl ResourceDef {
    fn key(&self) -> String {
        match self.mode {
            Mode::Managed => format!("{}.{}", self.rtype, self.name),
            Mode::Data => format!("data.{}.{}", self.rtype, self.name),
        }
    }
}

type Scope = BTreeMap<String, Value>;

const VAR: usize = 0;
const LOCAL: usize = 1;
const RESOURCE: usize = 2;
const INSTANCE: usize = 3;
const MISC: usize = 4;

/// One module (the root or a local module call) and its evaluation caches.
struct ModuleEval {
    dir: PathBuf,
    /// The directory checked (file names are shown relative to it).
    root: PathBuf,
    /// `""` or `module.NAME.` (nested: `module.a.module.b.`).
    prefix: String,
    depth: usize,
    budget: Rc<Budget>,
    files: Vec<SourceFile>,
    variables: BTreeMap<String, Located<Option<Expression>>>,
    /// Values given by the caller (module inputs, evaluated in the parent) or tfvars.
    given: BTreeMap<String, Value>,
    locals: BTreeMap<String, Located<Expression>>,
    resources: BTreeMap<String, ResourceDef>,
    module_calls: BTreeMap<String, Located<Block>>,
    outputs: BTreeMap<String, Located<Expression>>,
    provider_region: Option<Located<Expression>>,
    /// `default_tags { tags = ... }` of the default aws provider.
    default_tags: Option<Located<Expression>>,
    /// Evaluated values by kind ([`VAR`], [`LOCAL`], [`RESOURCE`], [`INSTANCE`], [`MISC`])
    /// and name, so that a hit allocates nothing.
    cache: [RefCell<HashMap<String, Rc<Value>>>; 5],
    in_progress: RefCell<HashSet<(usize, String)>>,
    children: RefCell<BTreeMap<String, Rc<ModuleEval>>>,
    unresolved: RefCell<Vec<Unresolved>>,
    /// Parsed templates by their source text (the same string is evaluated per instance).
    templates: RefCell<HashMap<String, Rc<Template>>>,
}

fn label_str(l: &BlockLabel) -> String {
    match l {
        BlockLabel::Identifier(i) => i.as_str().to_string(),
        BlockLabel::String(s) => s.clone(),
    }
}

fn expr_text(e: &Expression) -> String {
    hcl::format::to_string(e)
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "<expression>".to_string())
}

impl ModuleEval {
    fn load(
        dir: &Path,
        root: &Path,
        prefix: String,
        given: BTreeMap<String, Value>,
        depth: usize,
        budget: Rc<Budget>,
    ) -> Result<ModuleEval, LoadError> {
        if depth > MAX_MODULE_DEPTH {
            return Err(LoadError::Other(format!(
                "{}: modules nested more than {MAX_MODULE_DEPTH} deep",
                dir.display()
            )));
        }
        let io = |e: std::io::Error| LoadError::Io {
            path: dir.display().to_string(),
            message: e.to_string(),
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "tf") && p.is_file())
            .collect();
        paths.sort();
        if paths.is_empty() && depth == 0 {
            return Err(LoadError::Other(format!(
                "{}: no .tf files in this directory",
                dir.display()
            )));
        }
        let mut m = ModuleEval {
            dir: dir.to_path_buf(),
            root: root.to_path_buf(),
            prefix,
            depth,
            budget,
            files: Vec::new(),
            variables: BTreeMap::new(),
            given,
            locals: BTreeMap::new(),
            resources: BTreeMap::new(),
            module_calls: BTreeMap::new(),
            outputs: BTreeMap::new(),
            provider_region: None,
            default_tags: None,
            cache: Default::default(),
            in_progress: RefCell::new(HashSet::new()),
            children: RefCell::new(BTreeMap::new()),
            unresolved: RefCell::new(Vec::new()),
            templates: RefCell::new(HashMap::new()),
        };
        for path in &paths {
            let text = std::fs::read_to_string(path).map_err(|e| LoadError::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            let body: Body = hcl::parse(&text).map_err(|e| LoadError::Syntax {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            // Files are named relative to the directory checked (`modules/trail/main.tf`).
            let shown = path
                .strip_prefix(root)
                .map(|p| {
                    p.components()
                        .map(|c| c.as_os_str().to_string_lossy().to_string())
                        .collect::<Vec<_>>()
                        .join("/")
                })
                .unwrap_or_else(|_| path.display().to_string());
            m.files.push(SourceFile::new(shown, text));
            let fi = m.files.len() - 1;
            m.index(fi, body);
        }
        if depth == 0 {
            m.read_tfvars()?;
        }
        Ok(m)
    }

    /// `terraform.tfvars` then `*.auto.tfvars` (lexical order), as Terraform reads them.
    fn read_tfvars(&mut self) -> Result<(), LoadError> {
        let mut files = vec![self.dir.join("terraform.tfvars")];
        let mut autos: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        p.file_name()
                            .is_some_and(|n| n.to_string_lossy().ends_with(".auto.tfvars"))
                    })
                    .collect()
            })
            .unwrap_or_default();
        autos.sort();
        files.extend(autos);
        for path in files.into_iter().filter(|p| p.is_file()) {
            let text = std::fs::read_to_string(&path).map_err(|e| LoadError::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            let body: Body = hcl::parse(&text).map_err(|e| LoadError::Syntax {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            let fname = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let at = Loc {
                file: &fname,
                line: 1,
            };
            for a in body.attributes() {
                let v = self.eval(&a.expr, &Scope::new(), at);
                self.given.insert(a.key.as_str().to_string(), v);
            }
        }
        Ok(())
    }

    fn index(&mut self, fi: usize, body: Body) {
        let mut cursor = 1;
        for s in body.into_inner() {
            let Structure::Block(b) = s else { continue };
            let labels: Vec<String> = b.labels.iter().map(label_str).collect();
            let ident = b.identifier.as_str().to_string();
            let line = self.files[fi].block_line(cursor, &ident, &labels);
            cursor = line.max(1);
            match (ident.as_str(), labels.as_slice()) {
                ("variable", [name]) => {
                    let default = b
                        .body
                        .attributes()
                        .find(|a| a.key.as_str() == "default")
                        .map(|a| a.expr.clone());
                    self.variables.insert(
                        name.clone(),
                        Located {
                            item: default,
                            file: fi,
                            line,
                        },
                    );
                }
                ("locals", []) => {
                    for a in b.body.attributes() {
                        let l = self.files[fi].attr_line(line, a.key.as_str());
                        self.locals.insert(
                            a.key.as_str().to_string(),
                            Located {
                                item: a.expr.clone(),
                                file: fi,
                                line: l,
                            },
                        );
                    }
                }
                ("output", [name]) => {
                    if let Some(a) = b.body.attributes().find(|a| a.key.as_str() == "value") {
                        self.outputs.insert(
                            name.clone(),
                            Located {
                                item: a.expr.clone(),
                                file: fi,
                                line,
                            },
                        );
                    }
                }
                ("provider", [p]) if p == "aws" => {
                    // The default (unaliased) provider configuration decides the region.
                    let aliased = b.body.attributes().any(|a| a.key.as_str() == "alias");
                    if !aliased {
                        if let Some(a) = b.body.attributes().find(|a| a.key.as_str() == "region") {
                            self.provider_region = Some(Located {
                                item: a.expr.clone(),
                                file: fi,
                                line,
                            });
                        }
                        let tags = b
                            .body
                            .blocks()
                            .filter(|d| d.identifier.as_str() == "default_tags")
                            .flat_map(|d| d.body.attributes())
                            .find(|a| a.key.as_str() == "tags");
                        if let Some(a) = tags {
                            self.default_tags = Some(Located {
                                item: a.expr.clone(),
                                file: fi,
                                line,
                            });
                        }
                    }
                }
                ("module", [name]) => {
                    self.module_calls.insert(
                        name.clone(),
                        Located {
                            item: b,
                            file: fi,
                            line,
                        },
                    );
                }
                ("resource" | "data", [ty, name]) => {
                    let mode = if ident == "data" {
                        Mode::Data
                    } else {
                        Mode::Managed
                    };
                    let def = ResourceDef {
                        mode,
                        rtype: ty.clone(),
                        name: name.clone(),
                        body: b.body,
                        file: fi,
                        line,
                    };
                    self.resources.insert(def.key(), def);
                }
                _ => {}
            }
        }
    }

    fn at(&self, file: usize, line: usize) -> Loc<'_> {
        Loc {
            file: self.files.get(file).map_or("?", |f| f.name.as_str()),
            line,
        }
    }

    fn note(&self, expr: &str, at: &str, reason: &str) {
        self.unresolved.borrow_mut().push(Unresolved {
            expr: expr.to_string(),
            at: at.to_string(),
            reason: reason.to_string(),
        });
    }

    fn take_unresolved(&self) -> Vec<Unresolved> {
        let mut all = std::mem::take(&mut *self.unresolved.borrow_mut());
        for c in self.children.borrow().values() {
            all.extend(c.take_unresolved());
        }
        all
    }

    // ------------------------------------------------------------ instances

    /// Every resource instance of this module and its children, attributes evaluated.
    fn collect(&self, out: &mut Vec<Resource>) {
        for def in self.resources.values() {
            for (addr, scope) in self.instances(def) {
                let at = self.at(def.file, def.line);
                let mut attrs = (*self.instance_attrs(def, &addr, &scope)).clone();
                if def.mode == Mode::Data && def.rtype == "aws_iam_policy_document" {
                    let rendered = policy_document::render(&attrs);
                    if let Value::Object(o) = &mut attrs {
                        o.insert("json".into(), rendered);
                    }
                }
                if def.mode == Mode::Managed {
                    self.note_unknowns(&attrs, &addr);
                }
                out.push(Resource {
                    address: format!("{}{}", self.prefix, addr),
                    mode: def.mode,
                    rtype: def.rtype.clone(),
                    location: at.to_string(),
                    attrs,
                });
            }
        }
        for name in self.module_calls.keys() {
            if let Some(child) = self.child(name) {
                child.collect(out);
            }
        }
    }

    fn note_unknowns(&self, v: &Value, path: &str) {
        if let Some(m) = as_unknown(v) {
            let expr = m.get("expr").and_then(Value::as_str).unwrap_or_default();
            let at = m.get("at").and_then(Value::as_str).unwrap_or_default();
            // A reference inside a module carries the module's prefix.
            let bare = |r: &str| {
                let mut rest = r;
                while let Some(after) = rest.strip_prefix("module.") {
                    rest = after.split_once('.').map_or("", |(_, x)| x);
                }
                rest.to_string()
            };
            let reason = match m.get("ref").and_then(Value::as_str) {
                Some(r) if bare(r).starts_with("data.") => format!("read from {r}"),
                Some(r) if bare(r).starts_with("var.") => format!("{r} has no value"),
                Some(r) => format!("known only after {r} is applied"),
                None => "cannot be evaluated before apply".to_string(),
            };
            self.note(expr, at, &format!("{}{path}: {reason}", self.prefix));
            return;
        }
        // Paths are only built on the way to an unknown.
        match v {
            Value::Object(o) => {
                for (k, x) in o.iter().filter(|(_, x)| contains_unknown(x)) {
                    self.note_unknowns(x, &format!("{path}.{k}"));
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate().filter(|(_, x)| contains_unknown(x)) {
                    self.note_unknowns(x, &format!("{path}[{i}]"));
                }
            }
            _ => {}
        }
    }

    /// The instance addresses (relative to the module) and their `count` / `each` scope.
    fn instances(&self, def: &ResourceDef) -> Vec<(String, Scope)> {
        let base = def.key();
        let attr = |n: &str| def.body.attributes().find(|a| a.key.as_str() == n);
        if let Some(count) = attr("count") {
            let at = self.at(def.file, self.files[def.file].attr_line(def.line, "count"));
            let v = self.eval(&count.expr, &Scope::new(), at);
            // Each instance is a step of the budget, paid before any is made.
            let affordable = v.as_u64().filter(|n| self.budget.charge(*n, at));
            return match affordable {
                Some(n) => (0..n)
                    .map(|i| {
                        let mut s = Scope::new();
                        s.insert("count".into(), json!({ "index": i }));
                        (format!("{base}[{i}]"), s)
                    })
                    .collect(),
                None => {
                    self.note(
                        &expr_text(&count.expr),
                        &at.to_string(),
                        &format!("{}{base}: count cannot be resolved", self.prefix),
                    );
                    let mut s = Scope::new();
                    s.insert(
                        "count".into(),
                        json!({ "index": unknown("count.index", &at.to_string(), None) }),
                    );
                    vec![(format!("{base}[?]"), s)]
                }
            };
        }
        if let Some(fe) = attr("for_each") {
            let at = self.at(
                def.file,
                self.files[def.file].attr_line(def.line, "for_each"),
            );
            let v = self.eval(&fe.expr, &Scope::new(), at);
            let pairs: Option<Vec<(String, Value)>> = match &v {
                Value::Object(o) if !is_unknown(&v) => {
                    Some(o.iter().map(|(k, x)| (k.clone(), x.clone())).collect())
                }
                Value::Array(a) if !contains_unknown(&v) => a
                    .iter()
                    .map(|x| x.as_str().map(|s| (s.to_string(), x.clone())))
                    .collect(),
                _ => None,
            };
            return match pairs {
                Some(mut pairs) => {
                    pairs.sort_by(|a, b| a.0.cmp(&b.0));
                    pairs.dedup_by(|a, b| a.0 == b.0);
                    pairs
                        .into_iter()
                        .map(|(k, x)| {
                            let mut s = Scope::new();
                            s.insert("each".into(), json!({ "key": k, "value": x }));
                            (format!("{base}[{}]", Value::String(k)), s)
                        })
                        .collect()
                }
                None => {
                    self.note(
                        &expr_text(&fe.expr),
                        &at.to_string(),
                        &format!("{}{base}: for_each cannot be resolved", self.prefix),
                    );
                    let mut s = Scope::new();
                    let u = unknown("each", &at.to_string(), None);
                    s.insert("each".into(), json!({ "key": u.clone(), "value": u }));
                    vec![(format!("{base}[?]"), s)]
                }
            };
        }
        vec![(base, Scope::new())]
    }

    /// A body's attributes and nested blocks (lists of objects), `dynamic` blocks expanded.
    fn eval_body(&self, body: &Body, scope: &Scope, file: usize, from: usize) -> Value {
        let mut out = Map::new();
        // Attributes and blocks come in source order: each search starts at the last found.
        let mut cursor = from;
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let k = a.key.as_str();
                    if META.contains(&k) {
                        continue;
                    }
                    cursor = self.files[file].attr_line(cursor, k);
                    let at = self.at(file, cursor);
                    out.insert(k.to_string(), self.eval(&a.expr, scope, at));
                }
                Structure::Block(b) => {
                    let ident = b.identifier.as_str();
                    if META.contains(&ident) {
                        continue;
                    }
                    let line = self.files[file].attr_line(cursor, ident);
                    cursor = line;
                    if ident == "dynamic" {
                        let Some(name) = b.labels.first().map(label_str) else {
                            continue;
                        };
                        let items = self.expand_dynamic(b, &name, scope, file, line);
                        let list = out.entry(name).or_insert_with(|| Value::Array(Vec::new()));
                        if let Value::Array(l) = list {
                            l.extend(items);
                        }
                        continue;
                    }
                    let v = self.eval_body(&b.body, scope, file, line);
                    let list = out
                        .entry(ident.to_string())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(l) = list {
                        l.push(v);
                    }
                }
            }
        }
        Value::Object(out)
    }

    fn expand_dynamic(
        &self,
        b: &Block,
        name: &str,
        scope: &Scope,
        file: usize,
        line: usize,
    ) -> Vec<Value> {
        let at = self.at(file, line);
        let iterator = b
            .body
            .attributes()
            .find(|a| a.key.as_str() == "iterator")
            .and_then(|a| match &a.expr {
                Expression::Variable(v) => Some(v.as_str().to_string()),
                _ => None,
            })
            .unwrap_or_else(|| name.to_string());
        let Some(fe) = b.body.attributes().find(|a| a.key.as_str() == "for_each") else {
            return Vec::new();
        };
        let Some(content) = b.body.blocks().find(|c| c.identifier.as_str() == "content") else {
            return Vec::new();
        };
        let coll = self.eval(&fe.expr, scope, at);
        let pairs: Vec<(Value, Value)> = match &coll {
            Value::Array(a) if !is_unknown(&coll) => a
                .iter()
                .enumerate()
                .map(|(i, x)| (json!(i), x.clone()))
                .collect(),
            Value::Object(o) if !is_unknown(&coll) => o
                .iter()
                .map(|(k, x)| (Value::String(k.clone()), x.clone()))
                .collect(),
            _ => {
                self.note(
                    &expr_text(&fe.expr),
                    &at.to_string(),
                    &format!("dynamic \"{name}\" block: for_each cannot be resolved"),
                );
                return vec![unknown(&expr_text(&fe.expr), &at.to_string(), None)];
            }
        };
        pairs
            .into_iter()
            .map(|(k, v)| {
                let mut s = scope.clone();
                s.insert(iterator.clone(), json!({ "key": k, "value": v }));
                self.eval_body(&content.body, &s, file, line)
            })
            .collect()
    }

    // ------------------------------------------------------------ named values

    fn child(&self, name: &str) -> Option<Rc<ModuleEval>> {
        if let Some(c) = self.children.borrow().get(name) {
            return Some(c.clone());
        }
        let call = self.module_calls.get(name)?;
        let at = self.at(call.file, call.line);
        let source = call
            .item
            .body
            .attributes()
            .find(|a| a.key.as_str() == "source")
            .map(|a| self.eval(&a.expr, &Scope::new(), at));
        let Some(src) = source.as_ref().and_then(Value::as_str) else {
            self.note(
                &format!("module.{name}"),
                &at.to_string(),
                "module source is not a string",
            );
            return None;
        };
        if !(src.starts_with("./") || src.starts_with("../")) {
            self.note(
                &format!("module.{name}"),
                &at.to_string(),
                &format!(
                    "module source {src:?} is not a local path; its resources are not checked"
                ),
            );
            return None;
        }
        let mut given = BTreeMap::new();
        for a in call.item.body.attributes() {
            let k = a.key.as_str();
            if matches!(
                k,
                "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
            ) {
                continue;
            }
            let at = self.at(call.file, self.files[call.file].attr_line(call.line, k));
            given.insert(k.to_string(), self.eval(&a.expr, &Scope::new(), at));
        }
        let prefix = format!("{}module.{name}.", self.prefix);
        let child = match ModuleEval::load(
            &self.dir.join(src),
            &self.root,
            prefix,
            given,
            self.depth + 1,
            self.budget.clone(),
        ) {
            Ok(c) => Rc::new(c),
            Err(e) => {
                self.note(&format!("module.{name}"), &at.to_string(), &e.to_string());
                return None;
            }
        };
        self.children
            .borrow_mut()
            .insert(name.to_string(), child.clone());
        Some(child)
    }

    /// Memoised evaluation with a cycle guard.
    fn memo(&self, kind: usize, name: &str, at: Loc<'_>, f: impl FnOnce() -> Value) -> Rc<Value> {
        if let Some(v) = self.cache[kind].borrow().get(name) {
            return v.clone();
        }
        let key = (kind, name.to_string());
        if !self.in_progress.borrow_mut().insert(key.clone()) {
            return Rc::new(unknown(name, &at.to_string(), None));
        }
        let v = Rc::new(f());
        self.in_progress.borrow_mut().remove(&key);
        self.cache[kind].borrow_mut().insert(key.1, v.clone());
        v
    }

    fn variable(&self, name: &str, at: Loc<'_>) -> Rc<Value> {
        if let Some(v) = self.given.get(name) {
            return Rc::new(v.clone());
        }
        match self.variables.get(name) {
            Some(Located {
                item: Some(default),
                file,
                line,
            }) => {
                let at = self.at(*file, *line);
                self.memo(VAR, name, at, || self.eval(default, &Scope::new(), at))
            }
            _ => Rc::new(unknown(
                &format!("var.{name}"),
                &at.to_string(),
                Some(&format!("var.{name}")),
            )),
        }
    }

    fn local(&self, name: &str, at: Loc<'_>) -> Rc<Value> {
        match self.locals.get(name) {
            Some(l) => {
                let lat = self.at(l.file, l.line);
                self.memo(LOCAL, name, lat, || self.eval(&l.item, &Scope::new(), lat))
            }
            None => Rc::new(unknown(&format!("local.{name}"), &at.to_string(), None)),
        }
    }

    fn region(&self) -> Option<String> {
        if let Some(v) = self.cache[MISC].borrow().get("region") {
            return v.as_str().map(str::to_string);
        }
        let r = self.region_uncached();
        self.cache[MISC].borrow_mut().insert(
            "region".into(),
            Rc::new(r.clone().map(Value::String).unwrap_or(Value::Null)),
        );
        r
    }

    fn region_uncached(&self) -> Option<String> {
        let r = self.provider_region.as_ref()?;
        let at = self.at(r.file, r.line);
        self.eval(&r.item, &Scope::new(), at)
            .as_str()
            .map(str::to_string)
    }

    /// `TYPE.NAME` / `data.TYPE.NAME` as a value: one instance object, a list (count) or an
    /// object by key (for_each).
    fn resource_value(&self, key: &str, at: Loc<'_>) -> Rc<Value> {
        let Some(def) = self.resources.get(key) else {
            return Rc::new(unknown(key, &at.to_string(), None));
        };
        let has_count = def.body.attributes().any(|a| a.key.as_str() == "count");
        let has_each = def.body.attributes().any(|a| a.key.as_str() == "for_each");
        self.memo(RESOURCE, key, at, || {
            let insts = self.instances(def);
            let objs: Vec<(String, Value)> = insts
                .into_iter()
                .map(|(addr, scope)| {
                    let obj = self.instance_object(def, &addr, &scope);
                    (addr, obj)
                })
                .collect();
            if objs.iter().any(|(a, _)| a.ends_with("[?]")) {
                return unknown(key, &at.to_string(), Some(&format!("{}{key}", self.prefix)));
            }
            if has_count {
                Value::Array(objs.into_iter().map(|(_, o)| o).collect())
            } else if has_each {
                let mut m = Map::new();
                for (addr, o) in objs {
                    let k = addr
                        .rsplit_once('[')
                        .and_then(|(_, k)| k.strip_suffix(']'))
                        .and_then(|k| serde_json::from_str::<String>(k).ok())
                        .unwrap_or(addr);
                    m.insert(k, o);
                }
                Value::Object(m)
            } else {
                objs.into_iter()
                    .next()
                    .map(|(_, o)| o)
                    .unwrap_or(Value::Null)
            }
        })
    }

    /// One instance's attributes plus the computed ones we can derive; the address is kept
    /// under `$address` so that missing attributes become references to it.
    /// An instance's configured attributes, evaluated once.
    fn instance_attrs(&self, def: &ResourceDef, addr: &str, scope: &Scope) -> Rc<Value> {
        let at = self.at(def.file, def.line);
        self.memo(INSTANCE, addr, at, || {
            self.eval_body(&def.body, scope, def.file, def.line)
        })
    }

    fn instance_object(&self, def: &ResourceDef, addr: &str, scope: &Scope) -> Value {
        let mut attrs = (*self.instance_attrs(def, addr, scope)).clone();
        let full = format!("{}{addr}", self.prefix);
        if let Value::Object(o) = &mut attrs {
            match (def.mode, def.rtype.as_str()) {
                (Mode::Managed, "aws_s3_bucket") => {
                    if let Some(b) = o.get("bucket").cloned() {
                        let arn = match b.as_str() {
                            Some(name) => Value::String(format!(
                                "arn:{}:s3:::{name}",
                                partition_of(self.region().as_deref())
                            )),
                            None => b.clone(),
                        };
                        o.entry("id").or_insert(b);
                        o.entry("arn").or_insert(arn);
                    }
                }
                (Mode::Data, "aws_iam_policy_document") => {
                    let rendered = policy_document::render(&Value::Object(o.clone()));
                    o.insert("json".into(), rendered.clone());
                    o.insert("minified_json".into(), rendered);
                }
                (Mode::Data, "aws_region") => {
                    let r = o
                        .get("region")
                        .or_else(|| o.get("name"))
                        .cloned()
                        .or_else(|| self.region().map(Value::String));
                    if let Some(r) = r {
                        o.insert("name".into(), r.clone());
                        o.insert("region".into(), r.clone());
                        o.insert("id".into(), r);
                    }
                }
                (Mode::Data, "aws_partition") => {
                    if let Some(r) = self.region() {
                        o.insert("partition".into(), json!(partition_of(Some(&r))));
                    }
                }
                _ => {}
            }
            o.insert("$address".into(), Value::String(full));
        }
        attrs
    }

    // ------------------------------------------------------------ expressions

    /// Evaluates an expression within the [`Budget`]: once it is spent, an unknown.
    fn eval(&self, e: &Expression, scope: &Scope, at: Loc<'_>) -> Value {
        let b = &self.budget;
        let stopped = || unknown("(evaluation stopped)", &at.to_string(), None);
        if b.is_stopped() || !b.charge(1, at) {
            return stopped();
        }
        let depth = b.depth.get();
        if depth >= MAX_EVAL_DEPTH {
            b.stop(
                at,
                format!("expressions and references nest more than {MAX_EVAL_DEPTH} levels deep"),
            );
            return stopped();
        }
        b.depth.set(depth + 1);
        let v = self.eval_expr(e, scope, at);
        b.depth.set(depth);
        let cost = match e {
            // A reference copies the value it names.
            Expression::Variable(_) | Expression::Traversal(_) => {
                let (size, value_depth) = measure(&v, MAX_VALUE_DEPTH);
                if value_depth > MAX_VALUE_DEPTH {
                    b.stop(
                        at,
                        format!("a value nests more than {MAX_VALUE_DEPTH} levels deep"),
                    );
                    return stopped();
                }
                size
            }
            _ => shallow_size(&v),
        };
        if !b.charge(cost, at) {
            return stopped();
        }
        v
    }

    fn eval_expr(&self, e: &Expression, scope: &Scope, at: Loc<'_>) -> Value {
        match e {
            Expression::Null => Value::Null,
            Expression::Bool(b) => Value::Bool(*b),
            Expression::Number(n) => n
                .as_i64()
                .map(Value::from)
                .or_else(|| n.as_f64().and_then(Number::from_f64).map(Value::Number))
                .unwrap_or(Value::Null),
            Expression::String(s) => Value::String(s.clone()),
            Expression::Array(items) => {
                Value::Array(items.iter().map(|x| self.eval(x, scope, at)).collect())
            }
            Expression::Object(obj) => {
                let mut m = Map::new();
                for (k, v) in obj.iter() {
                    let key = match k {
                        ObjectKey::Identifier(i) => i.as_str().to_string(),
                        ObjectKey::Expression(x) => match self.eval(x, scope, at) {
                            Value::String(s) => s,
                            other if is_unknown(&other) => return other,
                            other => other.to_string(),
                        },
                        _ => return unknown(&expr_text(e), &at.to_string(), None),
                    };
                    m.insert(key, self.eval(v, scope, at));
                }
                Value::Object(m)
            }
            Expression::TemplateExpr(t) => self.template(t, scope, at, e),
            Expression::Variable(v) => self.root(v.as_str(), &[], scope, at, e),
            Expression::Traversal(t) => self.traversal(t, scope, at, e),
            Expression::FuncCall(f) => self.call(f, scope, at, e),
            Expression::Parenthesis(x) => self.eval(x, scope, at),
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr, scope, at);
                match cond.as_bool() {
                    Some(true) => self.eval(&c.true_expr, scope, at),
                    Some(false) => self.eval(&c.false_expr, scope, at),
                    None => unknown(&expr_text(e), &at.to_string(), None),
                }
            }
            Expression::Operation(op) => self.operation(op, scope, at, e),
            Expression::ForExpr(f) => self.for_expr(f, scope, at, e),
            _ => unknown(&expr_text(e), &at.to_string(), None),
        }
    }

    fn template(&self, t: &TemplateExpr, scope: &Scope, at: Loc<'_>, whole: &Expression) -> Value {
        let src = match t {
            TemplateExpr::QuotedString(s) => s.as_str(),
            TemplateExpr::Heredoc(h) => h.template.as_str(),
        };
        let cached = self.templates.borrow().get(src).cloned();
        let tpl = match cached {
            Some(t) => t,
            None => match Template::from_expr(t) {
                Ok(parsed) => {
                    let parsed = Rc::new(parsed);
                    self.templates
                        .borrow_mut()
                        .insert(src.to_string(), parsed.clone());
                    parsed
                }
                Err(_) => return unknown(&expr_text(whole), &at.to_string(), None),
            },
        };
        let mut out = String::new();
        for el in tpl.elements() {
            match el {
                Element::Literal(s) => out.push_str(s),
                Element::Interpolation(i) => {
                    let v = self.eval(&i.expr, scope, at);
                    match v {
                        Value::String(s) => out.push_str(&s),
                        Value::Number(n) => out.push_str(&n.to_string()),
                        Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                        ref u if is_unknown(u) => {
                            // The whole string is unknown; it keeps the reference it came from.
                            let r = super::unknown_ref(u).map(str::to_string);
                            return unknown(&expr_text(whole), &at.to_string(), r.as_deref());
                        }
                        _ => return unknown(&expr_text(whole), &at.to_string(), None),
                    }
                }
                Element::Directive(_) => return unknown(&expr_text(whole), &at.to_string(), None),
            }
        }
        Value::String(out)
    }

    fn traversal(&self, t: &Traversal, scope: &Scope, at: Loc<'_>, whole: &Expression) -> Value {
        match &t.expr {
            Expression::Variable(v) => self.root(v.as_str(), &t.operators, scope, at, whole),
            other => {
                let base = self.eval(other, scope, at);
                traverse(&base, &t.operators, whole, at, None, self, scope)
            }
        }
    }

    /// A traversal that starts at a name: `var.x`, `local.y`, `aws_s3_bucket.b.arn`, ...
    fn root(
        &self,
        name: &str,
        ops: &[TraversalOperator],
        scope: &Scope,
        at: Loc<'_>,
        whole: &Expression,
    ) -> Value {
        let text = || expr_text(whole);
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(id)) => Some(id.as_str().to_string()),
            _ => None,
        };
        if let Some(v) = scope.get(name) {
            return traverse(v, ops, whole, at, None, self, scope);
        }
        match name {
            "var" => match attr(0) {
                Some(n) => {
                    let v = self.variable(&n, at);
                    traverse(&v, &ops[1..], whole, at, None, self, scope)
                }
                None => unknown(&text(), &at.to_string(), None),
            },
            "local" => match attr(0) {
                Some(n) => {
                    let v = self.local(&n, at);
                    traverse(&v, &ops[1..], whole, at, None, self, scope)
                }
                None => unknown(&text(), &at.to_string(), None),
            },
            "path" => match attr(0).as_deref() {
                Some("module" | "root" | "cwd") => Value::String(self.dir.display().to_string()),
                _ => unknown(&text(), &at.to_string(), None),
            },
            "module" => {
                let (Some(m), Some(out)) = (attr(0), attr(1)) else {
                    return unknown(&text(), &at.to_string(), None);
                };
                let Some(child) = self.child(&m) else {
                    return unknown(&text(), &at.to_string(), Some(&format!("module.{m}")));
                };
                let v = match child.outputs.get(&out) {
                    Some(o) => {
                        let oat = child.at(o.file, o.line);
                        child.eval(&o.item, &Scope::new(), oat)
                    }
                    None => unknown(&text(), &at.to_string(), Some(&format!("module.{m}"))),
                };
                traverse(&v, &ops[2..], whole, at, None, self, scope)
            }
            "data" => {
                let (Some(ty), Some(n)) = (attr(0), attr(1)) else {
                    return unknown(&text(), &at.to_string(), None);
                };
                let key = format!("data.{ty}.{n}");
                let v = self.resource_value(&key, at);
                let r = format!("{}{key}", self.prefix);
                traverse(&v, &ops[2..], whole, at, Some(&r), self, scope)
            }
            ty => {
                let Some(n) = attr(0) else {
                    return unknown(&text(), &at.to_string(), None);
                };
                let key = format!("{ty}.{n}");
                if !self.resources.contains_key(&key) {
                    return unknown(&text(), &at.to_string(), None);
                }
                let v = self.resource_value(&key, at);
                let r = format!("{}{key}", self.prefix);
                traverse(&v, &ops[1..], whole, at, Some(&r), self, scope)
            }
        }
    }

    fn call(&self, f: &FuncCall, scope: &Scope, at: Loc<'_>, whole: &Expression) -> Value {
        let text = || expr_text(whole);
        let mut args: Vec<Value> = f.args.iter().map(|a| self.eval(a, scope, at)).collect();
        if f.expand_final {
            if let Some(Value::Array(last)) = args.pop() {
                args.extend(last);
            } else {
                return unknown(&text(), &at.to_string(), None);
            }
        }
        let name = f.name.name.as_str();
        // try/can: the first argument that evaluates without unknowns.
        if name == "try" {
            return args
                .into_iter()
                .find(|a| !contains_unknown(a))
                .unwrap_or_else(|| unknown(&text(), &at.to_string(), None));
        }
        if name == "jsonencode" {
            return match args.first() {
                Some(v) if !contains_unknown(v) => Value::String(v.to_string()),
                // A document with unknown parts stays a structure so that its known parts
                // (principals, effects, conditions) can still be judged.
                Some(v) => v.clone(),
                None => unknown(&text(), &at.to_string(), None),
            };
        }
        if let Some(u) = args.iter().find(|a| contains_unknown(a)) {
            let r = first_unknown(u)
                .and_then(super::unknown_ref)
                .map(str::to_string);
            return unknown(&text(), &at.to_string(), r.as_deref());
        }
        functions::apply(name, &args).unwrap_or_else(|| unknown(&text(), &at.to_string(), None))
    }

    fn operation(&self, op: &Operation, scope: &Scope, at: Loc<'_>, whole: &Expression) -> Value {
        let u = || unknown(&expr_text(whole), &at.to_string(), None);
        match op {
            Operation::Unary(un) => {
                let v = self.eval(&un.expr, scope, at);
                match (un.operator, &v) {
                    (UnaryOperator::Not, Value::Bool(b)) => Value::Bool(!b),
                    (UnaryOperator::Neg, Value::Number(n)) => n
                        .as_i64()
                        .map(|i| json!(-i))
                        .or_else(|| n.as_f64().map(|f| json!(-f)))
                        .unwrap_or_else(u),
                    _ => u(),
                }
            }
            Operation::Binary(b) => {
                let l = self.eval(&b.lhs_expr, scope, at);
                // && and || short-circuit on a known left side.
                match (b.operator, &l) {
                    (BinaryOperator::And, Value::Bool(false)) => return Value::Bool(false),
                    (BinaryOperator::Or, Value::Bool(true)) => return Value::Bool(true),
                    _ => {}
                }
                let r = self.eval(&b.rhs_expr, scope, at);
                if contains_unknown(&l) || contains_unknown(&r) {
                    return u();
                }
                binary(b.operator, &l, &r).unwrap_or_else(u)
            }
        }
    }

    fn for_expr(&self, f: &ForExpr, scope: &Scope, at: Loc<'_>, whole: &Expression) -> Value {
        let u = || unknown(&expr_text(whole), &at.to_string(), None);
        let coll = self.eval(&f.collection_expr, scope, at);
        if is_unknown(&coll) || f.grouping {
            return u();
        }
        let pairs: Vec<(Value, Value)> = match coll {
            Value::Array(a) => a
                .into_iter()
                .enumerate()
                .map(|(i, x)| (json!(i), x))
                .collect(),
            Value::Object(o) => o.into_iter().map(|(k, x)| (Value::String(k), x)).collect(),
            _ => return u(),
        };
        let mut list = Vec::new();
        let mut obj = Map::new();
        for (k, v) in pairs {
            let mut s = scope.clone();
            if let Some(kv) = &f.key_var {
                s.insert(kv.as_str().to_string(), k);
                s.insert(f.value_var.as_str().to_string(), v);
            } else {
                s.insert(f.value_var.as_str().to_string(), v);
            }
            if let Some(c) = &f.cond_expr {
                match self.eval(c, &s, at).as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return u(),
                }
            }
            let value = self.eval(&f.value_expr, &s, at);
            match &f.key_expr {
                Some(ke) => match self.eval(ke, &s, at) {
                    Value::String(k) => {
                        obj.insert(k, value);
                    }
                    _ => return u(),
                },
                None => list.push(value),
            }
        }
        if f.key_expr.is_some() {
            Value::Object(obj)
        } else {
            Value::Array(list)
        }
    }
}

/// `aws`, `aws-cn` or `aws-us-gov` for a region (`aws` when unknown).
pub fn partition_of(region: Option<&str>) -> &'static str {
    match region {
        Some(r) if r.starts_with("cn-") => "aws-cn",
        Some(r) if r.starts_with("us-gov-") => "aws-us-gov",
        _ => "aws",
    }
}

/// Applies traversal operators to a value. A missing attribute of a resource instance is a
/// computed attribute: unknown, referring to the resource.
fn traverse(
    v: &Value,
    ops: &[TraversalOperator],
    whole: &Expression,
    at: Loc<'_>,
    reference: Option<&str>,
    m: &ModuleEval,
    scope: &Scope,
) -> Value {
    let mut reference = reference.map(str::to_string);
    let mut cur = v;
    for (i, op) in ops.iter().enumerate() {
        if is_unknown(cur) {
            let r = reference.or_else(|| super::unknown_ref(cur).map(str::to_string));
            return unknown(&expr_text(whole), &at.to_string(), r.as_deref());
        }
        if let Some(a) = cur.get("$address").and_then(Value::as_str) {
            reference = Some(a.to_string());
        }
        let next = match op {
            TraversalOperator::GetAttr(id) => cur.get(id.as_str()),
            TraversalOperator::Index(ix) => {
                let key = m.eval(ix, scope, at);
                match (cur, &key) {
                    (Value::Array(a), Value::Number(n)) => {
                        n.as_u64().and_then(|n| a.get(n as usize))
                    }
                    (Value::Object(o), Value::String(s)) => o.get(s),
                    _ => None,
                }
            }
            TraversalOperator::LegacyIndex(n) => cur.get(*n as usize),
            TraversalOperator::AttrSplat | TraversalOperator::FullSplat => {
                let items: Vec<&Value> = match cur {
                    Value::Array(a) => a.iter().collect(),
                    Value::Null => Vec::new(),
                    other => vec![other],
                };
                let rest = &ops[i + 1..];
                return Value::Array(
                    items
                        .into_iter()
                        .map(|x| traverse(x, rest, whole, at, reference.as_deref(), m, scope))
                        .collect(),
                );
            }
        };
        match next {
            Some(x) => cur = x,
            None => return unknown(&expr_text(whole), &at.to_string(), reference.as_deref()),
        }
    }
    if is_unknown(cur) {
        // An unknown attribute of a resource refers to that resource, whatever made it
        // unknown (a bucket name built from the caller's account is still that bucket's).
        let r = reference.or_else(|| super::unknown_ref(cur).map(str::to_string));
        return unknown(&expr_text(whole), &at.to_string(), r.as_deref());
    }
    cur.clone()
}

fn binary(op: BinaryOperator, l: &Value, r: &Value) -> Option<Value> {
    use BinaryOperator::*;
    Some(match op {
        Eq => Value::Bool(l == r),
        NotEq => Value::Bool(l != r),
        And => Value::Bool(l.as_bool()? && r.as_bool()?),
        Or => Value::Bool(l.as_bool()? || r.as_bool()?),
        _ => {
            let (a, b) = (l.as_f64()?, r.as_f64()?);
            let num = |x: f64| {
                if x.fract() == 0.0 && x.abs() < 9e15 {
                    json!(x as i64)
                } else {
                    json!(x)
                }
            };
            match op {
                Less => Value::Bool(a < b),
                LessEq => Value::Bool(a <= b),
                Greater => Value::Bool(a > b),
                GreaterEq => Value::Bool(a >= b),
                Plus => num(a + b),
                Minus => num(a - b),
                Mul => num(a * b),
                Div if b != 0.0 => num(a / b),
                Mod if b != 0.0 => num(a % b),
                _ => return None,
            }
        }
    })
}

/// The Terraform built-in functions CloudTrail configurations use, on known arguments.
mod functions {
    use serde_json::{Map, Value};

    fn s(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    fn list(v: &Value) -> Option<Vec<Value>> {
        match v {
            Value::Array(a) => Some(a.clone()),
            Value::Object(o) => Some(o.values().cloned().collect()),
            _ => None,
        }
    }

    pub fn apply(name: &str, a: &[Value]) -> Option<Value> {
        let arg = |i: usize| a.get(i);
        Some(match name {
            "lower" => Value::String(s(arg(0)?)?.to_lowercase()),
            "upper" => Value::String(s(arg(0)?)?.to_uppercase()),
            "tostring" => Value::String(s(arg(0)?)?),
            "tonumber" => match arg(0)? {
                Value::Number(n) => Value::Number(n.clone()),
                Value::String(x) => serde_json::from_str::<serde_json::Number>(x)
                    .ok()
                    .map(Value::Number)?,
                _ => return None,
            },
            "tobool" => match arg(0)? {
                Value::Bool(b) => Value::Bool(*b),
                Value::String(x) if x == "true" => Value::Bool(true),
                Value::String(x) if x == "false" => Value::Bool(false),
                _ => return None,
            },
            "tolist" | "toset" => {
                let mut l = list(arg(0)?)?;
                if name == "toset" {
                    l.sort_by_key(|v| v.to_string());
                    l.dedup();
                }
                Value::Array(l)
            }
            "tomap" => arg(0)?.as_object().map(|o| Value::Object(o.clone()))?,
            "jsondecode" => serde_json::from_str(&s(arg(0)?)?).ok()?,
            "format" => format(&s(arg(0)?)?, &a[1..])?,
            "join" => {
                let sep = s(arg(0)?)?;
                let mut parts = Vec::new();
                for l in &a[1..] {
                    for x in list(l)? {
                        parts.push(s(&x)?);
                    }
                }
                Value::String(parts.join(&sep))
            }
            "split" => Value::Array(
                s(arg(1)?)?
                    .split(s(arg(0)?)?.as_str())
                    .map(|x| Value::String(x.to_string()))
                    .collect(),
            ),
            "replace" => Value::String(s(arg(0)?)?.replace(&s(arg(1)?)?, &s(arg(2)?)?)),
            "trimprefix" => {
                let (x, p) = (s(arg(0)?)?, s(arg(1)?)?);
                Value::String(x.strip_prefix(p.as_str()).unwrap_or(&x).to_string())
            }
            "trimsuffix" => {
                let (x, p) = (s(arg(0)?)?, s(arg(1)?)?);
                Value::String(x.strip_suffix(p.as_str()).unwrap_or(&x).to_string())
            }
            "trimspace" => Value::String(s(arg(0)?)?.trim().to_string()),
            "concat" => {
                let mut out = Vec::new();
                for l in a {
                    out.extend(list(l)?);
                }
                Value::Array(out)
            }
            "flatten" => {
                fn flat(v: &Value, out: &mut Vec<Value>) {
                    match v {
                        Value::Array(a) => a.iter().for_each(|x| flat(x, out)),
                        other => out.push(other.clone()),
                    }
                }
                let mut out = Vec::new();
                flat(arg(0)?, &mut out);
                Value::Array(out)
            }
            "distinct" => {
                let mut out: Vec<Value> = Vec::new();
                for x in list(arg(0)?)? {
                    if !out.contains(&x) {
                        out.push(x);
                    }
                }
                Value::Array(out)
            }
            "compact" => Value::Array(
                list(arg(0)?)?
                    .into_iter()
                    .filter(|x| !x.is_null() && x.as_str() != Some(""))
                    .collect(),
            ),
            "length" => match arg(0)? {
                Value::Array(x) => x.len().into(),
                Value::Object(x) => x.len().into(),
                Value::String(x) => x.chars().count().into(),
                _ => return None,
            },
            "element" => {
                let l = list(arg(0)?)?;
                let i = arg(1)?.as_u64()? as usize;
                if l.is_empty() {
                    return None;
                }
                l[i % l.len()].clone()
            }
            "contains" => Value::Bool(list(arg(0)?)?.contains(arg(1)?)),
            "keys" => Value::Array(
                arg(0)?
                    .as_object()?
                    .keys()
                    .map(|k| Value::String(k.clone()))
                    .collect(),
            ),
            "values" => Value::Array(arg(0)?.as_object()?.values().cloned().collect()),
            "merge" => {
                let mut out = Map::new();
                for o in a {
                    if o.is_null() {
                        continue;
                    }
                    for (k, v) in o.as_object()? {
                        out.insert(k.clone(), v.clone());
                    }
                }
                Value::Object(out)
            }
            "lookup" => match arg(0)?.as_object()?.get(&s(arg(1)?)?) {
                Some(v) => v.clone(),
                None => arg(2)?.clone(),
            },
            "coalesce" => a
                .iter()
                .find(|x| !x.is_null() && x.as_str() != Some(""))?
                .clone(),
            "coalescelist" => a
                .iter()
                .find(|x| x.as_array().is_some_and(|l| !l.is_empty()))?
                .clone(),
            "min" | "max" => {
                let nums: Option<Vec<f64>> = a.iter().map(Value::as_f64).collect();
                let nums = nums?;
                let r = if name == "min" {
                    nums.into_iter().fold(f64::INFINITY, f64::min)
                } else {
                    nums.into_iter().fold(f64::NEG_INFINITY, f64::max)
                };
                serde_json::Number::from_f64(r).map(Value::Number)?
            }
            _ => return None,
        })
    }

    /// `format` with the verbs configurations use: %s %d %v %%.
    fn format(spec: &str, args: &[Value]) -> Option<Value> {
        let mut out = String::new();
        let mut it = args.iter();
        let mut chars = spec.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next()? {
                '%' => out.push('%'),
                's' | 'd' | 'v' => out.push_str(&s(it.next()?)?),
                _ => return None,
            }
        }
        Some(Value::String(out))
    }
}

#[cfg(test)]
#[path = "hcl_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "hcl_fuzz.rs"]
mod fuzz;
