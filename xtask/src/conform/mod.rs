//! `cargo xtask conform`: does the crate generated for a document work on
//! the data that document describes?
//!
//! For each `--spec`: generate the crate into a temporary directory (as
//! `cargo xtask generate --crate` does) under the target dir
//! (`<target>/conform-crates/<slug>`, files rewritten only when they change,
//! so a second run rebuilds only what changed), add a generated harness as
//! example targets ([`harness`], split into chunks so no rustc process holds
//! a whole big API), build them with one cargo call and one target dir shared
//! by every conformance build (`$CARGO_TARGET_DIR`, else
//! `<repo>/target/conform-target`) so dependencies compile once, then
//!
//! * decode every example of the document into the generated type at its
//!   place and encode it again ([`examples`], judged against the schema by
//!   [`schema`]);
//! * call every operation (or `--prism-sample N` of them) through the
//!   generated client against Prism serving the same document ([`prism`],
//!   arguments from [`values`]).
//!
//! A document that cannot be generated or built is a row with its error,
//! never a panic. The table goes to stdout, `--json PATH` writes every count
//! and failure ([`report`]).

pub mod examples;
pub mod harness;
pub mod prism;
pub mod report;
pub mod schema;
pub mod values;

use codegen::package::{crate_files, CrateOptions};
use codegen::{EmitConfig, Severity};
use report::{DocReport, Failure};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// `cargo xtask conform` arguments.
#[derive(clap::Args)]
pub struct ConformArgs {
    /// An OpenAPI document (repeatable).
    #[arg(long = "spec", value_name = "FILE", required = true)]
    pub specs: Vec<PathBuf>,
    /// Also write the full report (counts and every failure) as JSON here.
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,
    /// Call only a deterministic, evenly spread sample of N operations.
    #[arg(long, value_name = "N")]
    pub prism_sample: Option<usize>,
    /// Skip the Prism part.
    #[arg(long)]
    pub no_prism: bool,
    /// Keep the cases files (their directory is printed; the crate itself
    /// always stays under `<target>/conform-crates/`).
    #[arg(long)]
    pub keep: bool,
    /// Named types one harness example may reach before the next one starts
    /// (smaller: more, smaller rustc processes).
    #[arg(long, value_name = "N", default_value_t = harness::ChunkBudget::default().types)]
    pub chunk_types: usize,
}

/// Runs the conformance check on every document and prints the table.
pub fn conform(args: ConformArgs) -> Result<ExitCode, String> {
    let repo = repo_root();
    let mut reports = Vec::new();
    for spec in &args.specs {
        let path = crate::root_relative(spec);
        eprintln!("conform: {}", spec.display());
        let report = run_document(&path, &spec.display().to_string(), &repo, &args);
        eprintln!("conform: {} done in {:.0} s", spec.display(), report.total_seconds());
        reports.push(report);
    }
    print!("{}", report::table(&reports));
    for r in &reports {
        let classes: Vec<String> = prism::group(&r.failures).into_iter().map(|(c, n)| format!("{c} {n}")).collect();
        if !classes.is_empty() {
            println!("{}: {}", r.document, classes.join(", "));
        }
    }
    if let Some(p) = &args.json {
        let text = serde_json::to_string_pretty(&reports).map_err(|e| e.to_string())?;
        std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The target dir every conformance build shares.
pub fn target_dir(repo: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => repo.join("target/conform-target"),
    }
}

/// `fax-2020-09-22.yml` -> `fax_2020_09_22`.
fn slug(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("doc");
    let mut s: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'd');
    }
    s
}

