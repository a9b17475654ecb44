//! Verification and parsing of webhooks, with the signature scheme the API
//! uses ([`WebhookVerifier`], chosen in the crate config):
//!
//! * [`Ed25519Verifier`]: an Ed25519 signature over the value of the
//!   [`TIMESTAMP_HEADER`] header (unix seconds, ASCII digits), a `|`, then
//!   the raw request body **exactly as received**, in [`SIGNATURE_HEADER`]
//!   (base64 of the 64-byte signature), checked with the account's public key
//!   (base64 of the 32-byte key);
//! * [`StandardWebhooksVerifier`]: [Standard Webhooks](https://www.standardwebhooks.com):
//!   HMAC-SHA256 with a `whsec_` secret over `"{webhook-id}.{webhook-timestamp}.{body}"`,
//!   in `webhook-signature` (`v1,<base64>`, several space-separated signatures
//!   allowed, for secret rotation).
//!
//! A webhook whose timestamp is more than [`DEFAULT_TOLERANCE`] (300 seconds) away
//! from the current time, in either direction, is rejected to limit replays.
//!
//! A verifier is fully usable on its own: a webhook receiver does not need
//! an API key or a [`Client`](crate::Client).
//!
//! ```
//! use my_api::webhooks::{Ed25519Verifier, WebhookErrorKind};
//!
//! # fn handle(body: &[u8], headers: &http::HeaderMap) -> Result<(), my_api::webhooks::WebhookError> {
//! // Usually `WebhookVerifier::from_env()?`, which reads the key from the
//! // environment variable named in `my_api::config`.
//! let verifier = Ed25519Verifier::new("A32TlozXUC7oOlNpQeo6nYBYvNJyUpUrezXjpT8d/hk=")?;
//!
//! // `body` must be the raw bytes of the request body, before any JSON parsing.
//! let event = verifier.unwrap(body, headers)?;
//! println!("{event:?}");
//! # Ok(()) }
//! # let err = handle(b"{}", &http::HeaderMap::new()).unwrap_err();
//! # assert_eq!(err.kind(), WebhookErrorKind::MissingHeader);
//! ```
//!
//! Always hand the verifier the body bytes as they arrived on the wire: parsing
//! the JSON and serialising it again changes whitespace or key order and makes
//! every signature check fail.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasher, Hash};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::{Signature, VerifyingKey};
use serde::de::DeserializeOwned;

use crate::types::WebhookEvent;

mod standard;

pub use crate::generated::config::WebhookVerifier;
pub use standard::{
    StandardWebhooksVerifier, MAX_SIGNATURE_ENTRIES, WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER,
};

// Re-exported (not `const X = config::Y`) so the documentation shows each
// value, which comes from the crate config.
/// Name of the header that carries the base64 Ed25519 signature
/// ([`Ed25519Verifier`]).
pub use crate::generated::config::ED25519_SIGNATURE_HEADER as SIGNATURE_HEADER;

/// Name of the header that carries the unix timestamp (seconds) the Ed25519
/// signature covers.
pub use crate::generated::config::ED25519_TIMESTAMP_HEADER as TIMESTAMP_HEADER;

/// Name of the environment variable [`Ed25519Verifier::from_env`] reads the
/// base64 public key from.
pub use crate::generated::config::ED25519_PUBLIC_KEY_ENV as PUBLIC_KEY_ENV;

/// Name of the environment variable [`StandardWebhooksVerifier::from_env`]
/// reads the `whsec_` secret from.
pub use crate::generated::config::WEBHOOK_SECRET_ENV as SECRET_ENV;

/// How far the webhook timestamp may be from the current time, in either
/// direction, before a webhook is rejected: 300 seconds.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// Length in bytes of an Ed25519 signature.
const SIGNATURE_LEN: usize = 64;

