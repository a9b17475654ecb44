//! `cargo xtask conform` on real documents: the generated crate compiles,
//! the documents' examples round-trip through the generated types, and every
//! operation called through the generated client is accepted by Prism and
//! its response decoded.
//!
//! * `spec/telnyx-fax.yml` (the project's own document) must be 100 % on
//!   both parts;
//! * Telnyx's five fax documents and the two small corpus documents must stay
//!   at or above the figures measured when this test was written (the floors
//!   below; raise them as the generator improves, never lower them silently).
//!
//! Third-party documents are read from `../shared`; when it is missing the
//! tests fail under `CI=true` and print "skipped" otherwise. Prism (see
//! `scripts/prism.sh install`) is needed for the operations part: without it
//! the tests fail under `CI=true` or `REQUIRE_PRISM=1` and only check the
//! examples otherwise, saying so. The big documents (whole Telnyx API, Box,
//! Twilio, Discord, Spotify) take minutes each: CI runs a sample of each
//! (every k-th path and what it reaches), `scripts/conform.sh` all of them.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is in the workspace").to_path_buf()
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn prism_available() -> bool {
    let bin = match std::env::var_os("PRISM_BIN") {
        Some(b) if !b.is_empty() => PathBuf::from(b),
        _ => repo().join(".ci/node/node_modules/.bin/prism"),
    };
    if bin.is_file() {
        return true;
    }
    if ci() || std::env::var("REQUIRE_PRISM").is_ok_and(|v| v == "1") {
        panic!("Prism is required (CI=true or REQUIRE_PRISM=1) but {} is missing: run scripts/prism.sh install", bin.display());
    }
    eprintln!("skipped: the Prism part (no Prism at {}; scripts/prism.sh install)", bin.display());
    false
}

/// `../shared/<rel>`, or `None` (after failing under CI) when absent.
fn shared(rel: &str) -> Option<PathBuf> {
    let p = repo().join("../shared").join(rel);
    if p.exists() {
        return Some(p);
    }
    assert!(!ci(), "CI=true but {} is missing", p.display());
    eprintln!("skipped: {} is missing", p.display());
    None
}

