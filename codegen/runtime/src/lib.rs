//! # my-api
//!
//! The runtime every generated crate carries (this is its neutral home in
//! the generator, `codegen/runtime/`). The generator replaces these crate
//! docs with the crate's own (`About::docs`), renames `my_api` to the
//! crate, and rewrites the fenced `<!-- example: NAME -->` regions with
//! the API's own operations.
//!
//! To change the runtime, edit it here, then run `cargo xtask generate`,
//! which writes its copy into this workspace's crate (a hand edit there is
//! overwritten by the next run and reported by `--check`).

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
/// webhook handler can name `my_api::http::HeaderMap` without a
/// dependency of its own (at a version that must match).
pub use http;

/// What a program using the client usually needs, in one import:
/// `use my_api::prelude::*;` brings [`Client`], [`FileUpload`],
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