/// Length in bytes of a raw Ed25519 public key.
const PUBLIC_KEY_LEN: usize = 32;

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// What went wrong while verifying or parsing a webhook; see [`WebhookError::kind`].
///
/// New kinds may be added in minor releases, so `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WebhookErrorKind {
    /// No public key is configured: the environment variable
    /// [`PUBLIC_KEY_ENV`] is unset or empty.
    MissingPublicKey,
    /// The configured public key is not valid: not standard base64, not
    /// 32 bytes once decoded, or not a valid Ed25519 point.
    InvalidPublicKey,
    /// A required header is absent; [`WebhookError::header`] names it.
    MissingHeader,
    /// The signature header is not valid standard base64.
    InvalidSignatureEncoding,
    /// The Ed25519 signature header decodes to something other than
    /// 64 bytes.
    InvalidSignatureLength,
    /// The timestamp header is not a non-negative integer number of
    /// seconds made of ASCII digits (for example `""`, `"abc"`,
    /// `"1700000000.0"`, or a value that does not fit in 64 bits).
    InvalidTimestamp,
    /// The timestamp is older than the tolerance allows (possible replay).
    TimestampTooOld,
    /// The timestamp is further in the future than the tolerance allows.
    TimestampInFuture,
    /// The signature does not match the timestamp and body under the public
    /// key: the body or timestamp was altered, the body is not the raw bytes
    /// received, or it was signed with another key.
    SignatureMismatch,
    /// The signature is valid but the body could not be parsed into the
    /// requested type (not JSON, or not a known shape).
    Parse,
    /// No webhook secret is configured: the environment variable
    /// [`SECRET_ENV`] is unset or empty (Standard Webhooks).
    MissingSecret,
    /// The configured secret is not `whsec_` followed by base64.
    InvalidSecret,
    /// The Standard Webhooks `webhook-signature` header holds more entries
    /// than [`MAX_SIGNATURE_ENTRIES`] (a sender lists one per
    /// active secret); refused unread so that verification work stays bounded.
    TooManySignatures,
}

impl WebhookErrorKind {
    fn describe(self) -> &'static str {
        match self {
            Self::MissingPublicKey => "no webhook public key configured",
            Self::InvalidPublicKey => "invalid webhook public key",
            Self::MissingHeader => "missing webhook header",
            Self::InvalidSignatureEncoding => "webhook signature is not valid base64",
            Self::InvalidSignatureLength => "webhook signature has the wrong length",
            Self::InvalidTimestamp => "webhook timestamp is not a unix time in seconds",
            Self::TimestampTooOld => "webhook timestamp is too old",
            Self::TimestampInFuture => "webhook timestamp is too far in the future",
            Self::SignatureMismatch => "webhook signature does not match",
            Self::Parse => "webhook body could not be parsed",
            Self::MissingSecret => "no webhook secret configured",
            Self::InvalidSecret => "invalid webhook secret",
            Self::TooManySignatures => "webhook signature header has too many entries",
        }
    }
}

impl fmt::Display for WebhookErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// An error from verifying or parsing a webhook.
///
/// Match on [`kind`](Self::kind) to tell the cases apart; the
/// [`Display`](fmt::Display) text explains the problem in words (it never
/// repeats secret material; it may quote lengths and the header name).
#[derive(Debug)]
pub struct WebhookError {
    kind: WebhookErrorKind,
    header: Option<&'static str>,
    skew_secs: Option<i128>,
    detail: Option<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl WebhookError {
    fn new(kind: WebhookErrorKind) -> Self {
        Self {
            kind,
            header: None,
            skew_secs: None,
            detail: None,
            source: None,
        }
    }

    fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    fn missing_header(name: &'static str) -> Self {
        let mut e = Self::new(WebhookErrorKind::MissingHeader);
        e.header = Some(name);
        e
    }

    /// The kind of failure.
    #[must_use]
    pub fn kind(&self) -> WebhookErrorKind {
        self.kind
    }

    /// For [`WebhookErrorKind::MissingHeader`]: the (lowercase) name of the
    /// missing header, [`SIGNATURE_HEADER`] or [`TIMESTAMP_HEADER`].
    #[must_use]
    pub fn header(&self) -> Option<&'static str> {
        self.header
    }

    /// For [`WebhookErrorKind::TimestampTooOld`] and
    /// [`WebhookErrorKind::TimestampInFuture`]: the age of the webhook in
    /// seconds, `now - timestamp` (negative when the timestamp is in the future).
    #[must_use]
    pub fn timestamp_skew_secs(&self) -> Option<i128> {
        self.skew_secs
    }

