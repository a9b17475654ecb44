//! Conformance of the generated client's wire format with the spec, proven
//! against Prism (`@stoplight/prism-cli@5`), which mocks `spec/telnyx-fax.yml`
//! on 127.0.0.1 and validates every request against it: it answers `400` for
//! query parameters the spec forbids, `401` without a bearer token and `422`
//! for a body the spec forbids, and otherwise answers from the spec's
//! examples.
//!
//! Every operation is called twice through the generated methods: once with
//! the required inputs only and once with every parameter set (every query
//! parameter, every optional body field, nullable fields as `null` and as
//! values, a multipart upload of a real file with every text field). Each
//! call must succeed and decode into the typed model. Then requests that the
//! spec forbids must be rejected with the matching error kind, which shows
//! Prism really checks what the client sends.
//!
//! Install Prism with `scripts/prism.sh install` (into `<repo>/.ci/node`) or
//! point `PRISM_BIN` at a `prism` binary. Without one the test is skipped,
//! unless `REQUIRE_PRISM=1`, which makes it fail instead (CI sets it).

use std::fmt::Debug;
use std::fs::File;
use std::future::IntoFuture;
use std::io::{Read, Seek, SeekFrom, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use futures::StreamExt;
use reqwest::Method;
use serde_json::{json, Value};
use telnyx_fax::types::{
    AnchorsiteOverride, CreateFaxApplicationRequest, CreateFaxApplicationRequestInbound,
    CreateFaxApplicationRequestOutbound, Direction, FaxApplicationsListFilter,
    FaxApplicationsListFilterApplicationName, FaxApplicationsListPage, FaxApplicationsListParams,
    FaxApplicationsListSort, FaxStatus, FaxesListFilter, FaxesListFilterCreatedAt,
    FaxesListFilterDirection, FaxesListFilterFrom, FaxesListFilterTo, FaxesListPage,
    FaxesListParams, PreviewFormat, Quality, SendFaxRequest,
    SipSubdomainReceiveSettings, UpdateFaxApplicationRequest, UpdateFaxApplicationRequestInbound,
    UpdateFaxApplicationRequestOutbound,
};
use telnyx_fax::{Client, ErrorKind, FileUpload, Request};

const FAX_ID: &str = "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0";
const APP_ID: &str = "1293384261075731499";
const CONNECTION_ID: &str = "234423";
const FROM: &str = "+13125790015";
const TO: &str = "+13127367276";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crate is inside the workspace")
        .to_path_buf()
}

/// `$PRISM_BIN`, else `<repo>/.ci/node/node_modules/.bin/prism`, if it exists.
fn prism_bin() -> Option<PathBuf> {
    let bin = match std::env::var_os("PRISM_BIN") {
        Some(bin) if !bin.is_empty() => PathBuf::from(bin),
        _ => repo_root().join(".ci/node/node_modules/.bin/prism"),
    };
    bin.is_file().then_some(bin)
}

/// A free TCP port on 127.0.0.1: bind port 0, read the port, release it.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

/// A running `prism mock`; killed and reaped when dropped, also when the
/// test panics. Its output goes to a log file, read back to explain a
/// failed call.
struct Prism {
    child: Child,
    port: u16,
    log_path: PathBuf,
    // Dropped after `drop` has killed the child, removing the log.
    _dir: tempfile::TempDir,
}

