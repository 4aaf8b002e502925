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

#[derive(Deserialize)]
struct ProviderSchemas<'a> {
    #[serde(borrow, default)]
    resource_schemas: BTreeMap<&'a str, RawSchema<'a>>,
    #[serde(borrow, default)]
    data_source_schemas: BTreeMap<&'a str, RawSchema<'a>>,
    #[serde(borrow, default)]
    ephemeral_resource_schemas: BTreeMap<&'a str, RawSchema<'a>>,
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

/// The parsed dump. Names borrow from the decompressed text, which lives for the process.
fn provider() -> Option<&'static ProviderSchemas<'static>> {
    static TEXT: OnceLock<String> = OnceLock::new();
    static PARSED: OnceLock<Option<ProviderSchemas<'static>>> = OnceLock::new();
    PARSED
        .get_or_init(|| {
            let text = TEXT.get_or_init(|| {
                let mut out = String::with_capacity(5 << 20);
                // The embedded file is checked by the tests; a failure leaves the text empty
                // and every lookup then answers None.
                if decompress_dump(&mut out).is_err() {
                    out.clear();
                }
                out
            });
            let dump: Dump<'static> = serde_json::from_str(text).ok()?;
            dump.provider_schemas.into_values().next()
        })
        .as_ref()
}

fn table(kind: Kind) -> Option<&'static BTreeMap<&'static str, RawSchema<'static>>> {
    let p = provider()?;
    Some(match kind {
        Kind::Resource => &p.resource_schemas,
        Kind::DataSource => &p.data_source_schemas,
        Kind::Ephemeral => &p.ephemeral_resource_schemas,
    })
}

/// Every type name of one kind, sorted.
pub fn type_names(kind: Kind) -> Vec<&'static str> {
    table(kind)
        .map(|t| t.keys().copied().collect())
        .unwrap_or_default()
}

/// The dump as JSON text.
pub fn decompress_dump(out: &mut String) -> std::io::Result<usize> {
    flate2::read::GzDecoder::new(DUMP_GZ).read_to_string(out)
}

/// A type's raw schema from the dump.
pub fn raw_schema(kind: Kind, type_name: &str) -> Option<&'static RawSchema<'static>> {
    table(kind)?.get(type_name)
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
