//! Auto-pagination of the hand-written runtime against wiremock on
//! 127.0.0.1: following pages, keeping other parameters, and stopping on
//! the last page, an empty page, missing meta, and errors; a server that
//! ignores the page number, repeats a cursor or has more pages than the cap
//! ends the stream with an `ErrorKind::Paging` error (the list is incomplete).

use std::time::Duration;

use futures::StreamExt;
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};
use telnyx_fax::{Client, ErrorKind, NextPage, Page, PageInfo, Request};
use wiremock::matchers::{any, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize, PartialEq, Clone)]
struct Fax {
    id: String,
}

#[derive(Debug, Deserialize)]
struct Meta {
    page_number: Option<i64>,
    total_pages: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct ListFaxesResponse {
    data: Option<Vec<Fax>>,
    meta: Option<Meta>,
}

impl Page for ListFaxesResponse {
    type Item = Fax;
    fn into_items(self) -> Vec<Fax> {
        self.data.unwrap_or_default()
    }
    fn page_number(&self) -> Option<i64> {
        self.meta.as_ref()?.page_number
    }
    fn total_pages(&self) -> Option<i64> {
        self.meta.as_ref()?.total_pages
    }
}

/// A page type using another page parameter name.
#[derive(Debug, Deserialize)]
struct CursorlessPage {
    items: Vec<Fax>,
    page: i64,
    pages: i64,
}

impl Page for CursorlessPage {
    type Item = Fax;
    fn into_items(self) -> Vec<Fax> {
        self.items
    }
    fn page_number(&self) -> Option<i64> {
        Some(self.page)
    }
    fn total_pages(&self) -> Option<i64> {
        Some(self.pages)
    }
    fn page_number_param() -> &'static str {
        "p"
    }
}

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .api_key("test-key")
        .base_url(server.uri())
        .retry_base_delay(Duration::from_millis(1))
        .max_retries(0)
        .build()
        .unwrap()
}

fn page_body(ids: &[&str], page_number: i64, total_pages: i64) -> Value {
    json!({
        "data": ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(),
        "meta": {"page_number": page_number, "page_size": 2, "total_pages": total_pages, "total_results": 5}
    })
}

fn list(client: &Client) -> Request<'_, ListFaxesResponse> {
    Request::new(client, Method::GET, "/faxes", "ListFaxes")
}

/// Collects a stream, failing the test instead of hanging if it never ends.
async fn collect<T>(stream: telnyx_fax::PageStream<'_, T>) -> Vec<telnyx_fax::Result<T>> {
    tokio::time::timeout(Duration::from_secs(60), stream.collect::<Vec<_>>())
        .await
        .expect("the page stream must terminate")
}

fn ids(results: Vec<telnyx_fax::Result<Fax>>) -> Vec<String> {
    results.into_iter().map(|r| r.unwrap().id).collect()
}

#[tokio::test]
async fn streams_items_across_three_pages_in_order() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/faxes"))
        .and(query_param_is_missing("page[number]"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["f1", "f2"], 1, 3)))
        .mount(&server)
        .await;
    Mock::given(query_param("page[number]", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["f3", "f4"], 2, 3)))
        .mount(&server)
        .await;
    Mock::given(query_param("page[number]", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["f5"], 3, 3)))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let request = list(&client)
        .query_param("filter", &json!({"status": "delivered"}))
        .query_param("page", &json!({"size": 2}));
    let items = ids(collect(request.into_stream()).await);
    assert_eq!(items, ["f1", "f2", "f3", "f4", "f5"]);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    let queries: Vec<Vec<(String, String)>> = requests
        .iter()
        .map(|r| r.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
        .collect();
    for (i, q) in queries.iter().enumerate() {
        assert!(q.contains(&("page[size]".into(), "2".into())), "request {i}: {q:?}");
        assert!(q.contains(&("filter[status]".into(), "delivered".into())), "request {i}: {q:?}");
        let numbers: Vec<&str> =
            q.iter().filter(|(k, _)| k == "page[number]").map(|(_, v)| v.as_str()).collect();
        let expected: &[&str] = match i {
            0 => &[],
            1 => &["2"],
            _ => &["3"],
        };
        assert_eq!(numbers, expected, "request {i}");
    }
}

