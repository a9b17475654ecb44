//! `--overlay`: OpenAPI Overlay 1.0 and JSON Patch files fix a document
//! before generation (`tests/fixtures/overlay/`), and one fixes the quirks
//! of the whole Telnyx API.

mod common;

use codegen::overlay::Overlay;
use codegen::{load, EmitConfig, Severity};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/overlay").join(name)
}

fn base() -> Value {
    load::read_value(&fixture_path("base.yml")).unwrap()
}

fn warning_kinds(g: &codegen::Generated) -> Vec<&'static str> {
    g.diagnostics.iter().filter(|d| d.severity >= Severity::Warning).map(|d| d.kind).collect()
}

#[test]
fn overlay_and_json_patch_fix_the_same_quirks() {
    let cfg = EmitConfig::default();
    let plain = codegen::generate_value(base(), &cfg).unwrap();
    let mut before = warning_kinds(&plain);
    before.sort();
    assert_eq!(before, ["duplicate-operation-id", "fallback-json"]);

    let mut by_overlay = base();
    let found = Overlay::load_file(&fixture_path("fixes.overlay.yml")).unwrap().apply(&mut by_overlay).unwrap();
    assert!(found.items().is_empty(), "{:?}", found.items());
    let mut by_patch = base();
    Overlay::load_file(&fixture_path("fixes.patch.json")).unwrap().apply(&mut by_patch).unwrap();
    assert_eq!(by_overlay, by_patch);

    let note = &by_overlay["components"]["schemas"]["Note"];
    assert_eq!(note["required"], json!(["id"]));
    assert!(note["properties"].get("legacy").is_none());
    assert_eq!(by_overlay["paths"]["/notes"]["get"]["parameters"][0]["schema"], json!({"type": "integer", "format": "int32"}));
    assert!(by_overlay["paths"].get("/admin/purge").is_none());
    assert!(by_overlay["paths"]["/notes"]["post"].get("x-internal").is_none());

    let fixed = codegen::generate_value(by_overlay, &cfg).unwrap();
    assert!(warning_kinds(&fixed).is_empty(), "{:?}", fixed.diagnostics);
    let names: Vec<&str> = fixed.api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(names, ["create", "list"]);
    let from_patch = codegen::generate_value(by_patch, &cfg).unwrap();
    assert_eq!(fixed.files, from_patch.files);
}

