//! Fault injection on real sockets (issue 20): plain tokio TCP servers on
//! 127.0.0.1 that read a request and then stall, drop the connection or
//! answer a status, count what they received, and check that one `create`
//! sends one fax unless the request carries an idempotency key; that
//! redirects never carry a request to another origin; that response bodies
//! and error copies stay bounded.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Method;
use telnyx_fax::prelude::*;
use telnyx_fax::{Request, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with each request it reads.
#[derive(Clone, Copy, Debug)]
enum Fault {
    /// Reads the request, then answers nothing for 30 s.
    Stall,
    /// Reads the request, then closes the connection.
    Drop,
    /// Answers this status with an empty body.
    Status(u16),
    /// Answers `503` with `Retry-After: <secs>`.
    Unavailable(u64),
}

/// A request as the server read it: head (lower-cased names) and body.
#[derive(Clone, Debug)]
struct Seen {
    line: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Reads one HTTP/1.1 request with a `Content-Length` body; `None` when the
/// peer closed first.
async fn read_request(socket: &mut TcpStream) -> Option<Seen> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).into_owned();
            let mut lines = head.split("\r\n");
            let line = lines.next().unwrap_or_default().to_owned();
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
                .collect();
            let length = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .and_then(|(_, v)| v.parse::<usize>().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                let body = String::from_utf8_lossy(&data[end + 4..end + 4 + length]).into_owned();
                return Some(Seen { line, headers, body });
            }
        }
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// A server that records every request and answers it with `fault`.
async fn fault_server(fault: Fault) -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log: Log = Arc::default();
    let seen = log.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { break };
            let seen = seen.clone();
            tokio::spawn(async move {
                while let Some(request) = read_request(&mut socket).await {
                    seen.lock().unwrap().push(request);
                    let answer = match fault {
                        Fault::Stall => {
                            tokio::time::sleep(Duration::from_secs(30)).await;
                            return;
                        }
                        Fault::Drop => return,
                        Fault::Status(code) => format!("HTTP/1.1 {code} X\r\ncontent-length: 0\r\n\r\n"),
                        Fault::Unavailable(secs) => {
                            format!("HTTP/1.1 503 X\r\nretry-after: {secs}\r\ncontent-length: 0\r\n\r\n")
                        }
                    };
                    if socket.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, log)
}

/// A server that answers every request with the response `respond` writes.
async fn scripted_server<F, Fut>(respond: F) -> (String, Log)
where
    F: Fn(TcpStream, Seen) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log: Log = Arc::default();
    let seen = log.clone();
    let respond = Arc::new(respond);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { break };
            let (seen, respond) = (seen.clone(), respond.clone());
            tokio::spawn(async move {
                if let Some(request) = read_request(&mut socket).await {
                    seen.lock().unwrap().push(request.clone());
                    respond(socket, request).await;
                }
            });
        }
    });
    (url, log)
}

fn client(url: &str) -> Client {
    Client::builder()
        .api_key("fault-test-key")
        .default_header("x-api-key", "fault-test-header")
        .base_url(url)
        .timeout(Duration::from_millis(300))
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap()
}

fn send_fax() -> SendFaxRequest {
    SendFaxRequest::new("234423", "+13125790015", "+13127367276").media_url("https://example.com/a.pdf")
}

fn posts(log: &Log) -> Vec<Seen> {
    log.lock().unwrap().iter().filter(|s| s.line.starts_with("POST ")).cloned().collect()
}

/// Faults after which the server may have acted on the request.
const AMBIGUOUS: [Fault; 5] = [Fault::Stall, Fault::Drop, Fault::Status(500), Fault::Status(409), Fault::Status(408)];

/// The headline: `faxes().create` is sent once under every fault where the
/// server may have sent the fax (before: 3 times each).
#[tokio::test]
async fn create_is_sent_once_when_the_server_may_have_acted() {
    for fault in AMBIGUOUS {
        let (url, log) = fault_server(fault).await;
        let err = client(&url).faxes().create(send_fax()).await.unwrap_err();
        assert_eq!(posts(&log).len(), 1, "{fault:?}: {err}");
        assert!(err.is_retryable(), "{fault:?}: the error still says a retry may succeed");
        assert!(posts(&log)[0].header("idempotency-key").is_none(), "the fax spec declares no idempotency header");
    }
}