fn run_document(path: &Path, label: &str, repo: &Path, args: &ConformArgs) -> DocReport {
    let mut r = DocReport { document: label.to_string(), prism: "not run".into(), ..DocReport::default() };
    let t = Instant::now();
    let doc = match codegen::load::read_value(path) {
        Ok(d) => d,
        Err(e) => {
            r.generate_error = Some(e.to_string());
            return r;
        }
    };
    let cfg = EmitConfig { spec_label: label.to_string(), ..EmitConfig::default() };
    let generated = match codegen::generate_file(path, &cfg) {
        Ok(g) => g,
        Err(e) => {
            r.generate_error = Some(e.to_string());
            r.seconds.push(("generate".into(), t.elapsed().as_secs_f64()));
            return r;
        }
    };
    r.warnings = generated.diagnostics.iter().filter(|d| d.severity >= Severity::Warning).count();
    let api = &generated.api;
    r.operations.operations = api.operations.len();

    // What the harness will do.
    let cases = examples::collect(&doc, api);
    let binary = harness::binary_types(api);
    let mut targets: Vec<(codegen::ir::Ty, bool)> = Vec::new();
    let mut case_json = Vec::new();
    for (id, c) in cases.iter().enumerate() {
        let Some(t) = c.target.as_ref().filter(|(ty, _)| harness::decodable(ty, &binary)) else { continue };
        let idx = match targets.iter().position(|x| x == t) {
            Some(i) => i,
            None => {
                targets.push(t.clone());
                targets.len() - 1
            }
        };
        case_json.push(json!({ "id": id, "t": idx, "value": c.value }));
    }
    let (calls, missing) = prism::find_calls(&generated.files, api);
    r.failures.extend(missing);
    let slug = slug(path);
    let lib = format!("conform_{slug}");
    let runtime_auth = values::runtime_has_credentials(repo);
    let credentials = values::client_credentials(&doc, runtime_auth);
    let input = harness::HarnessInput { lib: &lib, api, targets: &targets, calls: &calls, credentials: &credentials };
    let budget = harness::ChunkBudget { types: args.chunk_types.max(1), ..harness::ChunkBudget::default() };
    let chunks = harness::chunks(&input, &format!("conform_{slug}"), budget);
    eprintln!("conform: harness in {} example(s)", chunks.len());
    r.seconds.push(("generate".into(), t.elapsed().as_secs_f64()));

    // Build.
    let t = Instant::now();
    let dir = match tempfile::Builder::new().prefix(&format!("conform-{slug}-")).disable_cleanup(args.keep).tempdir() {
        Ok(d) => {
            if args.keep {
                eprintln!("conform: keeping {}", d.path().display());
            }
            d
        }
        Err(e) => {
            r.build_error = Some(format!("no temporary directory: {e}"));
            return r;
        }
    };
    let bins = match build(&generated.files, &chunks, &slug, repo) {
        Ok((bins, warnings)) => {
            r.compiled = true;
            if warnings > 0 {
                r.failures.push(Failure::new("compile-warning", "", format!("the generated crate compiles with {warnings} warning(s)")));
            }
            bins
        }
        Err(e) => {
            r.build_error = Some(e);
            r.seconds.push(("build".into(), t.elapsed().as_secs_f64()));
            return r;
        }
    };
    r.seconds.push(("build".into(), t.elapsed().as_secs_f64()));

    // Examples.
    let t = Instant::now();
    let mut decoded: BTreeMap<usize, examples::Decoded> = BTreeMap::new();
    for (chunk, bin) in chunks.iter().zip(&bins) {
        let mine: Vec<Value> = case_json.iter().filter(|c| c["t"].as_u64().is_some_and(|t| chunk.targets.binary_search(&(t as usize)).is_ok())).cloned().collect();
        if mine.is_empty() {
            continue;
        }
        let cases_file = dir.path().join(format!("examples-{}.json", chunk.name));
        match run_harness(bin, &["examples"], &cases_file, &Value::Array(mine), Duration::from_secs(600)) {
            Ok(lines) => decoded.extend(lines.into_iter().filter_map(|v| serde_json::from_value::<examples::Decoded>(v).ok()).map(|d| (d.id, d))),
            Err(e) => r.failures.push(Failure::new("harness", "", format!("{}: {e}", chunk.name))),
        }
    }
    let mut checker = schema::SchemaCheck::new(&doc);
    if let Some(e) = &checker.setup_error {
        r.failures.push(Failure::new("schema-setup", "", format!("examples not validated against their schemas: {e}")));
    }
    examples::classify(&cases, &decoded, api, &doc, &mut checker, &mut r.examples, &mut r.failures);
    r.seconds.push(("examples".into(), t.elapsed().as_secs_f64()));

    // Operations against Prism.
    if !args.no_prism {
        let t = Instant::now();
        let harness: Vec<(&harness::Chunk, &Path)> = chunks.iter().zip(bins.iter().map(PathBuf::as_path)).collect();
        run_prism(path, &harness, dir.path(), &calls, api, &doc, args.prism_sample, repo, &mut r);
        r.seconds.push(("prism".into(), t.elapsed().as_secs_f64()));
    }
    r
}

