//! ctsim: a local, offline, deterministic AWS CloudTrail simulator.
