//! Webhook verification against real Ed25519 keys and a fixed, injected clock.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::{Signer as _, SigningKey};
use http::{HeaderMap, HeaderValue};
use proptest::prelude::*;
use telnyx_fax::types::WebhookEvent;
use telnyx_fax::webhooks::{
    unsafe_unwrap, WebhookError, WebhookErrorKind, WebhookHeaders, WebhookVerifier,
    DEFAULT_TOLERANCE, PUBLIC_KEY_ENV, SIGNATURE_HEADER, TIMESTAMP_HEADER,
};

/// The fixed "now" of every test: 2023-11-14T22:13:20Z.
const NOW: u64 = 1_700_000_000;

const FAX_ID: &str = "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0";

/// A `fax.delivered` webhook body as Telnyx sends it (compact JSON).
const FAX_DELIVERED: &str = r#"{"data":{"record_type":"event","id":"95479a2e-b947-470a-a88f-2da6dd07ae0f","occurred_at":"2024-05-05T10:01:40.039204Z","event_type":"fax.delivered","payload":{"call_duration_secs":25,"connection_id":"234423","direction":"outbound","fax_id":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","original_media_url":"https://example.com/docs/invoice.pdf","to":"+13127367276","from":"+13125790015","user_id":"19a75cea-02c6-4b9a-84fa-c9bc8341feb8","page_count":2,"status":"delivered","client_state":"aGF2ZSBhIG5pY2UgZGF5ID1d"}},"meta":{"attempt":1,"delivered_to":"https://example.com/fax-webhooks"}}"#;

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

struct Fixture {
    key: SigningKey,
    verifier: WebhookVerifier,
}

impl Fixture {
    fn new() -> Self {
        let key = SigningKey::generate(&mut rand::rngs::OsRng);
        let public = STANDARD.encode(key.verifying_key().as_bytes());
        let verifier = WebhookVerifier::new(&public)
            .expect("a freshly generated key is valid")
            .with_clock(|| at(NOW));
        Self { key, verifier }
    }

    /// Signs `"{timestamp}|{body}"` like Telnyx does; base64 of the signature.
    fn sign(&self, timestamp: &str, body: &[u8]) -> String {
        let mut message = timestamp.as_bytes().to_vec();
        message.push(b'|');
        message.extend_from_slice(body);
        sign_raw(&self.key, &message)
    }

    /// The two headers of a webhook signed at `timestamp`.
    fn headers(&self, timestamp: u64, body: &[u8]) -> Vec<(String, String)> {
        let ts = timestamp.to_string();
        let sig = self.sign(&ts, body);
        pairs(&sig, &ts)
    }
}

fn sign_raw(key: &SigningKey, message: &[u8]) -> String {
    STANDARD.encode(key.sign(message).to_bytes())
}

fn pairs(signature: &str, timestamp: &str) -> Vec<(String, String)> {
    vec![
        (SIGNATURE_HEADER.to_owned(), signature.to_owned()),
        (TIMESTAMP_HEADER.to_owned(), timestamp.to_owned()),
    ]
}

fn header_map(pairs: &[(String, String)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in pairs {
        map.append(
            http::header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    map
}

#[track_caller]
fn assert_kind<T: std::fmt::Debug>(
    result: Result<T, WebhookError>,
    kind: WebhookErrorKind,
) -> WebhookError {
    match result {
        Ok(v) => panic!("expected a {kind:?} error, got Ok({v:?})"),
        Err(e) => {
            assert_eq!(e.kind(), kind, "wrong kind; error: {e}");
            e
        }
    }
}

// ------------------------------------------------------------------ accepted

#[test]
fn accepts_fresh_signature() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    f.verifier.verify(body, f.headers(NOW, body)).unwrap();
}

#[test]
fn accepts_mixed_case_header_names() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let ts = NOW.to_string();
    let sig = f.sign(&ts, body);
    let headers = [
        ("Telnyx-Signature-Ed25519", sig.as_str()),
        ("TELNYX-TIMESTAMP", ts.as_str()),
    ];
    f.verifier.verify(body, headers).unwrap();
    f.verifier.verify(body, &headers[..]).unwrap();
    // HeaderMap lowercases names itself, but is built here from mixed case.
    let owned: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    f.verifier.verify(body, header_map(&owned)).unwrap();
    // A BTreeMap has no case-insensitive lookup of its own.
    let tree: BTreeMap<String, String> = owned.iter().cloned().collect();
    f.verifier.verify(body, &tree).unwrap();
    let hash: HashMap<String, String> = owned.into_iter().collect();
    f.verifier.verify(body, &hash).unwrap();
}

#[test]
fn accepts_298_seconds_old() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    f.verifier.verify(body, f.headers(NOW - 298, body)).unwrap();
}

#[test]
fn accepts_exactly_300_seconds_either_way() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    f.verifier.verify(body, f.headers(NOW - 300, body)).unwrap();
    f.verifier.verify(body, f.headers(NOW + 300, body)).unwrap();
}

