//! The blocking client (feature `blocking`) against wiremock on 127.0.0.1:
//! every scenario runs twice, once with the async client and once with
//! `blocking::Client`, and both must give the same outcome (retries,
//! `Retry-After`, timeouts, error kinds, paging, JSON vs multipart bodies).
//!
//! The test functions are plain `#[test]`s: the blocking client runs on the
//! test thread with no runtime of the caller's; the mock server runs on its
//! own thread, and a separate runtime here only mounts mocks and drives the
//! async client.

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use serde_json::{json, Value};
use telnyx_fax::blocking;
use telnyx_fax::types::{Fax, FaxesListFilter, FaxesListFilterDirection, SendFaxRequest};
use telnyx_fax::{Client, FileUpload, Result};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Async,
    Blocking,
}

const MODES: [Mode; 2] = [Mode::Async, Mode::Blocking];

/// A mock server, the runtime that talks to it, and both clients.
struct Env {
    rt: tokio::runtime::Runtime,
    server: MockServer,
    async_client: Client,
    blocking_client: blocking::Client,
}

impl Env {
    fn new() -> Env {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = rt.block_on(MockServer::start());
        let async_client = Client::builder()
            .api_key("KEY-blocking")
            .base_url(server.uri())
            .retry_base_delay(Duration::from_millis(1))
            .build()
            .unwrap();
        let blocking_client = blocking::Client::builder()
            .api_key("KEY-blocking")
            .base_url(server.uri())
            .retry_base_delay(Duration::from_millis(1))
            .build()
            .unwrap();
        Env { rt, server, async_client, blocking_client }
    }

    fn mount(&self, mock: Mock) {
        self.rt.block_on(mock.mount(&self.server));
    }

    fn requests(&self) -> Vec<wiremock::Request> {
        self.rt.block_on(self.server.received_requests()).unwrap()
    }
}

/// Sends the request built by `$build` (from `$c`, the client of the mode):
/// `.await` for the async client, `.send()` for the blocking one.
macro_rules! send {
    ($env:expr, $mode:expr, |$c:ident| $build:expr) => {
        match $mode {
            Mode::Async => {
                let $c = &$env.async_client;
                $env.rt.block_on(async { $build.await })
            }
            Mode::Blocking => {
                let $c = &$env.blocking_client;
                $build.send()
            }
        }
    };
}

/// Every item of every page: `into_stream()` or the blocking iterator.
macro_rules! collect_all {
    ($env:expr, $mode:expr, |$c:ident| $build:expr) => {
        match $mode {
            Mode::Async => {
                let $c = &$env.async_client;
                $env.rt.block_on(async { $build.into_stream().try_collect::<Vec<_>>().await })
            }
            Mode::Blocking => {
                let $c = &$env.blocking_client;
                $build.into_iter().collect::<Result<Vec<_>>>()
            }
        }
    };
}

fn fax_json(id: &str) -> Value {
    json!({"id": id, "record_type": "fax", "status": "queued", "connection_id": "234423", "from": "+13125790015", "to": "+13127367276", "direction": "outbound", "created_at": "2024-05-05T09:59:12Z", "updated_at": "2024-05-05T09:59:12Z"})
}

fn error_body(code: &str, title: &str) -> Value {
    json!({"errors": [{"code": code, "title": title, "detail": title}]})
}

/// Mounts `first` for the first `n` requests to `GET /faxes/f1`, then a fax.
fn mount_then_ok(env: &Env, first: ResponseTemplate, n: u64) {
    env.mount(
        Mock::given(path("/faxes/f1")).respond_with(first).up_to_n_times(n).with_priority(1),
    );
    env.mount(
        Mock::given(path("/faxes/f1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": fax_json("f1")})))
            .with_priority(2),
    );
}

#[test]
fn retries_500_then_succeeds() {
    for mode in MODES {
        let env = Env::new();
        mount_then_ok(&env, ResponseTemplate::new(500), 1);
        let fax = send!(env, mode, |c| c.faxes().retrieve("f1")).unwrap();
        assert_eq!(fax.data.id.as_str(), "f1", "{mode:?}");
        assert_eq!(env.requests().len(), 2, "{mode:?}");
    }
}

