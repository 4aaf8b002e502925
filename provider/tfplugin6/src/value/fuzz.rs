//! Fuzz and property tests of the cty value codecs (`fuzz_*`, see docs/reliability.md):
//! msgpack and JSON round-trip every value of every type; hostile bytes, mutated
//! encodings and nesting bombs decode to an error, never a panic.
//!
//! Case counts: `CTSIM_FUZZ_CASES=N` per target, `CTSIM_FUZZ_SECONDS=S` to keep running
//! rounds for S seconds (the same variables as the simulator's targets).

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestError, TestRunner};

use super::*;

fn check<S>(
    name: &str,
    default_cases: u32,
    strategy: S,
    property: impl Fn(S::Value) -> std::result::Result<(), TestCaseError>,
) where
    S: Strategy,
    S::Value: Debug,
{
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<u64>().ok());
    let per_round = env("CTSIM_FUZZ_CASES")
        .filter(|n| *n > 0)
        .map_or(default_cases, |n| n as u32);
    let budget = env("CTSIM_FUZZ_SECONDS").map(Duration::from_secs);
    // Each case printed before it runs: a stack overflow aborts without shrinking.
    let trace = std::env::var_os("CTSIM_FUZZ_TRACE").is_some();
    let started = Instant::now();
    let mut total: u64 = 0;
    loop {
        let config = Config {
            cases: per_round,
            failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
                "proptest-regressions",
            ))),
            source_file: Some(file!()),
            ..Config::default()
        };
        let traced = |v: S::Value| {
            if trace {
                eprintln!("fuzz {name} case: {v:?}");
            }
            property(v)
        };
        match TestRunner::new(config).run(&strategy, traced) {
            Ok(()) => {}
            Err(TestError::Fail(why, input)) => {
                panic!("{name}: {why}\nminimal failing input: {input:#?}")
            }
            Err(TestError::Abort(why)) => panic!("{name}: aborted: {why}"),
        }
        total += u64::from(per_round);
        match budget {
            Some(b) if started.elapsed() < b => continue,
            _ => break,
        }
    }
    if budget.is_some() || std::env::var_os("CTSIM_FUZZ_CASES").is_some() {
        eprintln!(
            "fuzz {name}: {total} cases in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_]{1,6}",
        "\\PC{0,4}",
        Just(String::new()),
        Just("é".to_string()),
    ]
}

/// Any cty type; `dynamic` says whether `Type::Dynamic` may appear.
fn any_type(dynamic: bool) -> impl Strategy<Value = Type> {
    let leaf = if dynamic {
        prop_oneof![
            Just(Type::Bool),
            Just(Type::Number),
            Just(Type::String),
            Just(Type::Dynamic),
        ]
        .boxed()
    } else {
        prop_oneof![Just(Type::Bool), Just(Type::Number), Just(Type::String)].boxed()
    };
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            prop::collection::btree_map(key(), inner.clone(), 0..4).prop_map(Type::Object),
            prop::collection::vec(inner, 0..4).prop_map(Type::Tuple),
        ]
    })
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<i64>().prop_map(|n| n as f64),
        any::<f64>().prop_filter("finite", |f| f.is_finite()),
        prop::sample::select(vec![
            0.0,
            -0.0,
            0.1,
            1e300,
            -1e-300,
            9_007_199_254_740_993.0,
            9_223_372_036_854_775_807.0,
            -9_223_372_036_854_775_808.0,
            18_446_744_073_709_551_615.0,
            f64::MAX,
            f64::MIN_POSITIVE,
        ]),
    ]
}

