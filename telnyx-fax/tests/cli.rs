//! The `telnyx-fax` command-line tool (the `cli` feature), run as a process
//! against the test double on 127.0.0.1: what it sends (recorded by the
//! mock), what it prints and its exit codes (0 success, 2 usage, 3 API
//! error, 4 network error).

mod support;

use std::process::{Command, Output};

use serde_json::{json, Value};
use telnyx_fax::testing::{MockResponse, MockServer};

/// The built tool (see `support::built_binary`).
fn bin() -> std::path::PathBuf {
    support::built_binary(option_env!("CARGO_BIN_EXE_telnyx-fax"), "telnyx-fax", "cli")
}

/// Runs the tool with `args`, the API key and base URL from the environment
/// as a user would set them.
fn run(mock: &MockServer, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env("TELNYX_API_KEY", "test-api-key")
        .env("TELNYX_BASE_URL", mock.uri())
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The exit code, with the output shown when it is not the expected one.
#[track_caller]
fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
}

const TO: [&str; 6] = ["--connection-id", "234423", "--from", "+13125790015", "--to", "+13127367276"];

#[test]
fn sends_a_fax_by_url() {
    let mock = MockServer::start_blocking();
    let mut args = vec!["faxes", "create"];
    args.extend(TO);
    args.extend(["--media-url", "https://example.com/a.pdf", "--quality", "high", "--store-media", "--black-threshold", "80"]);
    let out = run(&mock, &args);
    assert_exit(&out, 0);
    // Piped: one line of JSON, the decoded response.
    let printed: Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(text(&out.stdout).lines().count(), 1);
    let example: Value = serde_json::from_str(mock.on("SendFax").operation().body.unwrap()).unwrap();
    assert_eq!(printed["data"]["id"], example["data"]["id"]);

    let sent = mock.received("SendFax");
    assert_eq!(sent.len(), 1);
    assert!(!sent[0].is_multipart());
    assert_eq!(sent[0].header("authorization"), Some("Bearer test-api-key"));
    assert_eq!(
        sent[0].json().unwrap(),
        json!({
            "connection_id": "234423", "from": "+13125790015", "to": "+13127367276",
            "media_url": "https://example.com/a.pdf", "quality": "high", "store_media": true, "black_threshold": 80,
        })
    );
}

#[test]
fn sends_a_fax_by_upload_with_key_and_url_flags() {
    let mock = MockServer::start_blocking();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("fax.pdf");
    std::fs::write(&pdf, b"%PDF-1.4 the fax's pages").unwrap();
    let uri = mock.uri();
    let mut args = vec!["faxes", "create", "--api-key", "flag-key", "--base-url", uri.as_str()];
    args.extend(TO);
    args.extend(["--contents", pdf.to_str().unwrap()]);
    // The flags, not the environment (which points elsewhere).
    let out = Command::new(bin())
        .args(&args)
        .env("TELNYX_API_KEY", "env-key")
        .env("TELNYX_BASE_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let sent = mock.received("SendFax");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].header("authorization"), Some("Bearer flag-key"));
    assert!(sent[0].is_multipart());
    let body = sent[0].body_text();
    assert!(body.contains("name=\"contents\"; filename=\"fax.pdf\""), "{body}");
    assert!(body.contains("%PDF-1.4 the fax's pages"), "{body}");
    assert!(body.contains("name=\"connection_id\"") && body.contains("234423"), "{body}");
}

#[test]
fn lists_every_page_as_ndjson() {
    let mock = MockServer::start_blocking();
    // Every field the API always sends (required in the spec since issue 24).
    let fax = |id: &str| {
        json!({"id": id, "direction": "outbound", "status": "delivered", "record_type": "fax", "connection_id": "234423",
            "from": "+13125790015", "to": "+13127367276", "created_at": "2020-05-05T09:59:12Z", "updated_at": "2020-05-05T09:59:12Z"})
    };
    let page = |items: Vec<Value>, n: i64| json!({"data": items, "meta": {"page_number": n, "page_size": 2, "total_pages": 2, "total_results": 3}});
    mock.on("ListFaxes")
        .respond_once(MockResponse::json(200, page(vec![fax("a"), fax("b")], 1)))
        .respond_once(MockResponse::json(200, page(vec![fax("c")], 2)));
    let out = run(&mock, &["faxes", "list", "--direction", "outbound", "--page-size", "2", "--all"]);
    assert_exit(&out, 0);
    let ids: Vec<String> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let sent = mock.received("ListFaxes");
    assert_eq!(sent.len(), 2);
    for (i, r) in sent.iter().enumerate() {
        assert_eq!(r.query_param("filter[direction][eq]"), Some("outbound"));
        assert_eq!(r.query_param("page[size]"), Some("2"));
        if i == 1 {
            assert_eq!(r.query_param("page[number]"), Some("2"));
        }
    }
}

#[test]
fn prints_a_table_on_request() {
    let mock = MockServer::start_blocking();
    let out = run(&mock, &["faxes", "list", "--output", "table"]);
    assert_exit(&out, 0);
    let table = text(&out.stdout);
    let mut lines = table.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("CLIENT_STATE") && header.contains("  ID  "), "{table}");
    assert!(lines.next().unwrap().contains("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0"), "{table}");
}