    /// `true` for [`WebhookErrorKind::TimestampTooOld`] and
    /// [`WebhookErrorKind::TimestampInFuture`].
    #[must_use]
    pub fn is_timestamp_out_of_tolerance(&self) -> bool {
        matches!(
            self.kind,
            WebhookErrorKind::TimestampTooOld | WebhookErrorKind::TimestampInFuture
        )
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.describe())?;
        if let Some(header) = self.header {
            write!(f, ": `{header}`")?;
        }
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

// ---------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------

/// Read access to the HTTP headers of a webhook request.
///
/// Implemented for [`http::HeaderMap`](https://docs.rs/http/1/http/header/struct.HeaderMap.html) (what axum, hyper, reqwest and other
/// `http` 1.x based frameworks use) and for collections of string pairs:
/// slices and arrays of `(K, V)`, `Vec<(K, V)>`, `HashMap<K, V>` and
/// `BTreeMap<K, V>` where `K` and `V` are `AsRef<str>` (`&str`, `String`, ...).
/// It is implemented for references to all of those too, so both
/// `verify(body, &headers)` and `verify(body, headers)` work.
///
/// ```
/// use my_api::webhooks::WebhookHeaders;
/// let pairs = [("Webhook-Timestamp", "1700000000")];
/// assert_eq!(pairs.header("webhook-timestamp"), Some(&b"1700000000"[..]));
/// ```
///
/// Implement it for your framework's header type if it is not one of these.
pub trait WebhookHeaders {
    /// The raw value of the first header called `name`, compared ignoring
    /// ASCII case, or `None` if there is no such header.
    ///
    /// `name` is always given in lowercase.
    fn header(&self, name: &str) -> Option<&[u8]>;
}

impl<T: WebhookHeaders + ?Sized> WebhookHeaders for &T {
    fn header(&self, name: &str) -> Option<&[u8]> {
        (**self).header(name)
    }
}

impl WebhookHeaders for http::HeaderMap {
    fn header(&self, name: &str) -> Option<&[u8]> {
        // `HeaderMap::get` with a `&str` key matches case-insensitively; an
        // invalid header name simply finds nothing.
        self.get(name).map(http::HeaderValue::as_bytes)
    }
}

fn find_in_pairs<'a, K, V, I>(pairs: I, name: &str) -> Option<&'a [u8]>
where
    I: IntoIterator<Item = (&'a K, &'a V)>,
    K: AsRef<str> + ?Sized + 'a,
    V: AsRef<str> + ?Sized + 'a,
{
    pairs
        .into_iter()
        .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_ref().as_bytes())
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for [(K, V)] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        find_in_pairs(self.iter().map(|(k, v)| (k, v)), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> WebhookHeaders for [(K, V); N] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header(name)
    }
}

impl<K, V, S> WebhookHeaders for HashMap<K, V, S>
where
    K: AsRef<str> + Eq + Hash + Borrow<str>,
    V: AsRef<str>,
    S: BuildHasher,
{
    fn header(&self, name: &str) -> Option<&[u8]> {
        // Fast path for the usual lowercase keys, then a case-insensitive scan.
        match self.get(name) {
            Some(v) => Some(v.as_ref().as_bytes()),
            None => find_in_pairs(self.iter(), name),
        }
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for BTreeMap<K, V> {
    fn header(&self, name: &str) -> Option<&[u8]> {
        find_in_pairs(self.iter(), name)
    }
}

// ---------------------------------------------------------------------------
// Verifier
// ---------------------------------------------------------------------------

type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync + 'static>;

/// Verifies the Ed25519 signature and timestamp of webhooks, and parses
/// verified bodies.
///
/// Cheap to clone (the clock is shared); build one at start-up and share it.
///
/// ```
/// use std::time::Duration;
/// use my_api::webhooks::Ed25519Verifier;
///
/// let verifier = Ed25519Verifier::new("A32TlozXUC7oOlNpQeo6nYBYvNJyUpUrezXjpT8d/hk=")?
///     .with_tolerance(Duration::from_secs(120));
/// # Ok::<(), my_api::webhooks::WebhookError>(())
/// ```
#[derive(Clone)]
pub struct Ed25519Verifier {
    key: VerifyingKey,
    tolerance: Duration,
    clock: Option<Clock>,
}

impl fmt::Debug for Ed25519Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Named as users of one scheme know it (`WebhookVerifier`).
        f.debug_struct("WebhookVerifier")
            .field("scheme", &"ed25519")
            .field("public_key", &self.public_key_base64())
            .field("tolerance", &self.tolerance)
            .field(
                "clock",
                &if self.clock.is_some() {
                    "custom"
                } else {
                    "system"
                },
            )
            .finish()
    }
}

