//! The command-line tool (the `cli` feature; the binary is `src/main.rs`):
//! one command per operation, `<resource> [<sub-resource>…] <method>` as the
//! client names them (`faxes create`, `faxes actions cancel`).
//!
//! The commands are data: `generated/cli.rs` holds a table of [`Spec`]s (the
//! flags of each operation, made from its parameters and body fields) and a
//! `dispatch` function that calls the operation's typed client method. This
//! module, API-neutral, builds the clap commands from the table, turns the
//! flags into the typed arguments (through serde, so a value is checked
//! against the generated type before anything is sent) and prints the
//! results. So the tool sends through the SDK's own client: its auth,
//! retries, paging, uploads and errors.
//!
//! Why the clap builder API rather than the derive: the commands exist only
//! as generated data, and a table plus one generic builder is far less
//! generated code (and compile time) than a derived struct per operation.
//!
//! `dispatch` returns a [`Reply`] (the response as JSON, raw bytes, or a
//! stream of items) and the command line prints it: the table and the
//! typed calls do not depend on the command line, so another front end
//! (an MCP server's tools) can build an [`Input`] from its own arguments
//! and reuse them.
//!
//! Why flags become JSON first: the flags of nested query parameters
//! (`--direction` for `filter[direction][eq]`) and of body fields are set at
//! their place in one JSON object per request part, over what `--data`
//! gives, and the whole object is decoded into the typed parameters or
//! body: serde then reports a missing or mistyped field by name.
//!
//! Exit codes: [`EXIT_OTHER`], clap's `2` for usage ([`EXIT_USAGE`]),
//! [`EXIT_API`], [`EXIT_NETWORK`].

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::builder::PossibleValuesParser;
use clap::{value_parser, Arg, ArgAction, ArgMatches, Command, ValueHint};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::{API_KEY_ENV, BASE_URL_ENV, CRATE_NAME, DEFAULT_BASE_URL};
use crate::{Client, Error, ErrorKind, FileUpload, PageStream, Request};

/// Exit code of any other failure: a local file, a response that does not
/// decode, output that cannot be written.
pub const EXIT_OTHER: u8 = 1;
/// Exit code of a usage error: an unknown command or flag, a missing
/// required flag, a value (or `--data`) that does not fit the operation
/// (clap exits with `2` too), a missing API key.
pub const EXIT_USAGE: u8 = 2;
/// Exit code of an error answer from the API (a `4xx` or `5xx` status).
pub const EXIT_API: u8 = 3;
/// Exit code of a network failure: no connection, a timeout.
pub const EXIT_NETWORK: u8 = 4;

/// One operation as a command (an entry of the generated table).
#[doc(hidden)]
#[derive(Debug)]
pub struct Spec {
    /// The operation id (what `dispatch` matches on).
    pub id: &'static str,
    /// Command names of the resource chain (`["faxes", "actions"]`).
    pub resource: &'static [&'static str],
    /// Command name of the method (`create`).
    pub name: &'static str,
    /// One line: the operation's summary.
    pub about: &'static str,
    /// The summary and description, for `--help`.
    pub long_about: &'static str,
    /// The flags.
    pub flags: &'static [Flag],
    /// Whether the operation has a body given whole with `--data`.
    pub data: bool,
    /// Whether the operation lists pages (`--all`).
    pub paged: bool,
}

/// One flag of a command.
#[doc(hidden)]
#[derive(Debug)]
pub struct Flag {
    /// Long name, without `--`.
    pub name: &'static str,
    /// One line of help.
    pub help: &'static str,
    /// Where the value goes.
    pub target: Target,
    /// How the value is read.
    pub kind: Kind,
    /// Whether clap requires it (path and required query parameters).
    pub required: bool,
    /// Whether it may repeat (an array).
    pub multiple: bool,
    /// The values an enum takes (empty: any).
    pub values: &'static [&'static str],
}