#[test]
fn accepts_240_seconds_in_future() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    f.verifier.verify(body, f.headers(NOW + 240, body)).unwrap();
}

#[test]
fn accepts_header_map() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let map = header_map(&f.headers(NOW, body));
    f.verifier.verify(body, &map).unwrap();
    // By value too.
    f.verifier.verify(body, map).unwrap();
}

#[test]
fn accepts_string_pairs_in_every_collection() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let owned = f.headers(NOW, body);
    let borrowed: Vec<(&str, &str)> = owned
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();

    f.verifier.verify(body, &owned).unwrap(); // &Vec<(String, String)>
    f.verifier.verify(body, &borrowed[..]).unwrap(); // &[(&str, &str)]
    f.verifier.verify(body, borrowed.as_slice()).unwrap();
    f.verifier.verify(body, [borrowed[0], borrowed[1]]).unwrap(); // &[(&str, &str); 2]

    let hash: HashMap<String, String> = owned.iter().cloned().collect();
    f.verifier.verify(body, &hash).unwrap();
    let hash_str: HashMap<&str, &str> = borrowed.iter().copied().collect();
    f.verifier.verify(body, &hash_str).unwrap();
    let tree: BTreeMap<String, String> = owned.iter().cloned().collect();
    f.verifier.verify(body, &tree).unwrap();
    f.verifier.verify(body, owned).unwrap(); // Vec by value
}

#[test]
fn accepts_surrounding_whitespace_in_header_values() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let ts = NOW.to_string();
    let sig = f.sign(&ts, body);
    let headers = pairs(&format!(" {sig}\t"), &format!("  {ts} "));
    f.verifier.verify(body, &headers).unwrap();
}

#[test]
fn accepts_extra_headers_and_uses_the_first_duplicate() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let mut headers = vec![
        ("content-type".to_owned(), "application/json".to_owned()),
        ("user-agent".to_owned(), "telnyx-webhooks".to_owned()),
    ];
    headers.extend(f.headers(NOW, body));
    headers.push((TIMESTAMP_HEADER.to_owned(), "garbage".to_owned()));
    f.verifier.verify(body, &headers).unwrap();
}

#[test]
fn accepts_empty_body() {
    let f = Fixture::new();
    f.verifier.verify(b"", f.headers(NOW, b"")).unwrap();
}

#[test]
fn custom_tolerance_applies_both_ways() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let strict = f.verifier.clone().with_tolerance(Duration::from_secs(10));
    assert_eq!(strict.tolerance(), Duration::from_secs(10));
    strict.verify(body, f.headers(NOW - 10, body)).unwrap();
    assert_kind(
        strict.verify(body, f.headers(NOW - 11, body)),
        WebhookErrorKind::TimestampTooOld,
    );
    assert_kind(
        strict.verify(body, f.headers(NOW + 11, body)),
        WebhookErrorKind::TimestampInFuture,
    );

    let lenient = f.verifier.clone().with_tolerance(Duration::from_secs(3600));
    lenient.verify(body, f.headers(NOW - 3000, body)).unwrap();
    lenient.verify(body, f.headers(NOW + 3000, body)).unwrap();
}

#[test]
fn default_tolerance_is_300_seconds() {
    let f = Fixture::new();
    assert_eq!(DEFAULT_TOLERANCE, Duration::from_secs(300));
    assert_eq!(f.verifier.tolerance(), DEFAULT_TOLERANCE);
}

#[test]
fn system_clock_is_used_by_default() {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let verifier = WebhookVerifier::from_public_key_bytes(key.verifying_key().to_bytes()).unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let body = FAX_DELIVERED.as_bytes();
    let mut message = format!("{now}|").into_bytes();
    message.extend_from_slice(body);
    let headers = pairs(&sign_raw(&key, &message), &now);
    verifier.verify(body, &headers).unwrap();
    // ... and a signature that was valid at NOW (2023) is long expired today.
    let old = NOW.to_string();
    let mut message = format!("{old}|").into_bytes();
    message.extend_from_slice(body);
    assert_kind(
        verifier.verify(body, pairs(&sign_raw(&key, &message), &old)),
        WebhookErrorKind::TimestampTooOld,
    );
}

// ------------------------------------------------------------------ rejected

#[test]
fn rejects_tampered_body() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let headers = f.headers(NOW, body);
    let tampered = FAX_DELIVERED.replace("\"page_count\":2", "\"page_count\":3");
    assert_ne!(tampered.as_bytes(), body);
    assert_kind(
        f.verifier.verify(tampered.as_bytes(), &headers),
        WebhookErrorKind::SignatureMismatch,
    );
    // One flipped bit anywhere.
    let mut flipped = body.to_vec();
    flipped[body.len() / 2] ^= 0x01;
    assert_kind(
        f.verifier.verify(&flipped, &headers),
        WebhookErrorKind::SignatureMismatch,
    );
    // Truncated, and with a trailing newline.
    assert_kind(
        f.verifier.verify(&body[..body.len() - 1], &headers),
        WebhookErrorKind::SignatureMismatch,
    );
    let mut with_newline = body.to_vec();
    with_newline.push(b'\n');
    assert_kind(
        f.verifier.verify(&with_newline, &headers),
        WebhookErrorKind::SignatureMismatch,
    );
}

