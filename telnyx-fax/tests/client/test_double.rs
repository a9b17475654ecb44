//! The test double users get with the `testing` feature
//! (`telnyx_fax::testing`): every operation answers with the spec's example,
//! answers can be changed per operation (status, body, headers, delay, one
//! call or all), requests are recorded with the operation they matched.

use std::time::Duration;

use futures::TryStreamExt as _;
use serde_json::json;
use telnyx_fax::testing::{MockResponse, MockServer};
use telnyx_fax::types::{CreateFaxApplicationRequest, SendFaxRequest};

/// Every operation of the spec is in the table, with a default answer whose
/// body (when there is one) is JSON that decodes.
#[test]
fn every_operation_has_an_example_answer() {
    let ops = MockServer::operations();
    let ids: Vec<&str> = ops.iter().map(|o| o.id).collect();
    for id in ["ListFaxes", "SendFax", "ViewFax", "DeleteFax", "CancelFax", "RefreshFax", "ListFaxApplications", "CreateFaxApplication"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    for op in ops {
        assert!((200..300).contains(&op.status), "{} answers {}", op.id, op.status);
        if let Some(body) = op.body {
            let value: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{}: {e}", op.id));
            assert!(value.get("data").is_some(), "{}: {value}", op.id);
        }
    }
    let delete = ops.iter().find(|o| o.id == "DeleteFax").unwrap();
    assert_eq!((delete.status, delete.body), (204, None));
}

/// An operation is named by its operationId or by the same letters and
/// digits in another case or with separators (an operationId such as
/// `find pet by id` is no identifier; `findPetById` names it); a name that
/// matches nothing still panics with the list.
#[tokio::test]
async fn operations_are_named_by_id_or_identifier() {
    let mock = MockServer::start().await;
    let client = mock.client();
    mock.on("send_fax").respond(MockResponse::api_error(422, "Invalid", "bad number"));
    let err = client.faxes().create(SendFaxRequest::new("1", "+1", "+2").media_url("https://e.com/a.pdf")).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(mock.received("sendFax").len(), 1);
    assert_eq!(mock.received("SendFax").len(), 1);
    let unknown = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| mock.received("send_faxes")));
    assert!(unknown.is_err());
}

/// With no setup, the calls of a program decode the spec's examples.
#[tokio::test]
async fn default_answers_are_the_spec_examples() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let sent = client
        .faxes()
        .create(SendFaxRequest::new("234423", "+13125790015", "+13127367276").media_url("https://example.com/a.pdf"))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(sent.status.as_u16(), 202);
    let example: serde_json::Value = serde_json::from_str(mock.on("SendFax").operation().body.unwrap()).unwrap();
    assert_eq!(serde_json::to_value(&sent.data).unwrap()["data"]["id"], example["data"]["id"]);

    let page = client.faxes().list().await.unwrap();
    assert_eq!(serde_json::to_value(&page).unwrap()["data"][0]["id"], "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0");
    client.faxes().delete("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0").await.unwrap();
    client
        .fax_applications()
        .create(CreateFaxApplicationRequest::new("fax-router", "https://example.com/hooks"))
        .await
        .unwrap();
}

/// Requests are recorded under the operation their method and path matched,
/// the most specific template winning; the body, query and headers are kept.
#[tokio::test]
async fn requests_are_recorded_by_operation() {
    let mock = MockServer::start().await;
    let client = mock.client();
    client.faxes().actions().cancel("abc=1").await.unwrap();
    client.faxes().retrieve("abc").await.unwrap();
    client.faxes().list().page_number(3).page_size(5).await.unwrap();
    client
        .faxes()
        .create(SendFaxRequest::new("234423", "+13125790015", "+13127367276").media_url("https://example.com/a.pdf"))
        .await
        .unwrap();

    let cancel = mock.received("CancelFax");
    assert_eq!(cancel.len(), 1);
    assert_eq!(cancel[0].method, http::Method::POST);
    // Still percent-encoded, as sent (`=` is encoded since issue 20).
    assert_eq!(cancel[0].path_param("id"), Some("abc%3D1"));
    assert_eq!(cancel[0].header("authorization"), Some("Bearer test-api-key"));
    let view = mock.received("ViewFax");
    assert_eq!((view.len(), view[0].path.as_str()), (1, "/faxes/abc"));
    let list = &mock.received("ListFaxes")[0];
    assert_eq!((list.query_param("page[number]"), list.query_param("page[size]")), (Some("3"), Some("5")));
    let send = &mock.received("SendFax")[0];
    assert_eq!(send.json().unwrap()["to"], "+13127367276");
    assert!(!send.is_multipart());
    assert_eq!(mock.received_all().len(), 4);
    assert!(mock.received("DeleteFax").is_empty());
}