/// Where a flag's value goes.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// An argument of the client method (a path or required parameter),
    /// read by `Input::arg` under the flag's name.
    Arg,
    /// A place in the operation's optional parameters (wire names).
    Param(&'static [&'static str]),
    /// A place in the JSON body (wire names).
    Body(&'static [&'static str]),
    /// A file field of an upload body, read by `Input::file(s)`.
    File,
    /// The file sent as the whole body, read by `Input::raw_body`.
    RawBody,
}

/// How a flag's text is read.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string (enums, dates and date-times too: the typed value checks them).
    Text,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// `true`/`false`; the bare flag means `true`.
    Bool,
    /// Any JSON value, as JSON text (an object, an array of objects).
    Json,
    /// A local file.
    Path,
}

/// Why a command failed: a message and the exit code.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// A usage error (exit code [`EXIT_USAGE`]).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure { code: EXIT_USAGE, message: message.into() }
    }

    /// Any other failure (exit code [`EXIT_OTHER`]).
    pub fn other(message: impl Into<String>) -> Failure {
        Failure { code: EXIT_OTHER, message: message.into() }
    }

    /// The exit code.
    pub fn code(&self) -> u8 {
        self.code
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        // An error status (not a 2xx whose body does not decode, which has
        // a status too).
        let code = match e.kind() {
            _ if e.is_status() => EXIT_API,
            ErrorKind::Connection | ErrorKind::Timeout => EXIT_NETWORK,
            ErrorKind::InvalidArgument => EXIT_USAGE,
            _ => EXIT_OTHER,
        };
        // Other errors name their kind already (`invalid argument: ..`).
        let message = match code {
            EXIT_API => format!("the API answered {e}"),
            EXIT_NETWORK => format!("network error: {e}"),
            _ => e.to_string(),
        };
        Failure { code, message }
    }
}

/// What the command prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// JSON: indented on a terminal, one line when piped.
    Json,
    /// One compact JSON document per line (what `--all` prints by default).
    Ndjson,
    /// A table of the top-level scalar fields.
    Table,
}

/// The arguments of one invocation, as the generated `dispatch` reads them.
#[doc(hidden)]
#[derive(Debug)]
pub struct Input {
    flags: &'static [Flag],
    args: BTreeMap<&'static str, Value>,
    params: Map<String, Value>,
    body: Option<Value>,
    files: BTreeMap<&'static str, Vec<PathBuf>>,
    all: bool,
}

/// What an operation returned, for the front end to show: the generated
/// `dispatch` sends the request and decodes the answer, the command line
/// prints it (another front end, such as an MCP server, would return it).
pub enum Reply<'a> {
    /// The decoded response, as JSON (`null` for no content).
    Value(Value),
    /// A response that is not JSON (a download), as it came.
    Bytes(bytes::Bytes),
    /// Every item of every page (`--all`), fetched as the stream is read.
    Items(std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<Value, Failure>> + 'a>>),
}

impl std::fmt::Debug for Reply<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reply::Value(v) => f.debug_tuple("Value").field(v).finish(),
            Reply::Bytes(b) => f.debug_tuple("Bytes").field(&b.len()).finish(),
            Reply::Items(_) => f.write_str("Items(..)"),
        }
    }
}

impl Input {
    /// The argument given by flag `flag`, as the client method's type.
    pub fn arg<T: DeserializeOwned>(&self, flag: &str) -> Result<T, Failure> {
        let value = self.args.get(flag).cloned().unwrap_or(Value::Null);
        serde_json::from_value(value).map_err(|e| Failure::usage(format!("--{flag}: {e}")))
    }

    /// The operation's optional parameters, from their flags.
    pub fn params<T: DeserializeOwned>(&self) -> Result<T, Failure> {
        serde_json::from_value(Value::Object(self.params.clone()))
            .map_err(|e| Failure::usage(format!("invalid parameters: {e}")))
    }