#[test]
fn rejects_same_json_reserialized_with_other_whitespace() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let headers = f.headers(NOW, body);
    let value: serde_json::Value = serde_json::from_slice(body).unwrap();
    let pretty = serde_json::to_vec_pretty(&value).unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&pretty).unwrap(),
        value
    );
    assert_kind(
        f.verifier.verify(&pretty, &headers),
        WebhookErrorKind::SignatureMismatch,
    );
}

#[test]
fn rejects_302_seconds_old() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let err = assert_kind(
        f.verifier.verify(body, f.headers(NOW - 302, body)),
        WebhookErrorKind::TimestampTooOld,
    );
    assert_eq!(err.timestamp_skew_secs(), Some(302));
    assert!(err.is_timestamp_out_of_tolerance());
    assert!(err.to_string().contains("too old"), "{err}");
}

#[test]
fn rejects_10_minutes_old() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let err = assert_kind(
        f.verifier.verify(body, f.headers(NOW - 600, body)),
        WebhookErrorKind::TimestampTooOld,
    );
    assert_eq!(err.timestamp_skew_secs(), Some(600));
}

#[test]
fn rejects_10_minutes_in_future() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let err = assert_kind(
        f.verifier.verify(body, f.headers(NOW + 600, body)),
        WebhookErrorKind::TimestampInFuture,
    );
    assert_eq!(err.timestamp_skew_secs(), Some(-600));
    assert!(err.is_timestamp_out_of_tolerance());
    assert!(err.to_string().contains("future"), "{err}");
}

#[test]
fn rejects_extreme_timestamps_without_overflow() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    assert_kind(
        f.verifier.verify(body, f.headers(0, body)),
        WebhookErrorKind::TimestampTooOld,
    );
    assert_kind(
        f.verifier.verify(body, f.headers(u64::MAX, body)),
        WebhookErrorKind::TimestampInFuture,
    );
    // The largest tolerance reaches from the epoch to u64::MAX seconds, not further.
    let huge = f
        .verifier
        .clone()
        .with_clock(|| UNIX_EPOCH)
        .with_tolerance(Duration::MAX);
    huge.verify(body, f.headers(u64::MAX, body)).unwrap();
    let err = assert_kind(
        huge.clone()
            .with_clock(|| UNIX_EPOCH - Duration::from_secs(1))
            .verify(body, f.headers(u64::MAX, body)),
        WebhookErrorKind::TimestampInFuture,
    );
    assert_eq!(err.timestamp_skew_secs(), Some(-1 - i128::from(u64::MAX)));
    // A clock before the epoch.
    let before_epoch = f
        .verifier
        .clone()
        .with_clock(|| UNIX_EPOCH - Duration::from_secs(1_000_000));
    assert_kind(
        before_epoch.verify(body, f.headers(0, body)),
        WebhookErrorKind::TimestampInFuture,
    );
}

#[test]
fn rejects_changed_timestamp_header() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let sig = f.sign(&NOW.to_string(), body);
    // Still within tolerance, so only the signature can catch it.
    let changed = (NOW + 1).to_string();
    assert_kind(
        f.verifier.verify(body, pairs(&sig, &changed)),
        WebhookErrorKind::SignatureMismatch,
    );
    // Same number, different digits: a leading zero is not the signed text.
    assert_kind(
        f.verifier.verify(body, pairs(&sig, &format!("0{NOW}"))),
        WebhookErrorKind::SignatureMismatch,
    );
}

#[test]
fn rejects_signature_over_body_alone() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let sig = sign_raw(&f.key, body);
    assert_kind(
        f.verifier.verify(body, pairs(&sig, &NOW.to_string())),
        WebhookErrorKind::SignatureMismatch,
    );
}

#[test]
fn rejects_standard_webhooks_form() {
    // Standard Webhooks signs "{webhook-id}.{webhook-timestamp}.{body}".
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let ts = NOW.to_string();
    let mut message = format!("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.{ts}.").into_bytes();
    message.extend_from_slice(body);
    let sig = sign_raw(&f.key, &message);
    assert_kind(
        f.verifier.verify(body, pairs(&sig, &ts)),
        WebhookErrorKind::SignatureMismatch,
    );
    // Nor "{timestamp}.{body}".
    let mut message = format!("{ts}.").into_bytes();
    message.extend_from_slice(body);
    assert_kind(
        f.verifier
            .verify(body, pairs(&sign_raw(&f.key, &message), &ts)),
        WebhookErrorKind::SignatureMismatch,
    );
}

