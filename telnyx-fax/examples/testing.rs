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
        Ok(sent) => Ok(sent.data.id),
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
        if fax.status == FaxStatus::Failed {
            failed.push(fax.id);
        }
    }
    Ok(failed)
}

/// A webhook handler: verifies the signature, then answers with the id of
/// the fax a delivery or failure is about (`None` for other events).
pub fn on_webhook(
    verifier: &telnyx_fax::webhooks::WebhookVerifier,
    body: &[u8],
    headers: &telnyx_fax::http::HeaderMap,
) -> std::result::Result<Option<String>, telnyx_fax::webhooks::WebhookError> {
    Ok(match verifier.unwrap(body, headers)? {
        WebhookEvent::FaxDelivered(event) => Some(event.payload.fax_id.clone()),
        WebhookEvent::FaxFailed(event) => Some(event.payload.fax_id.clone()),
        _ => None,
    })
}

#[cfg_attr(test, allow(dead_code))]
fn main() {
    println!("run the tests: cargo test -p telnyx-fax --example testing");
}

#[cfg(test)]
mod tests {
    use super::*;
    use telnyx_fax::testing::{MockResponse, MockServer, WebhookSigner};

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
        // Typed pages: the example fax (the double echoes the id asked for)
        // with the fields this test is about changed.
        let example = mock.client().faxes().retrieve("a").await.unwrap().into_data();
        let fax = |id: &str, status| Fax { id: id.into(), status, ..example.clone() };
        mock.on("ListFaxes").pages(vec![
            vec![fax("a", FaxStatus::Failed), fax("b", FaxStatus::Delivered)],
            vec![fax("c", FaxStatus::Failed)],
        ]);
        assert_eq!(failed_faxes(&mock.client()).await.unwrap(), ["a", "c"]);
        let requests = mock.received("ListFaxes");
        assert_eq!(requests[1].query_param("page[number]"), Some("2"));
        assert_eq!(requests[1].query_param("page[size]"), Some("50"));
    }

    #[test]
    fn a_signed_delivery_webhook_gives_its_fax_id() {
        // No key material or crypto crate here: the signer holds a test key.
        let signer = WebhookSigner::new();
        let body = br#"{"data":{"record_type":"event","id":"95479a2e-b947-470a-a88f-2da6dd07ae0f","event_type":"fax.delivered","occurred_at":"2024-05-05T10:01:40Z","payload":{"fax_id":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","connection_id":"234423","direction":"outbound","from":"+13125790015","to":"+13127367276","status":"delivered","user_id":"19a75cea-02c6-4b9a-84fa-c9bc8341feb8"}}}"#;
        let id = on_webhook(&signer.verifier(), body, &signer.sign(body)).unwrap();
        assert_eq!(id.as_deref(), Some("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0"));

        // A forged body or an old signature is refused.
        assert!(on_webhook(&signer.verifier(), b"{}", &signer.sign(body)).is_err());
        let err = on_webhook(&signer.verifier(), body, &signer.sign_at(body, 1_000_000_000)).unwrap_err();
        assert!(err.is_timestamp_out_of_tolerance());
    }
}