/// Runs the command on `specs` and returns the JSON report, one entry per document.
fn conform(specs: &[PathBuf], with_prism: bool, tag: &str) -> Vec<Value> {
    let json = std::env::temp_dir().join(format!("xtask-conform-{}-{tag}.json", std::process::id()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    // The generated crates' artifacts go where codegen's tests build theirs;
    // their dependencies are the workspace's own build of them (its build
    // dir, the parent of CARGO_TARGET_TMPDIR, and the `_deps` member), so CI
    // compiles them once.
    let target = std::env::var_os("CONFORM_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo().join("target/generated-target"));
    cmd.env("CARGO_TARGET_DIR", target);
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    cmd.env("CARGO_BUILD_BUILD_DIR", tmp.parent().unwrap_or(tmp));
    cmd.arg("conform").arg("--json").arg(&json);
    for s in specs {
        cmd.arg("--spec").arg(s);
    }
    if !with_prism {
        cmd.arg("--no-prism");
    }
    let out = cmd.output().expect("run xtask conform");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "xtask conform failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    println!("{stdout}");
    let text = std::fs::read_to_string(&json).expect("the --json report");
    let _ = std::fs::remove_file(&json);
    serde_json::from_str::<Vec<Value>>(&text).expect("report is JSON")
}

fn n(v: &Value, path: &str) -> u64 {
    v.pointer(path).and_then(Value::as_u64).unwrap_or(0)
}

/// Every failure of `classes`, one per line.
fn failures(r: &Value, classes: &[&str]) -> String {
    r["failures"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| classes.iter().any(|c| f["class"] == *c))
        .map(|f| format!("  {} {}: {}", f["class"].as_str().unwrap_or(""), f["pointer"].as_str().unwrap_or(""), f["message"].as_str().unwrap_or("")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Examples ok over judged, operations accepted over served, responses
/// decoded over accepted, in percent.
fn percents(r: &Value) -> (f64, f64, f64) {
    let pct = |a: u64, b: u64| if b == 0 { 100.0 } else { 100.0 * a as f64 / b as f64 };
    let judged = n(r, "/examples/total") - n(r, "/examples/spec_defect");
    let served = n(r, "/operations/called") - n(r, "/operations/prism_unservable") - n(r, "/operations/transport") - n(r, "/operations/not_built");
    (
        pct(n(r, "/examples/ok"), judged),
        pct(n(r, "/operations/accepted"), served),
        pct(n(r, "/operations/decoded"), n(r, "/operations/accepted") - n(r, "/operations/no_success") - n(r, "/operations/response_spec_defect")),
    )
}

const EXAMPLE_FAILURES: &[&str] = &["decode-error", "lossy", "no-type", "harness"];
const OP_FAILURES: &[&str] = &["rejected", "response-decode", "argument", "no-method", "transport", "prism-unservable", "prism-load", "harness"];

#[test]
fn fax_spec_is_fully_conformant() {
    let with_prism = prism_available();
    let reports = conform(&[repo().join("spec/telnyx-fax.yml")], with_prism, "fax");
    let r = &reports[0];
    assert!(r["generate_error"].is_null(), "not generated: {}", r["generate_error"]);
    assert!(r["compiled"] == true, "does not compile: {}", r["build_error"]);
    assert!(n(r, "/examples/total") > 0, "no example found in spec/telnyx-fax.yml");
    assert_eq!(n(r, "/examples/ok"), n(r, "/examples/total"), "every example must round-trip:\n{}", failures(r, &["spec-defect", "decode-error", "lossy", "no-type", "harness"]));
    if with_prism {
        assert_eq!(r["prism"], "ok", "prism: {}", r["prism"]);
        let ops = n(r, "/operations/operations");
        assert!(ops > 0);
        assert_eq!(n(r, "/operations/called"), ops, "every operation must be called:\n{}", failures(r, OP_FAILURES));
        assert_eq!(n(r, "/operations/accepted"), ops, "every request must be accepted:\n{}", failures(r, OP_FAILURES));
        assert_eq!(n(r, "/operations/decoded"), ops, "every response must decode:\n{}", failures(r, OP_FAILURES));
    }
}

/// (file, examples ok %, operations accepted %, responses decoded %) as
/// measured when the floor was set.
fn check_floors(docs: &[(&str, f64, f64, f64)], tag: &str) {
    let mut specs = Vec::new();
    for (rel, ..) in docs {
        match shared(rel) {
            Some(p) => specs.push(p),
            None => return,
        }
    }
    check_floors_of(docs, &specs, tag);
}

/// [`check_floors`] of the documents at `specs` (one per entry of `docs`,
/// whose names label the report lines).
fn check_floors_of(docs: &[(&str, f64, f64, f64)], specs: &[PathBuf], tag: &str) {
    let with_prism = prism_available();
    let reports = conform(specs, with_prism, tag);
    let mut problems = Vec::new();
    for ((rel, ex, acc, dec), r) in docs.iter().zip(&reports) {
        if !r["generate_error"].is_null() || r["compiled"] != true {
            problems.push(format!("{rel}: not generated or not compiled: {} {}", r["generate_error"], r["build_error"]));
            continue;
        }
        assert!(n(r, "/operations/operations") > 0 || n(r, "/examples/total") > 0, "{rel}: nothing to judge");
        let (e, a, d) = percents(r);
        println!("{rel}: examples {e:.1} % (floor {ex}), accepted {a:.1} % (floor {acc}), decoded {d:.1} % (floor {dec})");
        if e < *ex {
            problems.push(format!("{rel}: examples {e:.1} % < {ex} %:\n{}", failures(r, EXAMPLE_FAILURES)));
        }
        if with_prism {
            if r["prism"] != "ok" {
                problems.push(format!("{rel}: prism: {}", r["prism"]));
            } else if a < *acc || d < *dec {
                problems.push(format!("{rel}: accepted {a:.1} % (floor {acc}), decoded {d:.1} % (floor {dec}):\n{}", failures(r, OP_FAILURES)));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn telnyx_fax_documents_stay_above_their_floors() {
    check_floors(
        &[
            // Measured 2026-11-30 (notes/conform-after.md): 100 % on all three
            // (the mocked responses built from Telnyx's offset-less date-time
            // examples are counted apart as spec defects); 2026-07-16 was
            // measured with the first tool version.
            ("upstream/telnyx/fax-2020-09-22.yml", 100.0, 100.0, 100.0),
            ("upstream/telnyx/fax-2023-08-24.yml", 100.0, 100.0, 100.0),
            ("upstream/telnyx/fax-2025-08-11.yml", 100.0, 100.0, 100.0),
            ("upstream/telnyx/fax-2025-09-25.yml", 100.0, 100.0, 100.0),
            ("upstream/telnyx/fax-2026-07-16.yml", 100.0, 100.0, 100.0),
        ],
        "telnyx",
    );
}

#[test]
fn small_corpus_documents_stay_above_their_floors() {
    // petstore-expanded has no example at all (0 of 0 is 100 %); train-travel
    // measured 100 % (its three invalid `uuid` examples are spec defects).
    check_floors(&[("corpus/petstore-expanded.yaml", 100.0, 100.0, 100.0), ("corpus/train-travel.yaml", 100.0, 100.0, 100.0)], "corpus");
}

/// A sample of a big document: every k-th path (about `want` of them, in
/// document order, a path whose cut would leave a dangling reference
/// skipped), cut with `codegen::subset` (the components they reach stay,
/// with their examples), written under the target dir. The whole documents
/// take minutes each (`scripts/conform.sh`); CI runs this sample of each.
fn sample(rel: &str, want: usize) -> Option<PathBuf> {
    let path = shared(rel)?;
    let doc = codegen::load::read_value(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    // Box's `/shared_items#web_links` and the like are variants of one URL
    // path: without their plain sibling in the sample, Prism cannot route
    // the request the client rightly sends to `/shared_items`.
    let paths: Vec<String> = doc["paths"].as_object().map(|m| m.keys().filter(|k| !k.contains('#')).cloned().collect()).unwrap_or_default();
    let step = paths.len().div_ceil(want).max(1);
    let mut kept: Vec<String> = Vec::new();
    let mut cut = None;
    for p in paths.iter().step_by(step) {
        // A pattern without `*` is the path key itself.
        let mut patterns = kept.clone();
        patterns.push(p.clone());
        let mut d = doc.clone();
        if codegen::subset::subset(&mut d, &patterns).is_ok() {
            kept = patterns;
            cut = Some(d);
        }
    }
    let cut = cut.unwrap_or_else(|| panic!("{rel}: no path of the sample could be cut out"));
    let name = Path::new(rel).file_stem().and_then(|s| s.to_str()).unwrap_or("doc").to_string();
    let out = repo().join("target/conform-samples").join(format!("{name}-sample.json"));
    std::fs::create_dir_all(out.parent().expect("a parent")).expect("create target/conform-samples");
    std::fs::write(&out, serde_json::to_string_pretty(&cut).expect("JSON")).expect("write the sample");
    println!("{rel}: {} of {} paths sampled", kept.len(), paths.len());
    Some(out)
}

/// A sample of each big document (the whole Telnyx API and the four big
/// corpus documents) meets issue 10's targets: 99 % of examples, 95 % of
/// operations accepted, 99 % of responses decoded. The full runs and their
/// tables: `scripts/conform.sh`.
#[test]
fn big_documents_on_a_sample_stay_above_their_floors() {
    // Measured 2026-11-30 on these 8-path samples: 100 % on every part of
    // all five (the whole documents: the note of issue 10 and
    // scripts/conform.sh).
    let docs: [(&str, f64, f64, f64); 5] = [
        ("upstream/telnyx/full-2026-07-16.yml", 99.0, 95.0, 99.0),
        ("corpus/spotify.yml", 99.0, 95.0, 99.0),
        ("corpus/discord.json", 99.0, 95.0, 99.0),
        ("corpus/twilio_api_v2010.json", 99.0, 95.0, 99.0),
        ("corpus/box.json", 99.0, 95.0, 99.0),
    ];
    let mut specs = Vec::new();
    for (rel, ..) in docs {
        match sample(rel, 8) {
            Some(p) => specs.push(p),
            None => return,
        }
    }
    check_floors_of(&docs, &specs, "big-sample");
}
