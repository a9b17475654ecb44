//! The client's integration tests, one module per concern, in one test
//! binary: each binary links the runtime, tokio, reqwest and wiremock and
//! instantiates their generic code anew, so eleven binaries cost CI about
//! eleven times that build and link (issue 13). Tests that change
//! process-wide state stay in binaries of their own: `runtime_env.rs`
//! (environment variables), `runtime_tracing.rs` (tracing's per-callsite
//! interest cache), `webhooks.rs` (the public key variable) and
//! `call_shapes.rs` (the current directory).

mod blocking;
mod faults;
mod generated_client;
mod prism;
mod runtime_bodies;
mod runtime_edges;
mod runtime_multipart;
mod runtime_pagination;
mod runtime_requests;
mod runtime_retries;
mod spec_examples;
mod test_double;
mod wire;
