//! Signed webhooks for tests of a webhook handler, with no crypto code or
//! dependency on the test's side: [`WebhookSigner`] signs a body with a fixed
//! test key in the API's scheme and gives the matching verifier.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::Signer as _;
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::webhooks::{
    Ed25519Verifier, StandardWebhooksVerifier, WebhookVerifier, SIGNATURE_HEADER, TIMESTAMP_HEADER, WEBHOOK_ID_HEADER,
    WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER,
};

/// The fixed test key's 32 bytes: an Ed25519 seed or an HMAC key. Public on
/// purpose: it only ever signs test webhooks.
const TEST_KEY: [u8; 32] = *b"test key of the SDK's test doubl";

/// The signing side of a webhook scheme.
#[derive(Clone)]
enum Key {
    Ed25519(Box<ed25519_dalek::SigningKey>),
    Standard(StandardWebhooksVerifier),
}

/// The API's verifier type (chosen in the crate config) and the signer that
/// matches it, both from [`TEST_KEY`].
trait TestScheme: Sized {
    fn test_key() -> Key;
    fn test_verifier() -> Self;
}

impl TestScheme for Ed25519Verifier {
    fn test_key() -> Key {
        Key::Ed25519(Box::new(ed25519_dalek::SigningKey::from_bytes(&TEST_KEY)))
    }
    fn test_verifier() -> Self {
        let public = ed25519_dalek::SigningKey::from_bytes(&TEST_KEY).verifying_key().to_bytes();
        Ed25519Verifier::from_public_key_bytes(public).expect("the public half of a signing key is a valid key")
    }
}

impl TestScheme for StandardWebhooksVerifier {
    fn test_key() -> Key {
        Key::Standard(Self::test_verifier())
    }
    fn test_verifier() -> Self {
        StandardWebhooksVerifier::from_key_bytes(TEST_KEY.to_vec())
    }
}

/// Signs webhook bodies as the API does, with a fixed test key, for tests of
/// a webhook handler: [`sign`](Self::sign) gives the request headers and
/// [`verifier`](Self::verifier) the [`WebhookVerifier`] that accepts them.
///
/// ```
/// use telnyx_fax::testing::WebhookSigner;
///
/// let signer = WebhookSigner::new();
/// let body = br#"{"data":{"event_type":"item.created"}}"#;
/// let headers = signer.sign(body); // an http::HeaderMap
/// // The handler under test is given `signer.verifier()` in place of
/// // `WebhookVerifier::from_env()?`:
/// signer.verifier().verify(body, &headers).unwrap();
/// // Changed bytes fail, as they would in production.
/// assert!(signer.verifier().verify(b"{}", &headers).is_err());
/// ```
#[derive(Clone)]
pub struct WebhookSigner {
    key: Key,
}

impl std::fmt::Debug for WebhookSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSigner").finish_non_exhaustive()
    }
}

impl Default for WebhookSigner {
    fn default() -> Self {
        Self::new()
    }
}

impl WebhookSigner {
    /// A signer with the fixed test key, in the API's signature scheme.
    #[must_use]
    pub fn new() -> Self {
        WebhookSigner { key: <WebhookVerifier as TestScheme>::test_key() }
    }

    /// The verifier that accepts this signer's webhooks (default tolerance,
    /// system clock).
    #[must_use]
    pub fn verifier(&self) -> WebhookVerifier {
        <WebhookVerifier as TestScheme>::test_verifier()
    }

    /// The headers of a webhook carrying `body`, signed now.
    #[must_use]
    pub fn sign(&self, body: impl AsRef<[u8]>) -> HeaderMap {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        self.sign_at(body, now)
    }

    /// The headers of a webhook carrying `body`, signed at `unix_seconds`
    /// (to test the timestamp tolerance).
    #[must_use]
    pub fn sign_at(&self, body: impl AsRef<[u8]>, unix_seconds: u64) -> HeaderMap {
        let body = body.as_ref();
        let timestamp = unix_seconds.to_string();
        let mut headers = HeaderMap::new();
        let mut put = |name: &str, value: String| {
            let name = HeaderName::from_bytes(name.as_bytes()).expect("the scheme's header names are valid");
            let value = HeaderValue::from_str(&value).expect("base64 and digits are valid header values");
            headers.insert(name, value);
        };
        match &self.key {
            Key::Ed25519(key) => {
                let mut message = Vec::with_capacity(timestamp.len() + 1 + body.len());
                message.extend_from_slice(timestamp.as_bytes());
                message.push(b'|');
                message.extend_from_slice(body);
                put(SIGNATURE_HEADER, STANDARD.encode(key.sign(&message).to_bytes()));
                put(TIMESTAMP_HEADER, timestamp);
            }
            Key::Standard(verifier) => {
                let id = "msg_test";
                put(WEBHOOK_SIGNATURE_HEADER, verifier.sign(id, unix_seconds, body));
                put(WEBHOOK_ID_HEADER, id.to_string());
                put(WEBHOOK_TIMESTAMP_HEADER, timestamp);
            }
        }
        headers
    }
}