/// A known value of a type with no `Dynamic` in it.
fn value_of(ty: &Type, depth: u32) -> BoxedStrategy<Value> {
    let null_or = |s: BoxedStrategy<Value>| prop_oneof![1 => Just(Value::Null), 6 => s].boxed();
    match ty {
        Type::Bool => null_or(any::<bool>().prop_map(Value::Bool).boxed()),
        Type::Number => null_or(number().prop_map(Value::Number).boxed()),
        Type::String => null_or("\\PC{0,8}".prop_map(Value::String).boxed()),
        Type::Dynamic => null_or(
            prop_oneof![
                "[a-z]{0,4}".prop_map(Value::String),
                any::<bool>().prop_map(Value::Bool)
            ]
            .boxed(),
        ),
        Type::List(et) | Type::Set(et) => {
            let list = matches!(ty, Type::List(_));
            let n = if depth > 3 { 0..2 } else { 0..4 };
            null_or(
                prop::collection::vec(value_of(et, depth + 1), n)
                    .prop_map(move |vs| {
                        if list {
                            Value::List(vs)
                        } else {
                            Value::Set(vs)
                        }
                    })
                    .boxed(),
            )
        }
        Type::Map(et) => null_or(
            prop::collection::btree_map(key(), value_of(et, depth + 1), 0..3)
                .prop_map(Value::Map)
                .boxed(),
        ),
        Type::Object(attrs) => {
            let parts: Vec<(String, BoxedStrategy<Value>)> = attrs
                .iter()
                .map(|(k, t)| (k.clone(), value_of(t, depth + 1)))
                .collect();
            let keys: Vec<String> = parts.iter().map(|(k, _)| k.clone()).collect();
            let values: Vec<BoxedStrategy<Value>> = parts.into_iter().map(|(_, s)| s).collect();
            null_or(
                values
                    .prop_map(move |vs| Value::Object(keys.iter().cloned().zip(vs).collect()))
                    .boxed(),
            )
        }
        Type::Tuple(ts) => {
            let values: Vec<BoxedStrategy<Value>> =
                ts.iter().map(|t| value_of(t, depth + 1)).collect();
            null_or(values.prop_map(Value::Tuple).boxed())
        }
    }
}

fn typed_value(dynamic: bool) -> impl Strategy<Value = (Type, Value)> {
    any_type(dynamic).prop_flat_map(|ty| {
        let v = value_of(&ty, 0);
        (Just(ty), v)
    })
}

/// Replaces some known leaves with unknowns (msgpack carries them; JSON cannot).
fn with_unknowns(v: Value, mask: &[bool], i: &mut usize) -> Value {
    let mut next = || {
        *i += 1;
        mask.get(*i % mask.len().max(1)).copied().unwrap_or(false)
    };
    match v {
        Value::List(vs) => Value::List(vs.into_iter().map(|v| with_unknowns(v, mask, i)).collect()),
        Value::Set(vs) => Value::Set(vs.into_iter().map(|v| with_unknowns(v, mask, i)).collect()),
        Value::Tuple(vs) => {
            Value::Tuple(vs.into_iter().map(|v| with_unknowns(v, mask, i)).collect())
        }
        Value::Map(m) => Value::Map(
            m.into_iter()
                .map(|(k, v)| (k, with_unknowns(v, mask, i)))
                .collect(),
        ),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, with_unknowns(v, mask, i)))
                .collect(),
        ),
        other if next() => {
            let _ = other;
            Value::Unknown
        }
        other => other,
    }
}

#[test]
fn fuzz_msgpack_round_trips_every_typed_value() {
    let strategy = (
        typed_value(false),
        prop::collection::vec(any::<bool>(), 1..8),
    );
    check("msgpack round trip", 512, strategy, |((ty, v), mask)| {
        let v = with_unknowns(v, &mask, &mut 0);
        let bytes = encode_msgpack(&v, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back = decode_msgpack(&bytes, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, v);
        Ok(())
    });
}

#[test]
fn fuzz_msgpack_round_trips_values_in_dynamic_slots() {
    check("msgpack dynamic", 256, typed_value(false), |(_, v)| {
        // A value of any type where the schema says `dynamic`: it travels with its type.
        let Ok(bytes) = encode_msgpack(&v, &Type::Dynamic) else {
            return Ok(());
        };
        let back = decode_msgpack(&bytes, &Type::Dynamic)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, v);
        Ok(())
    });
}