/// `respond_with` / `respond` change every later answer, `respond_once`
/// queues answers used first, `reset` goes back to the example.
#[tokio::test]
async fn answers_can_be_changed_per_operation() {
    let mock = MockServer::start().await;
    let client = mock.client_builder().max_retries(0).build().unwrap();

    mock.on("ViewFax").respond_with(422, json!({"errors": [{"code": "10015", "title": "Bad", "detail": "no"}]}));
    let err = client.faxes().retrieve("x").await.unwrap_err();
    assert!(err.is_unprocessable_entity(), "{err}");
    assert_eq!(err.first_error().and_then(|e| e.code.as_deref()), Some("10015"));
    // Other operations keep their examples.
    client.faxes().list().await.unwrap();

    mock.on("ViewFax")
        .reset()
        .respond_once(MockResponse::api_error(404, "Not Found", "gone"))
        .respond_once(MockResponse::json(200, json!({"data": {"id": "second", "record_type": "fax", "status": "queued", "connection_id": "234423", "from": "+13125790015", "to": "+13127367276", "direction": "outbound", "created_at": "2024-05-05T09:59:12Z", "updated_at": "2024-05-05T09:59:12Z"}})));
    assert!(client.faxes().retrieve("x").await.unwrap_err().is_not_found());
    let second = client.faxes().retrieve("x").await.unwrap();
    assert_eq!(serde_json::to_value(&second).unwrap()["data"]["id"], "second");
    // Then the example again, with the id asked for.
    let third = client.faxes().retrieve("x").await.unwrap();
    let example: serde_json::Value = serde_json::from_slice(mock.on("ViewFax").example().body()).unwrap();
    assert_eq!(third.id, "x");
    assert_eq!(serde_json::to_value(&third).unwrap()["data"]["media_url"], example["data"]["media_url"]);

    // Headers reach the client.
    mock.on("ViewFax").respond(mock.on("ViewFax").example().header("x-request-id", "req-42"));
    let raw = client.faxes().retrieve("x").send_with_response().await.unwrap();
    assert_eq!(raw.request_id(), Some("req-42"));
}

/// A retryable answer given once is retried by the client; the double
/// records both attempts.
#[tokio::test]
async fn retries_are_visible_in_the_records() {
    let mock = MockServer::start().await;
    let client = mock.client();
    mock.on("ListFaxApplications")
        .respond_once(MockResponse::api_error(503, "Unavailable", "try again"))
        .respond_once(MockResponse::api_error(429, "Too Many Requests", "slow down").header("retry-after", "0"));
    client.fax_applications().list().await.unwrap();
    assert_eq!(mock.received("ListFaxApplications").len(), 3);
}

/// A delayed answer trips the per-request timeout.
#[tokio::test]
async fn delays_reach_timeouts() {
    let mock = MockServer::start().await;
    let client = mock.client_builder().max_retries(0).build().unwrap();
    mock.on("ViewFax").respond(mock.on("ViewFax").example().delay(Duration::from_secs(5)));
    let err = client.faxes().retrieve("x").timeout(Duration::from_millis(100)).await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
}

/// A request no operation matches gets a 404 saying so, and is recorded.
#[tokio::test]
async fn unknown_routes_answer_404() {
    let mock = MockServer::start().await;
    let response = reqwest::get(format!("{}/no/such/path", mock.uri())).await.unwrap();
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("no operation for GET /no/such/path"));
    let all = mock.received_all();
    assert_eq!((all.len(), all[0].operation_id), (1, None));
}

/// Misnamed operations fail loudly, listing the real ones.
#[test]
#[should_panic(expected = "the API has no operation `SendFaxes`; its operations are: ")]
fn unknown_operation_ids_panic_with_the_list() {
    let mock = MockServer::start_blocking();
    mock.on("SendFaxes");
}

/// The double runs without the caller's runtime (for blocking code), and
/// every server is independent.
#[test]
fn blocking_start_and_independent_servers() {
    let a = MockServer::start_blocking();
    let b = MockServer::start_blocking();
    assert_ne!(a.uri(), b.uri());
    let response = std::thread::spawn({
        let uri = a.uri();
        move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async { reqwest::get(format!("{uri}/faxes")).await.unwrap().status() })
        }
    })
    .join()
    .unwrap();
    assert_eq!(response, 200);
    assert_eq!(a.received("ListFaxes").len(), 1);
    assert!(b.received_all().is_empty());
    a.reset();
    assert!(a.received_all().is_empty());
}

