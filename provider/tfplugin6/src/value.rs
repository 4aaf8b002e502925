//! cty types and values, with the msgpack and JSON encodings Terraform uses
//! on the wire (`DynamicValue.msgpack`) and in state (`RawState.json`).
//!
//! The msgpack codec follows go-cty's `cty/msgpack` package: null is `nil`,
//! a wholly unknown value is the fixext1 extension `0xd4 0x00 0x00`, refined
//! unknowns (extension type 12) decode as plain [`Value::Unknown`], objects
//! are maps with every attribute present in sorted key order, and values of
//! type [`Type::Dynamic`] are wrapped as `[type-JSON bytes, value]`.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value as Json;

use crate::proto;

/// Extension type of a wholly unknown value (go-cty `unknownValBytes`).
pub const UNKNOWN_EXT: i8 = 0;
/// Extension type of an unknown value carrying refinements
/// (go-cty `unknownWithRefinementsExt`).
pub const UNKNOWN_REFINED_EXT: i8 = 12;

/// The deepest a decoded value may nest. Types from a schema bound the depth by
/// themselves, but a `dynamic` value names its own type, and that type may be `dynamic`
/// again: without a limit a few bytes per level would exhaust the stack.
pub const MAX_DEPTH: usize = 128;

fn too_deep(path: &Path) -> ValueError {
    ValueError::new(
        path,
        format!("value is nested more than {MAX_DEPTH} levels deep"),
    )
}

/// A cty type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    Bool,
    Number,
    String,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(BTreeMap<String, Type>),
    Tuple(Vec<Type>),
    /// cty's DynamicPseudoType: the value carries its own type on the wire.
    Dynamic,
}

/// A cty value. It carries no type: codecs are always driven by a [`Type`].
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Unknown,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
    Tuple(Vec<Value>),
}

/// Why a value could not be encoded or decoded; `path` points into the value
/// (e.g. `.tags["k"][0]`) so diagnostics can say where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "at {}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ValueError {}

impl ValueError {
    fn new(path: &Path, message: impl Into<String>) -> Self {
        ValueError {
            path: path.render(),
            message: message.into(),
        }
    }
}

type Result<T> = std::result::Result<T, ValueError>;

/// Path into a value, kept as a stack while walking; only rendered on error.
#[derive(Default)]
struct Path(Vec<PathStep>);

enum PathStep {
    Attr(String),
    Key(String),
    Index(usize),
}

impl Path {
    fn render(&self) -> String {
        let mut s = String::new();
        for step in &self.0 {
            match step {
                PathStep::Attr(a) => {
                    s.push('.');
                    s.push_str(a);
                }
                PathStep::Key(k) => s.push_str(&format!("[{k:?}]")),
                PathStep::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }

    fn with<T>(&mut self, step: PathStep, f: impl FnOnce(&mut Path) -> Result<T>) -> Result<T> {
        self.0.push(step);
        let r = f(self);
        self.0.pop();
        r
    }
}

// ---------------------------------------------------------------------------
// Type
// ---------------------------------------------------------------------------

impl Type {
    pub fn list(t: Type) -> Type {
        Type::List(Box::new(t))
    }
    pub fn set(t: Type) -> Type {
        Type::Set(Box::new(t))
    }
    pub fn map(t: Type) -> Type {
        Type::Map(Box::new(t))
    }
    pub fn object<K: Into<String>>(attrs: impl IntoIterator<Item = (K, Type)>) -> Type {
        Type::Object(attrs.into_iter().map(|(k, t)| (k.into(), t)).collect())
    }

    /// The cty JSON type encoding, as used in `Schema.Attribute.type`.
    pub fn to_json(&self) -> Vec<u8> {
        self.to_json_value().to_string().into_bytes()
    }

    pub fn to_json_value(&self) -> Json {
        match self {
            Type::Bool => Json::from("bool"),
            Type::Number => Json::from("number"),
            Type::String => Json::from("string"),
            Type::Dynamic => Json::from("dynamic"),
            Type::List(t) => Json::Array(vec!["list".into(), t.to_json_value()]),
            Type::Set(t) => Json::Array(vec!["set".into(), t.to_json_value()]),
            Type::Map(t) => Json::Array(vec!["map".into(), t.to_json_value()]),
            Type::Object(attrs) => {
                let m: serde_json::Map<String, Json> = attrs
                    .iter()
                    .map(|(k, t)| (k.clone(), t.to_json_value()))
                    .collect();
                Json::Array(vec!["object".into(), Json::Object(m)])
            }
            Type::Tuple(ts) => Json::Array(vec![
                "tuple".into(),
                Json::Array(ts.iter().map(Type::to_json_value).collect()),
            ]),
        }
    }

    /// Parses the cty JSON type encoding. The optional-attributes third
    /// element of an object type constraint is accepted and ignored.
    pub fn from_json(bytes: &[u8]) -> Result<Type> {
        let j: Json = serde_json::from_slice(bytes)
            .map_err(|e| ValueError::new(&Path::default(), format!("invalid type JSON: {e}")))?;
        Type::from_json_value(&j)
    }

    pub fn from_json_value(j: &Json) -> Result<Type> {
        let bad = || ValueError::new(&Path::default(), format!("invalid cty type {j}"));
        match j {
            Json::String(s) => match s.as_str() {
                "bool" => Ok(Type::Bool),
                "number" => Ok(Type::Number),
                "string" => Ok(Type::String),
                "dynamic" => Ok(Type::Dynamic),
                _ => Err(bad()),
            },
            Json::Array(items) => {
                let kind = items.first().and_then(Json::as_str).ok_or_else(bad)?;
                let arg = items.get(1).ok_or_else(bad)?;
                match kind {
                    "list" if items.len() == 2 => Ok(Type::list(Type::from_json_value(arg)?)),
                    "set" if items.len() == 2 => Ok(Type::set(Type::from_json_value(arg)?)),
                    "map" if items.len() == 2 => Ok(Type::map(Type::from_json_value(arg)?)),
                    "object" if items.len() <= 3 => {
                        let m = arg.as_object().ok_or_else(bad)?;
                        let mut attrs = BTreeMap::new();
                        for (k, v) in m {
                            attrs.insert(k.clone(), Type::from_json_value(v)?);
                        }
                        Ok(Type::Object(attrs))
                    }
                    "tuple" if items.len() == 2 => {
                        let ts = arg.as_array().ok_or_else(bad)?;
                        Ok(Type::Tuple(
                            ts.iter()
                                .map(Type::from_json_value)
                                .collect::<Result<_>>()?,
                        ))
                    }
                    _ => Err(bad()),
                }
            }
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json_value())
    }
}

// ---------------------------------------------------------------------------
// Value accessors
// ---------------------------------------------------------------------------

impl Value {
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    pub fn object<K: Into<String>>(attrs: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Object(attrs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// True only for a value that is itself unknown (not one containing unknowns).
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// Deep check: false if this value or anything nested in it is unknown.
    pub fn is_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::List(vs) | Value::Set(vs) | Value::Tuple(vs) => vs.iter().all(Value::is_known),
            Value::Map(m) | Value::Object(m) => m.values().all(Value::is_known),
            _ => true,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The number if it is integral and fits in an i64.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) if is_i64(*n) => Some(*n as i64),
            _ => None,
        }
    }

    /// Elements of a list, set or tuple.
    pub fn as_slice(&self) -> Option<&[Value]> {
        match self {
            Value::List(vs) | Value::Set(vs) | Value::Tuple(vs) => Some(vs),
            _ => None,
        }
    }

    /// Entries of a map or attributes of an object.
    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) | Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// Attribute of an object (or entry of a map); `None` if absent or if
    /// `self` is not an object/map (e.g. null).
    pub fn get(&self, attr: &str) -> Option<&Value> {
        self.as_map().and_then(|m| m.get(attr))
    }

