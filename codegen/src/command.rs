//! The "write a crate for this document" command, shared by `cargo xtask
//! generate --crate DIR` (this workspace, the runtime read from disk) and the
//! installable `openapi-rust-gen` binary (the runtime compiled in), so both
//! behave the same: the crate config, overlays, `--include` subsets,
//! diagnostics, per-resource features and the report of what was found.

use crate::emit::features::{FeatureMode, FeaturePlan, AUTO_ABOVE_OPERATIONS};
use crate::package::{crate_files_with, crate_version, About, CrateOptions, Runtime};
use crate::{EmitConfig, Error, Generated, Severity};
use std::path::{Path, PathBuf};

/// What to generate and where (paths already resolved by the caller).
#[derive(Debug, Clone, Default)]
pub struct CrateCommand {
    /// The OpenAPI document (YAML or JSON, 3.0 or 3.1).
    pub spec: PathBuf,
    /// The document as named in the `@generated` header of the files.
    pub spec_label: String,
    /// The crate config (TOML); `None`: the spec's path with `.toml` when
    /// that file exists.
    pub config: Option<PathBuf>,
    /// The package name (default: the config's `name`, else from the title).
    pub name: Option<String>,
    /// The crate's folder (new or empty, or one the generator wrote).
    pub crate_dir: PathBuf,
    /// OpenAPI Overlay or JSON Patch files applied first, in order.
    pub overlay: Vec<PathBuf>,
    /// `--include` patterns (path globs, `tag:NAME`, webhook globs).
    pub include: Vec<String>,
    /// Every root resource behind a cargo feature (automatic above
    /// [`AUTO_ABOVE_OPERATIONS`] operations).
    pub features_per_resource: bool,
    /// Fail, writing nothing, when the generator warns.
    pub deny_warnings: bool,
    /// Print notes too, not only warnings.
    pub verbose: bool,
}

/// Loads the crate config of `cmd` (given, else beside the spec).
pub fn crate_config(config: Option<&Path>, spec: &Path, name: Option<&str>) -> Result<crate::config::CrateConfig, String> {
    let mut cfg = match config {
        Some(file) => crate::config::CrateConfig::load_file(file),
        None => crate::config::CrateConfig::beside_spec(spec),
    }
    .map_err(|e| e.to_string())?;
    if let Some(name) = name {
        cfg.name = Some(name.to_string());
    }
    Ok(cfg)
}

/// Generates the crate of `cmd.spec` into `cmd.crate_dir` with a copy of
/// `runtime`; prints the diagnostics (stderr) and a report (stdout).
pub fn write_crate(cmd: &CrateCommand, runtime: &Runtime) -> Result<(), String> {
    let crate_config = crate_config(cmd.config.as_deref(), &cmd.spec, cmd.name.as_deref())?;
    let features = if cmd.features_per_resource { FeatureMode::On } else { FeatureMode::Above(AUTO_ABOVE_OPERATIONS) };
    let cfg = EmitConfig { spec_label: cmd.spec_label.clone(), crate_config, features, ..EmitConfig::default() };
    let generated = load_and_generate(&cmd.spec, &cmd.overlay, &cmd.include, &cfg).map_err(|e| e.to_string())?;
    report_diagnostics(&generated, cmd.deny_warnings, cmd.verbose)?;
    let api = &generated.api;
    let name = cfg.crate_config.crate_name(&api.title);
    let version = crate_version(&api.version);
    if version != api.version.trim() {
        eprintln!("note: info.version `{}` is not semver; the crate's version is {version}", crate::emit::docs::inline(&api.version));
    }
    let mut about = About::new(api, &cfg.crate_config);
    about.skill = generated.skill.clone();
    let opts = CrateOptions { name: name.clone(), version, standalone: true, about: Some(about), ..Default::default() };
    let mut files = crate_files_with(&generated.files, runtime, &opts).map_err(|e| e.to_string())?;
    if cfg.features.applies(api) {
        let plan = FeaturePlan::new(api);
        plan.write_manifest(&mut files).map_err(|e| e.to_string())?;
        println!("{} cargo features (one per root resource, `full` by default)", plan.features().len());
    }
    crate::write::write_dir(&cmd.crate_dir, &files).map_err(|e| e.to_string())?;
    println!(
        "wrote crate `{name}` to {}: {} operations, {} types, {} webhook events",
        cmd.crate_dir.display(),
        api.operations.len(),
        api.types.len(),
        api.webhooks.len()
    );
    print_identity_report(api);
    Ok(())
}

