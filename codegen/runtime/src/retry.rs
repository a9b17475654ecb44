//! When a failed attempt is sent again: a classifier that names why an
//! attempt may be repeated ([`Failure`]) and a policy ([`RetryPolicy`]) that
//! decides from it, the request's method and its idempotency key. The
//! budget (retries, backoff, `Retry-After`, deadline) is the send loop's
//! (`request::execute`). The split follows smithy-rs (the AWS SDK's
//! runtime): classifying a failure is separate from deciding to retry it.
//!
//! The point is that a retry must never repeat a side effect: a `POST
//! /orders` that timed out after it was sent may have placed the order, so sending
//! it again may send it twice. Such a request is repeated only when the
//! server can tell the copies apart (an idempotency key) or the method is
//! idempotent by definition (RFC 9110 §9.2.2).

use http::{HeaderMap, Method, StatusCode};

use crate::error::{Error, ErrorKind};

/// Which failed attempts the client sends again (up to
/// [`max_retries`](crate::ClientBuilder::max_retries) times); set with
/// [`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RetryPolicy {
    /// The default: never repeat a request the server may have acted on,
    /// unless repeating it is harmless.
    ///
    /// * Failures where the server provably did not act are retried for
    ///   every method: the connection could not be made (refused, DNS, TLS,
    ///   connect timeout), `429 Too Many Requests`, a `503` that says when to
    ///   come back (`Retry-After` / `retry-after-ms`), and any response with
    ///   `x-should-retry: true` (the server says so).
    /// * Failures where it may have acted (a timeout or a lost connection
    ///   after the request was sent, a body that could not be read, `408`,
    ///   `409`, `5xx`) are retried only for idempotent methods (`GET`,
    ///   `HEAD`, `OPTIONS`, `TRACE`, `PUT`, `DELETE`) or when the request
    ///   carries an idempotency key (see
    ///   [`Request::idempotency_key`](crate::Request::idempotency_key)).
    #[default]
    Safe,
    /// What official SDKs commonly do (the Stainless-generated ones, for
    /// example): connection errors, timeouts,
    /// `408`, `409`, `429` and `5xx` are retried for every method, so a
    /// `POST` without an idempotency key may be carried out more than once
    /// (a payment or a message sent twice). For callers that deduplicate
    /// on their side.
    LikeOfficialSdks,
    /// Every request is sent once; the caller retries.
    Never,
}

/// Why a failed attempt may, or may not, be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The server provably did not act on the request (it never got it, or
    /// said it did not process it): repeating it cannot repeat an effect.
    NotProcessed,
    /// The request may have reached the server and had its effect.
    MaybeProcessed,
    /// Sending the same request again would fail the same way (`4xx`, a
    /// body that does not decode, an invalid argument, a response over the
    /// size limit, `x-should-retry: false`).
    Permanent,
}

/// Classifies a failed attempt.
pub(crate) fn classify(error: &Error) -> Failure {
    match error.kind() {
        ErrorKind::Connection | ErrorKind::Timeout if error.is_connect_failure() => Failure::NotProcessed,
        ErrorKind::Connection | ErrorKind::Timeout => Failure::MaybeProcessed,
        ErrorKind::Decode | ErrorKind::InvalidArgument | ErrorKind::Io | ErrorKind::ResponseTooLarge => {
            Failure::Permanent
        }
        _ => match error.status() {
            Some(status) => classify_status(status, error.headers()),
            None => Failure::Permanent,
        },
    }
}

/// Classifies a non-success response: `x-should-retry: true|false` wins;
/// `429` and a `503` with a retry delay were not processed; `408`, `409` and
/// other `5xx` may have been.
pub(crate) fn classify_status(status: StatusCode, headers: Option<&HeaderMap>) -> Failure {
    let header = |name: &str| headers.and_then(|h| h.get(name)).and_then(|v| v.to_str().ok());
    match header("x-should-retry").map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        Some("true") => return Failure::NotProcessed,
        Some("false") => return Failure::Permanent,
        _ => {}
    }
    let asks_to_wait = header("retry-after").is_some() || header("retry-after-ms").is_some();
    match status.as_u16() {
        429 => Failure::NotProcessed,
        503 if asks_to_wait => Failure::NotProcessed,
        408 | 409 | 500..=599 => Failure::MaybeProcessed,
        _ => Failure::Permanent,
    }
}