    /// The body: `--data` with the body flags set over it.
    pub fn body<T: DeserializeOwned>(&self) -> Result<T, Failure> {
        let value = self.body.clone().unwrap_or_else(|| Value::Object(Map::new()));
        serde_json::from_value(value).map_err(|e| {
            let e = e.to_string();
            // serde names the field (`missing field `connection_id``): the
            // flag that sets it is named too.
            let field = e.split('`').nth(1).unwrap_or_default();
            let flag = self.flags.iter().find(|f| matches!(f.target, Target::Body(path) if path.last() == Some(&field)));
            match flag {
                Some(flag) => Failure::usage(format!("invalid request body: {e} (give --{}, or the body with --data)", flag.name)),
                None => Failure::usage(format!("invalid request body: {e} (see --help; the whole body can be given with --data)")),
            }
        })
    }

    /// The file of an upload field, if its flag was given.
    pub fn file(&self, flag: &str) -> Result<Option<FileUpload>, Failure> {
        Ok(self.files(flag)?.and_then(|mut f| f.pop()))
    }

    /// The files of an upload field, if its flag was given.
    pub fn files(&self, flag: &str) -> Result<Option<Vec<FileUpload>>, Failure> {
        let Some(paths) = self.files.get(flag) else { return Ok(None) };
        paths.iter().map(|p| upload(flag, p)).collect::<Result<Vec<_>, _>>().map(Some)
    }

    /// The file sent as the whole body.
    pub fn raw_body(&self, flag: &str) -> Result<FileUpload, Failure> {
        self.file(flag)?.ok_or_else(|| Failure::usage(format!("--{flag} is required")))
    }

    /// The argument given by flag `flag` as text (a path parameter).
    pub fn text(&self, flag: &str) -> Result<String, Failure> {
        match self.args.get(flag) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => Ok(other.to_string()),
            None => Err(Failure::usage(format!("--{flag} is required"))),
        }
    }

    /// The optional parameters set on a request without a parameter type:
    /// each as a query parameter, or a header when its name is in `headers`.
    pub fn fold_params<'a, T>(&self, mut request: Request<'a, T>, headers: &[&str]) -> Request<'a, T> {
        for (name, value) in &self.params {
            request = if headers.contains(&name.as_str()) { request.header_param(name, value) } else { request.query_param(name, value) };
        }
        request
    }

    /// A multipart body from the body's fields (text parts) and the files
    /// of the flags in `files` (`(part name, flag)`).
    pub fn form(&self, files: &[(&str, &str)]) -> Result<crate::multipart::Form, Failure> {
        let mut form = crate::multipart::Form::new();
        match &self.body {
            None => {}
            Some(Value::Object(map)) => {
                for (name, value) in map {
                    form = form.field(name, value);
                }
            }
            Some(_) => return Err(Failure::usage("--data must be a JSON object (its fields are sent as form parts)")),
        }
        for (part, flag) in files {
            for file in self.files(flag)?.unwrap_or_default() {
                form = form.file(*part, file);
            }
        }
        Ok(form)
    }

    /// Whether `--all` was given.
    pub fn all(&self) -> bool {
        self.all
    }

    /// Sends the request; the decoded response as JSON.
    pub async fn send<T, P>(&self, request: Request<'_, T, P>) -> Result<Reply<'static>, Failure>
    where
        T: DeserializeOwned + Serialize,
        P: Serialize,
    {
        let data = request.send().await?;
        to_json(&data).map(Reply::Value)
    }

    /// Sends the request; the response's bytes as they came.
    pub async fn send_bytes<P: Serialize>(&self, request: Request<'_, bytes::Bytes, P>) -> Result<Reply<'static>, Failure> {
        Ok(Reply::Bytes(request.send().await?))
    }

    /// Every item of every page, as JSON, fetched as the reply is read.
    pub fn stream<'a, T: Serialize + 'a>(&self, items: PageStream<'a, T>) -> Result<Reply<'a>, Failure> {
        Ok(Reply::Items(Box::pin(items.map(|item| item.map_err(Failure::from).and_then(|item| to_json(&item))))))
    }
}

fn to_json<T: Serialize>(data: &T) -> Result<Value, Failure> {
    serde_json::to_value(data).map_err(|e| Failure::other(format!("cannot encode the response as JSON: {e}")))
}

/// How the command line shows a [`Reply`].
#[derive(Debug, Clone, Copy)]
struct Printer {
    format: Option<Format>,
    terminal: bool,
}

impl Printer {
    /// Prints the reply: a value as JSON (indented on a terminal) or a
    /// table, bytes as they are, items one JSON document per line as they
    /// come (or, with `--output table`, one table at the end).
    async fn print(self, reply: Reply<'_>) -> Result<(), Failure> {
        match reply {
            Reply::Value(value) => self.value(&value),
            Reply::Bytes(data) => {
                let mut out = std::io::stdout().lock();
                out.write_all(&data).and_then(|()| out.flush()).or_else(ignore_broken_pipe)
            }
            Reply::Items(mut items) => {
                let table = self.format == Some(Format::Table);
                let mut rows = Vec::new();
                while let Some(item) = items.next().await {
                    let value = item?;
                    if table {
                        rows.push(value);
                        continue;
                    }
                    let line = format!("{value}\n");
                    let mut out = std::io::stdout().lock();
                    if let Err(e) = out.write_all(line.as_bytes()).and_then(|()| out.flush()) {
                        return ignore_broken_pipe(e);
                    }
                }
                if table {
                    return write_out(&render_table(&Value::Array(rows)));
                }
                Ok(())
            }
        }
    }

    fn value(self, value: &Value) -> Result<(), Failure> {
        if value.is_null() {
            return Ok(());
        }
        let text = match self.format {
            Some(Format::Table) => render_table(value),
            Some(Format::Ndjson) => format!("{value}\n"),
            Some(Format::Json) | None if self.terminal => {
                format!("{}\n", serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()))
            }
            _ => format!("{value}\n"),
        };
        write_out(&text)
    }
}

/// A file to upload, checked first so a wrong path is a usage error naming
/// the flag rather than an I/O error once the request is under way.
fn upload(flag: &str, path: &PathBuf) -> Result<FileUpload, Failure> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(FileUpload::from_path(path)),
        Ok(_) => Err(Failure::usage(format!("--{flag}: {} is not a file", path.display()))),
        Err(e) => Err(Failure::usage(format!("--{flag}: cannot read {}: {e}", path.display()))),
    }
}

