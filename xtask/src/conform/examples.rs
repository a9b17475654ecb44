//! The examples half of the conformance run: every `example`/`examples`
//! value of the document, where it sits (JSON pointer), the schema it claims
//! to satisfy and the generated Rust type at that place; then, from what the
//! harness reports, whether it round-trips.
//!
//! An example is first validated against its own schema (see
//! [`super::schema`]); one that contradicts it is a `spec-defect`, not a
//! generator failure.

use super::report::{ExampleCounts, Failure};
use super::schema::{Resolver, SchemaCheck};
use codegen::ir::{Api, Ty, TypeKind};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One example to decode.
#[derive(Debug, Clone)]
pub struct ExampleCase {
    /// JSON pointer of the example value.
    pub pointer: String,
    /// JSON pointer of the schema it describes (`None`: no schema at that place).
    pub schema: Option<String>,
    /// The value (after resolving `$ref` to `components/examples`).
    pub value: Value,
    /// The generated type at the place, and whether `null` is allowed there.
    pub target: Option<(Ty, bool)>,
}

/// What kind of node the walk is in.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Other,
    Schema,
    SchemaMap,
    SchemaList,
    Param,
    ParamList,
    ContentMap,
    Media,
    Skip,
}

/// RFC 6901 escaping of one reference token.
pub fn esc(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Collects every example of `doc` in document order.
pub fn collect(doc: &Value, api: &Api) -> Vec<ExampleCase> {
    let places = Places::new(doc, api);
    let mut out = Vec::new();
    walk(doc, "", Kind::Other, doc, &places, &mut out);
    out
}

fn child_kind(parent: Kind, key: &str, ptr: &str) -> Kind {
    if key.starts_with("x-") {
        return Kind::Skip;
    }
    match parent {
        Kind::Skip => Kind::Skip,
        Kind::Other => match key {
            "schema" => Kind::Schema,
            "content" => Kind::ContentMap,
            "parameters" if ptr == "/components" => Kind::ParamList,
            "parameters" => Kind::ParamList,
            "schemas" if ptr == "/components" => Kind::SchemaMap,
            "headers" | "examples" | "example" | "links" | "securitySchemes" | "info" | "servers" | "tags" | "security" => Kind::Skip,
            _ => Kind::Other,
        },
        Kind::SchemaMap => Kind::Schema,
        Kind::SchemaList => Kind::Schema,
        Kind::ParamList => Kind::Param,
        Kind::ContentMap => Kind::Media,
        Kind::Media => match key {
            "schema" => Kind::Schema,
            _ => Kind::Skip,
        },
        Kind::Param => match key {
            "schema" => Kind::Schema,
            "content" => Kind::ContentMap,
            _ => Kind::Skip,
        },
        Kind::Schema => match key {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => Kind::SchemaMap,
            "allOf" | "oneOf" | "anyOf" | "prefixItems" => Kind::SchemaList,
            "items" | "additionalProperties" | "not" | "contains" | "propertyNames" | "if" | "then" | "else"
            | "unevaluatedProperties" | "unevaluatedItems" | "additionalItems" => Kind::Schema,
            _ => Kind::Skip,
        },
    }
}

/// The schema an example belongs to: its own, or, for an `allOf` member
/// that only annotates (`allOf: [{$ref: User}, {example: ...}]`), the schema
/// holding the `allOf` (the generator applies such members there, and the
/// member alone allows any value, so judging the example against it would
/// call a contradicting example valid).
fn holding_schema(ptr: &str, map: &serde_json::Map<String, Value>) -> String {
    const ANNOTATIONS: &[&str] = &[
        "description", "title", "nullable", "example", "examples", "default", "readOnly", "writeOnly", "deprecated",
        "externalDocs", "xml", "$comment",
    ];
    let annotation_only = map.keys().all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"));
    match ptr.rsplit_once('/').and_then(|(parent, last)| Some((parent.strip_suffix("/allOf")?, last))) {
        Some((holder, index)) if annotation_only && index.bytes().all(|b| b.is_ascii_digit()) => holder.to_string(),
        _ => ptr.to_string(),
    }
}

fn walk(node: &Value, ptr: &str, kind: Kind, doc: &Value, places: &Places, out: &mut Vec<ExampleCase>) {
    if kind == Kind::Skip {
        return;
    }
    match node {
        Value::Object(map) => {
            if matches!(kind, Kind::Schema | Kind::Param | Kind::Media) && !map.contains_key("$ref") {
                let schema = match kind {
                    Kind::Schema => Some(holding_schema(ptr, map)),
                    _ => map.contains_key("schema").then(|| format!("{ptr}/schema")),
                };
                let schema = schema.or_else(|| param_content_schema(map, ptr));
                let mut push = |pointer: String, value: Value| {
                    let target = schema.as_deref().and_then(|s| places.ty_at(s, 0));
                    out.push(ExampleCase { pointer, schema: schema.clone(), value, target });
                };
                if let Some(v) = map.get("example") {
                    push(format!("{ptr}/example"), v.clone());
                }
                match (kind, map.get("examples")) {
                    (Kind::Schema, Some(Value::Array(items))) => {
                        for (i, v) in items.iter().enumerate() {
                            push(format!("{ptr}/examples/{i}"), v.clone());
                        }
                    }
                    (Kind::Param | Kind::Media, Some(Value::Object(examples))) => {
                        for (name, ex) in examples {
                            let p = format!("{ptr}/examples/{}", esc(name));
                            if let Some(v) = resolve_example(ex, doc) {
                                push(format!("{p}/value"), v.clone());
                            }
                        }
                    }
                    _ => {}
                }
            }
            for (k, v) in map {
                if kind == Kind::Schema && (k == "example" || k == "examples") {
                    continue;
                }
                let child = format!("{ptr}/{}", esc(k));
                let ck = if kind == Kind::SchemaMap || kind == Kind::ParamList || kind == Kind::ContentMap {
                    child_kind(kind, "", ptr)
                } else {
                    child_kind(kind, k, ptr)
                };
                walk(v, &child, ck, doc, places, out);
            }
        }
        Value::Array(items) if matches!(kind, Kind::SchemaList | Kind::ParamList) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, &format!("{ptr}/{i}"), child_kind(kind, "", ptr), doc, places, out);
            }
        }
        _ => {}
    }
}

