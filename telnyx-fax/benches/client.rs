//! Client overhead and deserialization throughput.
//!
//! `cargo bench -p telnyx-fax --bench client [-- --rounds N --batch K --tsv FILE]`
//!
//! A plain harness (`harness = false`): the figures that matter are ratios on
//! a noisy, shared 2-core machine, so the variants are *interleaved* — every
//! round runs a batch of each, in an order that rotates from round to round —
//! and ratios are taken per round before their median is reported.
//!
//! 1. Per-request time against an axum server on 127.0.0.1 (a task on the
//!    same single-threaded runtime as the client) answering `GET /faxes/{id}`
//!    with a fixed 700-byte fax:
//!    * `generated`: `client.faxes().retrieve(id).await` (build the
//!      `Request`, path parameter, default headers, tracing span, retry loop,
//!      send, read, decode into the generated `FaxResponse`);
//!    * `hand-written, same type`: `reqwest` + `serde_json` by hand, same
//!      headers, decoded into the same generated `FaxResponse` — the difference
//!      to `generated` is the runtime's own overhead;
//!    * `hand-written`: `reqwest` + `serde_json` into a hand-written
//!      `#[derive(Deserialize)]` struct, what a user would write without an SDK.
//! 2. Decoding a 250-item `GET /faxes` page (about 170 kB) from bytes into the
//!    generated `FaxListResponse`, into `serde_json::Value`, and into a
//!    hand-written struct.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::http::header::CONTENT_TYPE;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};
use telnyx_fax::types::{FaxListResponse, FaxResponse};
use telnyx_fax::Client;

const API_KEY: &str = "KEY-bench";
const FAX_ID: &str = "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0";

fn fax_json(id: &str) -> Value {
    json!({
        "client_state": "aGF2ZSBhIG5pY2UgZGF5ID1d",
        "connection_id": "234423",
        "created_at": "2024-05-05T09:59:12Z",
        "direction": "outbound",
        "from": "+13125790015",
        "from_display_name": "Acme Billing",
        "id": id,
        "media_name": "invoice_2024_05",
        "media_url": "https://example.com/docs/invoice.pdf",
        "preview_url": "https://storage.example.com/faxes/0ccc7b54_preview.tiff",
        "quality": "high",
        "record_type": "fax",
        "status": "delivered",
        "store_media": true,
        "stored_media_url": "https://storage.example.com/faxes/0ccc7b54.pdf",
        "to": "+13127367276",
        "updated_at": "2024-05-05T10:01:40.250Z",
        "webhook_failover_url": "",
        "webhook_url": "https://example.com/fax-webhooks"
    })
}

fn page_json(items: usize) -> Vec<u8> {
    let data: Vec<Value> = (0..items).map(|i| fax_json(&format!("0ccc7b54-4df3-4bca-a65a-{i:012}"))).collect();
    let page = json!({
        "data": data,
        "meta": {"page_number": 1, "page_size": items, "total_pages": 4, "total_results": items * 4}
    });
    serde_json::to_vec(&page).expect("page serializes")
}

