//! Stage 2: `openapiv3` model -> [`crate::ir::Api`].
//!
//! Order of work, each step deterministic:
//! 1. operations are named first (resource chain + method name, collisions
//!    resolved in path order; resources start below a path's API prefix,
//!    see `prefix.rs`), because inline types are named after their
//!    place in the API (`FaxesListFilter`, `FaxesRetrieveResponse`), not after
//!    incidental component names;
//! 2. every component schema gets its Rust name, in key order, before any
//!    inline type claims one;
//! 3. components, then operations, then webhooks are lowered; `$ref`s are
//!    resolved through a memo, so each component is lowered once (no quadratic
//!    lookups on ~1900 schemas);
//! 4. by-value cycles are found with Tarjan's SCC and the closing fields boxed.

use crate::diagnostics::{join, Diagnostics, Error};
use crate::ir::*;
use crate::load::LoadedSpec;
use crate::naming::{self, Scope};
use openapiv3::{
    AdditionalProperties, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Schema, SchemaKind,
    StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

mod bodies;
mod cycles;
mod dangling;
mod operations;
mod pagination;
mod prefix;
mod schemas;
mod unions;
mod webhooks;

pub use bodies::encoding_of;

/// Stack of the thread that lowers. Lowering recurses through nested
/// schemas and component `$ref`s; both are bounded (the parsers refuse text
/// nested deeper than 128, `$ref`s deeper than [`MAX_REF_DEPTH`] are
/// deferred or cut with a warning), but at the bound a debug build needs
/// more stack (about 20 KB per `$ref` level) than a 2 MB test thread or an
/// 8 MB main thread has. A thread of its own makes the bound safe from any
/// caller; only the pages used are committed.
const LOWER_STACK: usize = 256 << 20;

/// Lowers a loaded document. Diagnostics are appended to `diags`.
pub fn lower(spec: &LoadedSpec, diags: &mut Diagnostics) -> Result<Api, Error> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("codegen-lower".into())
            .stack_size(LOWER_STACK)
            .spawn_scoped(scope, || lower_here(spec, diags))
            .map_err(|e| Error::msg(format!("cannot start the lowering thread: {e}")))?;
        worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The runtime's types a program names beside the models (`prelude::*`
/// brings them with every model; `Request` and `ClientBuilder` are in every
/// method and setup): no generated type takes one of these names (a schema
/// `Error` becomes `ErrorModel`, an inline type `Error2`), so `types::Error`
/// never sits beside the crate's `Error`.
const RUNTIME_TYPES: &[&str] = &["ApiResponse", "Client", "ClientBuilder", "Error", "ErrorKind", "FileUpload", "Request", "Result"];

fn lower_here(spec: &LoadedSpec, diags: &mut Diagnostics) -> Result<Api, Error> {
    let mut l = Lowerer {
        spec,
        diags,
        types: BTreeMap::new(),
        type_scope: Scope::with_reserved(RUNTIME_TYPES),
        component_names: HashMap::new(),
        component_ty: HashMap::new(),
        in_progress: HashSet::new(),
        resolving: Vec::new(),
        places: BTreeMap::new(),
        claimed_at: HashMap::new(),
        depth: 0,
        alias_cycles: HashMap::new(),
        promised: Vec::new(),
        merged_away: HashMap::new(),
    };
    let info = &spec.openapi.info;
    let mut api = Api {
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone(),
        base_url: spec.openapi.servers.first().map(|s| s.url.clone()),
        ..Api::default()
    };

    let mut planned = l.plan_operations();
    l.name_components();
    l.lower_components();
    for plan in planned.drain(..) {
        if let Some(op) = l.lower_operation(plan)? {
            api.operations.push(op);
        }
    }
    api.webhooks = l.lower_webhooks();
    l.keep_promises();
    l.restore_referenced(&mut api.operations, &mut api.webhooks);
    cycles::box_cycles(&mut l.types);
    api.types = std::mem::take(&mut l.types);
    // An inline `allOf` member lives on only inside the merged type: its
    // place would name a type that is gone.
    api.places = std::mem::take(&mut l.places).into_iter().filter(|(_, ty)| named_exists(ty, &api.types)).collect();
    api.operations.sort_by(|a, b| (&a.resource, &a.name).cmp(&(&b.resource, &b.name)));
    Ok(api)
}

struct Lowerer<'a> {
    spec: &'a LoadedSpec,
    diags: &'a mut Diagnostics,
    types: BTreeMap<String, TypeDef>,
    type_scope: Scope,
    /// Component key -> Rust name.
    component_names: HashMap<String, String>,
    /// Component key -> lowered type (memo).
    component_ty: HashMap<String, (Ty, bool)>,
    in_progress: HashSet<String>,
    /// `$ref`s outside components/schemas being resolved (cycle guard).
    resolving: Vec<String>,
    /// JSON pointer of every schema lowered -> its type (first one wins).
    places: BTreeMap<String, Ty>,
    /// Inline type name -> the pointer that claimed it (for collision notes).
    claimed_at: HashMap<String, String>,
    /// Components being lowered inside one another right now: bounded by
    /// [`MAX_REF_DEPTH`], so no document drives the recursion past the stack.
    depth: usize,
    /// Component key -> the pure `$ref` loop it is on (`P -> Q -> P`).
    alias_cycles: HashMap<String, String>,
    /// Names handed out before their type existed (a reference back to a
    /// component being lowered, or one deferred at the depth limit), with the
    /// component key: each must name a type at the end ([`Lowerer::keep_promises`]).
    promised: Vec<(String, String)>,
    /// Inline `allOf` member types merged into their holder, kept aside
    /// until the end in case a `$ref` into the member names one (`dangling.rs`).
    merged_away: HashMap<String, TypeDef>,
}

