//! Request building (path escaping, deepObject query, JSON bodies, headers,
//! per-request overrides), response decoding and error classification of
//! the hand-written runtime, against wiremock on 127.0.0.1.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use telnyx_fax::{ApiResponse, Client, ErrorKind, Request};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "KEYsecret0123456789";

#[derive(Debug, Deserialize, PartialEq)]
struct Thing {
    id: String,
}

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .retry_base_delay(Duration::from_millis(1))
        .max_retries(0)
        .build()
        .unwrap()
}

/// A server answering `{"id": "ok"}` to everything.
async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "ok"})))
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    requests.pop().unwrap()
}

fn query_pairs(request: &wiremock::Request) -> Vec<(String, String)> {
    request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

// ---------------------------------------------------------------- headers

#[tokio::test]
async fn sends_auth_user_agent_and_accept_headers() {
    let server = ok_server().await;
    let client = client_for(&server);
    let thing: Thing = Request::new(&client, Method::GET, "/things", "ListThings").await.unwrap();
    assert_eq!(thing.id, "ok");
    let r = only_request(&server).await;
    assert_eq!(r.method.as_str(), "GET");
    assert_eq!(r.url.path(), "/things");
    assert_eq!(r.url.query(), None);
    assert_eq!(r.headers["authorization"], format!("Bearer {KEY}").as_str());
    assert_eq!(
        r.headers["user-agent"],
        format!("telnyx-fax-rust/{}", env!("CARGO_PKG_VERSION")).as_str()
    );
    assert_eq!(r.headers["accept"], "application/json");
    assert!(r.headers.get("content-type").is_none(), "no body, no content-type");
}

#[tokio::test]
async fn base_url_with_path_and_trailing_slash_is_joined() {
    let server = ok_server().await;
    for base in [format!("{}/v2", server.uri()), format!("{}/v2/", server.uri())] {
        let client = Client::builder().api_key(KEY).base_url(&base).build().unwrap();
        assert_eq!(client.base_url(), format!("{}/v2", server.uri()));
        let _: Thing = Request::new(&client, Method::GET, "/faxes", "ListFaxes").await.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.url.path() == "/v2/faxes"));
}

#[tokio::test]
async fn default_headers_per_request_headers_and_header_params() {
    let server = ok_server().await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .default_header("x-client-wide", "yes")
        .default_header("user-agent", "my-app/1.0")
        .build()
        .unwrap();
    let _: Thing = Request::new(&client, Method::GET, "/things", "ListThings")
        .header_param("X-Number", &42)
        .header_param("X-List", &["a", "b"])
        .header_param("X-Absent", &Option::<String>::None)
        .header_param("X-Override-Me", &"generated")
        .header("x-override-me", "caller")
        .header("X-Extra", "1")
        .await
        .unwrap();
    let r = only_request(&server).await;
    assert_eq!(r.headers["x-client-wide"], "yes");
    assert_eq!(r.headers["user-agent"], "my-app/1.0");
    assert_eq!(r.headers["x-number"], "42");
    assert_eq!(r.headers["x-list"], "a,b");
    assert!(r.headers.get("x-absent").is_none());
    assert_eq!(r.headers["x-override-me"], "caller");
    assert_eq!(r.headers["x-extra"], "1");
    assert_eq!(r.headers["authorization"], format!("Bearer {KEY}").as_str());
}

#[tokio::test]
async fn invalid_header_is_an_invalid_argument_and_nothing_is_sent() {
    let server = ok_server().await;
    let client = client_for(&server);
    let err = Request::<Thing>::new(&client, Method::GET, "/things", "ListThings")
        .header("X-Bad", "line\nbreak")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.to_string().contains("X-Bad"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());

    let err = Client::builder()
        .api_key(KEY)
        .default_header("bad header", "v")
        .build()
        .unwrap_err();
    assert!(err.is_invalid_argument());
}