#[test]
fn rejects_signature_by_another_key() {
    let f = Fixture::new();
    let other = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let err = assert_kind(
        f.verifier.verify(body, other.headers(NOW, body)),
        WebhookErrorKind::SignatureMismatch,
    );
    assert!(
        err.to_string().contains("signature does not match"),
        "{err}"
    );
}

#[test]
fn rejects_missing_signature_header() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let headers = vec![(TIMESTAMP_HEADER, NOW.to_string())];
    let err = assert_kind(
        f.verifier.verify(body, &headers),
        WebhookErrorKind::MissingHeader,
    );
    assert_eq!(err.header(), Some(SIGNATURE_HEADER));
    assert!(err.to_string().contains(SIGNATURE_HEADER), "{err}");
}

#[test]
fn rejects_missing_timestamp_header() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let sig = f.sign(&NOW.to_string(), body);
    let headers = vec![(SIGNATURE_HEADER, sig)];
    let err = assert_kind(
        f.verifier.verify(body, &headers),
        WebhookErrorKind::MissingHeader,
    );
    assert_eq!(err.header(), Some(TIMESTAMP_HEADER));
    assert!(err.to_string().contains(TIMESTAMP_HEADER), "{err}");

    let mut map = HeaderMap::new();
    map.insert(
        SIGNATURE_HEADER,
        HeaderValue::from_str(&f.sign("1", body)).unwrap(),
    );
    let err = assert_kind(
        f.verifier.verify(body, &map),
        WebhookErrorKind::MissingHeader,
    );
    assert_eq!(err.header(), Some(TIMESTAMP_HEADER));
}

#[test]
fn rejects_empty_headers() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let none: [(&str, &str); 0] = [];
    let err = assert_kind(
        f.verifier.verify(body, none),
        WebhookErrorKind::MissingHeader,
    );
    assert_eq!(err.header(), Some(SIGNATURE_HEADER));
    let err = assert_kind(
        f.verifier.verify(body, HeaderMap::new()),
        WebhookErrorKind::MissingHeader,
    );
    assert_eq!(err.header(), Some(SIGNATURE_HEADER));
    assert_kind(
        f.verifier.verify(body, HashMap::<String, String>::new()),
        WebhookErrorKind::MissingHeader,
    );
    assert_kind(
        f.verifier.verify(body, BTreeMap::<String, String>::new()),
        WebhookErrorKind::MissingHeader,
    );
}

#[test]
fn rejects_63_byte_signature() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let ts = NOW.to_string();
    let full = STANDARD.decode(f.sign(&ts, body)).unwrap();
    let short = STANDARD.encode(&full[..63]);
    let err = assert_kind(
        f.verifier.verify(body, pairs(&short, &ts)),
        WebhookErrorKind::InvalidSignatureLength,
    );
    assert!(err.to_string().contains("63"), "{err}");

    let mut long = full.clone();
    long.push(0);
    assert_kind(
        f.verifier.verify(body, pairs(&STANDARD.encode(&long), &ts)),
        WebhookErrorKind::InvalidSignatureLength,
    );
    assert_kind(
        f.verifier.verify(body, pairs("", &ts)),
        WebhookErrorKind::InvalidSignatureLength,
    );
}

#[test]
fn rejects_fractional_and_malformed_timestamps() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    for ts in [
        "1700000000.0",
        "",
        "   ",
        "abc",
        "-1700000000",
        "+1700000000",
        "1700000000s",
        "1_700_000_000",
        "1.7e9",
        "0x6553f100",
        "١٧٠٠٠٠٠٠٠٠",           // Arabic-Indic digits
        "18446744073709551616", // u64::MAX + 1
        "999999999999999999999999999999999999999999",
    ] {
        // Signed correctly over the malformed text: only the syntax check can reject it.
        let sig = f.sign(ts, body);
        let err = assert_kind(
            f.verifier.verify(body, pairs(&sig, ts)),
            WebhookErrorKind::InvalidTimestamp,
        );
        assert!(err.to_string().contains(TIMESTAMP_HEADER), "{ts:?}: {err}");
    }
}

#[test]
fn rejects_bad_base64_signature() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let ts = NOW.to_string();
    let good = f.sign(&ts, body);
    let url_safe = good.replace('+', "-").replace('/', "_");
    let unpadded = good.trim_end_matches('=').to_owned();
    let hex = hex_encode(&STANDARD.decode(&good).unwrap());
    for sig in [
        "not base64!".to_owned(),
        "####".to_owned(),
        format!("{good}="),
        format!("{}*", &good[..87]),
        unpadded,
        hex,
    ] {
        let err = f.verifier.verify(body, pairs(&sig, &ts)).unwrap_err();
        assert!(
            matches!(
                err.kind(),
                WebhookErrorKind::InvalidSignatureEncoding
                    | WebhookErrorKind::InvalidSignatureLength
            ),
            "{sig:?}: {err}"
        );
    }
    assert_kind(
        f.verifier.verify(body, pairs("not base64!", &ts)),
        WebhookErrorKind::InvalidSignatureEncoding,
    );
    if url_safe != good {
        assert_kind(
            f.verifier.verify(body, pairs(&url_safe, &ts)),
            WebhookErrorKind::InvalidSignatureEncoding,
        );
    }
}