#[allow(clippy::too_many_arguments)]
fn run_prism(
    path: &Path,
    harness: &[(&harness::Chunk, &Path)],
    dir: &Path,
    calls: &[harness::Call],
    api: &codegen::ir::Api,
    doc: &Value,
    sample: Option<usize>,
    repo: &Path,
    r: &mut DocReport,
) {
    let Some(prism_bin) = prism::prism_bin(repo) else {
        r.prism = "not installed (scripts/prism.sh install, or PRISM_BIN)".into();
        return;
    };
    let picked = prism::sample_indices(calls.len(), sample);
    if picked.is_empty() {
        r.prism = "ok (no operations)".into();
        return;
    }
    // Prism is given the document as JSON, as the generator read it: its
    // YAML parser refuses what YAML allows and the generator reads (Vimeo's
    // unquoted `200:` response keys, "mapping key must be a string scalar
    // rather than number"), and then no operation could be called.
    let json_copy = dir.join("document.json");
    let path = match serde_json::to_string(doc).map(|text| std::fs::write(&json_copy, text)) {
        Ok(Ok(())) => json_copy.as_path(),
        _ => path,
    };
    let mut server = match prism::Prism::start(&prism_bin, path, dir, Duration::from_secs(600)) {
        Ok(p) => p,
        Err(e) => {
            r.prism = format!("cannot serve the document: {e}");
            r.failures.push(Failure::new("prism-load", "", r.prism.clone()));
            return;
        }
    };
    let mut checker = schema::SchemaCheck::new(doc);
    let auth = values::runtime_has_credentials(repo);
    let cases: Vec<Value> = picked.iter().enumerate().map(|(id, &i)| prism::case_for(id, i, &calls[i], api, doc, auth, &mut checker)).collect();
    // Each chunk's binary makes its own calls, against the same server. A
    // call that makes Prism exit (Telnyx's `GET /documents/{id}/download`
    // declares the media type `*`, which Prism's negotiator throws on) is
    // answered as such; Prism is started again for the calls after it.
    let mut lines = Ok(Vec::new());
    let mut restarts = 0;
    'chunks: for (chunk, bin) in harness {
        let mut pending: Vec<Value> = cases.iter().filter(|c| c["call"].as_u64().is_some_and(|i| chunk.calls.binary_search(&(i as usize)).is_ok())).cloned().collect();
        while !pending.is_empty() {
            let file = dir.join(format!("ops-{}.json", chunk.name));
            let limit = Duration::from_secs(60 + 35 * pending.len() as u64);
            let answers = match run_harness(bin, &["ops", &server.base_url()], &file, &Value::Array(pending.clone()), limit) {
                Ok(a) => a,
                Err(e) => {
                    lines = Err(format!("{}: {e}", chunk.name));
                    break 'chunks;
                }
            };
            if !server.exited() {
                if let Ok(all) = &mut lines {
                    all.extend(answers);
                }
                break;
            }
            // Prism died: answers up to the first call without any HTTP
            // status are real; that call is the one Prism died on.
            let by_id: BTreeMap<u64, &Value> = answers.iter().filter_map(|v| Some((v.get("id")?.as_u64()?, v))).collect();
            let answered = |c: &Value| c["id"].as_u64().and_then(|id| by_id.get(&id)).is_some_and(|a| a.get("error").is_none() || a.get("status").is_some_and(|s| !s.is_null()));
            let k = pending.iter().position(|c| !answered(c)).unwrap_or(pending.len().saturating_sub(1));
            let tail = server.log_tail();
            if let Ok(all) = &mut lines {
                all.extend(pending[..k].iter().filter_map(|c| by_id.get(&c["id"].as_u64()?).map(|a| (*a).clone())));
                all.push(json!({"id": pending[k]["id"], "prism_crash": tail}));
            }
            pending.drain(..=k);
            restarts += 1;
            if restarts > 20 {
                lines = Err(format!("Prism exited {restarts} times; stopped: {tail}"));
                break 'chunks;
            }
            eprintln!("conform: Prism exited on a call; starting it again ({restarts})");
            // (the exited server is reaped when replaced)
            server = match prism::Prism::start(&prism_bin, path, dir, Duration::from_secs(600)) {
                Ok(p) => p,
                Err(e) => {
                    lines = Err(format!("Prism did not start again: {e}"));
                    break 'chunks;
                }
            };
        }
    }
    match lines {
        Ok(lines) if lines.iter().any(|l| l.get("fatal").is_some()) => {
            let fatal = lines.iter().find_map(|l| l.get("fatal")).map(Value::to_string).unwrap_or_default();
            r.prism = format!("the harness could not build a client: {fatal}");
            r.failures.push(Failure::new("harness", "", r.prism.clone()));
        }
        Ok(lines) => {
            let by_id: BTreeMap<u64, Value> = lines.into_iter().filter_map(|v| Some((v.get("id")?.as_u64()?, v))).collect();
            for (id, &i) in picked.iter().enumerate() {
                let mut outcome = by_id.get(&(id as u64)).cloned().unwrap_or_else(|| json!({"error": "the harness gave no answer"}));
                if let Some(quirk) = prism::prism_quirk(&calls[i], &outcome, api) {
                    outcome["prism_quirk"] = Value::String(quirk);
                }
                if outcome.get("decode").and_then(Value::as_bool) == Some(true) {
                    if let Some(defect) = prism::response_defect(&calls[i], &outcome, api, doc, &mut checker) {
                        outcome["spec_defect"] = Value::String(defect);
                    }
                }
                prism::classify(&calls[i], &outcome, &mut r.operations, &mut r.failures);
            }
            r.prism = "ok".into();
        }
        Err(e) => {
            r.prism = format!("harness failed: {e}");
            r.failures.push(Failure::new("harness", "", e));
        }
    }
    drop(server);
}

