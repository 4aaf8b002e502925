//! The Terraform provider: Terraform values <-> AWS-shaped requests.
