//! Decode tests of the issue-10 fixtures: each fixture of
//! `tests/fixtures/constructs` named here is generated as a crate, given the
//! test file `tests/fixtures/decode/<name>.rs` (the example that failed before
//! the fix, decoded and re-encoded without loss), and `cargo test` runs them.

mod common;

use codegen::package::{crate_files, CrateOptions};

/// Fixtures with a decode test.
const DECODED: &[&str] = &["allof_annotations", "constraint_union", "deep_object", "head_body", "open_values", "query_styles", "repairs", "response_media", "union_shapes", "uploads_31"];

/// Cargo features the decode tests use (`deep_object`, `head_body`,
/// `query_styles`, `response_media` and `uploads_31` call a local server
/// through the blocking client).
const FEATURES: &str = "fixture-deep-object/blocking,fixture-head-body/blocking,fixture-query-styles/blocking,fixture-response-media/blocking,fixture-uploads-31/blocking";

#[test]
fn issue_10_examples_round_trip() {
    let root = common::root();
    let here = root.join("codegen/tests");
    let ws = root.join("target/generated-crates/decode");
    // Every decode test is run here: `snapshots.rs`'s `fixtures_compile`
    // leaves the crates of the fixtures that have one to this test.
    let mut tests: Vec<String> = std::fs::read_dir(here.join("fixtures/decode"))
        .expect("fixtures/decode")
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(String::from))
        .filter(|stem| stem != "common")
        .collect();
    tests.sort();
    assert_eq!(tests, DECODED, "fixtures/decode/*.rs and DECODED differ");
    let mut members = Vec::new();
    for name in DECODED {
        let generated = common::generate(&here.join(format!("fixtures/constructs/{name}.yml")));
        let crate_name = format!("fixture-{}", name.replace('_', "-"));
        let opts = CrateOptions { name: crate_name.clone(), version: "0.0.0".into(), deny_warnings: true, standalone: false, ..Default::default() };
        let mut files = crate_files(&generated.files, &codegen::package::Runtime::home(), &opts).expect("crate files");
        for (file, to) in [(format!("{name}.rs"), "tests/decode.rs"), ("common.rs".to_string(), "tests/common/mod.rs")] {
            let text = std::fs::read_to_string(here.join("fixtures/decode").join(&file)).expect("decode test source");
            // The test crate denies warnings as the library does, so the linted build fails on one.
            let text = if to == "tests/decode.rs" { common::deny_warnings(&text) } else { text };
            files.insert(to.into(), text);
        }
        members.push((crate_name, files));
    }
    common::write_workspace(&ws, members).expect("write the workspace");
    // Linted while built (clippy-driver, see `common::cargo_linted`), then run.
    let text = common::cargo_output_linted(&ws, &["test", "--workspace", "--quiet", "--test", "decode", "--features", FEATURES], &[])
        .unwrap_or_else(|e| panic!("decode tests failed:\n{e}"));
    // Every test ran (none skipped or filtered away).
    let passed: usize = text
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert!(passed >= 15, "expected every decode test to run, {passed} passed:\n{text}");
}