#[test]
fn rejects_non_ascii_header_values_in_header_map() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let mut map = HeaderMap::new();
    map.insert(
        SIGNATURE_HEADER,
        HeaderValue::from_bytes(b"\xff\xfe").unwrap(),
    );
    map.insert(
        TIMESTAMP_HEADER,
        HeaderValue::from_str(&NOW.to_string()).unwrap(),
    );
    assert_kind(
        f.verifier.verify(body, &map),
        WebhookErrorKind::InvalidSignatureEncoding,
    );

    let mut map = header_map(&f.headers(NOW, body));
    map.insert(
        TIMESTAMP_HEADER,
        HeaderValue::from_bytes(b"17\xff").unwrap(),
    );
    assert_kind(
        f.verifier.verify(body, &map),
        WebhookErrorKind::InvalidTimestamp,
    );
}

#[test]
fn checks_run_in_documented_order() {
    // Bad signature encoding wins over a bad timestamp; a bad timestamp over tolerance.
    let f = Fixture::new();
    let body = b"{}";
    assert_kind(
        f.verifier.verify(body, pairs("!!", "abc")),
        WebhookErrorKind::InvalidSignatureEncoding,
    );
    let sig = f.sign("1", body);
    assert_kind(
        f.verifier.verify(body, pairs(&sig, "abc")),
        WebhookErrorKind::InvalidTimestamp,
    );
    // An expired timestamp is reported as such even when the signature is also wrong.
    let other = Fixture::new();
    assert_kind(
        f.verifier.verify(body, other.headers(NOW - 1000, body)),
        WebhookErrorKind::TimestampTooOld,
    );
}

// ---------------------------------------------------------------- public keys

#[test]
fn rejects_31_byte_public_key() {
    let err = assert_kind(
        WebhookVerifier::new(&STANDARD.encode([7u8; 31])),
        WebhookErrorKind::InvalidPublicKey,
    );
    assert!(err.to_string().contains("31"), "{err}");
    assert_kind(
        WebhookVerifier::new(&STANDARD.encode([7u8; 33])),
        WebhookErrorKind::InvalidPublicKey,
    );
    assert_kind(
        WebhookVerifier::new(&STANDARD.encode([7u8; 64])),
        WebhookErrorKind::InvalidPublicKey,
    );
}

#[test]
fn rejects_public_key_with_bad_base64() {
    for key in [
        "not a key",
        "A32TlozXUC7oOlNpQeo6nYBYvNJyUpUrezXjpT8d_hk=",
        "====",
        "é",
    ] {
        let err = assert_kind(
            WebhookVerifier::new(key),
            WebhookErrorKind::InvalidPublicKey,
        );
        assert!(std::error::Error::source(&err).is_some(), "{key:?}: {err}");
    }
}

#[test]
fn rejects_empty_public_key_as_missing() {
    assert_kind(WebhookVerifier::new(""), WebhookErrorKind::MissingPublicKey);
    assert_kind(
        WebhookVerifier::new("  \n"),
        WebhookErrorKind::MissingPublicKey,
    );
}

#[test]
fn rejects_public_key_that_is_not_a_curve_point() {
    // y = 2 does not decompress to a point on Ed25519.
    let mut bytes = [0u8; 32];
    bytes[0] = 2;
    assert_kind(
        WebhookVerifier::from_public_key_bytes(bytes),
        WebhookErrorKind::InvalidPublicKey,
    );
    assert_kind(
        WebhookVerifier::new(&STANDARD.encode(bytes)),
        WebhookErrorKind::InvalidPublicKey,
    );
}

#[test]
fn public_key_round_trips_and_tolerates_whitespace() {
    let f = Fixture::new();
    let encoded = STANDARD.encode(f.key.verifying_key().as_bytes());
    assert_eq!(f.verifier.public_key_base64(), encoded);
    assert_eq!(
        f.verifier.public_key_bytes(),
        f.key.verifying_key().to_bytes()
    );
    let v = WebhookVerifier::new(&format!("  {encoded}\n")).unwrap();
    assert_eq!(v.public_key_bytes(), f.verifier.public_key_bytes());
    let v = WebhookVerifier::from_public_key_bytes(f.key.verifying_key().to_bytes()).unwrap();
    assert_eq!(v.public_key_base64(), encoded);
}

#[test]
fn debug_shows_public_key_and_tolerance() {
    let f = Fixture::new();
    let debug = format!("{:?}", f.verifier);
    assert!(debug.contains("WebhookVerifier"), "{debug}");
    assert!(debug.contains(&f.verifier.public_key_base64()), "{debug}");
    assert!(debug.contains("300s"), "{debug}");
}

