//! Example values of each operation, for the generated test double
//! (`mock`) and the doc example of every generated method.
//!
//! [`collect`] reads them from the document's JSON tree while it is still
//! there (the IR keeps types, not values): the document's own example of a
//! response, request body or parameter when it gives one (`example`, or the
//! first of `examples`), else a value built from the schema: its `example`,
//! `default` or first `enum` value, objects from their properties, one item
//! per array, a plausible value per string format. The walk follows local
//! `$ref`s, stops at a `$ref` cycle and at a fixed depth, and never fails: a
//! part it cannot build is left out.

use super::docs::str_literal;
use crate::ir::{Api, BodyEncoding, BodyVariant, Field, Operation, OperationExample, Struct, Ty, TypeDef, TypeKind};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Deeper schemas are cut off (a value that deep is no use as an example).
const MAX_DEPTH: usize = 12;

/// The examples of every operation of `api`, by operation id.
pub fn collect(raw: &Value, api: &Api) -> BTreeMap<String, OperationExample> {
    api.operations.iter().map(|op| (op.id.clone(), operation(raw, op))).collect()
}

fn operation(raw: &Value, op: &Operation) -> OperationExample {
    let node = raw.pointer(&op.pointer);
    let first = op.responses.first();
    let status = first.map_or(200, |r| status_code(&r.status));
    let response = match (first, &op.success) {
        (_, None) | (_, Some(Ty::Binary)) | (None, _) => None,
        (Some(r), Some(_)) => node
            .and_then(|n| n.get("responses"))
            .and_then(|rs| rs.get(&r.status))
            .map(|resp| resolve(raw, resp))
            .and_then(|resp| media_example(raw, resp, None, Mode::Full)),
    };
    let request = op.body.first().and_then(|b| {
        let body = resolve(raw, node?.get("requestBody")?);
        let mode = if b.encoding == BodyEncoding::Json { Mode::Sparse } else { Mode::SparseNoFiles };
        media_example(raw, body, Some(&b.media_type), mode)
    });
    let mut params = BTreeMap::new();
    let path_item = op.pointer.rsplit_once('/').and_then(|(parent, _)| raw.pointer(parent));
    // Operation-level parameters override the path item's of the same name.
    for list in [path_item.and_then(|p| p.get("parameters")), node.and_then(|n| n.get("parameters"))] {
        for p in list.and_then(Value::as_array).into_iter().flatten() {
            let p = resolve(raw, p);
            let Some(name) = p.get("name").and_then(Value::as_str) else { continue };
            let value = p
                .get("example")
                .cloned()
                .or_else(|| first_of_examples(raw, p))
                .or_else(|| p.get("schema").and_then(|s| Builder::new(raw, Mode::Sparse).build(s, 0)));
            match value {
                Some(v) => params.insert(name.to_string(), v),
                None => params.remove(name),
            };
        }
    }
    OperationExample { status, response, request, params }
}

/// `"202"` -> 202; ranges and `default` read as 200.
fn status_code(status: &str) -> u16 {
    status.parse().ok().filter(|s| (100..600).contains(s)).unwrap_or(200)
}

/// The example of a response or request body: the JSON media type's (or
/// `media_type`'s) `example`, the first of its `examples`, or one built from
/// its schema.
fn media_example(raw: &Value, holder: &Value, media_type: Option<&str>, mode: Mode) -> Option<Value> {
    let content = holder.get("content")?.as_object()?;
    let media = match media_type {
        Some(m) => content.get(m)?,
        None => content.iter().find(|(k, _)| is_json(k)).map(|(_, v)| v)?,
    };
    if let Some(v) = media.get("example") {
        return Some(v.clone());
    }
    if let Some(v) = first_of_examples(raw, media) {
        return Some(v);
    }
    Builder::new(raw, mode).build(media.get("schema")?, 0)
}

fn is_json(media_type: &str) -> bool {
    let m = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json")
}

/// The `value` of the first entry of an `examples` map (OpenAPI Example
/// Objects, possibly `$ref`s to `components/examples`).
fn first_of_examples(raw: &Value, node: &Value) -> Option<Value> {
    let (_, first) = node.get("examples")?.as_object()?.iter().next()?;
    resolve(raw, first).get("value").cloned()
}

/// Follows a local `$ref` chain (at most a few hops; a dangling or
/// cyclic one yields the node itself).
fn resolve<'a>(raw: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..8 {
        match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')).and_then(|p| raw.pointer(p)) {
            Some(target) => node = target,
            None => break,
        }
    }
    node
}

