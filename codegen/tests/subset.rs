//! `--include` subsets: the cut of the fax API out of the whole Telnyx API
//! matches the published fax document, and the reachability rules on small
//! fixtures (`tests/fixtures/subset/`).

mod common;

use codegen::ir::{Api, Operation, Ty};
use codegen::subset::{self, Count, Report};
use codegen::{load, lower, EmitConfig};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const FAX_CUT: &[&str] = &["/fax_applications*", "/faxes*", "fax.*"];

/// The upstream document, or `None` after a visible "skipped" line (a
/// failure under `CI=true`): see [`common::shared_file`].
fn upstream(name: &str) -> Option<PathBuf> {
    common::upstream_file(name)
}

fn fixture(name: &str) -> Value {
    load::read_value(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/subset").join(name)).unwrap()
}

/// Subsets then lowers; returns the IR, its diagnostics and the subset report.
fn lower_cut(doc: &Path, patterns: &[&str]) -> (Api, Vec<codegen::Diagnostic>, Report) {
    let mut value = load::read_value(doc).unwrap();
    let report = subset::subset(&mut value, patterns).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
    let (api, diags) = lower_value(value);
    (api, diags, report)
}

fn lower_value(value: Value) -> (Api, Vec<codegen::Diagnostic>) {
    let spec = load::from_value(value).unwrap();
    let mut diags = spec.diagnostics.clone();
    let api = lower::lower(&spec, &mut diags).unwrap();
    (api, diags.into_vec())
}

/// Named types reachable from operations and webhooks.
fn reached_types(api: &Api) -> BTreeSet<String> {
    fn ty(t: &Ty, out: &mut Vec<String>) {
        out.extend(t.named().map(str::to_string));
    }
    let mut todo = Vec::new();
    for op in &api.operations {
        for p in op.path_params.iter().chain(&op.required_params).chain(&op.optional_params) {
            ty(&p.ty, &mut todo);
        }
        for b in &op.body {
            ty(&b.ty, &mut todo);
        }
        for r in op.responses.iter().filter_map(|r| r.ty.as_ref()).chain(op.success.as_ref()) {
            ty(r, &mut todo);
        }
        todo.extend(op.params_type.clone());
    }
    for w in &api.webhooks {
        ty(&w.ty, &mut todo);
    }
    let mut seen = BTreeSet::new();
    while let Some(n) = todo.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        let Some(def) = api.types.get(&n) else { continue };
        todo.extend(def.kind.member_names().into_iter().map(str::to_string));
    }
    seen
}

