//! The hashicorp/aws 6.47.0 schema dump (`ctsim::reference`, vendored in simulator/reference
//! with its provenance note), converted to the provider's schemas: the one source of every
//! served type's shape. Resources and data sources add behaviour (defaults, validators, force-new) on top
//! with the overlay methods of [`crate::schema::Schema`]; they never restate the shape, so the
//! served schema cannot drift from hashicorp/aws's.

use tfplugin6::value::Type;

use crate::schema::{Attribute, Block, NestedBlock, Nesting, Schema};

pub use ctsim::reference::{HASHICORP_AWS_VERSION, Kind, type_names};
use ctsim::reference::{RawBlock, raw_schema};

/// The schema hashicorp/aws serves for a type, with no behaviour added.
pub fn schema(kind: Kind, type_name: &str) -> Option<Schema> {
    let raw = raw_schema(kind, type_name)?;
    Some(Schema {
        version: raw.version,
        block: block(&raw.block),
        overlay_problems: Vec::new(),
        force_new_paths: Vec::new(),
    })
}

/// The plugin-protocol schema of a type straight from the dump (what the provider serves
/// for the generic types: the shape alone, without building a planning schema).
pub fn proto_schema(kind: Kind, type_name: &str) -> Option<tfplugin6::proto::Schema> {
    let raw = raw_schema(kind, type_name)?;
    let mut block = proto_block(&raw.block);
    block.version = raw.version;
    Some(tfplugin6::proto::Schema {
        version: raw.version,
        block: Some(block),
    })
}

fn proto_block(raw: &RawBlock<'static>) -> tfplugin6::proto::schema::Block {
    use tfplugin6::proto::schema;
    schema::Block {
        attributes: raw
            .attributes
            .iter()
            .map(|(name, a)| schema::Attribute {
                name: name.to_string(),
                r#type: a.ty.get().as_bytes().to_vec(),
                required: a.required,
                optional: a.optional,
                computed: a.computed,
                sensitive: a.sensitive,
                deprecated: a.deprecated,
                write_only: a.write_only,
                ..Default::default()
            })
            .collect(),
        block_types: raw
            .block_types
            .iter()
            .map(|(name, n)| schema::NestedBlock {
                type_name: name.to_string(),
                block: Some(proto_block(&n.block)),
                nesting: match n.nesting_mode {
                    "single" => schema::nested_block::NestingMode::Single as i32,
                    "set" => schema::nested_block::NestingMode::Set as i32,
                    _ => schema::nested_block::NestingMode::List as i32,
                },
                min_items: n.min_items as i64,
                max_items: n.max_items as i64,
            })
            .collect(),
        deprecated: raw.deprecated,
        ..Default::default()
    }
}