fn write_out(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).or_else(ignore_broken_pipe)
}

/// Output piped into `head` that stops reading is not a failure.
fn ignore_broken_pipe(e: std::io::Error) -> Result<(), Failure> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(Failure::other(format!("cannot write the output: {e}")))
    }
}

/// The items a response lists: the value itself when it is an array, else
/// its first top-level array of objects (`data`).
fn list_of(value: &Value) -> Option<&Vec<Value>> {
    match value {
        Value::Array(items) => Some(items),
        Value::Object(map) => {
            map.get("data").and_then(Value::as_array).or_else(|| map.values().filter_map(Value::as_array).find(|a| a.iter().all(Value::is_object)))
        }
        _ => None,
    }
}

/// One table cell: scalars as text, anything else as compact JSON, cut to
/// 40 characters and kept on one line.
fn cell(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let text = text.replace(['\n', '\r', '\t'], " ");
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(39).collect::<String>())
    } else {
        text
    }
}

/// A readable table: a listed response as one row per item with its
/// top-level scalar fields as columns; anything else as field / value rows.
fn render_table(value: &Value) -> String {
    let scalar = |v: &Value| !v.is_object() && !v.is_array();
    let (header, rows): (Vec<String>, Vec<Vec<String>>) = match list_of(value) {
        Some(items) => {
            let mut columns: Vec<&str> = Vec::new();
            for item in items.iter().filter_map(Value::as_object) {
                for (k, v) in item {
                    if scalar(v) && !columns.contains(&k.as_str()) {
                        columns.push(k);
                    }
                }
            }
            let rows = items.iter().map(|item| columns.iter().map(|c| item.get(*c).map(cell).unwrap_or_default()).collect()).collect();
            (columns.iter().map(|c| c.to_string()).collect(), rows)
        }
        None => {
            let object = value.get("data").filter(|d| d.is_object()).unwrap_or(value);
            let rows = match object.as_object() {
                Some(map) => map.iter().map(|(k, v)| vec![k.clone(), cell(v)]).collect(),
                None => vec![vec![String::new(), cell(object)]],
            };
            (vec!["field".into(), "value".into()], rows)
        }
    };
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(&header.iter().map(|h| h.to_uppercase()).collect::<Vec<_>>());
    for row in &rows {
        out.push_str(&line(row));
    }
    out
}