#[test]
fn fuzz_json_round_trips_every_typed_value() {
    check("json round trip", 512, typed_value(true), |(ty, v)| {
        let Ok(bytes) = encode_json(&v, &ty) else {
            // Only a value the JSON form cannot carry may fail (checked elsewhere).
            return Ok(());
        };
        let back = decode_json(&bytes, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, v);
        Ok(())
    });
}

#[test]
fn fuzz_type_json_round_trips() {
    check("type json", 512, any_type(true), |ty| {
        prop_assert_eq!(Type::from_json(&ty.to_json()), Ok(ty));
        Ok(())
    });
}

/// One edit of an encoding.
#[derive(Debug, Clone)]
enum ByteEdit {
    Flip(prop::sample::Index, u8),
    Insert(prop::sample::Index, Vec<u8>),
    Delete(prop::sample::Index),
    Truncate(prop::sample::Index),
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    let interesting = prop::sample::select(vec![
        0xc0u8, 0xc2, 0xc3, 0xd4, 0xc7, 0xc8, 0xc9, 0xdc, 0xdd, 0xde, 0xdf, 0xd9, 0xda, 0xdb, 0xc4,
        0xc5, 0xc6, 0xcb, 0xcf, 0xd3, 0x90, 0x80, 0xa0, 0xff, 0x7f,
    ]);
    prop_oneof![
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| ByteEdit::Flip(i, b)),
        (
            any::<prop::sample::Index>(),
            prop::collection::vec(interesting, 1..6)
        )
            .prop_map(|(i, b)| ByteEdit::Insert(i, b)),
        any::<prop::sample::Index>().prop_map(ByteEdit::Delete),
        any::<prop::sample::Index>().prop_map(ByteEdit::Truncate),
    ]
}

fn edit_bytes(mut b: Vec<u8>, edits: &[ByteEdit]) -> Vec<u8> {
    for e in edits {
        match e {
            ByteEdit::Flip(i, x) if !b.is_empty() => {
                let i = i.index(b.len());
                b[i] ^= x;
            }
            ByteEdit::Insert(i, xs) => {
                let i = i.index(b.len() + 1);
                b.splice(i..i, xs.iter().copied());
            }
            ByteEdit::Delete(i) if !b.is_empty() => {
                let i = i.index(b.len());
                b.remove(i);
            }
            ByteEdit::Truncate(i) => {
                let i = i.index(b.len() + 1);
                b.truncate(i);
            }
            _ => {}
        }
    }
    b
}

#[test]
fn fuzz_msgpack_decoding_of_mutated_encodings_never_panics() {
    let strategy = (
        typed_value(true),
        prop::collection::vec(byte_edit(), 1..5),
        any_type(true),
    );
    check(
        "msgpack mutated",
        1024,
        strategy,
        |((ty, v), edits, other_ty)| {
            let Ok(bytes) = encode_msgpack(&v, &ty) else {
                return Ok(());
            };
            let bad = edit_bytes(bytes, &edits);
            let _ = decode_msgpack(&bad, &ty);
            let _ = decode_msgpack(&bad, &Type::Dynamic);
            let _ = decode_msgpack(&bad, &other_ty);
            Ok(())
        },
    );
}

#[test]
fn fuzz_decoding_arbitrary_bytes_never_panics() {
    let strategy = (prop::collection::vec(any::<u8>(), 0..96), any_type(true));
    check("arbitrary bytes", 1024, strategy, |(bytes, ty)| {
        let _ = decode_msgpack(&bytes, &ty);
        let _ = decode_json(&bytes, &ty);
        let _ = Type::from_json(&bytes);
        Ok(())
    });
}

