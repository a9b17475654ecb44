//! A document's text never runs (issue 20): a crate generated from
//! `fixtures/doc_text/hostile.yml`, whose info, operation, parameter, schema,
//! property and enum texts hold every kind of code block rustdoc runs as a
//! doctest (``` with no info string, `rust,should_panic`, `edition2021`,
//! `ignore`, `~~~`, a fence in a list item, an indented block, a tab-indented
//! one, one after a bare CR, an unterminated one), each writing a file named
//! after it, and examples with control, NUL, bidi and line-separator
//! characters and a `"#`. `cargo test --doc` on it must compile every
//! doctest (the examples are the generator's `no_run` ones, the agent
//! skill's included) and run none of the document's.
//!
//! One crate for all the cases: a doctest build is slow.

mod common;

use codegen::package::{crate_files, About, CrateOptions};
use std::path::Path;

#[test]
fn generated_doc_text_never_runs() {
    let root = common::root();
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/doc_text/hostile.yml");
    let generated = common::generate(&spec);
    let mut about = About::new(&generated.api, &codegen::config::CrateConfig::default());
    // The agent skill too: its sections quote the same texts.
    about.skill = generated.skill.clone();
    let name = "doc-text";
    let opts = CrateOptions { name: name.into(), version: "0.0.0".into(), standalone: true, about: Some(about), ..Default::default() };
    let files = crate_files(&generated.files, &codegen::package::Runtime::home(), &opts).unwrap_or_else(|e| panic!("{e}"));

    // The examples with special characters are in the doc examples, as
    // Rust escapes (JSON's `\u0001` is not one).
    let notes = &files["src/generated/resources/notes.rs"];
    for expected in [r#""x\u{1}y""#, r#"\u{202e}"#, r###""\"# and \"## and r#\" and \\""###, "serde_json::json!({\"a\\u{1}\"", "3000000000i64"] {
        assert!(notes.contains(expected), "{expected} not in the doc example:\n{notes}");
    }

    let dir = root.join("target/generated-crates/doc-text").join(name);
    common::write_with_shared_deps(&dir, files).unwrap_or_else(|e| panic!("{e}"));
    let tmp_pwned = Path::new("/tmp/pwned");
    let tmp_before = tmp_pwned.exists();
    // (Without the `testing` feature: the runtime's own `testing` doctest
    // calls the fax API's methods.)
    let result = common::cargo_output(&dir, &["test", "--doc", "--workspace"], &[]);
    let mut ran: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pwned-"))
        .collect();
    ran.sort();
    assert!(ran.is_empty(), "{} doctests of the document ran: {ran:?}", ran.len());
    assert!(tmp_before || !tmp_pwned.exists(), "a doctest of the document wrote /tmp/pwned");
    let out = result.unwrap_or_else(|e| panic!("the doctests do not compile:\n{e}"));
    // The generator's own doctest was compiled: the example of `create`.
    assert!(out.contains("resources/notes.rs") && out.contains("test result: ok"), "{out}");
    // And the skill's examples (`SKILL.md`, through `generated/skill.rs`).
    assert!(out.contains("SKILL.md - generated::skill::Skill"), "{out}");
    // The test double's table holds the response example (`"#`, bidi, line
    // separator, control characters) as a literal that compiles.
    let features = format!("{name}/testing");
    common::cargo_output(&dir, &["build", "--workspace", "--features", &features], &[]).unwrap_or_else(|e| panic!("the mock table does not compile:\n{e}"));
}