/// Sets `value` at `path` in `map`, making the objects on the way.
fn set_path(map: &mut Map<String, Value>, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut here = map;
    for key in parents {
        let slot = here.entry(key.to_string()).or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(next) = slot else { return };
        here = next;
    }
    here.insert(last.to_string(), value);
}

const AFTER_HELP: &str = "Exit codes: 0 success, 1 other failure (a local file, a response that does not decode), 2 usage error (a flag, --data, a missing API key), 3 error answer from the API (its status and message on stderr), 4 network error or timeout.";

/// `--api-key`'s help, naming the environment variable read without it.
fn api_key_help() -> String {
    if API_KEY_ENV.is_empty() {
        "API key".to_string()
    } else {
        format!("API key [default: ${API_KEY_ENV}]")
    }
}

fn base_url_help() -> String {
    let default = if DEFAULT_BASE_URL.is_empty() { String::new() } else { format!(", else {DEFAULT_BASE_URL}") };
    format!("Base URL of the API [default: ${BASE_URL_ENV}{default}]")
}

/// The whole command tree, and the spec of each leaf by its command path.
fn command(about: &'static str, specs: &[Spec]) -> (Command, BTreeMap<Vec<String>, usize>) {
    #[derive(Default)]
    struct Node {
        children: BTreeMap<&'static str, Node>,
        leaves: Vec<Command>,
    }
    let mut root = Node::default();
    let mut index = BTreeMap::new();
    for (i, spec) in specs.iter().enumerate() {
        let mut node = &mut root;
        for seg in spec.resource {
            node = node.children.entry(seg).or_default();
        }
        node.leaves.push(leaf(spec));
        let mut path: Vec<String> = spec.resource.iter().map(|s| s.to_string()).collect();
        path.push(spec.name.to_string());
        index.insert(path, i);
    }
    fn build(name: &'static str, node: Node) -> Command {
        let mut cmd = Command::new(name).about(format!("Operations on {name}")).subcommand_required(true).arg_required_else_help(true);
        for (seg, child) in node.children {
            cmd = cmd.subcommand(build(seg, child));
        }
        cmd.subcommands(node.leaves)
    }
    let mut cmd = Command::new(CRATE_NAME)
        .about(about)
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(AFTER_HELP)
        .next_help_heading("Global options")
        .arg(Arg::new("api-key").long("api-key").global(true).value_name("KEY").help(api_key_help()).hide(API_KEY_ENV.is_empty()))
        .arg(Arg::new("base-url").long("base-url").global(true).value_name("URL").value_hint(ValueHint::Url).help(base_url_help()))
        .arg(
            Arg::new("output")
                .long("output")
                .short('o')
                .global(true)
                .value_parser(["json", "ndjson", "table"])
                .help("Output format [default: json, indented on a terminal; ndjson with --all]"),
        )
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .global(true)
                .value_name("SECONDS")
                .value_parser(value_parser!(f64))
                .help("Timeout of each attempt, in seconds"),
        )
        .arg(
            Arg::new("max-retries")
                .long("max-retries")
                .global(true)
                .value_name("N")
                .value_parser(value_parser!(u32))
                .help("Retries of a failed request (429, 5xx, network errors)"),
        )
        .next_help_heading(None::<&str>)
        .subcommand(
            Command::new("completions").about("Prints a shell completion script").arg(
                Arg::new("shell").required(true).value_parser(value_parser!(clap_complete::Shell)),
            ),
        );
    for (seg, child) in root.children {
        cmd = cmd.subcommand(build(seg, child));
    }
    (cmd.subcommands(root.leaves), index)
}

