//! ctsim: a local, offline, deterministic AWS CloudTrail simulator.
//!
//! Layers, from the bottom: [`clock`] (every timestamp), [`store`] (SQLite, the one place
//! that owns SQL), [`services`] (AWS-shaped operations returning AWS errors), [`events`]
//! (CloudTrail records of every call and their history), and the [`Simulator`] facade.

pub mod cli;
pub mod clock;
pub mod compliance;
pub mod console;
pub mod context;
pub mod error;
pub mod events;
pub mod faults;
pub mod generate;
pub mod ids;
pub mod pipeline;
pub mod plan;
pub mod policy;
pub mod reference;
pub mod server;
pub mod services;
pub mod settings;
pub mod simulator;
pub mod store;
#[doc(hidden)]
pub mod testing;

#[cfg(test)]
mod fuzz;

pub use clock::Clock;
pub use context::{CallerContext, Principal, TlsDetails};
pub use error::{AwsError, StoreError};
pub use services::cloudtrail;
pub use simulator::{AppendStats, Invocation, Simulator};