#[test]
fn fuzz_json_decoding_of_mutated_documents_never_panics() {
    let strategy = (
        typed_value(true),
        prop::collection::vec(byte_edit(), 1..4),
        any_type(true),
    );
    check(
        "json mutated",
        512,
        strategy,
        |((ty, v), edits, other_ty)| {
            let Ok(bytes) = encode_json(&v, &ty) else {
                return Ok(());
            };
            let bad = edit_bytes(bytes.clone(), &edits);
            let _ = decode_json(&bad, &ty);
            let _ = decode_json(&bytes, &other_ty);
            let _ = decode_json(&bytes, &Type::Dynamic);
            Ok(())
        },
    );
}

/// `[type "dynamic", [type "dynamic", ...]]`: each level names the next as dynamic again,
/// so the type does not bound the depth; the decoder must (found: 100,000 levels overflowed
/// the stack).
#[test]
fn dynamic_values_nested_past_the_limit_are_an_error() {
    // `levels` dynamic wrappers around `[type "bool", true]`: levels + 2 values deep.
    let nested = |levels: usize| {
        let mut bytes = Vec::new();
        for _ in 0..levels {
            bytes.extend_from_slice(&[0x92, 0xc4, 9]);
            bytes.extend_from_slice(b"\"dynamic\"");
        }
        bytes.extend_from_slice(&[0x92, 0xc4, 6]);
        bytes.extend_from_slice(b"\"bool\"");
        bytes.push(0xc3);
        bytes
    };
    let bytes = nested(100_000);
    let err = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || decode_msgpack(&bytes, &Type::Dynamic))
        .unwrap()
        .join()
        .unwrap()
        .unwrap_err();
    assert!(err.message.contains("nested more than"), "{err}");
    // At the limit the same shape decodes; one more level does not.
    assert_eq!(
        decode_msgpack(&nested(MAX_DEPTH - 2), &Type::Dynamic),
        Ok(Value::Bool(true))
    );
    assert!(decode_msgpack(&nested(MAX_DEPTH - 1), &Type::Dynamic).is_err());
}

/// The JSON form's dynamic values nest the same way.
#[test]
fn dynamic_json_nested_past_the_limit_is_an_error() {
    let mut j = Json::Bool(true);
    for _ in 0..MAX_DEPTH + 1 {
        let mut o = serde_json::Map::new();
        o.insert("type".into(), Json::from("dynamic"));
        o.insert("value".into(), j);
        j = Json::Object(o);
    }
    let err = decode_json_value(&j, &Type::Dynamic).unwrap_err();
    assert!(err.message.contains("nested"), "{err}");
    // Dropping `j` recurses too; keep it shallow enough for the test thread.
    drop(j);
    let deep_text = format!(
        "{}true{}",
        "{\"type\":\"dynamic\",\"value\":".repeat(100_000),
        "}".repeat(100_000)
    );
    assert!(decode_json(deep_text.as_bytes(), &Type::Dynamic).is_err());
}

#[test]
fn fuzz_known_type_values_survive_a_dynamic_wrapper_in_maps() {
    // Map(dynamic) and object attributes of dynamic type: every element carries its type.
    let strategy = prop::collection::btree_map(key(), typed_value(false), 0..4);
    check("dynamic maps", 128, strategy, |m| {
        let v = Value::Map(
            m.into_iter()
                .map(|(k, (_, v))| (k, v))
                .collect::<BTreeMap<_, _>>(),
        );
        let ty = Type::map(Type::Dynamic);
        let bytes = encode_msgpack(&v, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back = decode_msgpack(&bytes, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, v);
        Ok(())
    });
}

/// A number in state JSON reads back as the same double (found by
/// `fuzz_json_round_trips_every_typed_value`: without serde_json's float_roundtrip the
/// parse was one ulp off).
#[test]
fn json_numbers_read_back_exactly() {
    let n = 3.898587925119979e245;
    let bytes = encode_json(&Value::Number(n), &Type::Number).unwrap();
    assert_eq!(decode_json(&bytes, &Type::Number), Ok(Value::Number(n)));
}
