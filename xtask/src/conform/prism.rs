//! The operations half of the conformance run: which generated method calls
//! each operation (read from the emitted resource files with `syn`, so the
//! harness calls exactly what a user would), the Prism mock server serving
//! the document, and what each call's outcome means.

use super::examples::esc;
use super::harness::Call;
use super::report::{Failure, OpCounts};
use super::schema::SchemaCheck;
use super::values;
use codegen::ir::{Api, BodyEncoding};
use quote::ToTokens;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A generated method: its handle type, name and (argument, type) pairs.
type Method = (String, String, Vec<(String, String)>);

/// The generated method for every operation: the JSON body variant where
/// there is one, else the first. Operations whose method is not found are
/// returned as failures.
pub fn find_calls(files: &codegen::Files, api: &Api) -> (Vec<Call>, Vec<Failure>) {
    let ids: HashSet<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    // handle type -> (parent handle, accessor); "" is the client.
    let mut parent: HashMap<String, (String, String)> = HashMap::new();
    // op id -> [(handle, method, args)]
    let mut methods: HashMap<String, Vec<Method>> = HashMap::new();
    for (path, text) in files.iter().filter(|(p, _)| p.starts_with("resources/")) {
        let Ok(file) = syn::parse_file(text) else {
            eprintln!("conform: cannot parse {path}");
            continue;
        };
        for item in file.items {
            let syn::Item::Impl(imp) = item else { continue };
            // The async client is the root; the runtime's other types
            // (`crate::blocking::Client`, `crate::Request`) are not handles.
            // A resource may share a runtime type's name (Klaviyo's `/client`
            // resource is a struct `Client`): it is named bare, the runtime's
            // types by their `crate::` path.
            let owner = match handle_of(&imp.self_ty) {
                Handle::Root => String::new(),
                Handle::Resource(name) => name,
                Handle::Runtime(_) => continue,
            };
            if imp.trait_.is_some() {
                continue;
            }
            for it in imp.items {
                let syn::ImplItem::Fn(f) = it else { continue };
                let name = f.sig.ident.to_string();
                let syn::ReturnType::Type(_, ret) = &f.sig.output else { continue };
                let returns = handle_of(ret);
                if returns == Handle::Runtime("Request".into()) {
                    let body = f.block.to_token_stream();
                    let mut op = None;
                    for tt in body.into_iter().flat_map(flatten) {
                        if let proc_macro2::TokenTree::Literal(l) = tt {
                            let s = l.to_string();
                            let s = s.trim_matches('"');
                            if ids.contains(s) {
                                op = Some(s.to_string());
                            }
                        }
                    }
                    let Some(op) = op else { continue };
                    let mut args = Vec::new();
                    for input in &f.sig.inputs {
                        if let syn::FnArg::Typed(pt) = input {
                            args.push((pt.pat.to_token_stream().to_string(), pt.ty.to_token_stream().to_string()));
                        }
                    }
                    methods.entry(op).or_default().push((owner.clone(), name, args));
                } else if let (Handle::Resource(ret_name), 1) = (returns, f.sig.inputs.len()) {
                    parent.insert(ret_name, (owner.clone(), name));
                }
            }
        }
    }
    let mut calls = Vec::new();
    let mut missing = Vec::new();
    for op in &api.operations {
        let Some(found) = methods.get(&op.id) else {
            missing.push(Failure::new("no-method", &op.pointer, format!("no generated method calls operation `{}`", op.id)));
            continue;
        };
        let json_name = op.body.iter().find(|b| b.encoding == BodyEncoding::Json).map(|b| b.method_name.clone());
        let chosen = json_name.and_then(|n| found.iter().find(|(_, m, _)| *m == n)).unwrap_or(&found[0]);
        let (handle, method, args) = chosen.clone();
        let mut accessors = Vec::new();
        let mut h = handle;
        let mut ok = true;
        for _ in 0..32 {
            if h.is_empty() {
                break;
            }
            match parent.get(&h) {
                Some((p, acc)) => {
                    accessors.push(acc.clone());
                    h = p.clone();
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok || !h.is_empty() {
            missing.push(Failure::new("no-method", &op.pointer, format!("no accessor chain from the client to `{method}`")));
            continue;
        }
        accessors.reverse();
        let media = op.body.iter().find(|b| b.method_name == method).or(op.body.first()).map(|b| b.media_type.as_str()).unwrap_or("");
        let file_name = format!("conform.{}", extension(media));
        let encoding = op.body.iter().find(|b| b.method_name == method).or(op.body.first()).map(|b| b.encoding);
        let (form_body, multipart) = (encoding == Some(BodyEncoding::Form), encoding == Some(BodyEncoding::Multipart));
        calls.push(Call { op_id: op.id.clone(), pointer: op.pointer.clone(), accessors, method, args, file_name, form_body, multipart });
    }
    (calls, missing)
}

/// A file extension for a media type (`image/jpeg` -> `jpg`).
fn extension(media: &str) -> &'static str {
    match media.split(';').next().unwrap_or("").trim() {
        "image/jpeg" | "image/jpg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/tiff" => "tiff",
        "application/pdf" => "pdf",
        "text/plain" => "txt",
        "text/csv" => "csv",
        "application/zip" => "zip",
        "audio/mpeg" => "mp3",
        "audio/wav" | "audio/x-wav" => "wav",
        _ => "pdf",
    }
}

fn flatten(tt: proc_macro2::TokenTree) -> Vec<proc_macro2::TokenTree> {
    match tt {
        proc_macro2::TokenTree::Group(g) => g.stream().into_iter().flat_map(flatten).collect(),
        other => vec![other],
    }
}

/// What a type named in the generated resource files is.
#[derive(Debug, PartialEq, Eq)]
enum Handle {
    /// `crate::Client`, the async client: the root of every accessor chain.
    Root,
    /// Any other runtime type (`crate::Request`, `crate::blocking::Client`),
    /// always written with its `crate::` path: its last segment.
    Runtime(String),
    /// A resource handle, written bare (`Client<'a, C>`, `ClientEvents<'a, C>`).
    Resource(String),
}

fn handle_of(ty: &syn::Type) -> Handle {
    let syn::Type::Path(p) = ty else {
        return match ty {
            syn::Type::Reference(r) => handle_of(&r.elem),
            _ => Handle::Runtime(String::new()),
        };
    };
    let segments: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
    match segments.as_slice() {
        [krate, name] if krate == "crate" && name == "Client" => Handle::Root,
        [krate, .., last] if krate == "crate" => Handle::Runtime(last.clone()),
        [name] if p.qself.is_none() && p.path.leading_colon.is_none() && name != "Self" => Handle::Resource(name.clone()),
        _ => Handle::Runtime(segments.last().cloned().unwrap_or_default()),
    }
}

/// The JSON case the harness runs for `call`: argument values, headers, query.
///
/// Candidates that contradict their own schema (Twilio's `"Url": "myUrl"`
/// for a `format: uri`, which Prism rejects) are tried last, so the call
/// tests the client with a value the document allows.
pub fn case_for(id: usize, call_index: usize, call: &Call, api: &Api, doc: &Value, runtime_auth: bool, checker: &mut SchemaCheck) -> Value {
    let op = api.operations.iter().find(|o| o.id == call.op_id);
    let mut args = Vec::new();
    for (name, _) in &call.args {
        let name = name.trim_start_matches("r#").to_string();
        let v = match op {
            Some(op) if name == "body" => {
                let variant = op.body.iter().find(|b| b.method_name == call.method).or(op.body.first());
                let raw = doc.pointer(&format!("{}/requestBody", op.pointer));
                let base = raw.and_then(super::examples::ref_target).unwrap_or_else(|| format!("{}/requestBody", op.pointer));
                let rb = raw.map(|b| super::examples::deref(b, doc));
                match (variant, rb) {
                    (Some(b), Some(rb)) => match rb.pointer(&format!("/content/{}", esc(&b.media_type))) {
                        Some(m) => {
                            let c = values::prefer_valid(values::candidates(m, doc), &format!("{base}/content/{}/schema", esc(&b.media_type)), checker);
                            let required = rb.get("required").and_then(Value::as_bool) == Some(true);
                            if required && !super::examples::is_json(&b.media_type) { values::non_empty_form(c, m, doc) } else { c }
                        }
                        None => Value::Null,
                    },
                    _ => Value::Null,
                }
            }
            Some(_) if name == "params" => json!({}),
            Some(op) => {
                let ir = op.path_params.iter().chain(&op.required_params).find(|p| p.ident.trim_start_matches("r#") == name);
                let raw = ir.and_then(|p| values::raw_params(op, doc).into_iter().find(|r| r.get("name").and_then(Value::as_str) == Some(p.wire.as_str())));
                let v = match (raw, ir) {
                    (Some(r), Some(p)) if !p.pointer.is_empty() => values::prefer_valid(values::candidates(r, doc), &format!("{}/schema", p.pointer), checker),
                    (Some(r), _) => values::candidates(r, doc),
                    _ => Value::Null,
                };
                // A path segment cannot be empty (the client refuses it):
                // an example `""` (Telnyx's storage `bucketName`) gives way
                // to the other candidates, else to a placeholder.
                if op.path_params.iter().any(|p| p.ident.trim_start_matches("r#") == name) {
                    non_empty(v)
                } else {
                    v
                }
            }
            None => Value::Null,
        };
        args.push(v);
    }
    let (headers, query) = if runtime_auth { Default::default() } else { op.map(|op| values::credentials(op, doc)).unwrap_or_default() };
    json!({ "id": id, "call": call_index, "args": args, "headers": headers, "query": query })
}

/// Candidates for a path parameter without empty strings (never none).
fn non_empty(v: Value) -> Value {
    let list = match v {
        Value::Array(a) => a,
        other => vec![other],
    };
    let kept: Vec<Value> = list.into_iter().filter(|c| !matches!(c, Value::String(s) if s.is_empty()) && !c.is_null()).collect();
    if kept.is_empty() {
        json!([values::PLACEHOLDER])
    } else {
        Value::Array(kept)
    }
}

/// Why Prism cannot route the path of the operation at `ptr`
/// (`/paths/~1deployments~1{deployment.series_name}/get`), if it cannot: a
/// template parameter whose name is not made of letters, digits, `_` and
/// `-` (Prism's router reads `{deployment.series_name}` as no parameter, so
/// no request ever matches the path).
pub fn unroutable_template(ptr: &str) -> Option<String> {
    let rest = ptr.strip_prefix("/paths/")?;
    let (path, _method) = rest.rsplit_once('/')?;
    let path = path.replace("~1", "/").replace("~0", "~");
    let bad: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(name, _)| name))
        .filter(|name| !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .collect();
    (!bad.is_empty()).then(|| format!("Prism does not route path templates with parameter names like {{{}}}", bad.join("}, {")))
}

/// Counts one outcome line of the harness.
pub fn classify(call: &Call, outcome: &Value, counts: &mut OpCounts, failures: &mut Vec<Failure>) {
    counts.called += 1;
    let ptr = &call.pointer;
    if outcome.get("ok").is_some() {
        counts.accepted += 1;
        counts.decoded += 1;
        return;
    }
    if let Some(log) = outcome.get("prism_crash").and_then(Value::as_str) {
        counts.prism_unservable += 1;
        failures.push(Failure::new("prism-crash", ptr, format!("Prism exited while answering this call: {log}")));
        return;
    }
    if let Some(q) = outcome.get("prism_quirk").and_then(Value::as_str) {
        counts.prism_unservable += 1;
        failures.push(Failure::new("prism-quirk", ptr, q.to_string()));
        return;
    }
    if let Some(e) = outcome.get("unbuildable").and_then(Value::as_str) {
        counts.not_built += 1;
        failures.push(Failure::new("unbuildable", ptr, e.to_string()));
        return;
    }
    if let Some(e) = outcome.get("arg_error").and_then(Value::as_str) {
        counts.not_sent += 1;
        failures.push(Failure::new("argument", ptr, e.to_string()));
        return;
    }
    let status = outcome.get("status").and_then(Value::as_u64);
    let body = outcome.get("body").and_then(Value::as_str).unwrap_or("");
    let violations = outcome.get("violations").and_then(Value::as_str);
    let error = outcome.get("error").and_then(Value::as_str).unwrap_or("");
    let prism_type = body.find("stoplight.io/prism/errors#").map(|i| {
        body[i + "stoplight.io/prism/errors#".len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>()
    });
    if outcome.get("decode").and_then(Value::as_bool) == Some(true) {
        counts.accepted += 1;
        if let Some(defect) = outcome.get("spec_defect").and_then(Value::as_str) {
            counts.response_spec_defect += 1;
            failures.push(Failure::new("response-spec-defect", ptr, format!("{error}; the mocked body contradicts the response schema: {defect}")));
            return;
        }
        failures.push(Failure::new("response-decode", ptr, error.to_string()));
        return;
    }
    if call.form_body && status == Some(422) && only_form_array_violations(body) {
        counts.prism_unservable += 1;
        failures.push(Failure::new(
            "prism-form-array",
            ptr,
            format!("Prism reads an array sent as repeated form keys (`K=a&K=b`, form style's default and what the API documents) as one string: {}", first_line(body)),
        ));
        return;
    }
    // The mock server's own limits, never the client's: a path template it
    // cannot route, a schema it gives up on.
    if matches!(prism_type.as_deref(), Some("NO_PATH_MATCHED_ERROR" | "NO_METHOD_MATCHED_ERROR")) {
        if let Some(why) = unroutable_template(ptr) {
            counts.prism_unservable += 1;
            failures.push(Failure::new("prism-unroutable", ptr, format!("{status:?}: {why}: {}", first_line(body))));
            return;
        }
    }
    // A multipart body whose schema is a bare file: Prism parses every
    // multipart body into an object of parts, which no request can make a
    // string.
    if call.multipart && (body.contains("Request body must be string") || violations.is_some_and(|v| v.contains("Request body must be string"))) {
        counts.prism_unservable += 1;
        failures.push(Failure::new(
            "prism-multipart-scalar",
            ptr,
            format!("{status:?}: Prism reads a multipart body as an object of parts, never the bare file this schema declares: {}", first_line(body)),
        ));
        return;
    }
    // Prism validated the request, then could not write the mocked answer:
    // an object example for a non-JSON media type (Oxide's device auth,
    // NO_COMPLEX_OBJECT_TEXT) or a media type it has no serializer for
    // (InfluxDB's multipart/mixed backup). Its limit, not the client's.
    if prism_type.as_deref() == Some("NO_COMPLEX_OBJECT_TEXT") || body.contains("Cannot find serializer for") {
        counts.prism_unservable += 1;
        failures.push(Failure::new("prism-serializer", ptr, format!("{status:?}: Prism cannot write the mocked answer in its media type: {}", first_line(body))));
        return;
    }
    if body.contains("too complex") || error.contains("too complex") {
        counts.prism_unservable += 1;
        failures.push(Failure::new("prism-too-complex", ptr, format!("{status:?}: Prism could not build a mock for this schema: {}", first_line(body))));
        return;
    }
    match (status, prism_type.as_deref(), violations) {
        (_, Some("NO_RESPONSE_DEFINED" | "NOT_ACCEPTABLE" | "NO_SERVER_MATCHED_ERROR"), _) => {
            counts.prism_unservable += 1;
            failures.push(Failure::new("prism-unservable", ptr, format!("{status:?}: {}", first_line(body))));
        }
        (Some(_), Some(t), _) => {
            counts.rejected += 1;
            failures.push(Failure::new("rejected", ptr, format!("{t} {}: {}", status.unwrap_or(0), violations.map(str::to_string).unwrap_or_else(|| first_line(body)))));
        }
        (Some(s), None, Some(v)) => {
            counts.rejected += 1;
            failures.push(Failure::new("rejected", ptr, format!("{s}: {v}")));
        }
        (Some(s), None, None) => {
            // A documented non-success answer Prism chose to mock.
            counts.accepted += 1;
            counts.no_success += 1;
            failures.push(Failure::new("non-success-mocked", ptr, format!("{s}: {}", first_line(body))));
        }
        (None, _, _) => {
            counts.transport += 1;
            failures.push(Failure::new("transport", ptr, error.to_string()));
        }
    }
}

/// When a response did not decode: is the body Prism sent (built from the
/// document's examples) invalid against the document's own response schema?
pub fn response_defect(call: &Call, outcome: &Value, api: &Api, doc: &Value, checker: &mut super::schema::SchemaCheck) -> Option<String> {
    let status = outcome.get("status").and_then(Value::as_u64)?.to_string();
    let body: Value = serde_json::from_str(outcome.get("body").and_then(Value::as_str)?).ok()?;
    let op = api.operations.iter().find(|o| o.id == call.op_id)?;
    let responses = doc.pointer(&format!("{}/responses", op.pointer))?.as_object()?;
    let class = format!("{}XX", &status[..1]);
    let key = [status.as_str(), class.as_str(), "default"].into_iter().find(|k| responses.contains_key(*k))?;
    let resp = &responses[key];
    let base = super::examples::ref_target(resp).unwrap_or_else(|| format!("{}/responses/{}", op.pointer, esc(key)));
    let content = super::examples::deref(resp, doc).get("content")?.as_object()?;
    let mt = content.keys().find(|m| super::examples::is_json(m))?;
    checker.violation(&format!("{base}/content/{}/schema", esc(mt)), &body)
}

/// A refusal that is Prism's own misreading of a valid request (each
/// checked by hand with curl against a two-line document): every violation
/// is about a query parameter the harness did not send because it is
/// optional (Prism 5 validates an absent deepObject parameter as `{}`:
/// Telnyx's `filter` needing `record_type`), or a required query parameter
/// whose name holds brackets (`page[number]`: Prism looks it up as
/// `page%5bnumber%5d`, which no request form matches), or an object-typed
/// part of a multipart body (Box's upload `attributes`).
pub fn prism_quirk(call: &Call, outcome: &Value, api: &Api) -> Option<String> {
    let status = outcome.get("status").and_then(Value::as_u64)?;
    if !(400..500).contains(&status) {
        return None;
    }
    // The violations: in the `sl-violations` header when Prism mocks the
    // document's own error response, else in its 422 body.
    let from_header = outcome.get("violations").and_then(Value::as_str).and_then(|v| serde_json::from_str::<Value>(v).ok());
    let from_body = || serde_json::from_str::<Value>(outcome.get("body").and_then(Value::as_str)?).ok()?.get("validation").cloned();
    let list = from_header.or_else(from_body)?;
    let list = list.as_array()?;
    let op = api.operations.iter().find(|o| o.id == call.op_id)?;
    let quirk = |e: &Value| -> Option<&'static str> {
        let loc: Vec<&str> = e.get("location")?.as_array()?.iter().filter_map(Value::as_str).skip_while(|l| *l == "request").collect();
        let msg = e.get("message")?.as_str()?;
        if call.multipart && loc.first() == Some(&"body") && msg.ends_with("must be object") {
            return Some("Prism reads every multipart part as a string, so an object-typed part (sent as JSON text, with or without `Content-Type: application/json`) is never an object (Prism 5)");
        }
        // OpenAPI: a header parameter named Content-Type or Accept "SHALL be
        // ignored" (the body's media type and the responses set them);
        // Prism validates it anyway (InfluxDB's restore operations declare
        // `Content-Type: application/octet-stream` beside a text/plain body).
        if loc.first() == Some(&"header") && loc.get(1).is_some_and(|h| h.eq_ignore_ascii_case("content-type") || h.eq_ignore_ascii_case("accept")) {
            return Some("a Content-Type or Accept header parameter, which OpenAPI says to ignore, is validated (Prism 5)");
        }
        if *loc.first()? != "query" {
            return None;
        }
        match loc.get(1).copied() {
            Some(name) if op.optional_params.iter().any(|p| p.wire == name) => Some("an optional query parameter the call did not send is validated as `{}` (Prism 5)"),
            None if msg.contains("%5b") => Some("a required query parameter whose name holds brackets is looked up percent-encoded in lower case, which no request matches (Prism 5)"),
            _ => None,
        }
    };
    let reasons: Vec<&str> = list.iter().map(quirk).collect::<Option<Vec<_>>>()?;
    let first = *reasons.first()?;
    Some(format!("{status}: {first}: {}", first_line(&Value::Array(list.clone()).to_string())))
}

/// Whether every validation error of a Prism 422 says that a body property
/// "must be array": Prism 5 takes only `K[]=a` as an array in a form body,
/// not the repeated keys a form array is sent as (checked by hand against
/// Twilio's `MediaUrl`, which its description says to repeat).
fn only_form_array_violations(body: &str) -> bool {
    let Ok(v) = serde_json::from_str::<Value>(body) else { return false };
    let Some(list) = v.get("validation").and_then(Value::as_array) else { return false };
    !list.is_empty()
        && list.iter().all(|e| {
            e.pointer("/location/0").and_then(Value::as_str) == Some("body")
                && e.get("message").and_then(Value::as_str).is_some_and(|m| m.ends_with("must be array"))
        })
}

fn first_line(s: &str) -> String {
    s.chars().take(1500).collect::<String>().replace('\n', " ")
}

/// Indices of a deterministic sample of `n` of `len` calls, spread evenly.
pub fn sample_indices(len: usize, n: Option<usize>) -> Vec<usize> {
    match n {
        Some(n) if n < len => {
            let mut v: Vec<usize> = (0..n).map(|i| i * len / n).collect();
            v.dedup();
            v
        }
        _ => (0..len).collect(),
    }
}

/// `$PRISM_BIN`, else `<repo>/.ci/node/node_modules/.bin/prism` (what
/// `scripts/prism.sh bin` prints), if it exists.
pub fn prism_bin(repo: &Path) -> Option<PathBuf> {
    let bin = match std::env::var_os("PRISM_BIN") {
        Some(b) if !b.is_empty() => PathBuf::from(b),
        _ => repo.join(".ci/node/node_modules/.bin/prism"),
    };
    bin.is_file().then_some(bin)
}

/// A running `prism mock`, killed and reaped when dropped (also on an early
/// return), so no run leaves a server behind.
pub struct Prism {
    child: Child,
    /// Port on 127.0.0.1.
    pub port: u16,
    log: PathBuf,
}

impl Prism {
    /// Starts Prism on `spec` and waits until it listens (big documents take
    /// a while to load). Errors carry Prism's own output.
    pub fn start(bin: &Path, spec: &Path, dir: &Path, limit: Duration) -> Result<Prism, String> {
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).map_err(|e| format!("no free port: {e}"))?;
        // A restart (after Prism exited on a call) keeps the earlier log.
        let log = (1..).map(|n| dir.join(if n == 1 { "prism.log".to_string() } else { format!("prism-{n}.log") })).find(|p| !p.exists()).unwrap_or_else(|| dir.join("prism.log"));
        let out = File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        // `prism` is a node script run directly (no shell), and forks nothing
        // in the default mode: killing this child stops Prism.
        let child = Command::new(bin)
            .arg("mock")
            .arg(spec)
            .args(["-h", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let mut prism = Prism { child, port, log };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let start = Instant::now();
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(prism);
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(format!("prism exited with {status} before listening: {}", prism.log_tail()));
            }
            if start.elapsed() > limit {
                return Err(format!("prism did not listen within {limit:?}: {}", prism.log_tail()));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Whether the server has exited (crashed on a request).
    pub fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The last lines Prism printed (why it failed to load a document).
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().filter(|l| l.contains("rror") || l.contains("fatal")).collect();
        let pick = if lines.is_empty() { text.lines().rev().take(5).collect::<Vec<_>>() } else { lines.into_iter().take(5).collect() };
        pick.join(" | ").chars().take(1000).collect()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Groups failures by class for the findings list.
pub fn group(failures: &[Failure]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for f in failures {
        *m.entry(f.class.clone()).or_default() += 1;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 26: a path Prism cannot route (a dotted parameter name) and a
    /// schema it gives up on are its limits, counted apart with the reason;
    /// before they were `rejected`, against the client.
    #[test]
    fn prism_limits_are_not_rejections() {
        let call = |pointer: &str| Call { op_id: "Op".into(), pointer: pointer.into(), accessors: vec![], method: String::new(), args: vec![], file_name: String::new(), form_body: false, multipart: false };
        let no_path = json!({"status": 404, "body": r#"{"type":"https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR","title":"Route not resolved, no path matched","status":404}"#});
        let too_complex = json!({"status": 500, "body": r#"{"type":"https://stoplight.io/prism/errors#UNKNOWN","title":"schema too complex","status":500}"#});
        let mut counts = OpCounts::default();
        let mut failures = Vec::new();
        classify(&call("/paths/~1deployments~1{deployment.series_name}/get"), &no_path, &mut counts, &mut failures);
        classify(&call("/paths/~1deployments/post"), &too_complex, &mut counts, &mut failures);
        // A routable path Prism did not match is still the client's miss.
        classify(&call("/paths/~1deployments~1{id}/get"), &no_path, &mut counts, &mut failures);
        // A bare-file multipart body (Codat's attachments): Prism's parse, not the client.
        let scalar = json!({"status": 400, "violations": r#"[{"location":["request","body"],"code":"type","message":"Request body must be string"}]"#, "body": ""});
        classify(&Call { multipart: true, ..call("/paths/~1attachments/post") }, &scalar, &mut counts, &mut failures);
        // Issue 26: an answer Prism cannot serialize (Oxide's device auth).
        let text = json!({"status": 500, "body": r#"{"type":"https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT","title":"Cannot serialise complex objects as text","status":500}"#});
        classify(&call("/paths/~1device~1auth/post"), &text, &mut counts, &mut failures);
        assert_eq!((counts.prism_unservable, counts.rejected), (4, 1), "{failures:?}");
        let classes: Vec<&str> = failures.iter().map(|f| f.class.as_str()).collect();
        assert_eq!(classes, ["prism-unroutable", "prism-too-complex", "rejected", "prism-multipart-scalar", "prism-serializer"]);
        assert!(failures[0].message.contains("{deployment.series_name}"), "{}", failures[0].message);
    }

    #[test]
    fn prism_misreadings_of_query_parameters_are_told_apart() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spec = dir.path().join("q.yml");
        std::fs::write(
            &spec,
            "openapi: 3.0.3\ninfo: {title: q, version: '1'}\npaths:\n  /h:\n    get:\n      operationId: ListH\n      parameters:\n        - {in: query, name: filter, style: deepObject, schema: {type: object, required: [t], properties: {t: {type: string}}}}\n        - {in: query, name: 'page[number]', required: true, schema: {type: integer}}\n      responses:\n        '200': {description: ok}\n",
        )
        .expect("write");
        let g = codegen::generate_file(&spec, &codegen::EmitConfig::default()).expect("generates");
        let call = Call { op_id: "ListH".into(), pointer: String::new(), accessors: vec![], method: String::new(), args: vec![], file_name: String::new(), form_body: false, multipart: false };
        let header = r#"[{"location":["request","query","filter"],"severity":"Error","code":"required","message":"Request query parameter filter must have required property 't'"}]"#;
        let absent = json!({"status": 400, "violations": header, "body": "{}"});
        assert!(prism_quirk(&call, &absent, &g.api).is_some_and(|q| q.contains("did not send")));
        let brackets = json!({"status": 422, "body": r#"{"validation":[{"location":["request","query"],"code":"required","message":"Request query must have required property 'page%5bnumber%5d'"}]}"#});
        assert!(prism_quirk(&call, &brackets, &g.api).is_some_and(|q| q.contains("brackets")));
        // A real refusal of a parameter the call sent is not a quirk.
        let real = json!({"status": 422, "body": r#"{"validation":[{"location":["request","query","page[number]"],"code":"type","message":"must be integer"}]}"#});
        assert!(prism_quirk(&call, &real, &g.api).is_none());
        // Issue 26: a Content-Type header parameter (InfluxDB's restore
        // operations), which OpenAPI says to ignore, validated by Prism.
        let content_type = json!({"status": 422, "body": r#"{"validation":[{"location":["request","header","content-type"],"code":"enum","message":"Request header parameter content-type must be equal to one of the allowed values: application/octet-stream"}]}"#});
        assert!(prism_quirk(&call, &content_type, &g.api).is_some_and(|q| q.contains("Content-Type")));
        // Beside a violation of the body it stays a rejection.
        let mixed = json!({"status": 422, "body": r#"{"validation":[{"location":["request","body"],"code":"format","message":"Request body must match format \"byte\""},{"location":["request","header","content-type"],"code":"enum","message":"x"}]}"#});
        assert!(prism_quirk(&call, &mixed, &g.api).is_none());
    }

    /// A resource named like a runtime type (Klaviyo's `/client/...` is a
    /// struct `Client`, a `/request` resource a struct `Request`) is a
    /// handle like any other: its operations are called through it.
    #[test]
    fn resources_named_like_runtime_types_are_reached() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spec = dir.path().join("c.yml");
        let op = |id: &str| format!("    get:\n      operationId: {id}\n      responses:\n        '200': {{description: ok}}\n");
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: c, version: '1'}}\npaths:\n  /client/events:\n{}  /client:\n{}  /request/items:\n{}  /things:\n{}",
            op("ListClientEvents"),
            op("GetClient"),
            op("ListRequestItems"),
            op("ListThings")
        );
        std::fs::write(&spec, text).expect("write");
        let g = codegen::generate_file(&spec, &codegen::EmitConfig::default()).expect("generates");
        let (calls, missing) = find_calls(&g.files, &g.api);
        assert!(missing.is_empty(), "{missing:?}");
        let chains: BTreeMap<&str, String> = calls.iter().map(|c| (c.op_id.as_str(), format!("{}.{}", c.accessors.join("."), c.method))).collect();
        assert_eq!(
            chains,
            BTreeMap::from([
                ("GetClient", "client.list".to_string()),
                ("ListClientEvents", "client.events.list".to_string()),
                // The client has a `request` method of its own: the accessor is `request_2`.
                ("ListRequestItems", "request_2.items.list".to_string()),
                ("ListThings", "things.list".to_string()),
            ])
        );
    }

    #[test]
    fn form_array_misreads_are_told_apart() {
        let misread = r#"{"status":422,"validation":[{"location":["body","MediaUrl"],"severity":"Error","code":"type","message":"Request body property MediaUrl must be array"}]}"#;
        assert!(only_form_array_violations(misread));
        let other = r#"{"status":422,"validation":[{"location":["body","MediaUrl"],"code":"type","message":"Request body property MediaUrl must be array"},{"location":["body","Url"],"code":"format","message":"Request body property Url must match format \"uri\""}]}"#;
        assert!(!only_form_array_violations(other));
        assert!(!only_form_array_violations(r#"{"validation":[]}"#));
    }
}
