//! `cargo xtask`: the project's maintenance commands (alias in `.cargo/config.toml`).
//!
//! * `cargo xtask generate` regenerates `telnyx-fax/src/generated/` from `spec/`, and
//!   the runtime's copy beside it (`telnyx-fax/src/*.rs`) from `codegen/runtime/`;
//! * `cargo xtask generate --check` fails when the checked-in code is stale;
//! * `cargo xtask diff` reports API changes between two specs (exit 2 if breaking);
//! * `cargo xtask release` bumps the crate version and adds a CHANGELOG entry;
//! * `cargo xtask shape DOC...` prints root resources, features and paging per document;
//! * `cargo xtask mcp-tools --spec FILE` measures the MCP server's tool list for a document.
//!
//! clap gives `--help` and argument errors for free; the work itself lives in
//! the `codegen` library so tests can call it directly.

use clap::{Parser, Subcommand};
use codegen::EmitConfig;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Generation allocates and frees millions of small tokens and syntax
/// nodes: mimalloc takes about a third less time than the system allocator
/// there (issue 21).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Print the shape of the crate each document would give, from the IR
    /// only (no emission, no build): operations, root resources, cargo
    /// features, list operations paged by kind and single page by reason.
    Shape(ShapeArgs),
    /// The size in characters of the MCP server's `tools/list` result
    /// (per-operation mode) for an OpenAPI document, computed from the IR
    /// without building its crate.
    McpTools(McpToolsArgs),
}

#[derive(clap::Args)]
struct ShapeArgs {
    /// OpenAPI documents (YAML or JSON).
    #[arg(required = true)]
    specs: Vec<PathBuf>,
    /// List every root resource with its number of operations.
    #[arg(long)]
    roots: bool,
    /// List every list operation, paged (kind and reason) or single page (reason).
    #[arg(long)]
    ops: bool,
}

