//! Terraform plugin protocol v6 for ctsim's provider: the gRPC types
//! ([`proto`]), cty values ([`value`]), diagnostics ([`diag`]) and the
//! go-plugin server side ([`plugin`]: handshake, AutoMTLS, shutdown).

/// Generated protobuf/gRPC code (compiled from `proto/*.proto` by build.rs).
#[allow(clippy::all, missing_docs)]
pub mod proto {
    tonic::include_proto!("tfplugin6");

    /// go-plugin's own services (controller, stdio, broker).
    pub mod plugin {
        tonic::include_proto!("plugin");
    }

    /// The standard gRPC health service.
    pub mod health {
        tonic::include_proto!("grpc.health.v1");
    }
}

pub mod diag;
pub mod plugin;
pub mod value;

pub use plugin::{ServeError, serve, serve_blocking};
/// The protobuf runtime the generated messages use (encoding them, e.g. to measure size).
pub use prost;
pub use value::{Type, Value, ValueError};