#[test]
fn honours_retry_after_ms_on_429() {
    for mode in MODES {
        let env = Env::new();
        mount_then_ok(
            &env,
            ResponseTemplate::new(429)
                .insert_header("retry-after-ms", "150")
                .set_body_json(error_body("10011", "Too many requests")),
            1,
        );
        let start = Instant::now();
        send!(env, mode, |c| c.faxes().retrieve("f1")).unwrap();
        let waited = start.elapsed();
        assert!(waited >= Duration::from_millis(150), "{mode:?}: {waited:?}");
        assert!(waited < Duration::from_secs(5), "{mode:?}: {waited:?}");
        assert_eq!(env.requests().len(), 2, "{mode:?}");
    }
}

#[test]
fn gives_up_after_max_retries_and_per_request_override() {
    for mode in MODES {
        let env = Env::new();
        env.mount(Mock::given(path("/faxes/f1")).respond_with(ResponseTemplate::new(503)));
        let err = send!(env, mode, |c| c.faxes().retrieve("f1")).unwrap_err();
        assert!(err.is_server(), "{mode:?}: {err}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{mode:?}");
        assert_eq!(env.requests().len(), 3, "{mode:?}: default max_retries is 2");
        let err = send!(env, mode, |c| c.faxes().retrieve("f1").max_retries(0)).unwrap_err();
        assert!(err.is_server(), "{mode:?}");
        assert_eq!(env.requests().len(), 4, "{mode:?}: max_retries(0) sends once");
    }
}

#[test]
fn error_kinds_and_bodies() {
    for mode in MODES {
        let env = Env::new();
        for (id, status, code) in [("nf", 404, "10005"), ("bad", 422, "10015"), ("auth", 401, "10009")] {
            env.mount(
                Mock::given(path(format!("/faxes/{id}")))
                    .respond_with(ResponseTemplate::new(status).set_body_json(error_body(code, "nope"))),
            );
        }
        let err = send!(env, mode, |c| c.faxes().retrieve("nf")).unwrap_err();
        assert!(err.is_not_found(), "{mode:?}: {err}");
        let body = err.body().expect("parsed error body");
        assert_eq!(body.errors[0].code.as_deref(), Some("10005"), "{mode:?}");
        let err = send!(env, mode, |c| c.faxes().retrieve("bad")).unwrap_err();
        assert!(err.is_unprocessable_entity(), "{mode:?}: {err}");
        let err = send!(env, mode, |c| c.faxes().retrieve("auth")).unwrap_err();
        assert!(err.is_authentication(), "{mode:?}: {err}");
        // 4xx (other than 408/409/429) are not retried.
        assert_eq!(env.requests().len(), 3, "{mode:?}");
        // An invalid argument fails before anything is sent.
        let err = send!(env, mode, |c| c.faxes().retrieve("")).unwrap_err();
        assert!(err.is_invalid_argument(), "{mode:?}: {err}");
        assert_eq!(env.requests().len(), 3, "{mode:?}");
    }
}

#[test]
fn per_request_timeout() {
    for mode in MODES {
        let env = Env::new();
        env.mount(
            Mock::given(path("/faxes/slow")).respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"data": fax_json("slow")}))
                    .set_delay(Duration::from_millis(800)),
            ),
        );
        let start = Instant::now();
        let err = send!(env, mode, |c| c
            .faxes()
            .retrieve("slow")
            .timeout(Duration::from_millis(100))
            .max_retries(1))
        .unwrap_err();
        assert!(err.is_timeout(), "{mode:?}: {err}");
        assert!(start.elapsed() < Duration::from_millis(700), "{mode:?}: {:?}", start.elapsed());
        assert_eq!(env.requests().len(), 2, "{mode:?}: a timeout is retried");
    }
}