    /// Mutable attribute access for objects/maps.
    pub fn get_mut(&mut self, attr: &str) -> Option<&mut Value> {
        match self {
            Value::Map(m) | Value::Object(m) => m.get_mut(attr),
            _ => None,
        }
    }

    /// Sets an attribute on an object/map; returns false if `self` is neither.
    pub fn set_attr(&mut self, attr: impl Into<String>, v: Value) -> bool {
        match self {
            Value::Map(m) | Value::Object(m) => {
                m.insert(attr.into(), v);
                true
            }
            _ => false,
        }
    }

    /// Convenience: string attribute of an object.
    pub fn get_str(&self, attr: &str) -> Option<&str> {
        self.get(attr).and_then(Value::as_str)
    }

    /// A best-effort type for a value with no type of its own, used when a
    /// value sits in a [`Type::Dynamic`] slot. Null/unknown infer as Dynamic.
    pub fn infer_type(&self) -> Type {
        fn elem(vs: &[Value]) -> Type {
            vs.iter()
                .find(|v| !v.is_null() && !v.is_unknown())
                .map(Value::infer_type)
                .unwrap_or(Type::Dynamic)
        }
        match self {
            Value::Null | Value::Unknown => Type::Dynamic,
            Value::Bool(_) => Type::Bool,
            Value::Number(_) => Type::Number,
            Value::String(_) => Type::String,
            Value::List(vs) => Type::list(elem(vs)),
            Value::Set(vs) => Type::set(elem(vs)),
            Value::Map(m) => Type::map(elem(&m.values().cloned().collect::<Vec<_>>())),
            Value::Object(m) => {
                Type::Object(m.iter().map(|(k, v)| (k.clone(), v.infer_type())).collect())
            }
            Value::Tuple(vs) => Type::Tuple(vs.iter().map(Value::infer_type).collect()),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n as f64)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Self {
        o.map_or(Value::Null, Into::into)
    }
}

/// Integral and exactly representable as i64 (2^63 itself is excluded).
fn is_i64(n: f64) -> bool {
    // -2^63 ..= 2^63 - 1; as f64 the upper bound is 2^63, hence exclusive.
    n.fract() == 0.0 && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&n)
}

// ---------------------------------------------------------------------------
// msgpack encoding
// ---------------------------------------------------------------------------

/// Encodes `v` as msgpack conforming to `ty`, as go-cty's `msgpack.Marshal`.
pub fn encode_msgpack(v: &Value, ty: &Type) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    enc(v, ty, &mut out, &mut Path::default())?;
    Ok(out)
}

fn wr<T, E: fmt::Debug>(path: &Path, r: std::result::Result<T, E>) -> Result<T> {
    r.map_err(|e| ValueError::new(path, format!("msgpack write failed: {e:?}")))
}

fn len_u32(path: &Path, n: usize) -> Result<u32> {
    u32::try_from(n).map_err(|_| ValueError::new(path, "collection too large"))
}

fn mismatch(path: &Path, ty: &Type, v: &Value) -> ValueError {
    ValueError::new(
        path,
        format!("value {} does not conform to type {ty}", kind_name(v)),
    )
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Unknown => "unknown",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "list",
        Value::Set(_) => "set",
        Value::Map(_) => "map",
        Value::Object(_) => "object",
        Value::Tuple(_) => "tuple",
    }
}