impl Prism {
    fn start(bin: &Path) -> Prism {
        let dir = tempfile::tempdir().expect("temp dir");
        let log_path = dir.path().join("prism.log");
        let log = File::create(&log_path).expect("create prism log");
        let port = free_port();
        let spec = repo_root().join("spec/telnyx-fax.yml");
        // `prism` is a `#!/usr/bin/env node` script, so the child process is
        // node itself (no wrapper shell), and in the default single-process
        // mode it forks nothing: killing the child stops Prism entirely.
        let child = Command::new(bin)
            .arg("mock")
            .arg(&spec)
            .args(["-h", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("clone log handle"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let mut prism = Prism {
            child,
            port,
            log_path,
            _dir: dir,
        };
        prism.wait_until_listening(Duration::from_secs(60));
        prism
    }

    fn wait_until_listening(&mut self, limit: Duration) {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let start = Instant::now();
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Some(status) = self.child.try_wait().expect("poll prism") {
                panic!(
                    "prism exited with {status} before listening:\n{}",
                    self.log_since(0)
                );
            }
            if start.elapsed() > limit {
                panic!(
                    "prism did not listen on {addr} within {limit:?}:\n{}",
                    self.log_since(0)
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log_len(&self) -> u64 {
        std::fs::metadata(&self.log_path)
            .map(|m| m.len())
            .unwrap_or(0)
    }

    /// What Prism logged after byte `offset` (its validation messages).
    fn log_since(&self, offset: u64) -> String {
        let mut text = String::new();
        if let Ok(mut file) = File::open(&self.log_path) {
            let _ = file.seek(SeekFrom::Start(offset));
            let _ = file.read_to_string(&mut text);
        }
        text
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the calls, collecting failures so one run reports all of them.
struct Run<'p> {
    prism: &'p Prism,
    passed: usize,
    failures: Vec<String>,
}

impl Run<'_> {
    /// A call that the spec allows: it must succeed and decode.
    async fn ok<T, F>(&mut self, name: &str, call: F) -> Option<T>
    where
        F: IntoFuture<Output = telnyx_fax::Result<T>>,
    {
        let mark = self.prism.log_len();
        let started = Instant::now();
        match call.into_future().await {
            Ok(value) => {
                self.passed += 1;
                println!("ok        {name} ({:?})", started.elapsed());
                Some(value)
            }
            Err(error) => {
                // Give Prism a moment to flush its validation messages.
                tokio::time::sleep(Duration::from_millis(200)).await;
                let log = self.prism.log_since(mark);
                println!("FAILED    {name}: {error}");
                self.failures.push(format!(
                    "{name}: {error}\n    body: {}\n    prism log:\n{}",
                    error.raw_body().unwrap_or(""),
                    indent(&log)
                ));
                None
            }
        }
    }

    /// A call that the spec forbids: Prism must reject it with `status`, and
    /// its log must name `violation` (so it is rejected for the right reason;
    /// the response body is only the spec's example error).
    async fn rejected<T: Debug, F>(
        &mut self,
        name: &str,
        kind: ErrorKind,
        status: u16,
        violation: &str,
        call: F,
    ) where
        F: IntoFuture<Output = telnyx_fax::Result<T>>,
    {
        let mark = self.prism.log_len();
        let outcome = call.into_future().await;
        // Give Prism a moment to flush its validation messages.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let log = self.prism.log_since(mark);
        let reason = log
            .lines()
            .find(|l| l.contains("Violation:"))
            .map(|l| l.split("Violation:").nth(1).unwrap_or("").trim().to_owned())
            .unwrap_or_default();
        match outcome {
            Err(error)
                if error.kind() == kind
                    && error.status().map(|s| s.as_u16()) == Some(status)
                    && log.contains(violation) =>
            {
                self.passed += 1;
                println!("rejected  {name}: {status} ({reason})");
            }
            other => {
                println!("FAILED    {name}: expected {kind} ({status}) naming {violation:?}, got {other:?}");
                self.failures.push(format!(
                    "{name}: expected {kind} ({status}) naming {violation:?}, got {other:?}\n    prism log:\n{}",
                    indent(&log)
                ));
            }
        }
    }

    /// A check on a decoded response.
    fn check(&mut self, name: &str, condition: bool, detail: impl Debug) {
        if condition {
            self.passed += 1;
        } else {
            println!("FAILED    {name}: {detail:?}");
            self.failures.push(format!("{name}: {detail:?}"));
        }
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("      {l}\n")).collect()
}

fn non_empty(id: &str) -> bool {
    !id.is_empty()
}

#[tokio::test]
async fn every_operation_conforms_to_the_spec() {
    let Some(bin) = prism_bin() else {
        if std::env::var("REQUIRE_PRISM").as_deref() == Ok("1") {
            panic!(
                "REQUIRE_PRISM=1 but prism is not installed (run scripts/prism.sh install, or set PRISM_BIN)"
            );
        }
        eprintln!("skipped: prism not installed (run scripts/prism.sh install)");
        return;
    };
    let started = Instant::now();
    let prism = Prism::start(&bin);
    println!(
        "prism listening on {} after {:?}",
        prism.base_url(),
        started.elapsed()
    );

    let client = Client::builder()
        .api_key("KEY0123456789-prism")
        .base_url(prism.base_url())
        .max_retries(0)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let mut run = Run {
        prism: &prism,
        passed: 0,
        failures: Vec::new(),
    };

    fax_applications(&client, &mut run).await;
    faxes(&client, &mut run).await;
    rejections(&client, &mut run).await;
    call_shapes(&client, &mut run).await;

    let elapsed = started.elapsed();
    println!(
        "prism conformance: {} checks passed, {} failed, in {elapsed:?} (prism start-up included)",
        run.passed,
        run.failures.len()
    );
    let failures = std::mem::take(&mut run.failures);
    drop(run);
    drop(prism); // stop Prism before reporting, also on failure
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

async fn fax_applications(client: &Client, run: &mut Run<'_>) {
    let apps = client.fax_applications();

    // ListFaxApplications
    if let Some(page) = run
        .ok(
            "ListFaxApplications required-only",
            apps.list(),
        )
        .await
    {
        let first = page.data.first();
        run.check(
            "ListFaxApplications decodes data[0]",
            first.is_some_and(|a| non_empty(&a.id)),
            &page,
        );
        run.check(
            "ListFaxApplications decodes meta",
            page.meta.as_ref().and_then(|m| m.total_pages).is_some(),
            &page.meta,
        );
    }
    // Every optional parameter, as setters (`page_number`/`page_size` are
    // the flattened `page[number]`/`page[size]`).
    let all = apps
        .list()
        .filter(
            FaxApplicationsListFilter::new()
                .application_name(
                    FaxApplicationsListFilterApplicationName::new().contains("fax-app"),
                )
                .outbound_voice_profile_id("1293384261075731500"),
        )
        .page_number(2)
        .page_size(250)
        .sort(FaxApplicationsListSort::ApplicationName);
    if let Some(page) = run.ok("ListFaxApplications all parameters", all).await {
        run.check(
            "ListFaxApplications (all) decodes data",
            !page.data.is_empty(),
            &page,
        );
    }
    // The same as one parameter struct.
    let params = FaxApplicationsListParams::new()
        .page(FaxApplicationsListPage::new().number(1).size(20))
        .sort(FaxApplicationsListSort::CreatedAt);
    run.ok("ListFaxApplications .params(..)", apps.list().params(params)).await;
    for sort in FaxApplicationsListSort::VALUES {
        run.ok(
            &format!("ListFaxApplications sort={sort}"),
            apps.list().sort(FaxApplicationsListSort::from(*sort)),
        )
        .await;
    }
    // Auto-paging against a static mock (it repeats page 1 of 1) must end.
    let items = tokio::time::timeout(
        Duration::from_secs(30),
        apps.list().page_size(20).into_stream()
            .collect::<Vec<_>>(),
    )
    .await;
    match items {
        Ok(items) => {
            let ok = items.iter().all(Result::is_ok);
            run.check(
                "ListFaxApplications into_stream ends with the example's item",
                ok && items.len() == 1,
                &items,
            );
        }
        Err(_) => run.check(
            "ListFaxApplications into_stream terminates",
            false,
            "still running after 30 s",
        ),
    }

    // CreateFaxApplication
    let required = CreateFaxApplicationRequest::new("fax-router", "https://example.com/fax-events");
    if let Some(created) = run
        .ok("CreateFaxApplication required-only", apps.create(required))
        .await
    {
        let app = created.data;
        run.check(
            "CreateFaxApplication decodes data.id",
            non_empty(&app.id),
            &app,
        );
        run.check(
            "CreateFaxApplication decodes the anchor site enum",
            app.anchorsite_override == AnchorsiteOverride::Latency,
            &app.anchorsite_override,
        );
    }
    let with_values =
        CreateFaxApplicationRequest::new("fax-router", "https://example.com/fax-events")
            .active(true)
            .anchorsite_override(AnchorsiteOverride::ChicagoIl)
            .inbound(
                CreateFaxApplicationRequestInbound::new()
                    .channel_limit(10i64)
                    .sip_subdomain("example")
                    .sip_subdomain_receive_settings(SipSubdomainReceiveSettings::OnlyMyConnections),
            )
            .outbound(
                CreateFaxApplicationRequestOutbound::new()
                    .channel_limit(10i64)
                    .outbound_voice_profile_id("1293384261075731500"),
            )
            .tags(vec!["billing".to_owned(), "east".to_owned()])
            .webhook_event_failover_url("https://failover.example.com/fax-events")
            .webhook_timeout_secs(25i64);
    run.ok(
        "CreateFaxApplication all fields (values)",
        apps.create(with_values),
    )
    .await;
    let with_nulls =
        CreateFaxApplicationRequest::new("fax-router", "https://example.com/fax-events")
            .active(false)
            .anchorsite_override(AnchorsiteOverride::FrankfurtGermany)
            .inbound(
                CreateFaxApplicationRequestInbound::new()
                    .channel_limit_null()
                    .sip_subdomain_null()
                    .sip_subdomain_receive_settings(SipSubdomainReceiveSettings::FromAnyone),
            )
            .outbound(CreateFaxApplicationRequestOutbound::new().channel_limit_null())
            .tags(Vec::<String>::new())
            .webhook_event_failover_url_null()
            .webhook_timeout_secs_null();
    run.ok(
        "CreateFaxApplication all fields (nullable ones null)",
        apps.create(with_nulls),
    )
    .await;

    // GetFaxApplication: only a path parameter; two different ids.
    for id in [APP_ID, "42"] {
        if let Some(got) = run
            .ok(&format!("GetFaxApplication id={id}"), apps.retrieve(id))
            .await
        {
            let app = got.data;
            run.check(
                "GetFaxApplication decodes \"Chicago, IL\"",
                app.anchorsite_override == AnchorsiteOverride::ChicagoIl,
                &app.anchorsite_override,
            );
            run.check(
                "GetFaxApplication decodes a null channel limit as None",
                app.outbound
                    .as_ref()
                    .is_some_and(|o| o.channel_limit.is_none()),
                &app.outbound,
            );
        }
    }

    // UpdateFaxApplication
    let required =
        UpdateFaxApplicationRequest::new("fax-router-eu", "https://example.com/fax-events");
    if let Some(updated) = run
        .ok(
            "UpdateFaxApplication required-only",
            apps.update(APP_ID, required),
        )
        .await
    {
        let app = updated.data;
        run.check(
            "UpdateFaxApplication decodes data",
            !app.active && non_empty(&app.id),
            &app,
        );
    }
    let with_values =
        UpdateFaxApplicationRequest::new("fax-router-eu", "https://example.com/fax-events")
            .active(false)
            .anchorsite_override(AnchorsiteOverride::AmsterdamNetherlands)
            .fax_email_recipient("faxes@example.com")
            .inbound(
                UpdateFaxApplicationRequestInbound::new()
                    .channel_limit(5i64)
                    .sip_subdomain("example-eu")
                    .sip_subdomain_receive_settings(SipSubdomainReceiveSettings::OnlyMyConnections),
            )
            .outbound(
                UpdateFaxApplicationRequestOutbound::new()
                    .channel_limit(5i64)
                    .outbound_voice_profile_id("1293384261075731500"),
            )
            .tags(vec!["billing".to_owned(), "eu".to_owned()])
            .webhook_event_failover_url("https://failover.example.com/fax-events")
            .webhook_timeout_secs(10i64);
    run.ok(
        "UpdateFaxApplication all fields (values)",
        apps.update(APP_ID, with_values),
    )
    .await;
    let with_nulls =
        UpdateFaxApplicationRequest::new("fax-router-eu", "https://example.com/fax-events")
            .active(true)
            .anchorsite_override(AnchorsiteOverride::Latency)
            .fax_email_recipient_null()
            .inbound(
                UpdateFaxApplicationRequestInbound::new()
                    .channel_limit_null()
                    .sip_subdomain_null(),
            )
            .outbound(UpdateFaxApplicationRequestOutbound::new().channel_limit_null())
            .tags(Vec::<String>::new())
            .webhook_event_failover_url_null()
            .webhook_timeout_secs_null();
    run.ok(
        "UpdateFaxApplication all fields (nullable ones null)",
        apps.update(APP_ID, with_nulls),
    )
    .await;

    // DeleteFaxApplication
    for id in [APP_ID, "42"] {
        if let Some(deleted) = run
            .ok(&format!("DeleteFaxApplication id={id}"), apps.delete(id))
            .await
        {
            let app = deleted.data;
            run.check(
                "DeleteFaxApplication decodes nulls as None",
                app.webhook_timeout_secs.is_none()
                    && app.webhook_event_failover_url.is_none()
                    && non_empty(&app.id),
                &app,
            );
        }
    }
}

async fn faxes(client: &Client, run: &mut Run<'_>) {
    let faxes = client.faxes();

    // ListFaxes
    if let Some(page) = run
        .ok(
            "ListFaxes required-only",
            faxes.list(),
        )
        .await
    {
        let first = page.data.first();
        run.check(
            "ListFaxes decodes data[0] (status delivered, created_at)",
            first.is_some_and(|f| {
                f.status == FaxStatus::Delivered && non_empty(&f.id)
            }),
            &page,
        );
    }
    let all = faxes
        .list()
        .filter(
            FaxesListFilter::new()
                .created_at(
                    FaxesListFilterCreatedAt::new()
                        .gt(Utc.with_ymd_and_hms(2023, 12, 31, 23, 59, 59).unwrap())
                        .gte(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap())
                        .lt(Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap())
                        .lte(Utc.with_ymd_and_hms(2024, 2, 1, 12, 30, 0).unwrap()),
                )
                .direction(FaxesListFilterDirection::new().eq(Direction::Outbound))
                .from(FaxesListFilterFrom::new().eq(FROM))
                .to(FaxesListFilterTo::new().eq(TO)),
        )
        .page_number(3)
        .page_size(1);
    if let Some(page) = run.ok("ListFaxes all parameters", all).await {
        run.check(
            "ListFaxes (all) decodes data",
            !page.data.is_empty(),
            &page,
        );
    }
    let inbound = faxes.list().filter(
        FaxesListFilter::new().direction(FaxesListFilterDirection::new().eq(Direction::Inbound)),
    );
    run.ok("ListFaxes filter[direction][eq]=inbound", inbound)
    .await;
    let items = tokio::time::timeout(
        Duration::from_secs(30),
        faxes
            .list()
            .page_size(20)
            .into_stream()
            .collect::<Vec<_>>(),
    )
    .await;
    match items {
        Ok(items) => {
            let ok = items.iter().all(Result::is_ok);
            run.check(
                "ListFaxes into_stream ends with the example's item",
                ok && items.len() == 1,
                &items,
            );
        }
        Err(_) => run.check(
            "ListFaxes into_stream terminates",
            false,
            "still running after 30 s",
        ),
    }

    // SendFax, JSON body
    if let Some(sent) = run
        .ok(
            "SendFax (json) required-only",
            faxes.create(SendFaxRequest::new(CONNECTION_ID, FROM, TO)),
        )
        .await
    {
        let fax = sent.data;
        run.check(
            "SendFax decodes status queued",
            fax.status == FaxStatus::Queued && non_empty(&fax.id),
            &fax,
        );
    }
    let all = SendFaxRequest::new(CONNECTION_ID, FROM, TO)
        .media_url("https://example.com/docs/invoice.pdf")
        .media_name("invoice_2024_05")
        .quality(Quality::VeryHigh)
        .store_media(true)
        .store_preview(true)
        .preview_format(PreviewFormat::Pdf)
        .monochrome(true)
        .t38_enabled(false)
        .black_threshold(100)
        .client_state("aGF2ZSBhIG5pY2UgZGF5ID1d")
        .from_display_name("Acme Billing, Accounts Payable Department")
        .webhook_url("https://example.com/fax-webhooks");
    run.ok("SendFax (json) all fields", faxes.create(all)).await;
    for quality in Quality::VALUES {
        let body = SendFaxRequest::new(CONNECTION_ID, FROM, TO)
            .media_url("https://example.com/docs/invoice.pdf")
            .quality(Quality::from(*quality));
        run.ok(
            &format!("SendFax (json) quality={quality}"),
            faxes.create(body),
        )
        .await;
    }

    // SendFax, multipart body with a real file
    let mut file = tempfile::Builder::new()
        .suffix(".pdf")
        .tempfile()
        .expect("temp file");
    file.write_all(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    )
    .expect("write temp file");
    // A multipart body with the required fields only, through the raw request.
    let required = telnyx_fax::multipart::Form::new()
        .text("connection_id", CONNECTION_ID)
        .text("from", FROM)
        .text("to", TO);
    run.ok(
        "SendFax (multipart) required-only",
        Request::<telnyx_fax::types::FaxResponse>::new(client, Method::POST, "/faxes", "SendFax")
            .multipart(required),
    )
    .await;
    // `create` with a file attached is sent as multipart.
    let upload = SendFaxRequest::new(CONNECTION_ID, FROM, TO)
        .contents(FileUpload::from_path(file.path()));
    if let Some(sent) = run
        .ok(
            "SendFax (multipart) required + contents",
            faxes.create(upload),
        )
        .await
    {
        run.check(
            "SendFax (multipart) decodes data.id",
            non_empty(&sent.data.id),
            "no id",
        );
    }
    let all = SendFaxRequest::new(CONNECTION_ID, FROM, TO)
        .contents(FileUpload::from_path(file.path()))
        .media_url("https://example.com/docs/invoice.pdf")
        .media_name("invoice_2024_05")
        .quality(Quality::UltraDark)
        .store_media(true)
        .store_preview(true)
        .preview_format(PreviewFormat::Tiff)
        .monochrome(true)
        .t38_enabled(false)
        .black_threshold(1)
        .client_state("aGF2ZSBhIG5pY2UgZGF5ID1d")
        .from_display_name("Acme Billing")
        .webhook_url("https://example.com/fax-webhooks");
    run.ok(
        "SendFax (multipart) all fields",
        faxes.create(all),
    )
    .await;

    // ViewFax, DeleteFax, CancelFax, RefreshFax: only a path parameter.
    for id in [FAX_ID, "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e"] {
        if let Some(got) = run
            .ok(&format!("ViewFax id={id}"), faxes.retrieve(id))
            .await
        {
            let fax = got.data;
            run.check(
                "ViewFax decodes an inbound received fax",
                fax.status == FaxStatus::Received
                    && fax.direction == Direction::Inbound,
                &fax,
            );
        }
        if let Some(response) = run
            .ok(
                &format!("DeleteFax id={id}"),
                faxes.delete(id).send_with_response(),
            )
            .await
        {
            run.check(
                "DeleteFax answers 204",
                response.status.as_u16() == 204,
                response.status,
            );
        }
        if let Some(done) = run
            .ok(&format!("CancelFax id={id}"), faxes.actions().cancel(id))
            .await
        {
            let result = done.data.result;
            run.check(
                "CancelFax decodes data.result",
                result == "ok",
                result,
            );
        }
        if let Some(done) = run
            .ok(&format!("RefreshFax id={id}"), faxes.actions().refresh(id))
            .await
        {
            let result = done.data.result;
            run.check(
                "RefreshFax decodes data.result",
                result == "ok",
                result,
            );
        }
    }
}

/// The call shapes of issue 12 exactly as a user writes them (one import,
/// setters, upload through `create`, `data` not an `Option`), with the async
/// client and then the blocking one, against the spec's mock.
async fn call_shapes(client: &Client, run: &mut Run<'_>) {
    use telnyx_fax::prelude::*;

    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = dir.path().join("fax.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n%%EOF\n").expect("write fax.pdf");

    run.ok("shapes: faxes().list()", client.faxes().list()).await;
    if let Some(page) = run
        .ok(
            "shapes: list().page_number(2).page_size(20)",
            client.faxes().list().page_number(2).page_size(20),
        )
        .await
    {
        run.check("shapes: page.data is a Vec", !page.data.is_empty(), page.data.len());
    }
    run.ok(
        "shapes: list().filter(FaxesListFilter)",
        client
            .faxes()
            .list()
            .filter(FaxesListFilter::new().direction(FaxesListFilterDirection::new().eq(Direction::Outbound))),
    )
    .await;
    let mut all = client.faxes().list().page_size(50).into_stream();
    let (mut n, mut error) = (0, None);
    loop {
        match all.try_next().await {
            Ok(Some(_fax)) => n += 1,
            Ok(None) => break,
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    run.check("shapes: into_stream() + try_next()", error.is_none() && n >= 1, (n, error));
    if let Some(sent) = run
        .ok(
            "shapes: create(.media_url(..))",
            client
                .faxes()
                .create(SendFaxRequest::new("234423", "+13125790015", "+13127367276").media_url("https://example.com/a.pdf")),
        )
        .await
    {
        let fax: Fax = sent.data;
        run.check("shapes: sent.data is a Fax", non_empty(&fax.id), &fax.id);
    }
    if let Some(sent) = run
        .ok(
            "shapes: create(.contents(FileUpload::from_path(..)))",
            client
                .faxes()
                .create(SendFaxRequest::new("234423", "+13125790015", "+13127367276").contents(FileUpload::from_path(&pdf))),
        )
        .await
    {
        let fax: Fax = sent.data;
        run.check("shapes: uploaded data is a Fax", non_empty(&fax.id), &fax.id);
    }
    run.ok("shapes: fax_applications().list().page_size(10)", client.fax_applications().list().page_size(10))
        .await;

    // The blocking client, on a thread without a runtime.
    let base = run.prism.base_url().to_string();
    let blocking = tokio::task::spawn_blocking(move || -> Result<(usize, Fax, usize)> {
        let client = telnyx_fax::blocking::Client::builder()
            .api_key("KEY0123456789-prism")
            .base_url(base)
            .max_retries(0)
            .build()?;
        let sent = client
            .faxes()
            .create(SendFaxRequest::new("234423", "+13125790015", "+13127367276").contents(FileUpload::from_path(&pdf)))
            .send()?;
        let mut n = 0;
        for fax in client.faxes().list().page_size(50) {
            fax?;
            n += 1;
        }
        let apps = client.fax_applications().list().page_size(10).send()?;
        Ok((n, sent.data, apps.data.len()))
    })
    .await
    .expect("blocking thread");
    run.check(
        "blocking: create (upload), iterate every fax, list applications",
        matches!(&blocking, Ok((n, fax, apps)) if *n >= 1 && non_empty(&fax.id) && *apps >= 1),
        &blocking,
    );
}

/// Requests the spec forbids: Prism must reject them (for the reason
/// named in its log), so the successes above mean something.
async fn rejections(client: &Client, run: &mut Run<'_>) {
    let faxes = client.faxes();
    let apps = client.fax_applications();
    let long_name = "x".repeat(129);

    // 400: query parameters outside the spec's bounds, formats or enums.
    run.rejected(
        "ListFaxes page[size]=1000 (extra_query)",
        ErrorKind::BadRequest,
        400,
        "query.page.size",
        faxes.list().extra_query("page[size]", "1000"),
    )
    .await;
    run.rejected(
        "ListFaxes typed page size 1000 (maximum 250)",
        ErrorKind::BadRequest,
        400,
        "query.page.size",
        faxes.list().page_size(1000),
    )
    .await;
    run.rejected(
        "ListFaxes typed page number 0 (minimum 1)",
        ErrorKind::BadRequest,
        400,
        "query.page.number",
        faxes.list().params(FaxesListParams::new().page(FaxesListPage::new().number(0))),
    )
    .await;
    run.rejected(
        "ListFaxes filter[created_at][gte] not a date-time",
        ErrorKind::BadRequest,
        400,
        "query.filter.created_at.gte",
        faxes.list().extra_query("filter[created_at][gte]", "yesterday"),
    )
    .await;
    run.rejected(
        "ListFaxes filter[direction][eq] outside the enum",
        ErrorKind::BadRequest,
        400,
        "query.filter.direction.eq",
        faxes.list().filter(
            FaxesListFilter::new()
                .direction(FaxesListFilterDirection::new().eq(Direction::from("sideways"))),
        ),
    )
    .await;
    run.rejected(
        "ListFaxApplications sort outside the enum",
        ErrorKind::BadRequest,
        400,
        "query.sort",
        apps.list().sort(FaxApplicationsListSort::from("-nonsense")),
    )
    .await;

    // 401: no bearer token (the per-request header replaces the client's).
    run.rejected(
        "ListFaxes with Basic instead of Bearer auth",
        ErrorKind::Authentication,
        401,
        "Invalid security scheme",
        faxes.list().header("authorization", "Basic dXNlcjpwYXNz"),
    )
    .await;
    let anonymous = reqwest::Client::new()
        .get(format!("{}/fax_applications", run.prism.base_url()))
        .send()
        .await
        .expect("raw request");
    run.check(
        "raw request without Authorization gets 401",
        anonymous.status().as_u16() == 401,
        anonymous.status(),
    );

    // 422: bodies the spec forbids.
    run.rejected(
        "SendFax (json) from_display_name longer than 128",
        ErrorKind::UnprocessableEntity,
        422,
        "request.body.from_display_name",
        faxes.create(
            SendFaxRequest::new(CONNECTION_ID, FROM, TO).from_display_name(long_name.clone()),
        ),
    )
    .await;
    run.rejected(
        "SendFax (json) black_threshold 101 (maximum 100)",
        ErrorKind::UnprocessableEntity,
        422,
        "request.body.black_threshold",
        faxes.create(SendFaxRequest::new(CONNECTION_ID, FROM, TO).black_threshold(101)),
    )
    .await;
    run.rejected(
        "SendFax (json) media_url not a URI",
        ErrorKind::UnprocessableEntity,
        422,
        "request.body.media_url",
        faxes.create(SendFaxRequest::new(CONNECTION_ID, FROM, TO).media_url("not a uri")),
    )
    .await;
    run.rejected(
        "SendFax (json) quality outside the enum",
        ErrorKind::UnprocessableEntity,
        422,
        "request.body.quality",
        faxes.create(SendFaxRequest::new(CONNECTION_ID, FROM, TO).quality(Quality::from("blurry"))),
    )
    .await;
    run.rejected(
        "SendFax (json) store_media as a string (extra_body)",
        ErrorKind::UnprocessableEntity,
        422,
        "request.body.store_media",
        faxes
            .create(SendFaxRequest::new(CONNECTION_ID, FROM, TO))
            .extra_body("store_media", json!("yes")),
    )
    .await;
    run.rejected(
        "CreateFaxApplication active: null (not nullable, unlike webhook_timeout_secs)",
        ErrorKind::UnprocessableEntity,
        422,
        "request.body.active",
        apps.create(CreateFaxApplicationRequest::new(
            "fax-router",
            "https://example.com/fax-events",
        ))
        .extra_body("active", Value::Null),
    )
    .await;
    run.rejected(
        "SendFax (json) without the required `to`",
        ErrorKind::UnprocessableEntity,
        422,
        "required property 'to'",
        Request::<'_, Value>::new(client, Method::POST, "/faxes", "SendFax")
            .json(&json!({"connection_id": CONNECTION_ID, "from": FROM})),
    )
    .await;
    run.rejected(
        "SendFax (multipart) black_threshold 101 (maximum 100)",
        ErrorKind::UnprocessableEntity,
        422,
        "request.body.black_threshold",
        faxes.create(
            SendFaxRequest::new(CONNECTION_ID, FROM, TO)
                .black_threshold(101)
                .contents(FileUpload::from_bytes("a.pdf", b"%PDF-1.4".to_vec())),
        ),
    )
    .await;
    run.rejected(
        "SendFax (multipart) from_display_name longer than 128",
        ErrorKind::UnprocessableEntity,
        422,
        "request.body.from_display_name",
        faxes.create(
            SendFaxRequest::new(CONNECTION_ID, FROM, TO)
                .from_display_name(long_name)
                .contents(FileUpload::from_bytes("a.pdf", b"%PDF-1.4".to_vec())),
        ),
    )
    .await;
    run.rejected(
        "CreateFaxApplication webhook_timeout_secs 31 (maximum 30)",
        ErrorKind::UnprocessableEntity,
        422,
        "request.body.webhook_timeout_secs",
        apps.create(
            CreateFaxApplicationRequest::new("fax-router", "https://example.com/fax-events")
                .webhook_timeout_secs(31i64),
        ),
    )
    .await;
    run.rejected(
        "CreateFaxApplication anchorsite_override outside the enum",
        ErrorKind::UnprocessableEntity,
        422,
        "request.body.anchorsite_override",
        apps.create(
            CreateFaxApplicationRequest::new("fax-router", "https://example.com/fax-events")
                .anchorsite_override(AnchorsiteOverride::from("Atlantis")),
        ),
    )
    .await;
    run.rejected(
        "UpdateFaxApplication webhook_event_url not a URI",
        ErrorKind::UnprocessableEntity,
        422,
        "request.body.webhook_event_url",
        apps.update(
            APP_ID,
            UpdateFaxApplicationRequest::new("fax-router", "not a uri"),
        ),
    )
    .await;
}