/// A parameter given by `content` instead of `schema`: its one media type's schema.
fn param_content_schema(map: &serde_json::Map<String, Value>, ptr: &str) -> Option<String> {
    let content = map.get("content")?.as_object()?;
    let (mt, m) = content.iter().next()?;
    m.get("schema").map(|_| format!("{ptr}/content/{}/schema", esc(mt)))
}

/// An Example Object's value, following one `$ref` to `components/examples`.
fn resolve_example<'a>(ex: &'a Value, doc: &'a Value) -> Option<&'a Value> {
    let mut ex = ex;
    for _ in 0..8 {
        match ex.get("$ref").and_then(Value::as_str) {
            Some(r) => ex = doc.pointer(&fragment_pointer(r)?)?,
            None => break,
        }
    }
    ex.get("value")
}

/// Finds the generated type for a schema pointer: named types by their
/// origin, operation bodies, responses and parameters by their place, then
/// properties, items and map values through their parent.
pub struct Places<'a> {
    doc: &'a Value,
    api: &'a Api,
    by_ptr: HashMap<String, (Ty, bool)>,
    /// Shared responses (`#/components/responses/RateLimited`) that
    /// operations use only under error statuses: read as a JSON value too.
    error_responses: BTreeSet<String>,
}

impl<'a> Places<'a> {
    /// Indexes `api` against `doc`.
    pub fn new(doc: &'a Value, api: &'a Api) -> Self {
        let mut by_ptr: HashMap<String, (Ty, bool)> = HashMap::new();
        let (mut error_refs, mut success_refs) = (BTreeSet::new(), BTreeSet::new());
        for (name, def) in &api.types {
            by_ptr.entry(def.origin.clone()).or_insert((Ty::Named(name.clone()), false));
        }
        for op in &api.operations {
            let raw = doc.pointer(&op.pointer);
            let body_base = raw.and_then(|o| o.get("requestBody")).and_then(ref_target).unwrap_or_else(|| format!("{}/requestBody", op.pointer));
            for b in &op.body {
                by_ptr.insert(format!("{body_base}/content/{}/schema", esc(&b.media_type)), (b.ty.clone(), false));
            }
            if let Some(responses) = raw.and_then(|o| o.get("responses")).and_then(Value::as_object) {
                for (status, resp) in responses {
                    if let Some(target) = ref_target(resp) {
                        if status.starts_with('2') { &mut success_refs } else { &mut error_refs }.insert(target);
                    }
                }
                for r in &op.responses {
                    let Some(ty) = &r.ty else { continue };
                    let Some(resp) = responses.get(&r.status) else { continue };
                    let base = ref_target(resp).unwrap_or_else(|| format!("{}/responses/{}", op.pointer, esc(&r.status)));
                    let resp = deref(resp, doc);
                    if let Some(content) = resp.get("content").and_then(Value::as_object) {
                        for mt in content.keys().filter(|m| is_json(m)) {
                            by_ptr.insert(format!("{base}/content/{}/schema", esc(mt)), (ty.clone(), false));
                        }
                    }
                }
            }
            // Parameters: the operation's own and its path item's, by name.
            let params: Vec<&codegen::ir::Param> = op.path_params.iter().chain(&op.required_params).chain(&op.optional_params).collect();
            let path_item = op.pointer.rsplit_once('/').map(|(p, _)| p.to_string()).unwrap_or_default();
            for base in [op.pointer.clone(), path_item] {
                let Some(list) = doc.pointer(&format!("{base}/parameters")).and_then(Value::as_array) else { continue };
                for (i, p) in list.iter().enumerate() {
                    let p = deref(p, doc);
                    let Some(name) = p.get("name").and_then(Value::as_str) else { continue };
                    if let Some(ir) = params.iter().find(|ir| ir.wire == name) {
                        let ptr = match p.get("schema") {
                            Some(_) => format!("{base}/parameters/{i}/schema"),
                            None => continue,
                        };
                        by_ptr.entry(ptr).or_insert((ir.ty.clone(), !ir.required));
                        // The same parameter through `$ref`: its component's schema.
                        if let Some(r) = list[i].get("$ref").and_then(Value::as_str) {
                            by_ptr.entry(format!("{}/schema", r.trim_start_matches('#'))).or_insert((ir.ty.clone(), !ir.required));
                        }
                    }
                }
            }
        }
        let error_responses = error_refs.difference(&success_refs).cloned().collect();
        Places { doc, api, by_ptr, error_responses }
    }

