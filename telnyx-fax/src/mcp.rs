//! The MCP server (the `mcp` feature; the binary is `src/mcp_main.rs`,
//! `telnyx-fax-mcp`): the API's operations as tools of the Model Context
//! Protocol, for AI agents, over stdio (default) or streamable HTTP
//! (`--http 127.0.0.1:8080`, at `/mcp`).
//!
//! Built on [rmcp](https://docs.rs/rmcp), the official Rust SDK of the
//! protocol (its server handler, transports and model types), and on this
//! crate's client: the tools are the command line's generated operation
//! table ([`crate::cli`]: `generated/cli.rs`, one entry per operation and
//! its `dispatch`, the typed call) plus `generated/mcp.rs` (each tool's
//! input JSON Schema, built from the document, and its HTTP method). A call
//! builds the command line's [`crate::cli::Input`] from the tool's
//! arguments and runs the same typed call, so auth, retries, paging,
//! uploads and errors are the SDK's own.
//!
//! Two modes (`--tools`):
//! - `per-operation` (default): a tool per operation, named from its
//!   operationId, described from its summary and description, with the
//!   input schema and annotations from its method (read-only for `GET`,
//!   destructive for `DELETE`, idempotent for `GET`, `PUT`, `DELETE`);
//! - `dynamic`: three tools (`list_operations`, `describe_operation`,
//!   `invoke_operation`), a tool list of constant size, for documents whose
//!   per-operation list would not fit an agent's context.
//!
//! Safety: the API key comes only from the server's environment (as
//! [`Client::from_env`]), never from a tool argument; files are uploaded
//! only from the directory the operator allows (`--upload-dir` or
//! `<PREFIX>_MCP_UPLOAD_DIR`), checked after resolving symlinks and `..`;
//! without one, file arguments are refused. Arguments are checked against
//! the tool's schema (the `jsonschema` crate, which names the argument at
//! fault) before anything is sent; a failed call is a tool error
//! (`isError`) with the SDK's message, never a crash.
//!
//! Results are the response as JSON (text content, and structured content
//! when it is an object). A list returns one page per call, with
//! `next_cursor`: the `cursor` argument of the call for the next page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{value_parser, Arg, Command};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, JsonObject, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{json, Map, Value};

use crate::cli::{Failure, Flag, Input, Kind, Reply, Spec, Target};
use crate::config::{BASE_URL_ENV, CRATE_NAME, ENV_PREFIX};
use crate::Client;

/// What `generated/mcp.rs` adds to a command of `generated/cli.rs` to make
/// it a tool (an entry of the generated table).
#[doc(hidden)]
#[derive(Debug)]
pub struct Tool {
    /// The operation id (the command's `Spec::id`).
    pub id: &'static str,
    /// The HTTP method (`GET`...), for the annotations.
    pub method: &'static str,
    /// The input JSON Schema, as JSON text.
    pub schema: &'static str,
    /// The argument that takes the next page's cursor (empty: not paged).
    pub cursor: &'static str,
    /// The argument that takes the whole body (empty: none).
    pub body: &'static str,
}

/// Which tools the server lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ToolMode {
    /// A tool per operation.
    #[default]
    PerOperation,
    /// `list_operations`, `describe_operation`, `invoke_operation`.
    Dynamic,
}

/// How the server is set up.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Which tools the server lists.
    pub mode: ToolMode,
    /// The only directory files are uploaded from (`None`: no uploads).
    pub upload_dir: Option<PathBuf>,
}

/// The environment variable that names the upload directory when
/// `--upload-dir` is not given.
pub fn upload_dir_env() -> String {
    format!("{ENV_PREFIX}_MCP_UPLOAD_DIR")
}

/// One operation as a tool.
struct Op {
    spec: &'static Spec,
    tool: &'static Tool,
    /// The tool's name (the operationId, with characters MCP does not
    /// allow in a name replaced by `_`).
    name: String,
    schema: Arc<JsonObject>,
    /// Checks arguments against `schema`.
    validator: jsonschema::Validator,
}

impl Op {
    fn annotations(&self) -> ToolAnnotations {
        let method = self.tool.method;
        let read_only = matches!(method, "GET" | "HEAD");
        let mut a = ToolAnnotations::with_title(self.spec.about).read_only(read_only).open_world(true);
        if !read_only {
            a = a.destructive(method == "DELETE").idempotent(matches!(method, "PUT" | "DELETE"));
        } else {
            a = a.idempotent(true);
        }
        a
    }