/// Which properties a built object gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Every property (a response: the test double's body).
    Full,
    /// Required properties and those with an `example` of their own (a
    /// request: what a short doc example would send).
    Sparse,
    /// [`Mode::Sparse`] without file parts (a multipart body as JSON).
    SparseNoFiles,
}

/// Builds a value from a schema.
struct Builder<'a> {
    raw: &'a Value,
    mode: Mode,
    /// `$ref`s being expanded (cycle guard).
    stack: Vec<&'a str>,
}

impl<'a> Builder<'a> {
    fn new(raw: &'a Value, mode: Mode) -> Self {
        Builder { raw, mode, stack: Vec::new() }
    }

    fn build(&mut self, schema: &'a Value, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(v) = schema.get("example").or_else(|| schema.get("default")) {
            return Some(v.clone());
        }
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            if self.stack.contains(&r) {
                return None;
            }
            let target = r.strip_prefix('#').and_then(|p| self.raw.pointer(p))?;
            self.stack.push(r);
            let v = self.build(target, depth + 1);
            self.stack.pop();
            return v;
        }
        if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|e| e.iter().find(|v| !v.is_null())) {
            return Some(first.clone());
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            for part in all {
                match self.build(part, depth + 1) {
                    Some(Value::Object(m)) => merged.extend(m),
                    Some(other) if all.len() == 1 => return Some(other),
                    _ => {}
                }
            }
            return Some(Value::Object(merged));
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(members) = schema.get(key).and_then(Value::as_array) {
                return members.iter().find_map(|m| self.build(m, depth + 1));
            }
        }
        let ty = schema.get("type").and_then(Value::as_str);
        if ty == Some("object") || schema.get("properties").is_some() {
            return Some(self.object(schema, depth));
        }
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        match ty {
            Some("array") => {
                let item = schema.get("items").and_then(|i| self.build(i, depth + 1));
                Some(Value::Array(item.into_iter().collect()))
            }
            Some("string") => string_for(format),
            Some("integer") => Some(schema.get("minimum").filter(|m| m.is_i64() || m.is_u64()).cloned().unwrap_or(Value::from(1))),
            Some("number") => Some(schema.get("minimum").filter(|m| m.is_number()).cloned().unwrap_or(Value::from(1.5))),
            Some("boolean") => Some(Value::Bool(true)),
            _ if schema.get("nullable").and_then(Value::as_bool) == Some(true) => Some(Value::Null),
            _ => None,
        }
    }

    fn object(&mut self, schema: &'a Value, depth: usize) -> Value {
        let required: Vec<&str> =
            schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let mut out = Map::new();
        for (name, prop) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
            let keep = match self.mode {
                Mode::Full => true,
                Mode::Sparse | Mode::SparseNoFiles => required.contains(&name.as_str()) || has_own_example(self.raw, prop),
            };
            if !keep || (self.mode == Mode::SparseNoFiles && is_file(self.raw, prop)) {
                continue;
            }
            if let Some(v) = self.build(prop, depth + 1) {
                out.insert(name.clone(), v);
            }
        }
        Value::Object(out)
    }
}

/// A plausible string for a format (`None` for file contents, which have no
/// JSON form).
fn string_for(format: &str) -> Option<Value> {
    let s = match format {
        "date-time" => "2024-01-01T00:00:00Z",
        "date" => "2024-01-01",
        "time" => "12:00:00",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "uri" | "url" => "https://example.com",
        "email" => "user@example.com",
        "binary" => return None,
        _ => "string",
    };
    Some(Value::String(s.to_string()))
}

/// A property with an example of its own, or an enum (whose first value is
/// as good as one) reached through `$ref`.
fn has_own_example(raw: &Value, prop: &Value) -> bool {
    let p = resolve(raw, prop);
    prop.get("example").is_some() || p.get("example").is_some() || p.get("enum").is_some()
}

/// A binary string, or an array of them.
fn is_file(raw: &Value, prop: &Value) -> bool {
    let p = resolve(raw, prop);
    let p = match p.get("items") {
        Some(items) if p.get("type").and_then(Value::as_str) == Some("array") => resolve(raw, items),
        _ => p,
    };
    p.get("type").and_then(Value::as_str) == Some("string")
        && matches!(p.get("format").and_then(Value::as_str), Some("binary" | "byte"))
}

// ---------------------------------------------------------------------------
// Doc examples of the generated methods
// ---------------------------------------------------------------------------

/// At most this many optional body fields go into a doc example (the
/// required ones always do): enough to show the setters, short enough to read.
const OPTIONAL_FIELDS_SHOWN: usize = 2;

/// Stands for the crate's name in [`method_doc`]'s lines, which are written
/// where the name is not known; [`name_crate`] puts it in.
pub(crate) const CRATE: &str = "@crate@";