#[tokio::test]
async fn an_explicit_start_page_is_replaced_not_repeated() {
    let server = MockServer::start().await;
    Mock::given(query_param("page[number]", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["f3"], 2, 3)))
        .mount(&server)
        .await;
    Mock::given(query_param("page[number]", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["f5"], 3, 3)))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let request = list(&client).query_param("page", &json!({"number": 2, "size": 1}));
    assert_eq!(ids(collect(request.into_stream()).await), ["f3", "f5"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let last = requests[1].url.query().unwrap();
    assert_eq!(last.matches("number").count(), 1, "{last}");
}

#[tokio::test]
async fn a_server_that_always_answers_page_one_does_not_loop() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["f1", "f2"], 1, 5)))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let mut results = collect(list(&client).into_stream()).await;
    // Page 1 once; the repeated page 1 is not yielded again: an error says
    // the list is incomplete.
    let error = results.pop().unwrap().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Paging, "{error}");
    assert!(error.to_string().contains("page 1 after page 1"), "{error}");
    assert_eq!(ids(results), ["f1", "f2"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// A cursor page: `next` from the body, sent back as `cursor`.
#[derive(Debug, Deserialize)]
struct CursorPage {
    data: Vec<Fax>,
    next: Option<String>,
}

impl Page for CursorPage {
    type Item = Fax;
    fn into_items(self) -> Vec<Fax> {
        self.data
    }
    fn next_page(&self, _: &PageInfo<'_>) -> Option<NextPage> {
        Some(NextPage::query("cursor", self.next.clone()?))
    }
}

/// A server that answers the same cursor forever (with new items each
/// time, so only the cursor repeats): an error after the repeat, not an
/// endless stream and not a silent end.
#[tokio::test]
async fn a_repeated_cursor_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{"id": "f1"}], "next": "c2"})))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "c2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{"id": "f2"}], "next": "c2"})))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let request = Request::<CursorPage>::new(&client, Method::GET, "/faxes", "ListFaxes");
    let mut results = collect(request.into_stream()).await;
    let error = results.pop().unwrap().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Paging, "{error}");
    assert!(error.to_string().contains("points back to a page already fetched"), "{error}");
    assert!(!error.is_retryable() && error.status().is_none());
    // Both pages' items came before the error; the repeat was not requested.
    assert_eq!(ids(results), ["f1", "f2"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// More pages than the cap: the items of the pages fetched, then an error
/// that says the list is incomplete.
#[tokio::test]
async fn the_page_cap_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|request: &wiremock::Request| {
            let n: i64 = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "page[number]")
                .map_or(1, |(_, v)| v.parse().unwrap());
            ResponseTemplate::new(200).set_body_json(page_body(&[&format!("f{n}")], n, 1_000_000))
        })
        .mount(&server)
        .await;
    let client = client_for(&server);
    let stream = list(&client).into_stream();
    assert!(format!("{stream:?}").contains("10000"), "{stream:?}");
    let mut results = collect(stream.max_pages(3)).await;
    let error = results.pop().unwrap().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Paging, "{error}");
    assert!(error.to_string().contains("the list is incomplete"), "{error}");
    assert!(error.to_string().contains("cap of 3 pages"), "{error}");
    assert_eq!(ids(results), ["f1", "f2", "f3"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn an_empty_page_stops_the_stream() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("page[number]"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["f1"], 1, 9)))
        .mount(&server)
        .await;
    Mock::given(query_param("page[number]", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&[], 2, 9)))
        .mount(&server)
        .await;
    Mock::given(query_param("page[number]", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["never"], 3, 9)))
        .mount(&server)
        .await;
    let client = client_for(&server);
    assert_eq!(ids(collect(list(&client).into_stream()).await), ["f1"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    // `data` missing or empty on the first page: no items, one request.
    for body in [json!({"meta": {"page_number": 1, "total_pages": 4}}), page_body(&[], 1, 4)] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
        let client = client_for(&server);
        assert!(collect(list(&client).into_stream()).await.is_empty());
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn missing_meta_or_last_page_stops_the_stream() {
    for body in [
        json!({"data": [{"id": "f1"}]}),
        json!({"data": [{"id": "f1"}], "meta": {"page_number": 1}}),
        json!({"data": [{"id": "f1"}], "meta": {"total_pages": 3}}),
        page_body(&["f1"], 1, 1),
        page_body(&["f1"], 1, 0),
    ] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
            .mount(&server)
            .await;
        let client = client_for(&server);
        assert_eq!(ids(collect(list(&client).into_stream()).await), ["f1"], "{body}");
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{body}");
    }
}

#[tokio::test]
async fn an_error_is_yielded_then_the_stream_ends() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("page[number]"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["f1"], 1, 3)))
        .mount(&server)
        .await;
    Mock::given(query_param("page[number]", "2"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let results = collect(list(&client).into_stream()).await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().id, "f1");
    assert!(results[1].as_ref().unwrap_err().is_not_found());
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn custom_page_number_parameter() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("p"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [{"id": "a"}], "page": 1, "pages": 2})))
        .mount(&server)
        .await;
    Mock::given(query_param("p", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [{"id": "b"}], "page": 2, "pages": 2})))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let request = Request::<CursorlessPage>::new(&client, Method::GET, "/items", "ListItems");
    assert_eq!(ids(collect(request.into_stream()).await), ["a", "b"]);
}