/// Three pages of two, two and one fax.
fn mount_pages(env: &Env, fail_page_two: bool) {
    let pages: [&[&str]; 3] = [&["a", "b"], &["c", "d"], &["e"]];
    for (i, ids) in pages.iter().enumerate() {
        let n = (i + 1).to_string();
        let data: Vec<Value> = ids.iter().map(|id| fax_json(id)).collect();
        let response = if fail_page_two && i == 1 {
            ResponseTemplate::new(500)
        } else {
            ResponseTemplate::new(200).set_body_json(json!({
                "data": data,
                "meta": {"page_number": i + 1, "page_size": 2, "total_pages": 3, "total_results": 5}
            }))
        };
        let mut mock = Mock::given(method("GET"))
            .and(path("/faxes"))
            .and(query_param("page[size]", "2"))
            .and(query_param("filter[direction][eq]", "inbound"));
        mock = if i == 0 {
            mock.and(wiremock::matchers::query_param_is_missing("page[number]"))
        } else {
            mock.and(query_param("page[number]", n.as_str()))
        };
        env.mount(mock.respond_with(response));
    }
}

#[test]
fn pages_through_every_item() {
    for mode in MODES {
        let env = Env::new();
        mount_pages(&env, false);
        let faxes: Vec<Fax> = collect_all!(env, mode, |c| c
            .faxes()
            .list()
            .filter(FaxesListFilter::new().direction(FaxesListFilterDirection::new().eq("inbound")))
            .page_size(2))
        .unwrap();
        let ids: Vec<&str> = faxes.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "d", "e"], "{mode:?}");
        assert_eq!(env.requests().len(), 3, "{mode:?}: one request per page");
    }
}

#[test]
fn paging_error_is_yielded_then_ends() {
    for mode in MODES {
        let env = Env::new();
        mount_pages(&env, true);
        let err = collect_all!(env, mode, |c| c
            .faxes()
            .list()
            .filter(FaxesListFilter::new().direction(FaxesListFilterDirection::new().eq("inbound")))
            .page_size(2)
            .max_retries(0))
        .unwrap_err();
        assert!(err.is_server(), "{mode:?}: {err}");
        assert_eq!(env.requests().len(), 2, "{mode:?}");
    }
    // The blocking iterator yields the first page, the error, then nothing.
    let env = Env::new();
    mount_pages(&env, true);
    let mut items = env
        .blocking_client
        .faxes()
        .list()
        .filter(FaxesListFilter::new().direction(FaxesListFilterDirection::new().eq("inbound")))
        .page_size(2)
        .max_retries(0)
        .into_iter();
    assert_eq!(items.next().unwrap().unwrap().id.as_str(), "a");
    assert_eq!(items.next().unwrap().unwrap().id.as_str(), "b");
    assert!(items.next().unwrap().is_err());
    assert!(items.next().is_none());
}

#[test]
fn blocking_for_loop_and_iter() {
    let env = Env::new();
    mount_pages(&env, false);
    let list = env
        .blocking_client
        .faxes()
        .list()
        .filter(FaxesListFilter::new().direction(FaxesListFilterDirection::new().eq("inbound")))
        .page_size(2);
    let first: Vec<String> = list.iter().map(|f| f.unwrap().id).collect();
    let mut second = Vec::new();
    for fax in list {
        second.push(fax.unwrap().id);
    }
    assert_eq!(first, ["a", "b", "c", "d", "e"]);
    assert_eq!(first, second);
    // One page only: `.send()`.
    let env = Env::new();
    mount_pages(&env, false);
    let page = env
        .blocking_client
        .faxes()
        .list()
        .filter(FaxesListFilter::new().direction(FaxesListFilterDirection::new().eq("inbound")))
        .page_size(2)
        .send_with_response()
        .unwrap();
    assert_eq!(page.status.as_u16(), 200);
    assert_eq!(page.data.data.len(), 2);
}

