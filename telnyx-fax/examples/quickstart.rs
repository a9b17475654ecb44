//! The client's main job, shown without a Telnyx account:
//!
//! ```sh
//! cargo run -p telnyx-fax --example quickstart
//! ```
//!
//! It starts a mock of the Telnyx Fax API in this process (wiremock, on
//! 127.0.0.1, answering with realistic JSON), points a [`Client`] at it and
//! runs the usual tasks: create a fax application, send a fax by URL,
//! upload a fax, list every fax across two pages, cancel a fax, delete it
//! and delete the application. Each step prints its typed result. No network
//! beyond loopback, no environment variables.
//!
//! Against the real API the code is the same, with the client built by
//! `Client::from_env()` (`TELNYX_API_KEY`).

use std::time::Duration;

use futures_util::TryStreamExt;
use serde_json::{json, Value};
use telnyx_fax::types::{
    AnchorsiteOverride, CreateFaxApplicationRequest, FaxesListPage, FaxesListParams, Quality,
    SendFaxMultipartRequest, SendFaxRequest,
};
use telnyx_fax::{Client, FileUpload};
use wiremock::matchers::{
    body_partial_json, body_string_contains, header, header_regex, method, path, query_param,
    query_param_is_missing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "KEY-quickstart-demo";
const APP_ID: &str = "1293384261075731499";
const URL_FAX_ID: &str = "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0";
const UPLOAD_FAX_ID: &str = "5d2f7c1e-8b9a-4c3d-9e0f-1a2b3c4d5e6f";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = mock_telnyx().await;
    println!("mock Telnyx Fax API listening on {}\n", server.uri());

    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .timeout(Duration::from_secs(10))
        .build()?;

    // 1. A fax application holds the webhook settings for sending and receiving.
    let app = client
        .fax_applications()
        .create(
            CreateFaxApplicationRequest::new("fax-router", "https://example.com/fax-events")
                .anchorsite_override(AnchorsiteOverride::ChicagoIl)
                .webhook_timeout_secs(25i64),
        )
        .await?
        .data
        .unwrap_or_default();
    println!(
        "1. created fax application {} {:?}: anchor site {}, webhooks to {}",
        app.id.as_deref().unwrap_or("?"),
        app.application_name.as_deref().unwrap_or("?"),
        app.anchorsite_override.as_ref().map_or("?", |a| a.as_str()),
        app.webhook_event_url.as_deref().unwrap_or("?"),
    );

    // 2. Send a fax whose document is at a URL; the raw response shows the status.
    let sent = client
        .faxes()
        .create(
            SendFaxRequest::new("234423", "+13125790015", "+13127367276")
                .media_url("https://example.com/docs/invoice.pdf")
                .quality(Quality::High),
        )
        .send_with_response()
        .await?;
    let fax = sent.data.data.unwrap_or_default();
    println!(
        "2. sent fax by URL ({}): id {}, status {}, quality {}",
        sent.status,
        fax.id.as_deref().unwrap_or("?"),
        fax.status.as_ref().map_or("?", |s| s.as_str()),
        fax.quality.as_ref().map_or("?", |q| q.as_str()),
    );

    // 3. Upload a document (multipart/form-data); from bytes here, from a
    //    path with `FileUpload::from_path`.
    let document =
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            .to_vec();
    let uploaded = client
        .faxes()
        .create_multipart(
            SendFaxMultipartRequest::new("234423", "+13125790015", "+13127367276")
                .contents(FileUpload::from_bytes("contract.pdf", document))
                .quality(Quality::VeryHigh),
        )
        .await?
        .data
        .unwrap_or_default();
    println!(
        "3. uploaded contract.pdf: fax {}, status {}",
        uploaded.id.as_deref().unwrap_or("?"),
        uploaded.status.as_ref().map_or("?", |s| s.as_str()),
    );

    // 4. Every fax, across pages: the stream asks for page 2 by itself.
    let faxes: Vec<_> = client
        .faxes()
        .list(FaxesListParams::new().page(FaxesListPage::new().size(2)))
        .into_stream()
        .try_collect()
        .await?;
    println!("4. listed {} faxes over 2 pages:", faxes.len());
    for fax in &faxes {
        println!(
            "     {}  {:<8} {:<10} {} -> {}",
            fax.id.as_deref().unwrap_or("?"),
            fax.direction.as_ref().map_or("?", |d| d.as_str()),
            fax.status.as_ref().map_or("?", |s| s.as_str()),
            fax.from.as_deref().unwrap_or("?"),
            fax.to.as_deref().unwrap_or("?"),
        );
    }

    // 5. Cancel the uploaded fax while it is still queued.
    let cancelled = client.faxes().actions().cancel(UPLOAD_FAX_ID).await?;
    println!(
        "5. cancelled fax {UPLOAD_FAX_ID}: {}",
        cancelled.data.and_then(|d| d.result).unwrap_or_default()
    );

    // 6. Delete it (204 No Content decodes as `()`), then the application.
    client.faxes().delete(UPLOAD_FAX_ID).await?;
    println!("6. deleted fax {UPLOAD_FAX_ID}");
    let deleted = client
        .fax_applications()
        .delete(APP_ID)
        .await?
        .data
        .unwrap_or_default();
    println!(
        "   deleted fax application {} {:?}",
        deleted.id.as_deref().unwrap_or("?"),
        deleted.application_name.as_deref().unwrap_or("?"),
    );

    // 7. Errors are typed: the mock knows no fax with this id.
    let err = client.faxes().retrieve("no-such-fax").await.unwrap_err();
    println!(
        "7. a missing fax is an error of kind {:?}: {err}",
        err.kind()
    );
    assert!(err.is_not_found());

    // Every mocked endpoint was called as expected (this panics otherwise).
    server.verify().await;
    println!("\ndone: every call went to the local mock, no Telnyx account needed");
    Ok(())
}

