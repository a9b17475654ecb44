//! Shared test support: generating fixtures and building generated crates.
#![allow(dead_code)]

use codegen::package::{crate_files, CrateOptions, DepsMode, SharedDeps, SHARED_DEPS_DIR};
use codegen::{EmitConfig, Files};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("codegen has a parent").to_path_buf()
}

/// `shared/upstream/telnyx`, beside the checkout.
pub fn upstream_dir() -> PathBuf {
    root().join("../shared/upstream/telnyx")
}

/// A file of `../shared` (the third-party documents beside the checkout,
/// never copied into the repository), e.g. `upstream/telnyx/fax-2026-07-16.yml`.
///
/// When it is missing the test cannot run: under `CI=true` that is a failure
/// (a skipped test must never count as a pass there); otherwise this prints
/// `skipped: ../shared not found (...)` and returns `None`, and the caller
/// returns early. The line is written to stderr directly rather than with
/// `eprintln!`, which the test harness captures and hides for passing tests.
pub fn shared_file(rel: &str) -> Option<PathBuf> {
    let path = root().join("../shared").join(rel);
    if path.exists() {
        return Some(path);
    }
    let test = std::thread::current().name().unwrap_or("?").to_string();
    assert!(!in_ci(), "{test}: ../shared not found ({} is missing) and CI is set: this test cannot run", path.display());
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr().lock(),
        "skipped: ../shared not found ({} is missing; test {test})",
        path.display()
    );
    None
}

/// Whether `CI` is set (`CI=true`, as CI services set it; `false`, `0` and
/// empty count as unset).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// [`shared_file`] for a document of `../shared/upstream/telnyx`.
pub fn upstream_file(name: &str) -> Option<PathBuf> {
    shared_file(&format!("upstream/telnyx/{name}"))
}

/// All fixture specs of a folder, sorted.
pub fn fixtures(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml" || e == "json"))
        .collect();
    v.sort();
    v
}

/// Generates a spec with the default config, labelled by its file name.
pub fn generate(path: &Path) -> codegen::Generated {
    let cfg = EmitConfig { spec_label: path.file_name().unwrap().to_string_lossy().into_owned(), ..EmitConfig::default() };
    codegen::generate_file(path, &cfg).unwrap_or_else(|e| panic!("{e}"))
}

/// One text with every file, for a snapshot.
pub fn concat(files: &Files) -> String {
    let mut s = String::new();
    for (path, text) in files {
        s.push_str(&format!("// ===== {path} =====\n"));
        s.push_str(text);
        s.push('\n');
    }
    s
}

/// Where generated crates are built in build mode (`cargo build`, `test`,
/// `run`, `package`): their artifacts; their intermediate files, the
/// dependencies among them, go to the workspace's own build dir
/// ([`workspace_build_dir`]). Shared with `xtask conform`.
pub const BUILD_TARGET: &str = "target/generated-target";

/// Where generated crates are checked (`cargo check`, `clippy`, `doc`, which
/// need only the dependencies' metadata), and where CI's `cargo doc` of the
/// workspace builds (`.ci/run`), so one check-mode dependency build serves
/// both.
///
/// A dir of its own because cargo lets one build at a time use a build dir:
/// with one dir the whole-API check (minutes of one single-threaded rustc)
/// held the other tests' builds for its whole run and left a core idle.
pub const CHECK_TARGET: &str = "target/generated-check";

/// The target dir of a cargo subcommand: [`CHECK_TARGET`] for the
/// check-mode ones, [`BUILD_TARGET`] otherwise.
pub fn target_for(args: &[&str]) -> PathBuf {
    root().join(match mode_of(args) {
        DepsMode::Check => CHECK_TARGET,
        DepsMode::Build => BUILD_TARGET,
    })
}

fn mode_of(args: &[&str]) -> DepsMode {
    DepsMode::of_subcommand(args.first().copied().unwrap_or(""))
}

/// The build dir of the workspace these tests were built in (the parent of
/// `CARGO_TARGET_TMPDIR`): build-mode builds of generated crates use it, so
/// the dependencies the workspace's test build compiled are theirs too.
pub fn workspace_build_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).to_path_buf()
}

/// The `_deps` member's manifests for this workspace, read once.
pub fn shared_deps() -> &'static SharedDeps {
    static SHARED: std::sync::OnceLock<SharedDeps> = std::sync::OnceLock::new();
    SHARED.get_or_init(|| SharedDeps::of_workspace(&root()).unwrap_or_else(|e| panic!("the workspace's manifests: {e}")))
}