/// The command of one operation.
fn leaf(spec: &Spec) -> Command {
    let mut cmd = Command::new(spec.name).about(spec.about).long_about(spec.long_about).after_help(AFTER_HELP);
    for flag in spec.flags {
        let mut arg = Arg::new(flag.name).long(flag.name).help(flag.help).required(flag.required);
        arg = match flag.kind {
            Kind::Integer => arg.value_parser(value_parser!(i64)).value_name("INTEGER"),
            Kind::Number => arg.value_parser(value_parser!(f64)).value_name("NUMBER"),
            Kind::Bool => arg.value_parser(value_parser!(bool)).num_args(0..=1).default_missing_value("true").value_name("BOOL"),
            Kind::Path => arg.value_parser(value_parser!(PathBuf)).value_hint(ValueHint::FilePath).value_name("FILE"),
            Kind::Json => arg.value_name("JSON"),
            Kind::Text if !flag.values.is_empty() => arg.value_parser(PossibleValuesParser::new(flag.values)).value_name("VALUE"),
            Kind::Text => arg.value_name("TEXT"),
        };
        arg = arg.action(if flag.multiple { ArgAction::Append } else { ArgAction::Set });
        cmd = cmd.arg(arg);
    }
    if spec.data {
        cmd = cmd.arg(
            Arg::new("data")
                .long("data")
                .short('d')
                .value_name("JSON|@FILE|-")
                .help("The request body as JSON: inline, @file.json, or - for stdin; flags set fields over it"),
        );
    }
    if spec.paged {
        cmd = cmd.arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Every item of every page, one JSON document per line"),
        );
    }
    cmd
}

/// The JSON value of one flag occurrence.
fn flag_value(flag: &Flag, matches: &ArgMatches) -> Result<Option<Value>, Failure> {
    let values: Vec<Value> = match flag.kind {
        Kind::Integer => matches.get_many::<i64>(flag.name).map(|v| v.map(|n| Value::from(*n)).collect()).unwrap_or_default(),
        Kind::Number => matches.get_many::<f64>(flag.name).map(|v| v.map(|n| Value::from(*n)).collect()).unwrap_or_default(),
        Kind::Bool => matches.get_many::<bool>(flag.name).map(|v| v.map(|b| Value::from(*b)).collect()).unwrap_or_default(),
        Kind::Path => matches
            .get_many::<PathBuf>(flag.name)
            .map(|v| v.map(|p| Value::from(p.to_string_lossy().into_owned())).collect())
            .unwrap_or_default(),
        Kind::Text => matches.get_many::<String>(flag.name).map(|v| v.map(|s| Value::from(s.as_str())).collect()).unwrap_or_default(),
        Kind::Json => {
            let mut out = Vec::new();
            for text in matches.get_many::<String>(flag.name).into_iter().flatten() {
                out.push(serde_json::from_str(text).map_err(|e| Failure::usage(format!("--{}: not JSON ({e}): {text}", flag.name)))?);
            }
            out
        }
    };
    Ok(match (values.is_empty(), flag.multiple) {
        (true, _) => None,
        (false, true) => Some(Value::Array(values)),
        (false, false) => values.into_iter().next(),
    })
}

/// Reads `--data`: inline JSON, `@file`, or `-` (stdin).
fn read_data(text: &str) -> Result<Value, Failure> {
    let (what, json) = if text == "-" {
        let mut buf = String::new();
        std::io::stdin().read_to_string(&mut buf).map_err(|e| Failure::usage(format!("--data -: cannot read stdin: {e}")))?;
        ("stdin".to_string(), buf)
    } else if let Some(path) = text.strip_prefix('@') {
        let buf = std::fs::read_to_string(path).map_err(|e| Failure::usage(format!("--data: cannot read {path}: {e}")))?;
        (path.to_string(), buf)
    } else {
        ("the value".to_string(), text.to_string())
    };
    serde_json::from_str(&json).map_err(|e| Failure::usage(format!("--data: {what} is not JSON: {e}")))
}