/// The blocking client works on the double started without a runtime:
/// a page, then every item across pages as an iterator.
#[cfg(feature = "blocking")]
#[test]
fn the_blocking_client_runs_on_the_double() {
    let mock = MockServer::start_blocking();
    let client = telnyx_fax::blocking::Client::new(mock.client()).unwrap();
    let page = client.faxes().list().page_size(1).send().unwrap();
    assert_eq!(page.data.len(), 1);
    let all: Vec<_> = client.faxes().list().into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(all.len(), 1);
    mock.on("ViewFax").respond(MockResponse::api_error(404, "Not Found", "gone"));
    assert!(client.faxes().retrieve("x").send().unwrap_err().is_not_found());
    assert_eq!(mock.received("ListFaxes").len(), 2);
}

/// The example of an operation on `/{...}/{id}` carries the id asked for
/// (percent-decoded); the rest of the example is kept, and an operation
/// whose path does not end in the id keeps its example as is.
#[tokio::test]
async fn the_example_echoes_the_path_id_asked_for() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let fax = client.faxes().retrieve("5d2f7c1e-8b9a-4c3d-9e0f-1a2b3c4d5e6f").await.unwrap();
    assert_eq!(fax.id, "5d2f7c1e-8b9a-4c3d-9e0f-1a2b3c4d5e6f");
    let example: serde_json::Value = serde_json::from_str(mock.on("ViewFax").operation().body.unwrap()).unwrap();
    assert_eq!(fax.to, example["data"]["to"].as_str().unwrap());
    let app = client.fax_applications().retrieve("a/b c").await.unwrap();
    assert_eq!(app.id, "a/b c");
    let app = client.fax_applications().delete("42").await.unwrap();
    assert_eq!(app.id, "42");
    let cancelled = client.faxes().actions().cancel("5d2f").await.unwrap();
    assert_eq!(cancelled.result, "ok");
}

/// `pages` scripts a list from typed items: each call gets the next page,
/// with the page number and page count set, so the stream asks for every
/// page and stops after the last; later calls get the example again.
#[tokio::test]
async fn pages_are_scripted_from_typed_items() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let example = client.faxes().retrieve("a").await.unwrap().into_data();
    let fax = |id: &str| telnyx_fax::types::Fax { id: id.into(), ..example.clone() };
    mock.on("ListFaxes").pages(vec![vec![fax("a"), fax("b")], vec![fax("c")], vec![fax("d")]]);
    let ids: Vec<String> = client.faxes().list().page_size(2).into_stream().map_ok(|f| f.id).try_collect().await.unwrap();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    let asked: Vec<Option<String>> =
        mock.received("ListFaxes").iter().map(|r| r.query_param("page[number]").map(String::from)).collect();
    assert_eq!(asked, [None, Some("2".into()), Some("3".into())]);
    let page = client.faxes().list().await.unwrap();
    assert_eq!(page.len(), 1, "the example page once the script is used up");

    // No pages: one empty page.
    mock.on("ListFaxApplications").pages(Vec::<Vec<telnyx_fax::types::FaxApplication>>::new());
    assert!(client.fax_applications().list().await.unwrap().is_empty());
}

/// `pages` on an operation that does not page is a test bug, said plainly.
#[tokio::test]
#[should_panic(expected = "`ViewFax` is not a paged list operation")]
async fn pages_on_a_single_object_operation_panics_with_its_name() {
    let mock = MockServer::start().await;
    mock.on("ViewFax").pages(vec![vec![1]]);
}

/// An error whose title is the status's reason and whose code is the status
/// reads once: `429 Too Many Requests: slow down`.
#[tokio::test]
async fn an_error_display_does_not_repeat_the_status() {
    let mock = MockServer::start().await;
    let client = mock.client_builder().max_retries(0).build().unwrap();
    mock.on("ViewFax").respond(MockResponse::api_error(429, "Too Many Requests", "slow down"));
    let err = client.faxes().retrieve("x").await.unwrap_err();
    assert_eq!(err.to_string(), "429 Too Many Requests: slow down");
    // Nothing but the status: the status line alone.
    mock.on("ViewFax").respond(MockResponse::json(404, json!({"errors": [{"code": "404", "title": "Not Found"}]})));
    let err = client.faxes().retrieve("x").await.unwrap_err();
    assert_eq!(err.to_string(), "404 Not Found");
    // A title or code of its own is kept.
    mock.on("ViewFax").respond(MockResponse::api_error(404, "Resource not found", "gone"));
    let err = client.faxes().retrieve("x").await.unwrap_err();
    assert_eq!(err.to_string(), "404 Not Found: Resource not found: gone");
}
