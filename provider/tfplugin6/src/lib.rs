//! Terraform plugin protocol v6 for ctsim's provider: the gRPC types
//! ([`proto`]), cty values ([`value`]), diagnostics ([`diag`]) and the
//! go-plugin server side ([`plugin`]: handshake, AutoMTLS, shutdown).

/// Protobuf/gRPC code generated from `proto/*.proto` by protox and tonic-prost-build and
/// checked in (`src/generated/`), so a build compiles no protobuf toolchain: that build
/// script and its dependencies were a sixth of a cold build. `tests/generated.rs`
/// regenerates it and fails when it differs from the .proto files
/// (`CTSIM_REGENERATE_DATA=1` rewrites it).
#[allow(clippy::all, missing_docs)]
pub mod proto {
    include!("generated/tfplugin6.rs");

    /// go-plugin's own services (controller, stdio, broker).
    pub mod plugin {
        include!("generated/plugin.rs");
    }

    /// The standard gRPC health service.
    pub mod health {
        include!("generated/grpc.health.v1.rs");
    }
}

pub mod diag;
mod p521;
pub mod plugin;
pub mod value;

pub use plugin::{ServeError, serve, serve_blocking};
/// The protobuf runtime the generated messages use (encoding them, e.g. to measure size).
pub use prost;
pub use value::{Type, Value, ValueError};
