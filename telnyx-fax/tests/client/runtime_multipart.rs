//! `multipart/form-data` bodies of the hand-written runtime: part names,
//! file names, content types and bytes as received by wiremock on
//! 127.0.0.1, uploads from bytes, paths and readers, and resending on retry.

use std::time::Duration;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;
use telnyx_fax::multipart::Form;
use telnyx_fax::{Client, ErrorKind, FileUpload, Request};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize)]
struct Sent {
    id: String,
}

#[derive(Debug, PartialEq)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A small multipart parser, enough for the bodies reqwest produces.
fn parse_multipart(request: &wiremock::Request) -> Vec<Part> {
    let content_type = request.headers["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("multipart/form-data"), "{content_type}");
    let boundary = content_type.split("boundary=").nth(1).unwrap().trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut body = request.body.as_slice();
    let mut parts = Vec::new();
    let start = find(body, delimiter.as_bytes()).expect("first boundary");
    body = &body[start + delimiter.len()..];
    loop {
        if body.starts_with(b"--") {
            break; // closing delimiter
        }
        body = body.strip_prefix(b"\r\n").expect("CRLF after boundary");
        let header_end = find(body, b"\r\n\r\n").expect("end of part headers");
        let headers = std::str::from_utf8(&body[..header_end]).unwrap();
        body = &body[header_end + 4..];
        let end = find(body, format!("\r\n{delimiter}").as_bytes()).expect("next boundary");
        let data = body[..end].to_vec();
        body = &body[end + 2 + delimiter.len()..];

        let mut part = Part {
            name: String::new(),
            file_name: None,
            content_type: None,
            data,
        };
        for line in headers.split("\r\n") {
            let (key, value) = line.split_once(':').unwrap();
            match key.to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for param in value.split(';').map(str::trim) {
                        if let Some(v) = param.strip_prefix("name=") {
                            part.name = v.trim_matches('"').to_owned();
                        } else if let Some(v) = param.strip_prefix("filename=") {
                            part.file_name = Some(v.trim_matches('"').to_owned());
                        }
                    }
                }
                "content-type" => part.content_type = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        parts.push(part);
    }
    parts
}

fn text(name: &str, value: &str) -> Part {
    Part {
        name: name.into(),
        file_name: None,
        content_type: None,
        data: value.as_bytes().to_vec(),
    }
}

fn file(name: &str, file_name: &str, content_type: &str, data: &[u8]) -> Part {
    Part {
        name: name.into(),
        file_name: Some(file_name.into()),
        content_type: Some(content_type.into()),
        data: data.to_vec(),
    }
}

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .api_key("test-key")
        .base_url(server.uri())
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap()
}

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "fax-1"})))
        .mount(&server)
        .await;
    server
}

/// Fails the first `failures` POSTs with 500, then answers 200.
async fn flaky_server(failures: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/faxes"))
        // A 503 that says when to come back: the server did not act, so even
        // a POST without an idempotency key is retried (RetryPolicy::Safe).
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(failures)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "fax-1"})))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

fn send_fax(client: &Client, form: Form) -> Request<'_, Sent> {
    Request::new(client, Method::POST, "/faxes", "SendFax").multipart(form)
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Quality {
    High,
}

/// Bytes that are not UTF-8 and contain CRLF and a fake boundary.
const BINARY: &[u8] = b"%PDF-1.4\r\n\xff\xfe\x00\x01\r\n--not-a-boundary\r\n%%EOF";

#[tokio::test]
async fn parts_have_names_file_names_content_types_and_bytes() {
    let server = ok_server().await;
    let client = client_for(&server);
    let form = Form::new()
        .field("connection_id", &"234423")
        .text("to", "+13127367276")
        .field("quality", &Some(Quality::High))
        .field("t38_enabled", &true)
        .field("page_count", &3)
        .field("store_media", &Option::<bool>::None)
        .field("media_urls", &["https://a/1.pdf", "https://a/2.pdf"])
        .field("custom", &json!({"k": "v"}))
        .file("contents", FileUpload::from_bytes("fax.pdf", BINARY.to_vec()))
        .file_opt("cover", None)
        .file_opt(
            "extra",
            Some(FileUpload::from_bytes("notes", &b"plain"[..]).content_type("text/plain")),
        );
    assert_eq!(form.part_names().count(), 10);
    let sent = send_fax(&client, form).await.unwrap();
    assert_eq!(sent.id, "fax-1");

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.headers["authorization"], "Bearer test-key");
    assert_eq!(
        parse_multipart(r),
        vec![
            text("connection_id", "234423"),
            text("to", "+13127367276"),
            text("quality", "high"),
            text("t38_enabled", "true"),
            text("page_count", "3"),
            text("media_urls", "https://a/1.pdf"),
            text("media_urls", "https://a/2.pdf"),
            text("custom", r#"{"k":"v"}"#),
            file("contents", "fax.pdf", "application/pdf", BINARY),
            file("extra", "notes", "text/plain", b"plain"),
        ]
    );
}