/// What a user would write by hand for `GET /faxes/{id}`.
#[allow(dead_code)] // fields are decoded, not read
#[derive(Debug, Deserialize)]
struct HandFax {
    client_state: Option<String>,
    connection_id: Option<String>,
    created_at: Option<chrono::DateTime<chrono::Utc>>,
    direction: Option<String>,
    from: Option<String>,
    from_display_name: Option<String>,
    id: Option<String>,
    media_name: Option<String>,
    media_url: Option<String>,
    preview_url: Option<String>,
    quality: Option<String>,
    record_type: Option<String>,
    status: Option<String>,
    store_media: Option<bool>,
    stored_media_url: Option<String>,
    to: Option<String>,
    updated_at: Option<chrono::DateTime<chrono::Utc>>,
    webhook_failover_url: Option<String>,
    webhook_url: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct HandFaxResponse {
    data: Option<HandFax>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct HandMeta {
    page_number: Option<i64>,
    page_size: Option<i64>,
    total_pages: Option<i64>,
    total_results: Option<i64>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct HandFaxList {
    data: Option<Vec<HandFax>>,
    meta: Option<HandMeta>,
}

/// Starts the loopback server as a task of the current (single-threaded)
/// runtime; returns its address. Client and server share one thread, so a
/// request costs no cross-thread wake-up, whose latency depends on how idle
/// the other core is (it made the figures bimodal on this machine).
async fn start_server(one: Vec<u8>, page: Vec<u8>) -> SocketAddr {
    let one = bytes::Bytes::from(one);
    let page = bytes::Bytes::from(page);
    let app = Router::new()
        .route("/faxes/{id}", get(move || async move { ([(CONTENT_TYPE, "application/json")], one.clone()) }))
        .route("/faxes", get(move || async move { ([(CONTENT_TYPE, "application/json")], page.clone()) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    addr
}

fn median_min_max(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 };
    (median, v[0], v[n - 1])
}

/// Rows of (label, per-round values) and per-round ratios to the first
/// (reference) variant.
struct Table {
    unit: &'static str,
    labels: Vec<&'static str>,
    values: Vec<Vec<f64>>,
}

impl Table {
    fn print(&self, title: &str, reference: usize, tsv: &mut String) {
        println!("| {title} | median {u} | min {u} | max {u} | ratio to `{}`, median (min–max) |", self.labels[reference], u = self.unit);
        println!("|---|---:|---:|---:|---:|");
        for (i, label) in self.labels.iter().enumerate() {
            let (med, min, max) = median_min_max(self.values[i].clone());
            let ratios: Vec<f64> = self.values[i].iter().zip(&self.values[reference]).map(|(a, b)| a / b).collect();
            let (rmed, rmin, rmax) = median_min_max(ratios);
            println!("| {label} | {med:.2} | {min:.2} | {max:.2} | {rmed:.3} ({rmin:.3}–{rmax:.3}) |");
            tsv.push_str(&format!("{title}\t{label}\t{}\t{med:.3}\t{min:.3}\t{max:.3}\t{rmed:.4}\t{rmin:.4}\t{rmax:.4}\n", self.unit));
        }
        println!();
    }
}

fn main() {
    let mut rounds = 30usize;
    let mut batch = 200usize;
    let mut tsv_path = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or(rounds),
            "--batch" => batch = args.next().and_then(|n| n.parse().ok()).unwrap_or(batch),
            "--tsv" => tsv_path = args.next(),
            _ => {} // `--bench` and filters passed by cargo
        }
    }

    let one = serde_json::to_vec(&json!({ "data": fax_json(FAX_ID) })).expect("fax serializes");
    let page = page_json(250);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let addr = rt.block_on(start_server(one.clone(), page.clone()));
    let base = format!("http://{addr}");
    let mut tsv = String::from("table\tvariant\tunit\tmedian\tmin\tmax\tratio_median\tratio_min\tratio_max\n");

    // 1. Per-request time.
    let client = Client::builder().api_key(API_KEY).base_url(&base).max_retries(0).build().expect("client");
    let http = reqwest::Client::builder().build().expect("reqwest client");
    let url = format!("{base}/faxes/{FAX_ID}");
    let user_agent = format!("telnyx-fax-rust/{}", env!("CARGO_PKG_VERSION"));
    let hand = |decode_generated: bool| {
        let (http, url, user_agent) = (&http, &url, &user_agent);
        async move {
            let response = http
                .get(url)
                .header(reqwest::header::USER_AGENT, user_agent)
                .header(reqwest::header::ACCEPT, "application/json")
                .bearer_auth(API_KEY)
                .timeout(Duration::from_secs(60))
                .send()
                .await
                .expect("send")
                .error_for_status()
                .expect("2xx");
            let body = response.bytes().await.expect("body");
            if decode_generated {
                let fax: FaxResponse = serde_json::from_slice(&body).expect("decode");
                assert!(!fax.data.id.is_empty());
            } else {
                let fax: HandFaxResponse = serde_json::from_slice(&body).expect("decode");
                assert!(fax.data.is_some());
            }
        }
    };
    let labels = vec!["hand-written (reqwest + serde_json, own struct)", "hand-written, generated type", "generated `client.faxes().retrieve(id)`"];
    let mut values = vec![Vec::new(); labels.len()];
    rt.block_on(async {
        // Warm-up: connections, allocator, caches.
        for _ in 0..batch {
            let fax = client.faxes().retrieve(FAX_ID).await.expect("generated call");
            assert!(!fax.data.id.is_empty());
            hand(true).await;
            hand(false).await;
        }
        for round in 0..rounds {
            for k in 0..labels.len() {
                let variant = (round + k) % labels.len();
                let start = Instant::now();
                for _ in 0..batch {
                    match variant {
                        0 => hand(false).await,
                        1 => hand(true).await,
                        _ => {
                            let fax = client.faxes().retrieve(FAX_ID).await.expect("generated call");
                            assert!(!fax.data.id.is_empty());
                        }
                    }
                }
                values[variant].push(start.elapsed().as_secs_f64() * 1e6 / batch as f64);
            }
        }
    });
    println!("Per request, {rounds} rounds × {batch} requests per variant, interleaved; loopback HTTP/1.1 keep-alive.\n");
    Table { unit: "µs", labels, values }.print("GET /faxes/{id}", 0, &mut tsv);

    // 2. Decoding throughput of a 250-item page.
    let labels = vec!["serde_json::Value", "hand-written struct", "generated `FaxListResponse`"];
    let mut values = vec![Vec::new(); labels.len()];
    let decode_batch = (batch / 4).max(10);
    let decode = |variant: usize| match variant {
        0 => {
            let v: Value = serde_json::from_slice(&page).expect("value");
            assert_eq!(v["data"].as_array().map(Vec::len), Some(250));
        }
        1 => {
            let v: HandFaxList = serde_json::from_slice(&page).expect("hand");
            assert_eq!(v.data.map(|d| d.len()), Some(250));
        }
        _ => {
            let v: FaxListResponse = serde_json::from_slice(&page).expect("generated");
            assert_eq!(v.data.len(), 250);
        }
    };
    for v in 0..labels.len() {
        decode(v);
    }
    for round in 0..rounds {
        for k in 0..labels.len() {
            let variant = (round + k) % labels.len();
            let start = Instant::now();
            for _ in 0..decode_batch {
                decode(variant);
            }
            let secs = start.elapsed().as_secs_f64() / decode_batch as f64;
            values[variant].push(page.len() as f64 / secs / 1e6);
        }
    }
    println!(
        "Decoding a 250-item fax page ({} bytes) from bytes, {rounds} rounds × {decode_batch} decodes per variant, interleaved. Throughput: higher is better.\n",
        page.len()
    );
    Table { unit: "MB/s", labels, values }.print("decode 250-item page", 0, &mut tsv);

    if let Some(path) = tsv_path {
        std::fs::write(path, tsv).expect("write tsv");
    }
}