#[derive(clap::Args)]
struct McpToolsArgs {
    /// The OpenAPI document.
    #[arg(long, default_value = "spec/telnyx-fax.yml")]
    spec: PathBuf,
    /// Print the list itself (JSON) instead of its size.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// The OpenAPI document (YAML or JSON, 3.0 or 3.1).
    #[arg(long, default_value = "spec/telnyx-fax.yml")]
    spec: PathBuf,
    /// Where the generated module goes. A new or empty folder, or one the
    /// generator wrote (it lists its files in `.openapi-generated` there and
    /// replaces only those; any other file is kept); any other non-empty
    /// folder is refused. When it is a crate's `src/generated`, the agent
    /// skill (`SKILL.md`) goes to the crate's root and the runtime's files
    /// (from `codegen/runtime/`) to its `src/`, listed in a marker at the
    /// root (a file the generator did not write is never replaced).
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
        Command::Shape(args) => shape(args),
        Command::McpTools(args) => mcp_tools(args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask shape`: one report per document; a document that does not
/// lower is reported and the others still are.
fn shape(args: ShapeArgs) -> Result<ExitCode, String> {
    let mut failed = false;
    for spec in &args.specs {
        let label = spec.file_name().map_or_else(|| spec.display().to_string(), |n| n.to_string_lossy().into_owned());
        match codegen::shape::report(&root_relative(spec)) {
            Ok(shape) => {
                print!("{}", shape.render(&label));
                if args.roots {
                    let roots: Vec<String> = shape.roots.iter().map(|(r, n)| format!("{r}:{n}")).collect();
                    println!("  roots: {}", roots.join(" "));
                }
                if args.ops {
                    for (op, why) in &shape.paged_ops {
                        println!("  paged {op}: {why}");
                    }
                    for (op, why) in &shape.single_ops {
                        println!("  single {op}: {why}");
                    }
                }
            }
            Err(e) => {
                failed = true;
                eprintln!("{label}: error: {e}");
            }
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
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
    let overlays: Vec<PathBuf> = args.overlay.iter().map(|f| root_relative(f)).collect();
    if let (Some(dir), false) = (&args.crate_dir, args.check) {
        // The same command as the installed `openapi-rust-gen`, with the
        // runtime as it is in this workspace now.
        let command = codegen::command::CrateCommand {
            spec,
            spec_label: args.spec.display().to_string().replace('\\', "/"),
            config: args.config.as_deref().map(root_relative),
            name: args.name.clone(),
            crate_dir: dir.clone(),
            overlay: overlays,
            include: args.include.clone(),
            features_per_resource: args.features_per_resource,
            deny_warnings: args.deny_warnings,
            verbose: args.verbose,
        };
        let runtime = codegen::package::Runtime::from_dir(&codegen::package::Runtime::home()).map_err(|e| e.to_string())?;
        codegen::command::write_crate(&command, &runtime)?;
        return Ok(ExitCode::SUCCESS);
    }
    let crate_config = codegen::command::crate_config(args.config.as_deref().map(root_relative).as_deref(), &spec, args.name.as_deref())?;
    let cfg = EmitConfig { spec_label: args.spec.display().to_string().replace('\\', "/"), crate_config, features: feature_mode(&args), ..EmitConfig::default() };
    // The summary vs HEAD describes the spec as written, so it is skipped
    // when overlays or subsets change what is generated.
    let head = (!args.check && args.crate_dir.is_none() && args.overlay.is_empty() && args.include.is_empty())
        .then(|| review::spawn_head_spec(&spec));
    let generated = codegen::command::load_and_generate(&spec, &overlays, &args.include, &cfg).map_err(|e| e.to_string())?;
    codegen::command::report_diagnostics(&generated, args.deny_warnings, args.verbose)?;
    let skill_dir = crate_root_of(&out);
    // Into a crate's `src/generated`: the crate's root also gets the agent
    // skill and the runtime (`src/*.rs`, from `codegen/runtime/`), listed in
    // the marker there, as any generated crate does.
    let root_files = match &skill_dir {
        Some(root) => Some(root_files(&generated, &cfg.crate_config, &spec, root)?),
        None => None,
    };
    if args.check {
        let mut stale = codegen::write::check_dir(&out, &generated.files).map_err(|e| e.to_string())?;
        if let (Some(root), Some(files)) = (&skill_dir, &root_files) {
            let skill = codegen::write::check_into(root, files).map_err(|e| e.to_string())?;
            // Named from the crate's root as the command line gave it (`telnyx-fax/SKILL.md`).
            let shown = args.out.parent().and_then(Path::parent).unwrap_or(Path::new(""));
            stale.extend(skill.into_iter().map(|s| shown.join(s).display().to_string()));
        }
        if stale.is_empty() {
            let beside = root_files.as_ref().map_or(String::new(), |f| format!(", and {} files of the runtime and skill beside it", f.len()));
            println!("{} is up to date ({} files{beside})", args.out.display(), generated.files.len());
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
    codegen::write::write_dir(&out, &generated.files).map_err(|e| e.to_string())?;
    match (&skill_dir, &root_files) {
        (Some(root), Some(files)) => codegen::write::write_into(root, files).map_err(|e| e.to_string())?,
        _ => eprintln!("note: the agent skill (SKILL.md) and the runtime are written beside `src/generated` only when --out is a crate's `src/generated`"),
    }
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

/// What `cargo xtask generate` writes into the crate's root beside
/// `src/generated/`: the agent skill and the runtime's sources (from the
/// neutral home, `codegen/runtime/`), the crate docs of `lib.rs` from a
/// hand-written `<spec>.docs.md` beside the spec when there is one
/// (`spec/telnyx-fax.docs.md`), the runtime's doc examples from a
/// hand-written `<spec>.examples.md` when there is one, else from the
/// document (as in any generated crate). A hand edit of these files is overwritten
/// by the next run and reported by `--check`: edit `codegen/runtime/`.
fn root_files(generated: &codegen::Generated, cfg: &codegen::config::CrateConfig, spec: &Path, root: &Path) -> Result<codegen::emit::Files, String> {
    let runtime = codegen::package::Runtime::from_dir(&codegen::package::Runtime::home()).map_err(|e| e.to_string())?;
    let docs_path = spec.with_extension("docs.md");
    let docs = match std::fs::read_to_string(&docs_path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("{}: {e}", docs_path.display())),
    };
    let examples_path = spec.with_extension("examples.md");
    let examples = match std::fs::read_to_string(&examples_path) {
        Ok(text) => codegen::package::examples_from_markdown(&text, &examples_path).map_err(|e| e.to_string())?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Default::default(),
        Err(e) => return Err(format!("{}: {e}", examples_path.display())),
    };
    let mut files = codegen::package::runtime_for_crate(&generated.api, cfg, &runtime, root, docs, examples).map_err(|e| e.to_string())?;
    files.extend(generated.skill.iter().map(|(k, v)| (k.clone(), v.clone())));
    Ok(files)
}

/// The crate's root when `out` is its `src/generated` (the agent skill,
/// `SKILL.md`, goes there; the generated `skill.rs` includes it from
/// `../../`).
fn crate_root_of(out: &Path) -> Option<PathBuf> {
    let src = out.parent().filter(|_| out.file_name().is_some_and(|n| n == "generated"))?;
    src.parent().filter(|_| src.file_name().is_some_and(|n| n == "src")).map(Path::to_path_buf)
}

/// `cargo xtask mcp-tools`: the per-operation tool list's size.
fn mcp_tools(args: McpToolsArgs) -> Result<ExitCode, String> {
    let spec = root_relative(&args.spec);
    let crate_config = codegen::command::crate_config(None, &spec, None)?;
    let cfg = EmitConfig { spec_label: args.spec.display().to_string(), crate_config, ..EmitConfig::default() };
    let generated = codegen::command::load_and_generate(&spec, &[], &[], &cfg).map_err(|e| e.to_string())?;
    let list = codegen::emit::mcp::tool_list(&generated.api);
    let text = serde_json::to_string(&list).map_err(|e| e.to_string())?;
    if args.json {
        println!("{text}");
    } else {
        let tools = list["tools"].as_array().map_or(0, Vec::len);
        let ops = generated.api.operations.len();
        println!("{}: {ops} operations, {tools} tools, tools/list {} characters ({} per tool)", args.spec.display(), text.chars().count(), text.chars().count() / tools.max(1));
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