/// How many components may be lowered inside one another (each `$ref` to a
/// component not lowered yet is one level). A deeper reference to an object
/// or enum component is deferred (it is lowered on its own later, from
/// [`Lowerer::lower_components`]); any other is read as any JSON value with a
/// `ref-depth` warning. Long pure alias chains never get here: they are
/// lowered from their end first.
pub(crate) const MAX_REF_DEPTH: usize = 128;

/// Pure alias chains (`S0: $ref S1`, `allOf: [$ref S2]`, ...) longer than this
/// are lowered from their far end back, so each link resolves in one step
/// (shorter ones keep the usual order: the output of ordinary documents does
/// not change).
const PRELOWER_ALIAS_CHAIN: usize = 32;

/// An operation before lowering: its place in the API is fixed, its types not yet.
struct PlannedOp<'a> {
    path: String,
    method: Method,
    op: &'a openapiv3::Operation,
    item: &'a PathItem,
    id: String,
    resource: Vec<String>,
    name: String,
    pointer: String,
    /// Leading segments of `path` that are its API prefix (`/v1`), which the
    /// resource names start below.
    prefix_len: usize,
}

/// `path` without its first `n` segments (`/v1/customers`, 1 -> `/customers`).
fn strip_segments(path: &str, n: usize) -> String {
    if n == 0 {
        return path.to_string();
    }
    let rest: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).skip(n).collect();
    format!("/{}", rest.join("/"))
}

fn method_of(name: &str) -> Option<Method> {
    Some(match name {
        "get" => Method::Get,
        "post" => Method::Post,
        "put" => Method::Put,
        "patch" => Method::Patch,
        "delete" => Method::Delete,
        "head" => Method::Head,
        "options" => Method::Options,
        "trace" => Method::Trace,
        _ => return None,
    })
}

/// Checks a path template (`/faxes/{id}`): it starts with `/`, every `{`
/// closes before the next one opens, names are not empty and appear once.
/// A template that breaks these cannot be filled in unambiguously, so its
/// operations are skipped (with a warning) rather than given a guessed URL.
fn check_template(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err("does not start with `/`".into());
    }
    let mut names: Vec<&str> = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in path.char_indices() {
        match (c, open) {
            ('{', None) => open = Some(i + 1),
            ('{', Some(_)) => return Err(format!("opens `{{` inside a parameter at byte {i}")),
            ('}', None) => return Err(format!("has a `}}` that closes nothing at byte {i}")),
            ('}', Some(start)) => {
                let name = &path[start..i];
                if name.trim().is_empty() {
                    return Err("has an empty parameter `{}`".into());
                }
                if names.contains(&name) {
                    return Err(format!("names parameter `{name}` twice"));
                }
                names.push(name);
                open = None;
            }
            _ => {}
        }
    }
    match open {
        Some(start) => Err(format!("has an unclosed `{{` at byte {}", start - 1)),
        None => Ok(()),
    }
}

