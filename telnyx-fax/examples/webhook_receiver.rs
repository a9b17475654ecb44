//! A minimal Telnyx fax webhook receiver built on axum.
//!
//! ```sh
//! TELNYX_PUBLIC_KEY='<base64 public key from the Telnyx portal>' PORT=3000 \
//!     cargo run -p telnyx-fax --example webhook_receiver
//! ```
//!
//! Point your fax application's webhook URL at `http(s)://<host>/webhooks`
//! (for local development, through a tunnel such as ngrok). Every request is
//! verified (Ed25519 signature over `"{telnyx-timestamp}|{raw body}"`, and a
//! timestamp within 5 minutes) before its content is looked at: verified
//! events get `200 OK`, anything else `400 Bad Request`.
//!
//! No API key is needed: verifying webhooks only takes the public key.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use telnyx_fax::types::WebhookEvent;
use telnyx_fax::webhooks::WebhookVerifier;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Fail at start-up, not on the first webhook, if TELNYX_PUBLIC_KEY is missing or invalid.
    let verifier = match WebhookVerifier::from_env() {
        Ok(verifier) => Arc::new(verifier),
        Err(err) => {
            eprintln!("error: {err}");
            std::process::exit(1);
        }
    };

    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse().map_err(|e| format!("PORT={port:?}: {e}"))?,
        Err(_) => 3000,
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));

    let app = Router::new()
        .route("/webhooks", post(receive))
        .with_state(verifier);

    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("listening on http://{addr}/webhooks");
    axum::serve(listener, app).await?;
    Ok(())
}

/// `Bytes` is the raw body exactly as received: the signature covers those
/// bytes, so do not extract `Json<_>` or `String` and re-encode it.
async fn receive(
    State(verifier): State<Arc<WebhookVerifier>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    match verifier.unwrap(&body, &headers) {
        Ok(event) => {
            let fax_id = fax_id(&event).unwrap_or("<none>");
            println!("{}: fax {fax_id}", event.event_type());
            if let WebhookEvent::FaxDelivered(delivered) = &event {
                let pages = delivered.data.payload.page_count.unwrap_or(0);
                println!("  {pages} page(s) delivered");
            }
            (StatusCode::OK, "ok")
        }
        Err(err) => {
            // Log why, but do not tell the sender which check failed.
            eprintln!("rejected webhook: {err}");
            (StatusCode::BAD_REQUEST, "invalid webhook")
        }
    }
}

/// The id of the fax an event is about.
fn fax_id(event: &WebhookEvent) -> Option<&str> {
    match event {
        WebhookEvent::FaxQueued(e) => Some(e.data.payload.fax_id.as_str()),
        WebhookEvent::FaxMediaProcessed(e) => Some(e.data.payload.fax_id.as_str()),
        WebhookEvent::FaxSendingStarted(e) => Some(e.data.payload.fax_id.as_str()),
        WebhookEvent::FaxDelivered(e) => Some(e.data.payload.fax_id.as_str()),
        WebhookEvent::FaxFailed(e) => Some(e.data.payload.fax_id.as_str()),
        // An event type newer than this crate: its JSON is kept as is.
        WebhookEvent::Unknown(json) => json
            .pointer("/data/payload/fax_id")
            .and_then(serde_json::Value::as_str),
        // `WebhookEvent` is non-exhaustive: events added to the spec later.
        _ => None,
    }
}
