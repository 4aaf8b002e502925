//! The hashicorp/aws 6.47.0 schema dump (`terraform providers schema -json`, vendored in
//! simulator/reference with its provenance note): the shape of every Terraform type ctsim
//! serves. The provider turns it into plugin-protocol schemas; the generic service reads it
//! to know which attributes a type computes. Parsed once per process; names borrow from
//! the decompressed text, which lives as long as the process.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::OnceLock;

use serde::Deserialize;

/// The provider version whose schemas are served.
pub const HASHICORP_AWS_VERSION: &str = "6.47.0";

/// The dump without descriptions (compact.py beside it writes it from the original; the
/// parity tests compare what is served with the original).
pub const DUMP_GZ: &[u8] =
    include_bytes!("../reference/hashicorp-aws-6.47.0-schema.compact.json.gz");

/// Which table of the dump a type comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Resource,
    DataSource,
    Ephemeral,
}

#[derive(Deserialize)]
struct Dump<'a> {
    #[serde(borrow)]
    provider_schemas: BTreeMap<&'a str, ProviderSchemas<'a>>,
}

/// The dump indexed, not parsed: each type's schema stays JSON text until a type is used,
/// so a provider start pays for scanning the text, not for building 2,300 schemas.
#[derive(Deserialize)]
struct ProviderSchemas<'a> {
    #[serde(borrow, default)]
    resource_schemas: BTreeMap<&'a str, &'a serde_json::value::RawValue>,
    #[serde(borrow, default)]
    data_source_schemas: BTreeMap<&'a str, &'a serde_json::value::RawValue>,
    #[serde(borrow, default)]
    ephemeral_resource_schemas: BTreeMap<&'a str, &'a serde_json::value::RawValue>,
}

/// One type of the index: its text, and its schema once parsed.
struct Entry {
    text: &'static serde_json::value::RawValue,
    parsed: OnceLock<Option<RawSchema<'static>>>,
}

#[derive(Deserialize)]
pub struct RawSchema<'a> {
    #[serde(default)]
    pub version: i64,
    #[serde(borrow)]
    pub block: RawBlock<'a>,
}

#[derive(Deserialize)]
pub struct RawBlock<'a> {
    #[serde(borrow, default)]
    pub attributes: BTreeMap<&'a str, RawAttribute<'a>>,
    #[serde(borrow, default)]
    pub block_types: BTreeMap<&'a str, RawNested<'a>>,
    #[serde(default)]
    pub deprecated: bool,
}

#[derive(Deserialize)]
pub struct RawAttribute<'a> {
    /// The cty type as the dump spells it (JSON text), kept unparsed: serving it is a copy.
    #[serde(rename = "type", borrow)]
    pub ty: &'a serde_json::value::RawValue,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub computed: bool,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub write_only: bool,
}

#[derive(Deserialize)]
pub struct RawNested<'a> {
    pub nesting_mode: &'a str,
    #[serde(borrow)]
    pub block: RawBlock<'a>,
    #[serde(default)]
    pub min_items: usize,
    #[serde(default)]
    pub max_items: usize,
}

struct Index {
    resources: BTreeMap<&'static str, Entry>,
    data_sources: BTreeMap<&'static str, Entry>,
    ephemeral: BTreeMap<&'static str, Entry>,
}

/// The indexed dump. Names and schema texts borrow from the decompressed text, which lives
/// for the process.
fn index() -> Option<&'static Index> {
    static TEXT: OnceLock<String> = OnceLock::new();
    static INDEX: OnceLock<Option<Index>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let text = TEXT.get_or_init(|| {
                let mut out = String::with_capacity(3 << 20);
                // The embedded file is checked by the tests; a failure leaves the text empty
                // and every lookup then answers None.
                if decompress_dump(&mut out).is_err() {
                    out.clear();
                }
                out
            });
            let dump: Dump<'static> = serde_json::from_str(text).ok()?;
            let p = dump.provider_schemas.into_values().next()?;
            let entries = |m: BTreeMap<&'static str, &'static serde_json::value::RawValue>| {
                m.into_iter()
                    .map(|(k, text)| {
                        let parsed = OnceLock::new();
                        (k, Entry { text, parsed })
                    })
                    .collect()
            };
            Some(Index {
                resources: entries(p.resource_schemas),
                data_sources: entries(p.data_source_schemas),
                ephemeral: entries(p.ephemeral_resource_schemas),
            })
        })
        .as_ref()
}

fn table(kind: Kind) -> Option<&'static BTreeMap<&'static str, Entry>> {
    let i = index()?;
    Some(match kind {
        Kind::Resource => &i.resources,
        Kind::DataSource => &i.data_sources,
        Kind::Ephemeral => &i.ephemeral,
    })
}

/// Every type name of one kind, sorted.
pub fn type_names(kind: Kind) -> Vec<&'static str> {
    table(kind)
        .map(|t| t.keys().copied().collect())
        .unwrap_or_default()
}

/// Decompresses gzip data embedded with the dump's generated companions.
pub fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() * 8);
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

/// The dump as JSON text.
pub fn decompress_dump(out: &mut String) -> std::io::Result<usize> {
    flate2::read::GzDecoder::new(DUMP_GZ).read_to_string(out)
}

/// A type's raw schema from the dump (parsed on first use).
pub fn raw_schema(kind: Kind, type_name: &str) -> Option<&'static RawSchema<'static>> {
    let entry = table(kind)?.get(type_name)?;
    entry
        .parsed
        .get_or_init(|| serde_json::from_str(entry.text.get()).ok())
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_dump_holds_every_type_of_hashicorp_aws() {
        assert_eq!(type_names(Kind::Resource).len(), 1657);
        assert_eq!(type_names(Kind::DataSource).len(), 662);
        assert_eq!(type_names(Kind::Ephemeral).len(), 10);
    }
}
