//! A crate generated from any document is that API's crate. The fixtures of
//! `tests/fixtures/{auth,auth-order,pagination,paging-auto,webhooks-scheme}/` are each a document,
//! its crate config (`NAME.toml`) and a wire test (`NAME.rs`, wiremock) that
//! is copied into the generated crate as `tests/wire.rs`; the crates are
//! generated, then `cargo test` linted by clippy (warnings denied) and `doc
//! -D warnings` run in them (one workspace, dependencies built once per
//! compile mode: `common::BUILD_TARGET`, `common::CHECK_TARGET`). Corpus
//! documents are packaged as standalone crates and pass their own linted
//! `cargo test`, `doc` and `package`.

mod common;

use codegen::config::CrateConfig;
use codegen::package::{crate_files, About, CrateOptions};
use codegen::EmitConfig;
use common::cargo;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `(fixture folder, document, config)` of every fixture crate.
const FIXTURES: &[(&str, &str)] = &[("auth", "auth.yaml"), ("auth-order", "petstore.yaml"), ("pagination", "pagination.yaml"), ("paging-auto", "paging.yaml"), ("webhooks-scheme", "standard.yaml")];

fn fixture(dir: &str, file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir).join(file)
}

/// Generates the crate of a document with its config; returns (name, files).
fn generate_crate(spec: &Path, config: &CrateConfig, standalone: bool, deny_warnings: bool) -> (String, codegen::Files, codegen::ir::Api) {
    let cfg = EmitConfig { spec_label: spec.file_name().unwrap().to_string_lossy().into_owned(), crate_config: config.clone(), ..EmitConfig::default() };
    let generated = codegen::generate_file(spec, &cfg).unwrap_or_else(|e| panic!("{e}"));
    let name = config.crate_name(&generated.api.title);
    let opts = CrateOptions {
        name: name.clone(),
        version: "0.1.0".into(),
        standalone,
        deny_warnings,
        about: Some(About { skill: generated.skill.clone(), ..About::new(&generated.api, config) }),
    };
    let files = crate_files(&generated.files, &codegen::package::Runtime::home(), &opts).unwrap_or_else(|e| panic!("{e}"));
    (name, files, generated.api)
}

/// Files of a crate that mention Telnyx (case-insensitive), with a line each.
fn telnyx_mentions(files: &codegen::Files) -> Vec<String> {
    files
        .iter()
        .flat_map(|(path, text)| {
            text.lines().filter(|l| l.to_ascii_lowercase().contains("telnyx")).take(1).map(move |l| format!("{path}: {}", l.trim()))
        })
        .collect()
}

