//! The Rust source of the harness compiled inside the generated crate (example
//! targets, so they link the crate like a user would; several [`Chunk`]s for
//! a big document, each its own crate and rustc process, every one with the
//! same `main`):
//!
//! * `examples FILE`: each case names a type by index and gives a value; the
//!   value is decoded with `serde_path_to_error` (so a failure names its
//!   path), encoded again, and the decoded value is walked by a generated
//!   `Probe` impl per named type that reports keys kept in a struct's
//!   unknown-fields map, `Unknown` enum values and the union member chosen;
//! * `ops BASE_URL FILE`: each case names an operation call by index with
//!   its arguments as JSON (decoded into the argument types the generated
//!   method takes), extra auth headers and query pairs; the call is sent
//!   once (no retries) and its outcome printed.
//!
//! One JSON line per case on stdout; a panic in one case is caught and
//! reported as that case's error.

use codegen::ir::{Api, Ty, TypeKind};
use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;

/// The library name the harness imports (`conform_<slug>`).
pub struct HarnessInput<'a> {
    /// Library crate name (underscored).
    pub lib: &'a str,
    /// The API.
    pub api: &'a Api,
    /// Decode targets, by index.
    pub targets: &'a [(Ty, bool)],
    /// Operation calls, by index.
    pub calls: &'a [Call],
    /// Builder calls that give the client its credentials (`.api_key("..")`).
    pub credentials: &'a str,
}

/// One call of a generated method.
#[derive(Debug, Clone)]
pub struct Call {
    /// `operationId`.
    pub op_id: String,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// Accessors from the client to the method's handle (`faxes`, `actions`).
    pub accessors: Vec<String>,
    /// Method name.
    pub method: String,
    /// Arguments in order: name and the Rust type as emitted (`&str`, `crate::types::X`).
    pub args: Vec<(String, String)>,
    /// File name of a file argument (its extension from the declared media type).
    pub file_name: String,
    /// Whether the body is sent form-encoded.
    pub form_body: bool,
    /// Whether the body is sent as `multipart/form-data`.
    pub multipart: bool,
}

/// Named types whose derive list has no serde (they hold a file part):
/// the emitter's own answer, so the harness never disagrees with it.
pub fn binary_types(api: &Api) -> HashSet<String> {
    codegen::emit::binary_types(&api.types)
}

/// Whether decoding into `ty` can be compiled (serde on every part).
pub fn decodable(ty: &Ty, binary: &HashSet<String>) -> bool {
    match ty {
        Ty::Binary => false,
        Ty::Named(n) => !binary.contains(n),
        Ty::Vec(t) | Ty::Map(t) | Ty::Boxed(t) => decodable(t, binary),
        _ => true,
    }
}

/// Rust spelling of `ty` from outside the crate.
pub fn rs(ty: &Ty, lib: &str) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::F64 => "f64".into(),
        Ty::DateTime => "::chrono::DateTime<::chrono::Utc>".into(),
        Ty::Date => "::chrono::NaiveDate".into(),
        Ty::Binary => format!("{lib}::FileUpload"),
        Ty::Json => "::serde_json::Value".into(),
        Ty::Named(n) => format!("{lib}::types::{}", raw(n)),
        Ty::Vec(t) => format!("Vec<{}>", rs(t, lib)),
        Ty::Map(t) if **t == Ty::Json => "::serde_json::Map<String, ::serde_json::Value>".into(),
        Ty::Map(t) => format!("::std::collections::BTreeMap<String, {}>", rs(t, lib)),
        Ty::Boxed(t) => format!("Box<{}>", rs(t, lib)),
    }
}

/// A type name that is a keyword needs the raw form.
fn raw(n: &str) -> String {
    codegen::naming::ident(n).to_string()
}

/// A Rust string literal.
fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// One harness example: a part of the decode targets and calls, compiled
/// as its own crate so that no rustc process holds every type's serde code.
pub struct Chunk {
    /// Example (and binary) name.
    pub name: String,
    /// Its source.
    pub source: String,
    /// Decode target indices it handles (global, as in the cases files).
    pub targets: Vec<usize>,
    /// Call indices it handles (global).
    pub calls: Vec<usize>,
}

