//! The protocol handlers end to end without sockets: signed requests in, AWS-shaped
//! answers out, and the recorded events.
