//! A Rust client for the [Telnyx Programmable Fax API](https://developers.telnyx.com/docs/programmable-fax):
//! send faxes by URL or by upload, list, inspect, cancel and delete them,
//! manage fax applications, and verify the webhooks Telnyx sends about them.
//! This page is the user guide; every example on it is compiled, and those
//! that do not need an account run against the crate's test double.
//!
//! * [Setup](#setup)
//! * [Send a fax](#send-a-fax): by URL, by upload
//! * [List faxes](#list-faxes): filters, pages, every item
//! * [Errors and retries](#errors-and-retries)
//! * [Per-request options](#per-request-options)
//! * [Raw responses](#raw-responses)
//! * [Concurrent calls](#concurrent-calls): `Client` is cheap to clone
//! * [Blocking client](#blocking-client)
//! * [Testing your code](#testing-your-code): the test double
//! * [Webhooks](#webhooks)
//! * [Cargo features](#cargo-features)
//!
//! # Setup
//!
//! ```toml
//! [dependencies]
//! telnyx-fax = "0.1"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! [`Client::from_env`] reads the API key from `TELNYX_API_KEY` (and an
//! optional base URL from `TELNYX_BASE_URL`, default
//! `https://api.telnyx.com/v2`); [`Client::builder`] sets them and the
//! defaults of every request (timeout, retries, headers) in code.
//! `use telnyx_fax::prelude::*` brings the client, the models and the
//! stream helpers the examples below use.
//!
//! ```no_run
//! use std::time::Duration;
//! use telnyx_fax::prelude::*;
//!
//! #[tokio::main]
//! async fn main() -> telnyx_fax::Result<()> {
//!     let client = Client::from_env()?;
//!     // or: Client::builder().api_key("KEY...").timeout(Duration::from_secs(20)).max_retries(3).build()?
//!     let page = client.faxes().list().await?;
//!     println!("{} faxes on the first page", page.data.len());
//!     Ok(())
//! }
//! ```
//!
//! Methods follow the API's paths: `client.faxes()`, `client.faxes().actions()`,
//! `client.fax_applications()`. Each returns a [`Request`]: required
//! parameters are the method's arguments, optional ones are setters on the
//! request, and `.await` sends it. A request is lazy, so one that is never
//! awaited is never sent (the compiler warns about it).
//!
//! # Send a fax
//!
//! By URL: Telnyx fetches the document itself.
//!
//! ```
//! # use telnyx_fax::prelude::*;
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> telnyx_fax::Result<()> {
//! # let mock = telnyx_fax::testing::MockServer::start().await;
//! # let client = mock.client();
//! let sent = client
//!     .faxes()
//!     .create(
//!         SendFaxRequest::new("234423", "+13125790015", "+13127367276") // connection, from, to
//!             .media_url("https://example.com/invoice.pdf")
//!             .quality(Quality::High),
//!     )
//!     .await?;
//! // The response envelope reads through to its `data`: `sent.id` is `sent.data.id`.
//! println!("fax {} is {}", sent.id, sent.status);
//! let fax: Fax = sent.into_data(); // or `sent.data`
//! assert_eq!(fax.to, "+13127367276");
//! # Ok(()) }
//! ```
//!
//! By upload: attach the file to the same request with `contents`; the
//! request is then sent as `multipart/form-data`. [`FileUpload`] reads a
//! path (streamed from disk, not loaded in memory, and reopened for a
//! retry) or takes bytes.
//!
//! ```no_run
//! # use telnyx_fax::prelude::*;
//! # async fn run(client: Client) -> telnyx_fax::Result<()> {
//! let sent = client
//!     .faxes()
//!     .create(
//!         SendFaxRequest::new("234423", "+13125790015", "+13127367276")
//!             .contents(FileUpload::from_path("contract.pdf")),
//!     )
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! Progress (queued, media processed, sending, delivered or failed) arrives
//! by [webhook](#webhooks); `client.faxes().retrieve(id)` reads the current
//! state, `client.faxes().actions().cancel(id)` stops a fax still queued or
//! sending.
//!
//! # List faxes
//!
//! `list()` returns one page. Narrow it with the filter setters: by creation
//! time (`created_at` with `gt`, `gte`, `lt`, `lte`), `direction`, sender
//! (`from`) or recipient (`to`); a condition with one operator takes the
//! value itself (`.direction(Direction::Inbound)` sends
//! `filter[direction][eq]=inbound`), and `.filter(FaxesListFilter::new()..)`
//! sets them all at once. The API has **no filter on status**: filter the
//! items yourself (`fax.status`), as below. `page_number` and `page_size`
//! pick the page; [`into_stream`](Request::into_stream) goes through every
//! item of every page, asking for the next page when one runs out. A list
//! that cannot be walked to its end (the server repeats a page, or the page
//! cap of [`PageStream::max_pages`] is reached) ends with an
//! [`ErrorKind::Paging`] error, not a silent end.
//!
//! ```
//! # use telnyx_fax::prelude::*;
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mock = telnyx_fax::testing::MockServer::start().await;
//! # let client = mock.client();
//! // One page of inbound faxes received in 2024.
//! let page = client
//!     .faxes()
//!     .list()
//!     .direction(Direction::Inbound)
//!     // Sent with the offset given: filter[created_at][gte]=2024-01-01T00:00:00+01:00
//!     .created_at(FaxesListFilterCreatedAt::new().gte(chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00+01:00")?))
//!     .page_size(20)
//!     .await?;
//! println!("{} faxes, paging: {:?}", page.data.len(), page.meta);
//!
//! // Every fax, 50 per request; keep the failed ones (there is no status filter).
//! let mut faxes = client.faxes().list().page_size(50).into_stream();
//! while let Some(fax) = faxes.try_next().await? {
//!     if fax.status == FaxStatus::Failed {
//!         println!("{:?} to {:?} failed", fax.id, fax.to);
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! # Errors and retries
//!
//! Every call returns [`Result<T>`](Result), with one [`Error`] type whose
//! [`kind`](Error::kind) says what happened: an HTTP status (`is_not_found()`,
//! `is_rate_limited()`, `is_unprocessable_entity()`, ...) with Telnyx's
//! error document ([`Error::body`], [`Error::first_error`]), or a timeout, a
//! connection failure, a response that could not be decoded, an invalid
//! argument.
//!
//! Failed attempts are retried (2 retries by default) with exponential
//! backoff and jitter, honouring `Retry-After` up to 60 s (a longer wait
//! ends the call with the error), but never in a way that could repeat a
//! side effect ([`RetryPolicy::Safe`], the default):
//!
//! * failures where the server did not act (the connection could not be
//!   made, `429`, a `503` with `Retry-After`) are retried for every call;
//! * failures where it may have acted (a timeout or a lost connection after
//!   the request was sent, `408`, `409`, `5xx`) are retried for `GET`,
//!   `PUT`, `DELETE` and the other idempotent methods, and for a `POST` or
//!   `PATCH` only when it carries an idempotency key: a `create` that timed
//!   out may have sent the fax, and is not sent a second time.
//!
//! Give a call a key with [`Request::idempotency_key`] (the same key on
//! every attempt; an API whose document declares an `Idempotency-Key`
//! header gets a fresh one per call by itself).
//! [`ClientBuilder::retry_policy`] selects [`RetryPolicy::LikeOfficialSdks`]
//! (retry `POST`s too, as the official SDKs do) or [`RetryPolicy::Never`].
//! [`Error::is_retryable`] tells whether sending the same request again
//! may succeed. [`ClientBuilder::connect_timeout`] (10 s),
//! [`ClientBuilder::deadline`] (a budget for the whole call, retries
//! included) and [`ClientBuilder::max_response_bytes`] (32 MiB) bound the
//! time and memory a call can take; redirects are followed only within the
//! same origin, so credentials and bodies never go to another host.
//!
//! ```
//! # use telnyx_fax::prelude::*;
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> telnyx_fax::Result<()> {
//! # let mock = telnyx_fax::testing::MockServer::start().await;
//! # let client = mock.client();
//! // Retried after a timeout or a 5xx, and still sent at most once by a
//! // server that honours the key.
//! let sent = client
//!     .faxes()
//!     .create(SendFaxRequest::new("234423", "+13125790015", "+13127367276").media_url("https://example.com/a.pdf"))
//!     .idempotency_key("order-1234-fax")
//!     .await?;
//! # let _ = sent;
//! # Ok(()) }
//! ```
//!
//! ```
//! # use telnyx_fax::prelude::*;
//! # use telnyx_fax::testing::MockResponse;
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> telnyx_fax::Result<()> {
//! # let mock = telnyx_fax::testing::MockServer::start().await;
//! # mock.on("ViewFax").respond(MockResponse::api_error(404, "Not Found", "No resource with this identifier exists."));
//! # let client = mock.client();
//! match client.faxes().retrieve("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0").await {
//!     Ok(found) => println!("{:?}", found.data.status),
//!     Err(err) if err.is_not_found() => println!("no such fax"),
//!     Err(err) if err.is_rate_limited() => println!("still limited after the retries: {err}"),
//!     Err(err) => {
//!         // Status, Telnyx's error code and detail, and the request id for support.
//!         eprintln!("{:?} {:?} {:?}", err.status(), err.first_error(), err.request_id());
//!         return Err(err);
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! # Per-request options
//!
//! The client's defaults can be changed for one request: its timeout (of
//! each attempt), its retries, extra headers, and query or body fields this
//! version of the crate does not know yet.
//!
//! ```
//! # use telnyx_fax::prelude::*;
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> telnyx_fax::Result<()> {
//! # let mock = telnyx_fax::testing::MockServer::start().await;
//! # let client = mock.client();
//! use std::time::Duration;
//!
//! let fax = client
//!     .faxes()
//!     .retrieve("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0")
//!     .timeout(Duration::from_secs(5))
//!     .max_retries(0)
//!     .header("x-correlation-id", "order-1234")
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! # Raw responses
//!
//! [`send_with_response`](Request::send_with_response) gives the status and
//! headers along with the decoded body, in an [`ApiResponse`].
//!
//! ```
//! # use telnyx_fax::prelude::*;
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> telnyx_fax::Result<()> {
//! # let mock = telnyx_fax::testing::MockServer::start().await;
//! # let client = mock.client();
//! let response = client
//!     .faxes()
//!     .create(SendFaxRequest::new("234423", "+13125790015", "+13127367276").media_url("https://example.com/a.pdf"))
//!     .send_with_response()
//!     .await?;
//! assert_eq!(response.status.as_u16(), 202);
//! println!("request id {:?}, fax {:?}", response.request_id(), response.data.data.id);
//! # Ok(()) }
//! ```
//!
//! # Concurrent calls
//!
//! A [`Client`] is cheap to clone: clones share the configuration and the
//! connection pool. A request borrows its client, so a task spawned with
//! `tokio::spawn` takes a clone of its own.
//!
//! ```
//! # use telnyx_fax::prelude::*;
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mock = telnyx_fax::testing::MockServer::start().await;
//! # let client = mock.client();
//! let ids = ["0ccc7b54-4df3-4bca-a65a-3da1ecc777f0", "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e"];
//! let tasks: Vec<_> = ids
//!     .into_iter()
//!     .map(|id| {
//!         let client = client.clone();
//!         tokio::spawn(async move { client.faxes().retrieve(id).await })
//!     })
//!     .collect();
//! for task in tasks {
//!     let fax = task.await??.data;
//!     println!("{:?}: {:?}", fax.id, fax.status);
//! }
//! # Ok(()) }
//! ```
//!
//! # Blocking client
//!
//! With the `blocking` feature, `blocking::Client` has the same resources
//! and methods for code without an async runtime (scripts, CLIs): `.send()?`
//! sends a request, and a list request is an iterator over every item of
//! every page. Retries, timeouts and errors are the same. It runs a tokio
//! runtime of its own whose worker thread keeps its connections served, so
//! the async client it wraps (`as_async()`) can be used alongside it.
//!
//! ```no_run
//! # fn main() -> telnyx_fax::Result<()> {
//! use telnyx_fax::blocking::Client;
//! use telnyx_fax::types::SendFaxRequest;
//!
//! let client = Client::from_env()?;
//! let sent = client
//!     .faxes()
//!     .create(SendFaxRequest::new("234423", "+13125790015", "+13127367276").media_url("https://example.com/a.pdf"))
//!     .send()?;
//! for fax in client.faxes().list().page_size(50) {
//!     println!("{:?}", fax?.id);
//! }
//! # Ok(()) }
//! ```
//!
//! # Testing your code
//!
//! With the `testing` feature (in `[dev-dependencies]`), `testing::MockServer`
//! is a test double of the API on `127.0.0.1`: every operation answers with
//! the example response of the API's OpenAPI document, a test can change
//! any answer (status, body, headers, delay) and assert on the requests its
//! code sent. No network, no account.
//!
//! ```
//! use telnyx_fax::prelude::*;
//! use telnyx_fax::testing::{MockResponse, MockServer};
//!
//! /// The code under test: cancels a fax, tolerating one that is gone.
//! async fn cancel(client: &Client, id: &str) -> telnyx_fax::Result<bool> {
//!     match client.faxes().actions().cancel(id).await {
//!         Ok(_) => Ok(true),
//!         Err(err) if err.is_not_found() => Ok(false),
//!         Err(err) => Err(err),
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> telnyx_fax::Result<()> {
//! let mock = MockServer::start().await; // in a #[tokio::test]
//! let client = mock.client();
//! assert!(cancel(&client, "abc").await?);
//!
//! mock.on("CancelFax").respond(MockResponse::api_error(404, "Not Found", "gone"));
//! assert!(!cancel(&client, "abc").await?);
//!
//! let sent = mock.received("CancelFax");
//! assert_eq!(sent.len(), 2);
//! assert_eq!(sent[0].path, "/faxes/abc/actions/cancel");
//! # Ok(()) }
//! ```
//!
//! Operations are named by their `operationId`, shown in each method's
//! documentation (`SendFax`, `ListFaxes`, `ViewFax`, `CancelFax`, ...). An
//! example answer carries the id the path asked for (`retrieve("abc")`
//! returns a fax whose `id` is `"abc"`), and
//! [`pages`](testing::OperationMock::pages) scripts a list from typed
//! values:
//!
//! ```
//! # use telnyx_fax::prelude::*;
//! # use telnyx_fax::testing::MockServer;
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> telnyx_fax::Result<()> {
//! # let mock = MockServer::start().await;
//! # let client = mock.client();
//! let fax = client.faxes().retrieve("a").await?.into_data();
//! let failed = Fax { id: "b".into(), status: FaxStatus::Failed, ..fax.clone() };
//! mock.on("ListFaxes").pages(vec![vec![fax], vec![failed]]); // page 1, page 2
//! let all: Vec<Fax> = client.faxes().list().into_stream().try_collect().await?;
//! assert_eq!(all[1].status, FaxStatus::Failed);
//! # Ok(()) }
//! ```
//!
//! A webhook handler is tested with
//! [`WebhookSigner`](testing::WebhookSigner): it signs a body with a test
//! key in the API's scheme and gives the verifier that accepts it, so the
//! test needs no key material or crypto crate.
//!
//! # Webhooks
//!
//! Telnyx reports a fax's progress by POSTing events to your webhook URL,
//! signed with Ed25519 over `"{telnyx-timestamp}|{raw body}"`. A
//! [`webhooks::WebhookVerifier`] checks the signature and the timestamp and
//! parses the event into [`types::WebhookEvent`]; it needs the account's
//! public key (`TELNYX_PUBLIC_KEY`), not the API key. Give it the body
//! bytes exactly as received.
//!
//! ```no_run
//! use telnyx_fax::types::WebhookEvent;
//! use telnyx_fax::webhooks::WebhookVerifier;
//!
//! fn on_webhook(verifier: &WebhookVerifier, body: &[u8], headers: &http::HeaderMap) -> u16 {
//!     match verifier.unwrap(body, headers) {
//!         Ok(WebhookEvent::FaxDelivered(event)) => {
//!             println!("delivered: {:?}", event.data.payload.fax_id);
//!             200
//!         }
//!         Ok(WebhookEvent::FaxFailed(event)) => {
//!             println!("failed: {:?}", event.data.payload.failure_reason);
//!             200
//!         }
//!         Ok(other) => {
//!             println!("{}", other.event_type());
//!             200
//!         }
//!         Err(err) => {
//!             eprintln!("rejected: {err}"); // bad signature, stale timestamp, ...
//!             400
//!         }
//!     }
//! }
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let verifier = WebhookVerifier::from_env()?;
//! # Ok(()) }
//! ```
//!
//! A complete receiver with axum is in the crate's `examples/webhook_receiver.rs`.
//!
//! # Cargo features
//!
//! | feature | what it adds |
//! | --- | --- |
//! | `blocking` | `blocking::Client`: the same API without async |
//! | `testing` | `testing`: the test double, for your tests |
//!
//! The models in [`types`] and the resource handles in [`resources`] are
//! generated from the API's OpenAPI document; the client, errors, paging,
//! uploads and webhook verification are the crate's runtime.

#![warn(missing_docs)]
#![forbid(unsafe_code)]
// docs.rs (`--cfg docsrs`, see Cargo.toml) marks feature-gated items with
// their feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod auth;
#[cfg(feature = "cli")]
pub mod cli;
mod client;
mod error;
#[cfg(feature = "mcp")]
#[cfg_attr(docsrs, doc(cfg(feature = "mcp")))]
pub mod mcp;
pub mod multipart;
mod pagination;
mod query;
mod request;
mod retry;
pub mod webhooks;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

mod generated;

pub use auth::{Scheme, SchemeKind};
pub use client::{Client, ClientBuilder};
pub use error::{ApiErrorBody, ApiErrorDetail, ApiErrorSource, Error, ErrorKind, Result};
pub use multipart::FileUpload;
pub use pagination::{NextPage, Page, PageInfo, PageStream};
pub use request::{ApiResponse, ClientMode, Request};
pub use retry::RetryPolicy;

/// The [`http`](https://docs.rs/http) crate this one is built on, so a
/// webhook handler can name `telnyx_fax::http::HeaderMap` without a
/// dependency of its own (at a version that must match).
pub use http;

/// What a program using the client usually needs, in one import:
/// `use telnyx_fax::prelude::*;` brings [`Client`], [`FileUpload`],
/// [`Error`], [`ErrorKind`], [`Result`] (whose error type defaults to
/// [`Error`], so `Result<(), Box<dyn std::error::Error>>` still works), every
/// model in [`types`], and the
/// `futures` stream traits (unnamed) that give `into_stream()`'s stream its
/// `.try_next()`, `.next()` and `.try_collect()`.
pub mod prelude {
    pub use crate::types::*;
    pub use crate::{ApiResponse, Client, Error, ErrorKind, FileUpload, Result};
    pub use futures_util::{StreamExt as _, TryStreamExt as _};
}
pub use __rt::{Const, Tag};

/// This crate's identity and settings, generated from the OpenAPI document
/// and its crate config: environment variables, default base URL,
/// `User-Agent` token, security schemes, webhook scheme, error body type.
pub mod config {
    pub use crate::generated::config::*;
}

/// Models (structs and enums) generated from the spec's schemas.
pub mod types {
    #[allow(unused_imports)] // a spec without schemas has no types
    pub use crate::generated::types::*;
    pub use crate::generated::webhooks::WebhookEvent;
}

/// One handle per API resource, reached from a method of [`Client`] named
/// after the resource's path.
pub mod resources {
    #[allow(unused_imports)] // a spec without operations has no resources
    pub use crate::generated::resources::*;
}

/// The README's examples are compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Support code the generated models refer to (`rt.rs`). Not part of the
/// public API, except [`Const`] and [`Tag`], re-exported at the root.
#[doc(hidden)]
#[path = "rt.rs"]
pub mod __rt;
