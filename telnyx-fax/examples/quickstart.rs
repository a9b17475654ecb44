//! The client's main job, shown without a Telnyx account:
//!
//! ```sh
//! cargo run -p quickstart      # or: cargo run -p telnyx-fax --example quickstart
//! ```
//!
//! It starts the crate's test double ([`telnyx_fax::testing::MockServer`]:
//! a server on 127.0.0.1 generated from the OpenAPI document, answering
//! every operation with the document's example response), points a
//! [`Client`] at it and runs the usual tasks: create a fax application,
//! send a fax by URL, upload a fax, list every fax across two pages, cancel
//! a fax, delete it and the application, handle a 404 and ride out a 429.
//! Each step prints its typed result, and the requests the double received
//! are checked. No network beyond loopback, no environment variables.
//!
//! Against the real API the code is the same, with the client built by
//! `Client::from_env()?` (`TELNYX_API_KEY`).

use serde_json::{json, Value};
use telnyx_fax::prelude::*;
use telnyx_fax::testing::{MockResponse, MockServer};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::start().await;
    let client = mock.client();
    println!("test double of the Telnyx Fax API on {}\n", mock.uri());

    // 1. A fax application holds the webhook settings for sending and receiving.
    let app = client
        .fax_applications()
        .create(
            CreateFaxApplicationRequest::new("fax-router", "https://example.com/fax-events")
                .anchorsite_override(AnchorsiteOverride::ChicagoIl)
                .webhook_timeout_secs(25),
        )
        .await?
        .data;
    println!(
        "1. created fax application {} {:?}, webhooks to {}",
        app.id.as_str(),
        app.application_name,
        app.webhook_event_url.as_str(),
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
    let fax = sent.data.data;
    println!(
        "2. sent fax by URL ({}): id {}, status {}",
        sent.status,
        fax.id.as_str(),
        fax.status.as_str(),
    );

    // 3. Upload a document: the same call, sent as multipart/form-data
    //    because a file is attached (from bytes here; `FileUpload::from_path`
    //    reads a file).
    let document = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let uploaded = client
        .faxes()
        .create(
            SendFaxRequest::new("234423", "+13125790015", "+13127367276")
                .contents(FileUpload::from_bytes("contract.pdf", document.to_vec()))
                .quality(Quality::VeryHigh),
        )
        .await?
        .data;
    println!("3. uploaded contract.pdf: fax {}", uploaded.id.as_str());

    // The double recorded both sends: JSON first, then the upload.
    let sends = mock.received("SendFax");
    assert_eq!(sends[0].json().map(|b| b["media_url"].clone()), Some(json!("https://example.com/docs/invoice.pdf")));
    assert!(sends[1].is_multipart() && sends[1].body_text().contains("filename=\"contract.pdf\""));

    // 4. Every fax, across pages: the stream asks for page 2 by itself. The
    //    double's example list has one page, so give it two for this call.
    mock.on("ListFaxes")
        .respond_once(MockResponse::json(200, page(1, &[("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0", "delivered"), ("5d2f7c1e-8b9a-4c3d-9e0f-1a2b3c4d5e6f", "queued")])))
        .respond_once(MockResponse::json(200, page(2, &[("182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e", "received")])));
    let mut faxes = client.faxes().list().page_size(2).into_stream();
    println!("4. every fax, two per page:");
    while let Some(fax) = faxes.try_next().await? {
        println!(
            "     {}  {}",
            fax.id.as_str(),
            fax.status.as_str()
        );
    }
    let pages = mock.received("ListFaxes");
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1].query_param("page[number]"), Some("2"));

    // 5. Cancel a fax that is still queued.
    let fax_id = "5d2f7c1e-8b9a-4c3d-9e0f-1a2b3c4d5e6f";
    let cancelled = client.faxes().actions().cancel(fax_id).await?;
    println!("5. cancelled fax {fax_id}: {}", cancelled.data.result.as_str());

    // 6. Delete it (204 No Content decodes as `()`), then the application.
    client.faxes().delete(fax_id).await?;
    let app_id = app.id.as_str();
    client.fax_applications().delete(app_id).await?;
    println!("6. deleted fax {fax_id} and fax application {app_id}");

    // 7. Errors are typed: make the double answer 404 as the API does for an unknown id.
    mock.on("ViewFax").respond(MockResponse::api_error(404, "Not Found", "No resource with this identifier exists."));
    let err = client.faxes().retrieve("no-such-fax").await.unwrap_err();
    println!("7. a missing fax is an error of kind {:?}: {err}", err.kind());
    assert!(err.is_not_found());

    // 8. A 429 is retried after its Retry-After: the second attempt gets the example.
    mock.on("ViewFax").reset().respond_once(
        MockResponse::api_error(429, "Too Many Requests", "Slow down.").header("retry-after", "0"),
    );
    let before = mock.received("ViewFax").len();
    let fax = client.faxes().retrieve(fax_id).await?.data;
    let attempts = mock.received("ViewFax").len() - before;
    println!("8. rate limited once, then fax {} on attempt {attempts}", fax.id.as_str());
    assert_eq!(attempts, 2);

    println!("\ndone: every call went to the local test double, no Telnyx account needed");
    Ok(())
}

/// One page of a fax list as the API sends it: `data` and paging `meta`.
fn page(number: u32, faxes: &[(&str, &str)]) -> Value {
    let data: Vec<Value> = faxes
        .iter()
        .map(|(id, status)| {
            json!({
                "id": id, "record_type": "fax", "direction": "outbound", "status": status,
                "connection_id": "234423", "from": "+13125790015", "to": "+13127367276",
                "created_at": "2024-05-05T09:59:12Z", "updated_at": "2024-05-05T10:01:40Z"
            })
        })
        .collect();
    json!({"data": data, "meta": {"page_number": number, "page_size": 2, "total_pages": 2, "total_results": 3}})
}