#[tokio::test]
async fn file_from_path_uses_its_name_and_guessed_type() {
    let dir = tempfile::tempdir().unwrap();
    let tiff = dir.path().join("scan.TIFF");
    std::fs::write(&tiff, BINARY).unwrap();
    let unknown = dir.path().join("blob.xyz");
    std::fs::write(&unknown, b"?").unwrap();

    let server = ok_server().await;
    let client = client_for(&server);
    let form = Form::new()
        .file("contents", FileUpload::from_path(&tiff))
        .file("other", FileUpload::from_path(&unknown))
        .file("renamed", FileUpload::from_path(&unknown).file_name("doc.pdf"));
    send_fax(&client, form).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        parse_multipart(&requests[0]),
        vec![
            file("contents", "scan.TIFF", "image/tiff", BINARY),
            file("other", "blob.xyz", "application/octet-stream", b"?"),
            file("renamed", "doc.pdf", "application/pdf", b"?"),
        ]
    );
}

#[tokio::test]
async fn missing_file_is_an_io_error_and_nothing_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pdf");
    let server = ok_server().await;
    let client = client_for(&server);
    let form = Form::new()
        .text("connection_id", "1")
        .file("contents", FileUpload::from_path(&missing));
    let err = send_fax(&client, form).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    assert!(err.is_io() && !err.is_retryable());
    assert!(err.to_string().contains("missing.pdf"), "{err}");
    assert!(std::error::Error::source(&err).is_some());
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn path_upload_is_reread_and_resent_on_retry() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("fax.pdf");
    std::fs::write(&pdf, BINARY).unwrap();
    let server = flaky_server(1).await;
    let client = client_for(&server);
    let form = Form::new()
        .text("connection_id", "234423")
        .file("contents", FileUpload::from_path(&pdf));
    send_fax(&client, form).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let expected = vec![
        text("connection_id", "234423"),
        file("contents", "fax.pdf", "application/pdf", BINARY),
    ];
    assert_eq!(parse_multipart(&requests[0]), expected);
    assert_eq!(parse_multipart(&requests[1]), expected);
}

#[tokio::test]
async fn reader_upload_is_buffered_once_and_resent_on_retry() {
    let server = flaky_server(2).await;
    let client = client_for(&server);
    let reader = std::io::Cursor::new(BINARY.to_vec());
    let upload = FileUpload::from_reader("page.png", reader);
    assert_eq!(upload.get_content_type(), "image/png");
    let form = Form::new().file("contents", upload);
    // A clone shares the buffered bytes: both requests send the same file.
    let again = form.clone();
    send_fax(&client, form).await.unwrap();
    send_fax(&client, again).max_retries(0).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 4, "2 failures, 1 success, then the clone");
    for r in &requests {
        assert_eq!(
            parse_multipart(r),
            vec![file("contents", "page.png", "image/png", BINARY)]
        );
    }
}

#[tokio::test]
async fn unserializable_field_is_an_invalid_argument() {
    let server = ok_server().await;
    let client = client_for(&server);
    let mut bad = std::collections::HashMap::new();
    bad.insert((1, 2), "tuple keys do not serialize");
    let form = Form::new().field("bad", &bad);
    let err = send_fax(&client, form).await.unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");
    assert!(err.to_string().contains("`bad`"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn extra_body_on_a_multipart_request_adds_a_part() {
    let server = ok_server().await;
    let client = client_for(&server);
    send_fax(&client, Form::new().text("a", "1"))
        .extra_body("beta", json!(7))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(parse_multipart(&requests[0]), vec![text("a", "1"), text("beta", "7")]);
}