    fn tool(&self) -> rmcp::model::Tool {
        rmcp::model::Tool::new(self.name.clone(), self.spec.long_about, self.schema.clone())
            .with_title(self.spec.about)
            .with_annotations(self.annotations())
    }
}

struct Inner {
    client: Client,
    mode: ToolMode,
    /// Canonical.
    upload_dir: Option<PathBuf>,
    ops: Vec<Op>,
    by_name: BTreeMap<String, usize>,
}

/// The MCP server: an [`rmcp::ServerHandler`] over this crate's client.
/// Cheap to clone (one per HTTP session).
#[derive(Clone)]
pub struct Server {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server").field("mode", &self.inner.mode).field("upload_dir", &self.inner.upload_dir).field("tools", &self.inner.ops.len()).finish()
    }
}

/// A tool name MCP accepts (`[A-Za-z0-9_.-]`, at most 64 characters).
fn tool_name(id: &str) -> String {
    let name: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') { c } else { '_' }).take(64).collect();
    if name.is_empty() { "operation".into() } else { name }
}

impl Server {
    /// A server for `client` with the tools of this crate's API.
    pub fn new(client: Client, options: Options) -> Result<Server, String> {
        Server::with_table(client, options, crate::generated::cli::SPECS, crate::generated::mcp::TOOLS)
    }

    fn with_table(client: Client, options: Options, specs: &'static [Spec], tools: &'static [Tool]) -> Result<Server, String> {
        let upload_dir = match options.upload_dir {
            Some(dir) => {
                let canonical = dir.canonicalize().map_err(|e| format!("upload directory {}: {e}", dir.display()))?;
                if !canonical.is_dir() {
                    return Err(format!("upload directory {} is not a directory", dir.display()));
                }
                Some(canonical)
            }
            None => None,
        };
        let mut ops = Vec::new();
        let mut by_name = BTreeMap::new();
        for tool in tools {
            let spec = specs.iter().find(|s| s.id == tool.id).ok_or_else(|| format!("tool {} has no command", tool.id))?;
            let schema: Value = serde_json::from_str(tool.schema).map_err(|e| format!("tool {}: its schema is not JSON: {e}", tool.id))?;
            let validator = jsonschema::validator_for(&schema).map_err(|e| format!("tool {}: invalid schema: {e}", tool.id))?;
            let Value::Object(schema) = schema else { return Err(format!("tool {}: its schema is not an object", tool.id)) };
            let mut name = tool_name(tool.id);
            let mut n = 2;
            while by_name.contains_key(&name) {
                name = format!("{}_{n}", tool_name(tool.id).chars().take(60).collect::<String>());
                n += 1;
            }
            by_name.insert(name.clone(), ops.len());
            ops.push(Op { spec, tool, name, schema: Arc::new(schema), validator });
        }
        Ok(Server { inner: Arc::new(Inner { client, mode: options.mode, upload_dir, ops, by_name }) })
    }

    /// The tools the server lists, in its mode.
    pub fn tools(&self) -> Vec<rmcp::model::Tool> {
        match self.inner.mode {
            ToolMode::PerOperation => self.inner.ops.iter().map(Op::tool).collect(),
            ToolMode::Dynamic => dynamic_tools(),
        }
    }

    fn op(&self, name: &str) -> Option<&Op> {
        self.inner.by_name.get(name).map(|&i| &self.inner.ops[i])
    }

