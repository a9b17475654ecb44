//! The `cargo xtask generate` command line: bad inputs exit 1 with a one-line
//! error and write nothing (an existing output directory stays as it was);
//! `--include` and `--overlay` cut and fix a document before generation.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh scratch directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("xtask-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().expect("run xtask")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn repo(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel).display().to_string()
}

/// Every file under `dir` with its content, sorted.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}

/// Runs a failing generation twice: into a missing `--out`/`--crate` (must
/// stay missing) and into an existing one (must stay unchanged). Returns the
/// one error line.
fn fails_writing_nothing(scratch: &Scratch, spec: &Path, extra: &[&str]) -> String {
    let spec = spec.display().to_string();
    let out = scratch.0.join("out");
    let krate = scratch.0.join("crate");
    for (flag, dir) in [("--out", &out), ("--crate", &krate)] {
        let d = dir.display().to_string();
        let mut args = vec!["generate", "--spec", &spec, flag, &d];
        args.extend_from_slice(extra);
        let o = xtask(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(!dir.exists(), "{args:?} wrote {}", dir.display());

        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/keep.rs"), "// mine\n").unwrap();
        let before = snapshot(dir);
        let o = xtask(&args);
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(snapshot(dir), before, "{args:?} changed {}", dir.display());
        std::fs::remove_dir_all(dir).unwrap();
    }
    let mut args = vec!["generate", "--spec", &spec, "--out"];
    let o_dir = out.display().to_string();
    args.push(&o_dir);
    args.extend_from_slice(extra);
    let err = stderr(&xtask(&args));
    // Warnings come first, one per line; the failure itself is one error line.
    let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with("subset kept") && !l.starts_with("warning[")).collect();
    assert_eq!(lines.len(), 1, "one line expected:\n{err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    lines[0].to_string()
}

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let s = Scratch::new("yaml");
    let spec = s.file("bad.yml", "openapi: 3.0.3\ninfo:\n  title: t\n  version: [1\npaths: {}\n");
    let err = fails_writing_nothing(&s, &spec, &[]);
    let expect = format!("error: {}:", spec.display());
    assert!(err.starts_with(&expect), "{err}");
    let pos = &err[expect.len()..];
    let (line, rest) = pos.split_once(':').unwrap();
    let (col, _) = rest.split_once(':').unwrap();
    assert!(line.parse::<usize>().unwrap() >= 4 && col.parse::<usize>().is_ok(), "{err}");
    assert!(err.contains("invalid YAML"), "{err}");

    let json = s.file("bad.json", "{\"openapi\": \"3.0.3\",\n \"info\": }\n");
    let err = fails_writing_nothing(&s, &json, &[]);
    assert!(err.starts_with(&format!("error: {}:2:", json.display())) && err.contains("invalid JSON"), "{err}");
}