    /// The type at schema pointer `ptr` and whether `null` is accepted there.
    pub fn ty_at(&self, ptr: &str, depth: usize) -> Option<(Ty, bool)> {
        if depth > 16 {
            return None;
        }
        let schema = self.doc.pointer(ptr);
        let nullable = schema.is_some_and(schema_nullable);
        if let Some((ty, n)) = self.by_ptr.get(ptr) {
            return Some((ty.clone(), *n || nullable));
        }
        // The generator's own record of every schema it lowered (H-lower's `Api::places`).
        // (Not a type an inline `allOf` member had before it was merged
        // into its parent and removed: the parent's rules below find it.)
        if let Some(ty) = self.api.places.get(ptr).filter(|t| !matches!(t, Ty::Named(n) if !self.api.types.contains_key(n))) {
            return Some((ty.clone(), nullable || self.optional_field(ptr)));
        }
        if let Some(r) = schema.and_then(|s| s.get("$ref")).and_then(Value::as_str) {
            if let Some(target) = fragment_pointer(r) {
                return self.ty_at(&target, depth + 1).map(|(t, n)| (t, n || nullable));
            }
        }
        // A schema that only wraps one `$ref` in `allOf` (annotations beside it).
        if let Some([only]) = schema.and_then(|s| s.get("allOf")).and_then(Value::as_array).map(Vec::as_slice) {
            if let Some(t) = self.ty_at(&format!("{ptr}/allOf/0"), depth + 1).filter(|_| only.get("$ref").is_some()) {
                return Some((t.0, t.1 || nullable));
            }
        }
        // Under a response the client does not type (an error status: its
        // body is read as a JSON value, `ErrorBody`), every schema is held by
        // that value, and is judged through it.
        if in_error_response(ptr) || self.in_shared_error_response(ptr) {
            return Some((Ty::Json, true));
        }
        let (parent, last) = ptr.rsplit_once('/')?;
        let through = |p: &str| self.ty_at(p, depth + 1).map(|(t, _)| self.unalias(t));
        // An inline `allOf` member is merged into its parent's type.
        if let Some(gp) = parent.strip_suffix("/allOf") {
            return self.ty_at(gp, depth + 1);
        }
        if let Some((gp, kw)) = parent.rsplit_once('/') {
            if kw == "properties" {
                let prop = last.replace("~1", "/").replace("~0", "~");
                let holder = through(gp);
                // A property of an inline object the type keeps as a JSON
                // value: judged through that value, which holds it whole.
                if holder == Some(Ty::Json) {
                    return Some((Ty::Json, true));
                }
                if let Some(Ty::Named(n)) = holder {
                    if let Some(TypeKind::Struct(s)) = self.api.types.get(&n).map(|d| &d.kind) {
                        if let Some(f) = s.fields.iter().find(|f| f.wire == prop) {
                            return Some((f.ty.clone(), f.nullable || !f.required || nullable));
                        }
                    }
                }
                return None;
            }
        }
        match last {
            "items" => match through(parent)? {
                Ty::Vec(t) => Some((*t, nullable)),
                Ty::Json => Some((Ty::Json, true)),
                _ => None,
            },
            "additionalProperties" => match through(parent)? {
                Ty::Map(t) => Some((*t, nullable)),
                // Held as any JSON value (an inline `allOf` member that only
                // adds `additionalProperties`): so is each of its values.
                Ty::Json => Some((Ty::Json, nullable)),
                Ty::Named(n) => match self.api.types.get(&n).map(|d| &d.kind) {
                    Some(TypeKind::Struct(s)) if s.keep_unknown => Some((s.additional.clone(), nullable)),
                    _ => None,
                },
                _ => None,
            },
            _ => schema.and_then(|s| primitive(s).map(|t| (t, nullable))),
        }
    }