#[test]
fn create_sends_json_or_multipart_in_both_modes() {
    for mode in MODES {
        let env = Env::new();
        env.mount(
            Mock::given(method("POST"))
                .and(path("/faxes"))
                .respond_with(ResponseTemplate::new(202).set_body_json(json!({"data": fax_json("s1")}))),
        );
        let by_url = SendFaxRequest::new("234423", "+13125790015", "+13127367276")
            .media_url("https://example.com/a.pdf");
        let sent = send!(env, mode, |c| c.faxes().create(by_url.clone())).unwrap();
        assert_eq!(sent.data.id.as_str(), "s1");
        let upload = SendFaxRequest::new("234423", "+13125790015", "+13127367276")
            .contents(FileUpload::from_bytes("a.pdf", b"%PDF-1.4".to_vec()));
        send!(env, mode, |c| c.faxes().create(upload.clone())).unwrap();
        let requests = env.requests();
        let ct = |i: usize| requests[i].headers["content-type"].to_str().unwrap().to_owned();
        assert_eq!(ct(0), "application/json", "{mode:?}");
        let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
        assert_eq!(body["media_url"], "https://example.com/a.pdf");
        assert!(body.get("contents").is_none());
        assert!(ct(1).starts_with("multipart/form-data; boundary="), "{mode:?}: {}", ct(1));
        let text = String::from_utf8_lossy(&requests[1].body);
        assert!(text.contains("name=\"contents\"; filename=\"a.pdf\""), "{mode:?}: {text}");
        assert!(text.contains("%PDF-1.4"), "{mode:?}");
    }
}

/// Inside an async runtime a nested `block_on` would panic; the blocking
/// client drives its request on a helper thread instead, and its runtime
/// is shut down without blocking when dropped there.
#[tokio::test(flavor = "multi_thread")]
async fn blocking_client_inside_an_async_runtime() {
    let server = MockServer::start().await;
    Mock::given(path("/faxes/f1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": fax_json("f1")})))
        .mount(&server)
        .await;
    let client = blocking::Client::builder().api_key("k").base_url(server.uri()).build().unwrap();
    let fax = client.faxes().retrieve("f1").send().unwrap();
    assert_eq!(fax.data.id.as_str(), "f1");
    let uri = server.uri();
    let fax = tokio::task::spawn_blocking(move || {
        let client = blocking::Client::builder().api_key("k").base_url(uri).build().unwrap();
        client.faxes().retrieve("f1").send()
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(fax.data.id.as_str(), "f1");
    drop(client);
}

/// One pool, two runtimes: after a blocking call, an async call through the
/// same async client (the one the blocking client wraps) reuses the pooled
/// connection, which must still be driven by the blocking client's runtime
/// thread; before, it waited for a runtime that nobody polled until its
/// timeout (issue 20).
#[test]
fn an_async_call_after_a_blocking_one_on_the_same_pool_does_not_stall() {
    let env = Env::new();
    env.mount(
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": fax_json("f1")}))),
    );
    let shared = blocking::Client::new(env.async_client.clone()).unwrap();
    for round in 0..3 {
        shared.faxes().retrieve("f1").max_retries(0).send().unwrap();
        let started = Instant::now();
        let fax = env
            .rt
            .block_on(async { shared.as_async().faxes().retrieve("f1").timeout(Duration::from_secs(5)).max_retries(0).await });
        assert!(fax.is_ok(), "round {round}: {fax:?} after {:?}", started.elapsed());
        assert!(started.elapsed() < Duration::from_secs(2), "round {round}: {:?}", started.elapsed());
    }
    assert_eq!(env.requests().len(), 6);
}

/// The page cap in both modes: the items of the pages fetched, then an
/// `ErrorKind::Paging` error (the list is incomplete), not a silent end.
#[test]
fn the_page_cap_is_an_error_in_both_modes() {
    for mode in MODES {
        let env = Env::new();
        mount_pages(&env, false);
        let filter = || FaxesListFilter::new().direction(FaxesListFilterDirection::new().eq("inbound"));
        let results: Vec<Result<Fax>> = match mode {
            Mode::Async => env.rt.block_on(async {
                let stream = env.async_client.faxes().list().filter(filter()).page_size(2).into_stream().max_pages(2);
                futures::StreamExt::collect(stream).await
            }),
            Mode::Blocking => env.blocking_client.faxes().list().filter(filter()).page_size(2).into_iter().max_pages(2).collect(),
        };
        assert_eq!(results.len(), 5, "{mode:?}");
        let ids: Vec<&str> = results[..4].iter().map(|r| r.as_ref().unwrap().id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "d"], "{mode:?}");
        let error = results[4].as_ref().unwrap_err();
        assert_eq!(error.kind(), telnyx_fax::ErrorKind::Paging, "{mode:?}: {error}");
        assert_eq!(env.requests().len(), 2, "{mode:?}");
    }
}
