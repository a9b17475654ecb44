//! Property test: real specs, randomly broken, give `Ok` or an `Err`, never
//! a panic. Mutations on the JSON tree: drop a key, change a value's type,
//! dangle or retarget a `$ref`, rename a component, duplicate operationIds,
//! set `openapi` to garbage, graft one node over another. Bases: the checked-in
//! `spec/telnyx-fax.yml` and the upstream fax documents (when `shared/` is
//! beside the checkout). Bounded: `ROBUSTNESS_CASES` (default 200) cases.
//! A panic is reported with the document, the (shrunk) mutation list, the
//! mutated nodes and the panicking line.

mod common;

use codegen::EmitConfig;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};
use std::path::Path;
use std::sync::{Mutex, Once, OnceLock};

const UPSTREAM: &[&str] = &["fax-2020-09-22.yml", "fax-2023-08-24.yml", "fax-2025-08-11.yml", "fax-2025-09-25.yml", "fax-2026-07-16.yml"];

fn bases() -> &'static [(String, Value)] {
    static BASES: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    BASES.get_or_init(|| {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut v = vec![("spec/telnyx-fax.yml".to_string(), codegen::load::read_value(&manifest.join("../spec/telnyx-fax.yml")).unwrap())];
        for name in UPSTREAM {
            // Missing: "skipped" on stderr (fuzzing goes on without it), a failure under `CI=true`.
            if let Some(p) = common::upstream_file(name) {
                v.push((name.to_string(), codegen::load::read_value(&p).unwrap()));
            }
        }
        v
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn pointer(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) => format!("/{i}"),
        })
        .collect()
}

/// Every node's path, root first, in document order.
fn nodes(doc: &Value) -> Vec<Vec<Seg>> {
    let mut out = Vec::new();
    let mut stack = vec![(Vec::new(), doc)];
    while let Some((path, v)) = stack.pop() {
        match v {
            Value::Object(m) => {
                for (k, c) in m.iter().rev() {
                    let mut p = path.clone();
                    p.push(Seg::Key(k.clone()));
                    stack.push((p, c));
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate().rev() {
                    let mut p = path.clone();
                    p.push(Seg::Index(i));
                    stack.push((p, c));
                }
            }
            _ => {}
        }
        out.push(path);
    }
    out
}

fn get<'a>(doc: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |v, s| match (s, v) {
        (Seg::Key(k), Value::Object(m)) => m.get(k),
        (Seg::Index(i), Value::Array(a)) => a.get(*i),
        _ => None,
    })
}

fn get_mut<'a>(doc: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    path.iter().try_fold(doc, |v, s| match (s, v) {
        (Seg::Key(k), Value::Object(m)) => m.get_mut(k),
        (Seg::Index(i), Value::Array(a)) => a.get_mut(*i),
        _ => None,
    })
}

/// One change to a document. Indices pick among the candidates modulo
/// their count, so any number is valid for any document.
#[derive(Debug, Clone)]
enum Mutation {
    /// Remove an object member.
    DropKey(usize),
    /// Replace a value with one of another type.
    Retype(usize, u8),
    /// Point a `$ref` at something missing or malformed.
    DangleRef(usize, u8),
    /// Point a `$ref` at any node of the document (itself included).
    RetargetRef(usize, usize),
    /// Rename a component (references to it dangle or collide).
    RenameComponent(usize, u8),
    /// Give an operation the operationId of another.
    DuplicateOperationId(usize, usize),
    /// Garbage in `openapi`.
    Version(u8),
    /// Overwrite a node with a copy of another.
    Graft(usize, usize),
    /// Two `$ref`s pointing at each other's containing object (a cycle that
    /// does not go through `components`). Only with `ROBUSTNESS_REF_CYCLES=1`:
    /// see [`ref_cycles_through_non_component_pointers`].
    RefCycle(usize, usize),
}

fn mutation() -> BoxedStrategy<Mutation> {
    let n = 0..1_000_000usize;
    let base = prop_oneof![
        3 => n.clone().prop_map(Mutation::DropKey),
        3 => (n.clone(), any::<u8>()).prop_map(|(i, t)| Mutation::Retype(i, t)),
        2 => (n.clone(), any::<u8>()).prop_map(|(i, t)| Mutation::DangleRef(i, t)),
        2 => (n.clone(), n.clone()).prop_map(|(i, j)| Mutation::RetargetRef(i, j)),
        2 => (n.clone(), any::<u8>()).prop_map(|(i, t)| Mutation::RenameComponent(i, t)),
        1 => (n.clone(), n.clone()).prop_map(|(i, j)| Mutation::DuplicateOperationId(i, j)),
        1 => any::<u8>().prop_map(Mutation::Version),
        2 => (n.clone(), n.clone()).prop_map(|(i, j)| Mutation::Graft(i, j)),
    ];
    if std::env::var("ROBUSTNESS_REF_CYCLES").as_deref() == Ok("1") {
        prop_oneof![8 => base, 1 => (n.clone(), n).prop_map(|(i, j)| Mutation::RefCycle(i, j))].boxed()
    } else {
        base.boxed()
    }
}