    /// Whether `ptr` lies in the content of a shared response used only
    /// under error statuses (`/components/responses/RateLimited/content/…`).
    fn in_shared_error_response(&self, ptr: &str) -> bool {
        self.error_responses.iter().any(|base| ptr.strip_prefix(base.as_str()).is_some_and(|rest| rest.starts_with("/content/")))
    }

    /// Whether `ptr` is a property its parent struct does not require (its
    /// example may then be `null` when the field is nullable).
    fn optional_field(&self, ptr: &str) -> bool {
        let Some((parent, prop)) = ptr.rsplit_once("/properties/") else { return false };
        let prop = prop.replace("~1", "/").replace("~0", "~");
        match self.ty_at(parent, 8).map(|(t, _)| self.unalias(t)) {
            Some(Ty::Named(n)) => match self.api.types.get(&n).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => s.fields.iter().any(|f| f.wire == prop && f.nullable),
                _ => false,
            },
            _ => false,
        }
    }

    fn unalias(&self, mut ty: Ty) -> Ty {
        for _ in 0..8 {
            ty = match ty {
                Ty::Boxed(t) => *t,
                Ty::Named(n) => match self.api.types.get(&n).map(|d| &d.kind) {
                    Some(TypeKind::Alias(t)) => t.clone(),
                    _ => return Ty::Named(n),
                },
                t => return t,
            };
        }
        ty
    }
}

/// Whether `ptr` lies in the schema of a response whose status is not a
/// success (`…/responses/400/content/…`, `…/responses/default/…`): the
/// client reads those bodies as a JSON value, not a generated type.
fn in_error_response(ptr: &str) -> bool {
    let mut parts = ptr.split('/');
    while let Some(p) = parts.next() {
        if p == "responses" {
            if let Some(status) = parts.next() {
                if !status.starts_with('2') && status.chars().next().is_some_and(|c| c.is_ascii_digit() || c == 'd') {
                    return parts.next() == Some("content");
                }
            }
        }
    }
    false
}

