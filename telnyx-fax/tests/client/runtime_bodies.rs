//! Form-encoded bodies, raw file bodies and raw byte responses, used by
//! generated code for non-JSON media types.

use reqwest::Method;
use telnyx_fax::{Client, FileUpload, Request};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().api_key("k").base_url(server.uri()).max_retries(0).build().unwrap()
}

#[tokio::test]
async fn form_body_is_urlencoded_with_deep_objects() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/form"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("name=a+b&filter%5Bx%5D=1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let body = serde_json::json!({"name": "a b", "filter": {"x": 1}, "skip": null});
    let _: serde_json::Value = Request::new(&c, Method::POST, "/form", "Form").form(&body).await.unwrap();
}

#[tokio::test]
async fn file_body_sends_bytes_with_content_type_and_bytes_response_returns_raw() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/blob"))
        .and(header("content-type", "application/pdf"))
        .and(body_string("%PDF-1.4"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"\x00\x01not json".to_vec()))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let file = FileUpload::from_bytes("doc.pdf", b"%PDF-1.4".to_vec());
    let bytes: bytes::Bytes =
        Request::new(&c, Method::PUT, "/blob", "Blob").file_body(file).bytes_response().await.unwrap();
    assert_eq!(&bytes[..], b"\x00\x01not json");
}

/// A raw body of an operation that declares its media type is sent with
/// that type, whatever the file name (a server checking the declared type
/// would answer 415 to the guess); an explicit type or a range keeps the
/// file's own.
#[tokio::test]
async fn file_body_as_sends_the_declared_media_type() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let c = client(&server);
    let put = |file: FileUpload, declared: &'static str| {
        Request::<serde_json::Value>::new(&c, Method::PUT, "/image", "UploadImage").file_body_as(file, declared)
    };
    put(FileUpload::from_bytes("x.pdf", b"jpeg".to_vec()), "image/jpeg").await.unwrap();
    put(FileUpload::from_bytes("x.pdf", b"jpeg".to_vec()).content_type("image/png"), "image/jpeg")
        .await
        .unwrap();
    put(FileUpload::from_bytes("x.png", b"png".to_vec()), "image/*").await.unwrap();
    let types: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["content-type"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(types, ["image/jpeg", "image/png", "image/png"]);
}
