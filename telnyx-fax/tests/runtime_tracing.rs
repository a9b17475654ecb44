//! Tracing of the hand-written runtime: one `telnyx_request` span per
//! attempt and a debug event per retry, never showing the API key.
//!
//! Alone in its binary: `tracing` caches per-callsite interest
//! process-wide, so a thread-local subscriber only reliably sees every
//! event when no other test runs concurrently.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;
use telnyx_fax::{Client, Request};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize)]
struct Thing {
    #[allow(dead_code)]
    id: String,
}

fn get_thing(client: &Client) -> Request<'_, Thing> {
    Request::new(client, Method::GET, "/things/{id}", "GetThing").path_param("id", "t1")
}

async fn mount_500_then_200(server: &MockServer) {
    Mock::given(path("/things/t1"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path("/things/t1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "t1"})))
        .with_priority(2)
        .mount(server)
        .await;
}

/// A minimal `tracing` subscriber that records spans, field updates and
/// events as text.
#[derive(Default)]
struct Recorder {
    lines: std::sync::Mutex<Vec<String>>,
    next_id: std::sync::atomic::AtomicU64,
}

struct FieldText(String);

impl tracing::field::Visit for FieldText {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push_str(&format!(" {}={}", field.name(), value));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut text = FieldText(format!("span {}:", attrs.metadata().name()));
        attrs.record(&mut text);
        self.lines.lock().unwrap().push(text.0);
        tracing::span::Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst) + 1)
    }
    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut text = FieldText(format!("record {}:", span.into_u64()));
        values.record(&mut text);
        self.lines.lock().unwrap().push(text.0);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = FieldText(format!("event {}:", event.metadata().level()));
        event.record(&mut text);
        self.lines.lock().unwrap().push(text.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn each_attempt_has_a_span_and_retries_are_traced_without_the_key() {
    let server = MockServer::start().await;
    mount_500_then_200(&server).await;
    let client = Client::builder()
        .api_key("SECRET-KEY-123")
        .base_url(server.uri())
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap();
    let recorder = Arc::new(Recorder::default());
    let guard = tracing::subscriber::set_default(recorder.clone());
    get_thing(&client).await.unwrap();
    drop(guard);

    let lines = recorder.lines.lock().unwrap().clone();
    let ours: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("span telnyx_request") || l.contains("retrying request"))
        .collect();
    assert_eq!(
        ours.len(),
        3,
        "two attempt spans and one retry event, got {lines:#?}"
    );
    for (i, line) in [ours[0], ours[2]].iter().enumerate() {
        assert!(line.contains("method=GET"), "{line}");
        assert!(line.contains("path=/things/{id}"), "template, not the filled path: {line}");
        assert!(line.contains("operation_id=GetThing"), "{line}");
        assert!(line.contains(&format!("attempt={i}")), "{line}");
    }
    assert!(ours[1].starts_with("event DEBUG"), "{}", ours[1]);
    assert!(ours[1].contains("delay_ms="), "{}", ours[1]);
    let statuses: Vec<&String> = lines.iter().filter(|l| l.contains("status=")).collect();
    assert!(statuses.iter().any(|l| l.contains("status=500")), "{lines:#?}");
    assert!(statuses.iter().any(|l| l.contains("status=200")), "{lines:#?}");
    assert!(lines.iter().all(|l| !l.contains("SECRET-KEY-123")), "{lines:#?}");
}