/// The only test that touches the process environment (tests run in threads).
#[test]
fn from_env_and_client_webhooks_read_telnyx_public_key() {
    // SAFETY (edition 2024 marks set_var/remove_var unsafe): the only test of this
    // binary that reads or writes the environment, so no other thread does meanwhile.
    assert_eq!(PUBLIC_KEY_ENV, "TELNYX_PUBLIC_KEY");
    let f = Fixture::new();
    let encoded = STANDARD.encode(f.key.verifying_key().as_bytes());

    unsafe { std::env::remove_var(PUBLIC_KEY_ENV); }
    let err = assert_kind(
        WebhookVerifier::from_env(),
        WebhookErrorKind::MissingPublicKey,
    );
    assert!(err.to_string().contains("TELNYX_PUBLIC_KEY"), "{err}");

    unsafe { std::env::set_var(PUBLIC_KEY_ENV, ""); }
    assert_kind(
        WebhookVerifier::from_env(),
        WebhookErrorKind::MissingPublicKey,
    );

    unsafe { std::env::set_var(PUBLIC_KEY_ENV, STANDARD.encode([1u8; 31])); }
    assert_kind(
        WebhookVerifier::from_env(),
        WebhookErrorKind::InvalidPublicKey,
    );

    unsafe { std::env::set_var(PUBLIC_KEY_ENV, format!("{encoded}\n")); }
    let v = WebhookVerifier::from_env().unwrap().with_clock(|| at(NOW));
    let body = FAX_DELIVERED.as_bytes();
    v.verify(body, f.headers(NOW, body)).unwrap();

    // Client::webhooks() reads the same variable.
    let client = telnyx_fax::Client::builder()
        .api_key("KEY_test")
        .build()
        .unwrap();
    let from_client = client.webhooks().unwrap();
    assert_eq!(from_client.public_key_base64(), encoded);

    unsafe { std::env::remove_var(PUBLIC_KEY_ENV); }
    assert_kind(client.webhooks(), WebhookErrorKind::MissingPublicKey);
}

// -------------------------------------------------------------------- parsing

#[test]
fn unwrap_as_value_parses_signed_fax_delivered() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let event: serde_json::Value = f.verifier.unwrap_as(body, f.headers(NOW, body)).unwrap();
    assert_eq!(event["data"]["event_type"], "fax.delivered");
    assert_eq!(event["data"]["payload"]["fax_id"], FAX_ID);
}

#[test]
fn unwrap_as_custom_struct() {
    #[derive(serde::Deserialize)]
    struct Envelope {
        data: Data,
    }
    #[derive(serde::Deserialize)]
    struct Data {
        event_type: String,
        payload: Payload,
    }
    #[derive(serde::Deserialize)]
    struct Payload {
        fax_id: String,
        page_count: u32,
    }
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let event: Envelope = f.verifier.unwrap_as(body, f.headers(NOW, body)).unwrap();
    assert_eq!(event.data.event_type, "fax.delivered");
    assert_eq!(event.data.payload.fax_id, FAX_ID);
    assert_eq!(event.data.payload.page_count, 2);
}

#[test]
fn unwrap_verifies_before_parsing() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let headers = f.headers(NOW, body);
    let tampered = FAX_DELIVERED.replace("delivered", "failed");
    assert_kind(
        f.verifier.unwrap(tampered.as_bytes(), &headers),
        WebhookErrorKind::SignatureMismatch,
    );
    assert_kind(
        f.verifier
            .unwrap_as::<serde_json::Value>(tampered.as_bytes(), &headers),
        WebhookErrorKind::SignatureMismatch,
    );
    assert_kind(
        f.verifier.unwrap(body, f.headers(NOW - 1000, body)),
        WebhookErrorKind::TimestampTooOld,
    );
}

#[test]
fn unwrap_parses_signed_fax_delivered_into_typed_event() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let event = f.verifier.unwrap(body, f.headers(NOW, body)).unwrap();
    assert_eq!(event.event_type(), "fax.delivered");
    let WebhookEvent::FaxDelivered(delivered) = &event else {
        panic!("expected FaxDelivered, got {event:?}");
    };
    let payload = &delivered.data.payload;
    assert_eq!(payload.fax_id.as_str(), FAX_ID);
    assert_eq!(payload.page_count, Some(2));
    assert_eq!(payload.call_duration_secs, Some(25));
    assert_eq!(payload.to.as_str(), "+13127367276");
    assert_eq!(delivered.data.id, "95479a2e-b947-470a-a88f-2da6dd07ae0f");
    assert_eq!(delivered.meta.as_ref().and_then(|m| m.attempt), Some(1));
}

