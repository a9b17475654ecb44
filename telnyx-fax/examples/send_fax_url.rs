//! Send a fax whose document is at a public URL, then look it up.
//!
//! ```sh
//! TELNYX_API_KEY=KEY... cargo run -p telnyx-fax --example send_fax_url -- \
//!     <connection_id> <from> <to> <media_url>
//! ```
//!
//! Without a Telnyx account, run it against the Prism mock of the spec
//! (`scripts/prism.sh mock 4010` in another terminal):
//!
//! ```sh
//! TELNYX_API_KEY=test TELNYX_BASE_URL=http://127.0.0.1:4010 \
//!     cargo run -p telnyx-fax --example send_fax_url -- \
//!     234423 +13125790015 +13127367276 https://example.com/docs/invoice.pdf
//! ```

use telnyx_fax::prelude::*;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [connection_id, from, to, media_url] = args.as_slice() else {
        eprintln!("usage: send_fax_url <connection_id> <from> <to> <media_url>");
        std::process::exit(2);
    };
    if let Err(err) = run(connection_id, from, to, media_url).await {
        eprintln!("error: {err}");
        std::process::exit(1);
    }
}

async fn run(connection_id: &str, from: &str, to: &str, media_url: &str) -> telnyx_fax::Result<()> {
    // TELNYX_API_KEY is required; TELNYX_BASE_URL overrides https://api.telnyx.com/v2.
    let client = Client::from_env()?;

    let request = SendFaxRequest::new(connection_id, from, to)
        .media_url(media_url)
        .quality(Quality::High)
        .store_media(true);
    let response = client.faxes().create(request).send_with_response().await?;
    // The raw response: status and headers next to the typed body.
    let request_id = response
        .request_id()
        .map(|r| format!(" (request id {r})"))
        .unwrap_or_default();
    println!("{}{request_id}", response.status);
    let fax = response.data.data;
    let id = fax.id.clone();
    println!("queued fax {id}");
    println!(
        "  from {} to {}",
        fax.from.as_str(),
        fax.to.as_str()
    );
    println!(
        "  status  {}",
        fax.status.as_str()
    );
    println!(
        "  quality {}",
        fax.quality.as_ref().map_or("?", |q| q.as_str())
    );

    // Look it up again, as one would to poll its status (webhooks are the
    // better way: see the webhook_receiver example).
    let current = client.faxes().retrieve(&id).await?.data;
    println!(
        "fax {id} is now {} (updated {})",
        current.status.as_str(),
        current.updated_at.to_rfc3339()
    );
    Ok(())
}