/// Puts the crate's name (`telnyx-fax`: `telnyx_fax`) into the doc examples
/// of emitted files.
pub(crate) fn name_crate(files: Vec<(String, String)>, crate_name: &str) -> Vec<(String, String)> {
    let krate = crate_name.replace('-', "_");
    files.into_iter().map(|(path, text)| (path, text.replace(CRATE, &krate))).collect()
}

/// The `# Example` section of one generated method's doc: the call with its
/// required arguments and a body built from the document's examples, as a
/// `no_run` doctest (compiled, not sent). `method` is the method's name,
/// `body` the body variant it sends. Empty when an argument cannot be
/// written from the examples. The crate is named by [`CRATE`].
pub(crate) fn method_doc(api: &Api, op: &Operation, method: &str, body: Option<&BodyVariant>) -> Vec<String> {
    let Some(ex) = method_example(api, op, method, body) else { return Vec::new() };
    let mut lines = vec![String::new(), "# Example".to_string(), String::new(), "```no_run".to_string()];
    lines.push("# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_string());
    lines.extend(ex.uses.iter().cloned());
    if !ex.uses.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!("let client = {CRATE}::Client::from_env()?;"));
    lines.extend(ex.body);
    lines.push("# Ok(()) }".to_string());
    lines.push("```".to_string());
    lines
}

/// The code of one method's example, apart from how it is wrapped: the
/// rustdoc example of the method ([`method_doc`]) and the agent skill's
/// section of the operation (`emit/skill.rs`) are the same code in two
/// frames. The crate is named by [`CRATE`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MethodExample {
    /// `use` lines.
    pub uses: Vec<String>,
    /// The statements after `let client = ..;`, which use `client` and `?`
    /// in a function that returns `Result<(), Box<dyn Error>>`.
    pub body: Vec<String>,
    /// The call alone, as laid out in `body`, without its `.await?`.
    pub call: String,
}