#[tokio::test]
async fn page_stream_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let server = MockServer::start().await;
    let client = client_for(&server);
    let stream = list(&client).into_stream();
    assert_send(&stream);
    assert!(format!("{stream:?}").starts_with("PageStream"));
}

/// A `next` field that holds a token on one page and the next page's URL
/// on another (`NextPage::token_or_url`): the token is sent as `cursor`, the
/// URL (absolute or a path) is followed, and a URL outside the base URL
/// ends the stream with a paging error instead of sending the key there.
#[derive(Debug, Deserialize)]
struct EitherPage {
    data: Vec<Fax>,
    next: Option<String>,
}

impl Page for EitherPage {
    type Item = Fax;
    fn into_items(self) -> Vec<Fax> {
        self.data
    }
    fn next_page(&self, _: &PageInfo<'_>) -> Option<NextPage> {
        Some(NextPage::token_or_url("cursor", self.next.clone()?))
    }
}

#[tokio::test]
async fn a_next_field_is_a_token_or_a_url() {
    let server = MockServer::start().await;
    let page = |id: &str, next: Value| json!({"data": [{"id": id}], "next": next});
    Mock::given(path("/faxes")).and(query_param_is_missing("cursor")).and(query_param_is_missing("p"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page("f1", json!("tok2"))))
        .expect(1).mount(&server).await;
    Mock::given(path("/faxes")).and(query_param("cursor", "tok2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page("f2", json!(format!("{}/faxes?p=3", server.uri())))))
        .expect(1).mount(&server).await;
    Mock::given(path("/faxes")).and(query_param("p", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page("f3", json!("/faxes/more?p=4"))))
        .expect(1).mount(&server).await;
    Mock::given(path("/faxes/more")).and(query_param("p", "4"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page("f4", Value::Null)))
        .expect(1).mount(&server).await;
    let client = client_for(&server);
    let request = Request::<EitherPage>::new(&client, Method::GET, "/faxes", "ListFaxes");
    assert_eq!(ids(collect(request.into_stream()).await), ["f1", "f2", "f3", "f4"]);

    let elsewhere = MockServer::start().await;
    let server = MockServer::start().await;
    Mock::given(path("/faxes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page("f1", json!(format!("{}/faxes?p=2", elsewhere.uri())))))
        .mount(&server).await;
    let client = client_for(&server);
    let request = Request::<EitherPage>::new(&client, Method::GET, "/faxes", "ListFaxes");
    let mut results = collect(request.into_stream()).await;
    let error = results.pop().unwrap().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Paging, "{error}");
    assert_eq!(ids(results), ["f1"]);
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}