impl Ed25519Verifier {
    /// Creates a verifier from the base64 (standard alphabet, padded) encoding
    /// of the raw 32-byte Ed25519 public key, as the API's portal shows it.
    /// Surrounding whitespace is ignored.
    ///
    /// # Errors
    ///
    /// [`WebhookErrorKind::MissingPublicKey`] for an empty string;
    /// [`WebhookErrorKind::InvalidPublicKey`] if it is not valid base64, not
    /// 32 bytes, or not a valid Ed25519 public key.
    pub fn new(public_key_base64: &str) -> Result<Self, WebhookError> {
        let trimmed = public_key_base64.trim();
        if trimmed.is_empty() {
            return Err(WebhookError::new(WebhookErrorKind::MissingPublicKey)
                .with_detail("the public key is empty"));
        }
        let bytes = STANDARD.decode(trimmed).map_err(|e| {
            WebhookError::new(WebhookErrorKind::InvalidPublicKey)
                .with_detail("not valid standard base64")
                .with_source(e)
        })?;
        let bytes: [u8; PUBLIC_KEY_LEN] = bytes.as_slice().try_into().map_err(|_| {
            WebhookError::new(WebhookErrorKind::InvalidPublicKey).with_detail(format!(
                "expected {PUBLIC_KEY_LEN} bytes once decoded, got {}",
                bytes.len()
            ))
        })?;
        Self::from_public_key_bytes(bytes)
    }

    /// Creates a verifier from the base64 public key in the environment
    /// variable [`PUBLIC_KEY_ENV`].
    ///
    /// # Errors
    ///
    /// [`WebhookErrorKind::MissingPublicKey`] if the variable is unset or
    /// empty; otherwise as [`new`](Self::new).
    pub fn from_env() -> Result<Self, WebhookError> {
        match std::env::var(PUBLIC_KEY_ENV) {
            Ok(value) if !value.trim().is_empty() => Self::new(&value),
            Ok(_) | Err(std::env::VarError::NotPresent) => {
                Err(WebhookError::new(WebhookErrorKind::MissingPublicKey)
                    .with_detail(format!("set the {PUBLIC_KEY_ENV} environment variable")))
            }
            Err(e @ std::env::VarError::NotUnicode(_)) => {
                Err(WebhookError::new(WebhookErrorKind::InvalidPublicKey)
                    .with_detail(format!("{PUBLIC_KEY_ENV} is not valid unicode"))
                    .with_source(e))
            }
        }
    }

    /// Creates a verifier from the raw 32 bytes of an Ed25519 public key.
    ///
    /// # Errors
    ///
    /// [`WebhookErrorKind::InvalidPublicKey`] if the bytes are not a valid
    /// Ed25519 point.
    pub fn from_public_key_bytes(public_key: [u8; 32]) -> Result<Self, WebhookError> {
        let key = VerifyingKey::from_bytes(&public_key).map_err(|e| {
            WebhookError::new(WebhookErrorKind::InvalidPublicKey)
                .with_detail("not a valid Ed25519 public key")
                .with_source(e)
        })?;
        Ok(Self {
            key,
            tolerance: DEFAULT_TOLERANCE,
            clock: None,
        })
    }