/// See [`MethodExample`]; `None` when an argument cannot be written from
/// the examples.
pub(crate) fn method_example(api: &Api, op: &Operation, method: &str, body: Option<&BodyVariant>) -> Option<MethodExample> {
    let krate = CRATE;
    let example = api.examples.get(&op.id);
    let mut r = Render { api, krate, uses: BTreeSet::new() };
    // Each argument: an expression, and the setters chained on it.
    let mut args: Vec<(String, Vec<String>)> = Vec::new();
    for p in op.path_params.iter().chain(&op.required_params) {
        let value = example.and_then(|e| e.params.get(&p.wire)).cloned().unwrap_or_else(|| match p.ty {
            Ty::I32 | Ty::I64 => Value::from(1),
            Ty::F64 => Value::from(1.0),
            Ty::Bool => Value::Bool(true),
            _ => Value::String(p.wire.clone()),
        });
        // Arguments take the parameter's own type (see `resources::param_arg`);
        // a string example of a number (`"1"`) is read as that number.
        let ty = &p.ty;
        let value = match (value, ty) {
            (Value::String(s), Ty::I32 | Ty::I64 | Ty::F64) => s.parse::<serde_json::Number>().map(Value::Number).unwrap_or(Value::String(s)),
            (Value::String(s), _) => Value::String(s),
            (other, Ty::String) => Value::String(other.to_string()),
            (other, _) => other,
        };
        // Date-time arguments take `impl Into<DateTime<FixedOffset>>`.
        if let (Ty::DateTime, Value::String(s)) = (ty, &value) {
            args.push((format!("{}.parse::<chrono::DateTime<chrono::FixedOffset>>()?", str_literal(s)), Vec::new()));
            continue;
        }
        match r.value(ty, &value, Ctx::Arg) {
            Some(v) => args.push((v, Vec::new())),
            None => return None,
        }
    }
    if let Some(b) = body {
        let value = example.and_then(|e| e.request.clone()).unwrap_or(Value::Object(Map::new()));
        match r.top(&b.ty, &value) {
            Some(arg) => args.push(arg),
            None => return None,
        }
    }
    // The root accessor is the client method `resources.rs` named (`webhooks_2`
    // where the client has its own `webhooks`); sub-resources keep their segment.
    let roots = super::resources::root_accessors(api);
    let resources: Vec<String> = op
        .resource
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}()", if i == 0 { roots.get(s).unwrap_or(s) } else { s }))
        .collect();
    let inline_args: Vec<String> = args.iter().map(|(head, setters)| format!("{head}{}", setters.concat())).collect();
    let inline = format!("client.{}.{method}({}).await?", resources.join("."), inline_args.join(", "));
    let call: Vec<String> = if inline.len() <= 76 {
        vec![inline]
    } else {
        let mut out = vec!["client".to_string()];
        out.extend(resources.iter().map(|r| format!("    .{r}")));
        let one_line = inline_args.join(", ");
        if one_line.len() <= 60 {
            out.push(format!("    .{method}({one_line})"));
        } else {
            out.push(format!("    .{method}("));
            for (head, setters) in &args {
                match setters.split_last() {
                    None => out.push(format!("        {head},")),
                    Some((last, rest)) => {
                        out.push(format!("        {head}"));
                        out.extend(rest.iter().map(|s| format!("            {s}")));
                        out.push(format!("            {last},"));
                    }
                }
            }
            out.push("    )".to_string());
        }
        out.push("    .await?".to_string());
        out
    };
    // Any paging kind (page number, cursor, offset, Link, next URL) streams,
    // from the methods that decode the page: not from the `<method>_<subtype>`
    // ones that return another media type's raw bytes.
    let decodes = method == op.name || op.body.iter().any(|b| b.method_name == method);
    let paged = decodes && api.paging.contains_key(&op.id);
    let mut uses = Vec::new();
    if paged {
        // `into_stream()`'s stream needs the `TryStreamExt` the prelude brings.
        uses.push(format!("use {krate}::prelude::*;"));
    }
    if !r.uses.is_empty() {
        let names: Vec<&str> = r.uses.iter().map(String::as_str).collect();
        let list = if names.len() == 1 { names[0].to_string() } else { format!("{{{}}}", names.join(", ")) };
        uses.push(format!("use {krate}::types::{list};"));
    }
    let call_alone = call.join("\n").strip_suffix(".await?").unwrap_or_default().trim_end().to_string();
    let mut lines = Vec::new();
    let (first, rest) = call.split_first().map_or(("", &[][..]), |(f, r)| (f.as_str(), r));
    let (prefix, suffix) = if op.success.is_some() { ("let response = ", ";") } else { ("", ";") };
    if rest.is_empty() {
        lines.push(format!("{prefix}{first}{suffix}"));
    } else {
        lines.push(format!("{prefix}{first}"));
        lines.extend(rest[..rest.len() - 1].iter().cloned());
        lines.push(format!("{}{suffix}", rest[rest.len() - 1]));
    }
    if op.success.is_some() {
        lines.push("println!(\"{response:?}\");".to_string());
    }
    if paged && args.len() == inline_args.len() {
        let stream = format!("client.{}.{method}({}).into_stream()", resources.join("."), inline_args.join(", "));
        lines.push(String::new());
        lines.push("// Every item of every page, fetched as the stream goes:".to_string());
        if stream.len() <= 70 {
            lines.push(format!("let mut items = {stream};"));
        } else {
            lines.push("let mut items = client".to_string());
            lines.extend(resources.iter().map(|r| format!("    .{r}")));
            lines.push(format!("    .{method}({})", inline_args.join(", ")));
            lines.push("    .into_stream();".to_string());
        }
        lines.push("while let Some(item) = items.try_next().await? {".to_string());
        lines.push("    println!(\"{item:?}\");".to_string());
        lines.push("}".to_string());
    }
    Some(MethodExample { uses, body: lines, call: call_alone })
}

/// A JSON value as a Rust expression: `serde_json::json!(..)` with every
/// string written by [`str_literal`] (JSON's own escapes, `\u0001`, `\b`,
/// `\f`, are not Rust's: `json!({v})` of the JSON text did not compile) and
/// integers beyond `i32` suffixed (`json!` takes an unsuffixed literal for an
/// `i32`). A large or deep value, past what `json!`'s recursion (one macro
/// step per token) takes, is parsed from a string literal instead.
fn json_expr(v: &Value) -> String {
    fn nodes(v: &Value, depth: usize) -> (usize, usize) {
        let children: Vec<(usize, usize)> = match v {
            Value::Array(items) => items.iter().map(|i| nodes(i, depth + 1)).collect(),
            Value::Object(map) => map.values().map(|i| nodes(i, depth + 1)).collect(),
            _ => Vec::new(),
        };
        let count = 1 + children.iter().map(|c| c.0).sum::<usize>();
        (count, children.iter().map(|c| c.1).max().unwrap_or(depth))
    }
    let (count, depth) = nodes(v, 0);
    if count > 32 || depth > 6 {
        return format!("serde_json::from_str::<serde_json::Value>({})?", str_literal(&v.to_string()));
    }
    format!("serde_json::json!({})", json_tokens(v))
}

