//! The runtime's edges (issue 20): path segments as a servlet back end
//! reads them, paging that stops early, uploads streamed from disk and
//! sent whole on every retry, and the blocking client next to an async one.
//! Against real servers on 127.0.0.1 (wiremock, or a plain socket where the
//! raw request line matters).

use std::time::Duration;

use reqwest::Method;
use serde::Deserialize;
use telnyx_fax::{Client, Request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Debug, Deserialize, PartialEq)]
struct Thing {
    id: String,
}

/// A plain HTTP server that records each request line as received (no URL
/// parsing or normalization in between) and answers `{"id":"ok"}`.
async fn raw_line_server() -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let text = String::from_utf8_lossy(&head);
                let _ = tx.send(text.lines().next().unwrap_or("").to_owned());
                let body = br#"{"id":"ok"}"#;
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(reply.as_bytes()).await;
                let _ = socket.write_all(body).await;
            });
        }
    });
    (format!("http://{addr}"), rx)
}

/// Sub-delimiters, `;` above all, reach the server percent-encoded: a
/// servlet container would otherwise read `..;` as a `..` segment (climbing
/// out of `/things/`) and `a;b` as `a` with a path parameter.
#[tokio::test]
async fn path_params_reach_the_wire_without_structure() {
    let (base, mut lines) = raw_line_server().await;
    let client = Client::builder().api_key("KEY").base_url(&base).max_retries(0).build().unwrap();
    let cases = [
        ("..;", "GET /things/..%3B/x HTTP/1.1"),
        ("a;jsessionid=1", "GET /things/a%3Bjsessionid%3D1/x HTTP/1.1"),
        ("..;/admin", "GET /things/..%3B%2Fadmin/x HTTP/1.1"),
        ("%2e%2e", "GET /things/%252e%252e/x HTTP/1.1"),
        ("!$&'()*+,=:@", "GET /things/%21%24%26%27%28%29%2A%2B%2C%3D%3A%40/x HTTP/1.1"),
        ("?#", "GET /things/%3F%23/x HTTP/1.1"),
    ];
    for (value, want) in cases {
        let thing: Thing = Request::new(&client, Method::GET, "/things/{id}/x", "GetThing")
            .path_param("id", value)
            .await
            .unwrap();
        assert_eq!(thing.id, "ok");
        let line = tokio::time::timeout(Duration::from_secs(5), lines.recv()).await.unwrap().unwrap();
        assert_eq!(line, want, "{value:?}");
    }
}

// ------------------------------------------------------------------ uploads

/// A file of `len` bytes where byte `i` is `i % 251` (no period that a
/// chunk boundary could hide).
fn patterned_file(len: usize) -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fax.pdf");
    let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &bytes).unwrap();
    (dir, path, bytes)
}

/// Every attempt of a retried upload sends the whole file, reopened (raw
/// body with its `Content-Length`, and multipart), never a stream left
/// half-read by the attempt before.
#[tokio::test]
async fn a_retried_upload_sends_the_whole_file_each_time() {
    use telnyx_fax::multipart::Form;
    use telnyx_fax::FileUpload;
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let (_dir, path, bytes) = patterned_file(3 * 1024 * 1024 + 17);
    let server = MockServer::start().await;
    // `429` is retried for every method; two refusals, then success.
    Mock::given(any()).respond_with(ResponseTemplate::new(429)).up_to_n_times(2).with_priority(1).mount(&server).await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "ok"})))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("KEY")
        .base_url(server.uri())
        .retry_base_delay(Duration::from_millis(1))
        .max_retries(2)
        .build()
        .unwrap();
    let thing: Thing = Request::new(&client, Method::PUT, "/uploads/{id}", "PutUpload")
        .path_param("id", "u1")
        .file_body(FileUpload::from_path(&path))
        .await
        .unwrap();
    assert_eq!(thing.id, "ok");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    for (i, r) in requests.iter().enumerate() {
        assert!(r.body == bytes, "attempt {i}: {} bytes sent of {}", r.body.len(), bytes.len());
        let length = r.headers.get("content-length").and_then(|v| v.to_str().ok());
        assert_eq!(length, Some(bytes.len().to_string().as_str()), "attempt {i}");
        assert!(r.headers.get("transfer-encoding").is_none(), "attempt {i}");
    }

    server.reset().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(429)).up_to_n_times(2).with_priority(1).mount(&server).await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "ok"})))
        .mount(&server)
        .await;
    let form = Form::new().text("name", "n").file("contents", FileUpload::from_path(&path));
    let _: Thing = Request::new(&client, Method::PUT, "/uploads/{id}", "PutUpload")
        .path_param("id", "u2")
        .multipart(form)
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    for (i, r) in requests.iter().enumerate() {
        let found = r.body.windows(bytes.len()).filter(|w| *w == bytes.as_slice()).count();
        assert_eq!(found, 1, "attempt {i}: the whole file once in the multipart body");
    }
}

/// A file upload is streamed from disk as it is sent, not read whole into
/// memory first: the server stops reading after the first 64 KiB, the test
/// then rewrites the file's last MiB, and the bytes that arrive are the new
/// ones. (Read whole before sending, the old bytes would arrive.) The file
/// is far larger than what loopback socket buffers can hold ahead.
#[tokio::test]
async fn a_file_upload_is_streamed_from_disk_as_it_is_sent() {
    use std::io::{Seek, SeekFrom, Write};
    use telnyx_fax::FileUpload;

    const LEN: usize = 48 * 1024 * 1024;
    const TAIL: usize = 1024 * 1024;
    let (_dir, path, _) = patterned_file(LEN);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
    let (rewritten_tx, rewritten_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut received = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        let head_end = loop {
            let n = socket.read(&mut buf).await.unwrap();
            assert!(n > 0, "closed before the body");
            received.extend_from_slice(&buf[..n]);
            if let Some(at) = received.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
        };
        while received.len() < head_end + 64 * 1024 {
            let n = socket.read(&mut buf).await.unwrap();
            assert!(n > 0, "closed in the body");
            received.extend_from_slice(&buf[..n]);
        }
        started_tx.send(()).unwrap();
        rewritten_rx.await.unwrap();
        while received.len() < head_end + LEN {
            let n = socket.read(&mut buf).await.unwrap();
            assert!(n > 0, "closed in the body");
            received.extend_from_slice(&buf[..n]);
        }
        let body = br#"{"id":"ok"}"#;
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        socket.write_all(reply.as_bytes()).await.unwrap();
        socket.write_all(body).await.unwrap();
        received.split_off(head_end)
    });
    let client = Client::builder().api_key("KEY").base_url(&base).max_retries(0).timeout(Duration::from_secs(60)).build().unwrap();
    let upload = FileUpload::from_path(&path);
    let send = Request::<Thing>::new(&client, Method::PUT, "/uploads/{id}", "PutUpload").path_param("id", "u1").file_body(upload);
    let rewrite = async {
        started_rx.await.unwrap();
        let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.seek(SeekFrom::Start((LEN - TAIL) as u64)).unwrap();
        file.write_all(&vec![b'Z'; TAIL]).unwrap();
        file.sync_all().unwrap();
        rewritten_tx.send(()).unwrap();
    };
    let (thing, ()) = tokio::join!(send, rewrite);
    let thing = thing.unwrap();
    assert_eq!(thing.id, "ok");
    let body = server.await.unwrap();
    assert_eq!(body.len(), LEN);
    assert_eq!(body[0], 0);
    assert!(body[LEN - TAIL..].iter().all(|b| *b == b'Z'), "the file's tail was read before it was sent");
}