    /// Calls one tool: a tool error for anything the caller can fix.
    async fn call(&self, name: &str, arguments: Option<JsonObject>) -> Result<CallToolResult, ErrorData> {
        let arguments = arguments.unwrap_or_default();
        match (self.inner.mode, name) {
            (ToolMode::Dynamic, "list_operations") => {
                let filter = match arguments.get("filter") {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.to_lowercase(),
                    Some(_) => return Ok(tool_error("`filter` must be a string")),
                };
                let found: Vec<Value> = self
                    .inner
                    .ops
                    .iter()
                    .filter(|op| {
                        filter.is_empty()
                            || filter.split_whitespace().all(|w| {
                                op.name.to_lowercase().contains(w) || op.spec.about.to_lowercase().contains(w) || op.spec.resource.iter().any(|r| r.contains(w))
                            })
                    })
                    .map(|op| json!({"name": op.name, "method": op.tool.method, "summary": op.spec.about}))
                    .collect();
                Ok(structured(json!({"count": found.len(), "operations": found})))
            }
            (ToolMode::Dynamic, "describe_operation") => {
                let op = match self.named(&arguments) {
                    Ok(op) => op,
                    Err(e) => return Ok(tool_error(&e)),
                };
                Ok(structured(json!({
                    "name": op.name,
                    "description": op.spec.long_about,
                    "annotations": op.annotations(),
                    "input_schema": Value::Object((*op.schema).clone()),
                })))
            }
            (ToolMode::Dynamic, "invoke_operation") => {
                let op = match self.named(&arguments) {
                    Ok(op) => op,
                    Err(e) => return Ok(tool_error(&e)),
                };
                let args = match arguments.get("arguments") {
                    None | Some(Value::Null) => JsonObject::new(),
                    Some(Value::Object(map)) => map.clone(),
                    Some(_) => return Ok(tool_error("`arguments` must be an object (the operation's arguments, see describe_operation)")),
                };
                Ok(self.invoke(op, args).await)
            }
            (ToolMode::PerOperation, _) => match self.op(name) {
                Some(op) => Ok(self.invoke(op, arguments).await),
                None => Err(ErrorData::invalid_params(format!("no tool `{name}`"), None)),
            },
            (ToolMode::Dynamic, _) => Err(ErrorData::invalid_params(
                format!("no tool `{name}` (this server lists list_operations, describe_operation and invoke_operation)"),
                None,
            )),
        }
    }

    /// The operation named by the `name` argument (dynamic mode), or why
    /// there is none.
    fn named(&self, arguments: &JsonObject) -> Result<&Op, String> {
        match arguments.get("name") {
            Some(Value::String(name)) => self.op(name).ok_or_else(|| format!("no operation `{name}` (list_operations lists them)")),
            _ => Err("`name` is required: an operation's name (list_operations lists them)".to_string()),
        }
    }

    /// Runs one operation with the tool's arguments.
    async fn invoke(&self, op: &Op, arguments: JsonObject) -> CallToolResult {
        match self.run(op, arguments).await {
            Ok(result) => result,
            Err(failure) => tool_error(&failure.to_string()),
        }
    }

    async fn run(&self, op: &Op, arguments: JsonObject) -> Result<CallToolResult, Failure> {
        // Null stands for an argument not given (what some clients send).
        let arguments: JsonObject = arguments.into_iter().filter(|(_, v)| !v.is_null()).collect();
        let instance = Value::Object(arguments);
        let errors: Vec<String> = op
            .validator
            .iter_errors(&instance)
            .map(|e| {
                let at = e.instance_path().to_string();
                if at.is_empty() { e.to_string() } else { format!("argument `{}`: {e}", at.trim_start_matches('/').replace('/', ".")) }
            })
            .collect();
        if !errors.is_empty() {
            return Err(Failure::usage(format!("invalid arguments for {}: {}", op.name, errors.join("; "))));
        }
        let Value::Object(arguments) = instance else { unreachable!("built as an object above") };
        let mut values = Vec::new();
        let mut files = Vec::new();
        let mut cursor = None;
        let mut body = None;
        for (key, value) in arguments {
            if !op.tool.cursor.is_empty() && key == op.tool.cursor {
                cursor = value.as_str().map(str::to_string);
                continue;
            }
            if !op.tool.body.is_empty() && key == op.tool.body {
                body = Some(value);
                continue;
            }
            let flag = op
                .spec
                .flags
                .iter()
                .find(|f| f.name.replace('-', "_") == key)
                .ok_or_else(|| Failure::usage(format!("unknown argument `{key}`")))?;
            if matches!(flag.target, Target::File | Target::RawBody) || flag.kind == Kind::Path {
                files.push((flag, self.paths(&key, flag, &value)?));
            } else {
                values.push((flag, value));
            }
        }
        let input = Input::new(op.spec, body, values, files, cursor)?;
        let reply = crate::generated::cli::dispatch(&self.inner.client, op.spec.id, &input).await?;
        Ok(match reply {
            Reply::Value(Value::Null) => CallToolResult::success(vec![ContentBlock::text("The API answered with no content.")]),
            Reply::Value(value) => structured(value),
            Reply::Page { value, next } => {
                let next = next.map_or(Value::Null, Value::String);
                match value {
                    Value::Object(mut map) if !map.contains_key("next_cursor") => {
                        map.insert("next_cursor".into(), next);
                        structured(Value::Object(map))
                    }
                    other => structured(json!({"result": other, "next_cursor": next})),
                }
            }
            Reply::Bytes(bytes) => match std::str::from_utf8(&bytes) {
                Ok(text) => CallToolResult::success(vec![ContentBlock::text(text)]),
                Err(_) => {
                    use base64::Engine;
                    structured(json!({"bytes": bytes.len(), "base64": base64::engine::general_purpose::STANDARD.encode(&bytes)}))
                }
            },
            Reply::Items(_) => return Err(Failure::other("a stream of every page is not a tool result")),
        })
    }

