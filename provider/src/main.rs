//! Started by Terraform, never by hand: performs the go-plugin handshake and serves the
//! provider until Terraform asks it to stop.

use std::process::ExitCode;

fn main() -> ExitCode {
    match tfplugin6::plugin::serve_blocking(ctsim_provider::ProviderServer::new()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("terraform-provider-aws (ctsim): {e}");
            ExitCode::FAILURE
        }
    }
}
