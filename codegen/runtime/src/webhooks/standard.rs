//! [Standard Webhooks](https://www.standardwebhooks.com) verification:
//! HMAC-SHA256 with the secret's bytes over `"{webhook-id}.{webhook-timestamp}.{body}"`,
//! base64 in `webhook-signature` as `v1,<signature>`, several signatures
//! separated by spaces (during a secret rotation). `hmac` + `sha2` (RustCrypto)
//! do the MAC and its constant-time comparison.
//!
//! The work of one verification is bounded whatever the header holds: the
//! MAC is computed once (not once per signature entry), an entry whose
//! base64 is not exactly the length of a 32-byte tag is skipped before it is
//! decoded or compared, and a header with more than
//! [`MAX_SIGNATURE_ENTRIES`] entries is rejected
//! ([`WebhookErrorKind::TooManySignatures`]) without looking at them.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::digest::CtOutput;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;

use super::{
    check_tolerance, parse, parse_timestamp, trim_ows, Clock, WebhookError, WebhookErrorKind, WebhookHeaders,
    DEFAULT_TOLERANCE, SECRET_ENV,
};
use crate::types::WebhookEvent;

/// Header with the unique message id.
pub const WEBHOOK_ID_HEADER: &str = "webhook-id";
/// Header with the unix timestamp (seconds) the signature covers.
pub const WEBHOOK_TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// Header with the signatures (`v1,<base64>`, space-separated).
pub const WEBHOOK_SIGNATURE_HEADER: &str = "webhook-signature";

/// The most space-separated entries a `webhook-signature` header may hold.
/// A sender lists one signature per active secret (two during a rotation);
/// a header with more is refused instead of being scanned, so that a forged
/// header cannot make one verification cost more than a few comparisons.
pub const MAX_SIGNATURE_ENTRIES: usize = 32;

/// The length of the standard base64 of a 32-byte HMAC-SHA256 tag.
const TAG_BASE64_LEN: usize = 44;

/// Verifies Standard Webhooks signatures and timestamps, and parses verified
/// bodies. The secret never appears in `Debug` output or errors.
///
/// ```
/// use my_api::webhooks::StandardWebhooksVerifier;
///
/// let verifier = StandardWebhooksVerifier::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
/// let body = br#"{"type":"example"}"#;
/// let signature = verifier.sign("msg_1", 1_700_000_000, body);
/// let headers = [
///     ("webhook-id", "msg_1".to_string()),
///     ("webhook-timestamp", "1700000000".to_string()),
///     ("webhook-signature", signature),
/// ];
/// let verifier = verifier.with_clock(|| std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_010));
/// verifier.verify(body, &headers)?;
/// # Ok::<(), my_api::webhooks::WebhookError>(())
/// ```
#[derive(Clone)]
pub struct StandardWebhooksVerifier {
    key: Vec<u8>,
    tolerance: Duration,
    clock: Option<Clock>,
}

impl fmt::Debug for StandardWebhooksVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StandardWebhooksVerifier")
            .field("secret", &"***")
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