#[test]
fn fixture_crates_send_what_their_documents_declare() {
    let ws = common::root().join("target/generated-crates/identity");
    let mut members = Vec::new();
    for (dir, doc) in FIXTURES {
        let spec = fixture(dir, doc);
        let config = CrateConfig::load_file(&spec.with_extension("toml")).unwrap();
        let (name, mut files, _) = generate_crate(&spec, &config, false, true);
        let mentions = telnyx_mentions(&files);
        assert!(mentions.is_empty(), "{name} mentions Telnyx:\n{}", mentions.join("\n"));
        // The wire test and its dev-dependencies.
        files.insert("tests/wire.rs".into(), common::deny_warnings(&std::fs::read_to_string(spec.with_extension("rs")).unwrap()));
        let mut manifest: toml_edit::DocumentMut = files["Cargo.toml"].parse().unwrap();
        let mut dev = toml_edit::Table::new();
        dev["tokio"] = toml_edit::value(toml_edit::InlineTable::from_iter([("version", "1"), ("features", "full")].map(|(k, v)| {
            let v: toml_edit::Value = if k == "features" { toml_edit::Value::Array(toml_edit::Array::from_iter([v])) } else { v.into() };
            (k, v)
        })));
        dev["wiremock"] = toml_edit::value("0.6");
        dev["serde_json"] = toml_edit::value("1");
        manifest["dev-dependencies"] = toml_edit::Item::Table(dev);
        files.insert("Cargo.toml".into(), manifest.to_string());
        members.push((name, files));
    }
    common::write_workspace(&ws, members).unwrap_or_else(|e| panic!("{e}"));
    // Built, linted (every target `cargo test` builds: lib, lib tests,
    // tests/wire.rs) and run in one pass; then the docs.
    // The `testing` feature of the fixture without auth: its wire test
    // checks that the test double's client needs no credential.
    common::cargo_linted(&ws, &["test", "--workspace", "--quiet", "--features", "paging-fixture/testing"], &[]).unwrap_or_else(|e| panic!("{e}"));
    cargo(&ws, &["doc", "--workspace", "--no-deps", "--quiet"], &[("RUSTDOCFLAGS", "-D warnings")]).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn fixture_identity_comes_from_document_and_config() {
    let spec = fixture("auth", "auth.yaml");
    let config = CrateConfig::load_file(&spec.with_extension("toml")).unwrap();
    let (_, files, api) = generate_crate(&spec, &config, true, false);
    let cfg = &files["src/generated/config.rs"];
    for expected in [
        "pub const CRATE_NAME: &str = \"auth-fixture\"",
        "pub const ENV_PREFIX: &str = \"AUTHFIX\"",
        "pub const DEFAULT_BASE_URL: &str = \"https://api.example.com/v1\"",
        "pub const API_KEY_ENV: &str = \"AUTHFIX_API_KEY\"",
        "pub type ErrorBody = crate::types::Problem",
    ] {
        assert!(cfg.contains(expected), "missing {expected:?} in\n{cfg}");
    }
    assert_eq!(api.security.schemes.len(), 7);
    assert_eq!(api.security.per_operation.get("GetPublic"), Some(&vec![]));
    let manifest: toml_edit::DocumentMut = files["Cargo.toml"].parse().unwrap();
    assert_eq!(manifest["package"]["name"].as_str(), Some("auth-fixture"));
    assert!(files["README.md"].contains("auth_fixture::Client::from_env()"));
    assert!(files["src/lib.rs"].starts_with("//! # auth-fixture"), "{}", &files["src/lib.rs"][..200]);

    let spec = fixture("pagination", "pagination.yaml");
    let config = CrateConfig::load_file(&spec.with_extension("toml")).unwrap();
    let (_, _, api) = generate_crate(&spec, &config, true, false);
    let kinds: Vec<(&str, &str)> = api.paging.iter().map(|(op, p)| (op.as_str(), codegen::paging::kind_name(p))).collect();
    assert_eq!(
        kinds,
        [("ListAmbiguous", "cursor"), ("ListCursor", "cursor"), ("ListLink", "link"), ("ListMembers", "last-item"), ("ListNextUrl", "next-url"), ("ListOffset", "offset")]
    );
    assert!(api.single_page.contains_key("ListSingle"), "{:?}", api.single_page);
    // Without the config the ambiguous operation stays single page.
    let configured = api.paging["ListMembers"].clone();
    let (_, _, api) = generate_crate(&spec, &CrateConfig::default(), true, false);
    assert!(api.single_page["ListAmbiguous"].contains("ambiguous"), "{:?}", api.single_page);
    // The member's one object with an id (`user.id`) is found as the config names it.
    assert_eq!(api.paging["ListMembers"], configured);
    assert_eq!(api.paging_reasons["ListMembers"], "`after` = the last item's `user.id`, until a page is empty");
}

/// `--crate` on the small corpus documents: the standalone crate's own
/// `cargo test --all-features` (doctests and the runtime's unit tests included) linted by clippy with warnings denied,
/// `cargo doc -D warnings` and `cargo package` pass. The big ones
/// (discord, twilio, box: minutes each) run in `scripts/corpus-crates.sh`.
#[test]
fn corpus_crates_are_real_crates() {
    // (document, auth kinds, paging kinds with counts, single-page operations): read from each document.
    let expected: &[(&str, &str, &str, &str)] = &[
        ("petstore-expanded.yaml", "", "", "findPets"),
        ("train-travel.yaml", "oauth2", "next-url x3", ""),
        ("spotify.yml", "oauth2", "cursor x1, offset x15", ""),
    ];
    for &(doc, auth, paging, single) in expected {
        let Some(spec) = common::shared_file(&format!("corpus/{doc}")) else { return };
        // `#![deny(warnings)]`: the linted test build fails on any warning.
        let (name, files, api) = generate_crate(&spec, &CrateConfig::default(), true, true);
        let kinds: Vec<&str> = api.security.schemes.iter().map(|s| match s.kind {
            codegen::ir::AuthKind::Bearer => "bearer",
            codegen::ir::AuthKind::OAuth2 => "oauth2",
            codegen::ir::AuthKind::Basic => "basic",
            codegen::ir::AuthKind::Header(_) => "header",
            codegen::ir::AuthKind::Query(_) => "query",
            codegen::ir::AuthKind::Cookie(_) => "cookie",
        }).collect();
        assert_eq!(kinds.join(", "), auth, "{doc}: auth kinds");
        let mut counts = std::collections::BTreeMap::<&str, usize>::new();
        for p in api.paging.values() {
            *counts.entry(codegen::paging::kind_name(p)).or_default() += 1;
        }
        let counts: Vec<String> = counts.iter().map(|(k, n)| format!("{k} x{n}")).collect();
        assert_eq!(counts.join(", "), paging, "{doc}: paging kinds");
        assert_eq!(api.single_page.keys().cloned().collect::<Vec<_>>().join(", "), single, "{doc}: single-page operations");
        let mentions = telnyx_mentions(&files);
        assert!(mentions.is_empty(), "{name} mentions Telnyx:\n{}", mentions.join("\n"));
        let dir = common::root().join("target/generated-crates/corpus").join(&name);
        common::write_with_shared_deps(&dir, files).unwrap_or_else(|e| panic!("{e}"));
        // All features, as a user's CI builds them: the runtime's own unit
        // tests (`cli`) and doctests (`testing`) must hold for any API.
        common::cargo_linted(&dir, &["test", "--workspace", "--all-features", "--quiet"], &[]).unwrap_or_else(|e| panic!("{e}"));
        cargo(&dir, &["doc", "--workspace", "--all-features", "--no-deps", "--quiet"], &[("RUSTDOCFLAGS", "-D warnings")]).unwrap_or_else(|e| panic!("{e}"));
        cargo(&dir, &["package", "-p", &name, "--allow-dirty", "--no-verify", "--quiet"], &[]).unwrap_or_else(|e| panic!("{e}"));
        // Verified (built from the packaged files) for the two smallest only.
        if doc != "spotify.yml" {
            build_packaged(&name, "0.1.0").unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// What `cargo package`'s verification does, with the dependency build the
/// other tests share: unpacks `<target>/package/NAME-VERSION.crate` and
/// builds it as its own workspace (plus the `_deps` member, see
/// `common::write_with_shared_deps`). Cargo's own verify resolves the crate's
/// dependencies alone and so compiled tokio, hyper, rustls and reqwest once
/// more (72 s of a CI run).
fn build_packaged(name: &str, version: &str) -> Result<(), String> {
    let root = common::root();
    let archive = root.join(common::BUILD_TARGET).join(format!("package/{name}-{version}.crate"));
    let out = root.join("target/generated-crates/packaged");
    let _ = std::fs::remove_dir_all(out.join(format!("{name}-{version}")));
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let tar = Command::new("tar").arg("xzf").arg(&archive).arg("-C").arg(&out).status().map_err(|e| format!("tar: {e}"))?;
    if !tar.success() {
        return Err(format!("tar could not unpack {}", archive.display()));
    }
    let dir = out.join(format!("{name}-{version}"));
    // The unpacked files stay; the manifest gains a `[workspace]` table
    // (cargo's normalized manifest has none) with the `_deps` member.
    let path = dir.join("Cargo.toml");
    let mut manifest = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !manifest.lines().any(|l| l.trim() == "[workspace]") {
        manifest.push_str("\n[workspace]\n");
    }
    let mut files = codegen::Files::from([("Cargo.toml".to_string(), manifest)]);
    // `common::cargo` puts the workspace's Cargo.lock beside it.
    common::shared_deps().add_member(&mut files, codegen::package::DepsMode::Build).map_err(|e| e.to_string())?;
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    cargo(&dir, &["build", "--workspace", "--quiet"], &[]).map(|_| ())
}
