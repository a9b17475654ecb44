//! Retries, backoff, `Retry-After`, timeouts and connection failures of the
//! hand-written runtime, against wiremock (and raw sockets) on 127.0.0.1.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;
use telnyx_fax::{Client, ErrorKind, Request};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize, PartialEq)]
struct Thing {
    id: String,
}

/// A client for `server` whose computed backoff is ~1 ms.
fn client_for(uri: &str) -> Client {
    Client::builder()
        .api_key("test-key")
        .base_url(uri)
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap()
}

fn get_thing(client: &Client) -> Request<'_, Thing> {
    Request::new(client, Method::GET, "/things/{id}", "GetThing").path_param("id", "t1")
}

fn ok_thing() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"id": "t1"}))
}

/// Mounts `first` for the first `n` requests, then `then` forever.
async fn mount_sequence(server: &MockServer, first: ResponseTemplate, n: u64, then: ResponseTemplate) {
    Mock::given(path("/things/t1"))
        .respond_with(first)
        .up_to_n_times(n)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path("/things/t1"))
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn retry_429_honours_retry_after_seconds() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        1,
        ok_thing(),
    )
    .await;
    let client = client_for(&server.uri());
    let started = Instant::now();
    let thing = get_thing(&client).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(thing, Thing { id: "t1".into() });
    assert_eq!(request_count(&server).await, 2);
    // The computed backoff is ~1 ms, so only Retry-After explains a 1 s wait.
    assert!(elapsed >= Duration::from_millis(950), "waited only {elapsed:?}");
}

#[tokio::test]
async fn retry_after_ms_is_honoured() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        ResponseTemplate::new(503).insert_header("retry-after-ms", "300"),
        1,
        ok_thing(),
    )
    .await;
    let client = client_for(&server.uri());
    let started = Instant::now();
    get_thing(&client).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(request_count(&server).await, 2);
    // The computed backoff is ~1 ms; retry-after-ms wins over Retry-After
    // (unit test `server_delay_rules` in request.rs).
    assert!(elapsed >= Duration::from_millis(280), "waited only {elapsed:?}");
}

