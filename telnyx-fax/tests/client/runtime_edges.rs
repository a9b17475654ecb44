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
