//! Golden API change reports for real pairs of the Telnyx fax spec, read from
//! `../../shared/upstream/telnyx/` (never copied into the repo). When that
//! folder is missing the tests print "skipped" (and fail under `CI=true`).

mod common;

use codegen::diff::{diff, Version};
use std::path::PathBuf;

/// The upstream document, or `None` after a visible "skipped" line (a
/// failure under `CI=true`): see [`common::shared_file`].
fn upstream(name: &str) -> Option<PathBuf> {
    common::upstream_file(name)
}

fn report(old: &str, new: &str) -> Option<codegen::diff::Report> {
    let (o, n) = (upstream(old)?, upstream(new)?);
    let (a, _) = codegen::lower_file(&o).expect("old spec lowers");
    let (b, _) = codegen::lower_file(&n).expect("new spec lowers");
    Some(diff(&a, &b).with_labels(old, new).with_version(Version::parse("0.1.0")))
}

/// Snapshots live in `tests/diff_snapshots/`, apart from the emitter's.
fn check(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("diff_snapshots");
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn fax_2025_08_11_to_2025_09_25() {
    let Some(r) = report("fax-2025-08-11.yml", "fax-2025-09-25.yml") else { return };
    check("fax_2025_08_11_to_2025_09_25", &r.render_text(false));
}

#[test]
fn fax_2025_09_25_to_2026_07_16() {
    let Some(r) = report("fax-2025-09-25.yml", "fax-2026-07-16.yml") else { return };
    check("fax_2025_09_25_to_2026_07_16", &r.render_text(false));
}