fn enc(v: &Value, ty: &Type, out: &mut Vec<u8>, path: &mut Path) -> Result<()> {
    match v {
        Value::Unknown => {
            out.extend_from_slice(&[0xd4, UNKNOWN_EXT as u8, 0]);
            return Ok(());
        }
        Value::Null => {
            wr(path, rmp::encode::write_nil(out))?;
            return Ok(());
        }
        _ => {}
    }
    match (ty, v) {
        (Type::Dynamic, _) => {
            let real = v.infer_type();
            wr(path, rmp::encode::write_array_len(out, 2))?;
            wr(path, rmp::encode::write_bin(out, &real.to_json()))?;
            enc(v, &real, out, path)
        }
        (Type::Bool, Value::Bool(b)) => wr(path, rmp::encode::write_bool(out, *b)),
        (Type::Number, Value::Number(n)) => {
            if is_i64(*n) {
                wr(path, rmp::encode::write_sint(out, *n as i64)).map(|_| ())
            } else {
                wr(path, rmp::encode::write_f64(out, *n))
            }
        }
        (Type::String, Value::String(s)) => wr(path, rmp::encode::write_str(out, s)),
        (Type::List(et), Value::List(vs)) | (Type::Set(et), Value::Set(vs)) => {
            wr(
                path,
                rmp::encode::write_array_len(out, len_u32(path, vs.len())?),
            )?;
            for (i, ev) in vs.iter().enumerate() {
                path.with(PathStep::Index(i), |p| enc(ev, et, out, p))?;
            }
            Ok(())
        }
        (Type::Map(et), Value::Map(m)) => {
            wr(
                path,
                rmp::encode::write_map_len(out, len_u32(path, m.len())?),
            )?;
            for (k, ev) in m {
                wr(path, rmp::encode::write_str(out, k))?;
                path.with(PathStep::Key(k.clone()), |p| enc(ev, et, out, p))?;
            }
            Ok(())
        }
        (Type::Object(attrs), Value::Object(m)) => {
            if let Some(extra) = m.keys().find(|k| !attrs.contains_key(*k)) {
                return Err(ValueError::new(
                    path,
                    format!("unsupported attribute {extra:?}"),
                ));
            }
            wr(
                path,
                rmp::encode::write_map_len(out, len_u32(path, attrs.len())?),
            )?;
            // BTreeMap iteration is byte-wise sorted, matching go's sort.Strings.
            for (k, aty) in attrs {
                wr(path, rmp::encode::write_str(out, k))?;
                let av = m.get(k).unwrap_or(&Value::Null);
                path.with(PathStep::Attr(k.clone()), |p| enc(av, aty, out, p))?;
            }
            Ok(())
        }
        (Type::Tuple(ts), Value::Tuple(vs)) => {
            if ts.len() != vs.len() {
                return Err(ValueError::new(
                    path,
                    format!(
                        "tuple has {} elements, type requires {}",
                        vs.len(),
                        ts.len()
                    ),
                ));
            }
            wr(
                path,
                rmp::encode::write_array_len(out, len_u32(path, vs.len())?),
            )?;
            for (i, (ev, et)) in vs.iter().zip(ts).enumerate() {
                path.with(PathStep::Index(i), |p| enc(ev, et, out, p))?;
            }
            Ok(())
        }
        _ => Err(mismatch(path, ty, v)),
    }
}

// ---------------------------------------------------------------------------
// msgpack decoding
// ---------------------------------------------------------------------------

/// Decodes msgpack produced by go-cty (Terraform) against `ty`. Never panics:
/// malformed, truncated or mismatched input yields an error.
pub fn decode_msgpack(bytes: &[u8], ty: &Type) -> Result<Value> {
    let mut r = Reader {
        buf: bytes,
        pos: 0,
        depth: 0,
    };
    let mut path = Path::default();
    let v = dec(&mut r, ty, &mut path)?;
    if r.pos != bytes.len() {
        return Err(ValueError::new(&path, "trailing bytes after msgpack value"));
    }
    Ok(v)
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Values being decoded, outermost first (see [`MAX_DEPTH`]).
    depth: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    fn peek(&self, path: &Path) -> Result<u8> {
        self.buf
            .get(self.pos)
            .copied()
            .ok_or_else(|| ValueError::new(path, "unexpected end of msgpack input"))
    }

    fn take(&mut self, n: usize, path: &Path) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(ValueError::new(path, "unexpected end of msgpack input"));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn be<const N: usize>(&mut self, path: &Path) -> Result<[u8; N]> {
        let s = self.take(N, path)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    fn marker(&mut self, path: &Path) -> Result<rmp::Marker> {
        let b = self.peek(path)?;
        self.pos += 1;
        Ok(rmp::Marker::from_u8(b))
    }

    /// Reads a length that prefixes `n` items each at least one byte long,
    /// rejecting lengths the remaining input cannot possibly hold (so a
    /// hostile length cannot trigger a huge allocation).
    fn check_items(&self, n: usize, path: &Path) -> Result<usize> {
        if n > self.remaining() {
            return Err(ValueError::new(path, "unexpected end of msgpack input"));
        }
        Ok(n)
    }

    fn array_len(&mut self, path: &Path, what: &str) -> Result<usize> {
        use rmp::Marker as M;
        let n = match self.marker(path)? {
            M::FixArray(n) => n as usize,
            M::Array16 => u16::from_be_bytes(self.be(path)?) as usize,
            M::Array32 => u32::from_be_bytes(self.be(path)?) as usize,
            _ => return Err(ValueError::new(path, format!("{what} is required"))),
        };
        self.check_items(n, path)
    }

    fn map_len(&mut self, path: &Path, what: &str) -> Result<usize> {
        use rmp::Marker as M;
        let n = match self.marker(path)? {
            M::FixMap(n) => n as usize,
            M::Map16 => u16::from_be_bytes(self.be(path)?) as usize,
            M::Map32 => u32::from_be_bytes(self.be(path)?) as usize,
            _ => return Err(ValueError::new(path, format!("{what} is required"))),
        };
        // Each entry is a key and a value: at least two bytes.
        self.check_items(n.saturating_mul(2), path)?;
        Ok(n)
    }

    /// Raw bytes of a str or bin item (go's DecodeString/DecodeBytes accept both).
    fn str_or_bin(&mut self, path: &Path, what: &str) -> Result<&'a [u8]> {
        use rmp::Marker as M;
        let n = match self.marker(path)? {
            M::FixStr(n) => n as usize,
            M::Str8 | M::Bin8 => u8::from_be_bytes(self.be(path)?) as usize,
            M::Str16 | M::Bin16 => u16::from_be_bytes(self.be(path)?) as usize,
            M::Str32 | M::Bin32 => u32::from_be_bytes(self.be(path)?) as usize,
            _ => return Err(ValueError::new(path, format!("{what} is required"))),
        };
        self.take(n, path)
    }

    fn string(&mut self, path: &Path, what: &str) -> Result<String> {
        let b = self.str_or_bin(path, what)?;
        String::from_utf8(b.to_vec())
            .map_err(|_| ValueError::new(path, format!("{what} is not valid UTF-8")))
    }

    /// If the next item is an extension, consumes it and returns its type code
    /// and payload length.
    fn ext(&mut self, path: &Path) -> Result<Option<(i8, usize)>> {
        use rmp::Marker as M;
        let len = match rmp::Marker::from_u8(self.peek(path)?) {
            M::FixExt1 => 1,
            M::FixExt2 => 2,
            M::FixExt4 => 4,
            M::FixExt8 => 8,
            M::FixExt16 => 16,
            M::Ext8 | M::Ext16 | M::Ext32 => 0, // read below
            _ => return Ok(None),
        };
        let m = self.marker(path)?;
        let len = match m {
            M::Ext8 => u8::from_be_bytes(self.be(path)?) as usize,
            M::Ext16 => u16::from_be_bytes(self.be(path)?) as usize,
            M::Ext32 => u32::from_be_bytes(self.be(path)?) as usize,
            _ => len,
        };
        let [code] = self.be::<1>(path)?;
        self.take(len, path)?;
        Ok(Some((code as i8, len)))
    }

    fn number(&mut self, path: &Path) -> Result<f64> {
        use rmp::Marker as M;
        let err = |p: &Path| ValueError::new(p, "number is required");
        Ok(match rmp::Marker::from_u8(self.peek(path)?) {
            M::FixPos(_)
            | M::FixNeg(_)
            | M::U8
            | M::U16
            | M::U32
            | M::U64
            | M::I8
            | M::I16
            | M::I32
            | M::I64
            | M::F32
            | M::F64 => {
                let m = self.marker(path)?;
                match m {
                    M::FixPos(n) => n as f64,
                    M::FixNeg(n) => n as f64,
                    M::U8 => u8::from_be_bytes(self.be(path)?) as f64,
                    M::U16 => u16::from_be_bytes(self.be(path)?) as f64,
                    M::U32 => u32::from_be_bytes(self.be(path)?) as f64,
                    M::U64 => u64::from_be_bytes(self.be(path)?) as f64,
                    M::I8 => i8::from_be_bytes(self.be(path)?) as f64,
                    M::I16 => i16::from_be_bytes(self.be(path)?) as f64,
                    M::I32 => i32::from_be_bytes(self.be(path)?) as f64,
                    M::I64 => i64::from_be_bytes(self.be(path)?) as f64,
                    M::F32 => f32::from_be_bytes(self.be(path)?) as f64,
                    M::F64 => f64::from_be_bytes(self.be(path)?),
                    _ => return Err(err(path)),
                }
            }
            // Numbers too big/precise for int or float64 arrive as strings.
            _ => {
                let s = self.string(path, "number").map_err(|_| err(path))?;
                s.trim().parse::<f64>().map_err(|_| err(path))?
            }
        })
    }
}