/// Writes the crate and the harness examples under the target dir and
/// builds every example with one cargo call; returns the binaries (in chunk
/// order) and the crate's warning count.
fn build(files: &codegen::Files, chunks: &[harness::Chunk], slug: &str, repo: &Path) -> Result<(Vec<PathBuf>, usize), String> {
    let name = format!("conform-{}", slug.replace('_', "-"));
    let opts = CrateOptions { name: name.clone(), version: "0.0.0".into(), deny_warnings: false, standalone: true, ..Default::default() };
    let mut files = crate_files(files, &codegen::package::Runtime::home(), &opts).map_err(|e| e.to_string())?;
    if let Some(manifest) = files.get_mut("Cargo.toml") {
        manifest.push_str("\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"full\"] }\nserde_path_to_error = \"0.1\"\n");
        for c in chunks {
            manifest.push_str(&format!("\n[[example]]\nname = \"{0}\"\npath = \"examples/{0}.rs\"\n", c.name));
        }
    }
    for c in chunks {
        files.insert(format!("examples/{}.rs", c.name), c.source.clone());
    }
    // The workspace's lock file pins the versions the runtime is tested with
    // (and lets an offline machine build from its cache).
    if let Ok(lock) = std::fs::read_to_string(repo.join("Cargo.lock")) {
        files.insert("Cargo.lock".into(), lock);
    }
    // The `_deps` member: the harness resolves the dependency features of the
    // workspace's own test build, so with its build dir
    // (`CARGO_BUILD_BUILD_DIR`, as the tests set it) CI compiles tokio, hyper
    // and reqwest once for the workspace and every generated crate.
    let shared = codegen::package::SharedDeps::of_workspace(repo).map_err(|e| e.to_string())?;
    shared.add_member(&mut files, codegen::package::DepsMode::Build).map_err(|e| e.to_string())?;
    let target = target_dir(repo);
    let crate_dir = target.join("conform-crates").join(slug);
    sync_dir(&crate_dir, &files)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    codegen::package::clear_inherited_cargo_env(&mut cmd);
    cmd.args(["build", "--workspace"]);
    for c in chunks {
        cmd.args(["--example", &c.name]);
    }
    let out = cmd
        .current_dir(&crate_dir)
        .env("CARGO_TARGET_DIR", &target)
        // Incremental state only adds memory here: a changed generated crate
        // is rebuilt from scratch anyway (the whole-API library peaked at
        // 4.5 GB with a previous run's state loaded, 3.0 GB without).
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        // The caller's lint wrapper (CI builds its workspace through
        // clippy-driver) is not for the generated crate. No debug info:
        // nothing is debugged here, and it is most of a big crate's build
        // memory (the tests build their generated crates the same way, so
        // the dependencies' builds are shared).
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error") || l.trim_start().starts_with("-->")).take(12).collect();
        // rustc killed or crashed (out of memory, stack overflow) prints no
        // `error[..]` of its own: keep cargo's last lines, which say how it ended.
        if errors.iter().all(|l| l.starts_with("error: could not compile")) {
            let lines: Vec<&str> = stderr.lines().collect();
            return Err(lines[lines.len().saturating_sub(12)..].join("\n"));
        }
        return Err(errors.join("\n"));
    }
    // `warning: `conform-x` (lib) generated 3 warnings`
    let warnings = stderr
        .lines()
        .filter(|l| l.contains("(lib) generated"))
        .filter_map(|l| l.split("generated ").nth(1)?.split_whitespace().next()?.parse::<usize>().ok())
        .sum();
    Ok((chunks.iter().map(|c| target.join("debug/examples").join(&c.name)).collect(), warnings))
}

