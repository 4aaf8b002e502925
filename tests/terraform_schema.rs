//! What the real terraform binary reads from the provider (`terraform providers schema
//! -json`) equals hashicorp/aws 6.47.0's schema (the vendored dump) for every served type,
//! descriptions aside. The provider's own unit test compares its schemas before the wire;
//! this one proves the plugin protocol carries them intact.

use std::io::Read;

use ctsim_e2e::{TfWorkspace, workspace_root};
use serde_json::{Value as Json, json};

fn reference() -> Json {
    let path = workspace_root().join("simulator/reference/hashicorp-aws-6.47.0-schema.json.gz");
    let bytes = std::fs::read(&path).expect("the vendored schema dump");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .expect("gzip");
    let mut all: Json = serde_json::from_str(&text).expect("JSON");
    all["provider_schemas"]["registry.terraform.io/hashicorp/aws"].take()
}

/// A schema without descriptions, walked by structure (attribute names are data).
fn comparable(schema: &Json) -> Json {
    fn block(b: &Json) -> Json {
        let mut out = serde_json::Map::new();
        if let Some(attrs) = b["attributes"].as_object() {
            let attrs = attrs.iter().map(|(k, a)| (k.clone(), plain(a))).collect();
            out.insert("attributes".into(), Json::Object(attrs));
        }
        if let Some(nested) = b["block_types"].as_object() {
            let nested = nested
                .iter()
                .map(|(k, n)| {
                    let mut n = plain(n);
                    n["block"] = block(&n["block"]);
                    (k.clone(), n)
                })
                .collect();
            out.insert("block_types".into(), Json::Object(nested));
        }
        if b["deprecated"] == json!(true) {
            out.insert("deprecated".into(), json!(true));
        }
        Json::Object(out)
    }
    fn plain(v: &Json) -> Json {
        let mut v = v.clone();
        if let Some(m) = v.as_object_mut() {
            m.remove("description");
            m.remove("description_kind");
        }
        v
    }
    json!({"version": schema["version"], "block": block(&schema["block"])})
}

#[test]
fn terraform_sees_hashicorp_aws_schemas_for_every_served_type() {
    let ws = TfWorkspace::new(&[("main.tf", "provider \"aws\" {}\n")]);
    ws.init();
    let served: Json =
        serde_json::from_str(&ws.ok(&["providers", "schema", "-json"])).expect("schema JSON");
    let served = served["provider_schemas"]
        .as_object()
        .and_then(|m| m.values().next())
        .cloned()
        .expect("one provider");
    let reference = reference();
    let mut differing = Vec::new();
    let mut count = 0;
    for kind in ["resource_schemas", "data_source_schemas"] {
        for (name, schema) in served[kind].as_object().expect("schemas") {
            count += 1;
            if comparable(schema) != comparable(&reference[kind][name]) {
                differing.push(format!("{kind}.{name}"));
            }
        }
    }
    assert!(count >= 30, "only {count} types served");
    assert!(
        differing.is_empty(),
        "differ from hashicorp/aws 6.47.0: {differing:?}"
    );
}