/// How much goes into one harness example.
///
/// The whole Telnyx API in one example (41 k lines, serde code of ~4,900
/// types monomorphized in one crate) drove rustc past 24 GB; a chunk holds
/// decode targets until the named types they reach (each one's serde and
/// `Probe` code is instantiated in the chunk) pass `types`, and each call
/// counts as `call_weight` types (its request and response serde and
/// futures).
#[derive(Debug, Clone, Copy)]
pub struct ChunkBudget {
    /// Named types reached per chunk.
    pub types: usize,
    /// What one call counts for.
    pub call_weight: usize,
}

impl Default for ChunkBudget {
    fn default() -> Self {
        ChunkBudget { types: 400, call_weight: 4 }
    }
}

/// The harness split into examples named `{prefix}_NN`: decode targets
/// first (packed by the named types they reach, in document order, so
/// neighbours that share types share a chunk), then calls. A document small
/// enough gets one example.
pub fn chunks(input: &HarnessInput, prefix: &str, budget: ChunkBudget) -> Vec<Chunk> {
    let binary = binary_types(input.api);
    // (targets, calls, named types reached)
    let mut parts: Vec<(Vec<usize>, Vec<usize>, BTreeSet<String>)> = vec![Default::default()];
    let weight = |p: &(Vec<usize>, Vec<usize>, BTreeSet<String>)| p.2.len() + p.1.len() * budget.call_weight;
    for (i, (ty, _)) in input.targets.iter().enumerate() {
        let mut reach = BTreeSet::new();
        reached(ty, input.api, &binary, &mut reach);
        let last = parts.last_mut().map(|p| {
            let added = reach.difference(&p.2).count();
            !p.0.is_empty() && weight(p) + added > budget.types
        });
        if last == Some(true) {
            parts.push(Default::default());
        }
        if let Some(p) = parts.last_mut() {
            p.0.push(i);
            p.2.extend(reach);
        }
    }
    for i in 0..input.calls.len() {
        let full = parts.last().is_some_and(|p| (!p.0.is_empty() || !p.1.is_empty()) && weight(p) + budget.call_weight > budget.types);
        if full {
            parts.push(Default::default());
        }
        if let Some(p) = parts.last_mut() {
            p.1.push(i);
        }
    }
    let width = parts.len().to_string().len().max(2);
    parts
        .into_iter()
        .enumerate()
        .map(|(n, (targets, calls, reach))| {
            let name = format!("{prefix}_{:0width$}", n + 1);
            let source = chunk_source(input, &binary, &targets, &calls, &reach);
            Chunk { name, source, targets, calls }
        })
        .collect()
}

/// The named types (not aliases, not file-holding) whose `Probe` impl a
/// decode into `ty` uses: the walk `Probe` itself does.
fn reached(ty: &Ty, api: &Api, binary: &HashSet<String>, out: &mut BTreeSet<String>) {
    match ty {
        Ty::Named(n) => {
            if binary.contains(n) || out.contains(n) {
                return;
            }
            match api.types.get(n).map(|d| &d.kind) {
                Some(TypeKind::Alias(t)) => reached(t, api, binary, out),
                Some(TypeKind::Struct(st)) => {
                    out.insert(n.clone());
                    for f in &st.fields {
                        reached(&f.ty, api, binary, out);
                    }
                }
                Some(TypeKind::Union(u)) => {
                    out.insert(n.clone());
                    for v in &u.variants {
                        reached(&v.ty, api, binary, out);
                    }
                }
                Some(TypeKind::Enum(_)) => {
                    out.insert(n.clone());
                }
                None => {}
            }
        }
        Ty::Vec(t) | Ty::Map(t) | Ty::Boxed(t) => reached(t, api, binary, out),
        _ => {}
    }
}