/// Whether a method may be repeated without a second effect (RFC 9110
/// §9.2.2: `GET`, `HEAD`, `OPTIONS`, `TRACE`, `PUT`, `DELETE`).
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE | Method::PUT | Method::DELETE
    )
}

impl RetryPolicy {
    /// Whether an attempt that failed with `failure` is sent again;
    /// `replay_safe` when the method is idempotent or the request carries an
    /// idempotency key.
    pub(crate) fn allows(self, failure: Failure, replay_safe: bool) -> bool {
        match (self, failure) {
            (RetryPolicy::Never, _) | (_, Failure::Permanent) => false,
            (RetryPolicy::LikeOfficialSdks, _) | (RetryPolicy::Safe, Failure::NotProcessed) => true,
            (RetryPolicy::Safe, Failure::MaybeProcessed) => replay_safe,
        }
    }
}

/// A fresh idempotency key: a random UUID (version 4) in its text form.
/// A key needs to be unique, not secret: `fastrand` (already a dependency,
/// seeded per thread from the standard library's random hasher keys) gives
/// 122 random bits, so no UUID crate is added for it.
pub(crate) fn new_idempotency_key() -> String {
    let mut bits = fastrand::u128(..);
    bits = (bits & !(0xf << 76)) | (0x4 << 76); // version 4
    bits = (bits & !(0x3 << 62)) | (0x2 << 62); // variant RFC 4122
    let hex = format!("{bits:032x}");
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_uuid_v4_and_fresh() {
        let a = new_idempotency_key();
        let b = new_idempotency_key();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert!(parts[2].starts_with('4'), "{a}");
        assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'), "{a}");
    }

    #[test]
    fn statuses_are_classified() {
        let h = |pairs: &[(&'static str, &'static str)]| {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.insert(*k, v.parse().unwrap());
            }
            m
        };
        let s = StatusCode::from_u16;
        assert_eq!(classify_status(s(429).unwrap(), None), Failure::NotProcessed);
        assert_eq!(classify_status(s(503).unwrap(), Some(&h(&[("retry-after", "0")]))), Failure::NotProcessed);
        assert_eq!(classify_status(s(503).unwrap(), None), Failure::MaybeProcessed);
        for code in [408, 409, 500, 502, 504] {
            assert_eq!(classify_status(s(code).unwrap(), None), Failure::MaybeProcessed, "{code}");
        }
        for code in [400, 401, 404, 422, 307] {
            assert_eq!(classify_status(s(code).unwrap(), None), Failure::Permanent, "{code}");
        }
        assert_eq!(classify_status(s(400).unwrap(), Some(&h(&[("x-should-retry", "true")]))), Failure::NotProcessed);
        assert_eq!(classify_status(s(500).unwrap(), Some(&h(&[("x-should-retry", "false")]))), Failure::Permanent);
    }

    #[test]
    fn policies_decide() {
        use Failure::*;
        for replay_safe in [false, true] {
            assert!(RetryPolicy::Safe.allows(NotProcessed, replay_safe));
            assert_eq!(RetryPolicy::Safe.allows(MaybeProcessed, replay_safe), replay_safe);
            assert!(RetryPolicy::LikeOfficialSdks.allows(MaybeProcessed, replay_safe));
            assert!(!RetryPolicy::Never.allows(NotProcessed, replay_safe));
            assert!(!RetryPolicy::LikeOfficialSdks.allows(Permanent, replay_safe));
        }
        assert!(is_idempotent(&Method::PUT) && is_idempotent(&Method::DELETE));
        assert!(!is_idempotent(&Method::POST) && !is_idempotent(&Method::PATCH));
    }
}