#[tokio::test]
async fn retry_500_then_success() {
    let server = MockServer::start().await;
    mount_sequence(&server, ResponseTemplate::new(500), 1, ok_thing()).await;
    let client = client_for(&server.uri());
    assert_eq!(get_thing(&client).await.unwrap().id, "t1");
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn retries_408_and_409() {
    for status in [408, 409] {
        let server = MockServer::start().await;
        mount_sequence(&server, ResponseTemplate::new(status), 2, ok_thing()).await;
        let client = client_for(&server.uri());
        assert_eq!(get_thing(&client).await.unwrap().id, "t1", "status {status}");
        assert_eq!(request_count(&server).await, 3, "status {status}");
    }
}

#[tokio::test]
async fn persistent_503_gives_up_after_max_retries() {
    let server = MockServer::start().await;
    Mock::given(path("/things/t1"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("x-request-id", "req-503")
                .set_body_json(json!({"errors": [{"code": "90000", "title": "Service unavailable"}]})),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("test-key")
        .base_url(server.uri())
        .retry_base_delay(Duration::from_millis(1))
        .max_retries(2)
        .build()
        .unwrap();
    let err = get_thing(&client).await.unwrap_err();
    assert_eq!(request_count(&server).await, 3);
    assert_eq!(err.kind(), ErrorKind::Server);
    assert!(err.is_server() && err.is_retryable());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.request_id(), Some("req-503"));
    assert_eq!(err.first_error().unwrap().code.as_deref(), Some("90000"));
}

#[tokio::test]
async fn default_max_retries_is_two() {
    let server = MockServer::start().await;
    Mock::given(path("/things/t1"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    assert_eq!(client.max_retries(), 2);
    get_thing(&client).await.unwrap_err();
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test]
async fn x_should_retry_false_prevents_retry() {
    let server = MockServer::start().await;
    Mock::given(path("/things/t1"))
        .respond_with(ResponseTemplate::new(503).insert_header("x-should-retry", "false"))
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let err = get_thing(&client).await.unwrap_err();
    assert_eq!(request_count(&server).await, 1);
    assert!(err.is_server());
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn x_should_retry_true_retries_a_400() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        ResponseTemplate::new(400).insert_header("x-should-retry", "true"),
        1,
        ok_thing(),
    )
    .await;
    let client = client_for(&server.uri());
    assert_eq!(get_thing(&client).await.unwrap().id, "t1");
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn non_retryable_statuses_are_sent_once() {
    for status in [400, 401, 403, 404, 422] {
        let server = MockServer::start().await;
        Mock::given(path("/things/t1"))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let client = client_for(&server.uri());
        let err = get_thing(&client).await.unwrap_err();
        assert_eq!(err.status().unwrap().as_u16(), status);
        assert!(!err.is_retryable());
        assert_eq!(request_count(&server).await, 1, "status {status}");
    }
}

#[tokio::test]
async fn client_max_retries_zero_sends_once() {
    let server = MockServer::start().await;
    Mock::given(path("/things/t1"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("test-key")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    let err = get_thing(&client).await.unwrap_err();
    assert!(err.is_server());
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn per_request_max_retries_overrides_the_client() {
    let server = MockServer::start().await;
    Mock::given(path("/things/t1"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;
    let none = Client::builder()
        .api_key("test-key")
        .base_url(server.uri())
        .retry_base_delay(Duration::from_millis(1))
        .max_retries(0)
        .build()
        .unwrap();
    let err = get_thing(&none).max_retries(3).await.unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(request_count(&server).await, 4);

    server.reset().await;
    Mock::given(path("/things/t1"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let default = client_for(&server.uri());
    get_thing(&default).max_retries(0).await.unwrap_err();
    assert_eq!(request_count(&server).await, 1);
}

/// A POST with an idempotency key is retried after a 5xx, with the same
/// body and the same key on every attempt.
#[tokio::test]
async fn post_body_is_resent_identically() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "new"})))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let body = json!({"to": "+13127367276", "media_urls": ["https://a/1.pdf", "https://a/2.pdf"], "n": 1});
    let created: Thing = Request::new(&client, Method::POST, "/things", "CreateThing")
        .json(&body)
        .idempotency_key("create-thing-1")
        .await
        .unwrap();
    assert_eq!(created.id, "new");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    let expected = serde_json::to_vec(&body).unwrap();
    for r in &requests {
        assert_eq!(r.body, expected);
        assert_eq!(r.headers["content-type"], "application/json");
        assert_eq!(r.headers["idempotency-key"], "create-thing-1");
    }
}

#[tokio::test]
async fn slow_server_times_out() {
    let server = MockServer::start().await;
    Mock::given(path("/things/t1"))
        .respond_with(ok_thing().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let err = get_thing(&client)
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(err.is_timeout() && err.is_retryable());
    assert!(err.status().is_none());

    // The client-wide timeout applies too.
    let client = Client::builder()
        .api_key("test-key")
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    assert!(get_thing(&client).await.unwrap_err().is_timeout());
}

#[tokio::test]
async fn timeouts_are_retried() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        ok_thing().set_delay(Duration::from_secs(5)),
        1,
        ok_thing(),
    )
    .await;
    let client = client_for(&server.uri());
    let thing = get_thing(&client)
        .timeout(Duration::from_millis(300))
        .await
        .unwrap();
    assert_eq!(thing.id, "t1");
    assert_eq!(request_count(&server).await, 2);
}

/// A server that accepts connections and closes them without answering;
/// returns its URL and the number of connections accepted.
async fn closing_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { break };
            counter.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    (format!("http://{addr}"), accepted)
}

#[tokio::test]
async fn connection_closed_is_a_retried_connection_error() {
    let (uri, accepted) = closing_server().await;
    let client = client_for(&uri);
    let err = get_thing(&client).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert!(err.is_connection() && err.is_retryable());
    assert!(err.status().is_none());
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(accepted.load(Ordering::SeqCst), 3, "first attempt + 2 retries");
}

#[tokio::test]
async fn connection_refused_is_a_connection_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = client_for(&format!("http://{addr}"));
    let err = get_thing(&client).max_retries(1).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert!(!err.to_string().contains("test-key"));
}
