//! The client's main job, shown without a Telnyx account:
//!
//! ```sh
//! cargo run -p quickstart      # or: cargo run -p telnyx-fax --example quickstart
//! ```
//!
//! [`flow`] is the program a user writes: create a fax application, send a
//! fax by URL, upload a fax, list the outbound faxes across pages, cancel a
//! fax, delete it and the application, tell a 404 apart and ride out a 429.
//! `main` runs it against the crate's test double
//! ([`telnyx_fax::testing::MockServer`]: a server on 127.0.0.1 generated
//! from the OpenAPI document, answering every operation with the document's
//! example), scripts the answers the examples do not show (two pages, a 404,
//! a 429) and checks the requests the double received. No network beyond
//! loopback, no environment variables.
//!
//! Against the real API `flow` is the same, with the client built by
//! `Client::from_env()?` (`TELNYX_API_KEY`). `scripts/newcomer-flow.py` is
//! the same flow with the official Python SDK, for comparison
//! (`scripts/flow-lines.sh` counts both).

use telnyx_fax::prelude::*;
use telnyx_fax::testing::{MockResponse, MockServer};

/// The fax that is cancelled, deleted and looked up again.
const FAX_ID: &str = "5d2f7c1e-8b9a-4c3d-9e0f-1a2b3c4d5e6f";

/// What a program using the client does (the part counted against Python).
async fn flow(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
    // 1. A fax application holds the webhook settings for sending and receiving.
    let app = client
        .fax_applications()
        .create(
            CreateFaxApplicationRequest::new("fax-router", "https://example.com/fax-events")
                .anchorsite_override(AnchorsiteOverride::ChicagoIl)
                .webhook_timeout_secs(25),
        )
        .await?;
    println!("1. created fax application {} {}, webhooks to {}", app.id, app.application_name, app.webhook_event_url);

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
    println!("2. sent fax by URL ({}): id {}, status {}", sent.status, sent.data.id, sent.data.status);

    // 3. Upload a document: the same call, sent as multipart/form-data because
    //    a file is attached (`FileUpload::from_path` streams a file from disk).
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let uploaded = client
        .faxes()
        .create(
            SendFaxRequest::new("234423", "+13125790015", "+13127367276")
                .contents(FileUpload::from_bytes("contract.pdf", pdf.to_vec()))
                .quality(Quality::VeryHigh),
        )
        .await?;
    println!("3. uploaded contract.pdf: fax {}", uploaded.id);

    // 4. Every outbound fax, two per page: the stream asks for page 2 by itself.
    println!("4. outbound faxes:");
    let mut faxes = client.faxes().list().direction(Direction::Outbound).page_size(2).into_stream();
    while let Some(fax) = faxes.try_next().await? {
        println!("     {}  {}", fax.id, fax.status);
    }

    // 5. Cancel a fax that is still queued.
    let cancelled = client.faxes().actions().cancel(FAX_ID).await?;
    println!("5. cancelled fax {FAX_ID}: {}", cancelled.result);

    // 6. Delete it (204 No Content decodes as `()`), then the application.
    client.faxes().delete(FAX_ID).await?;
    client.fax_applications().delete(&app.id).await?;
    println!("6. deleted fax {FAX_ID} and fax application {}", app.id);

    // 7. Errors are typed: a fax that does not exist is a 404.
    match client.faxes().retrieve("no-such-fax").await {
        Err(err) if err.is_not_found() => println!("7. a missing fax: {err}"),
        other => println!("7. unexpected: {other:?}"),
    }

    // 8. A 429 is retried after its Retry-After, then the call succeeds.
    let fax = client.faxes().retrieve(FAX_ID).await?;
    println!("8. fax {} is {}, after a rate limit", fax.id, fax.status);
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::start().await;
    println!("test double of the Telnyx Fax API on {}\n", mock.uri());

    // The examples show one page and successes; script the rest from the
    // example fax (the double answers `retrieve(id)` with that id).
    let example = mock.client().faxes().retrieve("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0").await?.into_data();
    mock.reset();
    let fax = |id: &str, status| Fax { id: id.into(), status, ..example.clone() };
    mock.on("ListFaxes").pages(vec![
        vec![fax("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0", FaxStatus::Delivered), fax(FAX_ID, FaxStatus::Queued)],
        vec![fax("182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e", FaxStatus::Sending)],
    ]);
    mock.on("ViewFax")
        .respond_once(MockResponse::api_error(404, "Not Found", "No resource with this identifier exists."))
        .respond_once(MockResponse::api_error(429, "Too Many Requests", "Slow down.").header("retry-after", "0"));

    flow(&mock.client()).await?;

    // The double recorded what the flow sent: JSON then multipart, both
    // pages with the filter, and the 429 retried once.
    let sends = mock.received("SendFax");
    assert_eq!(sends[0].json().unwrap()["media_url"], "https://example.com/docs/invoice.pdf");
    assert!(sends[1].is_multipart() && sends[1].body_text().contains("filename=\"contract.pdf\""));
    let pages = mock.received("ListFaxes");
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1].query_param("page[number]"), Some("2"));
    assert_eq!(pages[1].query_param("filter[direction][eq]"), Some("outbound"));
    assert_eq!(mock.received("ViewFax").len(), 3);

    println!("\ndone: every call went to the local test double, no Telnyx account needed");
    Ok(())
}