#[test]
fn unwrap_parses_every_known_event_type() {
    let f = Fixture::new();
    for event_type in WebhookEvent::EVENT_TYPES {
        // Each event's payload `status` is a constant: the event's own state.
        let status = match *event_type {
            "fax.sending.started" => "sending",
            other => other.trim_start_matches("fax."),
        };
        let body = format!(
            r#"{{"data":{{"record_type":"event","id":"95479a2e-b947-470a-a88f-2da6dd07ae0f","occurred_at":"2024-05-05T10:01:40Z","event_type":"{event_type}","payload":{{"fax_id":"{FAX_ID}","connection_id":"234423","direction":"outbound","from":"+13125790015","to":"+13127367276","status":"{status}","user_id":"19a75cea-02c6-4b9a-84fa-c9bc8341feb8"}}}}}}"#
        );
        let body = body.as_bytes();
        let event = f
            .verifier
            .unwrap(body, f.headers(NOW, body))
            .unwrap_or_else(|e| panic!("{event_type}: {e}"));
        assert_eq!(event.event_type(), *event_type);
        assert!(
            !matches!(event, WebhookEvent::Unknown(_)),
            "{event_type} parsed as Unknown"
        );
        assert!(format!("{event:?}").contains(FAX_ID), "{event:?}");
    }
}

#[test]
fn unwrap_keeps_unknown_event_types() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.replace("fax.delivered", "fax.teleported");
    let body = body.as_bytes();
    let event = f.verifier.unwrap(body, f.headers(NOW, body)).unwrap();
    match &event {
        WebhookEvent::Unknown(value) => {
            assert_eq!(value["data"]["event_type"], "fax.teleported");
            assert_eq!(value["data"]["payload"]["fax_id"], FAX_ID);
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
    assert_eq!(event.event_type(), "fax.teleported");
}

#[test]
fn unwrap_reports_a_known_event_of_the_wrong_shape_as_parse_error() {
    // `fax.delivered` without its required `payload`: serde's message is kept.
    let f = Fixture::new();
    let body = br#"{"data":{"record_type":"event","id":"x","occurred_at":"2024-05-05T10:01:40Z","event_type":"fax.delivered"}}"#;
    let err = assert_kind(
        f.verifier.unwrap(body, f.headers(NOW, body)),
        WebhookErrorKind::Parse,
    );
    assert!(err.to_string().contains("payload"), "{err}");
}

#[test]
fn signed_body_that_is_not_json_is_a_parse_error() {
    let f = Fixture::new();
    for body in [&b"not json"[..], b"", b"{\"data\":", b"\xff\xfe"] {
        let headers = f.headers(NOW, body);
        f.verifier.verify(body, &headers).unwrap();
        let err = assert_kind(
            f.verifier.unwrap_as::<serde_json::Value>(body, &headers),
            WebhookErrorKind::Parse,
        );
        // serde's own message is kept, and is the error's source.
        let source = std::error::Error::source(&err).expect("serde_json error as source");
        assert!(err.to_string().contains(&source.to_string()), "{err}");
        assert_kind(f.verifier.unwrap(body, &headers), WebhookErrorKind::Parse);
    }
}

#[test]
fn signed_json_of_the_wrong_shape_is_a_parse_error() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct NeedsNumber {
        n: u32,
    }
    let f = Fixture::new();
    let body = br#"{"n":"seven"}"#;
    let err = assert_kind(
        f.verifier
            .unwrap_as::<NeedsNumber>(body, &f.headers(NOW, body)),
        WebhookErrorKind::Parse,
    );
    assert!(err.to_string().contains("invalid type"), "{err}");
}

#[test]
fn unsafe_unwrap_parses_without_headers() {
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let unverified = unsafe_unwrap(body).unwrap();
    assert!(matches!(unverified, WebhookEvent::FaxDelivered(_)));
    let verified = f.verifier.unwrap(body, f.headers(NOW, body)).unwrap();
    assert_eq!(verified, unverified);
    assert_kind(unsafe_unwrap(b"not json"), WebhookErrorKind::Parse);
    assert_kind(unsafe_unwrap(b""), WebhookErrorKind::Parse);
}

#[test]
fn error_kinds_display_and_are_std_errors() {
    fn is_error<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
    let err = WebhookVerifier::new("").unwrap_err();
    is_error(&err);
    assert!(!err.to_string().is_empty());
    assert_eq!(
        WebhookErrorKind::SignatureMismatch.to_string(),
        "webhook signature does not match"
    );
}

// ------------------------------------------------------------- trait usability

#[test]
fn custom_header_type_can_implement_the_trait() {
    struct TwoHeaders {
        signature: String,
        timestamp: String,
    }
    impl WebhookHeaders for TwoHeaders {
        fn header(&self, name: &str) -> Option<&[u8]> {
            match name {
                SIGNATURE_HEADER => Some(self.signature.as_bytes()),
                TIMESTAMP_HEADER => Some(self.timestamp.as_bytes()),
                _ => None,
            }
        }
    }
    let f = Fixture::new();
    let body = FAX_DELIVERED.as_bytes();
    let ts = NOW.to_string();
    let headers = TwoHeaders {
        signature: f.sign(&ts, body),
        timestamp: ts,
    };
    f.verifier.verify(body, &headers).unwrap();
    f.verifier.verify(body, headers).unwrap();
}