/// One example's source: `Probe` impls for the types its targets reach, its
/// decode and call arms (other indices answer "no such ...").
fn chunk_source(input: &HarnessInput, binary: &HashSet<String>, targets: &[usize], calls: &[usize], reach: &BTreeSet<String>) -> String {
    let lib = input.lib;
    let mut s = String::new();
    s.push_str(PRELUDE);
    // Probe impls, one per named struct, enum and union with serde.
    for (name, def) in input.api.types.iter().filter(|(n, _)| reach.contains(*n)) {
        if binary.contains(name) {
            continue;
        }
        let ty = format!("{lib}::types::{}", raw(name));
        let tn = lit(name);
        let body = match &def.kind {
            TypeKind::Struct(st) => {
                let mut b = String::new();
                for f in st.fields.iter().filter(|f| probed(&f.ty, input.api)) {
                    let _ = writeln!(b, "        Probe::probe(&self.{}, &format!(\"{{p}}/{}\"), out);", f.ident, esc_fmt(&pointer_token(&f.wire)));
                }
                if st.keep_unknown {
                    let _ = writeln!(
                        b,
                        "        for k in self.{}.keys() {{ out.push(finding(\"unknown_key\", p, {tn}, k)); }}",
                        st.additional_name
                    );
                }
                b
            }
            // `is_unknown`/`as_str`: on generated enums and on the runtime's `Const` alike.
            TypeKind::Enum(_) => format!("        if self.is_unknown() {{ out.push(finding(\"unknown_enum\", p, {tn}, self.as_str())); }}\n"),
            TypeKind::Union(u) => {
                let mut b = String::from("        #[allow(unreachable_patterns)]\n        match self {\n");
                for v in &u.variants {
                    let walk = if probed(&v.ty, input.api) { "Probe::probe(x, p, out);" } else { "let _ = x;" };
                    let _ = writeln!(b, "            Self::{}(x) => {{ out.push(finding(\"variant\", p, {tn}, {})); {walk} }}", v.ident, lit(&v.ident));
                }
                let _ = writeln!(b, "            _ => out.push(finding(\"unknown_variant\", p, {tn}, \"\")),\n        }}");
                b
            }
            TypeKind::Alias(_) => continue,
        };
        let _ = writeln!(s, "impl Probe for {ty} {{\n    #[allow(unused_variables)]\n    fn probe(&self, p: &str, out: &mut Vec<Value>) {{\n{body}    }}\n}}");
    }
    // Decode dispatch.
    s.push_str("fn decode(t: usize, v: Value) -> Value {\n    match t {\n");
    for &i in targets {
        let (ty, nullable) = &input.targets[i];
        let t = rs(ty, lib);
        let t = if *nullable { format!("Option<{t}>") } else { t };
        let f = if probed(ty, input.api) { "check" } else { "check_leaf" };
        let _ = writeln!(s, "        {i} => {f}::<{t}>(v),");
    }
    s.push_str("        _ => json!({\"error\": \"no such type\"}),\n    }\n}\n");
    // Operation calls.
    s.push_str("async fn call(i: usize, c: &Client, args: &[Value], headers: &[(String, String)], query: &[(String, String)]) -> Value {\n    match i {\n");
    for &i in calls {
        s.push_str(&call_arm(i, &input.calls[i], input.api, lib, binary));
    }
    s.push_str("        _ => json!({\"arg_error\": \"no such call\"}),\n    }\n}\n");
    s.push_str(&MAIN.replace("LIB", lib).replace(".CREDENTIALS", input.credentials));
    s
}

