//! The `ctsim` executable: the command line (`ctsim::cli`) and the Terraform provider in one
//! binary, so a single `cargo build` makes everything `ctsim demo` and the tests run.
//!
//! `ctsim terraform setup` links the mirror's `terraform-provider-aws_v<VERSION>` entries to
//! this executable; started under such a name (by Terraform, never by hand) it performs the
//! go-plugin handshake and serves the provider until Terraform asks it to stop. `ctsim
//! provider` does the same under any name, and `ctsim provider bench-schema` is `ctsim bench
//! schema`'s measurement. Anything else is the command line.

use std::ffi::OsString;
use std::process::ExitCode;

use ctsim::cli::terraform::started_as_provider;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    match started_as_provider(&args) {
        Some(provider_args) => provider(provider_args),
        None => ctsim::cli::main(),
    }
}

fn provider(args: &[OsString]) -> ExitCode {
    let result = match args {
        [] => tfplugin6::plugin::serve_blocking(ctsim_provider::ProviderServer::new())
            .map_err(|e| e.to_string()),
        [arg] if arg == "bench-schema" => ctsim_provider::bench::run(),
        _ => Err(format!(
            "unexpected arguments {args:?}: the provider takes none when Terraform starts it, \
             or `bench-schema`"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("terraform-provider-aws (ctsim): {e}");
            ExitCode::FAILURE
        }
    }
}
