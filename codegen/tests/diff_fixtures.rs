//! Golden API change reports for small spec pairs, one per kind of change
//! (`tests/fixtures/diff/<case>/{old,new}.yml`), and the no-op pairs whose
//! API report must be empty: reordered keys, renamed components, inlined
//! `$ref`s, reworded descriptions, the same document in OpenAPI 3.1.

use codegen::diff::{diff, Report, Version};
use std::path::Path;

fn report(case: &str) -> Report {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff").join(case);
    let (old, _) = codegen::lower_file(&dir.join("old.yml")).unwrap_or_else(|e| panic!("{case}/old.yml: {e}"));
    let (new, _) = codegen::lower_file(&dir.join("new.yml")).unwrap_or_else(|e| panic!("{case}/new.yml: {e}"));
    diff(&old, &new).with_labels(format!("{case}/old.yml"), format!("{case}/new.yml")).with_version(Version::parse("0.3.1"))
}

/// Snapshots live in `tests/diff_snapshots/`, apart from the emitter's.
fn check(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("diff_snapshots");
    settings.bind(|| insta::assert_snapshot!(name, text));
}

macro_rules! golden {
    ($($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let r = report(stringify!($case));
                assert!(!r.is_api_unchanged(), "{} should report API changes", stringify!($case));
                check(stringify!($case), &r.render_text(false));
            }
        )*
        const GOLDEN: &[&str] = &[$(stringify!($case)),*];
    };
}

macro_rules! noop {
    ($($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let r = report(stringify!($case));
                let text = r.render_text(false);
                assert!(r.is_api_unchanged(), "{} must not change the API:\n{text}", stringify!($case));
                assert_eq!(r.breaking(), 0);
                check(stringify!($case), &text);
            }
        )*
        const NOOP: &[&str] = &[$(stringify!($case)),*];
    };
}

golden!(operations, params, bodies, request_fields, response_fields, enums, responses, webhooks, types, unions, rename_schema_component, reorder_required);
noop!(noop_reorder, noop_rename_components, noop_inline_ref, noop_docs, noop_openapi_31);

#[test]
fn every_fixture_has_a_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff");
    let mut cases: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    cases.sort();
    for c in &cases {
        assert!(GOLDEN.contains(&c.as_str()) || NOOP.contains(&c.as_str()), "fixture `{c}` has no test");
    }
}

#[test]
fn renamed_schema_component_is_one_breaking_rename_line() {
    let r = report("rename_schema_component");
    assert_eq!(r.api_changes(), 1, "{}", r.render_text(false));
    let c = &r.groups[0].changes[0];
    assert_eq!(c.kind, codegen::diff::Kind::TypeRenamed);
    assert!(c.breaking);
}

#[test]
fn docs_only_is_a_patch_with_doc_lines() {
    let r = report("noop_docs");
    assert!(r.doc_changes() > 0, "{}", r.render_text(false));
    assert_eq!(r.bump(), codegen::diff::Bump::Patch);
    assert_eq!(r.next_version(), Version::parse("0.3.2"));
}

#[test]
fn markdown_and_json_formats() {
    let r = report("enums");
    check("enums_markdown", &r.render_markdown());
    check("enums_json", &r.to_json());
    let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(json["bump"], "minor");
    assert_eq!(json["next_version"], "0.4.0");
    assert_eq!(json["breaking"].as_u64(), Some(r.breaking() as u64));
}

#[test]
fn colour_only_when_asked() {
    let r = report("enums");
    assert!(!r.render_text(false).contains('\x1b'));
    assert!(r.render_text(true).contains("\x1b[1;31m[breaking]"));
}
