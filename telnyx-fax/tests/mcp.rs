//! The MCP server (the `mcp` feature), driven by rmcp's own client over an
//! in-process duplex pipe (and once as a child process on stdio, once over
//! streamable HTTP), against the test double on 127.0.0.1: the tools it
//! lists, what a call sends (recorded by the mock) and returns, uploads
//! only from the allowed directory, one page per call with a cursor, and
//! clean errors for bad arguments.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use rmcp::model::{CallToolRequestParams, CallToolResult, JsonObject};
use rmcp::service::RunningService;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{json, Value};
use telnyx_fax::mcp::{Options, Server, ToolMode};
use telnyx_fax::testing::{MockResponse, MockServer};

type Client = RunningService<RoleClient, ()>;

/// A server for `mock` in `mode`, and rmcp's client connected to it
/// through an in-process pipe.
async fn connect(mock: &MockServer, mode: ToolMode, upload_dir: Option<&Path>) -> Client {
    let server = Server::new(mock.client(), Options { mode, upload_dir: upload_dir.map(Path::to_path_buf) }).expect("the server starts");
    let (client_io, server_io) = tokio::io::duplex(1 << 16);
    tokio::spawn(async move {
        if let Ok(running) = server.serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    ().serve(client_io).await.expect("the client initializes")
}

async fn call(client: &Client, name: &str, arguments: Value) -> CallToolResult {
    let Value::Object(arguments) = arguments else { panic!("arguments must be an object") };
    client.call_tool(CallToolRequestParams::new(name.to_string()).with_arguments(arguments)).await.expect("a tool result")
}

/// The result's text content.
fn text(result: &CallToolResult) -> String {
    result.content.iter().filter_map(|c| c.as_text()).map(|t| t.text.clone()).collect::<Vec<_>>().join("\n")
}

#[track_caller]
fn assert_ok(result: &CallToolResult) {
    assert_ne!(result.is_error, Some(true), "tool error: {}", text(result));
}

#[track_caller]
fn assert_tool_error(result: &CallToolResult, contains: &str) {
    assert_eq!(result.is_error, Some(true), "not an error: {}", text(result));
    assert!(text(result).contains(contains), "the error names `{contains}`: {}", text(result));
}

const TO: [(&str, &str); 3] = [("connection_id", "234423"), ("from", "+13125790015"), ("to", "+13127367276")];

fn send_args(extra: Value) -> Value {
    let mut args: JsonObject = TO.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    if let Value::Object(extra) = extra {
        args.extend(extra);
    }
    Value::Object(args)
}

#[tokio::test]
async fn initializes_and_lists_a_tool_per_operation() {
    let mock = MockServer::start().await;
    let client = connect(&mock, ToolMode::PerOperation, None).await;
    let info = client.peer_info().expect("the server's info");
    assert_eq!(info.server_info.as_ref().map(|i| i.name.as_str()), Some("telnyx-fax-mcp"));
    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    for op in MockServer::operations() {
        assert!(names.contains(&op.id), "a tool for {}: {names:?}", op.id);
    }
    let tool = |name: &str| tools.iter().find(|t| t.name == name).unwrap();
    let list = tool("ListFaxes").annotations.clone().unwrap();
    assert_eq!((list.read_only_hint, list.idempotent_hint), (Some(true), Some(true)));
    let delete = tool("DeleteFax").annotations.clone().unwrap();
    assert_eq!((delete.read_only_hint, delete.destructive_hint, delete.idempotent_hint), (Some(false), Some(true), Some(true)));
    let send = tool("SendFax");
    assert_eq!(send.annotations.as_ref().unwrap().destructive_hint, Some(false));
    assert!(send.description.as_deref().unwrap().contains("POST /faxes"));
    let schema = Value::Object((*send.input_schema).clone());
    let required: Vec<&str> = schema["required"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(required, ["connection_id", "from", "to"]);
    assert_eq!(schema["properties"]["quality"]["enum"], json!(["normal", "high", "very_high", "ultra_light", "ultra_dark"]));
    assert!(tool("ListFaxes").input_schema.get("properties").unwrap().get("cursor").is_some(), "a list takes a cursor");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn sends_a_fax_by_media_url() {
    let mock = MockServer::start().await;
    let client = connect(&mock, ToolMode::PerOperation, None).await;
    let result = call(&client, "SendFax", send_args(json!({"media_url": "https://example.com/a.pdf", "quality": "high", "store_media": true}))).await;
    assert_ok(&result);
    let example: Value = serde_json::from_str(mock.on("SendFax").operation().body.unwrap()).unwrap();
    let structured = result.structured_content.clone().expect("structured content");
    assert_eq!(structured["data"]["id"], example["data"]["id"]);
    let printed: Value = serde_json::from_str(&text(&result)).unwrap();
    assert_eq!(printed, structured, "the text content is the same JSON");
    let sent = mock.received("SendFax");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].header("authorization").map(|h| h.starts_with("Bearer ")), Some(true));
    assert_eq!(
        sent[0].json().unwrap(),
        json!({"connection_id": "234423", "from": "+13125790015", "to": "+13127367276", "media_url": "https://example.com/a.pdf", "quality": "high", "store_media": true})
    );
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn uploads_only_from_the_allowed_directory() {
    let mock = MockServer::start().await;
    let root = tempfile::tempdir().unwrap();
    let allowed = root.path().join("allowed");
    std::fs::create_dir(&allowed).unwrap();
    std::fs::write(allowed.join("fax.pdf"), b"%PDF-1.4 the fax's pages").unwrap();
    std::fs::write(root.path().join("secret.pdf"), b"%PDF-1.4 not yours").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.path().join("secret.pdf"), allowed.join("link.pdf")).unwrap();

    let client = connect(&mock, ToolMode::PerOperation, Some(&allowed)).await;
    let result = call(&client, "SendFax", send_args(json!({"contents": "fax.pdf"}))).await;
    assert_ok(&result);
    let sent = mock.received("SendFax");
    assert_eq!(sent.len(), 1);
    assert!(sent[0].is_multipart());
    let body = sent[0].body_text();
    assert!(body.contains("filename=\"fax.pdf\"") && body.contains("%PDF-1.4 the fax's pages"), "{body}");

    let secret = root.path().join("secret.pdf");
    let mut outside = vec!["../secret.pdf".to_string(), secret.to_string_lossy().into_owned()];
    if cfg!(unix) {
        outside.push("link.pdf".into());
    }
    for name in outside {
        let result = call(&client, "SendFax", send_args(json!({"contents": name}))).await;
        assert_tool_error(&result, "outside the upload directory");
        assert_tool_error(&result, "contents");
    }
    assert_eq!(mock.received("SendFax").len(), 1, "nothing sent for a refused file");
    client.cancel().await.unwrap();

    // No upload directory: no file argument at all.
    let client = connect(&mock, ToolMode::PerOperation, None).await;
    let result = call(&client, "SendFax", send_args(json!({"contents": "fax.pdf"}))).await;
    assert_tool_error(&result, "uploads are off");
    assert_eq!(mock.received("SendFax").len(), 1);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn lists_one_page_per_call_with_a_cursor() {
    let mock = MockServer::start().await;
    let fax = |id: &str| {
        json!({"id": id, "direction": "outbound", "status": "delivered", "record_type": "fax", "connection_id": "234423",
            "from": "+13125790015", "to": "+13127367276", "created_at": "2020-05-05T09:59:12Z", "updated_at": "2020-05-05T09:59:12Z"})
    };
    let page = |items: Vec<Value>, n: i64| json!({"data": items, "meta": {"page_number": n, "page_size": 2, "total_pages": 2, "total_results": 3}});
    mock.on("ListFaxes")
        .respond_once(MockResponse::json(200, page(vec![fax("a"), fax("b")], 1)))
        .respond_once(MockResponse::json(200, page(vec![fax("c")], 2)));
    let client = connect(&mock, ToolMode::PerOperation, None).await;
    let first = call(&client, "ListFaxes", json!({"direction": "outbound", "page_size": 2})).await;
    assert_ok(&first);
    let first = first.structured_content.unwrap();
    assert_eq!(first["data"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().expect("a next cursor").to_string();
    let second = call(&client, "ListFaxes", json!({"direction": "outbound", "page_size": 2, "cursor": cursor})).await;
    assert_ok(&second);
    let second = second.structured_content.unwrap();
    assert_eq!(second["data"][0]["id"], "c");
    assert_eq!(second["next_cursor"], Value::Null, "the last page");
    let sent = mock.received("ListFaxes");
    assert_eq!(sent.len(), 2, "one page per call");
    assert_eq!(sent[0].query_param("page[number]"), None);
    assert_eq!(sent[1].query_param("page[number]"), Some("2"));
    assert_eq!(sent[1].query_param("page[size]"), Some("2"));
    assert_eq!(sent[1].query_param("filter[direction][eq]"), Some("outbound"));

    let bad = call(&client, "ListFaxes", json!({"cursor": "not a cursor"})).await;
    assert_tool_error(&bad, "cursor");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn bad_arguments_are_clean_errors_naming_the_field() {
    let mock = MockServer::start().await;
    let client = connect(&mock, ToolMode::PerOperation, None).await;
    let missing = call(&client, "SendFax", json!({"connection_id": "1", "from": "+1"})).await;
    assert_tool_error(&missing, "\"to\"");
    let wrong_type = call(&client, "SendFax", send_args(json!({"quality": 5}))).await;
    assert_tool_error(&wrong_type, "argument `quality`");
    let not_in_enum = call(&client, "SendFax", send_args(json!({"quality": "blurry"}))).await;
    assert_tool_error(&not_in_enum, "argument `quality`");
    let unknown = call(&client, "SendFax", send_args(json!({"api_key": "stolen"}))).await;
    assert_tool_error(&unknown, "api_key");
    assert!(mock.received("SendFax").is_empty(), "nothing sent for bad arguments");

    // The API's own error: a tool error with its status and message.
    mock.on("ViewFax").respond(MockResponse::api_error(404, "Not found", "no such fax"));
    let not_found = call(&client, "ViewFax", json!({"id": "nope"})).await;
    assert_tool_error(&not_found, "404");

    // An unknown tool is a protocol error (invalid params), not a crash.
    let err = client.call_tool(CallToolRequestParams::new("NoSuchTool")).await.unwrap_err();
    assert!(err.to_string().contains("NoSuchTool"), "{err}");
    // The server still answers.
    assert!(!client.list_all_tools().await.unwrap().is_empty());
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn dynamic_mode_lists_describes_and_invokes() {
    let mock = MockServer::start().await;
    let client = connect(&mock, ToolMode::Dynamic, None).await;
    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(names, ["list_operations", "describe_operation", "invoke_operation"]);
    let size = serde_json::to_string(&json!({"tools": tools})).unwrap().chars().count();
    eprintln!("dynamic tools/list: {size} characters");
    assert!(size < 8_000, "the dynamic tool list is {size} characters");

    let listed = call(&client, "list_operations", json!({"filter": "list fax"})).await;
    assert_ok(&listed);
    let listed = listed.structured_content.unwrap();
    let found: Vec<&str> = listed["operations"].as_array().unwrap().iter().filter_map(|o| o["name"].as_str()).collect();
    assert!(found.contains(&"ListFaxes") && !found.contains(&"SendFax"), "{found:?}");

    let described = call(&client, "describe_operation", json!({"name": "SendFax"})).await;
    assert_ok(&described);
    let described = described.structured_content.unwrap();
    assert_eq!(described["input_schema"]["required"], json!(["connection_id", "from", "to"]));

    let sent = call(&client, "invoke_operation", json!({"name": "SendFax", "arguments": send_args(json!({"media_url": "https://example.com/a.pdf"}))})).await;
    assert_ok(&sent);
    assert_eq!(mock.received("SendFax").len(), 1);
    let bad = call(&client, "invoke_operation", json!({"name": "SendFax", "arguments": {"to": 1}})).await;
    assert_tool_error(&bad, "argument `to`");
    let unknown = call(&client, "describe_operation", json!({"name": "Nope"})).await;
    assert_tool_error(&unknown, "no operation `Nope`");
    client.cancel().await.unwrap();
}

/// The request body examples of `spec/telnyx-fax.yml`, by operation id:
/// the media type's `example` and `examples`, and the body schema's own.
fn body_examples() -> Vec<(String, Value)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/telnyx-fax.yml");
    let spec: Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let resolve = |v: &Value| -> Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => spec.pointer(r.trim_start_matches('#')).cloned().unwrap_or(Value::Null),
            None => v.clone(),
        }
    };
    let mut out = Vec::new();
    for (_, item) in spec["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            let (Some(id), Some(body)) = (op.get("operationId").and_then(Value::as_str), op.get("requestBody")) else { continue };
            let Some(media) = resolve(body).pointer("/content/application~1json").cloned() else { continue };
            let mut examples: Vec<Value> = media.get("example").cloned().into_iter().collect();
            examples.extend(media.get("examples").and_then(Value::as_object).into_iter().flatten().filter_map(|(_, e)| resolve(e).get("value").cloned()));
            examples.extend(media.get("schema").map(&resolve).and_then(|s| s.get("example").cloned()));
            out.extend(examples.into_iter().map(|e| (id.to_string(), e)));
        }
    }
    out
}

#[test]
fn every_input_schema_is_valid_and_accepts_the_documents_examples() {
    let server = Server::new(telnyx_fax::Client::builder().api_key("k").base_url("http://127.0.0.1:9").build().unwrap(), Options::default()).unwrap();
    let tools = server.tools();
    assert_eq!(tools.len(), MockServer::operations().len());
    // The size BENCHMARKS.md gives (`cargo xtask mcp-tools` computes the same from the IR).
    eprintln!("tools/list: {} characters", serde_json::to_string(&json!({"tools": tools})).unwrap().chars().count());
    for tool in &tools {
        let schema = Value::Object((*tool.input_schema).clone());
        jsonschema::meta::validate(&schema).unwrap_or_else(|e| panic!("{}: not a valid JSON Schema: {e}", tool.name));
        assert_eq!(schema["type"], "object", "{}", tool.name);
    }
    let examples = body_examples();
    assert!(examples.len() >= 3, "the document's request body examples: {}", examples.len());
    for (id, example) in examples {
        let tool = tools.iter().find(|t| t.name == id).unwrap_or_else(|| panic!("no tool {id}"));
        let schema = Value::Object((*tool.input_schema).clone());
        let mut args = example.as_object().cloned().unwrap_or_default();
        // Path parameters are arguments of their own.
        for name in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !args.contains_key(name) && schema["properties"][name]["type"] == "string" {
                args.insert(name.to_string(), json!("1293384261075731499"));
            }
        }
        let args = Value::Object(args);
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator.iter_errors(&args).map(|e| format!("{}: {e}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{id}: the example {args} does not fit the tool's schema: {errors:?}");
    }
}

/// The built server binary (see `support::built_binary`).
fn bin() -> std::path::PathBuf {
    support::built_binary(option_env!("CARGO_BIN_EXE_telnyx-fax-mcp"), "telnyx-fax-mcp", "mcp")
}

/// The binary on stdio, as an MCP client (Claude Desktop) runs it: the
/// API key and base URL from its environment.
#[test]
fn the_binary_serves_stdio_with_the_key_from_its_environment() {
    let mock = MockServer::start_blocking();
    let mut child = Command::new(bin())
        .args(["--tools", "dynamic"])
        .env("TELNYX_API_KEY", "env-key")
        .env("TELNYX_BASE_URL", mock.uri())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut send = |v: Value| writeln!(stdin, "{v}").unwrap();
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}}));
    let init: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(init["result"]["serverInfo"]["name"], "telnyx-fax-mcp", "{init}");
    send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "invoke_operation", "arguments": {"name": "ViewFax", "arguments": {"id": "abc"}}}}));
    let reply: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(reply["id"], 2, "{reply}");
    assert_ne!(reply["result"]["isError"], true, "{reply}");
    let sent = mock.received("ViewFax");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].header("authorization"), Some("Bearer env-key"));
    drop(stdin);
    let status = child.wait().unwrap();
    assert!(status.success(), "the server ends cleanly when stdin closes: {status}");
}

/// Streamable HTTP: `initialize` over a POST to `/mcp`.
#[tokio::test]
async fn serves_streamable_http() {
    let mock = MockServer::start().await;
    let server = Server::new(mock.client(), Options::default()).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(telnyx_fax::mcp::serve_http_on(server, listener, async {
        let _ = stopped.await;
    }));
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/mcp"))
        .header("accept", "application/json, text/event-stream")
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(body.contains("\"telnyx-fax-mcp\""), "{body}");
    stop.send(()).unwrap();
    serving.await.unwrap().unwrap();
}