fn pick<T: Clone>(items: &[T], i: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[i % items.len()].clone())
}

fn last_key(p: &[Seg]) -> Option<&str> {
    match p.last() {
        Some(Seg::Key(k)) => Some(k),
        _ => None,
    }
}

/// Applies `m`; returns the pointer it touched (for the failure report).
fn apply(doc: &mut Value, m: &Mutation) -> Option<String> {
    let all = nodes(doc);
    match *m {
        Mutation::DropKey(i) => {
            let keyed: Vec<_> = all.into_iter().filter(|p| last_key(p).is_some()).collect();
            let p = pick(&keyed, i)?;
            let (Some(Seg::Key(k)), parent) = (p.last(), &p[..p.len() - 1]) else { return None };
            get_mut(doc, parent)?.as_object_mut()?.shift_remove(k);
            Some(pointer(&p))
        }
        Mutation::Retype(i, t) => {
            let p = pick(&all, i)?;
            let node = get_mut(doc, &p)?;
            let old = node.clone();
            *node = match t % 11 {
                0 if old.is_string() => json!(42),
                0 => json!("x"),
                1 => json!(42),
                2 => json!(-1.5),
                3 => Value::Array(vec![old]),
                4 => json!({ "k": old }),
                5 => Value::Null,
                6 => json!(true),
                7 => json!([]),
                8 => json!({}),
                9 => json!(u64::MAX),
                _ => json!(""),
            };
            Some(pointer(&p))
        }
        Mutation::DangleRef(i, t) => {
            let refs: Vec<_> = all.into_iter().filter(|p| last_key(p) == Some("$ref")).collect();
            let p = pick(&refs, i)?;
            const TARGETS: [&str; 12] = [
                "#/components/schemas/Missing",
                "#/components/parameters/Missing",
                "#/components/responses/Missing",
                "#/components/requestBodies/Missing",
                "#/nope/x",
                "#",
                "",
                "other.yml#/components/schemas/X",
                "#/components/schemas/",
                "#/components/schemas/~2bad%zz",
                "#/paths/~1faxes/get",
                "https://example.com/schema.json",
            ];
            *get_mut(doc, &p)? = json!(TARGETS[t as usize % TARGETS.len()]);
            Some(pointer(&p))
        }
        Mutation::RetargetRef(i, j) => {
            let refs: Vec<_> = all.iter().filter(|p| last_key(p) == Some("$ref")).cloned().collect();
            let p = pick(&refs, i)?;
            let target = format!("#{}", pointer(&pick(&all, j)?));
            *get_mut(doc, &p)? = json!(target);
            Some(pointer(&p))
        }
        Mutation::RenameComponent(i, t) => {
            let comps: Vec<_> = all.into_iter().filter(|p| p.len() == 3 && p[0] == Seg::Key("components".into())).collect();
            let p = pick(&comps, i)?;
            let Some(Seg::Key(name)) = p.last().cloned() else { return None };
            let new = match t % 7 {
                0 => format!("{name}_Renamed"),
                1 => name.to_lowercase(),
                2 => name.to_uppercase(),
                3 => String::new(),
                4 => "1".into(),
                5 => "type".into(),
                _ => format!("{name}/x"),
            };
            let map = get_mut(doc, &p[..2])?.as_object_mut()?;
            let v = map.shift_remove(&name)?;
            map.insert(new, v);
            Some(pointer(&p))
        }
        Mutation::DuplicateOperationId(i, j) => {
            let ids: Vec<_> = all.into_iter().filter(|p| last_key(p) == Some("operationId")).collect();
            let (a, b) = (pick(&ids, i)?, pick(&ids, j)?);
            let v = get(doc, &b)?.clone();
            *get_mut(doc, &a)? = v;
            Some(pointer(&a))
        }
        Mutation::Version(t) => {
            let root = doc.as_object_mut()?;
            match t % 9 {
                0 => root.insert("openapi".into(), json!("garbage")),
                1 => root.insert("openapi".into(), json!("3.2.0")),
                2 => root.insert("openapi".into(), json!(3.1)),
                3 => root.insert("openapi".into(), json!("")),
                4 => root.insert("openapi".into(), Value::Null),
                5 => root.insert("openapi".into(), json!("2.0")),
                6 => root.insert("swagger".into(), json!("2.0")),
                7 => root.insert("openapi".into(), json!("4.0.0")),
                _ => root.shift_remove("openapi"),
            };
            Some("/openapi".into())
        }
        Mutation::RefCycle(i, j) => {
            let refs: Vec<_> = all.iter().filter(|p| last_key(p) == Some("$ref")).cloned().collect();
            let (a, b) = (pick(&refs, i)?, pick(&refs, j)?);
            *get_mut(doc, &a)? = json!(format!("#{}", pointer(&b[..b.len() - 1])));
            *get_mut(doc, &b)? = json!(format!("#{}", pointer(&a[..a.len() - 1])));
            Some(pointer(&a))
        }
        Mutation::Graft(i, j) => {
            let p = pick(&all, i)?;
            let from = pick(&all[1..], j)?; // never the root: sizes stay bounded
            let v = get(doc, &from)?.clone();
            *get_mut(doc, &p)? = v;
            Some(pointer(&p))
        }
    }
}

