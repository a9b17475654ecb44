//! Per-resource cargo features (issue 13): the plan the generator computes
//! for a document, and a crate generated with `--features-per-resource` that
//! builds warning-free with each feature alone, with none, and with `full`.

mod common;

use codegen::emit::features::{FeatureMode, FeaturePlan, WEBHOOKS_FEATURE};
use codegen::package::{crate_files, CrateOptions};
use codegen::EmitConfig;

/// The fax spec, generated with every root resource behind a feature.
fn fax_with_features() -> codegen::Generated {
    let path = common::root().join("spec/telnyx-fax.yml");
    let cfg = EmitConfig { spec_label: "telnyx-fax.yml".into(), features: FeatureMode::On, ..EmitConfig::default() };
    codegen::generate_file(&path, &cfg).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn plan_gates_each_type_by_the_features_that_reach_it() {
    let generated = fax_with_features();
    let plan = FeaturePlan::new(&generated.api);
    let features: Vec<&str> = plan.features().into_iter().collect();
    assert_eq!(features, ["fax_applications", "faxes", WEBHOOKS_FEATURE]);
    let gate = |t: &str| plan.types.get(t).map(|s| s.iter().map(String::as_str).collect::<Vec<_>>());
    // Reached from one resource only: behind it.
    assert_eq!(gate("SendFaxRequest"), Some(vec!["faxes"]));
    assert_eq!(gate("CreateFaxApplicationRequest"), Some(vec!["fax_applications"]));
    // A webhook event's payload: behind the webhook events.
    assert_eq!(gate("FaxDeliveredData"), Some(vec![WEBHOOKS_FEATURE]));
    // Reached from both resources: behind either.
    assert_eq!(gate("PaginationMeta"), Some(vec!["fax_applications", "faxes"]));
    // Nothing is gated by a feature that does not exist.
    for set in plan.types.values() {
        for f in set {
            assert!(features.contains(&f.as_str()) || f == "full", "unknown feature {f}");
        }
    }
    // Off: no cfg in the output at all.
    let off = common::generate(&common::root().join("spec/telnyx-fax.yml"));
    assert!(off.files.values().all(|text| !text.contains("#[cfg(feature = \"faxes\")]")));
    let on = generated.files.values().filter(|text| text.contains("#[cfg(feature = \"faxes\")]")).count();
    assert!(on >= 2, "the types and the resources module are gated ({on} files)");
}

#[test]
fn mode_above_a_size() {
    let generated = common::generate(&common::root().join("spec/telnyx-fax.yml"));
    assert!(FeatureMode::Above(5).applies(&generated.api));
    assert!(!FeatureMode::Above(200).applies(&generated.api));
    assert!(!FeatureMode::Off.applies(&generated.api));
}

/// Writes the crate with its `[features]` table and runs `cargo check`
/// (warnings denied by `#![deny(warnings)]`) with no feature, each feature
/// alone with `cli`, and `cli` with the default (`full`); then clippy with
/// `full` and `cli`.
#[test]
fn fax_crate_builds_with_each_feature_alone_and_with_full() {
    let generated = fax_with_features();
    let plan = FeaturePlan::new(&generated.api);
    let root = common::root();
    let opts = CrateOptions { name: "fax-features".into(), version: "0.0.0".into(), deny_warnings: true, standalone: true, ..Default::default() };
    let mut files = crate_files(&generated.files, &codegen::package::Runtime::home(), &opts).unwrap_or_else(|e| panic!("{e}"));
    plan.write_manifest(&mut files).unwrap_or_else(|e| panic!("{e}"));
    let manifest = &files["Cargo.toml"];
    assert!(manifest.contains("default = [") && manifest.contains("\"full\""), "{manifest}");
    assert!(manifest.contains("faxes = []"), "{manifest}");
    let dir = root.join("target/generated-crates/features/fax-features");
    common::write_with_shared_deps(&dir, files).unwrap_or_else(|e| panic!("{e}"));
    // `--workspace` with the `_deps` member (dependency features shared with
    // the other builds of the tests); the crate's features by `name/feature`.
    let check = ["check", "--quiet", "--workspace", "--no-default-features"];
    common::cargo(&dir, &check, &[]).unwrap_or_else(|e| panic!("{e}"));
    // Each feature with the command-line tool's: its table and calls are
    // gated per resource too.
    for f in plan.features() {
        let feature = format!("fax-features/{f},fax-features/cli");
        common::cargo(&dir, &[&check[..], &["--features", &feature]].concat(), &[]).unwrap_or_else(|e| panic!("{e}"));
    }
    common::cargo(&dir, &[&check[..], &["--features", "fax-features/cli"]].concat(), &[]).unwrap_or_else(|e| panic!("{e}"));
    let clippy = ["clippy", "--quiet", "--workspace", "--features", "fax-features/cli", "--", "-D", "warnings"];
    common::cargo(&dir, &clippy, &[]).unwrap_or_else(|e| panic!("{e}"));
}
