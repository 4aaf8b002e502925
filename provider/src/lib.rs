//! The Terraform provider (`terraform-provider-aws`): Terraform values <-> AWS-shaped
//! requests, served over the plugin protocol v6 against the ctsim simulator.

pub mod bench;
pub mod client;
pub mod config;
pub mod data_sources;
pub mod diagnostics;
pub mod http_client;
pub mod plan;
pub mod reference;
pub mod resources;
pub mod schema;
pub mod served_schemas;
pub mod server;
#[cfg(test)]
mod types_doc;
pub mod values;

pub use server::ProviderServer;

/// This crate's version, reported in the user agent of every call.
pub const PROVIDER_VERSION: &str = env!("CARGO_PKG_VERSION");
