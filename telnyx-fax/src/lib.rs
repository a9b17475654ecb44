//! # telnyx-fax
//!
//! A Rust client for the [Telnyx Programmable Fax API](https://developers.telnyx.com):
//! send and manage faxes and fax applications, and verify and parse fax webhooks.
//!
//! ```no_run
//! # async fn run() -> telnyx_fax::Result<()> {
//! use telnyx_fax::{types::SendFaxRequest, Client};
//!
//! let client = Client::from_env()?; // TELNYX_API_KEY, optional TELNYX_BASE_URL
//! let sent = client
//!     .faxes()
//!     .create(SendFaxRequest::new("234423", "+13125790015", "+13127367276")
//!         .media_url("https://example.com/doc.pdf"))
//!     .await?;
//! println!("{:?}", sent.data);
//! # Ok(()) }
//! ```
//!
//! The crate has two layers:
//!
//! * a hand-written runtime (this file's siblings): [`Client`], [`Request`],
//!   [`Error`], pagination, multipart upload, webhook verification;
//! * code generated from the OpenAPI document by `cargo xtask generate`
//!   (`src/generated/`): the models in [`types`], one handle per API resource in
//!   [`resources`], and the typed webhook events.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod client;
mod error;
pub mod multipart;
mod pagination;
mod query;
mod request;
pub mod webhooks;
#[cfg(feature = "testing")]
pub mod testing;

mod generated;

pub use client::{Client, ClientBuilder};
pub use error::{ApiErrorBody, ApiErrorDetail, ApiErrorSource, Error, ErrorKind, Result};
pub use multipart::FileUpload;
pub use pagination::{Page, PageStream};
pub use request::{ApiResponse, Request};

/// Models (structs and enums) generated from the spec's schemas.
pub mod types {
    pub use crate::generated::types::*;
    pub use crate::generated::webhooks::WebhookEvent;
}

/// One handle per API resource, reached from [`Client`] (`client.faxes()`, ...).
pub mod resources {
    #[allow(unused_imports)] // a spec without operations has no resources
    pub use crate::generated::resources::*;
}

/// The README's examples are compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Support code the generated models refer to. Not part of the public API.
#[doc(hidden)]
pub mod __rt {
    /// `Option<Option<T>>` for optional, nullable fields: absent is `None`,
    /// an explicit `null` is `Some(None)`, a value is `Some(Some(v))`.
    pub mod double_option {
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        /// Serializes the inner option (`None` becomes `null`); pair with
        /// `skip_serializing_if = "Option::is_none"` so absent stays absent.
        pub fn serialize<T: Serialize, S: Serializer>(
            value: &Option<Option<T>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(inner) => inner.serialize(serializer),
                None => serializer.serialize_none(),
            }
        }

        /// A present key always yields `Some`: `Some(None)` for `null`.
        pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Option<T>>, D::Error> {
            Option::<T>::deserialize(deserializer).map(Some)
        }
    }
}