#[test]
fn data_gives_the_body_and_flags_override_it() {
    let mock = MockServer::start_blocking();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body.json");
    std::fs::write(&file, r#"{"connection_id": "1", "from": "+1", "to": "+2", "media_url": "https://example.com/x.pdf", "x_new_field": 7}"#).unwrap();
    let data = format!("@{}", file.display());
    let out = run(&mock, &["faxes", "create", "--data", &data, "--to", "+13127367276"]);
    assert_exit(&out, 0);
    let body = mock.received("SendFax")[0].json().unwrap();
    assert_eq!(body["to"], "+13127367276");
    assert_eq!(body["from"], "+1");
    assert_eq!(body["x_new_field"], 7, "fields the document does not declare are kept");
}

#[test]
fn data_from_stdin() {
    use std::io::Write as _;
    let mock = MockServer::start_blocking();
    let mut child = Command::new(bin())
        .args(["fax-applications", "create", "--data", "-", "--active", "false"])
        .env("TELNYX_API_KEY", "test-api-key")
        .env("TELNYX_BASE_URL", mock.uri())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"application_name": "fax-router", "webhook_event_url": "https://example.com/hooks", "active": true}"#)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_exit(&out, 0);
    let body = mock.received("CreateFaxApplication")[0].json().unwrap();
    assert_eq!(body, json!({"application_name": "fax-router", "webhook_event_url": "https://example.com/hooks", "active": false}));
}

#[test]
fn a_response_that_does_not_decode_exits_1() {
    let mock = MockServer::start_blocking();
    mock.on("ViewFax").respond(MockResponse::new(200).body_raw("<html>not json</html>", "application/json"));
    let out = run(&mock, &["faxes", "retrieve", "--id", "x"]);
    assert_exit(&out, 1);
    assert!(text(&out.stderr).contains("decode"), "{}", text(&out.stderr));
}

#[test]
fn a_204_prints_nothing() {
    let mock = MockServer::start_blocking();
    let out = run(&mock, &["faxes", "delete", "--id", "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0"]);
    assert_exit(&out, 0);
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    assert_eq!(mock.received("DeleteFax")[0].path_param("id"), Some("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0"));
}

#[test]
fn a_404_is_an_api_error() {
    let mock = MockServer::start_blocking();
    mock.on("ViewFax").respond(MockResponse::api_error(404, "Resource not found", "No fax has the id 'nope'."));
    let out = run(&mock, &["faxes", "retrieve", "--id", "nope"]);
    assert_exit(&out, 3);
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(err.contains("404") && err.contains("No fax has the id 'nope'."), "{err}");
    assert_eq!(mock.received("ViewFax")[0].path_param("id"), Some("nope"));
}

#[test]
fn a_422_is_an_api_error() {
    let mock = MockServer::start_blocking();
    mock.on("SendFax").respond(MockResponse::api_error(422, "Invalid parameter", "The 'to' number is not valid."));
    let mut args = vec!["faxes", "create"];
    args.extend(TO);
    args.extend(["--media-url", "https://example.com/a.pdf"]);
    let out = run(&mock, &args);
    assert_exit(&out, 3);
    let err = text(&out.stderr);
    assert!(err.contains("422") && err.contains("The 'to' number is not valid."), "{err}");
}

#[test]
fn usage_errors_exit_2_and_send_nothing() {
    let mock = MockServer::start_blocking();
    for (args, says) in [
        (vec!["faxes", "retrieve"], "--id"),
        (vec!["faxes", "list", "--direction", "sideways"], "sideways"),
        (vec!["faxes", "list", "--page-size", "many"], "many"),
        (vec!["faxes", "send"], "send"),
        (vec!["faxes", "create", "--from", "+1", "--to", "+2"], "connection_id"),
        (vec!["faxes", "create", "--data", "{not json"], "not JSON"),
        (vec!["faxes", "create", "--connection-id", "1", "--from", "+1", "--to", "+2", "--contents", "/no/such/file.pdf"], "/no/such/file.pdf"),
    ] {
        let out = run(&mock, &args);
        assert_exit(&out, 2);
        let err = text(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert!(mock.received_all().is_empty());
}

#[test]
fn a_network_error_exits_4() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = Command::new(bin())
        .args(["faxes", "retrieve", "--id", "x", "--max-retries", "0", "--base-url", &format!("http://127.0.0.1:{port}")])
        .env("TELNYX_API_KEY", "k")
        .output()
        .unwrap();
    assert_exit(&out, 4);
    assert!(text(&out.stderr).contains("network error"), "{}", text(&out.stderr));
}

#[test]
fn prints_completions_and_help() {
    let mock = MockServer::start_blocking();
    let out = run(&mock, &["completions", "bash"]);
    assert_exit(&out, 0);
    let script = text(&out.stdout);
    assert!(script.contains("telnyx-fax") && script.contains("fax-applications"), "{script}");
    let out = run(&mock, &["faxes", "create", "--help"]);
    assert_exit(&out, 0);
    let help = text(&out.stdout);
    assert!(help.contains("Send a fax") && help.contains("--media-url") && help.contains("Exit codes"), "{help}");
}
