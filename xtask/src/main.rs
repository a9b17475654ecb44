//! `cargo xtask`: the project's maintenance commands (alias in `.cargo/config.toml`).
//!
//! * `cargo xtask generate` regenerates `telnyx-fax/src/generated/` from `spec/`;
//! * `cargo xtask generate --check` fails when the checked-in code is stale;
//! * `cargo xtask diff` reports API changes between two specs (exit 2 if breaking);
//! * `cargo xtask release` bumps the crate version and adds a CHANGELOG entry.
//!
//! clap gives `--help` and argument errors for free; the work itself lives in
//! the `codegen` library so tests can call it directly.

use clap::{Parser, Subcommand};
use codegen::{EmitConfig, Severity};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod conform;
mod review;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintenance tasks for the telnyx-fax SDK")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the SDK code from the OpenAPI document.
    Generate(GenerateArgs),
    /// Report API changes between two specs (default: `HEAD` vs the working
    /// tree); exit 2 when a change is breaking.
    Diff(review::DiffArgs),
    /// Bump `telnyx-fax`'s version per the API change report and add a
    /// CHANGELOG entry.
    Release(review::ReleaseArgs),
    /// Generate, build and exercise the crate for OpenAPI documents: examples
    /// round trip and every operation against Prism (a table, `--json`).
    Conform(conform::ConformArgs),
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// The OpenAPI document (YAML or JSON, 3.0 or 3.1).
    #[arg(long, default_value = "spec/telnyx-fax.yml")]
    spec: PathBuf,
    /// Where the generated module goes. A new or empty folder, or one the
    /// generator wrote (it lists its files in `.openapi-generated` there and
    /// replaces only those; any other file is kept); any other non-empty
    /// folder is refused.
    #[arg(long, default_value = "telnyx-fax/src/generated")]
    out: PathBuf,
    /// Write a complete, buildable crate (manifest, runtime, generated code)
    /// to this directory instead of the module to `--out` (the same rules:
    /// the generator's files are replaced, `.git/`, notes and hand-written
    /// sources kept, a folder it did not write refused).
    #[arg(long = "crate", value_name = "DIR")]
    crate_dir: Option<PathBuf>,
    /// Package name for `--crate` (default: the config's `name`, else from
    /// the spec title).
    #[arg(long)]
    name: Option<String>,
    /// The crate config (TOML: name, env-prefix, base-url, renames,
    /// pagination, webhooks; see codegen/src/config.rs). Default: the spec's
    /// path with `.toml` (`spec/telnyx-fax.toml`) when that file exists.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Compare instead of writing; exit 1 if the checked-in code is stale.
    #[arg(long)]
    check: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Print notes too, not only warnings.
    #[arg(long, short)]
    verbose: bool,
    /// Keep only what matches (repeatable): a path glob (`/faxes*`), `tag:NAME`
    /// or a webhook-name glob (`fax.*`), plus every component they reach.
    #[arg(long = "include", value_name = "PATTERN")]
    include: Vec<String>,
    /// Apply an OpenAPI Overlay 1.0 or JSON Patch file (YAML or JSON) to the
    /// spec first (repeatable, in order).
    #[arg(long = "overlay", value_name = "FILE")]
    overlay: Vec<PathBuf>,
    /// With `--crate`: put each root resource (and the types only it
    /// reaches) behind a cargo feature, with `full` as the default. Automatic
    /// for documents of more than 200 operations.
    #[arg(long, requires = "crate_dir")]
    features_per_resource: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate(args) => generate(args),
        Command::Diff(args) => review::diff(args),
        Command::Release(args) => review::release(args),
        Command::Conform(args) => conform::conform(args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Paths on the command line are relative to the workspace root, wherever
/// `cargo xtask` is run from.
fn root_relative(p: &Path) -> PathBuf {
    if p.is_absolute() {
        return p.to_path_buf();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default();
    let from_cwd = std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.to_path_buf());
    if from_cwd.exists() {
        from_cwd
    } else {
        root.join(p)
    }
}

fn generate(args: GenerateArgs) -> Result<ExitCode, String> {
    let spec = root_relative(&args.spec);
    let out = root_relative(&args.out);
    let mut crate_config = match &args.config {
        Some(file) => codegen::config::CrateConfig::load_file(&root_relative(file)),
        None => codegen::config::CrateConfig::beside_spec(&spec),
    }
    .map_err(|e| e.to_string())?;
    if let Some(name) = &args.name {
        crate_config.name = Some(name.clone());
    }
    let cfg = EmitConfig { spec_label: args.spec.display().to_string().replace('\\', "/"), crate_config, features: feature_mode(&args), ..EmitConfig::default() };
    // The summary vs HEAD describes the spec as written, so it is skipped
    // when overlays or subsets change what is generated.
    let head = (!args.check && args.crate_dir.is_none() && args.overlay.is_empty() && args.include.is_empty())
        .then(|| review::spawn_head_spec(&spec));
    let generated = load_and_generate(&spec, &args.overlay, &args.include, &cfg).map_err(|e| e.to_string())?;

    let mut warnings = 0;
    for d in &generated.diagnostics {
        if d.severity >= Severity::Warning {
            warnings += 1;
        }
        if d.severity >= Severity::Warning || args.verbose {
            eprintln!("{d}");
        }
    }
    if args.deny_warnings && warnings > 0 {
        return Err(format!("{warnings} warning(s) and --deny-warnings is set; nothing written"));
    }
    if args.check {
        let stale = codegen::write::check_dir(&out, &generated.files).map_err(|e| e.to_string())?;
        if stale.is_empty() {
            println!("{} is up to date ({} files)", args.out.display(), generated.files.len());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("{} is stale:", args.out.display());
        for s in &stale {
            eprintln!("  {s}");
        }
        eprintln!("run `cargo xtask generate` and commit the result");
        return Ok(ExitCode::FAILURE);
    }
    let api = &generated.api;
    if let Some(dir) = &args.crate_dir {
        let name = cfg.crate_config.crate_name(&api.title);
        let version = codegen::package::crate_version(&api.version);
        if version != api.version.trim() {
            eprintln!("note: info.version `{}` is not semver; the crate's version is {version}", codegen::emit::docs::inline(&api.version));
        }
        let about = codegen::package::About::new(api, &cfg.crate_config);
        let opts = codegen::package::CrateOptions { name: name.clone(), version, standalone: true, about: Some(about), ..Default::default() };
        let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../telnyx-fax");
        let mut files = codegen::package::crate_files(&generated.files, &runtime, &opts).map_err(|e| e.to_string())?;
        if cfg.features.applies(api) {
            let plan = codegen::emit::features::FeaturePlan::new(api);
            plan.write_manifest(&mut files).map_err(|e| e.to_string())?;
            println!("{} cargo features (one per root resource, `full` by default)", plan.features().len());
        }
        codegen::write::write_dir(dir, &files).map_err(|e| e.to_string())?;
        println!(
            "wrote crate `{name}` to {}: {} operations, {} types, {} webhook events",
            dir.display(),
            api.operations.len(),
            api.types.len(),
            api.webhooks.len()
        );
        print_identity_report(api);
        return Ok(ExitCode::SUCCESS);
    }
    codegen::write::write_dir(&out, &generated.files).map_err(|e| e.to_string())?;
    println!(
        "generated {} files in {}: {} operations, {} types, {} webhook events",
        generated.files.len(),
        args.out.display(),
        api.operations.len(),
        api.types.len(),
        api.webhooks.len()
    );
    if let Some(head) = head {
        review::print_summary_vs_head(head, &spec, api);
    }
    Ok(ExitCode::SUCCESS)
}

/// Per-resource features: asked for, or automatic for a large document
/// written as a crate; never for the module of the fax crate.
fn feature_mode(args: &GenerateArgs) -> codegen::emit::features::FeatureMode {
    use codegen::emit::features::{FeatureMode, AUTO_ABOVE_OPERATIONS};
    match (args.features_per_resource, &args.crate_dir) {
        (true, _) => FeatureMode::On,
        (false, Some(_)) => FeatureMode::Above(AUTO_ABOVE_OPERATIONS),
        (false, None) => FeatureMode::Off,
    }
}

/// Generates from `spec`, applying `--overlay` files then `--include`
/// patterns to the document first; overlay findings join the diagnostics.
fn load_and_generate(spec: &Path, overlays: &[PathBuf], include: &[String], cfg: &EmitConfig) -> Result<codegen::Generated, codegen::Error> {
    if overlays.is_empty() && include.is_empty() {
        return codegen::generate_file(spec, cfg);
    }
    let mut doc = codegen::load::read_value(spec)?;
    let mut diags = codegen::diagnostics::Diagnostics::default();
    for file in overlays {
        let file = root_relative(file);
        let overlay = codegen::overlay::Overlay::load_file(&file)?;
        let found = overlay.apply(&mut doc).map_err(|e| e.in_file(file.display().to_string()))?;
        for mut d in found.into_vec() {
            d.message = format!("{} (overlay {})", d.message, file.display());
            diags.push(d.severity, d.kind, d.pointer, d.message);
        }
    }
    if !include.is_empty() {
        let report = codegen::subset::subset(&mut doc, include).map_err(|e| e.in_file(spec.display().to_string()))?;
        eprintln!("{report}");
    }
    let mut generated = codegen::generate_value(doc, cfg).map_err(|e| e.in_file(spec.display().to_string()))?;
    let mut all = diags.into_vec();
    all.append(&mut generated.diagnostics);
    generated.diagnostics = all;
    Ok(generated)
}

/// Auth kinds, paging kinds and single-page list operations of a generated
/// crate (what `--crate` took from the document).
fn print_identity_report(api: &codegen::ir::Api) {
    let auth: Vec<String> = api
        .security
        .schemes
        .iter()
        .map(|s| {
            let kind = match &s.kind {
                codegen::ir::AuthKind::Bearer => "http bearer".to_string(),
                codegen::ir::AuthKind::OAuth2 if s.token_url.is_some() => "oauth2 (bearer token, or client credentials fetched from the tokenUrl)".to_string(),
                codegen::ir::AuthKind::OAuth2 => "oauth2/oidc (bearer token)".to_string(),
                codegen::ir::AuthKind::Basic => "http basic".to_string(),
                codegen::ir::AuthKind::Header(h) => format!("api key in header {h}"),
                codegen::ir::AuthKind::Query(q) => format!("api key in query {q}"),
                codegen::ir::AuthKind::Cookie(c) => format!("api key in cookie {c}"),
            };
            format!("{} ({kind})", s.name)
        })
        .collect();
    println!("  auth: {}", if auth.is_empty() { "none".to_string() } else { auth.join(", ") });
    let mut kinds: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for p in api.paging.values() {
        *kinds.entry(codegen::paging::kind_name(p)).or_default() += 1;
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} x{n}")).collect();
    println!("  paging: {}", if kinds.is_empty() { "none".to_string() } else { kinds.join(", ") });
    for (op, why) in &api.single_page {
        println!("  single page: {op}: {why}");
    }
}