/// The `match` arm that makes call `i`.
fn call_arm(i: usize, call: &Call, api: &Api, lib: &str, binary: &HashSet<String>) -> String {
    let mut b = String::new();
    let mut pass = Vec::new();
    for (n, (name, ty)) in call.args.iter().enumerate() {
        let var = format!("a{n}");
        let ty = ty.replace("crate ::", "crate::").replace("crate::", &format!("{lib}::"));
        let mut compact: String = ty.chars().filter(|c| !c.is_whitespace()).collect();
        // `impl Into<X>` arguments get an `X`.
        if let Some(inner) = compact.strip_prefix("impl::std::convert::Into<").or_else(|| compact.strip_prefix("implInto<")) {
            compact = inner.strip_suffix('>').unwrap_or(inner).to_string();
        }
        let ty = if ty.trim_start().starts_with("impl") { compact.clone() } else { ty };
        let holds_file = compact.split("::types::").skip(1).any(|rest| {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            binary.contains(&name)
        });
        let own = compact.strip_prefix(&format!("{lib}::types::")).filter(|n| binary.contains(*n));
        if let Some(expr) = own.and_then(|t| file_struct(t, api, lib, binary, &call.file_name, &format!("first_object(&args[{n}])"), 0)) {
            let _ = writeln!(
                b,
                "            let {var} = match (|| -> Result<_, String> {{ Ok({expr}) }})() {{ Ok(v) => v, Err(e) => return json!({{\"arg_error\": format!(\"argument `{}`: {{e}}\")}}) }};",
                name.replace('"', "")
            );
            pass.push(var);
            continue;
        }
        if holds_file {
            let _ = writeln!(b, "            return json!({{\"unbuildable\": \"argument `{}`: {} holds a file part (no serde): the harness cannot build it from JSON\"}});", name.replace('"', ""), compact.replace('"', ""));
            return format!("        {i} => {{\n{b}        }}\n");
        }
        if compact == "&str" {
            let _ = writeln!(b, "            let {var} = arg_str(&args[{n}]);");
            pass.push(format!("&{var}"));
        } else if compact.ends_with("::FileUpload") {
            // Named as the declared media type suggests, as a user's file would be.
            let _ = writeln!(b, "            let {var} = {lib}::FileUpload::from_bytes({}, b\"%PDF-1.4 conform\".to_vec());", lit(&call.file_name));
            pass.push(var);
        } else {
            let _ = writeln!(
                b,
                "            let {var}: {ty} = match pick(&args[{n}]) {{ Ok(v) => v, Err(e) => return json!({{\"arg_error\": format!(\"argument `{}`: {{e}}\")}}) }};",
                name.replace('"', "")
            );
            pass.push(var);
        }
    }
    let chain: String = call.accessors.iter().map(|a| format!(".{a}()")).collect();
    format!("        {i} => {{\n{b}            let r = c{chain}.{}({});\n            finish!(r, headers, query)\n        }}\n", call.method, pass.join(", "))
}

/// An expression that builds the file-holding struct `name` (no serde, so
/// not from JSON as a whole) field by field from the example object `obj`
/// (optional fields it lacks stay unset); every file field gets a small
/// in-memory file. `None` for what this does
/// not reach (a union of other members, deep nesting).
#[allow(clippy::too_many_arguments)]
fn file_struct(name: &str, api: &Api, lib: &str, binary: &HashSet<String>, file_name: &str, obj: &str, depth: usize) -> Option<String> {
    if depth > 4 {
        return None;
    }
    let st = match api.types.get(name).map(|d| &d.kind) {
        Some(TypeKind::Struct(st)) => st,
        // A union of such structs (Telnyx's VoiceCloneUploadRequest): the
        // first member the example builds (each tried in a closure whose
        // `?` stops at that member).
        Some(TypeKind::Union(u)) => {
            let tries: Vec<String> = u
                .variants
                .iter()
                .filter_map(|v| match &v.ty {
                    Ty::Named(n) => file_struct(n, api, lib, binary, file_name, obj, depth + 1).map(|e| {
                        format!("match (|| -> Result<_, String> {{ Ok({lib}::types::{}::{}({e})) }})() {{ Ok(v) => return Ok(v), Err(e) => errs.push(e) }}", raw(name), v.ident)
                    }),
                    _ => None,
                })
                .collect();
            if tries.is_empty() {
                return None;
            }
            return Some(format!("(|| -> Result<_, String> {{ let mut errs: Vec<String> = Vec::new(); {} Err(errs.join(\"; \")) }})()?", tries.join(" ")));
        }
        _ => return None,
    };
    let o = format!("o{depth}");
    let file = format!("{lib}::FileUpload::from_bytes({}, b\"%PDF-1.4 conform\".to_vec())", lit(file_name));
    // A field's value, or `None` when this field cannot be built.
    let value = |f: &codegen::ir::Field| -> Option<String> {
        match &f.ty {
            Ty::Binary => Some(file.clone()),
            Ty::Vec(t) if **t == Ty::Binary => Some(format!("vec![{file}]")),
            Ty::Named(n) if binary.contains(n) => file_struct(n, api, lib, binary, file_name, &format!("&{o}[{}]", lit(&f.wire)), depth + 1),
            t if decodable(t, binary) => {
                let t = rs(t, lib);
                let t = if f.nullable && f.required { format!("Option<{t}>") } else { t };
                Some(format!(
                    "one::<{t}>(&{o}[{}]).map_err(|e| format!(\"field `{}`: {{e}}\"))?",
                    lit(&f.wire),
                    f.wire.replace('"', "").replace('{', "{{").replace('}', "}}")
                ))
            }
            _ => None,
        }
    };
    // A struct literal (fields are public): types used only inside a union
    // have no `new(..)` builder.
    let input = api.types.get(name).is_some_and(|d| d.is_input);
    let mut e = format!("{{ let {o}: &Value = {obj}; {lib}::types::{} {{", raw(name));
    for f in &st.fields {
        let v = value(f);
        if f.required {
            let _ = write!(e, " {}: Into::into({}),", f.ident, v?);
            continue;
        }
        let wrap = |v: &str| if f.nullable && input { format!("Some(Some(Into::into({v})))") } else { format!("Some(Into::into({v}))") };
        let is_file = matches!(&f.ty, Ty::Binary) || matches!(&f.ty, Ty::Vec(t) if **t == Ty::Binary);
        match v {
            None => {
                let _ = write!(e, " {}: None,", f.ident);
            }
            Some(v) if is_file => {
                let _ = write!(e, " {}: {},", f.ident, wrap(&v));
            }
            Some(v) => {
                let _ = write!(e, " {}: if {o}[{}].is_null() {{ None }} else {{ {} }},", f.ident, lit(&f.wire), wrap(&v));
            }
        }
    }
    if st.keep_unknown {
        let _ = write!(e, " {}: Default::default(),", st.additional_name);
    }
    e.push_str(" } }");
    Some(e)
}