impl StandardWebhooksVerifier {
    /// A verifier from the endpoint's secret: `whsec_` followed by the
    /// base64 of the key (a secret without the prefix is read as base64 too).
    ///
    /// # Errors
    ///
    /// [`WebhookErrorKind::MissingSecret`] for an empty string;
    /// [`WebhookErrorKind::InvalidSecret`] when it is not base64.
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        let trimmed = secret.trim();
        let encoded = trimmed.strip_prefix("whsec_").unwrap_or(trimmed);
        if encoded.is_empty() {
            return Err(WebhookError::new(WebhookErrorKind::MissingSecret).with_detail("the secret is empty"));
        }
        let key = STANDARD.decode(encoded).map_err(|e| {
            WebhookError::new(WebhookErrorKind::InvalidSecret)
                .with_detail("expected `whsec_` followed by standard base64")
                .with_source(e)
        })?;
        Ok(Self::from_key_bytes(key))
    }

    /// A verifier from the raw key bytes (the decoded secret).
    pub fn from_key_bytes(key: Vec<u8>) -> Self {
        Self { key, tolerance: DEFAULT_TOLERANCE, clock: None }
    }

    /// A verifier from the secret in the environment variable [`SECRET_ENV`].
    ///
    /// # Errors
    ///
    /// [`WebhookErrorKind::MissingSecret`] when the variable is unset or
    /// empty; otherwise as [`new`](Self::new).
    pub fn from_env() -> Result<Self, WebhookError> {
        match std::env::var(SECRET_ENV) {
            Ok(value) if !value.trim().is_empty() => Self::new(&value),
            _ => Err(WebhookError::new(WebhookErrorKind::MissingSecret)
                .with_detail(format!("set the {SECRET_ENV} environment variable"))),
        }
    }

    /// Sets how far the timestamp may be from now (default 300 s).
    #[must_use]
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Replaces the clock of the timestamp check. Meant for tests.
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

    fn mac(&self, id: &[u8], timestamp: &[u8], body: &[u8]) -> Hmac<Sha256> {
        // HMAC accepts keys of any length, so this never fails.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(id);
        mac.update(b".");
        mac.update(timestamp);
        mac.update(b".");
        mac.update(body);
        mac
    }

    /// The `webhook-signature` value for a message (`v1,<base64>`), as a
    /// sender computes it; for tests and for forwarding webhooks.
    #[must_use]
    pub fn sign(&self, id: &str, timestamp: u64, body: &[u8]) -> String {
        let tag = self.mac(id.as_bytes(), timestamp.to_string().as_bytes(), body).finalize().into_bytes();
        format!("v1,{}", STANDARD.encode(tag))
    }

    /// Checks the headers `webhook-id`, `webhook-timestamp` and
    /// `webhook-signature`: the timestamp is within the tolerance and one of
    /// the `v1` signatures matches. `body` must be the raw request body.
    ///
    /// # Errors
    ///
    /// [`MissingHeader`](WebhookErrorKind::MissingHeader),
    /// [`InvalidTimestamp`](WebhookErrorKind::InvalidTimestamp),
    /// [`TimestampTooOld`](WebhookErrorKind::TimestampTooOld) /
    /// [`TimestampInFuture`](WebhookErrorKind::TimestampInFuture),
    /// [`InvalidSignatureEncoding`](WebhookErrorKind::InvalidSignatureEncoding)
    /// (no `v1` signature is base64),
    /// [`TooManySignatures`](WebhookErrorKind::TooManySignatures) (more than
    /// [`MAX_SIGNATURE_ENTRIES`] entries), then
    /// [`SignatureMismatch`](WebhookErrorKind::SignatureMismatch).
    pub fn verify(&self, body: &[u8], headers: impl WebhookHeaders) -> Result<(), WebhookError> {
        let id = headers.header(WEBHOOK_ID_HEADER).ok_or_else(|| WebhookError::missing_header(WEBHOOK_ID_HEADER))?;
        let timestamp = headers
            .header(WEBHOOK_TIMESTAMP_HEADER)
            .ok_or_else(|| WebhookError::missing_header(WEBHOOK_TIMESTAMP_HEADER))?;
        let signatures = headers
            .header(WEBHOOK_SIGNATURE_HEADER)
            .ok_or_else(|| WebhookError::missing_header(WEBHOOK_SIGNATURE_HEADER))?;
        let (id, timestamp) = (trim_ows(id), trim_ows(timestamp));
        let seconds = parse_timestamp(timestamp, WEBHOOK_TIMESTAMP_HEADER)?;
        let now = self.clock.as_ref().map_or_else(SystemTime::now, |c| c());
        check_tolerance(now, self.tolerance, seconds)?;

        let entries = || signatures.split(|b| *b == b' ').filter(|e| !e.is_empty());
        if entries().nth(MAX_SIGNATURE_ENTRIES).is_some() {
            return Err(WebhookError::new(WebhookErrorKind::TooManySignatures).with_detail(format!(
                "`{WEBHOOK_SIGNATURE_HEADER}` holds more than {MAX_SIGNATURE_ENTRIES} entries"
            )));
        }
        // One MAC for every entry; `CtOutput`'s `==` is constant-time.
        let expected: CtOutput<Hmac<Sha256>> = self.mac(id, timestamp, body).finalize();
        let mut decoded_any = false;
        let mut matched = false;
        for entry in entries() {
            let Some(encoded) = entry.strip_prefix(b"v1,") else { continue };
            // The length is checked before comparing: only a 32-byte tag can
            // match. Another well-formed one is a mismatch, not an encoding error.
            if encoded.len() != TAG_BASE64_LEN {
                decoded_any |= STANDARD.decode(encoded).is_ok();
                continue;
            }
            let mut tag = [0u8; 33];
            let Ok(32) = STANDARD.decode_slice(encoded, &mut tag) else { continue };
            decoded_any = true;
            let candidate = CtOutput::<Hmac<Sha256>>::new(*hmac::digest::generic_array::GenericArray::from_slice(&tag[..32]));
            // Every entry is compared (no early exit), so the time does not
            // tell which entry matched.
            matched |= candidate == expected;
        }
        if matched {
            return Ok(());
        }
        if !decoded_any {
            return Err(WebhookError::new(WebhookErrorKind::InvalidSignatureEncoding)
                .with_detail(format!("`{WEBHOOK_SIGNATURE_HEADER}` has no `v1,<base64>` signature")));
        }
        Err(WebhookError::new(WebhookErrorKind::SignatureMismatch).with_detail(
            "the body, id or timestamp was altered, the body is not the raw bytes received, \
             or the secret is not the endpoint's",
        ))
    }

    /// [`verify`](Self::verify), then parse into the typed [`WebhookEvent`].
    ///
    /// # Errors
    ///
    /// As [`verify`](Self::verify), then [`WebhookErrorKind::Parse`].
    pub fn unwrap(&self, body: &[u8], headers: impl WebhookHeaders) -> Result<WebhookEvent, WebhookError> {
        self.unwrap_as(body, headers)
    }

    /// [`verify`](Self::verify), then parse into any `T`.
    ///
    /// # Errors
    ///
    /// As [`verify`](Self::verify), then [`WebhookErrorKind::Parse`].
    pub fn unwrap_as<T: DeserializeOwned>(&self, body: &[u8], headers: impl WebhookHeaders) -> Result<T, WebhookError> {
        self.verify(body, headers)?;
        parse(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example of the Standard Webhooks specification's test vectors.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TS: u64 = 1614265330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIG: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    fn at(ts: u64) -> StandardWebhooksVerifier {
        StandardWebhooksVerifier::new(SECRET)
            .unwrap()
            .with_clock(move || std::time::UNIX_EPOCH + Duration::from_secs(ts))
    }

    #[test]
    fn specification_vector() {
        let v = at(TS);
        assert_eq!(v.sign(ID, TS, BODY), SIG);
        let ts = TS.to_string();
        let ok = [("webhook-id", ID), ("webhook-timestamp", ts.as_str()), ("webhook-signature", SIG)];
        v.verify(BODY, ok).unwrap();
        // Several signatures: one match is enough, unknown versions skipped.
        let many = format!("v2,abc v1,AAAA {SIG}");
        v.verify(BODY, [("webhook-id", ID), ("webhook-timestamp", ts.as_str()), ("webhook-signature", many.as_str())]).unwrap();
        let bad = [("webhook-id", ID), ("webhook-timestamp", ts.as_str()), ("webhook-signature", "v1,AAAA")];
        assert_eq!(v.verify(BODY, bad).unwrap_err().kind(), WebhookErrorKind::SignatureMismatch);
        assert_eq!(v.verify(b"{}", ok).unwrap_err().kind(), WebhookErrorKind::SignatureMismatch);
        assert_eq!(at(TS + 301).verify(BODY, ok).unwrap_err().kind(), WebhookErrorKind::TimestampTooOld);
        let missing = [("webhook-id", ID), ("webhook-timestamp", ts.as_str())];
        assert_eq!(v.verify(BODY, missing).unwrap_err().header(), Some(WEBHOOK_SIGNATURE_HEADER));
        let none = [("webhook-id", ID), ("webhook-timestamp", ts.as_str()), ("webhook-signature", "v2,x")];
        assert_eq!(v.verify(BODY, none).unwrap_err().kind(), WebhookErrorKind::InvalidSignatureEncoding);
        assert!(!format!("{v:?}").contains("MfKQ"));
        assert_eq!(StandardWebhooksVerifier::new("whsec_!!").unwrap_err().kind(), WebhookErrorKind::InvalidSecret);
    }

    /// A forged header of 2,000 entries is refused unread; up to the cap,
    /// a valid entry among fakes (of any length) still verifies.
    #[test]
    fn signature_entries_are_capped() {
        let v = at(TS);
        let ts = TS.to_string();
        let check = |sig: &str| {
            v.verify(BODY, [("webhook-id", ID), ("webhook-timestamp", ts.as_str()), ("webhook-signature", sig)])
                .map_err(|e| e.kind())
        };
        let fakes = |n: usize| vec!["v1,AAAA"; n].join(" ");
        let err = check(&format!("{} {SIG}", fakes(2_000))).unwrap_err();
        assert_eq!(err, WebhookErrorKind::TooManySignatures);
        assert_eq!(check(&fakes(2_000)).unwrap_err(), WebhookErrorKind::TooManySignatures);
        // At the cap: verified when one entry is valid, whatever the others' lengths.
        let long_fake = format!("v1,{}", STANDARD.encode([7u8; 64]));
        let at_cap = format!("{} {long_fake} {SIG}", fakes(MAX_SIGNATURE_ENTRIES - 2));
        assert_eq!(check(&at_cap), Ok(()));
        let over = format!("{} {SIG}", fakes(MAX_SIGNATURE_ENTRIES));
        assert_eq!(check(&over).unwrap_err(), WebhookErrorKind::TooManySignatures);
        // A wrong tag of the right length is a mismatch.
        let wrong = format!("v1,{}", STANDARD.encode([0u8; 32]));
        assert_eq!(check(&wrong).unwrap_err(), WebhookErrorKind::SignatureMismatch);
    }
}
