//! Send a fax by uploading a local file (`multipart/form-data`).
//!
//! ```sh
//! TELNYX_API_KEY=KEY... cargo run -p telnyx-fax --example send_fax_upload -- \
//!     <connection_id> <from> <to> <path/to/document.pdf>
//! ```
//!
//! The content type is taken from the file's extension (PDF, TIFF, JPEG,
//! PNG, DOC, DOCX, RTF, TXT). Without a Telnyx account, run it against the
//! Prism mock of the spec (`scripts/prism.sh mock 4010` in another terminal):
//!
//! ```sh
//! TELNYX_API_KEY=test TELNYX_BASE_URL=http://127.0.0.1:4010 \
//!     cargo run -p telnyx-fax --example send_fax_upload -- \
//!     234423 +13125790015 +13127367276 README.md
//! ```

use std::path::Path;

use telnyx_fax::prelude::*;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [connection_id, from, to, file] = args.as_slice() else {
        eprintln!("usage: send_fax_upload <connection_id> <from> <to> <file>");
        std::process::exit(2);
    };
    if let Err(err) = run(connection_id, from, to, Path::new(file)).await {
        eprintln!("error: {err}");
        std::process::exit(1);
    }
}

async fn run(connection_id: &str, from: &str, to: &str, file: &Path) -> telnyx_fax::Result<()> {
    let client = Client::from_env()?;

    // The file is read when the request is sent (and read again if the
    // request is retried); a missing file is an `Io` error, nothing is sent.
    let upload = FileUpload::from_path(file);
    println!(
        "uploading {} ({})",
        file.display(),
        upload.get_content_type()
    );
    // The same `create` as a send by URL: with a file attached the body is
    // sent as `multipart/form-data`.
    let request = SendFaxRequest::new(connection_id, from, to)
        .contents(upload)
        .quality(Quality::Normal)
        .client_state("dXBsb2FkLWV4YW1wbGU="); // echoed in the fax's webhooks
    let sent = client.faxes().create(request).await?;
    let fax = sent.data;
    println!(
        "queued fax {} from {} to {}: {}",
        fax.id.as_str(),
        fax.from.as_str(),
        fax.to.as_str(),
        fax.status.as_str(),
    );
    Ok(())
}