/// With an idempotency key the same faults are retried, and every attempt
/// carries the same key.
#[tokio::test]
async fn create_with_a_key_is_retried_with_the_same_key() {
    for fault in AMBIGUOUS {
        let (url, log) = fault_server(fault).await;
        client(&url).faxes().create(send_fax()).idempotency_key("fax-7f3a").await.unwrap_err();
        let posts = posts(&log);
        assert_eq!(posts.len(), 3, "{fault:?}: first attempt + 2 retries");
        for post in &posts {
            assert_eq!(post.header("idempotency-key"), Some("fax-7f3a"), "{fault:?}");
            assert_eq!(post.body, posts[0].body);
        }
    }
}

/// Failures where the server did not act are retried for a POST too: `429`,
/// a `503` with `Retry-After`, and a refused connection.
#[tokio::test]
async fn create_is_retried_when_the_server_did_not_act() {
    for fault in [Fault::Status(429), Fault::Unavailable(0)] {
        let (url, log) = fault_server(fault).await;
        client(&url).faxes().create(send_fax()).await.unwrap_err();
        assert_eq!(posts(&log).len(), 3, "{fault:?}");
    }

    // A closed port that starts listening after ~150 ms: the POST, refused
    // at first, gets through on a retry.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let late = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let (mut socket, _) = listener.accept().await.unwrap();
        let seen = read_request(&mut socket).await.unwrap();
        let body = r#"{"data":{"id":"f1","record_type":"fax","status":"queued","connection_id":"234423","from":"+13125790015","to":"+13127367276","direction":"outbound","created_at":"2024-05-05T09:59:12Z","updated_at":"2024-05-05T09:59:12Z"}}"#;
        let answer = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len());
        socket.write_all(answer.as_bytes()).await.unwrap();
        seen
    });
    let client = Client::builder()
        .api_key("fault-test-key")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_base_delay(Duration::from_millis(100))
        .max_retries(6)
        .build()
        .unwrap();
    let fax = client.faxes().create(send_fax()).await.unwrap();
    assert_eq!(fax.data.id.as_str(), "f1");
    assert!(late.await.unwrap().line.starts_with("POST /faxes"));
}

/// A GET is idempotent: retried after the ambiguous faults.
#[tokio::test]
async fn get_is_still_retried() {
    for fault in [Fault::Drop, Fault::Status(500), Fault::Stall] {
        let (url, log) = fault_server(fault).await;
        client(&url).faxes().retrieve("f1").await.unwrap_err();
        assert_eq!(log.lock().unwrap().len(), 3, "{fault:?}");
    }
}

/// The official SDKs' behaviour is there by name; `Never` sends once.
#[tokio::test]
async fn retry_policies_by_name() {
    let (url, log) = fault_server(Fault::Status(500)).await;
    let official = Client::builder()
        .api_key("k")
        .base_url(&url)
        .retry_base_delay(Duration::from_millis(1))
        .retry_policy(RetryPolicy::LikeOfficialSdks)
        .build()
        .unwrap();
    official.faxes().create(send_fax()).await.unwrap_err();
    assert_eq!(posts(&log).len(), 3);

    let (url, log) = fault_server(Fault::Status(429)).await;
    let never = Client::builder().api_key("k").base_url(&url).retry_policy(RetryPolicy::Never).build().unwrap();
    never.faxes().retrieve("f1").await.unwrap_err();
    assert_eq!(log.lock().unwrap().len(), 1);
}