/// The tokens of `json!` for a value (see [`json_expr`]).
fn json_tokens(v: &Value) -> String {
    match v {
        Value::String(s) => str_literal(s),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) if i32::try_from(i).is_ok() => i.to_string(),
            (Some(i), _) => format!("{i}i64"),
            (None, Some(u)) => format!("{u}u64"),
            _ => n.as_f64().map_or_else(|| "null".to_string(), |f| format!("{f:?}")),
        },
        Value::Array(items) => format!("[{}]", items.iter().map(json_tokens).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => {
            let entries: Vec<String> = map.iter().map(|(k, v)| format!("{}: {}", str_literal(k), json_tokens(v))).collect();
            format!("{{{}}}", entries.join(", "))
        }
        other => other.to_string(),
    }
}

/// Where a value is written: a method or `new` argument and setter value
/// (`impl Into<T>`: `"text"` is enough), or inside a `vec![..]` (the exact
/// type: `"text".to_string()`, suffixed integers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Arg,
    Exact,
}

/// Writes JSON example values as Rust expressions of the generated types.
struct Render<'a> {
    api: &'a Api,
    krate: &'a str,
    /// Types named by the example, for its `use` line.
    uses: BTreeSet<String>,
}

impl Render<'_> {
    /// `None` when the value cannot be written (a union, a type mismatch).
    fn value(&mut self, ty: &Ty, v: &Value, ctx: Ctx) -> Option<String> {
        Some(match (ty, v) {
            (Ty::String, Value::String(s)) if ctx == Ctx::Exact => format!("{}.to_string()", str_literal(s)),
            (Ty::String, Value::String(s)) => str_literal(s),
            (Ty::Bool, Value::Bool(b)) => b.to_string(),
            (Ty::I32, Value::Number(n)) => i32::try_from(n.as_i64()?).ok()?.to_string(),
            (Ty::I64, Value::Number(n)) => {
                let n = n.as_i64()?;
                if ctx == Ctx::Exact || i32::try_from(n).is_err() { format!("{n}i64") } else { n.to_string() }
            }
            (Ty::F64, Value::Number(n)) => format!("{:?}", n.as_f64()?),
            (Ty::DateTime, Value::String(s)) => format!("{}.parse::<chrono::DateTime<chrono::Utc>>()?", str_literal(s)),
            (Ty::Date, Value::String(s)) => format!("{}.parse::<chrono::NaiveDate>()?", str_literal(s)),
            (Ty::Json, v) => json_expr(v),
            (Ty::Binary, _) => format!("{}::FileUpload::from_path(\"document.pdf\")", self.krate),
            (Ty::Boxed(inner), v) => self.value(inner, v, ctx)?,
            // A list-of-strings setter takes any iterable of `Into<String>`,
            // which cannot infer the item type of an empty `vec![]`.
            (Ty::Vec(inner), Value::Array(items)) if items.is_empty() && matches!(**inner, Ty::String) => "Vec::<String>::new()".to_string(),
            (Ty::Vec(inner), Value::Array(items)) => {
                let items: Option<Vec<String>> = items.iter().map(|i| self.value(inner, i, Ctx::Exact)).collect();
                format!("vec![{}]", items?.join(", "))
            }
            (Ty::Map(inner), Value::Object(obj)) => self.map(inner, obj),
            (Ty::Named(name), v) => self.named(name, v, ctx)?,
            _ => return None,
        })
    }

    /// A map written with its entries, typed (a setter's `impl Into<Map>`
    /// cannot infer `Default::default()`); the empty map when an entry
    /// cannot be written.
    fn map(&mut self, inner: &Ty, obj: &Map<String, Value>) -> String {
        let json = *inner == Ty::Json;
        let entries: Option<Vec<String>> = obj
            .iter()
            .map(|(k, v)| {
                let value = if json { json_expr(v) } else { self.value(inner, v, Ctx::Exact)? };
                Some(format!("({}.to_string(), {value})", str_literal(k)))
            })
            .collect();
        let (ty, from) = if json { ("serde_json::Map", "from_iter") } else { ("std::collections::BTreeMap", "from") };
        match entries {
            Some(e) if !e.is_empty() => format!("{ty}::{from}([{}])", e.join(", ")),
            _ => format!("{ty}::new()"),
        }
    }

    fn named(&mut self, name: &str, v: &Value, ctx: Ctx) -> Option<String> {
        let def = self.api.types.get(name)?;
        match (&def.kind, v) {
            (TypeKind::Alias(t), v) => self.value(t, v, ctx),
            // A single-value enum is a `Const` alias: its `default()`, named
            // (a setter's `impl Into<T>` cannot infer `Default::default()`).
            // (When `{name}Tag` is taken it stays an enum: the match below.)
            (TypeKind::Enum(e), Value::String(_)) if e.variants.len() == 1 && !self.api.types.contains_key(&format!("{name}Tag")) => {
                self.uses.insert(name.to_string());
                Some(format!("{name}::default()"))
            }
            (TypeKind::Enum(e), Value::String(s)) => {
                let variant = e.variants.iter().find(|var| &var.wire == s)?;
                self.uses.insert(name.to_string());
                Some(format!("{name}::{}", variant.ident))
            }
            (TypeKind::Struct(st), Value::Object(obj)) if def.is_input => self.structure(name, st, obj),
            _ => None,
        }
    }

    /// A method's body argument: an input struct as `Name::new(..)` and its
    /// setters apart (laid out one per line when long), anything else whole.
    fn top(&mut self, ty: &Ty, v: &Value) -> Option<(String, Vec<String>)> {
        if let (Some(name), Value::Object(obj)) = (super::named_of(ty), v) {
            if let Some(TypeDef { kind: TypeKind::Struct(st), is_input: true, .. }) = self.api.types.get(name) {
                return self.structure_parts(name, st, obj);
            }
        }
        self.value(ty, v, Ctx::Arg).map(|e| (e, Vec::new()))
    }

    /// `Name::new(required..)` then a setter per shown optional field.
    fn structure(&mut self, name: &str, st: &Struct, obj: &Map<String, Value>) -> Option<String> {
        self.structure_parts(name, st, obj).map(|(head, setters)| format!("{head}{}", setters.concat()))
    }

    /// [`Render::structure`] as the constructor and the setters (`.x(v)`).
    fn structure_parts(&mut self, name: &str, st: &Struct, obj: &Map<String, Value>) -> Option<(String, Vec<String>)> {
        self.uses.insert(name.to_string());
        let mut args = Vec::new();
        for f in st.fields.iter().filter(|f| f.required) {
            let v = obj.get(&f.wire)?;
            // `impl Into<Option<T>>` of a nullable field takes a `T`, not a `&str`.
            let ctx = if f.nullable { Ctx::Exact } else { Ctx::Arg };
            args.push(if v.is_null() && f.nullable { "None".to_string() } else { self.value(&f.ty, v, ctx)? });
        }
        let head = format!("{name}::new({})", args.join(", "));
        let mut setters = Vec::new();
        let mut shown = 0;
        for f in st.fields.iter().filter(|f| !f.required) {
            if shown == OPTIONAL_FIELDS_SHOWN {
                break;
            }
            let Some(v) = obj.get(&f.wire).filter(|v| !v.is_null()) else { continue };
            // A value that cannot be written is left out (it is optional).
            if let Some(expr) = self.value(&f.ty, v, Ctx::Arg) {
                setters.push(format!(".{}({expr})", setter_name(st, f)));
                shown += 1;
            }
        }
        Some((head, setters))
    }
}