fn dec(r: &mut Reader<'_>, ty: &Type, path: &mut Path) -> Result<Value> {
    if r.depth >= MAX_DEPTH {
        return Err(too_deep(path));
    }
    r.depth += 1;
    let v = dec_value(r, ty, path);
    r.depth -= 1;
    v
}

fn dec_value(r: &mut Reader<'_>, ty: &Type, path: &mut Path) -> Result<Value> {
    // go-cty checks for the unknown extension before anything else.
    if let Some((code, len)) = r.ext(path)? {
        if code == UNKNOWN_EXT || code == UNKNOWN_REFINED_EXT || len <= 1 {
            return Ok(Value::Unknown);
        }
        return Err(ValueError::new(
            path,
            format!("unsupported msgpack extension type {code} with length {len}"),
        ));
    }
    if r.peek(path)? == 0xc0 {
        r.pos += 1;
        return Ok(Value::Null);
    }
    match ty {
        Type::Dynamic => {
            let n = r.array_len(path, "dynamic value array")?;
            if n != 2 {
                return Err(ValueError::new(
                    path,
                    "dynamic value array must have exactly two elements",
                ));
            }
            let tj = r.str_or_bin(path, "dynamic value type")?;
            let real = Type::from_json(tj).map_err(|e| ValueError::new(path, e.message))?;
            dec(r, &real, path)
        }
        Type::Bool => match r.marker(path)? {
            rmp::Marker::True => Ok(Value::Bool(true)),
            rmp::Marker::False => Ok(Value::Bool(false)),
            _ => Err(ValueError::new(path, "bool is required")),
        },
        Type::Number => r.number(path).map(Value::Number),
        Type::String => r.string(path, "string").map(Value::String),
        Type::List(et) | Type::Set(et) => {
            let what = if matches!(ty, Type::List(_)) {
                "a list"
            } else {
                "a set"
            };
            let n = r.array_len(path, what)?;
            let mut vs = Vec::with_capacity(n);
            for i in 0..n {
                vs.push(path.with(PathStep::Index(i), |p| dec(r, et, p))?);
            }
            Ok(if matches!(ty, Type::List(_)) {
                Value::List(vs)
            } else {
                Value::Set(vs)
            })
        }
        Type::Map(et) => {
            let n = r.map_len(path, "a map")?;
            let mut m = BTreeMap::new();
            for _ in 0..n {
                let k = r.string(path, "map key")?;
                let v = path.with(PathStep::Key(k.clone()), |p| dec(r, et, p))?;
                m.insert(k, v);
            }
            Ok(Value::Map(m))
        }
        Type::Object(attrs) => {
            let n = r.map_len(path, "an object")?;
            let mut m = BTreeMap::new();
            for _ in 0..n {
                let k = r.string(path, "attribute name")?;
                let Some(aty) = attrs.get(&k) else {
                    return Err(ValueError::new(
                        path,
                        format!("unsupported attribute {k:?}"),
                    ));
                };
                let v = path.with(PathStep::Attr(k.clone()), |p| dec(r, aty, p))?;
                m.insert(k, v);
            }
            for k in attrs.keys() {
                m.entry(k.clone()).or_insert(Value::Null);
            }
            Ok(Value::Object(m))
        }
        Type::Tuple(ts) => {
            let n = r.array_len(path, "a tuple")?;
            if n != ts.len() {
                return Err(ValueError::new(
                    path,
                    format!("a tuple of length {} is required", ts.len()),
                ));
            }
            let mut vs = Vec::with_capacity(n);
            for (i, et) in ts.iter().enumerate() {
                vs.push(path.with(PathStep::Index(i), |p| dec(r, et, p))?);
            }
            Ok(Value::Tuple(vs))
        }
    }
}