/// A `Retry-After` beyond the 60 s cap ends the call with the error (before:
/// the request was retried at once).
#[tokio::test]
async fn retry_after_beyond_the_cap_ends_the_call() {
    let (url, log) = fault_server(Fault::Unavailable(3600)).await;
    let started = Instant::now();
    let err = client(&url).faxes().retrieve("f1").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(log.lock().unwrap().len(), 1);
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// A deadline bounds the whole call: an attempt's timeout is cut to the
/// time left, and no retry starts after it.
#[tokio::test]
async fn deadline_bounds_the_whole_call() {
    // Each attempt would wait 10 s; the call's deadline is 400 ms.
    let (url, log) = fault_server(Fault::Stall).await;
    let client = Client::builder()
        .api_key("k")
        .base_url(&url)
        .timeout(Duration::from_secs(10))
        .retry_base_delay(Duration::from_millis(1))
        .deadline(Duration::from_millis(400))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.faxes().retrieve("f1").await.unwrap_err();
    let took = started.elapsed();
    assert!(err.is_timeout(), "{err}");
    assert!(took >= Duration::from_millis(350) && took < Duration::from_secs(3), "{took:?}");
    assert_eq!(log.lock().unwrap().len(), 1);

    // A backoff that would pass the deadline returns the last error at once.
    let (url, log) = fault_server(Fault::Status(500)).await;
    let client = Client::builder()
        .api_key("k")
        .base_url(&url)
        .retry_base_delay(Duration::from_secs(5))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.faxes().retrieve("f1").deadline(Duration::from_secs(1)).await.unwrap_err();
    assert!(err.is_server(), "{err}");
    assert_eq!(log.lock().unwrap().len(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
}

/// Answers a `307` to `target` (path included).
fn redirect_to(target: String) -> impl Fn(TcpStream, Seen) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> + Send + Sync + 'static {
    move |mut socket, _| {
        let answer = format!("HTTP/1.1 307 Temporary Redirect\r\nlocation: {target}\r\ncontent-length: 0\r\n\r\n");
        Box::pin(async move {
            let _ = socket.write_all(answer.as_bytes()).await;
        })
    }
}

async fn answer_fax(mut socket: TcpStream, _: Seen) {
    let body = r#"{"data":{"id":"f1","record_type":"fax","status":"queued","connection_id":"234423","from":"+13125790015","to":"+13127367276","direction":"outbound","created_at":"2024-05-05T09:59:12Z","updated_at":"2024-05-05T09:59:12Z"}}"#;
    let answer = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len());
    let _ = socket.write_all(answer.as_bytes()).await;
}

/// A `307` to another origin (another port of 127.0.0.1) is not followed:
/// the other server sees nothing (before: the POST body and the
/// `x-api-key` header), and the `307` is the error, with its `Location`.
#[tokio::test]
async fn cross_origin_redirect_is_not_followed() {
    let (other, other_log) = scripted_server(answer_fax).await;
    let (first, first_log) = scripted_server(redirect_to(format!("{other}/faxes"))).await;
    let err = client(&first).faxes().create(send_fax()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(307), "{err}");
    assert_eq!(err.headers().unwrap()["location"], format!("{other}/faxes"));
    assert!(err.to_string().contains("not followed"), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(first_log.lock().unwrap().len(), 1);
    assert!(other_log.lock().unwrap().is_empty(), "the other origin got {:?}", other_log.lock().unwrap());
}

/// A redirect within the same origin is followed, credentials and body kept.
#[tokio::test]
async fn same_origin_redirect_is_followed() {
    let (url, log) = scripted_server(|socket: TcpStream, seen: Seen| async move {
        if seen.line.starts_with("POST /faxes ") {
            let mut socket = socket;
            let _ = socket
                .write_all(b"HTTP/1.1 307 Temporary Redirect\r\nlocation: /v2/faxes\r\ncontent-length: 0\r\n\r\n")
                .await;
        } else {
            answer_fax(socket, seen).await;
        }
    })
    .await;
    let fax = client(&url).faxes().create(send_fax()).await.unwrap();
    assert_eq!(fax.data.id.as_str(), "f1");
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2);
    assert!(log[1].line.starts_with("POST /v2/faxes "), "{:?}", log[1].line);
    assert_eq!(log[1].header("authorization"), Some("Bearer fault-test-key"));
    assert_eq!(log[1].body, log[0].body);
}

/// Writes a status line, headers and `total` bytes of `x` in 64 KiB writes
/// (chunked when `chunked`), stopping when the client goes away.
async fn big_body(mut socket: TcpStream, status: u16, total: usize, chunked: bool) {
    let head = if chunked {
        format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
    } else {
        format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {total}\r\n\r\n")
    };
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let chunk = vec![b'x'; 64 * 1024];
    let mut left = total;
    while left > 0 {
        let n = left.min(chunk.len());
        let framed = if chunked {
            [format!("{n:x}\r\n").into_bytes(), chunk[..n].to_vec(), b"\r\n".to_vec()].concat()
        } else {
            chunk[..n].to_vec()
        };
        if socket.write_all(&framed).await.is_err() {
            return;
        }
        left -= n;
    }
    if chunked {
        let _ = socket.write_all(b"0\r\n\r\n").await;
    }
}

/// A `Content-Length` of 200 MB is refused before reading: a clean error,
/// quickly, naming the limit and the operation.
#[tokio::test]
async fn announced_huge_body_is_refused_before_reading() {
    let (url, _) = scripted_server(|socket, _| big_body(socket, 200, 200_000_000, false)).await;
    let started = Instant::now();
    let err = client(&url).faxes().retrieve("f1").timeout(Duration::from_secs(30)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{err}");
    let message = err.to_string();
    assert!(message.contains("33554432") && message.contains("ViewFax") && message.contains("200000000"), "{message}");
    assert!(!err.is_retryable() && !err.is_status());
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

/// A chunked body without `Content-Length` is cut off once it passes a
/// per-request limit.
#[tokio::test]
async fn chunked_body_over_the_limit_is_cut_off() {
    let (url, _) = scripted_server(|socket, _| big_body(socket, 200, 4_000_000, true)).await;
    let err = Request::<serde_json::Value>::new(&client(&url), Method::GET, "/media", "GetMedia")
        .max_response_bytes(1_000_000)
        .timeout(Duration::from_secs(30))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{err}");
    assert!(err.to_string().contains("1000000") && err.to_string().contains("GetMedia"), "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));

    // Under the limit, the same body is read whole.
    let (url, _) = scripted_server(|socket, _| big_body(socket, 200, 500_000, true)).await;
    let err = Request::<serde_json::Value>::new(&client(&url), Method::GET, "/media", "GetMedia")
        .max_response_bytes(1_000_000)
        .await
        .unwrap_err();
    // `xxx...` is not JSON: a decode error, with a bounded copy of the body.
    assert!(err.is_decode(), "{err}");
    assert_eq!(err.raw_body().unwrap().len(), 64 * 1024);
    assert!(err.body_truncated());
}

/// A big error body: one bounded copy kept (64 KiB), a bounded message.
#[tokio::test]
async fn error_body_and_message_are_bounded() {
    let (url, _) = scripted_server(|socket, _| big_body(socket, 500, 5_000_000, false)).await;
    let err = client(&url).faxes().retrieve("f1").max_retries(0).await.unwrap_err();
    assert!(err.is_server());
    assert_eq!(err.raw_body().unwrap().len(), 64 * 1024);
    assert!(err.body_truncated() && err.json().is_none());
    assert!(err.to_string().len() < 500, "{}", err.to_string().len());

    // A JSON error document with a 50 000-character detail: parsed, its
    // message cut with an ellipsis.
    let detail = "d".repeat(50_000);
    let body = format!(r#"{{"errors":[{{"code":"10015","detail":"{detail}"}}]}}"#);
    let (url, _) = scripted_server(move |mut socket: TcpStream, _| {
        let answer = format!("HTTP/1.1 422 X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len());
        async move {
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    })
    .await;
    let err = client(&url).faxes().retrieve("f1").await.unwrap_err();
    assert_eq!(err.first_error().unwrap().detail.as_deref().map(str::len), Some(50_000));
    assert_eq!(err.message().map(|m| m.len()), Some(50_000));
    let shown = err.to_string();
    assert!(shown.chars().count() < 1100 && shown.ends_with('…'), "{}", shown.len());
}

/// A listener whose accept queue is full: a new connection hangs in the
/// TCP handshake (the kernel drops its SYN), as with an unreachable host.
/// Returns its URL and what must stay alive.
async fn hanging_connects() -> (String, TcpListener, Vec<TcpStream>) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = socket.local_addr().unwrap();
    let listener = socket.listen(0).unwrap();
    let mut held = Vec::new();
    while let Ok(Ok(stream)) = tokio::time::timeout(Duration::from_millis(200), TcpStream::connect(addr)).await {
        held.push(stream);
        assert!(held.len() < 64, "the accept queue never filled");
    }
    (format!("http://{addr}"), listener, held)
}

/// The connect timeout is apart from the attempt's timeout, and a connect
/// that timed out is retried even for a POST (the server never saw it).
#[tokio::test]
async fn connect_timeout_is_apart_and_retried_for_post() {
    let (url, _listener, _held) = hanging_connects().await;
    let client = Client::builder()
        .api_key("k")
        .base_url(&url)
        .timeout(Duration::from_secs(20))
        .connect_timeout(Duration::from_millis(250))
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.faxes().create(send_fax()).await.unwrap_err();
    let took = started.elapsed();
    assert!(err.is_timeout(), "{err}");
    // Three connect timeouts of 250 ms: retried, and far below the 20 s timeout.
    assert!(took >= Duration::from_millis(700) && took < Duration::from_secs(5), "{took:?}");
}