/// Runs `cargo ARGS` in `dir` with the target dir the tests share for its
/// compile mode ([`target_for`]; a build also uses the workspace's build dir)
/// and, in a workspace with the `_deps` member, that member's manifest for
/// the mode and the workspace's `Cargo.lock` (so the dependencies resolve as
/// the workspace's own build resolved them: [`SharedDeps`]); without the
/// caller's `RUSTFLAGS`/`RUSTC_WORKSPACE_WRAPPER` (CI lints the workspace
/// through the wrapper; generated crates are linted by their own `cargo
/// clippy` calls or by [`cargo_linted`]), without debug info.
/// Returns the wall time, or cargo's output when it fails.
pub fn cargo(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Result<std::time::Duration, String> {
    let start = std::time::Instant::now();
    cargo_output(dir, args, envs).map(|_| start.elapsed())
}

/// `clippy-driver` of the active toolchain, if installed.
pub fn clippy_driver() -> Option<PathBuf> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc).args(["--print", "sysroot"]).output().ok()?;
    let sysroot = String::from_utf8(out.stdout).ok()?;
    let driver = Path::new(sysroot.trim()).join("bin/clippy-driver");
    driver.is_file().then_some(driver)
}

/// [`cargo`] for a build (`cargo test`/`build`) that also lints: every rustc
/// call of the workspace's members goes through `clippy-driver` (what `cargo
/// clippy` does, and what `.ci/run` does for this workspace), so a crate
/// that is built anyway is not compiled a second time in check mode for
/// clippy. The crates must deny warnings themselves (`#![deny(warnings)]`,
/// see [`deny_warnings`]). Without clippy the build still runs, unlinted,
/// saying so; under `CI=true` that is a failure.
pub fn cargo_linted(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Result<std::time::Duration, String> {
    let start = std::time::Instant::now();
    cargo_output_linted(dir, args, envs).map(|_| start.elapsed())
}

/// [`cargo_linted`], returning cargo's stdout and stderr when it succeeds.
pub fn cargo_output_linted(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Result<String, String> {
    let Some(driver) = clippy_driver() else {
        assert!(!in_ci(), "clippy-driver not found and CI is set: the generated crates cannot be linted");
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), "not linted: clippy-driver not found (rustup component add clippy)");
        return cargo_output(dir, args, envs);
    };
    let driver = driver.to_string_lossy().into_owned();
    let envs: Vec<(&str, &str)> = envs.iter().copied().chain([("RUSTC_WORKSPACE_WRAPPER", driver.as_str())]).collect();
    cargo_output(dir, args, &envs)
}

/// A test source with `#![deny(warnings)]` first, so a warning of rustc or
/// clippy in it fails the build (a test target is a crate of its own: the
/// library's attribute does not reach it). Inner doc comments may follow.
pub fn deny_warnings(source: &str) -> String {
    format!("#![deny(warnings)]\n{source}")
}