    /// Sets how far the webhook's timestamp may be from now, in either
    /// direction (default [`DEFAULT_TOLERANCE`], 300 s). Only whole seconds
    /// count; a timestamp exactly `tolerance` away is accepted.
    #[must_use]
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Replaces the clock used for the timestamp check (default
    /// [`SystemTime::now`]). Meant for tests.
    #[must_use]
    pub fn with_clock<F>(mut self, clock: F) -> Self
    where
        F: Fn() -> SystemTime + Send + Sync + 'static,
    {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// The configured tolerance.
    #[must_use]
    pub fn tolerance(&self) -> Duration {
        self.tolerance
    }

    /// The raw 32 bytes of the public key.
    #[must_use]
    pub fn public_key_bytes(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// The public key in standard base64, as accepted by [`new`](Self::new).
    #[must_use]
    pub fn public_key_base64(&self) -> String {
        STANDARD.encode(self.key.as_bytes())
    }

    fn now(&self) -> SystemTime {
        match &self.clock {
            Some(clock) => clock(),
            None => SystemTime::now(),
        }
    }

    /// Checks that `body` was signed by the API: both headers are present and
    /// well formed, the timestamp is within the tolerance of now, and the
    /// signature over `"{timestamp}|{body}"` verifies under the public key
    /// (strict Ed25519 verification). Does not look at the body's content.
    ///
    /// `body` must be the raw request body, byte for byte as received.
    /// Header names are matched ignoring ASCII case.
    ///
    /// # Errors
    ///
    /// The checks run in this order and the first failure is returned:
    ///
    /// 1. [`MissingHeader`](WebhookErrorKind::MissingHeader): no
    ///    [`SIGNATURE_HEADER`], then no [`TIMESTAMP_HEADER`]
    ///    ([`WebhookError::header`] says which);
    /// 2. [`InvalidSignatureEncoding`](WebhookErrorKind::InvalidSignatureEncoding),
    ///    then [`InvalidSignatureLength`](WebhookErrorKind::InvalidSignatureLength);
    /// 3. [`InvalidTimestamp`](WebhookErrorKind::InvalidTimestamp);
    /// 4. [`TimestampTooOld`](WebhookErrorKind::TimestampTooOld) or
    ///    [`TimestampInFuture`](WebhookErrorKind::TimestampInFuture);
    /// 5. [`SignatureMismatch`](WebhookErrorKind::SignatureMismatch).
    pub fn verify(&self, body: &[u8], headers: impl WebhookHeaders) -> Result<(), WebhookError> {
        let signature = headers
            .header(SIGNATURE_HEADER)
            .ok_or_else(|| WebhookError::missing_header(SIGNATURE_HEADER))?;
        let timestamp = headers
            .header(TIMESTAMP_HEADER)
            .ok_or_else(|| WebhookError::missing_header(TIMESTAMP_HEADER))?;
        let signature = trim_ows(signature);
        let timestamp = trim_ows(timestamp);

        let signature = decode_signature(signature)?;
        let seconds = parse_timestamp(timestamp, TIMESTAMP_HEADER)?;
        check_tolerance(self.now(), self.tolerance, seconds)?;

        let mut message = Vec::with_capacity(timestamp.len() + 1 + body.len());
        message.extend_from_slice(timestamp);
        message.push(b'|');
        message.extend_from_slice(body);

        self.key.verify_strict(&message, &signature).map_err(|_| {
            WebhookError::new(WebhookErrorKind::SignatureMismatch).with_detail(
                "the body or timestamp was altered, the body is not the raw bytes received, \
                 or the public key is not the one the webhook was signed with",
            )
        })
    }

    /// [`verify`](Self::verify)s the webhook, then parses the body into a
    /// typed [`WebhookEvent`].
    ///
    /// # Errors
    ///
    /// Any error of [`verify`](Self::verify); then
    /// [`WebhookErrorKind::Parse`] (keeping serde's message) if the verified
    /// body is not valid JSON or not a webhook shape.
    pub fn unwrap(
        &self,
        body: &[u8],
        headers: impl WebhookHeaders,
    ) -> Result<WebhookEvent, WebhookError> {
        self.unwrap_as(body, headers)
    }

    /// [`verify`](Self::verify)s the webhook, then parses the body as JSON
    /// into any `T` (for example [`serde_json::Value`] or your own struct).
    ///
    /// # Errors
    ///
    /// Any error of [`verify`](Self::verify); then
    /// [`WebhookErrorKind::Parse`] (keeping serde's message) if the verified
    /// body does not deserialize into `T`.
    pub fn unwrap_as<T: DeserializeOwned>(
        &self,
        body: &[u8],
        headers: impl WebhookHeaders,
    ) -> Result<T, WebhookError> {
        self.verify(body, headers)?;
        parse(body)
    }
}

/// Parses a webhook body into a [`WebhookEvent`]
/// **WITHOUT VERIFYING ITS SIGNATURE**.
///
/// # Danger
///
/// Anyone who can reach your endpoint can send any body. Only call this on a
/// body whose authenticity you established some other way (for example one
/// that was already checked with a verifier's `verify`, or test fixtures).
/// For requests from the network use [`WebhookVerifier`]'s `unwrap`.
///
/// # Errors
///
/// [`WebhookErrorKind::Parse`] if the body is not valid JSON or not a
/// webhook shape.
pub fn unsafe_unwrap(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    parse(body)
}

impl crate::Client {
    /// A [`WebhookVerifier`] (the API's signature scheme) using the key or
    /// secret from the environment; same as `WebhookVerifier::from_env()`.
    ///
    /// A webhook receiver does not need a `Client` (nor an API key): build a
    /// [`WebhookVerifier`] directly with its `new` or `from_env`.
    ///
    /// # Errors
    ///
    /// As `WebhookVerifier::from_env`: the key or secret is missing or invalid.
    pub fn webhooks(&self) -> Result<WebhookVerifier, WebhookError> {
        WebhookVerifier::from_env()
    }
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    serde_json::from_slice(body)
        .map_err(|e| WebhookError::new(WebhookErrorKind::Parse).with_source(e))
}

/// Strips HTTP optional whitespace (spaces and tabs) around a header value.
fn trim_ows(mut value: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = value {
        value = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = value {
        value = rest;
    }
    value
}

fn decode_signature(encoded: &[u8]) -> Result<Signature, WebhookError> {
    let bytes = STANDARD.decode(encoded).map_err(|e| {
        WebhookError::new(WebhookErrorKind::InvalidSignatureEncoding)
            .with_detail(format!("`{SIGNATURE_HEADER}` is not standard base64"))
            .with_source(e)
    })?;
    let bytes: [u8; SIGNATURE_LEN] = bytes.as_slice().try_into().map_err(|_| {
        WebhookError::new(WebhookErrorKind::InvalidSignatureLength).with_detail(format!(
            "expected {SIGNATURE_LEN} bytes once decoded, got {}",
            bytes.len()
        ))
    })?;
    Ok(Signature::from_bytes(&bytes))
}

/// Checks a webhook timestamp against `now` and the tolerance.
fn check_tolerance(now: SystemTime, tolerance: Duration, timestamp: u64) -> Result<(), WebhookError> {
    let now = unix_seconds(now);
    let age = now - i128::from(timestamp);
    let tolerance = i128::from(tolerance.as_secs());
    let kind = if age > tolerance {
        WebhookErrorKind::TimestampTooOld
    } else if age < -tolerance {
        WebhookErrorKind::TimestampInFuture
    } else {
        return Ok(());
    };
    let mut err = WebhookError::new(kind).with_detail(format!(
        "{} s {} now, tolerance is {} s",
        age.unsigned_abs(),
        if age > 0 { "before" } else { "after" },
        tolerance
    ));
    err.skew_secs = Some(age);
    Err(err)
}

/// Parses unix seconds: one or more ASCII digits, no sign, no fraction,
/// fitting in a `u64`; `header` names the header in errors.
fn parse_timestamp(raw: &[u8], header: &str) -> Result<u64, WebhookError> {
    let invalid = |what: &str| {
        WebhookError::new(WebhookErrorKind::InvalidTimestamp)
            .with_detail(format!("`{header}` {what}"))
    };
    if raw.is_empty() {
        return Err(invalid("is empty"));
    }
    let mut value: u64 = 0;
    for &b in raw {
        if !b.is_ascii_digit() {
            return Err(invalid("must contain only the digits 0-9 (unix seconds)"));
        }
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
            .ok_or_else(|| invalid("is too large"))?;
    }
    Ok(value)
}

/// Seconds since the unix epoch, negative before it; never overflows.
fn unix_seconds(time: SystemTime) -> i128 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i128::from(after.as_secs()),
        Err(before) => {
            let d = before.duration();
            // Round towards minus infinity so fractions before the epoch stay consistent.
            -i128::from(d.as_secs()) - i128::from(d.subsec_nanos() > 0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_parsing() {
        assert_eq!(parse_timestamp(b"0", "t").unwrap(), 0);
        assert_eq!(parse_timestamp(b"1700000000", "t").unwrap(), 1_700_000_000);
        assert_eq!(parse_timestamp(b"18446744073709551615", "t").unwrap(), u64::MAX);
        for bad in [
            &b""[..],
            b"abc",
            b"1700000000.0",
            b"+1700000000",
            b"-1",
            b"1 7",
            b"18446744073709551616",
            b"99999999999999999999999999999",
        ] {
            assert_eq!(
                parse_timestamp(bad, "t").unwrap_err().kind(),
                WebhookErrorKind::InvalidTimestamp,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn ows_trimming() {
        assert_eq!(trim_ows(b" \t1 2\t "), b"1 2");
        assert_eq!(trim_ows(b"   "), b"");
        assert_eq!(trim_ows(b""), b"");
    }

    #[test]
    fn unix_seconds_before_epoch() {
        assert_eq!(unix_seconds(UNIX_EPOCH), 0);
        assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_secs(5)), -5);
        assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_millis(1)), -1);
        assert_eq!(unix_seconds(UNIX_EPOCH + Duration::from_millis(1500)), 1);
    }
}