#[tokio::test]
async fn api_key_never_appears_in_debug_or_errors() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "errors": [{"code": "10009", "title": "Authentication failed",
                        "detail": "The API key is invalid."}]
        })))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let debug = format!("{client:?}");
    assert!(!debug.contains(KEY), "{debug}");
    assert!(debug.contains(r#"api_key: "***""#), "{debug}");
    let builder = format!("{:?}", Client::builder().api_key(KEY));
    assert!(!builder.contains(KEY), "{builder}");

    let request = Request::<Thing>::new(&client, Method::GET, "/things", "ListThings");
    assert!(!format!("{request:?}").contains(KEY));
    let err = request.await.unwrap_err();
    assert!(err.is_authentication());
    assert!(!err.to_string().contains(KEY));
    assert!(!format!("{err:?}").contains(KEY));
    assert_eq!(
        err.to_string(),
        "401 Unauthorized: Authentication failed (code 10009): The API key is invalid."
    );
}

// ------------------------------------------------------------- path params

#[tokio::test]
async fn path_params_are_escaped_as_one_segment() {
    let server = ok_server().await;
    let client = client_for(&server);
    let cases = [
        ("a/b", "/faxes/a%2Fb/actions/cancel"),
        ("x y?#%", "/faxes/x%20y%3F%23%25/actions/cancel"),
        ("0ccc7b54-4df3_a.b~c", "/faxes/0ccc7b54-4df3_a.b~c/actions/cancel"),
        ("ü", "/faxes/%C3%BC/actions/cancel"),
        ("...", "/faxes/.../actions/cancel"),
        // RFC 3986 sub-delimiters, `:` and `@` are encoded too (issue 20: a
        // server may read them as structure; the official SDKs keep them).
        ("a=b", "/faxes/a%3Db/actions/cancel"),
        ("k:v@h!$&'()*+,;", "/faxes/k%3Av%40h%21%24%26%27%28%29%2A%2B%2C%3B/actions/cancel"),
    ];
    for (value, _) in cases {
        let request = Request::<Thing>::new(&client, Method::POST, "/faxes/{id}/actions/cancel", "CancelFax")
            .path_param("id", value);
        request.await.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    let expected: Vec<&str> = cases.iter().map(|(_, p)| *p).collect();
    assert_eq!(paths, expected);
}

#[tokio::test]
async fn empty_dot_and_dotdot_path_params_are_rejected_before_sending() {
    let server = ok_server().await;
    let client = client_for(&server);
    for value in ["", ".", ".."] {
        let err = Request::<Thing>::new(&client, Method::DELETE, "/faxes/{id}", "DeleteFax")
            .path_param("id", value)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{value:?}");
        assert!(err.to_string().contains("`id`"), "{err}");
        assert!(err.status().is_none());
    }
    // A placeholder left unfilled is rejected too.
    let err = Request::<Thing>::new(&client, Method::GET, "/faxes/{id}", "ViewFax")
        .await
        .unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

// ------------------------------------------------------------------- query

#[derive(Serialize, Default)]
struct DateRange {
    #[serde(skip_serializing_if = "Option::is_none")]
    gte: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lte: Option<DateTime<Utc>>,
}

#[derive(Serialize, Default)]
struct ListFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<DateRange>,
    /// `None` without skip: serializes to null, must be omitted too.
    to: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    status: Vec<String>,
}

#[derive(Serialize)]
struct PageParams {
    number: i64,
    size: i64,
}

#[tokio::test]
async fn deep_object_query_encoding() {
    let server = ok_server().await;
    let client = client_for(&server);
    let filter = Some(ListFilter {
        created_at: Some(DateRange {
            gte: Some(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()),
            lte: None,
        }),
        to: None,
        status: vec!["queued".into(), "delivered".into()],
    });
    let page = Some(PageParams { number: 2, size: 20 });
    let _: Thing = Request::new(&client, Method::GET, "/faxes", "ListFaxes")
        .query_param("filter", &filter)
        .query_param("page", &page)
        .query_param("absent", &Option::<ListFilter>::None)
        .query_param("ids", &[3, 4])
        .query_param("flag", &true)
        .query_param("q", &"a b&c=d+e")
        .await
        .unwrap();
    let r = only_request(&server).await;
    assert_eq!(
        query_pairs(&r),
        pairs(&[
            ("filter[created_at][gte]", "2024-01-01T00:00:00Z"),
            ("filter[status]", "queued"),
            ("filter[status]", "delivered"),
            ("page[number]", "2"),
            ("page[size]", "20"),
            ("ids", "3"),
            ("ids", "4"),
            ("flag", "true"),
            ("q", "a b&c=d+e"),
        ])
    );
}

#[tokio::test]
async fn no_query_params_means_no_query_string() {
    let server = ok_server().await;
    let client = client_for(&server);
    let _: Thing = Request::new(&client, Method::GET, "/faxes", "ListFaxes")
        .query_param("filter", &Option::<ListFilter>::None)
        .query_param("page", &Option::<PageParams>::None)
        .await
        .unwrap();
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn extra_query_adds_or_replaces_a_parameter() {
    let server = ok_server().await;
    let client = client_for(&server);
    let _: Thing = Request::new(&client, Method::GET, "/faxes", "ListFaxes")
        .query_param("page", &PageParams { number: 1, size: 5 })
        .extra_query("page[size]", "50")
        .extra_query("undocumented", "x")
        .await
        .unwrap();
    let r = only_request(&server).await;
    assert_eq!(
        query_pairs(&r),
        pairs(&[("page[number]", "1"), ("page[size]", "50"), ("undocumented", "x")])
    );
}

// -------------------------------------------------------------------- body

#[tokio::test]
async fn json_body_is_compact_with_content_type() {
    let server = ok_server().await;
    let client = client_for(&server);
    let body = json!({"connection_id": "234423", "to": "+13127367276", "quality": "high"});
    let _: Thing = Request::new(&client, Method::POST, "/faxes", "SendFax")
        .json(&body)
        .await
        .unwrap();
    let r = only_request(&server).await;
    assert_eq!(r.headers["content-type"], "application/json");
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        r#"{"connection_id":"234423","to":"+13127367276","quality":"high"}"#
    );
}

#[tokio::test]
async fn extra_body_merges_into_the_json_object() {
    let server = ok_server().await;
    let client = client_for(&server);
    let _: Thing = Request::new(&client, Method::POST, "/faxes", "SendFax")
        .json(&json!({"to": "+1", "quality": "normal"}))
        .extra_body("quality", json!("high"))
        .extra_body("beta_field", json!({"x": [1, 2]}))
        .await
        .unwrap();
    // No body at all: extra_body creates one.
    let _: Thing = Request::new(&client, Method::POST, "/faxes/{id}/actions/refresh", "Refresh")
        .path_param("id", "f1")
        .extra_body("reason", json!("test"))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].body_json::<Value>().unwrap(),
        json!({"to": "+1", "quality": "high", "beta_field": {"x": [1, 2]}})
    );
    assert_eq!(requests[1].body_json::<Value>().unwrap(), json!({"reason": "test"}));
    assert_eq!(requests[1].headers["content-type"], "application/json");

    // A non-object body cannot take extra fields: reported, nothing sent.
    server.reset().await;
    let err = Request::<Thing>::new(&client, Method::POST, "/things", "Create")
        .json(&json!([1, 2]))
        .extra_body("k", json!(1))
        .await
        .unwrap_err();
    assert!(err.is_invalid_argument());
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn unserializable_body_is_an_invalid_argument() {
    let server = ok_server().await;
    let client = client_for(&server);
    let mut bad = std::collections::HashMap::new();
    bad.insert(vec![1u8], "map keys must be strings");
    let err = Request::<Thing>::new(&client, Method::POST, "/things", "Create")
        .json(&bad)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(server.received_requests().await.unwrap().is_empty());
}

// --------------------------------------------------------------- responses

#[tokio::test]
async fn empty_bodies_decode_as_null() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(" \r\n"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let unit: () = Request::new(&client, Method::DELETE, "/faxes/{id}", "DeleteFax")
        .path_param("id", "f1")
        .await
        .unwrap();
    assert_eq!(unit, ());
    let response: ApiResponse<()> = Request::new(&client, Method::DELETE, "/faxes/{id}", "DeleteFax")
        .path_param("id", "f1")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 204);
    let maybe: Option<Thing> = Request::new(&client, Method::GET, "/things", "ListThings")
        .await
        .unwrap();
    assert_eq!(maybe, None);
    let value: Value = Request::new(&client, Method::GET, "/things", "ListThings").await.unwrap();
    assert_eq!(value, Value::Null);
    // A type that needs content still fails, as a decode error.
    let err = Request::<Thing>::new(&client, Method::GET, "/things", "ListThings")
        .await
        .unwrap_err();
    assert!(err.is_decode());
}

