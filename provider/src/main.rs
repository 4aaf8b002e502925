//! Started by Terraform, never by hand: performs the go-plugin handshake and serves the
//! provider until Terraform asks it to stop. (`bench-schema` is `ctsim bench schema`'s.)

use std::process::ExitCode;

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("bench-schema") {
        return match ctsim_provider::bench::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("terraform-provider-aws bench-schema: {e}");
                ExitCode::FAILURE
            }
        };
    }
    match tfplugin6::plugin::serve_blocking(ctsim_provider::ProviderServer::new()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("terraform-provider-aws (ctsim): {e}");
            ExitCode::FAILURE
        }
    }
}