// ---------------------------------------------------------------------------
// JSON (go-cty `cty/json`), used for RawState and DynamicValue.json
// ---------------------------------------------------------------------------

/// Decodes cty JSON (as in Terraform state) against `ty`. Attributes missing
/// from a JSON object become null; attributes not in the type are dropped
/// (state written by an older schema may carry them).
pub fn decode_json(bytes: &[u8], ty: &Type) -> Result<Value> {
    let j: Json = serde_json::from_slice(bytes)
        .map_err(|e| ValueError::new(&Path::default(), format!("invalid JSON: {e}")))?;
    decode_json_value(&j, ty)
}

/// Like [`decode_json`] but from an already parsed JSON value.
pub fn decode_json_value(j: &Json, ty: &Type) -> Result<Value> {
    from_json(j, ty, &mut Path::default(), 0)
}

fn from_json(j: &Json, ty: &Type, path: &mut Path, depth: usize) -> Result<Value> {
    if depth >= MAX_DEPTH {
        return Err(too_deep(path));
    }
    let depth = depth + 1;
    if j.is_null() {
        return Ok(Value::Null);
    }
    let req = |p: &Path, what: &str| ValueError::new(p, format!("{what} is required"));
    match ty {
        Type::Dynamic => {
            let o = j
                .as_object()
                .ok_or_else(|| req(path, "a dynamic value object"))?;
            let tj = o
                .get("type")
                .ok_or_else(|| req(path, "dynamic value type"))?;
            let real = Type::from_json_value(tj).map_err(|e| ValueError::new(path, e.message))?;
            from_json(o.get("value").unwrap_or(&Json::Null), &real, path, depth)
        }
        Type::Bool => match j {
            Json::Bool(b) => Ok(Value::Bool(*b)),
            Json::String(s) if s == "true" => Ok(Value::Bool(true)),
            Json::String(s) if s == "false" => Ok(Value::Bool(false)),
            _ => Err(req(path, "bool")),
        },
        Type::Number => match j {
            Json::Number(n) => n
                .as_f64()
                .map(Value::Number)
                .ok_or_else(|| req(path, "number")),
            Json::String(s) => s
                .trim()
                .parse::<f64>()
                .map(Value::Number)
                .map_err(|_| req(path, "number")),
            _ => Err(req(path, "number")),
        },
        Type::String => match j {
            Json::String(s) => Ok(Value::String(s.clone())),
            Json::Number(n) => Ok(Value::String(n.to_string())),
            Json::Bool(b) => Ok(Value::String(b.to_string())),
            _ => Err(req(path, "string")),
        },
        Type::List(et) | Type::Set(et) => {
            let a = j.as_array().ok_or_else(|| req(path, "array"))?;
            let mut vs = Vec::with_capacity(a.len());
            for (i, ej) in a.iter().enumerate() {
                vs.push(path.with(PathStep::Index(i), |p| from_json(ej, et, p, depth))?);
            }
            Ok(if matches!(ty, Type::List(_)) {
                Value::List(vs)
            } else {
                Value::Set(vs)
            })
        }
        Type::Map(et) => {
            let o = j.as_object().ok_or_else(|| req(path, "JSON object"))?;
            let mut m = BTreeMap::new();
            for (k, ej) in o {
                let v = path.with(PathStep::Key(k.clone()), |p| from_json(ej, et, p, depth))?;
                m.insert(k.clone(), v);
            }
            Ok(Value::Map(m))
        }
        Type::Object(attrs) => {
            let o = j.as_object().ok_or_else(|| req(path, "JSON object"))?;
            let mut m = BTreeMap::new();
            for (k, aty) in attrs {
                let v = match o.get(k) {
                    Some(ej) => {
                        path.with(PathStep::Attr(k.clone()), |p| from_json(ej, aty, p, depth))?
                    }
                    None => Value::Null,
                };
                m.insert(k.clone(), v);
            }
            Ok(Value::Object(m))
        }
        Type::Tuple(ts) => {
            let a = j.as_array().ok_or_else(|| req(path, "array"))?;
            if a.len() != ts.len() {
                return Err(ValueError::new(
                    path,
                    format!("a tuple of length {} is required", ts.len()),
                ));
            }
            let mut vs = Vec::with_capacity(a.len());
            for (i, (ej, et)) in a.iter().zip(ts).enumerate() {
                vs.push(path.with(PathStep::Index(i), |p| from_json(ej, et, p, depth))?);
            }
            Ok(Value::Tuple(vs))
        }
    }
}

/// Encodes `v` as cty JSON bytes conforming to `ty`. Unknown values cannot be
/// represented in JSON and are an error.
pub fn encode_json(v: &Value, ty: &Type) -> Result<Vec<u8>> {
    Ok(encode_json_value(v, ty)?.to_string().into_bytes())
}

/// Like [`encode_json`] but returns the JSON tree.
pub fn encode_json_value(v: &Value, ty: &Type) -> Result<Json> {
    to_json(v, ty, &mut Path::default())
}