fn application(id: &str) -> Value {
    json!({
        "active": true,
        "anchorsite_override": "Chicago, IL",
        "application_name": "fax-router",
        "created_at": "2024-03-11T14:02:17.311Z",
        "id": id,
        "inbound": {"channel_limit": 10, "sip_subdomain": null, "sip_subdomain_receive_settings": "from_anyone"},
        "outbound": {"channel_limit": 10, "outbound_voice_profile_id": "1293384261075731500"},
        "record_type": "fax_application",
        "tags": [],
        "updated_at": "2024-03-11T14:02:17.311Z",
        "webhook_event_failover_url": null,
        "webhook_event_url": "https://example.com/fax-events",
        "webhook_timeout_secs": 25
    })
}

fn fax(id: &str, direction: &str, status: &str, quality: &str, from: &str, to: &str) -> Value {
    json!({
        "client_state": null,
        "connection_id": "234423",
        "created_at": "2024-05-05T09:59:12Z",
        "direction": direction,
        "from": from,
        "from_display_name": from,
        "id": id,
        "media_url": "https://example.com/docs/invoice.pdf",
        "quality": quality,
        "record_type": "fax",
        "status": status,
        "store_media": false,
        "to": to,
        "updated_at": "2024-05-05T10:01:40Z",
        "webhook_url": "https://example.com/fax-webhooks"
    })
}

fn meta(page_number: u32) -> Value {
    json!({"page_number": page_number, "page_size": 2, "total_pages": 2, "total_results": 3})
}

/// The mock API: one route per call of `main`, each expected exactly once.
/// Every route requires the bearer token, as the real API does.
async fn mock_telnyx() -> MockServer {
    let server = MockServer::start().await;
    let auth = || header("authorization", format!("Bearer {API_KEY}").as_str());

    Mock::given(method("POST"))
        .and(path("/fax_applications"))
        .and(auth())
        .and(body_partial_json(json!({"application_name": "fax-router"})))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"data": application(APP_ID)})),
        )
        .expect(1)
        .named("CreateFaxApplication")
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/faxes"))
        .and(auth())
        .and(header("content-type", "application/json"))
        .and(body_partial_json(
            json!({"media_url": "https://example.com/docs/invoice.pdf"}),
        ))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "data": fax(URL_FAX_ID, "outbound", "queued", "high", "+13125790015", "+13127367276")
        })))
        .expect(1)
        .named("SendFax (JSON)")
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/faxes"))
        .and(auth())
        .and(header_regex("content-type", "^multipart/form-data; boundary="))
        .and(body_string_contains("name=\"contents\"; filename=\"contract.pdf\""))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "data": fax(UPLOAD_FAX_ID, "outbound", "queued", "very_high", "+13125790015", "+13127367276")
        })))
        .expect(1)
        .named("SendFax (multipart)")
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/faxes"))
        .and(auth())
        .and(query_param("page[size]", "2"))
        .and(query_param_is_missing("page[number]"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [
                fax(URL_FAX_ID, "outbound", "delivered", "high", "+13125790015", "+13127367276"),
                fax(UPLOAD_FAX_ID, "outbound", "queued", "very_high", "+13125790015", "+13127367276"),
            ],
            "meta": meta(1)
        })))
        .expect(1)
        .named("ListFaxes page 1")
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/faxes"))
        .and(auth())
        .and(query_param("page[size]", "2"))
        .and(query_param("page[number]", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [fax("182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e", "inbound", "received", "normal", "+13127367276", "+13125790015")],
            "meta": meta(2)
        })))
        .expect(1)
        .named("ListFaxes page 2")
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/faxes/{UPLOAD_FAX_ID}/actions/cancel")))
        .and(auth())
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"data": {"result": "ok"}})))
        .expect(1)
        .named("CancelFax")
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/faxes/{UPLOAD_FAX_ID}")))
        .and(auth())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .named("DeleteFax")
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/fax_applications/{APP_ID}")))
        .and(auth())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": application(APP_ID)})),
        )
        .expect(1)
        .named("DeleteFaxApplication")
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/faxes/no-such-fax"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "errors": [{"code": "404", "title": "Not Found", "detail": "No resource with this identifier exists."}]
        })))
        .expect(1)
        .named("ViewFax (missing)")
        .mount(&server)
        .await;
    server
}