    /// The files of a file argument, each inside the upload directory.
    fn paths(&self, key: &str, flag: &Flag, value: &Value) -> Result<Vec<PathBuf>, Failure> {
        let Some(dir) = &self.inner.upload_dir else {
            return Err(Failure::usage(format!(
                "`{key}`: file uploads are off: the server was started without an upload directory (--upload-dir or ${})",
                upload_dir_env()
            )));
        };
        let names: Vec<&str> = match value {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) if flag.multiple => items.iter().filter_map(Value::as_str).collect(),
            _ => return Err(Failure::usage(format!("`{key}`: a file name (a string) under the upload directory"))),
        };
        names.into_iter().map(|name| inside(dir, key, name)).collect()
    }
}

/// `name` resolved under `dir` (canonical), refused when it ends outside
/// it after symlinks and `..` are resolved, or is not a file.
fn inside(dir: &Path, key: &str, name: &str) -> Result<PathBuf, Failure> {
    let path = dir.join(name);
    let canonical = path.canonicalize().map_err(|e| Failure::usage(format!("`{key}`: cannot read {name} in the upload directory: {e}")))?;
    if !canonical.starts_with(dir) {
        return Err(Failure::usage(format!("`{key}`: {name} is outside the upload directory; only files under it can be uploaded")));
    }
    if !canonical.is_file() {
        return Err(Failure::usage(format!("`{key}`: {name} is not a file")));
    }
    Ok(canonical)
}

/// A result: the value as JSON text, and as structured content when it is
/// an object (what MCP allows there).
fn structured(value: Value) -> CallToolResult {
    if value.is_object() {
        CallToolResult::structured(value)
    } else {
        CallToolResult::success(vec![ContentBlock::text(value.to_string())])
    }
}

fn tool_error(message: &str) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message.to_string())])
}

/// The three tools of the dynamic mode: a list of constant size, whatever
/// the number of operations.
fn dynamic_tools() -> Vec<rmcp::model::Tool> {
    let object = |v: Value| match v {
        Value::Object(map) => Arc::new(map),
        _ => Arc::new(Map::new()),
    };
    let read = ToolAnnotations::new().read_only(true).open_world(false);
    vec![
        rmcp::model::Tool::new(
            "list_operations",
            "Lists the API's operations (name, HTTP method, summary). Words in `filter` narrow the list to operations whose name, summary or resource contains them all.",
            object(json!({"type": "object", "properties": {"filter": {"type": "string", "description": "Words to search for, such as `item list`"}}, "additionalProperties": false})),
        )
        .with_annotations(read.clone()),
        rmcp::model::Tool::new(
            "describe_operation",
            "Describes one operation: what it does, and the JSON Schema of its arguments (for invoke_operation).",
            object(json!({"type": "object", "properties": {"name": {"type": "string", "description": "The operation's name, from list_operations"}}, "required": ["name"], "additionalProperties": false})),
        )
        .with_annotations(read),
        rmcp::model::Tool::new(
            "invoke_operation",
            "Calls one operation with its arguments (as describe_operation gives them); the API's answer as JSON. A list returns one page and `next_cursor`: pass it as the `cursor` argument for the next page.",
            object(json!({"type": "object", "properties": {
                "name": {"type": "string", "description": "The operation's name"},
                "arguments": {"type": "object", "description": "The operation's arguments"}
            }, "required": ["name"], "additionalProperties": false})),
        )
        .with_annotations(ToolAnnotations::new().open_world(true)),
    ]
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        let instructions = match self.inner.mode {
            ToolMode::PerOperation => format!("{}: a tool per operation of the API.", about()),
            ToolMode::Dynamic => format!(
                "{}: {} operations, reached through list_operations, describe_operation and invoke_operation.",
                about(),
                self.inner.ops.len()
            ),
        };
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(format!("{CRATE_NAME}-mcp"), env!("CARGO_PKG_VERSION")))
            .with_instructions(instructions)
    }

    async fn list_tools(&self, _request: Option<PaginatedRequestParams>, _context: RequestContext<RoleServer>) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools()))
    }

    async fn call_tool(&self, request: CallToolRequestParams, _context: RequestContext<RoleServer>) -> Result<CallToolResponse, ErrorData> {
        self.call(&request.name, request.arguments).await.map(CallToolResponse::from)
    }
}

