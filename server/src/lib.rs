//! # shiming-server
//!
//! The reference backend of the shiming sync protocol (`docs/protocol.md`), in Rust: every
//! registration and consent receipt is checked again with the shiming core (natively, the same
//! rules the browser runs as wasm), stored on SQLite (WAL, the default) or PostgreSQL with the
//! personal data encrypted (AES-256-GCM) and uniqueness on a blind index (HMAC-SHA256), and
//! acknowledged only once the commit is durable.
//!
//! | module | concern |
//! |---|---|
//! | [`config`] | the command line and its environment variables |
//! | [`server`] | startup, the router, the accept loop (connection and header-time bounds) |
//! | [`api`] | the protocol's endpoints, the order of work, the pure checks |
//! | [`store`] | the database, the writer's group commits, deletion and tombstones |
//! | [`keys`] | the key file, encryption at rest, the blind index, account tokens |
//! | [`bundle`] | the agreement documents and the policy `GET /policy` publishes |
//! | [`limits`] | the per-client write rate limit and the `Host` allow-list |
//! | [`minors`] | a guardian's limits for an account, and the policy evaluated for an account |
//! | [`phone_codes`] | phone ownership by a one-time code (optional), and its confirmation at registration |
//! | [`sms`] | the pluggable SMS sender of those codes (`none`, or `file` for development and tests) |
//! | [`static_files`] | the demo's files, never outside their mounts |
//! | [`faults`] | seeded fault injection, for the tests of clients |
//! | [`verify`] | identity-verification providers: NPPA's 实名认证, a generic HTTPS service |
//! | [`verification`] | when a registration is verified, what it records, the verifier, sessions |
//! | [`lifecycle`] | freezing, the account audit, unused accounts |

pub mod api;
pub mod bundle;
pub mod config;
pub mod faults;
pub mod keys;
pub mod lifecycle;
pub mod limits;
pub mod minors;
pub mod phone_codes;
pub mod server;
pub mod sms;
pub mod static_files;
pub mod store;
pub mod verification;
pub mod verify;