/// Every local `$ref` target of `doc`, as JSON pointers.
fn ref_targets(doc: &Value) -> BTreeSet<String> {
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let Some(p) = m.get("$ref").and_then(Value::as_str).and_then(fragment_pointer) {
                    out.insert(p);
                }
                m.values().for_each(|c| walk(c, out));
            }
            Value::Array(a) => a.iter().for_each(|c| walk(c, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(doc, &mut out);
    out
}

/// The `…/definitions/NAME` (or `$defs`) entry holding schema pointer `ptr`
/// when no `$ref` reaches it or anything inside it: such an entry is only
/// ever used through a `$ref`, so its schema describes no value of the API.
fn unreferenced_definition(ptr: &str, refs: &BTreeSet<String>) -> Option<String> {
    let segs: Vec<&str> = ptr.split('/').collect();
    let at = segs.iter().position(|s| *s == "definitions" || *s == "$defs").filter(|&i| i > 0 && i + 1 < segs.len())?;
    let entry = segs[..=at + 1].join("/");
    let inside = format!("{entry}/");
    let reached = refs.range(entry.clone()..).next().is_some_and(|r| *r == entry || r.starts_with(&inside));
    (!reached).then_some(entry)
}

/// The JSON pointer of a local `$ref` (`#/paths/~1companies~1%7BcompanyId%7D/...`):
/// a URI fragment, so percent-decoded (RFC 6901 section 6) before it is
/// used as a pointer; `None` for a `$ref` into another document.
pub fn fragment_pointer(r: &str) -> Option<String> {
    let fragment = r.strip_prefix('#')?;
    Some(percent_encoding::percent_decode_str(fragment).decode_utf8_lossy().into_owned())
}

/// The pointer a `{$ref: "#/..."}` object points to (followed to the end).
pub fn ref_target(v: &Value) -> Option<String> {
    v.get("$ref").and_then(Value::as_str).and_then(fragment_pointer)
}

/// Whether a media type carries JSON.
pub fn is_json(mt: &str) -> bool {
    let mt = mt.split(';').next().unwrap_or("").trim();
    mt == "application/json" || mt.ends_with("+json") || mt == "*/*" || mt == "application/*"
}

/// Follows `$ref`s (to anything in the document).
pub fn deref<'v>(mut v: &'v Value, doc: &'v Value) -> &'v Value {
    for _ in 0..16 {
        match v.get("$ref").and_then(Value::as_str).and_then(fragment_pointer).and_then(|p| doc.pointer(&p)) {
            Some(t) => v = t,
            None => break,
        }
    }
    v
}

/// `nullable: true` (3.0) or `"null"` among the types (3.1).
pub fn schema_nullable(s: &Value) -> bool {
    s.get("nullable").and_then(Value::as_bool).unwrap_or(false)
        || s.get("type").and_then(Value::as_array).is_some_and(|a| a.iter().any(|t| t == "null"))
}

/// The generator's type for an inline primitive schema (it names no type for those).
fn primitive(s: &Value) -> Option<Ty> {
    if s.get("enum").is_some() || s.get("properties").is_some() {
        return None;
    }
    let ty = match s.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).find(|t| *t != "null")?,
        _ => return None,
    };
    let format = s.get("format").and_then(Value::as_str).unwrap_or("");
    Some(match (ty, format) {
        ("string", "date-time") => Ty::DateTime,
        ("string", "date") => Ty::Date,
        ("string", "binary") => return None,
        ("string", _) => Ty::String,
        ("integer", "int32") => Ty::I32,
        ("integer", _) => Ty::I64,
        ("number", _) => Ty::F64,
        ("boolean", _) => Ty::Bool,
        _ => return None,
    })
}

/// What the harness reports for one example.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Decoded {
    /// Index into the cases.
    pub id: usize,
    /// serde's message and the path it failed at.
    pub error: Option<String>,
    /// The value encoded again.
    pub output: Option<Value>,
    /// What the type walk saw (unknown keys, `Unknown` enum values, union members).
    #[serde(default)]
    pub findings: Vec<Finding>,
}

/// One observation of the harness's walk over a decoded value.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Finding {
    /// `unknown_key`, `unknown_enum`, `variant` or `unknown_variant`.
    pub kind: String,
    /// JSON pointer inside the example.
    pub path: String,
    /// Rust type name.
    #[serde(rename = "type")]
    pub ty: String,
    /// The key, the enum value or the variant name.
    #[serde(default)]
    pub detail: String,
}