#[test]
fn verifier_is_send_sync_clone() {
    fn check<T: Send + Sync + Clone + 'static>() {}
    check::<WebhookVerifier>();
    fn check_err<T: Send + Sync + 'static>() {}
    check_err::<WebhookError>();
}

fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ------------------------------------------------------------------- proptest

fn arb_timestamp() -> impl Strategy<Value = String> {
    prop_oneof![
        // Around now: passes the tolerance check, so the signature is what decides.
        (NOW - 400..NOW + 400).prop_map(|t| t.to_string()),
        any::<u64>().prop_map(|t| t.to_string()),
        "[0-9]{0,40}",
        "[0-9 .+eE-]{0,24}",
        any::<String>(),
    ]
}

fn arb_signature() -> impl Strategy<Value = String> {
    prop_oneof![
        // Well-formed: 64 random bytes in standard base64.
        proptest::collection::vec(any::<u8>(), 64).prop_map(|b| STANDARD.encode(b)),
        proptest::collection::vec(any::<u8>(), 0..130).prop_map(|b| STANDARD.encode(b)),
        "[A-Za-z0-9+/=]{0,120}",
        any::<String>(),
    ]
}

fn arb_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(SIGNATURE_HEADER.to_owned()),
        Just(TIMESTAMP_HEADER.to_owned()),
        Just("Telnyx-Signature-Ed25519".to_owned()),
        Just("TELNYX-TIMESTAMP".to_owned()),
        "[a-zA-Z-]{0,30}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Random signatures never verify, and nothing panics.
    #[test]
    fn random_signatures_never_verify(
        body in proptest::collection::vec(any::<u8>(), 0..512),
        timestamp in arb_timestamp(),
        signature in arb_signature(),
    ) {
        let f = Fixture::new();
        let headers = pairs(&signature, &timestamp);
        prop_assert!(f.verifier.verify(&body, &headers).is_err());
        prop_assert!(f.verifier.unwrap_as::<serde_json::Value>(&body, &headers).is_err());
        prop_assert!(f.verifier.unwrap(&body, &headers).is_err());
        // The same through a HeaderMap, when the strings are valid header values.
        if let (Ok(s), Ok(t)) = (HeaderValue::from_str(&signature), HeaderValue::from_str(&timestamp)) {
            let mut map = HeaderMap::new();
            map.insert(SIGNATURE_HEADER, s);
            map.insert(TIMESTAMP_HEADER, t);
            prop_assert!(f.verifier.verify(&body, &map).is_err());
        }
    }

    /// Arbitrary header sets (random names, duplicates, any values) never panic
    /// and never verify.
    #[test]
    fn arbitrary_headers_never_panic(
        body in proptest::collection::vec(any::<u8>(), 0..256),
        headers in proptest::collection::vec(
            (arb_name(), prop_oneof![arb_timestamp(), arb_signature()]),
            0..6,
        ),
        now in any::<u64>(),
        tolerance in any::<u64>(),
    ) {
        let f = Fixture::new();
        let verifier = f.verifier
            .clone()
            .with_tolerance(Duration::from_secs(tolerance))
            .with_clock(move || UNIX_EPOCH.checked_add(Duration::from_secs(now)).unwrap_or(UNIX_EPOCH));
        prop_assert!(verifier.verify(&body, &headers).is_err());
        let map: BTreeMap<String, String> = headers.iter().cloned().collect();
        prop_assert!(verifier.verify(&body, &map).is_err());
        let _ = unsafe_unwrap(&body);
    }

    /// A genuine signature verifies for any body and any timestamp within
    /// the tolerance, and stops verifying when one byte of the body changes.
    #[test]
    fn genuine_signatures_verify_and_any_change_breaks_them(
        body in proptest::collection::vec(any::<u8>(), 1..512),
        offset in -300i64..=300,
        index in any::<proptest::sample::Index>(),
        xor in 1u8..=255,
    ) {
        let f = Fixture::new();
        let ts = NOW.checked_add_signed(offset).unwrap();
        let headers = f.headers(ts, &body);
        prop_assert!(f.verifier.verify(&body, &headers).is_ok());
        let mut changed = body.clone();
        changed[index.index(body.len())] ^= xor;
        let err = f.verifier.verify(&changed, &headers).unwrap_err();
        prop_assert_eq!(err.kind(), WebhookErrorKind::SignatureMismatch);
    }

    /// Arbitrary public key strings never panic.
    #[test]
    fn arbitrary_public_keys_never_panic(key in any::<String>(), bytes in any::<[u8; 32]>()) {
        let _ = WebhookVerifier::new(&key);
        let _ = WebhookVerifier::new(&STANDARD.encode(bytes));
        let _ = WebhookVerifier::from_public_key_bytes(bytes);
    }
}
