//! Snapshot tests of generated code: one small fixture spec per construct
//! (`tests/fixtures/constructs/*.yml`), each snapshot reviewed with
//! `cargo insta review`. `fixtures_compile` builds every snapshot as a crate
//! under `#![deny(warnings)]` and clippy, so a snapshot can't hide code that
//! does not compile. `real_spec_is_checked_in` is the golden test of the real
//! output: the checked-in `telnyx-fax/src/generated` must equal a fresh run.

mod common;

#[test]
fn constructs() {
    for path in common::fixtures("constructs") {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let generated = common::generate(&path);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(name.clone());
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!("construct", common::concat(&generated.files)));
    }
}

/// Every construct fixture's crate builds with warnings denied and clippy
/// clean, except those `decode.rs` builds anyway (a `fixtures/decode/NAME.rs`
/// test): that test builds the same crate through clippy-driver with
/// warnings denied (`common::cargo_linted`), so checking it here again only
/// cost CI a second compile.
#[test]
fn fixtures_compile() {
    let decode_tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decode");
    let crates: Vec<(String, codegen::Files)> = common::fixtures("constructs")
        .iter()
        .filter(|p| !decode_tests.join(p.with_extension("rs").file_name().unwrap()).is_file())
        .map(|p| (format!("fixture-{}", p.file_stem().unwrap().to_string_lossy().replace('_', "-")), common::generate(p).files))
        .collect();
    if let Err(e) = common::build_crates("constructs", &crates) {
        panic!("generated fixture code does not build cleanly:\n{e}");
    }
}

#[test]
fn real_spec_is_checked_in() {
    let root = common::root();
    // The same inputs as `cargo xtask generate`: the spec and the crate config beside it.
    let spec = root.join("spec/telnyx-fax.yml");
    let crate_config = codegen::config::CrateConfig::beside_spec(&spec).unwrap_or_else(|e| panic!("{e}"));
    let cfg = codegen::EmitConfig { crate_config, ..codegen::EmitConfig::default() };
    let generated = codegen::generate_file(&spec, &cfg).unwrap_or_else(|e| panic!("{e}"));
    let stale = codegen::write::check_dir(&root.join("telnyx-fax/src/generated"), &generated.files).unwrap();
    assert!(stale.is_empty(), "telnyx-fax/src/generated is stale, run `cargo xtask generate`: {stale:?}");
}

#[test]
fn generation_is_deterministic() {
    let root = common::root();
    let cfg = codegen::EmitConfig::default();
    let a = codegen::generate_file(&root.join("spec/telnyx-fax.yml"), &cfg).unwrap();
    let b = codegen::generate_file(&root.join("spec/telnyx-fax.yml"), &cfg).unwrap();
    assert_eq!(a.files, b.files);
    for (path, text) in &a.files {
        assert!(text.starts_with("// @generated"), "{path} lacks the @generated header");
    }
}