fn is_param_segment(s: &str) -> bool {
    s.contains('{')
}

/// A literal segment without a response-format suffix: Twilio's
/// `/Accounts/{AccountSid}/Calls.json` and `/Accounts/{AccountSid}/Calls/{Sid}.json`
/// are one resource, `calls` (`accounts().calls().list()` and `.retrieve(..)`,
/// as Twilio's SDKs write them), not `calls_json` beside `calls`.
fn without_format_suffix(seg: &str) -> &str {
    const FORMATS: &[&str] = &["json", "xml", "csv", "yaml", "yml", "txt", "html", "atom", "rss"];
    match seg.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && FORMATS.iter().any(|f| ext.eq_ignore_ascii_case(f)) => stem,
        _ => seg,
    }
}

/// Pascal-case prefix for types that belong to an operation: `FaxesActionsCancel`.
fn op_prefix(resource: &[String], name: &str) -> String {
    let mut s = String::new();
    for r in resource {
        s.push_str(&naming::type_name(naming::unraw(r)));
    }
    s.push_str(&naming::type_name(naming::unraw(name)));
    s
}

impl<'a> Lowerer<'a> {
    pub(super) fn plan_operations(&mut self) -> Vec<PlannedOp<'a>> {
        let spec = self.spec;
        let mut plans = Vec::new();
        // `openapiv3` drops a path key that does not start with `/` unseen.
        if let Some(Value::Object(paths)) = spec.raw.get("paths") {
            for path in paths.keys().filter(|p| !p.starts_with('/') && !p.starts_with("x-")) {
                self.diags.warn("invalid-path-template", join("/paths", path), format!("path template `{path}` does not start with `/`; its operations are skipped"));
            }
        }
        for (path, item) in spec.openapi.paths.paths.iter() {
            let ptr = join("/paths", path);
            if let Err(why) = check_template(path) {
                self.diags.warn("invalid-path-template", &ptr, format!("path template `{path}` {why}; its operations are skipped"));
                continue;
            }
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { reference } => {
                    self.diags.warn("unsupported-ref", &ptr, format!("path item `$ref` {reference} is not supported; the path is skipped"));
                    continue;
                }
            };
            // Resources are named below the path's API prefix (`/v1`, `/api`).
            let prefix_len = prefix::api_prefix(path);
            let named_path = strip_segments(path, prefix_len);
            for (mname, op) in item.iter() {
                let Some(method) = method_of(mname) else { continue };
                let (resource, name) = self.derive_name(&named_path, method, op, item);
                let op_ptr = join(&ptr, mname);
                let id = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => id.clone(),
                    _ => {
                        let made = format!("{}{}", mname, naming::type_name(path));
                        self.diags.warn("missing-operation-id", &op_ptr, format!("no operationId; named `{made}` from method and path"));
                        made
                    }
                };
                plans.push(PlannedOp { path: path.clone(), method, op, item, id, resource, name, pointer: op_ptr, prefix_len });
            }
        }
        self.keep_colliding_versions(&mut plans);
        // Duplicate operationIds: keep the first, give the rest an id that no
        // operation has (checked against all of them, not only the ones seen
        // so far): the id keys the operation's security, paging and example,
        // so two operations must never share one.
        let mut taken: HashSet<String> = plans.iter().map(|p| p.id.clone()).collect();
        let mut seen: HashSet<String> = HashSet::new();
        for p in plans.iter_mut() {
            if !seen.insert(p.id.clone()) {
                let new_id = (2u64..).map(|n| format!("{}{n}", p.id)).find(|c| !taken.contains(c)).unwrap_or_default();
                taken.insert(new_id.clone());
                seen.insert(new_id.clone());
                self.diags.warn(
                    "duplicate-operation-id",
                    &p.pointer,
                    format!("operationId `{}` is used more than once; this one is treated as `{new_id}`", p.id),
                );
                p.id = new_id;
            }
        }
        // Method-name collisions within a resource: first (in path order) keeps
        // the conventional name, later ones are named from their operationId.
        let mut children: HashMap<Vec<String>, HashSet<String>> = HashMap::new();
        for p in &plans {
            for depth in 1..p.resource.len() {
                children.entry(p.resource[..depth].to_vec()).or_default().insert(p.resource[depth].clone());
            }
        }
        let mut scopes: HashMap<Vec<String>, Scope> = HashMap::new();
        for p in plans.iter_mut() {
            let scope = scopes.entry(p.resource.clone()).or_insert_with(|| {
                let mut s = Scope::default();
                if let Some(kids) = children.get(&p.resource) {
                    let mut kids: Vec<_> = kids.iter().cloned().collect();
                    kids.sort();
                    for k in kids {
                        s.claim(&k);
                    }
                }
                s
            });
            if scope.contains(&p.name) {
                let alt = naming::field_name(&p.id);
                let got = scope.claim(&alt);
                self.diags.note(
                    "method-name-collision",
                    &p.pointer,
                    format!("`{}.{}` is taken; this operation is `{}`", p.resource.join("."), p.name, got),
                );
                p.name = got;
            } else {
                scope.claim(&p.name);
            }
        }
        plans
    }

    /// Root resources that two API prefixes would both fill with the same
    /// method (`GET /v1/customers` and `GET /v2/customers`) keep their
    /// version: their operations are named again from the path with the
    /// prefix's version part kept (`v1().customers()`, `v2().customers()`).
    /// Other root resources stay below the prefix (see `prefix.rs`).
    fn keep_colliding_versions(&mut self, plans: &mut [PlannedOp<'a>]) {
        let segs_of = |p: &PlannedOp| -> Vec<String> { p.path.split('/').filter(|s| !s.is_empty()).take(p.prefix_len).map(str::to_string).collect() };
        let mut prefixes_of: HashMap<(Vec<String>, String), HashSet<Vec<String>>> = HashMap::new();
        let mut used: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        for p in plans.iter() {
            let segs = segs_of(p);
            if !segs.is_empty() {
                *used.entry(segs.clone()).or_default() += 1;
            }
            prefixes_of.entry((p.resource.clone(), p.name.clone())).or_default().insert(segs);
        }
        let colliding: BTreeSet<String> = prefixes_of
            .iter()
            .filter(|(_, prefixes)| prefixes.len() > 1)
            .filter_map(|((resource, _), _)| resource.first().cloned())
            .collect();
        for (segs, n) in &used {
            self.diags.note(
                "api-prefix",
                "/paths",
                format!("{n} operation(s) under `/{}`: their resources are named from below it (the requests keep the whole path)", segs.join("/")),
            );
        }
        if colliding.is_empty() {
            return;
        }
        for root in &colliding {
            self.diags.note(
                "api-prefix",
                "/paths",
                format!("`{root}` would have the same methods under two API prefixes: its operations keep their version (`v1().{root}()`)"),
            );
        }
        for p in plans.iter_mut() {
            if p.prefix_len == 0 || !p.resource.first().is_some_and(|r| colliding.contains(r)) {
                continue;
            }
            let segs = segs_of(p);
            let refs: Vec<&str> = segs.iter().map(String::as_str).collect();
            let drop = prefix::kept_on_collision(&refs);
            let named_path = strip_segments(&p.path, drop);
            let (resource, name) = self.derive_name(&named_path, p.method, p.op, p.item);
            p.resource = resource;
            p.name = name;
        }
    }

    /// `GET /faxes` -> (`[faxes]`, `list`); `POST /faxes/{id}/actions/cancel`
    /// -> (`[faxes, actions]`, `cancel`).
    pub(super) fn derive_name(&self, path: &str, method: Method, op: &openapiv3::Operation, item: &PathItem) -> (Vec<String>, String) {
        let has_patch = item.patch.is_some();
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut literals: Vec<String> =
            segs.iter().filter(|s| !is_param_segment(s)).map(|s| naming::field_name(without_format_suffix(s))).collect();
        let ends_with_param = segs.last().is_some_and(|s| is_param_segment(s));
        let n = segs.len();
        let is_action = !ends_with_param
            && n >= 2
            && (segs[n - 2] == "actions" || (method == Method::Post && is_param_segment(segs[n - 2])));
        if is_action {
            let name = literals.pop().unwrap_or_else(|| "call".into());
            if literals.is_empty() {
                literals.push("root".into());
            }
            return (literals, name);
        }
        if literals.is_empty() {
            literals.push("root".into());
        }
        let name = match method {
            Method::Get if ends_with_param => "retrieve",
            Method::Get => {
                if self.looks_like_list(op) {
                    "list"
                } else if segs.len() > literals.len() {
                    "retrieve"
                } else {
                    "list"
                }
            }
            Method::Post => "create",
            Method::Put if has_patch => "replace",
            Method::Put | Method::Patch => "update",
            Method::Delete => "delete",
            Method::Head => "head",
            Method::Options => "options",
            Method::Trace => "trace",
        };
        (literals, name.to_string())
    }

    /// A GET whose 200 JSON has an array `data` (or that takes a page parameter).
    pub(super) fn looks_like_list(&self, op: &openapiv3::Operation) -> bool {
        let has_page = op.parameters.iter().any(|p| match p {
            ReferenceOr::Item(p) => p.parameter_data_ref().name.to_ascii_lowercase().starts_with("page"),
            ReferenceOr::Reference { reference } => reference.to_ascii_lowercase().contains("page"),
        });
        if has_page {
            return true;
        }
        let Some(ReferenceOr::Item(resp)) = op.responses.responses.get(&StatusCode::Code(200)) else { return false };
        let Some(mt) = resp.content.get("application/json") else { return false };
        let Some(ReferenceOr::Item(schema)) = &mt.schema else { return false };
        if let SchemaKind::Type(Type::Object(o)) = &schema.schema_kind {
            if let Some(ReferenceOr::Item(data)) = o.properties.get("data") {
                return matches!(data.schema_kind, SchemaKind::Type(Type::Array(_)));
            }
        }
        false
    }

    pub(super) fn name_components(&mut self) {
        let Some(components) = &self.spec.openapi.components else { return };
        let mut keys: Vec<&String> = components.schemas.keys().collect();
        keys.sort();
        for key in keys {
            let mut wanted = naming::type_name(key);
            if RUNTIME_TYPES.contains(&wanted.as_str()) {
                // `types::Error` beside the crate's `Error` (and `prelude::*`
                // hiding one of them): the schema gets a name of its own.
                let renamed = format!("{wanted}Model");
                self.diags.note(
                    "type-name-collision",
                    join("/components/schemas", key),
                    format!("`{key}` is named like the runtime's `{wanted}`; named `{renamed}`"),
                );
                wanted = renamed;
            }
            let got = self.type_scope.claim(&wanted);
            if got != wanted {
                self.diags.warn(
                    "type-name-collision",
                    join("/components/schemas", key),
                    format!("`{key}` becomes `{wanted}`, which another schema already has; named `{got}`"),
                );
            }
            self.component_names.insert(key.clone(), got);
        }
    }

    pub(super) fn lower_components(&mut self) {
        let Some(components) = &self.spec.openapi.components else { return };
        let mut keys: Vec<&String> = components.schemas.keys().collect();
        keys.sort();
        self.follow_alias_chains(&keys);
        for key in keys {
            self.component(key);
        }
    }

    /// Follows every pure alias chain (a component that is only a `$ref`
    /// to another, directly or as the one member of `allOf`/`oneOf`/`anyOf`)
    /// without recursion: a chain that comes back to itself is recorded in
    /// [`Lowerer::alias_cycles`] (it has no type to be: any JSON value, with
    /// a warning); a long one is lowered from its far end back.
    fn follow_alias_chains(&mut self, keys: &[&String]) {
        let Some(components) = &self.spec.openapi.components else { return };
        let targets: HashMap<&str, String> = keys
            .iter()
            .filter_map(|&key| {
                let next = alias_target(components.schemas.get(key)?)?;
                let next = unescape(next.strip_prefix("#/components/schemas/").filter(|k| !k.contains('/'))?);
                self.component_names.contains_key(&next).then_some((key.as_str(), next))
            })
            .collect();
        let mut seen: HashSet<String> = HashSet::new();
        for &start in keys {
            if seen.contains(start) {
                continue;
            }
            let mut path: Vec<String> = Vec::new();
            let mut on_path: HashMap<String, usize> = HashMap::new();
            let mut cur = start.clone();
            loop {
                if let Some(&i) = on_path.get(&cur) {
                    let mut names: Vec<&str> = path[i..].iter().map(String::as_str).collect();
                    names.push(&path[i]);
                    let cycle = names.join(" -> ");
                    for k in &path[i..] {
                        self.alias_cycles.insert(k.clone(), cycle.clone());
                    }
                    break;
                }
                if seen.contains(&cur) {
                    break;
                }
                on_path.insert(cur.clone(), path.len());
                path.push(cur.clone());
                match targets.get(cur.as_str()) {
                    Some(next) => cur = next.clone(),
                    None => break,
                }
            }
            seen.extend(path.iter().cloned());
            if path.len() > PRELOWER_ALIAS_CHAIN {
                for k in path.iter().rev() {
                    self.component(k);
                }
            }
        }
    }

    /// Every name handed out before its type existed names a type: a
    /// component that turned out to be another name (`A: {$ref: B}` reached
    /// through a cycle) becomes `type A = B;`, one with no type at all any
    /// JSON value, with a warning. No reference to a type that is never
    /// emitted (E0425).
    fn keep_promises(&mut self) {
        for (name, key) in std::mem::take(&mut self.promised) {
            if self.types.contains_key(&name) {
                continue;
            }
            let ptr = join("/components/schemas", &key);
            let ty = match self.component_ty.get(&key) {
                Some((ty, _)) if ty != &Ty::Named(name.clone()) => ty.clone(),
                _ => {
                    self.diags.warn("ref-cycle", &ptr, format!("`{key}` is reached through a `$ref` cycle and defines no type of its own; read as any JSON value"));
                    Ty::Json
                }
            };
            self.insert_type(name, None, &ptr, TypeKind::Alias(ty));
        }
    }
}