/// Whether values of `ty` are walked: those that reach a named struct, enum
/// or union (leaves are left alone, so the harness does not depend on how
/// the generator spells a date or a number).
fn probed(ty: &Ty, api: &Api) -> bool {
    match ty {
        Ty::Named(n) => match api.types.get(n).map(|d| &d.kind) {
            Some(TypeKind::Alias(t)) => probed(t, api),
            Some(_) => true,
            None => false,
        },
        Ty::Vec(t) | Ty::Map(t) | Ty::Boxed(t) => probed(t, api),
        _ => false,
    }
}

/// A property name as a JSON-pointer token.
fn pointer_token(wire: &str) -> String {
    wire.replace('~', "~0").replace('/', "~1")
}

/// Escapes text for the inside of a `format!` string literal.
fn esc_fmt(s: &str) -> String {
    let lit = format!("{s:?}");
    let inner = &lit[1..lit.len() - 1];
    inner.replace('{', "{{").replace('}', "}}")
}

/// Helper types and functions that do not depend on the document.
const PRELUDE: &str = r#"//! @generated by `cargo xtask conform`: decodes the document's examples and
//! calls every operation through the generated client. Not part of the crate.
#![allow(clippy::all, unused_imports, unused_macros, dead_code, deprecated, non_snake_case)]
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};
use std::io::Write;

