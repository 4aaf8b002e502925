//! The GetProviderSchema answer for every hashicorp/aws type, generated from the dump and
//! embedded as protobuf (provider/data/served-schemas.pb.gz): a provider process decodes it
//! instead of building 2,300 schemas from JSON, which Terraform waits for at every start.
//! The test below regenerates it (`CTSIM_REGENERATE_DATA=1`) and fails when it is stale.

use std::collections::HashMap;

use tfplugin6::prost::Message;
use tfplugin6::proto;

const SERVED_PB_GZ: &[u8] = include_bytes!("../data/served-schemas.pb.gz");

/// Resource, data source and ephemeral resource schemas as served.
pub struct Served {
    pub resources: HashMap<String, proto::Schema>,
    pub data_sources: HashMap<String, proto::Schema>,
    pub ephemeral: HashMap<String, proto::Schema>,
}

/// The embedded answer; None if it cannot be read (the caller then builds it).
pub fn embedded() -> Option<Served> {
    let bytes = ctsim::reference::gunzip(SERVED_PB_GZ).ok()?;
    let r = proto::get_provider_schema::Response::decode(bytes.as_slice()).ok()?;
    Some(Served {
        resources: r.resource_schemas,
        data_sources: r.data_source_schemas,
        ephemeral: r.ephemeral_resource_schemas,
    })
}

/// The answer built from the dump, type by type.
pub fn built() -> Served {
    use crate::reference::{Kind, proto_schema, type_names};
    let table = |kind: Kind| -> HashMap<String, proto::Schema> {
        type_names(kind)
            .into_iter()
            .filter_map(|t| proto_schema(kind, t).map(|s| (t.to_string(), s)))
            .collect()
    };
    Served {
        resources: table(Kind::Resource),
        data_sources: table(Kind::DataSource),
        ephemeral: table(Kind::Ephemeral),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn the_embedded_answer_is_the_one_built_from_the_dump() {
        let fresh = built();
        let current = embedded().is_some_and(|e| {
            e.resources == fresh.resources
                && e.data_sources == fresh.data_sources
                && e.ephemeral == fresh.ephemeral
        });
        if current {
            return;
        }
        if std::env::var_os("CTSIM_REGENERATE_DATA").is_some() {
            let response = proto::get_provider_schema::Response {
                resource_schemas: fresh.resources,
                data_source_schemas: fresh.data_sources,
                ephemeral_resource_schemas: fresh.ephemeral,
                ..Default::default()
            };
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/served-schemas.pb.gz");
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gz.write_all(&response.encode_to_vec()).expect("gzip");
            std::fs::write(path, gz.finish().expect("gzip")).expect("writing the answer");
            return;
        }
        panic!(
            "provider/data/served-schemas.pb.gz is stale: run CTSIM_REGENERATE_DATA=1 cargo test -p terraform-provider-aws the_embedded_answer"
        );
    }
}
