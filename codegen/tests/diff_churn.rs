//! Churn: how many lines of generated code change between two specs.
//!
//! For the real upstream pairs (read from `../../shared/upstream/telnyx/`,
//! skipped visibly when missing, a failure under `CI=true`) the per-file figures are a golden
//! table, and the full line diff is written to
//! `$CARGO_TARGET_TMPDIR/diff-churn/<pair>.diff` for review. For the no-op
//! fixture pairs, the generated code may differ only in doc comments.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One side of a line diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Keep,
    Del,
    Add,
}

/// A minimal line diff: common prefix and suffix cut, then LCS by dynamic
/// programming on what is left (generated files are a few thousand lines).
fn line_diff<'a>(a: &'a [&'a str], b: &'a [&'a str]) -> Vec<(Op, &'a str)> {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..].iter().rev().zip(b[pre..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let (n, m) = (ma.len(), mb.len());
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if ma[i] == mb[j] { lcs[at(i + 1, j + 1)] + 1 } else { lcs[at(i + 1, j)].max(lcs[at(i, j + 1)]) };
        }
    }
    let mut out: Vec<(Op, &str)> = a[..pre].iter().map(|l| (Op::Keep, *l)).collect();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && ma[i] == mb[j] {
            out.push((Op::Keep, ma[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[at(i, j + 1)] >= lcs[at(i + 1, j)]) {
            out.push((Op::Add, mb[j]));
            j += 1;
        } else {
            out.push((Op::Del, ma[i]));
            i += 1;
        }
    }
    out.extend(a[a.len() - suf..].iter().map(|l| (Op::Keep, *l)));
    out
}

struct Churn {
    table: String,
    diff: String,
    /// Changed lines that are not doc comments, per file.
    code_lines: Vec<(String, Op, String)>,
    total: (usize, usize),
}

fn churn(old: &Path, new: &Path) -> Churn {
    let cfg = codegen::EmitConfig::default();
    let a = codegen::generate_file(old, &cfg).unwrap_or_else(|e| panic!("{}: {e}", old.display()));
    let b = codegen::generate_file(new, &cfg).unwrap_or_else(|e| panic!("{}: {e}", new.display()));
    let files: BTreeSet<&String> = a.files.keys().chain(b.files.keys()).collect();
    let mut table = String::from("file                               removed   added   lines before -> after\n");
    let mut diff = String::new();
    let mut code_lines = Vec::new();
    let mut total = (0, 0);
    for f in files {
        let ta = a.files.get(f).map(String::as_str).unwrap_or("");
        let tb = b.files.get(f).map(String::as_str).unwrap_or("");
        let la: Vec<&str> = ta.lines().collect();
        let lb: Vec<&str> = tb.lines().collect();
        let d = line_diff(&la, &lb);
        let del = d.iter().filter(|(o, _)| *o == Op::Del).count();
        let add = d.iter().filter(|(o, _)| *o == Op::Add).count();
        total.0 += del;
        total.1 += add;
        let _ = writeln!(table, "{f:<34} {del:>8} {add:>7}   {} -> {}", la.len(), lb.len());
        if del + add > 0 {
            let _ = writeln!(diff, "=== {f}");
            for (o, l) in &d {
                match o {
                    Op::Keep => {}
                    Op::Del => {
                        let _ = writeln!(diff, "-{l}");
                    }
                    Op::Add => {
                        let _ = writeln!(diff, "+{l}");
                    }
                }
                let t = l.trim_start();
                // The CLI's help texts are docs kept as data (`help: "..."`),
                // and so are the descriptions in the MCP tools' schemas (one
                // a line in generated/mcp.rs).
                let cli_help = (f.ends_with("cli.rs") && (t.starts_with("help: \"") || t.starts_with("about: \"") || t.starts_with("long_about: \"")))
                    || (f.ends_with("mcp.rs") && t.starts_with("\"description\": \""));
                if *o != Op::Keep && !(cli_help || t.starts_with("///") || t.starts_with("//!") || t.starts_with("#[doc") || t.starts_with("// @generated")) {
                    code_lines.push((f.clone(), *o, l.to_string()));
                }
            }
        }
    }
    let _ = writeln!(table, "{:<34} {:>8} {:>7}", "total", total.0, total.1);
    Churn { table, diff, code_lines, total }
}

/// The upstream document, or `None` after a visible "skipped" line (a
/// failure under `CI=true`): see [`common::shared_file`].
fn upstream(name: &str) -> Option<PathBuf> {
    common::upstream_file(name)
}

fn check(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("diff_snapshots");
    settings.bind(|| insta::assert_snapshot!(name, text));
}

fn real_pair(old: &str, new: &str, name: &str) {
    let (Some(o), Some(n)) = (upstream(old), upstream(new)) else { return };
    let c = churn(&o, &n);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-churn");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join(format!("{name}.diff"));
    std::fs::write(&out, &c.diff).unwrap();
    eprintln!("{old} -> {new}: -{} +{} generated lines; full diff in {}\n{}", c.total.0, c.total.1, out.display(), c.table);
    let doc_only = c.total.0 + c.total.1 - c.code_lines.len();
    check(name, &format!("{}\nlines that are doc comments: {doc_only}; code lines: {}\n", c.table, c.code_lines.len()));
}

#[test]
fn churn_fax_2025_08_11_to_2025_09_25() {
    real_pair("fax-2025-08-11.yml", "fax-2025-09-25.yml", "churn_fax_2025_08_11_to_2025_09_25");
}

#[test]
fn churn_fax_2025_09_25_to_2026_07_16() {
    real_pair("fax-2025-09-25.yml", "fax-2026-07-16.yml", "churn_fax_2025_09_25_to_2026_07_16");
}

/// A spec change that does not change the API changes no line of code, at
/// most doc comments; reordered properties permute struct fields.
#[test]
fn noop_pairs_change_no_code() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff");
    let mut report = String::new();
    for case in ["noop_reorder", "noop_rename_components", "noop_inline_ref", "noop_docs", "noop_openapi_31"] {
        let c = churn(&base.join(case).join("old.yml"), &base.join(case).join("new.yml"));
        let _ = writeln!(report, "{case}: -{} +{} lines, {} of them code", c.total.0, c.total.1, c.code_lines.len());
        for (f, o, l) in &c.code_lines {
            let _ = writeln!(report, "  {f} {o:?} {l}");
        }
        if case == "noop_reorder" {
            // Struct fields follow the spec's property order, so reordered
            // properties reorder fields: the same lines, permuted.
            // The test double's example bodies built from a schema follow
            // its property order too: the same JSON with keys permuted.
            let mut del: Vec<String> = c.code_lines.iter().filter(|x| x.1 == Op::Del).map(|x| key_order_free(&x.2)).collect();
            let mut add: Vec<String> = c.code_lines.iter().filter(|x| x.1 == Op::Add).map(|x| key_order_free(&x.2)).collect();
            del.sort_unstable();
            add.sort_unstable();
            assert_eq!(del, add, "{case}: more than a permutation of lines\n{report}");
        } else {
            assert!(c.code_lines.is_empty(), "{case}: code changed, not only docs\n{report}");
        }
    }
    eprintln!("{report}");
    check("churn_noop_pairs", &report);
}

/// A line holding a raw-string JSON literal (`r#"{...}"#,`) with its object
/// keys sorted, so that a permutation of keys compares equal; other lines as is.
fn key_order_free(line: &str) -> String {
    let t = line.trim();
    let json = t.strip_prefix("r#\"").and_then(|r| r.strip_suffix("\"#,").or_else(|| r.strip_suffix("\"#")));
    match json.and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok()) {
        Some(v) => format!("json {}", sorted(&v)),
        None => line.to_string(),
    }
}

fn sorted(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys.iter().map(|k| format!("{k:?}:{}", sorted(&m[k.as_str()]))).collect();
            format!("{{{}}}", parts.join(","))
        }
        serde_json::Value::Array(a) => format!("[{}]", a.iter().map(sorted).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

#[test]
fn line_diff_counts() {
    let a = ["a", "b", "c", "d"];
    let b = ["a", "x", "c", "d", "e"];
    let d = line_diff(&a, &b);
    assert_eq!(d.iter().filter(|(o, _)| *o == Op::Del).count(), 1);
    assert_eq!(d.iter().filter(|(o, _)| *o == Op::Add).count(), 2);
    assert_eq!(line_diff(&a, &a).iter().filter(|(o, _)| *o != Op::Keep).count(), 0);
}