fn input(spec: &Spec, matches: &ArgMatches) -> Result<Input, Failure> {
    let mut input = Input {
        flags: spec.flags,
        args: BTreeMap::new(),
        params: Map::new(),
        body: None,
        files: BTreeMap::new(),
        all: spec.paged && matches.get_flag("all"),
    };
    if spec.data {
        if let Some(text) = matches.get_one::<String>("data") {
            input.body = Some(read_data(text)?);
        }
    }
    for flag in spec.flags {
        if matches!(flag.target, Target::File | Target::RawBody) {
            if let Some(paths) = matches.get_many::<PathBuf>(flag.name) {
                input.files.insert(flag.name, paths.cloned().collect());
            }
            continue;
        }
        let Some(value) = flag_value(flag, matches)? else { continue };
        match flag.target {
            Target::Arg => {
                input.args.insert(flag.name, value);
            }
            Target::Param(path) => set_path(&mut input.params, path, value),
            Target::Body(path) => {
                let body = input.body.get_or_insert_with(|| Value::Object(Map::new()));
                let Value::Object(map) = body else {
                    return Err(Failure::usage(format!("--{} sets a field, but --data is not a JSON object", flag.name)));
                };
                set_path(map, path, value);
            }
            Target::File | Target::RawBody => {}
        }
    }
    Ok(input)
}

/// The generated part: the command table and the typed calls.
type Dispatch = for<'a> fn(&'a Client, &'static str, &'a Input) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Reply<'a>, Failure>> + 'a>>;

/// Runs the tool with the process's arguments: what `src/main.rs` calls.
pub fn main() -> ExitCode {
    run(std::env::args_os())
}

/// Runs the tool with these arguments (the first is the program name).
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    match run_with(args, crate::generated::cli::ABOUT, crate::generated::cli::SPECS, crate::generated::cli::dispatch) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) if f.message.is_empty() => ExitCode::from(f.code),
        Err(f) => {
            eprintln!("{CRATE_NAME}: {f}");
            ExitCode::from(f.code)
        }
    }
}