fn to_json(v: &Value, ty: &Type, path: &mut Path) -> Result<Json> {
    match (ty, v) {
        (_, Value::Unknown) => Err(ValueError::new(
            path,
            "unknown values cannot be encoded as JSON",
        )),
        (_, Value::Null) => Ok(Json::Null),
        (Type::Dynamic, _) => {
            let real = v.infer_type();
            let mut o = serde_json::Map::new();
            o.insert("value".into(), to_json(v, &real, path)?);
            o.insert("type".into(), real.to_json_value());
            Ok(Json::Object(o))
        }
        (Type::Bool, Value::Bool(b)) => Ok(Json::Bool(*b)),
        (Type::Number, Value::Number(n)) => {
            if is_i64(*n) {
                Ok(Json::from(*n as i64))
            } else {
                serde_json::Number::from_f64(*n)
                    .map(Json::Number)
                    .ok_or_else(|| ValueError::new(path, "non-finite number"))
            }
        }
        (Type::String, Value::String(s)) => Ok(Json::String(s.clone())),
        (Type::List(et), Value::List(vs)) | (Type::Set(et), Value::Set(vs)) => {
            let mut a = Vec::with_capacity(vs.len());
            for (i, ev) in vs.iter().enumerate() {
                a.push(path.with(PathStep::Index(i), |p| to_json(ev, et, p))?);
            }
            Ok(Json::Array(a))
        }
        (Type::Map(et), Value::Map(m)) => {
            let mut o = serde_json::Map::new();
            for (k, ev) in m {
                o.insert(
                    k.clone(),
                    path.with(PathStep::Key(k.clone()), |p| to_json(ev, et, p))?,
                );
            }
            Ok(Json::Object(o))
        }
        (Type::Object(attrs), Value::Object(m)) => {
            if let Some(extra) = m.keys().find(|k| !attrs.contains_key(*k)) {
                return Err(ValueError::new(
                    path,
                    format!("unsupported attribute {extra:?}"),
                ));
            }
            let mut o = serde_json::Map::new();
            for (k, aty) in attrs {
                let av = m.get(k).unwrap_or(&Value::Null);
                o.insert(
                    k.clone(),
                    path.with(PathStep::Attr(k.clone()), |p| to_json(av, aty, p))?,
                );
            }
            Ok(Json::Object(o))
        }
        (Type::Tuple(ts), Value::Tuple(vs)) if ts.len() == vs.len() => {
            let mut a = Vec::with_capacity(vs.len());
            for (i, (ev, et)) in vs.iter().zip(ts).enumerate() {
                a.push(path.with(PathStep::Index(i), |p| to_json(ev, et, p))?);
            }
            Ok(Json::Array(a))
        }
        _ => Err(mismatch(path, ty, v)),
    }
}

// ---------------------------------------------------------------------------
// Protocol wrappers
// ---------------------------------------------------------------------------

impl proto::DynamicValue {
    /// Decodes whichever encoding Terraform filled in (msgpack preferred,
    /// else JSON). An empty DynamicValue decodes as null.
    pub fn decode(&self, ty: &Type) -> Result<Value> {
        if !self.msgpack.is_empty() {
            decode_msgpack(&self.msgpack, ty)
        } else if !self.json.is_empty() {
            decode_json(&self.json, ty)
        } else {
            Ok(Value::Null)
        }
    }

    /// Encodes as msgpack, the encoding Terraform expects in responses.
    pub fn encode(v: &Value, ty: &Type) -> Result<proto::DynamicValue> {
        Ok(proto::DynamicValue {
            msgpack: encode_msgpack(v, ty)?,
            json: Vec::new(),
        })
    }
}

/// Decodes an optional DynamicValue field; a missing field is null.
pub fn decode_dynamic(dv: Option<&proto::DynamicValue>, ty: &Type) -> Result<Value> {
    dv.map_or(Ok(Value::Null), |d| d.decode(ty))
}

/// Encodes a value into a DynamicValue field (msgpack).
pub fn encode_dynamic(v: &Value, ty: &Type) -> Result<Option<proto::DynamicValue>> {
    proto::DynamicValue::encode(v, ty).map(Some)
}

impl proto::RawState {
    /// Decodes the JSON form of stored state. The legacy flatmap form is only
    /// written by pre-0.12 SDK providers and is not supported.
    pub fn decode(&self, ty: &Type) -> Result<Value> {
        if !self.json.is_empty() {
            decode_json(&self.json, ty)
        } else if self.flatmap.is_empty() {
            Ok(Value::Null)
        } else {
            Err(ValueError::new(
                &Path::default(),
                "legacy flatmap state is not supported",
            ))
        }
    }
}