/// Every difference between two lowered APIs, one line each. Docs are
/// compared apart (`doc:` lines) from shapes.
fn differences(a: &Api, b: &Api, a_name: &str, b_name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let key = |o: &Operation| format!("{} {}", o.method.as_str(), o.path);
    let ops_a: BTreeMap<String, &Operation> = a.operations.iter().map(|o| (key(o), o)).collect();
    let ops_b: BTreeMap<String, &Operation> = b.operations.iter().map(|o| (key(o), o)).collect();
    for (k, oa) in &ops_a {
        let Some(ob) = ops_b.get(k) else {
            out.push(format!("operation {k} only in {a_name}"));
            continue;
        };
        let fields: [(&str, String, String); 11] = [
            ("resource", format!("{:?}", oa.resource), format!("{:?}", ob.resource)),
            ("method name", oa.name.clone(), ob.name.clone()),
            ("operationId", oa.id.clone(), ob.id.clone()),
            ("path params", format!("{:?}", oa.path_params), format!("{:?}", ob.path_params)),
            ("required params", format!("{:?}", oa.required_params), format!("{:?}", ob.required_params)),
            ("optional params", format!("{:?}", oa.optional_params), format!("{:?}", ob.optional_params)),
            ("params type", format!("{:?}", oa.params_type), format!("{:?}", ob.params_type)),
            ("body variants", format!("{:?} {}", oa.body, oa.body_required), format!("{:?} {}", ob.body, ob.body_required)),
            ("success", format!("{:?}", oa.success), format!("{:?}", ob.success)),
            ("responses", format!("{:?}", oa.responses), format!("{:?}", ob.responses)),
            ("pagination", format!("{:?}", oa.pagination), format!("{:?}", ob.pagination)),
        ];
        for (what, x, y) in fields {
            if x != y {
                out.push(format!("operation {k}: {what} differ:\n  {a_name}: {x}\n  {b_name}: {y}"));
            }
        }
        if (&oa.summary, &oa.description, oa.deprecated) != (&ob.summary, &ob.description, ob.deprecated) {
            out.push(format!("doc: operation {k}: summary/description/deprecated differ"));
        }
    }
    for k in ops_b.keys().filter(|k| !ops_a.contains_key(*k)) {
        out.push(format!("operation {k} only in {b_name}"));
    }
    for (n, ta) in &a.types {
        let Some(tb) = b.types.get(n) else {
            out.push(format!("type {n} only in {a_name} (from {})", ta.origin));
            continue;
        };
        if ta.kind != tb.kind || ta.is_input != tb.is_input {
            out.push(format!("type {n}: shape differs:\n  {a_name}: {:?}\n  {b_name}: {:?}", ta.kind, tb.kind));
        }
        if ta.doc != tb.doc {
            out.push(format!("doc: type {n}: description differs"));
        }
    }
    for (n, tb) in &b.types {
        if !a.types.contains_key(n) {
            out.push(format!("type {n} only in {b_name} (from {})", tb.origin));
        }
    }
    let hooks = |api: &Api| -> BTreeMap<String, String> { api.webhooks.iter().map(|w| (w.event_type.clone(), format!("{} {:?}", w.ident, w.ty))).collect() };
    let (ha, hb) = (hooks(a), hooks(b));
    if ha != hb {
        out.push(format!("webhook events differ:\n  {a_name}: {ha:?}\n  {b_name}: {hb:?}"));
    }
    out
}

fn kinds(diags: &[codegen::Diagnostic]) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for d in diags {
        *m.entry(d.kind).or_insert(0) += 1;
    }
    m
}

/// The cut: `/fax_applications*`, `/faxes*` and `fax.*` out of the
/// whole API give the same operations, types and events as the fax document
/// cut the same way, and byte-identical generated code (but the header line
/// naming the spec).
#[test]
fn fax_cut_of_full_api_matches_fax_document() {
    let (Some(full), Some(fax)) = (upstream("full-2026-07-16.yml"), upstream("fax-2026-07-16.yml")) else { return };
    let start = std::time::Instant::now();
    let (cut, cut_diags, report) = lower_cut(&full, FAX_CUT);
    eprintln!("full API {report} ({:.2}s)", start.elapsed().as_secs_f64());
    let (reference, ref_diags, ref_report) = lower_cut(&fax, FAX_CUT);
    eprintln!("fax document {ref_report}");
    assert_eq!(report.operations.after, 11);
    assert_eq!(report.webhooks, Count { before: 66, after: 5 });
    assert_eq!(ref_report.operations, Count { before: 11, after: 11 }, "the fax document is only fax");

    let diffs = differences(&cut, &reference, "cut of full", "fax document");
    assert!(diffs.is_empty(), "{} difference(s):\n{}", diffs.len(), diffs.join("\n"));
    let (ra, rb) = (reached_types(&cut), reached_types(&reference));
    assert_eq!(ra, rb);
    let unreached: Vec<&String> = cut.types.keys().filter(|n| !ra.contains(*n)).collect();
    eprintln!("types not reached from an operation or event: {unreached:?}");
    eprintln!(
        "cut: {} operations, {} types, {} events; diagnostics cut {:?} / fax {:?}",
        cut.operations.len(),
        cut.types.len(),
        cut.webhooks.len(),
        kinds(&cut_diags),
        kinds(&ref_diags)
    );
    assert_eq!(kinds(&cut_diags), kinds(&ref_diags));

    // The emitted code too.
    let cfg = EmitConfig::default();
    let files_cut = codegen::emit::emit(&cut, &cfg).unwrap();
    let files_ref = codegen::emit::emit(&reference, &cfg).unwrap();
    assert_eq!(files_cut.keys().collect::<Vec<_>>(), files_ref.keys().collect::<Vec<_>>());
    for (path, text) in &files_cut {
        assert!(text == &files_ref[path], "{path} differs between the cut and the fax document");
    }
}