/// [`cargo`], returning cargo's stdout and stderr when it succeeds.
pub fn cargo_output(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Result<String, String> {
    let deps_manifest = dir.join(SHARED_DEPS_DIR).join("Cargo.toml");
    if deps_manifest.is_file() {
        let wanted = shared_deps().manifest(mode_of(args));
        if std::fs::read_to_string(&deps_manifest).ok().as_deref() != Some(wanted) {
            std::fs::write(&deps_manifest, wanted).map_err(|e| format!("{}: {e}", deps_manifest.display()))?;
        }
        // Cargo drops the lock entries a build does not use; a later build
        // of the other mode must not resolve them anew.
        std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(args).current_dir(dir).env("CARGO_TARGET_DIR", target_for(args));
    codegen::package::clear_inherited_cargo_env(&mut cmd);
    if mode_of(args) == DepsMode::Build {
        cmd.env("CARGO_BUILD_BUILD_DIR", workspace_build_dir());
    }
    cmd
        .env_remove("RUSTFLAGS")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        // No debug info: these crates are built to be checked and tested once
        // (a generated workspace has no profile of its own, so its
        // dependencies were built with full debug info: slower and bigger).
        .env("CARGO_PROFILE_DEV_DEBUG", "0");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().map_err(|e| format!("cannot run cargo: {e}"))?;
    let text = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if out.status.success() {
        Ok(text)
    } else {
        Err(format!("cargo {args:?} in {}:\n{text}", dir.display()))
    }
}

/// Writes a crate or workspace root (`files` holds a `Cargo.toml` with a
/// `[workspace]` table) to `dir`, replacing what was there, with the `_deps`
/// member that makes every build of the tests resolve the dependency
/// features of the workspace's own build ([`SharedDeps`]; [`cargo_output`]
/// switches it to the mode of each build and puts the workspace's
/// `Cargo.lock` beside it): run cargo there with `--workspace` so the member
/// takes part.
pub fn write_with_shared_deps(dir: &Path, mut files: Files) -> Result<(), String> {
    shared_deps().add_member(&mut files, DepsMode::Build).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(dir);
    codegen::write::write_dir(dir, &files).map_err(|e| e.to_string())
}

/// Writes the crates (name, files) as members of one workspace at `dir`
/// (with the shared `_deps` member, see [`write_with_shared_deps`]).
pub fn write_workspace(dir: &Path, crates: Vec<(String, Files)>) -> Result<(), String> {
    let mut files = Files::new();
    let mut members = Vec::new();
    for (name, crate_files) in crates {
        for (path, text) in crate_files {
            files.insert(format!("{name}/{path}"), text);
        }
        members.push(format!("\"{name}\""));
    }
    files.insert("Cargo.toml".into(), format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")));
    write_with_shared_deps(dir, files)
}

/// Writes each (name, generated files) as a crate of one workspace under
/// `target/generated-crates/<label>` and runs `cargo clippy -D warnings` (or
/// `cargo check` when clippy is absent) on it, with `#![deny(warnings)]` in
/// every crate. Dependencies are shared through one target dir, the
/// workspace's Cargo.lock and the `_deps` member, so only the generated code
/// is compiled each time.
pub fn build_crates(label: &str, crates: &[(String, Files)]) -> Result<std::time::Duration, String> {
    let root = root();
    let ws = root.join("target/generated-crates").join(label);
    let mut members = Vec::new();
    for (name, generated) in crates {
        let opts = CrateOptions { name: name.clone(), version: "0.0.0".into(), deny_warnings: true, standalone: false, ..Default::default() };
        let files = crate_files(generated, &codegen::package::Runtime::home(), &opts).map_err(|e| e.to_string())?;
        members.push((name.clone(), files));
    }
    write_workspace(&ws, members)?;
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let has_clippy = Command::new(&cargo_bin).args(["clippy", "--version"]).output().is_ok_and(|o| o.status.success());
    // With `cli` and `mcp`: the generated command-line table, the MCP
    // server's tools and both binaries are checked too (they are behind
    // those features).
    if has_clippy {
        cargo(&ws, &["clippy", "--workspace", "--quiet", "--features", "cli,mcp", "--", "-D", "warnings"], &[])
    } else {
        cargo(&ws, &["check", "--workspace", "--quiet", "--features", "cli,mcp"], &[])
    }
}

/// A crate with per-resource features (issue 13), at the least memory that
/// proves it: written under `target/generated-crates/<label>/<name>` with
/// `#![deny(warnings)]`, then `cargo check` with the default features
/// (`full`: every resource, the scale test) and `cargo clippy -D warnings`
/// with only the `sample` features (clippy of a whole 1,000-operation crate
/// is a 6 GB process). Returns the time of each run.
pub fn check_with_features(
    label: &str,
    name: &str,
    generated: &Files,
    plan: &codegen::emit::features::FeaturePlan,
    sample: &[&str],
) -> Result<Vec<(String, std::time::Duration)>, String> {
    let root = root();
    let dir = root.join("target/generated-crates").join(label).join(name);
    let opts = CrateOptions { name: name.into(), version: "0.0.0".into(), deny_warnings: true, standalone: true, ..Default::default() };
    let mut files = crate_files(generated, &codegen::package::Runtime::home(), &opts).map_err(|e| e.to_string())?;
    plan.write_manifest(&mut files).map_err(|e| e.to_string())?;
    write_with_shared_deps(&dir, files)?;
    let sample: Vec<String> = sample.iter().map(|f| format!("{name}/{f}")).collect();
    let sample = sample.join(",");
    let runs: [&[&str]; 2] =
        [&["check", "--workspace", "--quiet"], &["clippy", "--workspace", "--quiet", "--no-default-features", "--features", &sample, "--", "-D", "warnings"]];
    let mut times = Vec::new();
    for args in runs {
        // Not incremental: the crate is checked once, and the dependency
        // graph an incremental session keeps costs memory and time. Without
        // the huge pages CI gives rustc's allocator (`MALLOC_CONF` in
        // .ci/run): they made this check 13 % faster but its rustc 3.02 GB
        // instead of 2.80, over the 3 GB a CI process may take (issue 13).
        let t = cargo(&dir, args, &[("CARGO_INCREMENTAL", "0"), ("MALLOC_CONF", "")])?;
        times.push((args.join(" "), t));
    }
    Ok(times)
}