fn block(raw: &RawBlock<'static>) -> Block {
    let attributes = raw
        .attributes
        .iter()
        .map(|(name, a)| Attribute {
            required: a.required,
            optional: a.optional,
            computed: a.computed,
            sensitive: a.sensitive,
            deprecated: a.deprecated,
            write_only: a.write_only,
            // Types in the dump are cty JSON types; an unreadable one becomes dynamic,
            // which the parity test reports.
            ..Attribute::new(
                name,
                Type::from_json(a.ty.get().as_bytes()).unwrap_or(Type::Dynamic),
            )
        })
        .collect();
    let blocks = raw
        .block_types
        .iter()
        .map(|(name, n)| NestedBlock {
            max_items: n.max_items,
            min_items: n.min_items,
            ..NestedBlock::new(
                name,
                match n.nesting_mode {
                    "single" => Nesting::Single,
                    "set" => Nesting::Set,
                    _ => Nesting::List,
                },
                block(&n.block),
            )
        })
        .collect();
    Block {
        deprecated: raw.deprecated,
        ..Block::new(attributes, blocks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_in_the_dump_converts_without_a_dynamic_fallback() {
        fn no_dynamic(b: &Block) -> bool {
            b.attributes.iter().all(|a| a.ty != Type::Dynamic)
                && b.blocks.iter().all(|n| no_dynamic(&n.block))
        }
        for kind in [Kind::Resource, Kind::DataSource, Kind::Ephemeral] {
            for name in type_names(kind) {
                let s = schema(kind, name).expect("listed");
                assert!(no_dynamic(&s.block), "{name} has an unreadable type");
            }
        }
    }

    #[test]
    fn timeouts_are_single_nested_blocks() {
        let s = schema(Kind::Resource, "aws_s3_bucket").expect("aws_s3_bucket");
        let t = s.block.block("timeouts").expect("timeouts");
        assert_eq!(t.nesting, Nesting::Single);
        assert!(t.block.attribute("create").is_some_and(|a| a.optional));
    }
}

/// The served schemas, compared with the vendored dump in the JSON shape `terraform providers
/// schema -json` prints. Descriptions are left out: they may differ.
#[cfg(test)]
mod parity {
    use std::io::Read;

    use serde_json::{Value as Json, json};
    use tfplugin6::proto;

    use crate::server::ProviderServer;

    fn dump() -> Json {
        let mut text = String::new();
        // The original vendored dump, not the compact copy the simulator embeds.
        const ORIGINAL: &[u8] =
            include_bytes!("../../simulator/reference/hashicorp-aws-6.47.0-schema.json.gz");
        flate2::read::GzDecoder::new(ORIGINAL)
            .read_to_string(&mut text)
            .expect("the vendored dump is gzip");
        let mut all: Json = serde_json::from_str(&text).expect("the vendored dump is JSON");
        all["provider_schemas"]["registry.terraform.io/hashicorp/aws"].take()
    }

    /// A served block as terraform's jsonprovider renders it.
    fn block_json(b: &proto::schema::Block) -> Json {
        let mut out = serde_json::Map::new();
        if !b.attributes.is_empty() {
            let attrs: serde_json::Map<String, Json> = b
                .attributes
                .iter()
                .map(|a| {
                    let mut m = serde_json::Map::new();
                    let ty: Json = serde_json::from_slice(&a.r#type).expect("type JSON");
                    m.insert("type".into(), ty);
                    for (flag, on) in [
                        ("required", a.required),
                        ("optional", a.optional),
                        ("computed", a.computed),
                        ("sensitive", a.sensitive),
                        ("deprecated", a.deprecated),
                        ("write_only", a.write_only),
                    ] {
                        if on {
                            m.insert(flag.into(), json!(true));
                        }
                    }
                    (a.name.clone(), Json::Object(m))
                })
                .collect();
            out.insert("attributes".into(), Json::Object(attrs));
        }
        if !b.block_types.is_empty() {
            let blocks: serde_json::Map<String, Json> = b
                .block_types
                .iter()
                .map(|n| {
                    let mode = match n.nesting {
                        1 => "single",
                        2 => "list",
                        3 => "set",
                        4 => "map",
                        5 => "group",
                        _ => "invalid",
                    };
                    let mut m = serde_json::Map::new();
                    m.insert("nesting_mode".into(), json!(mode));
                    m.insert(
                        "block".into(),
                        block_json(n.block.as_ref().expect("nested block")),
                    );
                    if n.min_items > 0 {
                        m.insert("min_items".into(), json!(n.min_items));
                    }
                    if n.max_items > 0 {
                        m.insert("max_items".into(), json!(n.max_items));
                    }
                    (n.type_name.clone(), Json::Object(m))
                })
                .collect();
            out.insert("block_types".into(), Json::Object(blocks));
        }
        if b.deprecated {
            out.insert("deprecated".into(), json!(true));
        }
        Json::Object(out)
    }

    /// A dump block without what may differ (descriptions), walked by its structure so
    /// attributes named `description` or `type` stay.
    fn strip_block(block: &Json) -> Json {
        let mut out = serde_json::Map::new();
        if let Some(attrs) = block["attributes"].as_object() {
            let attrs = attrs
                .iter()
                .map(|(name, a)| (name.clone(), without_descriptions(a)))
                .collect();
            out.insert("attributes".into(), Json::Object(attrs));
        }
        if let Some(nested) = block["block_types"].as_object() {
            let nested = nested
                .iter()
                .map(|(name, n)| {
                    let mut n = without_descriptions(n);
                    n["block"] = strip_block(&n["block"]);
                    (name.clone(), n)
                })
                .collect();
            out.insert("block_types".into(), Json::Object(nested));
        }
        if block["deprecated"] == json!(true) {
            out.insert("deprecated".into(), json!(true));
        }
        Json::Object(out)
    }

    fn without_descriptions(v: &Json) -> Json {
        let mut v = v.clone();
        if let Some(m) = v.as_object_mut() {
            m.remove("description");
            m.remove("description_kind");
        }
        v
    }

    /// Every difference between two JSON trees, as "path: served X, hashicorp Y".
    fn differences(path: &str, served: &Json, reference: &Json, out: &mut Vec<String>) {
        match (served, reference) {
            (Json::Object(a), Json::Object(b)) => {
                for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                    let next = format!("{path}.{key}");
                    match (a.get(key), b.get(key)) {
                        (Some(x), Some(y)) => differences(&next, x, y, out),
                        (Some(x), None) => {
                            out.push(format!("{next}: served {x}, hashicorp has none"))
                        }
                        (None, Some(y)) => out.push(format!("{next}: missing, hashicorp has {y}")),
                        (None, None) => {}
                    }
                }
            }
            (a, b) if a != b => out.push(format!("{path}: served {a}, hashicorp {b}")),
            _ => {}
        }
    }

    fn compare(kind: &str, name: &str, served: &proto::Schema, dump: &Json, out: &mut Vec<String>) {
        let reference = &dump[kind][name];
        if reference.is_null() {
            out.push(format!("{name}: not a hashicorp/aws 6.47.0 {kind} type"));
            return;
        }
        let block = served.block.as_ref().expect("schema block");
        let served_json = json!({"version": served.version, "block": block_json(block)});
        let reference = json!({
            "version": reference["version"],
            "block": strip_block(&reference["block"]),
        });
        differences(name, &served_json, &reference, out);
    }

    #[test]
    fn every_served_schema_equals_hashicorp_aws_6_47_0() {
        let dump = dump();
        let server = ProviderServer::new();
        let mut out = Vec::new();
        for r in server.resources() {
            out.extend(
                r.schema()
                    .overlay_problems
                    .iter()
                    .map(|p| format!("{}: {p}", r.type_name())),
            );
            // What plans must have hashicorp/aws's shape too.
            let planning = r.schema().to_proto();
            compare(
                "resource_schemas",
                r.type_name(),
                &planning,
                &dump,
                &mut out,
            );
        }
        for d in server.data_sources() {
            out.extend(
                d.schema()
                    .overlay_problems
                    .iter()
                    .map(|p| format!("{}: {p}", d.type_name())),
            );
            let planning = d.schema().to_proto();
            compare(
                "data_source_schemas",
                d.type_name(),
                &planning,
                &dump,
                &mut out,
            );
        }
        // What GetProviderSchema answers, for every type it names.
        let served = server.schema_response();
        for (table, schemas) in [
            ("resource_schemas", &served.resource_schemas),
            ("data_source_schemas", &served.data_source_schemas),
            (
                "ephemeral_resource_schemas",
                &served.ephemeral_resource_schemas,
            ),
        ] {
            for (name, schema) in schemas {
                compare(table, name, schema, &dump, &mut out);
            }
        }
        assert_eq!(served.resource_schemas.len(), 1657);
        assert_eq!(served.data_source_schemas.len(), 662);
        assert_eq!(served.ephemeral_resource_schemas.len(), 10);
        assert!(
            out.is_empty(),
            "{} differences:\n{}",
            out.len(),
            out.join("\n")
        );
    }

    #[test]
    fn a_difference_is_reported_with_its_path() {
        let mut out = Vec::new();
        differences(
            "t",
            &json!({"a": {"optional": true}}),
            &json!({"a": {"required": true}}),
            &mut out,
        );
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out[0].starts_with("t.a.optional"));
    }
}