/// The fax documents are fax only: cutting them the same way changes nothing
/// in what they generate (3.0 documents keep their events through callbacks).
#[test]
fn fax_cut_of_fax_documents_is_identity() {
    for doc in ["fax-2020-09-22.yml", "fax-2023-08-24.yml", "fax-2025-08-11.yml", "fax-2025-09-25.yml", "fax-2026-07-16.yml"] {
        let Some(path) = upstream(doc) else { return };
        let (whole, _) = lower_value(load::read_value(&path).unwrap());
        let (cut, _, report) = lower_cut(&path, FAX_CUT);
        eprintln!("{doc}: {report}");
        let diffs = differences(&cut, &whole, "cut", "whole");
        assert!(diffs.is_empty(), "{doc}: {} difference(s):\n{}", diffs.len(), diffs.join("\n"));
    }
}

/// Every path and webhook of the full API: only unreachable components go,
/// and the result still lowers to every operation and event.
#[test]
fn full_api_everything_pattern_drops_only_unreachable_components() {
    let Some(full) = upstream("full-2026-07-16.yml") else { return };
    let mut doc = load::read_value(&full).unwrap();
    let report = subset::subset(&mut doc, &["/*", "*"]).unwrap();
    eprintln!("full API, everything: {report}");
    assert_eq!(report.operations.after, report.operations.before);
    assert_eq!(report.webhooks.after, report.webhooks.before);
    let (api, _) = lower_value(doc);
    assert!(api.operations.len() > 1100);
    assert_eq!(api.webhooks.len(), 66);
}

