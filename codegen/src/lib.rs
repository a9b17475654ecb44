//! `codegen`: an OpenAPI 3.0/3.1 -> Rust SDK generator.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`load`]: YAML/JSON text -> `serde_json::Value`, 3.1 rewritten to 3.0 by
//!    [`normalize`], then the typed `openapiv3` model;
//! 2. [`lower`]: `openapiv3` -> [`ir::Api`] (types, operations, resources, webhooks);
//! 3. [`naming`]: every identifier decision (used by lower);
//! 4. [`emit`]: IR -> formatted Rust files;
//! 5. [`write`](mod@write): atomically write, or check for staleness.
//!
//! It knows nothing of Telnyx beyond [`emit::EmitConfig`].

pub mod command;
pub mod config;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod identity;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod normalize;
pub mod overlay;
pub mod package;
pub mod paging;
pub mod shape;
pub mod subset;
pub mod write;

pub use diagnostics::{Diagnostic, Error, Severity};
pub use emit::{EmitConfig, Files};

use std::path::Path;

/// The result of a generator run.
#[derive(Debug)]
pub struct Generated {
    /// The lowered API (for reports and diffs).
    pub api: ir::Api,
    /// Files to write under the output directory.
    pub files: Files,
    /// The agent skill's files, by path relative to the crate's root
    /// (`SKILL.md`, and `skill/*.md` for a large document; see
    /// [`emit::skill`]): the generated `skill.rs` includes them from there.
    pub skill: Files,
    /// Everything the generator noticed, in order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads, lowers and emits the spec at `path`.
pub fn generate_file(path: &Path, cfg: &EmitConfig) -> Result<Generated, Error> {
    let display = path.display().to_string();
    let spec = load::load_file(path)?;
    run(spec, cfg).map_err(|e| e.in_file(display))
}

/// Same as [`generate_file`] for spec text.
pub fn generate_str(text: &str, is_json: bool, cfg: &EmitConfig) -> Result<Generated, Error> {
    run(load::load_str(text, is_json)?, cfg)
}

/// Same as [`generate_file`] for a parsed (not yet normalised) document, e.g.
/// one from [`load::read_value`] after [`overlay`] and [`subset`] changed it.
pub fn generate_value(value: serde_json::Value, cfg: &EmitConfig) -> Result<Generated, Error> {
    run(load::from_value(value)?, cfg)
}

/// Lowers a spec file into the IR only (for diffs).
pub fn lower_file(path: &Path) -> Result<(ir::Api, Vec<Diagnostic>), Error> {
    let display = path.display().to_string();
    let spec = load::load_file(path)?;
    let mut diags = spec.diagnostics.clone();
    let api = lower::lower(&spec, &mut diags).map_err(|e| e.in_file(display.clone()))?;
    fail_on_errors(diags.items()).map_err(|e| e.in_file(display))?;
    Ok((api, diags.into_vec()))
}

fn run(spec: load::LoadedSpec, cfg: &EmitConfig) -> Result<Generated, Error> {
    let mut diags = spec.diagnostics.clone();
    let mut api = lower::lower(&spec, &mut diags)?;
    identity::complete(&spec, &mut api, &cfg.crate_config, &mut diags)?;
    // Examples stay in the document's JSON tree; take them before it goes.
    api.examples = emit::examples::collect(&spec.raw, &api);
    // The document (both its JSON tree and its typed model) is not needed
    // once lowered: free it before emission, the stage with the highest peak.
    drop(spec);
    fail_on_errors(diags.items())?;
    let (files, skill) = emit::emit_with_skill(&api, cfg)?;
    Ok(Generated { api, files, skill, diagnostics: diags.into_vec() })
}

/// Error-severity diagnostics stop generation: the error is at the first,
/// and its message lists every one of them (one per line), so a user fixes
/// them all in one round.
fn fail_on_errors(diags: &[Diagnostic]) -> Result<(), Error> {
    let mut errors = diags.iter().filter(|d| d.severity == Severity::Error);
    let Some(first) = errors.next() else { return Ok(()) };
    let mut message = first.message.clone();
    for d in errors {
        message.push_str(&format!("\n{d}"));
    }
    Err(Error::at(first.pointer.clone(), message))
}
