//! Client configuration from the environment. One test function only, as
//! it changes process-wide environment variables.

use reqwest::Method;
use serde_json::{json, Value};
use telnyx_fax::{Client, ErrorKind, Request};
use wiremock::matchers::{any, header};
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY_ENV: &str = "TELNYX_API_KEY";
const BASE_URL_ENV: &str = "TELNYX_BASE_URL";

#[tokio::test]
async fn client_from_env_and_builder_validation() {
    // SAFETY (edition 2024 marks set_var/remove_var unsafe): this is the only test
    // of this binary, and nothing else in it reads or writes the environment meanwhile.
    unsafe { std::env::remove_var(API_KEY_ENV); }
    unsafe { std::env::remove_var(BASE_URL_ENV); }

    // No key anywhere: a clear error naming the variable.
    let err = Client::from_env().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.to_string().contains(API_KEY_ENV), "{err}");
    unsafe { std::env::set_var(API_KEY_ENV, "  "); }
    assert!(Client::from_env().unwrap_err().is_invalid_argument(), "blank key");

    // Key from the environment, default base URL.
    unsafe { std::env::set_var(API_KEY_ENV, "env-key"); }
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), "https://api.telnyx.com/v2");
    assert_eq!(client.timeout(), std::time::Duration::from_secs(60));
    assert_eq!(client.max_retries(), 2);
    assert!(!format!("{client:?}").contains("env-key"));

    // Base URL from the environment; requests carry the env key.
    let server = MockServer::start().await;
    Mock::given(any())
        .and(header("authorization", "Bearer env-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    unsafe { std::env::set_var(BASE_URL_ENV, format!("{}/", server.uri())); }
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), server.uri());
    let value: Value = Request::new(&client, Method::GET, "/faxes", "ListFaxes").await.unwrap();
    assert_eq!(value, json!({"ok": true}));

    // Explicit builder values win over the environment.
    let client = Client::builder()
        .api_key("explicit")
        .base_url("http://127.0.0.1:9/v2")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9/v2");

    // An invalid base URL is rejected at build time.
    for bad in ["not a url", "ftp://example.com", "/relative"] {
        let err = Client::builder().api_key("k").base_url(bad).build().unwrap_err();
        assert!(err.is_invalid_argument(), "{bad}: {err}");
    }

    unsafe { std::env::remove_var(API_KEY_ENV); }
    unsafe { std::env::remove_var(BASE_URL_ENV); }
}