fn names(doc: &Value, pointer: &str) -> Vec<String> {
    doc.pointer(pointer).and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

#[test]
fn path_glob_keeps_items_whole_and_reachable_components_only() {
    let mut doc = fixture("shop.yml");
    let report = subset::subset(&mut doc, &["/orders*"]).unwrap();
    assert_eq!(report.operations, Count { before: 4, after: 3 });
    assert_eq!(names(&doc, "/paths"), ["/orders", "/orders/{id}"]);
    // Through a requestBody, a response, a header, a path-level parameter,
    // a discriminator mapping (bare name and pointer) and a recursive schema.
    assert_eq!(names(&doc, "/components/schemas"), ["Order", "NewOrder", "Item", "Book", "Toy", "Status", "Error"]);
    assert_eq!(names(&doc, "/components/parameters"), ["Page"]);
    assert_eq!(names(&doc, "/components/headers"), ["RateLimit"]);
    assert_eq!(names(&doc, "/components/requestBodies"), ["NewOrder"]);
    assert_eq!(names(&doc, "/components/responses"), ["OrderList", "Error"]);
    // Root `security` and the operation-level one.
    assert_eq!(names(&doc, "/components/securitySchemes"), ["bearer", "apiKey"]);
    assert!(names(&doc, "/webhooks").is_empty());
    let tags: Vec<&str> = doc["tags"].as_array().unwrap().iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(tags, ["Orders", "Admin"]);
    assert_eq!(report.components["schemas"], Count { before: 11, after: 7 });

    let generated = codegen::generate_value(doc, &EmitConfig::default()).unwrap();
    assert!(generated.diagnostics.iter().all(|d| !d.kind.contains("ref")), "{:?}", generated.diagnostics);
}

#[test]
fn tag_pattern_keeps_only_matching_operations() {
    let mut doc = fixture("shop.yml");
    subset::subset(&mut doc, &["tag:Admin"]).unwrap();
    assert_eq!(names(&doc, "/paths"), ["/orders", "/orders/{id}"]);
    let orders = doc["paths"]["/orders"].as_object().unwrap();
    assert!(orders.contains_key("post") && !orders.contains_key("get"));
    assert!(orders.contains_key("parameters"), "path-level fields stay");
    assert_eq!(names(&doc, "/components/responses"), Vec::<String>::new());
    assert!(!names(&doc, "/components/schemas").contains(&"Error".to_string()));

    let mut doc = fixture("shop.yml");
    subset::subset(&mut doc, &["tag:P*"]).unwrap();
    assert_eq!(names(&doc, "/paths"), ["/pets"]);
    assert_eq!(names(&doc, "/components/schemas"), ["Pet"]);
    assert_eq!(names(&doc, "/components/securitySchemes"), ["bearer"]);
}

#[test]
fn webhook_globs_keep_events_and_what_they_reach() {
    let mut doc = fixture("shop.yml");
    let report = subset::subset(&mut doc, &["pet.*"]).unwrap();
    assert_eq!(report.webhooks, Count { before: 2, after: 1 });
    assert_eq!(report.operations.after, 0);
    assert_eq!(names(&doc, "/webhooks"), ["pet.adopted"]);
    assert_eq!(names(&doc, "/components/schemas"), ["Pet", "PetAdoptedEvent"]);
    let generated = codegen::generate_value(doc, &EmitConfig::default()).unwrap();
    let events: Vec<&str> = generated.api.webhooks.iter().map(|w| w.event_type.as_str()).collect();
    assert_eq!(events, ["pet.adopted"]);
}

#[test]
fn webhook_globs_match_callbacks_in_3_0_documents() {
    let mut doc = fixture("callbacks30.yml");
    let report = subset::subset(&mut doc, &["/numbers", "/calls", "call.hang*"]).unwrap();
    assert_eq!(names(&doc, "/paths"), ["/calls", "/numbers"]);
    assert_eq!(report.operations, Count { before: 2, after: 2 });
    assert_eq!(names(&doc, "/components/schemas"), ["CallAnswered", "CallHangup", "Number"], "a kept operation keeps its callbacks");

    let mut doc = fixture("callbacks30.yml");
    subset::subset(&mut doc, &["call.*"]).unwrap();
    assert!(names(&doc, "/paths").is_empty());
    assert_eq!(names(&doc, "/components/schemas"), ["CallAnswered", "CallHangup"]);
    let generated = codegen::generate_value(doc, &EmitConfig::default()).unwrap();
    let events: Vec<&str> = generated.api.webhooks.iter().map(|w| w.event_type.as_str()).collect();
    assert_eq!(events, ["call.answered", "call.hangup"]);
}

#[test]
fn a_kept_reference_into_a_cut_path_is_an_error() {
    // `Number` points into `/paths/~1calls`, which `/numbers` alone cuts.
    let e = subset::subset(&mut fixture("callbacks30.yml"), &["/numbers"]).unwrap_err();
    assert_eq!(e.pointer.as_deref(), Some("/paths/~1calls/post/responses/200"));
    let msg = e.to_string();
    assert!(msg.contains("`#/components/schemas/Number` refers to") && msg.contains("path `/calls`"), "{msg}");
}

#[test]
fn patterns_that_match_nothing_are_errors_naming_them() {
    for (pattern, expect) in [
        ("/nothing*", "no path matches it"),
        ("tag:Nobody", "no operation has a matching tag"),
        ("call.*", "no webhook matches it (the document's webhooks: order.created, pet.adopted)"),
    ] {
        let mut doc = fixture("shop.yml");
        let e = subset::subset(&mut doc, &["/orders", pattern]).unwrap_err().to_string();
        assert!(e.contains(&format!("`{pattern}`")) && e.contains(expect), "{pattern}: {e}");
    }
    let e = subset::subset(&mut fixture("callbacks30.yml"), &["fax.*"]).unwrap_err().to_string();
    assert!(e.contains("no webhook or callback matches"), "{e}");
    assert!(subset::subset(&mut fixture("shop.yml"), &[] as &[&str]).is_err());
    assert!(subset::subset(&mut Value::Null, &["/x"]).is_err());
}

#[test]
fn subsetting_is_idempotent() {
    let mut once = fixture("shop.yml");
    subset::subset(&mut once, &["/orders", "order.*"]).unwrap();
    let mut twice = once.clone();
    subset::subset(&mut twice, &["/orders", "order.*"]).unwrap();
    assert_eq!(once, twice);
}
