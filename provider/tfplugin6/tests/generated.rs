//! The protobuf/gRPC code in src/generated/ is checked in so that building the provider
//! compiles no protobuf toolchain. This test compiles proto/*.proto again with protox (a
//! pure-Rust protobuf compiler, no `protoc`) and tonic-prost-build, exactly as the code was
//! made, and fails when the result differs; `CTSIM_REGENERATE_DATA=1` rewrites the files.

use std::fs;
use std::path::Path;

const PROTO_FILES: &[&str] = &[
    "proto/tfplugin6.proto",
    "proto/plugin.proto",
    "proto/health.proto",
];

/// One generated file per protobuf package.
const GENERATED: &[&str] = &["tfplugin6.rs", "plugin.rs", "grpc.health.v1.rs"];

#[test]
fn generated_code_is_what_the_proto_files_compile_to() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files: Vec<_> = PROTO_FILES.iter().map(|f| root.join(f)).collect();
    let fds = protox::compile(&files, [root.join("proto")]).expect("compiling proto/");
    let out = tempfile::tempdir().expect("temporary folder");
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        // Unimplemented-by-default RPCs let providers implement only what they serve.
        .generate_default_stubs(true)
        .out_dir(out.path())
        .compile_fds(fds)
        .expect("generating Rust code");

    let regenerate = std::env::var_os("CTSIM_REGENERATE_DATA").is_some();
    let mut stale = Vec::new();
    for name in GENERATED {
        let fresh = fs::read_to_string(out.path().join(name)).expect("generated file");
        let checked_in = root.join("src/generated").join(name);
        if fs::read_to_string(&checked_in).ok().as_deref() == Some(fresh.as_str()) {
            continue;
        }
        if regenerate {
            fs::write(&checked_in, fresh).expect("writing the generated code");
        } else {
            stale.push(*name);
        }
    }
    assert!(
        stale.is_empty(),
        "src/generated/{stale:?} differ from proto/: run CTSIM_REGENERATE_DATA=1 cargo test -p tfplugin6 --test generated"
    );
}