/// Walks a decoded value and reports where data went.
trait Probe {
    fn probe(&self, p: &str, out: &mut Vec<Value>);
}
macro_rules! leaf { ($($t:ty),*) => { $(impl Probe for $t { fn probe(&self, _: &str, _: &mut Vec<Value>) {} })* } }
leaf!(String, bool, i32, i64, f64, Value, ::chrono::DateTime<::chrono::Utc>, ::chrono::NaiveDate, ::serde_json::Map<String, Value>);
impl<T: Probe> Probe for Option<T> {
    fn probe(&self, p: &str, out: &mut Vec<Value>) { if let Some(v) = self { v.probe(p, out) } }
}
impl<T: Probe> Probe for Box<T> {
    fn probe(&self, p: &str, out: &mut Vec<Value>) { (**self).probe(p, out) }
}
impl<T: Probe> Probe for Vec<T> {
    fn probe(&self, p: &str, out: &mut Vec<Value>) { for (i, v) in self.iter().enumerate() { v.probe(&format!("{p}/{i}"), out) } }
}
impl<T: Probe> Probe for ::std::collections::BTreeMap<String, T> {
    fn probe(&self, p: &str, out: &mut Vec<Value>) {
        for (k, v) in self { v.probe(&format!("{p}/{}", k.replace('~', "~0").replace('/', "~1")), out) }
    }
}
fn finding(kind: &str, path: &str, ty: &str, detail: &str) -> Value {
    json!({"kind": kind, "path": path, "type": ty, "detail": detail})
}
fn check<T: DeserializeOwned + Serialize + Probe>(v: Value) -> Value {
    match serde_path_to_error::deserialize::<_, T>(v) {
        Ok(t) => {
            let mut findings = Vec::new();
            t.probe("", &mut findings);
            match serde_json::to_value(&t) {
                Ok(out) => json!({"output": out, "findings": findings}),
                Err(e) => json!({"error": format!("re-encoding failed: {e}")}),
            }
        }
        Err(e) => {
            let path = e.path().to_string();
            json!({"error": format!("{} (at `{}`)", e.inner(), path)})
        }
    }
}
fn check_leaf<T: DeserializeOwned + Serialize>(v: Value) -> Value {
    match serde_path_to_error::deserialize::<_, T>(v) {
        Ok(t) => match serde_json::to_value(&t) {
            Ok(out) => json!({"output": out}),
            Err(e) => json!({"error": format!("re-encoding failed: {e}")}),
        },
        Err(e) => json!({"error": format!("{} (at `{}`)", e.inner(), e.path())}),
    }
}
/// The first candidate value (the document's example, then a sample of the
/// schema) that decodes into the argument's type.
fn pick<T: DeserializeOwned>(candidates: &Value) -> Result<T, String> {
    let list = match candidates { Value::Array(a) => a.clone(), other => vec![other.clone()] };
    let mut first = None;
    for c in list {
        match serde_json::from_value::<T>(c) {
            Ok(v) => return Ok(v),
            Err(e) => { first.get_or_insert(e.to_string()); }
        }
    }
    Err(first.unwrap_or_else(|| "no value".to_string()))
}
/// One value (not a list of candidates) into `T`.
fn one<T: DeserializeOwned>(v: &Value) -> Result<T, String> {
    serde_json::from_value::<T>(v.clone()).map_err(|e| e.to_string())
}
/// The first candidate that is a JSON object (the example of a form body).
fn first_object(candidates: &Value) -> &Value {
    static EMPTY: Value = Value::Null;
    match candidates {
        Value::Array(a) => a.iter().find(|v| v.is_object()).unwrap_or(&EMPTY),
        other => other,
    }
}
fn arg_str(candidates: &Value) -> String {
    let v = match candidates { Value::Array(a) => a.first().cloned().unwrap_or(Value::Null), other => other.clone() };
    match v { Value::String(s) => s, Value::Null => String::new(), other => other.to_string() }
}
macro_rules! finish {
    ($req:expr, $headers:expr, $query:expr) => {{
        let mut r = $req.max_retries(0);
        for (k, v) in $headers { r = r.header(k, v); }
        for (k, v) in $query { r = r.extra_query(k.clone(), v.clone()); }
        match r.send_with_response().await {
            Ok(_) => json!({"ok": true}),
            Err(e) => {
                let violations = e.headers().and_then(|h| h.get("sl-violations")).and_then(|v| v.to_str().ok()).map(str::to_string);
                json!({
                    "error": e.to_string(),
                    "decode": e.is_decode(),
                    "status": e.status().map(|s| s.as_u16()),
                    "violations": violations,
                    "body": e.raw_body().map(|b| if e.is_decode() { b.to_string() } else { b.chars().take(2000).collect::<String>() }),
                })
            }
        }
    }};
}
"#;