/// Prints warnings (and notes when `verbose`) to stderr; an error when
/// `deny_warnings` and there was a warning.
pub fn report_diagnostics(generated: &Generated, deny_warnings: bool, verbose: bool) -> Result<(), String> {
    let mut warnings = 0;
    for d in &generated.diagnostics {
        if d.severity >= Severity::Warning {
            warnings += 1;
        }
        if d.severity >= Severity::Warning || verbose {
            eprintln!("{d}");
        }
    }
    if deny_warnings && warnings > 0 {
        return Err(format!("{warnings} warning(s) and --deny-warnings is set; nothing written"));
    }
    Ok(())
}

/// Generates from `spec`, applying `overlays` then `include` patterns to the
/// document first; overlay findings join the diagnostics.
pub fn load_and_generate(spec: &Path, overlays: &[PathBuf], include: &[String], cfg: &EmitConfig) -> Result<Generated, Error> {
    if overlays.is_empty() && include.is_empty() {
        return crate::generate_file(spec, cfg);
    }
    let mut doc = crate::load::read_value(spec)?;
    let mut diags = crate::diagnostics::Diagnostics::default();
    for file in overlays {
        let overlay = crate::overlay::Overlay::load_file(file)?;
        let found = overlay.apply(&mut doc).map_err(|e| e.in_file(file.display().to_string()))?;
        for mut d in found.into_vec() {
            d.message = format!("{} (overlay {})", d.message, file.display());
            diags.push(d.severity, d.kind, d.pointer, d.message);
        }
    }
    if !include.is_empty() {
        let report = crate::subset::subset(&mut doc, include).map_err(|e| e.in_file(spec.display().to_string()))?;
        eprintln!("{report}");
    }
    let mut generated = crate::generate_value(doc, cfg).map_err(|e| e.in_file(spec.display().to_string()))?;
    let mut all = diags.into_vec();
    all.append(&mut generated.diagnostics);
    generated.diagnostics = all;
    Ok(generated)
}

/// Auth kinds, paging kinds and single-page list operations of a generated
/// crate (what it took from the document).
pub fn print_identity_report(api: &crate::ir::Api) {
    use crate::ir::AuthKind;
    let auth: Vec<String> = api
        .security
        .schemes
        .iter()
        .map(|s| {
            let kind = match &s.kind {
                AuthKind::Bearer => "http bearer".to_string(),
                AuthKind::OAuth2 if s.token_url.is_some() => "oauth2 (bearer token, or client credentials fetched from the tokenUrl)".to_string(),
                AuthKind::OAuth2 => "oauth2/oidc (bearer token)".to_string(),
                AuthKind::Basic => "http basic".to_string(),
                AuthKind::Header(h) => format!("api key in header {h}"),
                AuthKind::Query(q) => format!("api key in query {q}"),
                AuthKind::Cookie(c) => format!("api key in cookie {c}"),
            };
            format!("{} ({kind})", s.name)
        })
        .collect();
    println!("  auth: {}", if auth.is_empty() { "none".to_string() } else { auth.join(", ") });
    let mut kinds: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for p in api.paging.values() {
        *kinds.entry(crate::paging::kind_name(p)).or_default() += 1;
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} x{n}")).collect();
    println!("  paging: {}", if kinds.is_empty() { "none".to_string() } else { kinds.join(", ") });
    // Why each way of paging was picked, one line per kind of reason.
    for (why, (n, example)) in crate::shape::group_reasons(&api.paging_reasons) {
        println!("  paged x{n}: {why} (e.g. {example})");
    }
    for (op, why) in &api.single_page {
        println!("  single page: {op}: {why}");
    }
}