/// `MCP server of the <API> (API version ..), built on this crate's client`,
/// from the command line's `--help` line.
fn about() -> String {
    let about = crate::generated::cli::ABOUT;
    format!("MCP server of the {}", about.strip_prefix("Command-line client of the ").unwrap_or(about))
}

/// The server's command line.
fn command() -> Command {
    Command::new(format!("{CRATE_NAME}-mcp"))
        .about(about())
        .version(env!("CARGO_PKG_VERSION"))
        .after_help(format!(
            "The API key is read from the environment only (as the client's from_env), never from a tool argument; the base URL from ${BASE_URL_ENV} or --base-url."
        ))
        .arg(
            Arg::new("tools")
                .long("tools")
                .value_parser(["per-operation", "dynamic"])
                .default_value("per-operation")
                .help("A tool per operation, or three tools (list, describe, invoke) for large APIs"),
        )
        .arg(
            Arg::new("upload-dir")
                .long("upload-dir")
                .value_name("DIR")
                .value_parser(value_parser!(PathBuf))
                .help(format!("The only directory files may be uploaded from [default: ${}; none: no uploads]", upload_dir_env())),
        )
        .arg(Arg::new("base-url").long("base-url").value_name("URL").help(format!("Base URL of the API [default: ${BASE_URL_ENV}]")))
        .arg(
            Arg::new("http")
                .long("http")
                .value_name("ADDR")
                .value_parser(value_parser!(std::net::SocketAddr))
                .help("Serve streamable HTTP at http://ADDR/mcp instead of stdio (such as 127.0.0.1:8080)"),
        )
}

/// Runs the server with the process's arguments: what `src/mcp_main.rs` calls.
pub fn main() -> ExitCode {
    match run(std::env::args_os()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{CRATE_NAME}-mcp: {message}");
            ExitCode::from(crate::cli::EXIT_USAGE)
        }
    }
}

fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<(), String> {
    let matches = match command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return if e.exit_code() == 0 { Ok(()) } else { Err("invalid arguments (see --help)".to_string()) };
        }
    };
    let mode = match matches.get_one::<String>("tools").map(String::as_str) {
        Some("dynamic") => ToolMode::Dynamic,
        _ => ToolMode::PerOperation,
    };
    let upload_dir = matches.get_one::<PathBuf>("upload-dir").cloned().or_else(|| std::env::var_os(upload_dir_env()).filter(|v| !v.is_empty()).map(PathBuf::from));
    let mut builder = Client::builder();
    if let Some(url) = matches.get_one::<String>("base-url") {
        builder = builder.base_url(url);
    }
    let client = builder.build().map_err(|e| e.to_string())?;
    let server = Server::new(client, Options { mode, upload_dir })?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        match matches.get_one::<std::net::SocketAddr>("http") {
            Some(addr) => serve_http(server, *addr).await,
            None => {
                let running = server.serve(rmcp::transport::stdio()).await.map_err(|e| format!("MCP initialization failed: {e}"))?;
                running.waiting().await.map_err(|e| e.to_string())?;
                Ok(())
            }
        }
    })
}

/// Serves streamable HTTP at `http://addr/mcp` until Ctrl-C.
async fn serve_http(server: Server, addr: std::net::SocketAddr) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    eprintln!("{CRATE_NAME}-mcp: serving MCP at http://{}/mcp", listener.local_addr().map_err(|e| e.to_string())?);
    serve_http_on(server, listener, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Serves streamable HTTP on `listener` at `/mcp` until `shutdown`
/// completes (for tests: a listener on a free port).
pub async fn serve_http_on(server: Server, listener: tokio::net::TcpListener, shutdown: impl std::future::Future<Output = ()> + Send + 'static) -> Result<(), String> {
    use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
    use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let mut config = StreamableHttpServerConfig::default();
    // rmcp accepts loopback Host headers only (against DNS rebinding); an
    // address the operator chose to bind is allowed too.
    config.allowed_hosts.push(local.ip().to_string());
    config.allowed_hosts.push(local.to_string());
    let service = StreamableHttpService::new(move || Ok(server.clone()), Arc::new(LocalSessionManager::default()), config);
    let router = axum::Router::new().nest_service("/mcp", service);
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await.map_err(|e| e.to_string())
}