/// `main`: reads the cases and prints one line per case.
const MAIN: &str = r#"use LIB::Client;
fn line(v: Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{v}");
    let _ = out.flush();
}
fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_default()
}
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).cloned().unwrap_or_default();
    let file = if mode == "ops" { args.get(3) } else { args.get(2) }.cloned().unwrap_or_default();
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap_or_default();
    std::panic::set_hook(Box::new(|_| {}));
    if mode == "examples" {
        for case in cases {
            let id = case["id"].clone();
            let t = case["t"].as_u64().unwrap_or(u64::MAX) as usize;
            let v = case["value"].clone();
            let mut r = match std::panic::catch_unwind(|| decode(t, v)) {
                Ok(r) => r,
                Err(p) => json!({"error": format!("panicked: {}", panic_text(p))}),
            };
            r["id"] = id;
            line(r);
        }
        return;
    }
    let base = args.get(2).cloned().unwrap_or_default();
    let client = match Client::builder().base_url(base).CREDENTIALS.max_retries(0).timeout(std::time::Duration::from_secs(30)).build() {
        Ok(c) => c,
        Err(e) => { line(json!({"fatal": e.to_string()})); return; }
    };
    for case in cases {
        let id = case["id"].clone();
        let i = case["call"].as_u64().unwrap_or(u64::MAX) as usize;
        let args: Vec<Value> = serde_json::from_value(case["args"].clone()).unwrap_or_default();
        let pairs = |k: &str| -> Vec<(String, String)> { serde_json::from_value(case[k].clone()).unwrap_or_default() };
        let (headers, query) = (pairs("headers"), pairs("query"));
        let fut = std::panic::AssertUnwindSafe(call(i, &client, &args, &headers, &query));
        let mut r = match futures_util::FutureExt::catch_unwind(fut).await {
            Ok(r) => r,
            Err(p) => json!({"arg_error": format!("panicked: {}", panic_text(p))}),
        };
        r["id"] = id;
        line(r);
    }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The union-shapes fixture: every named type a target, every operation a call.
    fn fixture() -> codegen::Generated {
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/constructs/union_shapes.yml");
        codegen::generate_file(&spec, &codegen::EmitConfig::default()).expect("fixture generates")
    }

    #[test]
    fn chunks_cover_every_target_and_call_once() {
        let g = fixture();
        let targets: Vec<(Ty, bool)> = g.api.types.keys().map(|n| (Ty::Named(n.clone()), false)).collect();
        let calls = vec![
            Call {
                op_id: "x".into(),
                pointer: "/paths/~1x/get".into(),
                accessors: vec![],
                method: "x".into(),
                args: vec![],
                file_name: "conform.pdf".into(),
                form_body: false,
                multipart: false,
            };
            5
        ];
        let input = HarnessInput { lib: "conform_x", api: &g.api, targets: &targets, calls: &calls, credentials: "" };
        let one = chunks(&input, "conform_x", ChunkBudget { types: 100_000, call_weight: 4 });
        assert_eq!(one.len(), 1, "a small document is one example");
        assert_eq!(one[0].name, "conform_x_01");
        for budget in [1, 3, 8] {
            let parts = chunks(&input, "conform_x", ChunkBudget { types: budget, call_weight: 4 });
            assert!(parts.len() > 1, "budget {budget}: {} chunk(s)", parts.len());
            let mut seen_t: Vec<usize> = parts.iter().flat_map(|c| c.targets.clone()).collect();
            let mut seen_c: Vec<usize> = parts.iter().flat_map(|c| c.calls.clone()).collect();
            seen_t.sort();
            seen_c.sort();
            assert_eq!(seen_t, (0..targets.len()).collect::<Vec<_>>());
            assert_eq!(seen_c, (0..calls.len()).collect::<Vec<_>>());
            for c in &parts {
                // Each arm is in its own chunk only; every chunk has the same main.
                for &t in &c.targets {
                    assert!(c.source.contains(&format!("        {t} => check")), "{}: target {t}", c.name);
                }
                assert!(c.source.contains("async fn main()"));
            }
        }
    }

    #[test]
    fn a_chunk_probes_only_the_types_its_targets_reach() {
        let g = fixture();
        let names: Vec<&String> = g.api.types.keys().collect();
        let targets: Vec<(Ty, bool)> = names.iter().map(|n| (Ty::Named((*n).clone()), false)).collect();
        let input = HarnessInput { lib: "conform_x", api: &g.api, targets: &targets, calls: &[], credentials: "" };
        let parts = chunks(&input, "conform_x", ChunkBudget { types: 1, call_weight: 4 });
        let binary = binary_types(&g.api);
        for c in &parts {
            let mut reach = BTreeSet::new();
            for &t in &c.targets {
                reached(&targets[t].0, &g.api, &binary, &mut reach);
            }
            let probes = c.source.matches("impl Probe for conform_x::types::").count();
            assert_eq!(probes, reach.len(), "{}", c.name);
        }
    }
}
