//! Testing your own code with the test double (`telnyx_fax::testing`, the
//! `testing` feature): no network, no account, no Node.
//!
//! ```sh
//! cargo test -p telnyx-fax --example testing
//! ```
//!
//! The code under test is below (`send_invoice`, `failed_faxes`); its tests
//! are in `mod tests`: each starts a [`MockServer`], which answers every
//! operation with the API's example response, changes the answers the test
//! is about, and checks what the code sent.

use telnyx_fax::prelude::*;

/// Sends an invoice by URL and returns the fax id; a fax the API refuses
/// (422) becomes a readable message.
pub async fn send_invoice(client: &Client, to: &str, pdf_url: &str) -> std::result::Result<String, String> {
    let request = SendFaxRequest::new("234423", "+13125790015", to).media_url(pdf_url).quality(Quality::High);
    match client.faxes().create(request).await {
        Ok(sent) => Ok(sent.data.id.unwrap_or_default()),
        Err(err) if err.is_unprocessable_entity() => {
            Err(format!("refused: {}", err.first_error().and_then(|e| e.detail.clone()).unwrap_or_default()))
        }
        Err(err) => Err(err.to_string()),
    }
}

/// Ids of the failed faxes, over every page (the API has no status filter,
/// so the list is filtered here).
pub async fn failed_faxes(client: &Client) -> telnyx_fax::Result<Vec<String>> {
    let mut failed = Vec::new();
    let mut faxes = client.faxes().list().page_size(50).into_stream();
    while let Some(fax) = faxes.try_next().await? {
        if fax.status == Some(FaxStatus::Failed) {
            failed.extend(fax.id);
        }
    }
    Ok(failed)
}

#[cfg_attr(test, allow(dead_code))]
fn main() {
    println!("run the tests: cargo test -p telnyx-fax --example testing");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use telnyx_fax::testing::{MockResponse, MockServer};

    #[tokio::test]
    async fn sends_the_invoice_url_in_high_quality() {
        let mock = MockServer::start().await;
        let id = send_invoice(&mock.client(), "+13127367276", "https://example.com/inv-7.pdf").await.unwrap();
        assert_eq!(id, "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0"); // the spec's example fax

        let sent = mock.received("SendFax");
        assert_eq!(sent.len(), 1);
        let body = sent[0].json().unwrap();
        assert_eq!((body["to"].as_str(), body["media_url"].as_str()), (Some("+13127367276"), Some("https://example.com/inv-7.pdf")));
        assert_eq!(body["quality"], "high");
    }

    #[tokio::test]
    async fn a_refused_fax_is_a_readable_error() {
        let mock = MockServer::start().await;
        mock.on("SendFax").respond(MockResponse::api_error(422, "Invalid", "The 'to' number is not a valid E.164 number."));
        let err = send_invoice(&mock.client(), "12", "https://example.com/a.pdf").await.unwrap_err();
        assert_eq!(err, "refused: The 'to' number is not a valid E.164 number.");
    }

    #[tokio::test]
    async fn failed_faxes_are_found_on_every_page() {
        let mock = MockServer::start().await;
        let page = |number: u32, faxes: serde_json::Value| {
            MockResponse::json(200, json!({"data": faxes, "meta": {"page_number": number, "page_size": 50, "total_pages": 2, "total_results": 3}}))
        };
        mock.on("ListFaxes")
            .respond_once(page(1, json!([{"id": "a", "status": "failed"}, {"id": "b", "status": "delivered"}])))
            .respond_once(page(2, json!([{"id": "c", "status": "failed"}])));
        assert_eq!(failed_faxes(&mock.client()).await.unwrap(), ["a", "c"]);
        let requests = mock.received("ListFaxes");
        assert_eq!(requests[1].query_param("page[number]"), Some("2"));
        assert_eq!(requests[1].query_param("page[size]"), Some("50"));
    }
}