#[cfg(test)]
mod fuzz;

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(attrs: &[(&str, Value)]) -> Value {
        Value::object(attrs.iter().map(|(k, v)| (*k, v.clone())))
    }

    fn rule_type() -> Type {
        Type::object([("name", Type::String), ("port", Type::Number)])
    }

    fn complex_type() -> Type {
        Type::object([
            ("id", Type::String),
            ("enabled", Type::Bool),
            ("count", Type::Number),
            ("ratio", Type::Number),
            ("tags", Type::map(Type::String)),
            ("rules", Type::set(rule_type())),
            ("names", Type::list(Type::String)),
            ("pair", Type::Tuple(vec![Type::String, Type::Number])),
            ("extra", Type::Dynamic),
            ("nested", Type::object([("deep", Type::list(Type::Bool))])),
        ])
    }

    fn complex_value() -> Value {
        obj(&[
            ("id", "trail-1".into()),
            ("enabled", true.into()),
            ("count", Value::from(42i64)),
            ("ratio", Value::Number(-0.25)),
            (
                "tags",
                Value::Map(
                    [
                        ("Name".to_owned(), Value::from("x")),
                        ("Env".into(), Value::Null),
                    ]
                    .into(),
                ),
            ),
            (
                "rules",
                Value::Set(vec![
                    obj(&[("name", "a".into()), ("port", Value::from(443i64))]),
                    obj(&[("name", "b".into()), ("port", Value::Null)]),
                ]),
            ),
            ("names", Value::List(vec![])),
            ("pair", Value::Tuple(vec!["k".into(), Value::Number(1e300)])),
            (
                "extra",
                obj(&[
                    ("s", "v".into()),
                    ("l", Value::List(vec![Value::from(1i64)])),
                ]),
            ),
            (
                "nested",
                obj(&[("deep", Value::List(vec![false.into(), true.into()]))]),
            ),
        ])
    }

    #[test]
    fn msgpack_round_trip_complex() {
        let ty = complex_type();
        let v = complex_value();
        let bytes = encode_msgpack(&v, &ty).unwrap();
        assert_eq!(decode_msgpack(&bytes, &ty).unwrap(), v);
    }

    #[test]
    fn json_round_trip_complex() {
        let ty = complex_type();
        let v = complex_value();
        let bytes = encode_json(&v, &ty).unwrap();
        assert_eq!(decode_json(&bytes, &ty).unwrap(), v);
    }

    #[test]
    fn unknown_encoding() {
        assert_eq!(
            encode_msgpack(&Value::Unknown, &Type::String).unwrap(),
            [0xd4, 0, 0]
        );
        // Unknown in a dynamic slot is the same bare extension, not wrapped.
        assert_eq!(
            encode_msgpack(&Value::Unknown, &Type::Dynamic).unwrap(),
            [0xd4, 0, 0]
        );
        for bytes in [
            &[0xd4, 0x00, 0x00][..],                         // fixext1, type 0
            &[0xc7, 0x00, 0x00][..],                         // ext8, len 0, type 0
            &[0xd6, 0x00, 1, 2, 3, 4][..],                   // fixext4, type 0
            &[0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2][..],       // refined: {1: false} (not null)
            &[0xc7, 0x04, 0x0c, 0x81, 0x02, 0xa1, b'a'][..], // refined: string prefix "a"
        ] {
            assert_eq!(
                decode_msgpack(bytes, &Type::String).unwrap(),
                Value::Unknown,
                "{bytes:x?}"
            );
            assert_eq!(
                decode_msgpack(bytes, &Type::Dynamic).unwrap(),
                Value::Unknown
            );
        }
        // Other extension types with a real payload are not cty values.
        assert!(decode_msgpack(&[0xd6, 0x05, 1, 2, 3, 4], &Type::String).is_err());
        // Unknown nested inside an object.
        let ty = Type::object([("a", Type::String), ("b", Type::list(Type::Number))]);
        let v = obj(&[
            ("a", Value::Unknown),
            ("b", Value::List(vec![Value::Unknown])),
        ]);
        let bytes = encode_msgpack(&v, &ty).unwrap();
        assert_eq!(
            bytes,
            [0x82, 0xa1, b'a', 0xd4, 0, 0, 0xa1, b'b', 0x91, 0xd4, 0, 0]
        );
        let back = decode_msgpack(&bytes, &ty).unwrap();
        assert_eq!(back, v);
        assert!(!back.is_known());
        assert!(!back.is_unknown());
        assert!(complex_value().is_known());
        assert!(encode_json(&v, &ty).is_err());
    }

    #[test]
    fn null_and_missing_attributes() {
        assert_eq!(
            encode_msgpack(&Value::Null, &complex_type()).unwrap(),
            [0xc0]
        );
        assert_eq!(
            decode_msgpack(&[0xc0], &complex_type()).unwrap(),
            Value::Null
        );
        assert_eq!(
            decode_msgpack(&[0xc0], &Type::Dynamic).unwrap(),
            Value::Null
        );
        // Every attribute is written, in sorted order; missing ones as nil.
        let ty = Type::object([("b", Type::String), ("a", Type::Bool)]);
        let bytes = encode_msgpack(&obj(&[("b", "x".into())]), &ty).unwrap();
        assert_eq!(bytes, [0x82, 0xa1, b'a', 0xc0, 0xa1, b'b', 0xa1, b'x']);
        // Decoding fills attributes absent from the map with null.
        let v = decode_msgpack(&[0x81, 0xa1, b'b', 0xa1, b'x'], &ty).unwrap();
        assert_eq!(v, obj(&[("a", Value::Null), ("b", "x".into())]));
        assert_eq!(v.get_str("b"), Some("x"));
        assert!(v.get("a").is_some_and(Value::is_null));
        assert!(v.get("zzz").is_none());
    }

    #[test]
    fn numbers() {
        let enc = |n: f64| encode_msgpack(&Value::Number(n), &Type::Number).unwrap();
        assert_eq!(enc(1.0), [0x01]);
        assert_eq!(enc(-1.0), [0xff]);
        assert_eq!(enc(300.0), [0xcd, 0x01, 0x2c]);
        assert_eq!(enc(-200.0), [0xd1, 0xff, 0x38]);
        let mut f = vec![0xcb];
        f.extend_from_slice(&1.5f64.to_be_bytes());
        assert_eq!(enc(1.5), f);
        let dec = |b: &[u8]| decode_msgpack(b, &Type::Number).unwrap().as_f64().unwrap();
        assert_eq!(dec(&[0x7f]), 127.0);
        assert_eq!(dec(&[0xe0]), -32.0);
        assert_eq!(dec(&[0xcc, 0xff]), 255.0);
        assert_eq!(dec(&[0xcf, 0, 0, 0, 1, 0, 0, 0, 0]), 4294967296.0);
        assert_eq!(dec(&[0xd0, 0x80]), -128.0);
        assert_eq!(
            dec(&[0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]),
            -2.0
        );
        assert_eq!(dec(&[0xca, 0x3f, 0xc0, 0, 0]), 1.5);
        assert_eq!(dec(&f), 1.5);
        assert_eq!(dec(&[0xa4, b'1', b'2', b'.', b'5']), 12.5);
        assert!(decode_msgpack(&[0xa3, b'a', b'b', b'c'], &Type::Number).is_err());
        assert_eq!(Value::Number(3.0).as_i64(), Some(3));
        assert_eq!(Value::Number(3.5).as_i64(), None);
    }

    #[test]
    fn dynamic_wrapping() {
        let bytes = encode_msgpack(&"hi".into(), &Type::Dynamic).unwrap();
        let mut want = vec![0x92, 0xc4, 8];
        want.extend_from_slice(b"\"string\"");
        want.extend_from_slice(&[0xa2, b'h', b'i']);
        assert_eq!(bytes, want);
        assert_eq!(
            decode_msgpack(&bytes, &Type::Dynamic).unwrap(),
            Value::from("hi")
        );
        // The type JSON may also arrive as a msgpack str.
        let mut alt = vec![0x92, 0xa8];
        alt.extend_from_slice(b"\"number\"");
        alt.push(0x05);
        assert_eq!(
            decode_msgpack(&alt, &Type::Dynamic).unwrap(),
            Value::Number(5.0)
        );
        assert!(decode_msgpack(&[0x91, 0xc0], &Type::Dynamic).is_err());
        // JSON form of a dynamic value.
        let j = br#"{"value":{"a":[1,2]},"type":["object",{"a":["list","number"]}]}"#;
        let v = decode_json(j, &Type::Dynamic).unwrap();
        assert_eq!(
            v,
            obj(&[("a", Value::List(vec![Value::from(1i64), Value::from(2i64)]))])
        );
    }

    #[test]
    fn errors_not_panics() {
        let ty = complex_type();
        let bytes = encode_msgpack(&complex_value(), &ty).unwrap();
        for n in 0..bytes.len() {
            assert!(
                decode_msgpack(&bytes[..n], &ty).is_err(),
                "prefix {n} decoded"
            );
        }
        let mut trailing = bytes.clone();
        trailing.push(0xc0);
        assert!(decode_msgpack(&trailing, &ty).is_err());
        // Type mismatches.
        assert!(decode_msgpack(&[0xa1, b'x'], &Type::Bool).is_err());
        assert!(decode_msgpack(&[0xc3], &Type::String).is_err());
        assert!(decode_msgpack(&[0x90], &Type::map(Type::String)).is_err());
        assert!(
            decode_msgpack(
                &[0x81, 0xa1, b'z', 0xc0],
                &Type::object([("a", Type::Bool)])
            )
            .is_err()
        );
        assert!(decode_msgpack(&[0x91, 0xc0], &Type::Tuple(vec![Type::Bool, Type::Bool])).is_err());
        assert!(decode_msgpack(&[0xa2, 0xff, 0xfe], &Type::String).is_err());
        // Hostile lengths must not allocate or panic.
        assert!(decode_msgpack(&[0xdd, 0xff, 0xff, 0xff, 0xff], &Type::list(Type::Bool)).is_err());
        assert!(decode_msgpack(&[0xdf, 0xff, 0xff, 0xff, 0xff], &Type::map(Type::Bool)).is_err());
        assert!(decode_msgpack(&[0xc9, 0xff, 0xff, 0xff, 0xff, 0], &Type::Bool).is_err());
        assert!(decode_msgpack(&[0x92, 0xc4, 3, b'"', b'x', b'"', 0xc0], &Type::Dynamic).is_err());
        // Encoding mismatches.
        assert!(encode_msgpack(&Value::Bool(true), &Type::String).is_err());
        let err = encode_msgpack(
            &obj(&[("zzz", Value::Null)]),
            &Type::object([("a", Type::Bool)]),
        );
        assert!(err.is_err());
        let err = encode_msgpack(
            &obj(&[("a", Value::List(vec![Value::from(1i64)]))]),
            &Type::object([("a", Type::list(Type::String))]),
        )
        .unwrap_err();
        assert_eq!(err.path, ".a[0]");
        // Deterministic pseudo-random garbage never panics.
        let mut seed: u64 = 0x1234_5678;
        for _ in 0..2000 {
            let len = (seed % 24) as usize;
            let mut buf = Vec::with_capacity(len);
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                buf.push((seed >> 33) as u8);
            }
            let _ = decode_msgpack(&buf, &ty);
            let _ = decode_msgpack(&buf, &Type::Dynamic);
            seed = seed.wrapping_add(len as u64 + 1);
        }
    }

    #[test]
    fn type_json_round_trips() {
        let cases: &[(&str, Type)] = &[
            (r#""string""#, Type::String),
            (r#""number""#, Type::Number),
            (r#""bool""#, Type::Bool),
            (r#""dynamic""#, Type::Dynamic),
            (r#"["list","string"]"#, Type::list(Type::String)),
            (
                r#"["set",["map","bool"]]"#,
                Type::set(Type::map(Type::Bool)),
            ),
            (
                r#"["object",{"a":"bool","b":["list","number"]}]"#,
                Type::object([("a", Type::Bool), ("b", Type::list(Type::Number))]),
            ),
            (
                r#"["tuple",["string","number"]]"#,
                Type::Tuple(vec![Type::String, Type::Number]),
            ),
        ];
        for (json, ty) in cases {
            assert_eq!(String::from_utf8(ty.to_json()).unwrap(), *json);
            assert_eq!(&Type::from_json(json.as_bytes()).unwrap(), ty);
        }
        // Optional-attribute constraints parse as the plain object type.
        assert_eq!(
            Type::from_json(br#"["object",{"a":"string"},["a"]]"#).unwrap(),
            Type::object([("a", Type::String)])
        );
        for bad in [
            &b"\"str\""[..],
            b"[\"list\"]",
            b"42",
            b"[\"object\",[]]",
            b"not json",
        ] {
            assert!(Type::from_json(bad).is_err());
        }
        assert_eq!(
            complex_type(),
            Type::from_json(&complex_type().to_json()).unwrap()
        );
    }

    #[test]
    fn raw_state_json() {
        let ty = Type::object([
            ("id", Type::String),
            ("count", Type::Number),
            ("flag", Type::Bool),
            ("tags", Type::map(Type::String)),
        ]);
        let raw = proto::RawState {
            json: br#"{"id":"x","count":"7","gone":123,"tags":{"a":"b"}}"#.to_vec(),
            flatmap: Default::default(),
        };
        let v = raw.decode(&ty).unwrap();
        assert_eq!(
            v,
            obj(&[
                ("id", "x".into()),
                ("count", Value::Number(7.0)),
                ("flag", Value::Null),
                (
                    "tags",
                    Value::Map([("a".to_owned(), Value::from("b"))].into())
                ),
            ])
        );
        assert!(decode_json(br#"{"id":[1]}"#, &ty).is_err());
        assert!(decode_json(b"{", &ty).is_err());
    }

    #[test]
    fn dynamic_value_helpers() {
        let ty = rule_type();
        let v = obj(&[("name", "a".into()), ("port", Value::from(1i64))]);
        let dv = proto::DynamicValue::encode(&v, &ty).unwrap();
        assert!(dv.json.is_empty());
        assert_eq!(dv.decode(&ty).unwrap(), v);
        let json_dv = proto::DynamicValue {
            msgpack: vec![],
            json: br#"{"name":"a","port":1}"#.to_vec(),
        };
        assert_eq!(json_dv.decode(&ty).unwrap(), v);
        assert_eq!(
            proto::DynamicValue::default().decode(&ty).unwrap(),
            Value::Null
        );
        assert_eq!(decode_dynamic(None, &ty).unwrap(), Value::Null);
        let enc = encode_dynamic(&v, &ty).unwrap();
        assert_eq!(decode_dynamic(enc.as_ref(), &ty).unwrap(), v);
    }
}
