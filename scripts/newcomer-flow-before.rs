//! The flow of `telnyx-fax/examples/quickstart.rs` (`fn flow`) written with
//! the shapes of telnyx-fax before issue 24 (commit 1af33fa): every response
//! field an `Option`, `.data` after each call, the filter built from its
//! builders. The "before" of `scripts/flow-lines.sh scripts/newcomer-flow-before.rs`;
//! it compiled as an example of that commit (not built here: the current
//! crate has no `Option` on these fields).

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
        .await?
        .data;
    println!(
        "1. created fax application {} {}, webhooks to {}",
        app.id.as_deref().unwrap_or("?"),
        app.application_name.as_deref().unwrap_or("?"),
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
    let fax = sent.data.data;
    println!(
        "2. sent fax by URL ({}): id {}, status {}",
        sent.status,
        fax.id.as_deref().unwrap_or("?"),
        fax.status.as_ref().map_or("?", |s| s.as_str()),
    );

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
        .await?
        .data;
    println!("3. uploaded contract.pdf: fax {}", uploaded.id.as_deref().unwrap_or("?"));

    // 4. Every outbound fax, two per page: the stream asks for page 2 by itself.
    println!("4. outbound faxes:");
    let mut faxes = client
        .faxes()
        .list()
        .filter(FaxesListFilter::new().direction(FaxesListFilterDirection::new().eq(Direction::Outbound)))
        .page_size(2)
        .into_stream();
    while let Some(fax) = faxes.try_next().await? {
        println!(
            "     {}  {}",
            fax.id.as_deref().unwrap_or("?"),
            fax.status.as_ref().map_or("?", |s| s.as_str())
        );
    }

    // 5. Cancel a fax that is still queued.
    let cancelled = client.faxes().actions().cancel(FAX_ID).await?;
    println!("5. cancelled fax {FAX_ID}: {}", cancelled.data.result.as_deref().unwrap_or("?"));

    // 6. Delete it (204 No Content decodes as `()`), then the application.
    client.faxes().delete(FAX_ID).await?;
    let app_id = app.id.as_deref().unwrap_or("?");
    client.fax_applications().delete(app_id).await?;
    println!("6. deleted fax {FAX_ID} and fax application {app_id}");

    // 7. Errors are typed: a fax that does not exist is a 404.
    match client.faxes().retrieve("no-such-fax").await {
        Err(err) if err.is_not_found() => println!("7. a missing fax: {err}"),
        other => println!("7. unexpected: {other:?}"),
    }

    // 8. A 429 is retried after its Retry-After, then the call succeeds.
    let fax = client.faxes().retrieve(FAX_ID).await?.data;
    println!(
        "8. fax {} is {}, after a rate limit",
        fax.id.as_deref().unwrap_or("?"),
        fax.status.as_ref().map_or("?", |s| s.as_str())
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::start().await;
    mock.on("ViewFax").respond_once(MockResponse::api_error(404, "Not Found", "gone"));
    flow(&mock.client()).await
}