/// The setter of an optional field, as `emit/types.rs` names it: the field's
/// identifier, with `_` appended where it would be `new` (claimed first).
fn setter_name(st: &Struct, f: &Field) -> String {
    let mut scope = crate::naming::Scope::with_reserved(&["new"]);
    let mut name = String::new();
    for other in st.fields.iter().filter(|o| !o.required) {
        let claimed = scope.claim(&other.ident);
        // A nullable field's `x_null` is claimed right after its `x`.
        if other.nullable {
            scope.claim(&format!("{}_null", crate::naming::unraw(&other.ident)));
        }
        if std::ptr::eq(other, f) {
            name = claimed;
            break;
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn build(raw: &Value, schema: &Value, mode: Mode) -> Option<Value> {
        Builder::new(raw, mode).build(schema, 0)
    }

    #[test]
    fn schema_values_follow_refs_enums_formats_and_stop_at_cycles() {
        let raw = json!({"components": {"schemas": {
            "Node": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "format": "uuid"},
                "next": {"$ref": "#/components/schemas/Node"},
                "kind": {"type": "string", "enum": ["a", "b"]},
                "at": {"type": "string", "format": "date-time"},
                "n": {"type": "integer", "minimum": 3},
                "tags": {"type": "array", "items": {"type": "string", "example": "x"}}
            }}
        }}});
        let node = json!({"$ref": "#/components/schemas/Node"});
        let full = build(&raw, &node, Mode::Full).unwrap();
        assert_eq!(full["id"], "3fa85f64-5717-4562-b3fc-2c963f66afa6");
        assert_eq!(full["kind"], "a");
        assert_eq!(full["at"], "2024-01-01T00:00:00Z");
        assert_eq!(full["n"], 3);
        assert_eq!(full["tags"], json!(["x"]));
        assert!(full.get("next").is_none(), "the cycle stops: {full}");
        // Sparse: required properties and those with an example (or an enum).
        let sparse = build(&raw, &node, Mode::Sparse).unwrap();
        let keys: Vec<&String> = sparse.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "kind"]);
    }

    #[test]
    fn examples_win_over_schemas_and_files_are_left_out_of_multipart() {
        let raw = json!({"components": {"examples": {"E": {"value": {"a": 1}}}}});
        let media = json!({"content": {"application/json": {
            "schema": {"type": "object"},
            "examples": {"first": {"$ref": "#/components/examples/E"}}
        }}});
        assert_eq!(media_example(&raw, &media, None, Mode::Full), Some(json!({"a": 1})));
        let form = json!({"content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file", "to"], "properties": {
            "file": {"type": "string", "format": "binary"},
            "to": {"type": "string", "example": "+1"}
        }}}}});
        assert_eq!(media_example(&raw, &form, Some("multipart/form-data"), Mode::SparseNoFiles), Some(json!({"to": "+1"})));
        assert_eq!(status_code("2XX"), 200);
        assert_eq!(status_code("202"), 202);
    }

    #[test]
    fn maps_are_written_with_their_type_and_entries() {
        let api = Api::default();
        let mut r = Render { api: &api, krate: CRATE, uses: BTreeSet::new() };
        let json_map = Ty::Map(Box::new(Ty::Json));
        assert_eq!(r.value(&json_map, &json!({"position": 5}), Ctx::Arg).unwrap(), "serde_json::Map::from_iter([(\"position\".to_string(), serde_json::json!(5))])");
        assert_eq!(r.value(&json_map, &json!({}), Ctx::Arg).unwrap(), "serde_json::Map::new()");
        let typed = Ty::Map(Box::new(Ty::String));
        assert_eq!(r.value(&typed, &json!({"a": "b"}), Ctx::Arg).unwrap(), "std::collections::BTreeMap::from([(\"a\".to_string(), \"b\".to_string())])");
        assert_eq!(r.value(&typed, &json!({"a": 1}), Ctx::Arg).unwrap(), "std::collections::BTreeMap::new()");
    }
}