fn run_with<I, T>(args: I, about: &'static str, specs: &[Spec], dispatch: Dispatch) -> Result<(), Failure>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let (cmd, index) = command(about, specs);
    let matches = match cmd.clone().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            // clap prints help and version to stdout (exit 0) and usage
            // errors to stderr (exit 2).
            let _ = e.print();
            return match e.exit_code() {
                0 => Ok(()),
                code => Err(Failure { code: u8::try_from(code).unwrap_or(EXIT_USAGE), message: String::new() }),
            };
        }
    };
    let mut path = Vec::new();
    let mut leaf = &matches;
    while let Some((name, sub)) = leaf.subcommand() {
        if name == "completions" && path.is_empty() {
            let shell = *sub.get_one::<clap_complete::Shell>("shell").ok_or_else(|| Failure::usage("no shell"))?;
            let mut cmd = cmd;
            clap_complete::generate(shell, &mut cmd, CRATE_NAME, &mut std::io::stdout());
            return Ok(());
        }
        path.push(name.to_string());
        leaf = sub;
    }
    let spec = index.get(&path).map(|&i| &specs[i]).ok_or_else(|| Failure::usage(format!("no operation `{}`", path.join(" "))))?;
    let format = match leaf.get_one::<String>("output").map(String::as_str) {
        Some("json") => Some(Format::Json),
        Some("ndjson") => Some(Format::Ndjson),
        Some("table") => Some(Format::Table),
        _ => None,
    };
    let input = input(spec, leaf)?;
    let printer = Printer { format, terminal: std::io::stdout().is_terminal() };
    let mut builder = Client::builder();
    if let Some(key) = leaf.get_one::<String>("api-key") {
        builder = builder.api_key(key);
    }
    if let Some(url) = leaf.get_one::<String>("base-url") {
        builder = builder.base_url(url);
    }
    if let Some(seconds) = leaf.get_one::<f64>("timeout") {
        let timeout = Duration::try_from_secs_f64(*seconds).map_err(|e| Failure::usage(format!("--timeout: {e}")))?;
        builder = builder.timeout(timeout);
    }
    if let Some(n) = leaf.get_one::<u32>("max-retries") {
        builder = builder.max_retries(*n);
    }
    let client = builder.build().map_err(|e| {
        let mut f = Failure::from(e);
        f.message.push_str(" (or give --api-key / --base-url)");
        f
    })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::other(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let reply = dispatch(&client, spec.id, &input).await?;
        printer.print(reply).await
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flags_are_set_at_their_place() {
        let mut map = Map::new();
        set_path(&mut map, &["filter", "direction", "eq"], json!("outbound"));
        set_path(&mut map, &["filter", "to", "eq"], json!("+1"));
        set_path(&mut map, &["page", "size"], json!(50));
        assert_eq!(Value::Object(map), json!({"filter": {"direction": {"eq": "outbound"}, "to": {"eq": "+1"}}, "page": {"size": 50}}));
    }

    fn input_with(body: Value, params: Value, files: &[(&'static str, PathBuf)]) -> Input {
        let Value::Object(params) = params else { panic!("params must be an object") };
        Input {
            flags: &[],
            args: BTreeMap::new(),
            params,
            body: Some(body),
            files: files.iter().map(|(flag, path)| (*flag, vec![path.clone()])).collect(),
            all: false,
        }
    }

    /// The untyped multipart path: body fields as text parts, in order,
    /// then the files; optional parameters as query parameters or headers.
    #[test]
    fn untyped_multipart_requests() {
        let file = std::env::temp_dir().join(format!("cli-form-{}.txt", std::process::id()));
        std::fs::write(&file, "x").unwrap();
        let input = input_with(json!({"name": "a", "tags": ["b", "c"], "meta": {"k": 1}}), json!({"filter": {"q": "z"}, "x-trace": "t"}), &[("doc", file.clone())]);
        let form = input.form(&[("document", "doc")]).unwrap();
        assert_eq!(form.part_names().collect::<Vec<_>>(), ["name", "tags", "tags", "meta", "document"]);
        std::fs::remove_file(&file).unwrap();
        assert!(input.form(&[("document", "doc")]).unwrap_err().to_string().contains("--doc"), "a missing file names its flag");

        // A credential for every scheme the API declares (none, a key, basic...):
        // the runtime is copied into crates for other APIs, where `api_key`
        // may have no scheme to go to.
        let mut builder = Client::builder().base_url("http://127.0.0.1:9");
        for scheme in crate::generated::config::SECURITY_SCHEMES {
            builder = match scheme.kind {
                crate::SchemeKind::Basic => builder.basic_credential(scheme.name, "u", "p"),
                _ => builder.credential(scheme.name, "k"),
            };
        }
        let client = builder.build().unwrap();
        let request = Request::<Value>::new(&client, reqwest::Method::POST, "/up", "Up");
        let url = input.fold_params(request, &["x-trace"]).url().unwrap();
        assert_eq!(url.query(), Some("filter%5Bq%5D=z"));
        assert!(input_with(json!([1]), json!({}), &[]).form(&[]).is_err(), "a body that is not an object");
    }

    #[test]
    fn tables_list_items_or_fields() {
        let list = json!({"data": [{"id": "a", "n": 1, "nested": {}}, {"id": "bb", "extra": true}], "meta": {}});
        assert_eq!(render_table(&list), "ID  N  EXTRA\na   1\nbb     true\n");
        let one = json!({"data": {"id": "a", "status": "queued"}});
        assert_eq!(render_table(&one), "FIELD   VALUE\nid      a\nstatus  queued\n");
    }
}