/// Makes `dir` hold exactly `files`: a file whose text is unchanged is not
/// rewritten (its mtime stays, so cargo does not rebuild the library when
/// only the harness changed), files not listed are removed (an old chunk
/// would otherwise be found by cargo's example discovery).
fn sync_dir(dir: &Path, files: &codegen::Files) -> Result<(), String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    for (rel, text) in files {
        let path = dir.join(rel);
        if std::fs::read_to_string(&path).is_ok_and(|old| old == *text) {
            continue;
        }
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| io(p, e))?;
        }
        std::fs::write(&path, text).map_err(|e| io(&path, e))?;
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| io(&d, e))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(dir).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            if !files.contains_key(&rel) {
                std::fs::remove_file(&path).map_err(|e| io(&path, e))?;
            }
        }
    }
    Ok(())
}

/// Runs the harness on a cases file; one JSON value per output line.
fn run_harness(bin: &Path, mode: &[&str], file: &Path, cases: &Value, limit: Duration) -> Result<Vec<Value>, String> {
    std::fs::write(file, cases.to_string()).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut child = Command::new(bin)
        .args(mode)
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Ok(Some(s)) = child.try_wait() {
            break Some(s);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let text = reader.join().unwrap_or_default();
    let lines: Vec<Value> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    match status {
        Some(s) if s.success() => Ok(lines),
        Some(s) if !lines.is_empty() => {
            eprintln!("conform: harness exited with {s} after {} answers", lines.len());
            Ok(lines)
        }
        Some(s) => {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            Err(format!("harness exited with {s}: {}", report::shorten(&err, 400)))
        }
        None if !lines.is_empty() => Ok(lines),
        None => Err(format!("harness timed out after {limit:?}")),
    }
}