/// The last panic's message and location, recorded by a quiet hook.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

fn quiet_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let loc = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
            *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!("{msg} at {loc}"));
            // Quiet in the fuzzing threads (shrinking panics many times); loud elsewhere.
            if !std::thread::current().name().is_some_and(|n| n.contains("never_panic")) {
                default(info);
            }
        }));
    });
}

/// Runs the generator on `doc`; `Err(report)` when it panicked.
fn check(doc: &Value) -> Result<bool, String> {
    let text = serde_json::to_string(doc).map_err(|e| e.to_string())?;
    let result = std::panic::catch_unwind(|| codegen::generate_str(&text, true, &EmitConfig::default()).is_ok());
    result.map_err(|_| LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_else(|| "panic (no message)".into()))
}

#[test]
fn mutated_specs_never_panic() {
    quiet_panics();
    let bases = bases();
    let cases = std::env::var("ROBUSTNESS_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, max_shrink_iters: 2000, ..Config::default() });
    let strategy = (0..bases.len(), proptest::collection::vec(mutation(), 1..=4));
    let ok = std::sync::atomic::AtomicUsize::new(0);
    let total = std::sync::atomic::AtomicUsize::new(0);
    let start = std::time::Instant::now();
    let result = runner.run(&strategy, |(b, muts)| {
        let (name, base) = &bases[b];
        let mut doc = base.clone();
        let mut touched = Vec::new();
        for m in &muts {
            if let Some(p) = apply(&mut doc, m) {
                touched.push(p);
            }
        }
        total.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match check(&doc) {
            Ok(true) => {
                ok.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Ok(())
            }
            Ok(false) => Ok(()),
            Err(panic) => {
                let shown: Vec<String> = touched
                    .iter()
                    .map(|p| {
                        let v = doc.pointer(p).map(|v| v.to_string()).unwrap_or_else(|| "(removed)".into());
                        format!("  {p} = {}", &v[..v.len().min(300)])
                    })
                    .collect();
                Err(TestCaseError::fail(format!("{name}: generator panicked: {panic}\nmutations: {muts:?}\nmutated nodes now:\n{}", shown.join("\n"))))
            }
        }
    });
    let (ok, total) = (ok.into_inner(), total.into_inner());
    eprintln!(
        "{total} mutated documents (incl. shrinking) over {} bases in {:.1}s: {ok} generated, {} rejected with an error, 0 panics",
        bases.len(),
        start.elapsed().as_secs_f64(),
        total - ok
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Inputs that are not documents at all.
#[test]
fn never_panics_on_degenerate_documents() {
    quiet_panics();
    let mut paths = Map::new();
    paths.insert("/x/{id}".into(), json!({"get": {"parameters": [{"name": "id", "in": "path"}], "responses": {}}}));
    for doc in [
        json!(null),
        json!([]),
        json!("openapi"),
        json!({}),
        json!({"openapi": "3.0.0"}),
        json!({"openapi": "3.1.0"}),
        json!({"openapi": "3.0.0", "info": {"title": "", "version": ""}, "paths": {}}),
        json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "webhooks": {"a": {"post": {"requestBody": {"$ref": "#/webhooks/a/post/requestBody"}}}}}),
        json!({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": paths}),
        json!({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}}}),
        json!({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": {"A": {"$ref": "#/components/schemas/A"}}}}),
    ] {
        let r = check(&doc);
        assert!(r.is_ok(), "{doc}: {}", r.unwrap_err());
    }
}

/// A `$ref` cycle that does not go through `components/schemas` (two
/// responses' schemas referring to each other's response, or two webhook
/// bodies) once overflowed the stack in `lower::Lowerer::resolve_ref`; it is
/// now a `ref-cycle` warning (confined to one schema: read as any JSON value).
#[test]
fn ref_cycles_through_non_component_pointers() {
    let response = |other: &str| json!({"get": {"responses": {"200": {"description": "x", "content": {"application/json": {"schema": {"$ref": format!("#/paths/~1{other}/get/responses/200")}}}}}}});
    let paths = json!({"/a": response("b"), "/b": response("a")});
    let body = |other: &str| json!({"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": format!("#/webhooks/{other}/post/requestBody")}}}}}});
    for doc in [
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}),
        json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "webhooks": {"a": body("b"), "b": body("a")}}),
    ] {
        // No panic, and a warning that names the cycle (not a silently wrong type).
        assert_eq!(check(&doc), Ok(true), "{doc}");
        let generated = codegen::generate_str(&doc.to_string(), true, &EmitConfig::default()).expect("generates");
        assert!(generated.diagnostics.iter().any(|d| d.kind == "ref-cycle"), "{doc}: {:?}", generated.diagnostics);
    }
}