/// Classifies every case: spec-defect (invalid against its own schema), no
/// type, decode error, lossy or ok.
pub fn classify(
    cases: &[ExampleCase],
    decoded: &BTreeMap<usize, Decoded>,
    api: &Api,
    doc: &Value,
    checker: &mut SchemaCheck,
    counts: &mut ExampleCounts,
    failures: &mut Vec<Failure>,
) {
    let resolver = Resolver { doc };
    let refs = ref_targets(doc);
    for (id, case) in cases.iter().enumerate() {
        counts.total += 1;
        if case.schema.is_none() && case.target.is_none() {
            counts.no_schema += 1;
            failures.push(Failure::new("no-schema", &case.pointer, "not judged: its media type declares no schema, so no type is expected to hold it".into()));
            continue;
        }
        if let Some(entry) = case.schema.as_deref().filter(|_| case.target.is_none()).and_then(|s| unreferenced_definition(s, &refs)) {
            counts.unreferenced += 1;
            failures.push(Failure::new("unreferenced", &case.pointer, format!("not judged: {entry} is a definition no $ref of the document reaches, so no value of the API has its schema")));
            continue;
        }
        if let Some(schema) = &case.schema {
            if let Some(msg) = checker.violation(schema, &case.value) {
                counts.spec_defect += 1;
                failures.push(Failure::new("spec-defect", &case.pointer, format!("contradicts its schema {schema}: {msg}")));
                continue;
            }
        }
        // A raw (non-JSON) body or file part given as text (Spotify's base64
        // JPEG for `image/jpeg`): the generated type is the bytes themselves
        // (`FileUpload`), sent unchanged, so nothing can be lost.
        if matches!(&case.target, Some((Ty::Binary, _))) && case.value.is_string() {
            counts.ok += 1;
            continue;
        }
        let Some(d) = decoded.get(&id) else {
            counts.no_type += 1;
            let why = match &case.target {
                None => format!("no generated type found for schema {}", case.schema.as_deref().unwrap_or("(none)")),
                Some(_) => "the type holds a file part (no serde) or the harness did not answer".to_string(),
            };
            failures.push(Failure::new("no-type", &case.pointer, why));
            continue;
        };
        if let Some(err) = &d.error {
            counts.decode_error += 1;
            failures.push(Failure::new("decode-error", &case.pointer, err.clone()));
            continue;
        }
        let mut problems = Vec::new();
        if let Some(out) = &d.output {
            if let Some(diff) = difference(&case.value, out, "") {
                problems.push(diff);
            }
        }
        problems.extend(finding_problems(&d.findings, &case.value, api, &resolver, checker));
        if problems.is_empty() {
            counts.ok += 1;
        } else {
            counts.lossy += 1;
            failures.push(Failure::new("lossy", &case.pointer, problems.join("; ")));
        }
    }
}