/// The `$ref` a component schema is nothing but: itself a reference, or the
/// single reference member of `allOf`/`oneOf`/`anyOf` (what lowering reads
/// as that member).
fn alias_target(schema: &ReferenceOr<Schema>) -> Option<&str> {
    fn single(members: &[ReferenceOr<Schema>]) -> Option<&str> {
        match members {
            [ReferenceOr::Reference { reference }] => Some(reference.as_str()),
            _ => None,
        }
    }
    match schema {
        ReferenceOr::Reference { reference } => Some(reference),
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::AllOf { all_of: m } | SchemaKind::OneOf { one_of: m } | SchemaKind::AnyOf { any_of: m } => single(m),
            SchemaKind::Any(any) if any.properties.is_empty() => {
                if !any.all_of.is_empty() {
                    single(&any.all_of)
                } else if !any.one_of.is_empty() {
                    single(&any.one_of)
                } else {
                    single(&any.any_of)
                }
            }
            _ => None,
        },
    }
}

/// Whether a component schema surely becomes a named type of its own (an
/// object with properties, a string enum), so a reference to it can be
/// written before it is lowered.
fn names_itself(schema: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(s) = schema else { return false };
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Type(Type::String(st)) => st.enumeration.iter().any(Option::is_some),
        _ => false,
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Whether every named type `ty` mentions exists.
fn named_exists(ty: &Ty, types: &BTreeMap<String, TypeDef>) -> bool {
    match ty {
        Ty::Named(n) => types.contains_key(n),
        Ty::Vec(t) | Ty::Map(t) | Ty::Boxed(t) => named_exists(t, types),
        _ => true,
    }
}
