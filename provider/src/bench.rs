//! `ctsim provider bench-schema`: how long a fresh provider process takes to answer
//! GetProviderSchema (build every served schema from the embedded dump and encode the
//! protobuf answer), against a floor measured in the same process: decompressing the dump
//! and parsing it as plain JSON, the least any answer built from it must cost. Run by
//! `ctsim bench schema`, which starts several processes (the first call of a process is
//! the one Terraform waits for).

use std::time::Instant;

use tfplugin6::prost::Message;

use crate::ProviderServer;

/// Prints one JSON line: cold answer, a second (warm) answer and the floor, in milliseconds.
pub fn run() -> Result<(), String> {
    // As the provider's main does: the server first (which starts decoding the answer on
    // another thread while it indexes the dump), then the answer.
    let start = Instant::now();
    let server = ProviderServer::new();
    let built_at = start.elapsed();
    let response = server.schema_response();
    let converted_at = start.elapsed();
    let bytes = response.encode_to_vec();
    let cold = start.elapsed();
    if std::env::var_os("CTSIM_BENCH_DETAIL").is_some() {
        eprintln!(
            "server (index the dump, build the simulated schemas) {:?}, answer ready {:?}, encode {:?}",
            built_at,
            converted_at - built_at,
            cold - converted_at
        );
    }

    let start = Instant::now();
    let again = server.schema_response().encode_to_vec();
    let warm = start.elapsed();

    let start = Instant::now();
    let mut text = String::new();
    ctsim::reference::decompress_dump(&mut text).map_err(|e| e.to_string())?;
    let parsed: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let floor = start.elapsed();
    std::hint::black_box(parsed);

    println!(
        "{{\"cold_ms\": {:.3}, \"warm_ms\": {:.3}, \"floor_ms\": {:.3}, \"bytes\": {}, \"types\": {}}}",
        cold.as_secs_f64() * 1e3,
        warm.as_secs_f64() * 1e3,
        floor.as_secs_f64() * 1e3,
        bytes.len().max(again.len()),
        server.resources().count() + server.data_sources().count(),
    );
    Ok(())
}