#[test]
fn update_merges_objects_appends_to_arrays_and_replaces_scalars() {
    let mut doc = base();
    let o = Overlay::from_value(json!({"overlay": "1.0.0", "actions": [
        {"target": "$.paths['/notes'].get.parameters", "update": {"name": "q", "in": "query", "schema": {"type": "string"}}},
        {"target": "$.paths['/notes'].get.parameters", "update": [{"name": "a", "in": "query"}, {"name": "b", "in": "query"}]},
        {"target": "$.info", "update": {"title": "Renamed", "contact": {"name": "me"}}},
        {"target": "$.info.contact", "update": {"email": "me@example.com"}},
        {"target": "$.info.version", "update": "2.0.0"},
        {"target": "$", "update": {"x-top": {"nested": {"a": 1}}}},
        {"target": "$['x-top'].nested", "update": {"b": [2]}}
    ]}))
    .unwrap();
    o.apply(&mut doc).unwrap();
    let params: Vec<&str> = doc["paths"]["/notes"]["get"]["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(params, ["limit", "q", "a", "b"]);
    assert_eq!(doc["info"], json!({"title": "Renamed", "version": "2.0.0", "contact": {"name": "me", "email": "me@example.com"}}));
    assert_eq!(doc["x-top"], json!({"nested": {"a": 1, "b": [2]}}));
}

#[test]
fn targets_that_select_nothing_are_warnings() {
    let mut doc = base();
    let o = Overlay::parse(
        "overlay: 1.0.0\nactions:\n  - target: $.paths['/nope'].get\n    update: {summary: x}\n  - target: $.paths['/notes']\n",
        false,
    )
    .unwrap();
    let before = doc.clone();
    let d = o.apply(&mut doc).unwrap();
    assert_eq!(doc, before);
    let kinds: Vec<(&str, &str)> = d.items().iter().map(|d| (d.kind, d.pointer.as_str())).collect();
    assert_eq!(kinds, [("overlay-no-match", "/actions/0"), ("overlay-no-op", "/actions/1")]);
    assert!(d.items()[0].message.contains("$.paths['/nope'].get"));
}

#[test]
fn errors_name_the_file_the_action_and_the_column() {
    // Unsupported JSONPath.
    let e = Overlay::parse("overlay: 1.0.0\nactions:\n  - target: $.paths[?(@.get)]\n    remove: true\n", false).unwrap_err();
    assert_eq!(e.pointer.as_deref(), Some("/actions/0/target"));
    let msg = e.to_string();
    assert!(msg.contains("filter") && msg.contains("column 9"), "{msg}");
    let e = Overlay::parse("overlay: 1.0.0\nactions:\n  - {target: '$..description', remove: true}\n", false).unwrap_err();
    assert!(e.to_string().contains("recursive descent"), "{e}");
    // Versions and shapes.
    let e = Overlay::parse("overlay: 2.0.0\nactions: []\n", false).unwrap_err();
    assert!(e.to_string().contains("unsupported Overlay version"), "{e}");
    let e = Overlay::parse("actions: []\n", false).unwrap_err();
    assert!(e.to_string().contains("overlay: 1.0.0"), "{e}");
    let e = Overlay::parse("openapi: 3.0.0\n", false).unwrap_err();
    assert!(e.to_string().contains("neither an OpenAPI Overlay"), "{e}");
    let e = Overlay::parse("overlay: 1.0.0\nactions:\n  - {update: {}}\n", false).unwrap_err();
    assert_eq!(e.pointer.as_deref(), Some("/actions/0/target"));
    let e = Overlay::parse("overlay: 1.0.0\nactions:\n  - {target: '$', remove: true}\n", false).unwrap().apply(&mut base()).unwrap_err();
    assert!(e.to_string().contains("whole document"), "{e}");
    // A JSON Patch that is not one, and one that fails.
    let e = Overlay::parse(r#"[{"op": "frobnicate", "path": "/x"}]"#, true).unwrap_err();
    assert!(e.to_string().contains("not a valid JSON Patch") && e.to_string().contains("/0"), "{e}");
    let e = Overlay::parse(r#"[{"op": "test", "path": "/openapi", "value": "3.0.3"}, {"op": "remove", "path": "/paths/~1missing"}]"#, true)
        .unwrap()
        .apply(&mut base())
        .unwrap_err();
    assert!(e.to_string().contains("operation 1") && e.to_string().contains("/paths/~1missing"), "{e}");
    // Malformed YAML: file, line and column.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yml");
    std::fs::write(&bad, "overlay: 1.0.0\nactions:\n  - target: [unclosed\n").unwrap();
    let e = Overlay::load_file(&bad).unwrap_err();
    assert!(e.line.is_some(), "{e:?}");
    assert!(e.to_string().starts_with(&format!("{}:", bad.display())), "{e}");
}

/// The overlay shipped as a fixture removes every warning the whole Telnyx
/// API gives that an overlay can fix (a repeated operationId and `not`
/// schemas), without editing the upstream document.
#[test]
fn overlay_fixes_upstream_full_api_quirks() {
    let Some(full) = common::upstream_file("full-2026-07-16.yml") else { return };
    let cfg = EmitConfig::default();
    let mut doc = load::read_value(&full).unwrap();
    let found = Overlay::load_file(&fixture_path("telnyx-full.overlay.yml")).unwrap().apply(&mut doc).unwrap();
    assert!(found.items().is_empty(), "{:?}", found.items());
    let generated = codegen::generate_value(doc, &cfg).unwrap();
    let kinds = warning_kinds(&generated);
    eprintln!("full API with the overlay: warnings {kinds:?}");
    assert!(!kinds.contains(&"duplicate-operation-id"), "{kinds:?}");
    assert!(!kinds.contains(&"fallback-json"), "{kinds:?}");
    assert!(generated.api.operations.iter().any(|o| o.id == "ListWhatsappPhoneNumbers"));
}