/// The doc examples of the runtime's modules, written with one of the API's
/// own operations, by the marker name that fences the runtime's own
/// example in its source (`<!-- example: testing -->` .. `<!-- /example
/// -->`, see `package::replace_examples`): `testing` (the test double: a
/// call answered with the document's example, the request recorded, an
/// answer changed; run as a doctest) and `blocking` (the same call on the
/// blocking client; compiled only). The operation is the first whose call
/// `method_doc` can write that is neither paged nor an upload; an API
/// without one gets examples that name no operation. Markdown, the crate
/// named `crate_name`.
pub fn runtime_examples(api: &Api, crate_name: &str) -> BTreeMap<String, String> {
    let krate = crate_name.replace('-', "_");
    let call = first_call(api, &krate);
    let mut out = BTreeMap::new();
    let toml = "```toml\n[dev-dependencies]\n@name@ = { version = \"@version@\", features = [\"testing\"] }\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n```\n\n".replace("@name@", crate_name);
    let testing = match &call {
        Some((id, uses, expr)) => {
            let id = str_literal(&mock_key(id));
            let mut t = format!("```\nuse {krate}::testing::{{MockResponse, MockServer}};\n");
            for u in uses {
                t.push_str(&format!("{u}\n"));
            }
            t.push_str("\n# #[tokio::main(flavor = \"current_thread\")]\n# async fn main() -> Result<(), Box<dyn std::error::Error>> {\n");
            t.push_str("let mock = MockServer::start().await;\nlet client = mock.client(); // a Client pointed at the mock\n\n");
            t.push_str("// By default every operation answers with the document's example.\n");
            t.push_str(&format!("let answer = {expr}.await;\nprintln!(\"{{answer:?}}\");\n\n"));
            t.push_str(&format!("// Assert on what your code sent.\nlet requests = mock.received({id});\nassert_eq!(requests.len(), 1);\nprintln!(\"{{}} {{}}\", requests[0].method, requests[0].path);\n\n"));
            t.push_str("// Change an answer: a status and body, headers, a delay.\n");
            t.push_str(&format!("mock.on({id}).respond(MockResponse::json(404, serde_json::json!({{\"message\": \"not found\"}})));\n"));
            t.push_str(&format!("let err = {expr}.await.unwrap_err();\nassert!(err.is_not_found());\n# Ok(()) }}\n```\n"));
            t
        }
        None => format!(
            "```\nuse {krate}::testing::MockServer;\n\n# #[tokio::main(flavor = \"current_thread\")]\n# async fn main() {{\nlet mock = MockServer::start().await;\nlet client = mock.client(); // a Client pointed at the mock\nprintln!(\"{{}}\", client.base_url());\nfor op in MockServer::operations() {{\n    println!(\"{{}}\", op.id);\n}}\n# }}\n```\n"
        ),
    };
    out.insert("testing-toml".to_string(), toml);
    out.insert("testing".to_string(), testing);
    let mut blocking = "```no_run\n# fn run() -> Result<(), Box<dyn std::error::Error>> {\n".to_string();
    if let Some((_, uses, _)) = &call {
        for u in uses {
            blocking.push_str(&format!("{u}\n"));
        }
        if !uses.is_empty() {
            blocking.push('\n');
        }
    }
    blocking.push_str(&format!("let client = {krate}::blocking::Client::from_env()?; // credentials from the environment (see `{krate}::config`)\n"));
    match &call {
        Some((_, _, expr)) => blocking.push_str(&format!("let response = {expr}.send()?;\nprintln!(\"{{response:?}}\");\n")),
        None => blocking.push_str("let _ = client;\n"),
    }
    blocking.push_str("# Ok(()) }\n```\n");
    out.insert("blocking".to_string(), blocking);
    out.insert("pages".to_string(), pages_example(api, &krate));
    out
}

