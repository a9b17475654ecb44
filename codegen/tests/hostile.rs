//! Hostile documents (issue 20): long `$ref` chains, pure `$ref` cycles,
//! duplicate operationIds, malformed path templates and names in any script.
//! Each generates, or fails with an error that says where, and never
//! overflows the stack; the big documents are built here, not checked in.

mod common;

use codegen::ir::{Api, Ty, TypeKind};
use codegen::{Diagnostic, EmitConfig, Generated};
use serde_json::{json, Map, Value};

fn doc(schemas: Map<String, Value>, paths: Value) -> Value {
    json!({"openapi": "3.0.3", "info": {"title": "Hostile", "version": "1"}, "paths": paths, "components": {"schemas": schemas}})
}

fn generate(doc: &Value) -> Generated {
    codegen::generate_str(&doc.to_string(), true, &EmitConfig::default()).unwrap_or_else(|e| panic!("generates: {e}"))
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn get_returning(schema: &str) -> Value {
    json!({"/s": {"get": {"operationId": "getS", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": reference(schema)}}}}}}})
}

/// `n` schemas `S0 .. S(n-1)`; `link(i)` is `Si` for `i < n - 1`, the last
/// is an object.
fn chain(n: usize, link: impl Fn(usize) -> Value) -> Value {
    let mut schemas = Map::new();
    for i in 0..n {
        let s = if i + 1 == n { json!({"type": "object", "properties": {"id": {"type": "string"}}}) } else { link(i) };
        schemas.insert(format!("S{i}"), s);
    }
    doc(schemas, get_returning("S0"))
}

/// Every named type a type mentions exists (no E0425 in the generated code).
fn assert_closed(api: &Api) {
    for (name, def) in &api.types {
        for member in def.kind.member_names() {
            assert!(api.types.contains_key(member), "{name} mentions `{member}`, which is not generated");
        }
    }
}

fn has(diags: &[Diagnostic], kind: &str, pointer: &str) -> bool {
    diags.iter().any(|d| d.kind == kind && d.pointer == pointer)
}

/// Chains of 5,000 components (properties, `allOf`, aliases) once overflowed
/// the stack in the recursive lowering; each now lowers whole, with no
/// diagnostic about depth.
#[test]
fn long_ref_chains_lower() {
    let n = 5_000;
    let property = chain(n, |i| json!({"type": "object", "properties": {"id": {"type": "string"}, "next": reference(&format!("S{}", i + 1))}}));
    let g = generate(&property);
    assert_eq!(g.api.types.len(), n);
    assert_closed(&g.api);
    assert!(!g.diagnostics.iter().any(|d| d.kind == "ref-depth"), "{:?}", g.diagnostics.iter().find(|d| d.kind == "ref-depth"));
    let TypeKind::Struct(s0) = &g.api.types["S0"].kind else { panic!("S0 is a struct") };
    assert_eq!(s0.fields[1].ty, Ty::Named("S1".into()));

    for link in [|i: usize| json!({"allOf": [reference(&format!("S{}", i + 1))]}), |i: usize| reference(&format!("S{}", i + 1))] {
        let g = generate(&chain(n, link));
        assert_closed(&g.api);
        // Every link is the last schema's type.
        let last = Ty::Named(format!("S{}", n - 1));
        let op = &g.api.operations[0];
        assert_eq!(op.success.as_ref(), Some(&last));
        assert!(!g.diagnostics.iter().any(|d| d.kind == "ref-depth"));
    }

    // A cycle of 5,000 objects through their properties.
    let mut ring = chain(n, |i| json!({"type": "object", "properties": {"next": reference(&format!("S{}", i + 1))}}));
    ring["components"]["schemas"][format!("S{}", n - 1)] = json!({"type": "object", "properties": {"next": reference("S0")}});
    let g = generate(&ring);
    assert_eq!(g.api.types.len(), n);
    assert_closed(&g.api);
}

/// A chain that can be neither deferred nor followed as aliases (arrays of
/// arrays of ...) lowers to the depth limit, then is any JSON value, with a
/// warning that names the place.
#[test]
fn too_deep_a_chain_is_a_warning_with_the_pointer() {
    let g = generate(&chain(5_000, |i| json!({"type": "array", "items": reference(&format!("S{}", i + 1))})));
    let deep: Vec<&Diagnostic> = g.diagnostics.iter().filter(|d| d.kind == "ref-depth").collect();
    assert!(!deep.is_empty());
    assert!(deep[0].pointer.starts_with("/components/schemas/S"), "{}", deep[0]);
    assert!(deep[0].message.contains("deeper than 128"), "{}", deep[0]);
    assert_closed(&g.api);
}

/// Thousands of nested `[` are refused by the parsers' own recursion limits (the
/// JSON and the YAML reader alike), with the line and column.
#[test]
fn deeply_nested_text_is_a_clean_error() {
    let deep = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
    let json_text = format!(r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{}}, "x-deep": {deep}}}"#);
    let e = codegen::generate_str(&json_text, true, &EmitConfig::default()).expect_err("refused");
    assert!(e.to_string().contains("recursion limit"), "{e}");
    assert!(e.line.is_some(), "{e}");
    let yaml_text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx-deep: {deep}\n");
    let e = codegen::generate_str(&yaml_text, false, &EmitConfig::default()).expect_err("refused");
    assert!(e.to_string().contains("recursion limit"), "{e}");
}

fn cycles_doc() -> Value {
    let mut schemas = Map::new();
    schemas.insert("S".into(), reference("S"));
    schemas.insert("P".into(), reference("Q"));
    schemas.insert("Q".into(), reference("P"));
    schemas.insert("A".into(), json!({"allOf": [reference("B")]}));
    schemas.insert("B".into(), json!({"allOf": [reference("A")]}));
    // An alias reached back through the object it names: `type X = Y`.
    schemas.insert("X".into(), reference("Y"));
    schemas.insert("Y".into(), json!({"type": "object", "properties": {"back": reference("X")}}));
    schemas.insert(
        "Holder".into(),
        json!({"type": "object", "properties": {"s": reference("S"), "p": reference("P"), "a": reference("A"), "x": reference("X")}}),
    );
    doc(schemas, json!({"/holders": {"get": {"operationId": "getHolder", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": reference("Holder")}}}}}}}))
}

/// `S: {$ref: S}`, `P -> Q -> P` and an `allOf` loop once generated fields
/// of types that were never emitted (E0425), with no warning.
#[test]
fn pure_ref_cycles_are_any_value_with_a_warning() {
    let g = generate(&cycles_doc());
    for key in ["S", "P", "Q", "A", "B"] {
        assert!(has(&g.diagnostics, "ref-cycle", &format!("/components/schemas/{key}")), "{key}: {:?}", g.diagnostics);
    }
    let TypeKind::Struct(holder) = &g.api.types["Holder"].kind else { panic!("Holder is a struct") };
    for f in &holder.fields[..3] {
        assert_eq!(f.ty, Ty::Json, "{}", f.wire);
    }
    assert_eq!(holder.fields[3].ty.named(), Some("Y"));
    assert_closed(&g.api);
}

fn duplicate_ids_doc() -> Value {
    let op = |id: &str, scheme: &str| {
        json!({"get": {"operationId": id, "security": [{scheme: []}], "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}}}}})
    };
    let mut d = doc(Map::new(), json!({"/a": op("x", "k1"), "/b": op("x", "k2"), "/c": op("x2", "k3")}));
    d["components"]["securitySchemes"] = json!({
        "k1": {"type": "apiKey", "in": "header", "name": "K1"},
        "k2": {"type": "apiKey", "in": "header", "name": "K2"},
        "k3": {"type": "apiKey", "in": "header", "name": "K3"},
    });
    d
}

/// The second `x` was renamed `x2`, the id `/c` already had: the two shared
/// one entry of the security table (and of paging and examples).
#[test]
fn duplicate_operation_ids_get_an_unused_id() {
    let g = generate(&duplicate_ids_doc());
    let id_of = |path: &str| g.api.operations.iter().find(|o| o.path == path).map(|o| o.id.clone()).expect(path);
    assert_eq!(id_of("/a"), "x");
    assert_eq!(id_of("/c"), "x2");
    assert_eq!(id_of("/b"), "x3");
    assert!(has(&g.diagnostics, "duplicate-operation-id", "/paths/~1b/get"));
    let sec = &g.api.security.per_operation;
    assert_eq!(sec.get("x2"), Some(&vec![vec!["k3".to_string()]]), "{sec:?}");
    assert_eq!(sec.get("x3"), Some(&vec![vec!["k2".to_string()]]), "{sec:?}");
}

/// Malformed templates: a warning at the path, its operations skipped, the
/// rest generated.
#[test]
fn malformed_path_templates_are_skipped_with_a_warning() {
    let op = json!({"get": {"responses": {"200": {"description": "ok"}}}});
    let bad = ["/items/{id", "/a/{{c}}", "/a/{}", "items/{id}", "/b/}x", "/c/{id}/d/{id}"];
    let mut paths = Map::new();
    for p in bad {
        paths.insert(p.to_string(), op.clone());
    }
    paths.insert("/good/{id}".into(), json!({"get": {"operationId": "good", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "ok"}}}}));
    // A template parameter with no declared parameter: a string, with a warning.
    paths.insert("/undeclared/{who}".into(), json!({"get": {"operationId": "undeclared", "responses": {"200": {"description": "ok"}}}}));
    let g = generate(&doc(Map::new(), Value::Object(paths)));
    for p in bad {
        let pointer = format!("/paths/{}", p.replace('~', "~0").replace('/', "~1"));
        assert!(has(&g.diagnostics, "invalid-path-template", &pointer), "{p}: {:?}", g.diagnostics);
        assert!(!g.api.operations.iter().any(|o| o.path == p), "{p} is skipped");
    }
    let ids: Vec<&str> = g.api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["good", "undeclared"]);
    assert!(has(&g.diagnostics, "undeclared-path-parameter", "/paths/~1undeclared~1{who}/get"), "{:?}", g.diagnostics);
}

fn non_ascii_doc() -> Value {
    let mut schemas = Map::new();
    schemas.insert(
        "Счёт".into(),
        json!({"type": "object", "properties": {"имя": {"type": "string"}, "名前": {"type": "string"}, "🦄": {"type": "integer"}, "prénom": {"type": "string"}, "статус": reference("Статус")}}),
    );
    schemas.insert("Статус".into(), json!({"type": "string", "enum": ["активен", "заблокирован", "✅", "✨"]}));
    schemas.insert("注文".into(), json!({"type": "object", "properties": {"金額": {"type": "number"}}}));
    schemas.insert("Café".into(), json!({"type": "object", "properties": {"crème": {"type": "boolean"}}}));
    schemas.insert("😀".into(), json!({"type": "object", "properties": {"x": {"type": "string"}}}));
    let ok = |s: &str| json!({"200": {"description": "ok", "content": {"application/json": {"schema": reference(s)}}}});
    doc(schemas, json!({"/accounts": {"get": {"operationId": "получитьСчёт", "responses": ok("Счёт")}}, "/orders": {"get": {"operationId": "注文を取得", "responses": ok("注文")}}}))
}

/// Names in Cyrillic, CJK, emoji and accented Latin once all became
/// `Empty`, `Empty2`, ...: they are spelled out, distinct, and keep their
/// wire name.
#[test]
fn non_ascii_names_are_transliterated() {
    let g = generate(&non_ascii_doc());
    let names: Vec<&str> = g.api.types.keys().map(String::as_str).collect();
    assert_eq!(names, ["Cafe", "Grinning", "Schiot", "Status", "Zhu Wen".replace(' ', "").as_str()]);
    let TypeKind::Struct(account) = &g.api.types["Schiot"].kind else { panic!("a struct") };
    let fields: Vec<(&str, &str)> = account.fields.iter().map(|f| (f.wire.as_str(), f.ident.as_str())).collect();
    assert_eq!(fields, [("имя", "imia"), ("名前", "ming_qian"), ("🦄", "unicorn"), ("prénom", "prenom"), ("статус", "status")]);
    let TypeKind::Enum(status) = &g.api.types["Status"].kind else { panic!("an enum") };
    let variants: Vec<&str> = status.variants.iter().map(|v| v.ident.as_str()).collect();
    assert_eq!(variants, ["Aktiven", "Zablokirovan", "WhiteCheckMark", "Sparkles"]);
    let mut methods: Vec<String> = g.api.operations.iter().map(|o| format!("{}.{}", o.resource.join("."), o.name)).collect();
    methods.sort();
    assert_eq!(methods, ["accounts.list", "orders.list"]);
}

/// The cycles, duplicate ids and non-ASCII names above, in one crate that
/// builds under clippy with `-D warnings`.
#[test]
fn hostile_documents_generate_crates_that_build() {
    let crates: Vec<(String, codegen::Files)> = [("hostile_cycles", cycles_doc()), ("hostile_ids", duplicate_ids_doc()), ("hostile_names", non_ascii_doc())]
        .into_iter()
        .map(|(name, d)| (name.to_string(), generate(&d).files))
        .collect();
    if let Err(e) = common::build_crates("hostile", &crates) {
        panic!("{e}");
    }
}

/// The diff compared a type renamed between two versions by walking both
/// type graphs recursively: a chain of 10,000 types overflowed the stack.
#[test]
fn diff_compares_long_chains() {
    let n = 10_000;
    let link = |i: usize| json!({"type": "object", "properties": {format!("f{i}"): {"type": "string"}, "next": reference(&format!("S{}", i + 1))}});
    let mut old = chain(n, link);
    old["paths"] = json!({});
    let mut new = old.clone();
    let first = new["components"]["schemas"].as_object_mut().unwrap().shift_remove("S0").unwrap();
    new["components"]["schemas"]["R0"] = first;
    let (old, new) = (generate(&old).api, generate(&new).api);
    let report = codegen::diff::diff(&old, &new);
    let text = format!("{report:?}");
    assert!(text.contains("R0"), "the rename is reported: {}", &text[..text.len().min(2000)]);
}

/// Types were split into one file per initial letter: a document whose
/// names all start alike put every type in one file (126 MB for a 50 MB
/// document). Files now stay bounded, and the split is the same every run.
#[test]
fn type_files_stay_bounded_when_every_name_starts_alike() {
    let mut schemas = Map::new();
    for i in 0..800 {
        let props: Map<String, Value> = (0..12).map(|k| (format!("field_{k}"), json!({"type": "string", "description": format!("Field {k}.")}))).collect();
        schemas.insert(format!("Account{i:04}"), json!({"type": "object", "properties": props}));
    }
    let d = doc(schemas, get_returning("Account0000"));
    let g = generate(&d);
    let types: Vec<(&String, usize)> = g.files.iter().filter(|(p, _)| p.starts_with("types/") && *p != "types/mod.rs").map(|(p, t)| (p, t.len())).collect();
    assert!(types.len() > 1, "{types:?}");
    assert!(types.iter().all(|(_, len)| *len < 400_000), "{types:?}");
    assert!(g.files["types/mod.rs"].contains("mod a_2;"), "{}", g.files["types/mod.rs"]);
    assert_eq!(generate(&d).files, g.files);
}

/// Arrays nested 60 deep inline (within the parsers' limit) made a
/// `Vec<Vec<...>>` that the formatter parses by recursion; past 32 levels
/// the value is any JSON value, with a warning.
#[test]
fn deeply_nested_inline_arrays_are_cut_with_a_warning() {
    let mut schema = json!({"type": "string"});
    for _ in 0..60 {
        schema = json!({"type": "array", "items": schema});
    }
    let mut schemas = Map::new();
    schemas.insert("Deep".into(), json!({"type": "object", "properties": {"v": schema}}));
    let g = generate(&doc(schemas, get_returning("Deep")));
    assert!(g.diagnostics.iter().any(|d| d.kind == "deep-type" && d.pointer.starts_with("/components/schemas/Deep/properties/v")), "{:?}", g.diagnostics);
    assert!(g.files.values().any(|f| f.contains("pub struct Deep")));
}