#[tokio::test]
async fn send_with_response_exposes_status_headers_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("x-request-id", "req-42")
                .insert_header("x-custom", "v")
                .set_body_json(json!({"id": "f1", "extra": "ignored"})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);
    let response = Request::<Thing>::new(&client, Method::POST, "/faxes", "SendFax")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 202);
    assert_eq!(response.request_id(), Some("req-42"));
    assert_eq!(response.headers["x-custom"], "v");
    assert_eq!(response.data, Thing { id: "f1".into() });
    // `send` gives the body only.
    let thing = Request::<Thing>::new(&client, Method::POST, "/faxes", "SendFax")
        .send()
        .await
        .unwrap();
    assert_eq!(thing.id, "f1");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_keeping_the_raw_body() {
    let server = MockServer::start().await;
    let raw = r#"{"id": "f1", "oops"#;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-bad")
                .set_body_string(raw),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);
    let err = Request::<Thing>::new(&client, Method::GET, "/faxes/{id}", "ViewFax")
        .path_param("id", "f1")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.is_decode() && !err.is_retryable() && !err.is_status());
    assert_eq!(err.raw_body(), Some(raw));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert!(err.body().is_none());
    assert!(std::error::Error::source(&err).is_some());
    let text = err.to_string();
    assert!(text.starts_with("failed to decode response body (200 OK): EOF while parsing"), "{text}");
    assert!(text.contains(r#""oops"#), "{text}");
    assert!(text.ends_with("[request id req-bad]"), "{text}");
    // Only a preview of a long body is shown.
    let long = format!("[{}", "1,".repeat(500));
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string(long.clone()))
        .mount(&server)
        .await;
    let err = Request::<Thing>::new(&client, Method::GET, "/x", "X").await.unwrap_err();
    assert_eq!(err.raw_body(), Some(long.as_str()));
    assert!(err.to_string().len() < 400, "{err}");
}