/// The call of the first operation whose example [`method_example`] writes
/// that is neither paged nor an upload: its id, the example's `use` lines
/// and the call expression without `.await` (`client.faxes().retrieve("..")`),
/// the crate named `krate` (an identifier). For the runtime's examples and
/// the agent skill's error-handling example.
pub(crate) fn first_call(api: &Api, krate: &str) -> Option<(String, Vec<String>, String)> {
    api.operations.iter().filter(|op| !api.paging.contains_key(&op.id)).find_map(|op| {
        let (method, body) = match op.body.first() {
            None => (op.name.as_str(), None),
            Some(b) if b.encoding == BodyEncoding::Json && super::uploads::merged(api, op).is_none() => (b.method_name.as_str(), Some(b)),
            Some(_) => return None,
        };
        let ex = method_example(api, op, method, body)?;
        let uses: Vec<String> = ex.uses.iter().map(|l| l.replace(CRATE, krate)).collect();
        Some((op.id.clone(), uses, ex.call.replace(CRATE, krate)))
    })
}

/// The example of `OperationMock::pages`: the API's first paged list
/// operation scripted with two pages of JSON items (compiled, not run: the
/// items' fields are the document's to say, and any value that serializes
/// is accepted); for an API without a paged list, a sentence saying so
/// (the fax crate's example would not compile there).
fn pages_example(api: &Api, krate: &str) -> String {
    // The first list the test double can page (`pages` panics on any other).
    match api.operations.iter().find(|op| super::mock::page_shape(api, op).is_some()) {
        Some(op) => format!(
            "```no_run\n# use {krate}::testing::MockServer;\n# async fn run(mock: &MockServer) {{\n// Two pages of items (typed values, or JSON as here): a client walking the list gets both.\nmock.on({}).pages(vec![vec![serde_json::json!({{\"id\": 1}})], vec![serde_json::json!({{\"id\": 2}})]]);\n# }}\n```\n",
            str_literal(&mock_key(&op.id))
        ),
        None => "This API has no paged list operation.\n".to_string(),
    }
}

/// The name a test names an operation by in the test double
/// (`mock.on(..)`): its operationId when that is an identifier, else the
/// same words as a lowerCamelCase one (`find pet by id` -> `findPetById`),
/// which the test double's lookup accepts (same letters and digits).
pub fn mock_key(operation_id: &str) -> String {
    use heck::ToLowerCamelCase;
    let is_ident = operation_id.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && operation_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if is_ident || !operation_id.is_ascii() {
        return operation_id.to_string();
    }
    let camel = operation_id.to_lower_camel_case();
    let same_letters = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect::<String>();
    if same_letters(&camel) == same_letters(operation_id) && !camel.is_empty() { camel } else { operation_id.to_string() }
}

#[cfg(test)]
mod mock_key_tests {
    use super::mock_key;

    /// A test names an operation by an identifier it can write.
    #[test]
    fn mock_keys_are_identifiers() {
        assert_eq!(mock_key("find pet by id"), "findPetById");
        assert_eq!(mock_key("get-user.repos"), "getUserRepos");
        assert_eq!(mock_key("SendFax"), "SendFax");
        assert_eq!(mock_key("list_items"), "list_items");
        // Not ASCII: kept (the lookup compares ASCII letters and digits).
        assert_eq!(mock_key("créer facture"), "créer facture");
    }
}