/// The type walk's findings that mean data went to the wrong place.
fn finding_problems(findings: &[Finding], value: &Value, api: &Api, resolver: &Resolver, checker: &mut SchemaCheck) -> Vec<String> {
    let mut out = Vec::new();
    // Which union (and member) sits at each path, for keys a union member's
    // sibling declares.
    let unions: BTreeMap<&str, (&str, &str)> =
        findings.iter().filter(|f| f.kind == "variant").map(|f| (f.path.as_str(), (f.ty.as_str(), f.detail.as_str()))).collect();
    for f in findings {
        let origin = |ty: &str| api.types.get(ty).map(|d| d.origin.clone());
        match f.kind.as_str() {
            "unknown_key" => {
                let mut declared = BTreeSet::new();
                if let Some(o) = origin(&f.ty) {
                    resolver.declared(&o, &mut declared, 0);
                }
                if let Some((u, _)) = unions.get(f.path.as_str()) {
                    if let Some(o) = origin(u) {
                        resolver.declared(&o, &mut declared, 0);
                    }
                }
                if declared.contains(&f.detail) {
                    out.push(format!("declared property `{}` at `{}` ended in {}'s unknown-fields map", f.detail, f.path, f.ty));
                }
            }
            "unknown_enum" => {
                let listed = origin(&f.ty).and_then(|o| resolver.enum_values(&o));
                if listed.is_some_and(|vals| !vals.iter().any(|v| v == &f.detail)) {
                    out.push(format!(
                        "`{}` at `{}` decoded as {}::Unknown although the example is valid: a union chose the wrong member",
                        f.detail, f.path, f.ty
                    ));
                }
            }
            "unknown_variant" => out.push(format!("`{}` at `{}` kept as {}::Unknown although the example is valid", f.detail, f.path, f.ty)),
            "variant" => {
                // The member chosen must accept the value on its own.
                let member = api.types.get(&f.ty).and_then(|d| match &d.kind {
                    TypeKind::Union(u) => u.variants.iter().find(|v| v.ident == f.detail).map(|v| v.ty.clone()),
                    _ => None,
                });
                let sub = value.pointer(&f.path);
                if let (Some(Ty::Named(m)), Some(sub)) = (member, sub) {
                    if let Some(o) = origin(&m) {
                        if resolver.doc.pointer(&o).is_some() {
                            if let Some(msg) = checker.violation(&o, sub) {
                                out.push(format!("`{}` decoded as {}::{} whose schema {o} rejects it ({msg})", f.path, f.ty, f.detail));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Where `output` differs from `input` other than by key order, an absent
/// vs `null` key, the spelling of a number or of an RFC 3339 instant.
pub fn difference(input: &Value, output: &Value, path: &str) -> Option<String> {
    match (input, output) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                let p = format!("{path}/{}", esc(k));
                match b.get(k) {
                    Some(vb) => {
                        if let Some(d) = difference(va, vb, &p) {
                            return Some(d);
                        }
                    }
                    None if va.is_null() => {}
                    None => return Some(format!("`{p}` dropped")),
                }
            }
            for (k, vb) in b {
                if !a.contains_key(k) && !vb.is_null() {
                    return Some(format!("`{path}/{}` added ({vb})", esc(k)));
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!("`{path}` had {} items, re-encoded {}", a.len(), b.len()));
            }
            a.iter().zip(b).enumerate().find_map(|(i, (x, y))| difference(x, y, &format!("{path}/{i}")))
        }
        (Value::Number(a), Value::Number(b)) => {
            let same = match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => a.as_f64() == b.as_f64(),
            };
            (!same).then(|| format!("`{path}`: {a} re-encoded as {b}"))
        }
        (Value::String(a), Value::String(b)) if a != b => {
            let instant = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
            match (instant(a), instant(b)) {
                (Some(x), Some(y)) if x == y => None,
                _ => Some(format!("`{path}`: {a:?} re-encoded as {b:?}")),
            }
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!("`{path}`: {} re-encoded as {}", short(a), short(b))),
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 80 {
        format!("{}…", &s[..s.char_indices().nth(80).map(|(i, _)| i).unwrap_or(s.len())])
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 26: Codat's parameters are `$ref`s with a percent-encoded
    /// fragment (`%7BcompanyId%7D`); read raw, they resolved to nothing, the
    /// parameter's uuid format was lost and Prism rejected the "a" drawn.
    #[test]
    fn percent_encoded_refs_resolve() {
        use serde_json::json;
        let doc = json!({"paths": {"/c/{id}": {"parameters": [{"name": "id", "in": "path", "schema": {"type": "string", "format": "uuid"}}]}}});
        let param = json!({"$ref": "#/paths/~1c~1%7Bid%7D/parameters/0"});
        assert_eq!(deref(&param, &doc)["name"], "id");
        assert_eq!(fragment_pointer("#/a~1b/%7Bx%7D").as_deref(), Some("/a~1b/{x}"));
        assert_eq!(fragment_pointer("other.yaml#/a"), None);
    }

    /// Issue 26: an example in a schema's `definitions` entry that no `$ref`
    /// reaches (Codat's `DataConnection/definitions/dataConnectionSourceType`)
    /// describes no value of the API: not judged, not a missing type; a
    /// referenced one (or one with a `$ref` into it) is judged.
    #[test]
    fn unreferenced_definitions_are_not_judged() {
        use serde_json::json;
        let doc = json!({"components": {"schemas": {"D": {
            "properties": {"e": {"$ref": "#/components/schemas/D/definitions/used"}},
            "definitions": {"used": {"type": "string"}, "deep": {"properties": {"x": {"type": "string"}}}, "unused": {"type": "string", "example": "a"}}
        }}}, "x": {"$ref": "#/components/schemas/D/definitions/deep/properties/x"}});
        let refs = ref_targets(&doc);
        let unused = "/components/schemas/D/definitions/unused";
        assert_eq!(unreferenced_definition(unused, &refs).as_deref(), Some(unused));
        assert_eq!(unreferenced_definition("/components/schemas/D/definitions/used", &refs), None);
        assert_eq!(unreferenced_definition("/components/schemas/D/definitions/deep", &refs), None);
        assert_eq!(unreferenced_definition("/components/schemas/D/properties/e", &refs), None);
        let case = ExampleCase { pointer: format!("{unused}/example"), schema: Some(unused.into()), value: json!("a"), target: None };
        let (mut counts, mut failures) = (ExampleCounts::default(), Vec::new());
        let api = codegen::ir::Api::default();
        classify(&[case], &BTreeMap::new(), &api, &doc, &mut SchemaCheck::new(&doc), &mut counts, &mut failures);
        assert_eq!((counts.unreferenced, counts.no_type, counts.judged()), (1, 0, 0), "{failures:?}");
        // An example on a media type without a schema (Twitch's text/calendar
        // answer): nothing to judge it against, counted apart.
        let bare = ExampleCase { pointer: "/paths/~1s/get/responses/200/content/text~1calendar/examples/E/value".into(), schema: None, value: json!("BEGIN"), target: None };
        let (mut counts, mut failures) = (ExampleCounts::default(), Vec::new());
        classify(&[bare], &BTreeMap::new(), &api, &doc, &mut SchemaCheck::new(&doc), &mut counts, &mut failures);
        assert_eq!((counts.no_schema, counts.no_type, counts.judged()), (1, 0, 0), "{failures:?}");
    }

    /// Issue 26: an example on a property of an inline schema nested in an
    /// error response (read by the client as a JSON value) is judged
    /// through that value; before it was "no generated type found".
    #[test]
    fn nested_inline_properties_of_error_responses_have_a_holder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spec = dir.path().join("e.yml");
        let text = "openapi: 3.0.3\ninfo: {title: e, version: '1'}\npaths:\n  /h:\n    get:\n      operationId: GetH\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}}\n        '400':\n          description: bad\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  errors:\n                    type: array\n                    items: {type: object, properties: {message: {type: string, example: no}}}\n";
        std::fs::write(&spec, text).expect("write");
        let g = codegen::generate_file(&spec, &codegen::EmitConfig::default()).expect("generates");
        let doc = codegen::load::read_value(&spec).expect("reads");
        let places = Places::new(&doc, &g.api);
        let nested = "/paths/~1h/get/responses/400/content/application~1json/schema/properties/errors/items/properties/message";
        assert_eq!(places.ty_at(nested, 0).map(|(t, _)| t), Some(Ty::Json));
        // The same through a shared response (`components/responses`) that
        // operations use only under error statuses (Outline's RateLimited).
        let text = text.replace("        '400':\n          description: bad\n          content:", "        '429': {$ref: '#/components/responses/Limited'}\n        '400':\n          description: bad\n          content:")
            + "components:\n  responses:\n    Limited:\n      description: slow down\n      content:\n        application/json:\n          schema: {type: object, properties: {ok: {type: boolean, example: false}}}\n";
        std::fs::write(&spec, &text).expect("write");
        let g = codegen::generate_file(&spec, &codegen::EmitConfig::default()).expect("generates");
        let doc = codegen::load::read_value(&spec).expect("reads");
        let places = Places::new(&doc, &g.api);
        let shared = "/components/responses/Limited/content/application~1json/schema/properties/ok";
        assert_eq!(places.ty_at(shared, 0).map(|(t, _)| t), Some(Ty::Json));
        // A success response's property keeps its own generated type.
        let ok = "/paths/~1h/get/responses/200/content/application~1json/schema/properties/id";
        assert_eq!(places.ty_at(ok, 0).map(|(t, _)| t), Some(Ty::String));
    }
}