// ------------------------------------------------------------------ errors

fn telnyx_error(code: &str, title: &str, detail: &str) -> Value {
    json!({"errors": [{
        "code": code,
        "title": title,
        "detail": detail,
        "source": {"pointer": "/to"},
        "meta": {"url": format!("https://developers.telnyx.com/docs/overview/errors/{code}")},
        "unknown_field": true
    }]})
}

#[tokio::test]
async fn each_status_maps_to_its_error_kind_with_the_parsed_body() {
    let cases = [
        (400, ErrorKind::BadRequest),
        (401, ErrorKind::Authentication),
        (403, ErrorKind::PermissionDenied),
        (404, ErrorKind::NotFound),
        (409, ErrorKind::Conflict),
        (410, ErrorKind::OtherStatus),
        (422, ErrorKind::UnprocessableEntity),
        (429, ErrorKind::RateLimited),
        (500, ErrorKind::Server),
        (503, ErrorKind::Server),
    ];
    for (status, kind) in cases {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("x-request-id", "req-1")
                    .set_body_json(telnyx_error("10015", "Bad thing", "Something was wrong.")),
            )
            .mount(&server)
            .await;
        let client = client_for(&server);
        let err = Request::<Thing>::new(&client, Method::GET, "/x", "X").await.unwrap_err();
        assert_eq!(err.kind(), kind, "status {status}");
        assert_eq!(err.status().unwrap().as_u16(), status);
        assert!(err.is_status());
        assert_eq!(err.request_id(), Some("req-1"));
        assert_eq!(err.headers().unwrap()["x-request-id"], "req-1");
        let body = err.body().expect("parsed Telnyx error body");
        assert_eq!(body.errors.len(), 1);
        let detail = &body.errors[0];
        assert_eq!(detail.code.as_deref(), Some("10015"));
        assert_eq!(detail.title.as_deref(), Some("Bad thing"));
        assert_eq!(detail.detail.as_deref(), Some("Something was wrong."));
        assert_eq!(detail.source.as_ref().unwrap().pointer.as_deref(), Some("/to"));
        assert!(detail.meta.as_ref().unwrap()["url"].as_str().unwrap().ends_with("/10015"));
        assert!(err.raw_body().unwrap().contains("unknown_field"));
        let helpers = [
            (ErrorKind::BadRequest, err.is_bad_request()),
            (ErrorKind::Authentication, err.is_authentication()),
            (ErrorKind::PermissionDenied, err.is_permission_denied()),
            (ErrorKind::NotFound, err.is_not_found()),
            (ErrorKind::Conflict, err.is_conflict()),
            (ErrorKind::OtherStatus, err.is_other_status()),
            (ErrorKind::UnprocessableEntity, err.is_unprocessable_entity()),
            (ErrorKind::RateLimited, err.is_rate_limited()),
            (ErrorKind::Server, err.is_server()),
        ];
        for (k, is) in helpers {
            assert_eq!(is, k == kind, "is_* helper for {k:?} on status {status}");
        }
        assert!(!err.is_connection() && !err.is_timeout() && !err.is_decode());
        assert_eq!(err.is_retryable(), matches!(status, 409 | 429 | 500 | 503));
        let text = err.to_string();
        assert!(
            text.ends_with("Bad thing (code 10015): Something was wrong. [at /to] [request id req-1]"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn not_found_display_reads_well() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "abc-123")
                .set_body_json(json!({"errors": [{
                    "code": "10005",
                    "title": "Resource not found",
                    "detail": "The requested resource or URL could not be found."
                }]})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);
    let err = Request::<Thing>::new(&client, Method::GET, "/faxes/{id}", "ViewFax")
        .path_param("id", "nope")
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(
        err.to_string(),
        "404 Not Found: Resource not found (code 10005): The requested resource or URL could not be found. [request id abc-123]"
    );
}

#[tokio::test]
async fn numeric_codes_several_errors_and_non_json_error_bodies() {
    let server = MockServer::start().await;
    Mock::given(path("/numeric"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({"errors": [
            {"code": 10015, "title": "Invalid value", "source": {"parameter": "page[size]"}},
            {"title": "Second"}
        ]})))
        .mount(&server)
        .await;
    Mock::given(path("/html"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let err = Request::<Thing>::new(&client, Method::GET, "/numeric", "X").await.unwrap_err();
    assert_eq!(err.first_error().unwrap().code.as_deref(), Some("10015"));
    assert_eq!(
        err.to_string(),
        "422 Unprocessable Entity: Invalid value (code 10015) [at page[size]]; Second"
    );
    let err = Request::<Thing>::new(&client, Method::GET, "/html", "X").await.unwrap_err();
    assert!(err.is_server());
    assert!(err.body().is_none());
    assert_eq!(err.raw_body(), Some("<html>Bad Gateway</html>"));
    assert_eq!(err.to_string(), "502 Bad Gateway: <html>Bad Gateway</html>");
}

// -------------------------------------------------------------------- wire

/// Body-less writes carry `Content-Length: 0` (RFC 9110 §8.6; some front
/// ends answer 411 without it) and the JSON content type the official SDK
/// sends; a DELETE gets the content type; a GET neither.
#[tokio::test]
async fn bodyless_requests_match_the_official_sdk_headers() {
    let server = ok_server().await;
    let client = client_for(&server);
    for m in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE, Method::GET] {
        let _: Thing = Request::new(&client, m, "/faxes/{id}/actions/cancel", "CancelFax")
            .path_param("id", "f1")
            .await
            .unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    for r in &requests {
        let m = r.method.as_str();
        let length: Vec<&str> = r.headers.get_all("content-length").iter().map(|v| v.to_str().unwrap()).collect();
        let ctype = r.headers.get("content-type").map(|v| v.to_str().unwrap());
        assert!(r.body.is_empty(), "{m}");
        match m {
            "POST" | "PUT" | "PATCH" => {
                assert_eq!(length, vec!["0"], "{m}: exactly one Content-Length: 0");
                assert_eq!(ctype, Some("application/json"), "{m}");
            }
            "DELETE" => {
                assert_eq!(ctype, Some("application/json"), "{m}");
                assert!(length.iter().all(|l| *l == "0"), "{m}: {length:?}");
            }
            _ => {
                assert!(length.is_empty(), "{m}: {length:?}");
                assert_eq!(ctype, None, "{m}");
            }
        }
        assert!(r.headers.get("transfer-encoding").is_none(), "{m}");
    }
    assert_eq!(requests.len(), 5);
    // A caller's own content type still wins.
    let server = ok_server().await;
    let client = client_for(&server);
    let _: Thing = Request::new(&client, Method::POST, "/things", "Things")
        .header("content-type", "text/plain")
        .await
        .unwrap();
    let r = only_request(&server).await;
    assert_eq!(r.headers["content-type"], "text/plain");
    assert_eq!(r.headers["content-length"], "0");
}

/// Date-times in query parameters are sent as given, offset included.
#[tokio::test]
async fn query_date_times_keep_their_offset() {
    let server = ok_server().await;
    let client = client_for(&server);
    let at = chrono::DateTime::parse_from_rfc3339("2024-05-01T09:00:00+02:00").unwrap();
    let _: Thing = Request::new(&client, Method::GET, "/faxes", "ListFaxes")
        .query_param("filter", &json!({"created_at": {"gte": at}}))
        .await
        .unwrap();
    let r = only_request(&server).await;
    assert_eq!(query_pairs(&r), pairs(&[("filter[created_at][gte]", "2024-05-01T09:00:00+02:00")]));
    assert!(r.url.query().unwrap().ends_with("2024-05-01T09%3A00%3A00%2B02%3A00"), "{}", r.url);
}

// ------------------------------------------------------------------ traits

#[tokio::test]
async fn request_is_clone_send_and_awaitable() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_send_sync_static<T: Send + Sync + 'static>() {}
    assert_send_sync_static::<Client>();
    assert_send_sync_static::<telnyx_fax::Error>();
    assert_send_sync_static::<telnyx_fax::multipart::Form>();
    assert_send_sync_static::<telnyx_fax::FileUpload>();
    let server = ok_server().await;
    let client = client_for(&server);
    let request = Request::<Thing>::new(&client, Method::GET, "/things/{id}", "GetThing")
        .path_param("id", "a")
        .query_param("page", &PageParams { number: 1, size: 2 });
    let copy = request.clone();
    // A `Future` itself (lazy: nothing is sent before it is polled), so a
    // forgotten `.await` gets rustc's "consider using `.await`" hint.
    fn assert_future<F: std::future::Future>(_: &F) {}
    assert_future(&request);
    assert_send(&request);
    assert_eq!(server.received_requests().await.unwrap().len(), 0, "lazy");
    assert_eq!(request.await.unwrap().id, "ok");
    // A spawned task needs 'static: give it an owned client.
    let owned = client.clone();
    let handle = tokio::spawn(async move {
        Request::<Thing>::new(&owned, Method::GET, "/spawned", "Spawned").await
    });
    assert_eq!(handle.await.unwrap().unwrap().id, "ok");
    assert_eq!(copy.await.unwrap().id, "ok");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].url.as_str(), requests[2].url.as_str());
}
