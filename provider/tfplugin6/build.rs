//! Compiles our .proto files with pure-Rust tooling (protox + tonic-prost-build)
//! so no `protoc` binary is needed on the build machine.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = [
        "proto/tfplugin6.proto",
        "proto/plugin.proto",
        "proto/health.proto",
    ];
    for f in files {
        println!("cargo:rerun-if-changed={f}");
    }
    let fds = protox::compile(files, ["proto"])?;
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        // Unimplemented-by-default RPCs let providers implement only what they serve.
        .generate_default_stubs(true)
        .compile_fds(fds)?;
    Ok(())
}