#[test]
fn unsupported_versions_are_errors() {
    let s = Scratch::new("versions");
    let swagger = s.file("swagger.yml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    let err = fails_writing_nothing(&s, &swagger, &[]);
    assert!(err.contains("at /swagger") && err.contains("Swagger 2.0 is not supported"), "{err}");
    let four = s.file("four.yml", "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    let err = fails_writing_nothing(&s, &four, &[]);
    assert!(err.contains("at /openapi") && err.contains("unsupported OpenAPI version 4.0.0"), "{err}");
}

/// A dangling `$ref` stops generation (Error severity in the lowering), naming
/// the pointer of the reference and its target.
#[test]
fn dangling_ref_is_a_warning_naming_the_pointer_and_denied_writes_nothing() {
    let s = Scratch::new("dangling");
    let spec = s.file(
        "dangling.yml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n",
    );
    // A defect confined to one schema is repaired (read as any JSON value)
    // with a warning; `--deny-warnings` turns it into a failure.
    let out = s.0.join("repaired").display().to_string();
    let o = xtask(&["generate", "--spec", &spec.display().to_string(), "--out", &out]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let warning = stderr(&o);
    assert!(warning.contains("warning[dangling-ref] at /components/schemas/A/properties/b") && warning.contains("#/components/schemas/Missing"), "{warning}");
    let err = fails_writing_nothing(&s, &spec, &["--deny-warnings"]);
    assert!(err.contains("--deny-warnings"), "{err}");
}

#[test]
fn deny_warnings_writes_nothing() {
    let s = Scratch::new("deny");
    let spec = s.file(
        "warn.yml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: same\n      responses: {'204': {description: x}}\n  /b:\n    get:\n      operationId: same\n      responses: {'204': {description: x}}\n",
    );
    let out = s.0.join("out").display().to_string();
    let o = xtask(&["generate", "--spec", &spec.display().to_string(), "--out", &out, "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("warning[duplicate-operation-id]") && stderr(&o).contains("--deny-warnings"), "{}", stderr(&o));
    assert!(!s.0.join("out").exists());
}

#[test]
fn include_cuts_a_crate_and_bad_patterns_write_nothing() {
    let s = Scratch::new("include");
    let shop = repo("codegen/tests/fixtures/subset/shop.yml");
    let krate = s.0.join("crate").display().to_string();
    let o = xtask(&["generate", "--spec", &shop, "--crate", &krate, "--include", "/orders*", "--include", "order.*"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("3 operations") && stdout.contains("1 webhook events"), "{stdout}");
    assert!(stderr(&o).contains("subset kept 3 of 4 operations"), "{}", stderr(&o));
    assert!(s.0.join("crate/Cargo.toml").exists());

    let s = Scratch::new("include-bad");
    let err = fails_writing_nothing(&s, Path::new(&shop), &["--include", "/orders*", "--include", "/nothing*"]);
    assert!(err.contains("--include `/nothing*`: no path matches it"), "{err}");
}

#[test]
fn overlays_apply_before_generation() {
    let s = Scratch::new("overlay");
    let base = repo("codegen/tests/fixtures/overlay/base.yml");
    let out = s.0.join("out").display().to_string();
    let plain = xtask(&["generate", "--spec", &base, "--out", &out]);
    assert!(plain.status.success() && stderr(&plain).contains("duplicate-operation-id"), "{}", stderr(&plain));
    for overlay in ["fixes.overlay.yml", "fixes.patch.json"] {
        let file = repo(&format!("codegen/tests/fixtures/overlay/{overlay}"));
        let o = xtask(&["generate", "--spec", &base, "--out", &out, "--overlay", &file, "--deny-warnings"]);
        assert!(o.status.success(), "{overlay}: {}", stderr(&o));
        assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    }
    // Overlay first, then the subset (the overlay removed /admin/purge).
    let s = Scratch::new("overlay-bad");
    let file = repo("codegen/tests/fixtures/overlay/fixes.overlay.yml");
    let err = fails_writing_nothing(&s, Path::new(&base), &["--overlay", &file, "--include", "/admin*"]);
    assert!(err.contains("`/admin*`"), "{err}");
    // A bad overlay names its file.
    let bad = s.file("bad.overlay.yml", "overlay: 1.0.0\nactions:\n  - target: $.paths[?(@.get)]\n    remove: true\n");
    let err = fails_writing_nothing(&s, Path::new(&base), &["--overlay", &bad.display().to_string()]);
    assert!(err.contains(&bad.display().to_string()) && err.contains("/actions/0/target") && err.contains("filter"), "{err}");
}

/// `--check` passes on fresh output and fails, naming the stale file and the
/// command to run, once the spec changes; it never writes.
#[test]
fn check_detects_a_spec_edit() {
    let scratch = Scratch::new("check");
    let spec_text = std::fs::read_to_string(repo("spec/telnyx-fax.yml")).unwrap();
    let spec = scratch.file("spec.yml", &spec_text);
    let out = scratch.0.join("generated");
    let (spec_s, out_s) = (spec.display().to_string(), out.display().to_string());
    assert!(xtask(&["generate", "--spec", &spec_s, "--out", &out_s]).status.success());
    let ok = xtask(&["generate", "--spec", &spec_s, "--out", &out_s, "--check"]);
    assert!(ok.status.success(), "{}", stderr(&ok));

    // A reworded operation summary changes the generated docs.
    let edited = spec_text.replacen("summary: List fax applications", "summary: List every fax application", 1);
    assert_ne!(edited, spec_text);
    std::fs::write(&spec, edited).unwrap();
    let before = snapshot(&out);
    let stale = xtask(&["generate", "--spec", &spec_s, "--out", &out_s, "--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let err = stderr(&stale);
    assert!(err.contains("(changed)") && err.contains("run `cargo xtask generate`"), "{err}");
    assert_eq!(snapshot(&out), before, "--check must not write");
}

/// Into a crate's `src/generated`, the runtime is written beside it from
/// its neutral home (`codegen/runtime/`), named as the crate, its crate
/// docs from `<spec>.docs.md` and its examples from `<spec>.examples.md`;
/// the files are listed in the crate root's marker, so `--check` reports a
/// hand edit of the copy and the next run restores it.
#[test]
fn the_runtime_copy_is_generated_and_a_hand_edit_is_caught() {
    let scratch = Scratch::new("runtime");
    let spec = scratch.file("fax.yml", &std::fs::read_to_string(repo("spec/telnyx-fax.yml")).unwrap());
    scratch.file("fax.docs.md", "# Hand-written crate docs\n\nSee [`Client`].\n");
    scratch.file("fax.examples.md", "<!-- example: blocking -->\n```no_run\n// the crate's own blocking example\n```\n<!-- /example -->\n");
    let root = scratch.0.join("my-fax");
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("Cargo.toml"), "[package]\nname = \"my-fax\"\nversion = \"2.3.0\"\n").unwrap();
    let out = root.join("src/generated");
    let (spec_s, out_s) = (spec.display().to_string(), out.display().to_string());
    let run = xtask(&["generate", "--spec", &spec_s, "--out", &out_s]);
    assert!(run.status.success(), "{}", stderr(&run));
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    assert!(lib.starts_with("//! # Hand-written crate docs\n//!\n//! See [`Client`].\n"), "{lib}");
    let blocking = std::fs::read_to_string(root.join("src/blocking.rs")).unwrap();
    assert!(blocking.contains("//! // the crate's own blocking example") && !blocking.contains("my_api"), "{blocking}");
    let testing = std::fs::read_to_string(root.join("src/testing.rs")).unwrap();
    assert!(testing.contains("my-fax = { version = \"2.3\"") && !testing.contains("my_api"), "the API's own examples, named as the crate");
    let marker = std::fs::read_to_string(root.join(".openapi-generated")).unwrap();
    assert!(marker.lines().any(|l| l == "src/client.rs") && marker.lines().any(|l| l == "src/testing/signer.rs"), "{marker}");
    let ok = xtask(&["generate", "--spec", &spec_s, "--out", &out_s, "--check"]);
    assert!(ok.status.success(), "{}", stderr(&ok));

    let client = root.join("src/client.rs");
    let original = std::fs::read_to_string(&client).unwrap();
    std::fs::write(&client, format!("{original}// a hand edit\n")).unwrap();
    let stale = xtask(&["generate", "--spec", &spec_s, "--out", &out_s, "--check"]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(stderr(&stale).contains("src/client.rs (changed)"), "{}", stderr(&stale));
    assert!(xtask(&["generate", "--spec", &spec_s, "--out", &out_s]).status.success());
    assert_eq!(std::fs::read_to_string(&client).unwrap(), original, "the next run restores the copy");
}

/// Two resources, `pets` and `owners` (one file each under `resources/`);
/// `with_owners: false` drops the second.
fn two_resources(with_owners: bool) -> String {
    let mut spec = "openapi: 3.0.3\ninfo: {title: Pets, version: '1.0.0'}\npaths:\n  /pets:\n    get: {operationId: listPets, responses: {'204': {description: x}}}\n".to_string();
    if with_owners {
        spec.push_str("  /owners:\n    get: {operationId: listOwners, responses: {'204': {description: x}}}\n");
    }
    spec
}

/// A folder the generator did not write (a repository with notes and
/// hand-written code) is refused, exit 1, and left exactly as it was, for
/// `--crate` and `--out`; the error says how to proceed.
#[test]
fn a_folder_the_generator_did_not_write_is_refused_untouched() {
    let s = Scratch::new("foreign");
    let spec = s.file("pets.yml", &two_resources(true)).display().to_string();
    for flag in ["--crate", "--out"] {
        let dir = s.0.join(format!("project{flag}"));
        std::fs::create_dir_all(dir.join(".git/refs")).unwrap();
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(dir.join("NOTES.md"), "# my notes\n").unwrap();
        std::fs::write(dir.join("src/handwritten.rs"), "pub fn mine() {}\n").unwrap();
        let before = snapshot(&dir);
        let d = dir.display().to_string();
        let o = xtask(&["generate", "--spec", &spec, flag, &d]);
        assert_eq!(o.status.code(), Some(1), "{flag}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("not written by the generator") && err.contains("new or empty folder") && err.contains(".openapi-generated"), "{err}");
        assert_eq!(snapshot(&dir), before, "{flag} changed the folder");
        assert!(dir.join(".git/refs").is_dir());
    }
}

/// A crate the generator wrote, then its user added files to: regenerated,
/// the user's files kept, the file of a removed operation deleted; a fresh
/// empty folder works too.
#[test]
fn regenerating_a_crate_keeps_the_users_files_and_drops_removed_operations() {
    let s = Scratch::new("regen");
    let spec = s.file("pets.yml", &two_resources(true)).display().to_string();
    let dir = s.0.join("crate");
    // An empty folder that already exists (as `cargo new` or `mkdir` leaves it).
    std::fs::create_dir_all(&dir).unwrap();
    let d = dir.display().to_string();
    let o = xtask(&["generate", "--spec", &spec, "--crate", &d]);
    assert!(o.status.success(), "{}", stderr(&o));
    let owners = dir.join("src/generated/resources/owners.rs");
    assert!(owners.is_file() && dir.join(".openapi-generated").is_file());

    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(dir.join("NOTES.md"), "# my notes\n").unwrap();
    std::fs::write(dir.join("src/handwritten.rs"), "pub fn mine() {}\n").unwrap();
    std::fs::write(dir.join("src/generated/resources/extra.rs"), "// mine too\n").unwrap();
    std::fs::write(s.0.join("pets.yml"), two_resources(false)).unwrap();
    let o = xtask(&["generate", "--spec", &spec, "--crate", &d]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!owners.exists(), "the removed operation's file stays");
    assert!(dir.join("src/generated/resources/pets.rs").is_file());
    for (file, text) in [(".git/HEAD", "ref: refs/heads/main\n"), ("NOTES.md", "# my notes\n"), ("src/handwritten.rs", "pub fn mine() {}\n"), ("src/generated/resources/extra.rs", "// mine too\n")] {
        assert_eq!(std::fs::read_to_string(dir.join(file)).unwrap(), text, "{file}");
    }
    let marker = std::fs::read_to_string(dir.join(".openapi-generated")).unwrap();
    assert!(marker.starts_with("# openapi-generated") && marker.contains("\nsrc/generated/resources/pets.rs\n"), "{marker}");
    assert!(!marker.contains("owners.rs") && !marker.contains("NOTES.md") && !marker.contains("handwritten"), "{marker}");
    // No staging or backup folder is left beside it.
    let siblings: Vec<String> = std::fs::read_dir(&s.0).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(siblings.iter().all(|n| !n.starts_with('.')), "{siblings:?}");
}

/// `info.version` is free text; the crate's `version` must be semver: Cargo
/// reads each generated manifest, the document's text stays in the docs.
#[test]
fn non_semver_info_versions_make_valid_crate_versions() {
    let s = Scratch::new("versions-crate");
    for (info, expected) in [("2020-09-14_1.697.4", "2020.9.14"), ("v1", "1.0.0"), ("vv6.6.2", "6.6.2"), ("2026.06.3", "2026.6.3")] {
        let spec = s.file("v.yml", &format!("openapi: 3.0.3\ninfo: {{title: Pets, version: '{info}'}}\npaths: {{}}\n")).display().to_string();
        let dir = s.0.join(format!("crate-{expected}"));
        let d = dir.display().to_string();
        let o = xtask(&["generate", "--spec", &spec, "--crate", &d]);
        assert!(o.status.success(), "{info}: {}", stderr(&o));
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let meta = Command::new(cargo).args(["metadata", "--no-deps", "--offline", "--format-version", "1"]).current_dir(&dir).output().unwrap();
        assert!(meta.status.success(), "{info}: cargo cannot read the manifest: {}", stderr(&meta));
        let text = String::from_utf8_lossy(&meta.stdout);
        assert!(text.contains(&format!("\"version\":\"{expected}\"")), "{info}: {text}");
        let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
        assert!(readme.contains(&format!("`{info}`")), "{info}: {readme}");
    }
}
