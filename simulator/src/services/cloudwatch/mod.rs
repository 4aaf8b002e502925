//! Amazon CloudWatch (regional): metrics and alarms.
