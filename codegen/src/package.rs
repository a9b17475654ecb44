//! A whole, buildable crate from any spec: the generated module, a copy of
//! the hand-written runtime (`codegen/runtime/src/**/*.rs`), a manifest
//! derived from the runtime's template (`codegen/runtime/Cargo.toml.in`),
//! crate docs, a README and the agent skill (`SKILL.md`, [`About::skill`]).
//!
//! # Copy, not a runtime dependency
//!
//! Generated crates get a **copy** of the runtime (as the official Telnyx
//! SDKs, made by Stainless, vendor theirs) rather than depending on a runtime
//! crate (as progenitor's crates depend on `progenitor-client`), because:
//!
//! * the runtime is not published, and a crate with a path dependency
//!   cannot pass `cargo package` nor be published on its own;
//! * the runtime reads the API's identity (environment variables, base URL,
//!   `User-Agent`, security schemes, webhook scheme, error body type) from
//!   the generated `config.rs` at compile time, so one copy per crate needs
//!   no trait objects or generic parameters on every public type;
//! * a generated crate pins exactly the runtime it was generated with.
//!
//! The runtime has one source of truth, its neutral home in the generator,
//! `codegen/runtime/` ([`Runtime::home`]): sources that name a placeholder
//! crate (`my_api`, `my-api`) and carry neutral doc examples (`getItem`,
//! `/items/{id}`), and the manifest template. Every crate gets a copy
//! unchanged except for the crate name (`my_api` renamed), the crate-level
//! docs of `lib.rs`, and the module examples fenced by `<!-- example: NAME
//! -->` markers (the test double's, the blocking client's, the pages
//! helper's), which the generator rewrites with one of the API's own
//! operations ([`About::examples`]), so no crate documents itself with
//! another API. `cargo xtask` copies the runtime from disk
//! ([`Runtime::from_dir`]); the installed `openapi-rust-gen` carries the
//! copy it was built with ([`Runtime::embedded`], listed by `build.rs`).
//! The manifest is edited with `toml_edit`, not with line edits.
//!
//! The fax crate of this workspace gets its copy the same way:
//! `cargo xtask generate` writes the runtime into `telnyx-fax/src/`
//! ([`runtime_for_crate`]), listed in `telnyx-fax/.openapi-generated`, so
//! the write-safety rules of `write.rs` own those files and
//! `cargo xtask generate --check` reports a hand edit. Its crate docs come
//! from the hand-written `spec/telnyx-fax.docs.md` and its module examples
//! from `spec/telnyx-fax.examples.md` (both beside its config). Its
//! `Cargo.toml` stays hand-written: `cargo xtask release` bumps its version
//! there, and its tests, benches, examples and dev-dependencies are its own;
//! a test (`fax_manifest_matches_the_template`) keeps its dependencies,
//! features and binaries equal to the template's. To change the runtime,
//! edit `codegen/runtime/`, then run `cargo xtask generate`.
//!
//! # Where the runtime lives: the decision
//!
//! Three homes were weighed for a runtime that serves every generated crate:
//!
//! * **A runtime crate** (`openapi-rust-runtime`, a dependency of every
//!   generated crate): one compiled copy, fixes reach crates by a version
//!   bump. Rejected for now: it must be published before any generated
//!   crate can be, every generated crate then needs the exact runtime
//!   version it was generated against (the generated code calls its
//!   `pub(crate)` internals: `Request::new`, the paging shapes, the test
//!   double's tables), and the API's identity would have to move from
//!   compile-time constants (`crate::generated::config`, read by `auth.rs`,
//!   `client.rs`, `testing.rs`, `webhooks.rs`) to a trait or a value passed
//!   to every public type. The identity-by-`config.rs` design is what lets
//!   the runtime hold no API-specific value.
//! * **A copy, from the fax crate** (the home until issue 22): the runtime
//!   was written and tested where a real API exercises it
//!   (`telnyx-fax/src/`), and each crate pinned the copy it was generated
//!   with. Its cost: the source read as the fax crate's (fax doc examples,
//!   fenced for replacement), and the generator package reached outside its
//!   own folder for it (`build.rs` included `../telnyx-fax/src`), so a
//!   `cargo package` of `codegen` would not have carried the runtime.
//! * **A neutral home inside the generator** (`codegen/runtime/`), copied
//!   into every crate, the fax crate included: **the one chosen, and now
//!   carried out**. It keeps the copy's two advantages (identity at compile
//!   time, pinning), makes the generator package self-contained
//!   (`cargo package -p codegen --list` carries `runtime/`; `build.rs` and
//!   [`Runtime::from_dir`] read nothing outside the package), and shows in
//!   the tree that the runtime belongs to no single API. The runtime is
//!   still exercised by a real API: its unit tests travel with it (they run
//!   in every crate's copy, the fax crate's included), and
//!   `telnyx-fax/tests/` stays its wire tests against a real API's crate.
//!
//! The template is `Cargo.toml.in`, not `Cargo.toml`: a folder with a
//! `Cargo.toml` would be a package of its own, which `cargo package` leaves
//! out. `codegen` stays `publish = false` only because its name is taken on
//! crates.io (publishing needs a name of its own, not another layout).
//!
//! The move was made in this order (each step its own commit): the
//! sources `git mv`ed to `codegen/runtime/src/` (history follows them); the
//! fax examples made neutral defaults of fenced regions, the fax crate's
//! own moved to `spec/telnyx-fax.{docs,examples}.md`; `build.rs` and
//! [`Runtime::from_dir`] pointed at the neutral home; `cargo xtask
//! generate` made to write the copy into `telnyx-fax/src/`, keeping
//! `telnyx_fax::{client, auth, testing, ...}` and every public path.

mod shared_deps;

pub use shared_deps::{clear_inherited_cargo_env, DepsMode, SharedDeps, SHARED_DEPS_DIR};

use crate::diagnostics::Error;
use crate::emit::Files;
use std::path::{Path, PathBuf};

/// The client-credentials setter beside an OAuth2 scheme's token setter
/// (`oauth2_token_admin` -> `client_credentials_admin`).
fn client_credentials_setter(token_setter: &str) -> String {
    match token_setter.strip_prefix("oauth2_token") {
        Some(rest) => format!("client_credentials{rest}"),
        None => "client_credentials".to_string(),
    }
}

/// How to package.
#[derive(Debug, Clone, Default)]
pub struct CrateOptions {
    /// Package name (`telnyx-api`).
    pub name: String,
    /// Package version.
    pub version: String,
    /// Prepend `#![deny(warnings)]` to `lib.rs` (for conformance builds).
    pub deny_warnings: bool,
    /// Make the crate its own workspace root (an empty `[workspace]` table).
    pub standalone: bool,
    /// Description, crate docs and README; a generic one when `None`.
    pub about: Option<About>,
}

/// What the crate says about itself (from the document and the config).
#[derive(Debug, Clone, Default)]
pub struct About {
    /// The manifest's `description` (one line).
    pub description: String,
    /// The crate docs and README body (Markdown, examples in `rust` blocks
    /// naming the crate itself).
    pub docs: String,
    /// The runtime's doc examples written with the API's own operations
    /// (Markdown), by the marker name that fences the runtime's fax example
    /// they replace (see `replace_examples`); `@version@` stands for the
    /// crate's version.
    pub examples: std::collections::BTreeMap<String, String>,
    /// Whether the document declares webhooks. When it does not, the
    /// webhook verifiers (`webhooks.rs`) and their crypto dependencies
    /// (ed25519-dalek, hmac, sha2) are behind the `webhook-signatures` cargo feature,
    /// off by default, so the crate does not compile them for nothing.
    pub webhooks: bool,
    /// The agent skill's files by path from the crate's root
    /// ([`crate::Generated::skill`]: `SKILL.md`...), written beside
    /// `Cargo.toml`. Empty from [`About::new`]: a crate without them builds,
    /// but its doctests, which include them, do not.
    pub skill: Files,
}

impl About {
    /// The description and docs of a crate generated from `api` with `cfg`.
    pub fn new(api: &crate::ir::Api, cfg: &crate::config::CrateConfig) -> About {
        use crate::emit::docs::code;
        let id = crate::emit::identity::Identity::new(api, cfg);
        let krate = id.crate_name.replace('-', "_");
        let title = api.title.trim();
        let api_name = if title.to_ascii_lowercase().ends_with("api") { title.to_string() } else { format!("{title} API") };
        let description = cfg.description.clone().unwrap_or_else(|| format!("Rust client for the {api_name} (version {})", api.version));
        // One line (a title or version of the document may hold line breaks).
        let description = crate::emit::docs::inline(&description.lines().map(str::trim).collect::<Vec<_>>().join(" "));
        let mut docs = format!("# {}\n\n{}.\n\n", id.crate_name, crate::emit::docs::sanitize(&description).replace('\n', " "));
        if let Some(d) = api.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            // As every description: no block of it runs as a doctest of the
            // crate's docs (`lib.rs`), bare URLs become autolinks.
            let d = crate::emit::docs::sanitize(&d.replace("\\n", "\n"));
            docs.push_str(&format!("About the API, from its OpenAPI document:\n\n> {}\n\n", d.trim().replace('\n', "\n> ")));
        }
        docs.push_str("## Usage\n\n```rust,no_run\n");
        docs.push_str(&format!("# async fn run() -> {krate}::Result<()> {{\n"));
        docs.push_str(&format!("let client = {krate}::Client::from_env()?;\n"));
        docs.push_str("println!(\"{}\", client.base_url());\n# Ok(()) }\n```\n\n");
        docs.push_str("## Configuration\n\n");
        docs.push_str(&format!("* `{}_BASE_URL`: the base URL", id.env_prefix));
        if id.base_url.is_empty() {
            docs.push_str(&format!(" (required: the document's server URL `{}` is not absolute);\n", code(&id.server_url)));
        } else {
            docs.push_str(&format!(" (default `{}`);\n", code(&id.base_url)));
        }
        let setters = crate::emit::identity::scheme_setters(api, &id);
        for ((s, (env, password)), setter) in api.security.schemes.iter().zip(&id.scheme_env).zip(&setters) {
            let setter = &setter.method;
            let how = match &s.kind {
                crate::ir::AuthKind::Bearer => "`Authorization: Bearer`".to_string(),
                crate::ir::AuthKind::OAuth2 => "an OAuth2 access token, as `Authorization: Bearer`".to_string(),
                crate::ir::AuthKind::Basic => "HTTP basic".to_string(),
                crate::ir::AuthKind::Header(h) => format!("the `{}` header", code(h)),
                crate::ir::AuthKind::Query(q) => format!("the `{}` query parameter", code(q)),
                crate::ir::AuthKind::Cookie(c) => format!("the `{}` cookie", code(c)),
            };
            if let (crate::ir::AuthKind::OAuth2, Some(url)) = (&s.kind, &s.token_url) {
                let base = env.strip_suffix("_ACCESS_TOKEN").unwrap_or(env);
                let url = code(url);
                docs.push_str(&format!(
                    "* `{env}` (or `ClientBuilder::{setter}`): an access token of the `{}` scheme, sent as {how}; or `{base}_CLIENT_ID` and `{base}_CLIENT_SECRET` (or `ClientBuilder::{}`): the client fetches a token from `{url}` (client-credentials flow) and fetches a new one before it expires;\n",
                    code(&s.name),
                    client_credentials_setter(setter)
                ));
            } else if password.is_empty() {
                docs.push_str(&format!("* `{env}` (or `ClientBuilder::{setter}`): the credential of the `{}` scheme, sent as {how};\n", code(&s.name)));
            } else {
                docs.push_str(&format!("* `{env}` and `{password}` (or `ClientBuilder::{setter}`): the user and password of the `{}` scheme ({how});\n", code(&s.name)));
            }
        }
        docs.push_str(&format!(
            "\nEvery request sends `User-Agent: {}/VERSION`.\n",
            code(&id.sdk_name)
        ));
        docs.push_str("\n## Cargo features\n\n* `testing`: `testing::MockServer`, a test double of the API for your tests;\n* `blocking`: `blocking::Client`, the same API without async;\n");
        if api.webhooks.is_empty() {
            docs.push_str("* `webhook-signatures`: the webhook signature verifiers (`webhooks`) and their crypto dependencies (the document declares no webhooks, so they are off by default).\n");
        }
        let version = crate_version(&api.version);
        if version != api.version.trim() {
            docs.push_str(&format!(
                "\nThe document gives its version as `{}`, which is not a semantic version: the crate's version is `{version}` (from its leading numbers).\n",
                code(&api.version)
            ));
        }
        docs.push_str(&format!(
            "\n## Command line\n\nThe `cli` feature builds the `{name}` tool, a command per operation on this client (`{name} --help`; `{name} completions bash`): `cargo install --path . --features cli`.\n",
            name = id.crate_name
        ));
        docs.push_str("\n## Agent skill\n\n`SKILL.md`, beside `Cargo.toml`, teaches an AI agent this crate: setup, errors, every operation with a Rust example (each compiled by `cargo test --doc`), webhooks and the command line.\n");
        docs.push_str(&format!(
            "\n## MCP server\n\nThe `mcp` feature builds `{name}-mcp`, a Model Context Protocol server for AI agents: a tool per operation (or `--tools dynamic`: list, describe and invoke), over stdio or `--http 127.0.0.1:8080`; the API key from the environment only; uploads only from `--upload-dir`: `cargo install --path . --features mcp`.\n",
            name = id.crate_name
        ));
        let examples = crate::emit::examples::runtime_examples(api, &id.crate_name);
        About { description, docs, examples, webhooks: !api.webhooks.is_empty(), skill: Files::new() }
    }
}

/// The crate version for a document's `info.version`, which is free text
/// (`2020-09-14_1.697.4`, `v1`, `2026.06.3`) where Cargo wants semver: the
/// version itself when it is semver (a leading `v` dropped), else its first
/// one to three numbers (separated by `.`, `-` or `_`, leading zeros
/// dropped, missing ones 0: `2020-09-14_1.697.4` -> `2020.9.14`, `v1` ->
/// `1.0.0`), else `0.1.0`. The document's own text stays in the crate's
/// description and docs.
pub fn crate_version(info_version: &str) -> String {
    let text = info_version.trim().trim_start_matches(['v', 'V']);
    if semver::Version::parse(text).is_ok() {
        return text.to_string();
    }
    let mut numbers: Vec<u64> = Vec::new();
    let mut rest = text;
    while numbers.len() < 3 {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let Ok(n) = rest[..digits].parse::<u64>() else { break };
        numbers.push(n);
        rest = &rest[digits..];
        match rest.as_bytes() {
            [b'.' | b'-' | b'_', next, ..] if next.is_ascii_digit() => rest = &rest[1..],
            _ => break,
        }
    }
    if numbers.is_empty() {
        return "0.1.0".to_string();
    }
    numbers.resize(3, 0);
    let version = format!("{}.{}.{}", numbers[0], numbers[1], numbers[2]);
    if semver::Version::parse(&version).is_ok() { version } else { "0.1.0".to_string() }
}

/// The runtime a generated crate gets a copy of: its manifest template, the
/// workspace manifest its `workspace = true` entries would come from, and
/// its sources (`src/**/*.rs` minus `generated/`, paths relative to `src/`).
#[derive(Debug, Clone, Default)]
pub struct Runtime {
    /// `codegen/runtime/Cargo.toml.in`.
    pub manifest: String,
    /// A workspace `Cargo.toml` resolving `workspace = true` entries of
    /// [`Runtime::manifest`]; empty for the neutral home, whose template
    /// spells every dependency out (the generator carries no workspace).
    pub workspace: String,
    /// `(path under src/, text)`, sorted by path.
    pub sources: Vec<(String, String)>,
}

impl Runtime {
    /// The runtime's neutral home in this source tree (`codegen/runtime/`),
    /// which [`Runtime::from_dir`] reads for `cargo xtask`.
    pub fn home() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(RUNTIME_DIR)
    }

    /// Reads the runtime at `home` (its `Cargo.toml.in` and `src/`: this
    /// workspace's `codegen/runtime/`, [`Runtime::home`]), so that
    /// `cargo xtask` copies the runtime as it is now.
    pub fn from_dir(home: &Path) -> Result<Runtime, Error> {
        let manifest_path = home.join(MANIFEST_TEMPLATE);
        let manifest = std::fs::read_to_string(&manifest_path)
            .map_err(|e| Error::msg(format!("cannot read the runtime manifest {}: {e}", manifest_path.display())))?;
        let workspace = String::new();
        let src = home.join("src");
        let mut sources = Vec::new();
        for path in runtime_sources(&src)? {
            let rel = path.strip_prefix(&src).map_err(|e| Error::msg(e.to_string()))?.to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&path).map_err(|e| Error::msg(format!("{}: {e}", path.display())))?;
            sources.push((rel, text));
        }
        Ok(Runtime { manifest, workspace, sources })
    }

    /// The runtime compiled into the generator (`build.rs` lists its files),
    /// for the installed `openapi-rust-gen`, which runs without this
    /// repository beside it.
    pub fn embedded() -> Runtime {
        let (manifest, workspace, sources) = embedded::RUNTIME;
        Runtime {
            manifest: manifest.to_string(),
            workspace: workspace.to_string(),
            sources: sources.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect(),
        }
    }
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));
}

/// The files of a complete crate: `Cargo.toml`, `README.md`, the agent
/// skill (`SKILL.md`...) when [`About::skill`] has it, `src/**/*.rs`,
/// `src/generated/*`, with the runtime read from `runtime_crate`.
pub fn crate_files(generated: &Files, runtime_crate: &Path, opts: &CrateOptions) -> Result<Files, Error> {
    crate_files_with(generated, &Runtime::from_dir(runtime_crate)?, opts)
}

/// [`crate_files`] with the runtime given.
pub fn crate_files_with(generated: &Files, runtime: &Runtime, opts: &CrateOptions) -> Result<Files, Error> {
    let manifest = runtime.manifest.clone();
    let workspace = runtime.workspace.clone();
    let about = opts.about.clone().unwrap_or_else(|| About {
        description: format!("Generated API client ({})", opts.name),
        docs: format!("# {}\n\nGenerated API client.\n", opts.name),
        examples: Default::default(),
        webhooks: true,
        skill: Files::new(),
    });
    let mut files = Files::new();
    // Comments of the manifest name the crate too, and the MCP server's
    // binary is `<name>-mcp` (a longer name, which `rename_ident` keeps).
    let manifest = manifest.replace(RUNTIME_MCP_NAME, &format!("{}-mcp", opts.name));
    let manifest = rename_ident(&rename_ident(&manifest, RUNTIME_IDENT, &opts.name.replace('-', "_")), RUNTIME_NAME, &opts.name);
    let mut manifest = manifest_for(&manifest, &workspace, opts, &about.description)?;
    if !about.webhooks {
        manifest = webhooks_optional(&manifest)?;
    }
    files.insert("Cargo.toml".into(), manifest);
    files.insert("README.md".into(), about.docs.clone());
    for (rel, text) in &about.skill {
        files.insert(rel.clone(), text.clone());
    }
    let krate = opts.name.replace('-', "_");
    for (rel, text) in &runtime.sources {
        let mut text = text.replace(RUNTIME_MCP_NAME, &format!("{}-mcp", opts.name));
        // Doc examples and docs name the crate itself.
        text = rename_ident(&text, RUNTIME_IDENT, &krate);
        text = rename_ident(&text, RUNTIME_NAME, &opts.name);
        text = replace_examples(&text, &about.examples, &opts.version);
        if rel == "lib.rs" {
            text = replace_crate_docs(&text, &about.docs);
            if opts.deny_warnings {
                text.insert_str(0, "#![deny(warnings)]\n");
            }
        }
        files.insert(format!("src/{rel}"), text);
    }
    for (rel, text) in generated {
        files.insert(format!("src/generated/{rel}"), text.clone());
    }
    if !about.webhooks {
        gate_webhooks(&mut files);
    }
    Ok(files)
}

/// The runtime's files for a crate whose manifest and README are its
/// own (this workspace's `telnyx-fax/`), by path from the crate's root
/// (`src/lib.rs`, `src/client.rs`...): what `cargo xtask generate` writes
/// beside `src/generated/`, as it writes them into any generated crate. The
/// crate's name and version come from its `Cargo.toml` at `crate_root`; its
/// crate docs (the top of `lib.rs`) are `docs` when given (a hand-written
/// `spec/<name>.docs.md`), else those [`About::new`] writes; the runtime's
/// fenced examples are the API's own ([`About::examples`]), each replaced
/// by the one of the same name in `examples` when given (hand-written ones,
/// `spec/<name>.examples.md`, read by [`examples_from_markdown`]). The webhook
/// verifiers stay ungated: the crate's hand-written manifest carries their
/// dependencies.
pub fn runtime_for_crate(
    api: &crate::ir::Api,
    cfg: &crate::config::CrateConfig,
    runtime: &Runtime,
    crate_root: &Path,
    docs: Option<String>,
    examples: std::collections::BTreeMap<String, String>,
) -> Result<Files, Error> {
    let manifest_path = crate_root.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path).map_err(|e| Error::msg(format!("cannot read {}: {e}", manifest_path.display())))?;
    let doc: toml_edit::DocumentMut = manifest.parse().map_err(|e| Error::msg(format!("{} does not parse: {e}", manifest_path.display())))?;
    let field = |key: &str| {
        doc.get("package")
            .and_then(|p| p.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .ok_or_else(|| Error::msg(format!("{}: [package] has no `{key}` string", manifest_path.display())))
    };
    let (name, version) = (field("name")?, field("version")?);
    let mut about = About::new(api, cfg);
    if let Some(docs) = docs {
        about.docs = docs;
    }
    // Named as the crate's manifest names it (the config may not say).
    about.examples = crate::emit::examples::runtime_examples(api, &name);
    about.examples.extend(examples);
    about.webhooks = true;
    let opts = CrateOptions { name, version, about: Some(about), ..CrateOptions::default() };
    let files = crate_files_with(&Files::new(), runtime, &opts)?;
    Ok(files.into_iter().filter(|(rel, _)| rel.starts_with("src/") && !rel.starts_with("src/generated/")).collect())
}

/// The examples of a Markdown file by name: the text between each
/// `<!-- example: NAME -->` line and the next `<!-- /example -->` line
/// (the markers of the runtime's regions, see `replace_examples`); text
/// outside them is ignored. `path` names the file in errors.
pub fn examples_from_markdown(text: &str, path: &Path) -> Result<std::collections::BTreeMap<String, String>, Error> {
    let mut out = std::collections::BTreeMap::new();
    let mut open: Option<(String, usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let marker = line.trim();
        if let Some(name) = marker.strip_prefix("<!-- example: ").and_then(|r| r.strip_suffix("-->")) {
            if let Some((name, at, _)) = &open {
                return Err(Error::msg(format!("{}:{}: example `{name}` (line {at}) is not closed before the next one", path.display(), i + 1)));
            }
            open = Some((name.trim().to_string(), i + 1, String::new()));
        } else if marker == "<!-- /example -->" {
            let (name, _, body) = open.take().ok_or_else(|| Error::msg(format!("{}:{}: `<!-- /example -->` closes no example", path.display(), i + 1)))?;
            out.insert(name, body);
        } else if let Some((_, _, body)) = &mut open {
            body.push_str(line);
            body.push('\n');
        }
    }
    match open {
        Some((name, at, _)) => Err(Error::msg(format!("{}:{at}: example `{name}` is not closed (`<!-- /example -->`)", path.display()))),
        None => Ok(out),
    }
}

/// The crypto dependencies only the webhook verifiers use.
const WEBHOOK_DEPS: &[&str] = &["ed25519-dalek", "hmac", "sha2"];

/// Makes [`WEBHOOK_DEPS`] optional, enabled by a `webhook-signatures`
/// feature (not `webhooks`: a per-resource feature may have that name).
fn webhooks_optional(manifest: &str) -> Result<String, Error> {
    use toml_edit::{value, Array, DocumentMut, Item};
    let mut doc: DocumentMut = manifest.parse().map_err(|e| Error::msg(format!("the crate's Cargo.toml does not parse: {e}")))?;
    let mut enabled = Array::new();
    if let Some(deps) = doc.get_mut("dependencies").and_then(Item::as_table_like_mut) {
        for name in WEBHOOK_DEPS {
            let Some(dep) = deps.get_mut(name) else { continue };
            if let Some(version) = dep.as_str().map(str::to_string) {
                let mut table = toml_edit::InlineTable::new();
                table.insert("version", version.into());
                *dep = value(table);
            }
            if let Some(t) = dep.as_table_like_mut() {
                t.insert("optional", value(true));
            }
            enabled.push(format!("dep:{name}"));
        }
    }
    let features = doc.entry("features").or_insert_with(|| Item::Table(toml_edit::Table::new()));
    if let Some(t) = features.as_table_like_mut() {
        t.insert("webhook-signatures", value(enabled));
        if let Some(mut key) = t.key_mut("webhook-signatures") {
            key.leaf_decor_mut().set_prefix("# The document declares no webhooks: their verifiers (`webhooks`) and\n# crypto dependencies are compiled only with this feature.\n");
        }
    }
    Ok(doc.to_string())
}

/// Puts `crate::webhooks` and the config's `WebhookVerifier` behind the
/// `webhook-signatures` feature (see [`webhooks_optional`]).
fn gate_webhooks(files: &mut Files) {
    const GATE: &str = "#[cfg(feature = \"webhook-signatures\")]\n";
    if let Some(lib) = files.get_mut("src/lib.rs") {
        *lib = lib.replacen("\npub mod webhooks;\n", &format!("\n{GATE}pub mod webhooks;\n"), 1);
    }
    if let Some(config) = files.get_mut("src/generated/config.rs") {
        *config = config.replacen("\npub type WebhookVerifier", &format!("\n{GATE}pub type WebhookVerifier"), 1);
    }
    // The test double's webhook signer signs for `crate::webhooks`.
    if let Some(testing) = files.get_mut("src/testing.rs") {
        *testing = testing.replacen(
            "\nmod signer;\npub use signer::WebhookSigner;\n",
            &format!("\n{GATE}mod signer;\n{GATE}pub use signer::WebhookSigner;\n"),
            1,
        );
    }
}

/// The runtime's `.rs` files under `src` (recursively, `generated/` left out), sorted.
fn runtime_sources(src: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| Error::msg(format!("cannot read {}: {e}", dir.display())))?;
        for entry in entries {
            let path = entry.map_err(|e| Error::msg(e.to_string()))?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "generated") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The runtime's neutral home, relative to the `codegen` package.
pub const RUNTIME_DIR: &str = "runtime";
/// The runtime's manifest template in [`RUNTIME_DIR`] (not `Cargo.toml`,
/// which would make the folder a package of its own, left out of
/// `cargo package -p codegen`).
pub const MANIFEST_TEMPLATE: &str = "Cargo.toml.in";

/// The placeholder crate name and identifier the runtime's sources use,
/// replaced by the generated crate's.
const RUNTIME_NAME: &str = "my-api";
/// See [`RUNTIME_NAME`].
const RUNTIME_IDENT: &str = "my_api";
/// The runtime's MCP server binary, renamed `<name>-mcp`.
const RUNTIME_MCP_NAME: &str = "my-api-mcp";

/// Replaces `from` where it is a whole word (not part of a longer name:
/// no letter, digit, `_` or `-` beside it) with `to`.
fn rename_ident(text: &str, from: &str, to: &str) -> String {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(from) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + from.len()..].chars().next();
        out.push_str(&rest[..i]);
        if before.is_some_and(is_ident) || after.is_some_and(is_ident) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    out
}

/// Replaces each doc example of the runtime fenced by `<!-- example: NAME
/// -->` and `<!-- /example -->` (lines of `//!` or `///` comments; the
/// markers are HTML comments, which rustdoc does not show) with
/// `examples[NAME]`, so a crate for another API teaches its own operations
/// rather than the fax API's (whose examples would not compile there). The
/// markers stay; a name without an example keeps its text. `@version@`
/// becomes the `MAJOR.MINOR` (`0.MINOR.PATCH` below 1.0) of `version`, what
/// a dependency line asks for.
fn replace_examples(text: &str, examples: &std::collections::BTreeMap<String, String>, version: &str) -> String {
    const OPEN: &str = "<!-- example: ";
    const CLOSE: &str = "<!-- /example -->";
    let parts: Vec<&str> = version.split(['.', '-', '+']).collect();
    let short = match parts.as_slice() {
        ["0", "0", patch, ..] => format!("0.0.{patch}"),
        [major, minor, ..] => format!("{major}.{minor}"),
        _ => version.to_string(),
    };
    let mut out = String::with_capacity(text.len());
    let mut skipping = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let prefix_len = line.len() - trimmed.len();
        let marker = ["//! ", "/// "].iter().find_map(|p| trimmed.strip_prefix(p).map(|rest| (&line[..prefix_len + p.len()], rest.trim())));
        match marker {
            Some((prefix, rest)) if rest.starts_with(OPEN) && !skipping => {
                out.push_str(line);
                out.push('\n');
                let name = rest[OPEN.len()..].trim_end_matches("-->").trim();
                if let Some(example) = examples.get(name) {
                    skipping = true;
                    let bare = prefix.trim_end();
                    for l in example.replace("@version@", &short).lines() {
                        if l.is_empty() {
                            out.push_str(bare);
                        } else {
                            out.push_str(prefix);
                            out.push_str(l);
                        }
                        out.push('\n');
                    }
                }
                continue;
            }
            Some((_, rest)) if rest == CLOSE => skipping = false,
            _ if skipping => continue,
            _ => {}
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Replaces the leading `//!` block of `lib.rs` with `docs`.
fn replace_crate_docs(lib: &str, docs: &str) -> String {
    let body: Vec<&str> = lib.lines().skip_while(|l| l.starts_with("//!")).collect();
    let mut out = String::with_capacity(lib.len() + docs.len());
    for line in docs.lines() {
        if line.is_empty() {
            out.push_str("//!\n");
        } else {
            out.push_str("//! ");
            out.push_str(line);
            out.push('\n');
        }
    }
    for line in body {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Package keys of the runtime that describe the runtime, not the generated crate.
const DROPPED_PACKAGE_KEYS: &[&str] = &["repository", "documentation", "homepage", "keywords", "categories", "include", "exclude", "publish"];

/// Rewrites the runtime's manifest for a crate outside this workspace:
/// identity keys replaced, `workspace = true` resolved from `workspace`, dev
/// dependencies and bench/test/example targets dropped (their files are not
/// copied).
fn manifest_for(manifest: &str, workspace: &str, opts: &CrateOptions, description: &str) -> Result<String, Error> {
    use toml_edit::{value, DocumentMut, Item};
    let mut doc: DocumentMut = manifest.parse().map_err(|e| Error::msg(format!("the runtime's Cargo.toml does not parse: {e}")))?;
    let ws: DocumentMut = workspace.parse().unwrap_or_default();
    let ws_package = ws.get("workspace").and_then(|w| w.get("package"));
    let ws_deps = ws.get("workspace").and_then(|w| w.get("dependencies"));

    let package = doc
        .get_mut("package")
        .and_then(Item::as_table_mut)
        .ok_or_else(|| Error::msg("the runtime's Cargo.toml has no [package]"))?;
    for key in DROPPED_PACKAGE_KEYS {
        package.remove(key);
    }
    // The template's header comment is about the template.
    package.decor_mut().set_prefix("");
    // `edition.workspace = true` and friends take the workspace's value.
    let inherited: Vec<String> = package
        .iter()
        .filter(|(_, v)| v.get("workspace").and_then(Item::as_bool) == Some(true))
        .map(|(k, _)| k.to_string())
        .collect();
    for key in inherited {
        match ws_package.and_then(|p| p.get(&key)) {
            Some(v) => package[&key] = v.clone(),
            None => {
                package.remove(&key);
            }
        }
    }
    // The runtime's comment on its edition counts the fax crate's doctests.
    if let Some(mut key) = package.key_mut("edition") {
        key.leaf_decor_mut().set_prefix("# Edition 2024: rustdoc compiles the doctests as one merged crate\n# instead of one binary each (faster `cargo test`).\n");
    }
    package["name"] = value(opts.name.as_str());
    package["version"] = value(opts.version.as_str());
    package["description"] = value(description);
    package["readme"] = value("README.md");
    if package.get("license").is_none() {
        package["license"] = value("MIT OR Apache-2.0");
    }

    doc.remove("dev-dependencies");
    for target in ["bench", "test", "example"] {
        doc.remove(target);
    }
    doc.remove("lints");
    for table in ["dependencies", "build-dependencies"] {
        let Some(deps) = doc.get_mut(table).and_then(Item::as_table_like_mut) else { continue };
        let names: Vec<String> = deps.iter().map(|(k, _)| k.to_string()).collect();
        for name in names {
            let Some(dep) = deps.get_mut(&name) else { continue };
            if dep.get("workspace").and_then(Item::as_bool) != Some(true) {
                continue;
            }
            let base = ws_deps
                .and_then(|d| d.get(&name))
                .ok_or_else(|| Error::msg(format!("dependency `{name}` inherits from the workspace, which does not declare it")))?;
            let mut resolved = toml_edit::InlineTable::new();
            match base {
                Item::Value(toml_edit::Value::String(v)) => {
                    resolved.insert("version", v.value().as_str().into());
                }
                other => {
                    if let Some(t) = other.as_table_like() {
                        for (k, v) in t.iter() {
                            if let Some(v) = v.as_value() {
                                resolved.insert(k, v.clone());
                            }
                        }
                    }
                }
            }
            // Keys the member adds (`features`, `optional`) are kept.
            if let Some(t) = dep.as_table_like() {
                for (k, v) in t.iter().filter(|(k, _)| *k != "workspace") {
                    if let Some(v) = v.as_value() {
                        resolved.insert(k, v.clone());
                    }
                }
            }
            resolved.fmt();
            *dep = value(resolved);
        }
    }
    if opts.standalone {
        doc.insert("workspace", Item::Table(toml_edit::Table::new()));
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const WS: &str = "[workspace]\nmembers = [\"x\"]\n[workspace.package]\nedition = \"2021\"\nrust-version = \"1.85\"\nlicense = \"MIT OR Apache-2.0\"\nrepository = \"https://example.com\"\n[workspace.dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n";

    #[test]
    fn manifest_is_standalone() {
        let m = "[package]\nname = \"telnyx-fax\"\nversion = \"0.1.0\"\nedition.workspace = true\nrepository.workspace = true\nreadme = \"README.md\"\ninclude = [\n  \"src/**/*.rs\",\n  \"README.md\",\n]\n\n[dependencies]\n# a comment that stays\nserde = { workspace = true }\nserde_json = { workspace = true, features = [\"preserve_order\"] }\nhttp = \"1\"\n\n[dev-dependencies]\nwiremock = \"0.6\"\n\n[[bench]]\nname = \"client\"\nharness = false\n";
        let opts = CrateOptions { name: "x-api".into(), version: "2.0.0".into(), standalone: true, ..CrateOptions::default() };
        let out = manifest_for(m, WS, &opts, "A client").unwrap();
        let doc: toml_edit::DocumentMut = out.parse().unwrap();
        assert_eq!(doc["package"]["name"].as_str(), Some("x-api"));
        assert_eq!(doc["package"]["edition"].as_str(), Some("2021"));
        assert_eq!(doc["package"]["description"].as_str(), Some("A client"));
        assert!(doc["package"].get("repository").is_none() && doc["package"].get("include").is_none(), "{out}");
        assert_eq!(doc["dependencies"]["serde"]["features"].as_array().map(|a| a.len()), Some(1));
        assert_eq!(doc["dependencies"]["serde_json"]["version"].as_str(), Some("1"));
        assert!(doc["dependencies"]["serde_json"]["features"].as_array().is_some());
        assert!(out.contains("# a comment that stays"));
        assert!(!out.contains("wiremock") && !out.contains("bench"), "{out}");
        assert!(doc.get("workspace").is_some());
    }

    /// docs.rs documents a generated crate's features (`testing`,
    /// `blocking`, per-resource ones) with badges, as it does the runtime's.
    #[test]
    fn docs_rs_metadata_is_kept() {
        let m = std::fs::read_to_string(Runtime::home().join(MANIFEST_TEMPLATE)).unwrap();
        let opts = CrateOptions { name: "x-api".into(), version: "2.0.0".into(), standalone: true, ..CrateOptions::default() };
        let out = manifest_for(&m, WS, &opts, "A client").unwrap();
        let doc: toml_edit::DocumentMut = out.parse().unwrap();
        let docs_rs = &doc["package"]["metadata"]["docs"]["rs"];
        assert_eq!(docs_rs["all-features"].as_bool(), Some(true), "{out}");
        let args: Vec<&str> = docs_rs["rustdoc-args"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
        assert_eq!(args, ["--cfg", "docsrs"]);
    }

    /// The runtime's binaries become the generated crate's: `x-api` (the
    /// command line) and `x-api-mcp` (the MCP server), behind their features.
    #[test]
    fn binaries_take_the_crates_name() {
        let runtime = Runtime::from_dir(&Runtime::home()).unwrap();
        let opts = CrateOptions { name: "x-api".into(), version: "2.0.0".into(), standalone: true, ..CrateOptions::default() };
        let files = crate_files_with(&Files::new(), &runtime, &opts).unwrap();
        let doc: toml_edit::DocumentMut = files["Cargo.toml"].parse().unwrap();
        let bins: Vec<(String, String)> = doc["bin"]
            .as_array_of_tables()
            .unwrap()
            .iter()
            .map(|b| (b["name"].as_str().unwrap().to_string(), b["required-features"].as_array().unwrap().get(0).and_then(|v| v.as_str()).unwrap().to_string()))
            .collect();
        assert_eq!(bins, [("x-api".to_string(), "cli".to_string()), ("x-api-mcp".to_string(), "mcp".to_string())]);
        assert!(files["src/mcp.rs"].contains("`x-api-mcp`") && !files["src/mcp.rs"].contains("my-api"), "the server's docs name the crate");
        assert!(!doc.to_string().contains("template"), "the template's header comment is not copied");
    }

    /// The fax crate's manifest is hand-written (its release version, tests,
    /// benches, dev-dependencies); its dependencies, features and binaries
    /// must stay those of the runtime's template, which generated crates get.
    #[test]
    fn fax_manifest_matches_the_template() {
        let fax = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../telnyx-fax/Cargo.toml")).unwrap();
        let ws = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml")).unwrap();
        let template = std::fs::read_to_string(Runtime::home().join(MANIFEST_TEMPLATE)).unwrap();
        let template = rename_ident(&rename_ident(&template.replace(RUNTIME_MCP_NAME, "telnyx-fax-mcp"), RUNTIME_IDENT, "telnyx_fax"), RUNTIME_NAME, "telnyx-fax");
        let opts = CrateOptions { name: "telnyx-fax".into(), version: "0.1.0".into(), ..CrateOptions::default() };
        let tables = |m: &str, ws: &str| -> Vec<String> {
            let doc: toml_edit::DocumentMut = manifest_for(m, ws, &opts, "d").unwrap().parse().unwrap();
            ["dependencies", "features", "bin"].iter().map(|k| doc.get(k).map(|v| v.to_string()).unwrap_or_default()).map(|s| strip_comments(&s)).collect()
        };
        assert_eq!(tables(&fax, &ws), tables(&template, ""), "telnyx-fax/Cargo.toml and codegen/runtime/Cargo.toml.in differ");
    }

    /// TOML text without comments and blank lines, each line trimmed.
    fn strip_comments(s: &str) -> String {
        s.lines().map(|l| l.split(" #").next().unwrap_or(l).trim()).filter(|l| !l.is_empty() && !l.starts_with('#')).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn renames_whole_identifiers_only() {
        assert_eq!(rename_ident("use telnyx_fax::X; my_telnyx_fax telnyx_fax_x", "telnyx_fax", "pets"), "use pets::X; my_telnyx_fax telnyx_fax_x");
    }

    #[test]
    fn crate_versions_are_semver_whatever_the_document_says() {
        for (info, expected) in [
            ("2020-09-14_1.697.4", "2020.9.14"),
            ("v1", "1.0.0"),
            ("vv6.6.2", "6.6.2"),
            ("2026.06.3", "2026.6.3"),
            ("1.2.3", "1.2.3"),
            ("1.0.0-beta.1+b5", "1.0.0-beta.1+b5"),
            ("1.0", "1.0.0"),
            ("latest", "0.1.0"),
            ("", "0.1.0"),
            ("99999999999999999999999.1", "0.1.0"),
        ] {
            let v = crate_version(info);
            assert_eq!(v, expected, "{info}");
            assert!(semver::Version::parse(&v).is_ok(), "{info} -> {v}");
        }
    }

    /// A marked runtime example is replaced by the API's own (the fax one
    /// did not compile in other crates); unmarked text and markers stay.
    #[test]
    fn runtime_examples_replaced() {
        let text = "//! intro\n//!\n//! <!-- example: testing -->\n//! ```\n//! faxes()\n//! ```\n//! <!-- /example -->\n//! after\n/// <!-- example: other -->\n/// kept\n/// <!-- /example -->\nfn f() {}\n";
        let examples = [("testing".to_string(), "```\npets = \"@version@\"\n\nx\n```\n".to_string())].into_iter().collect();
        assert_eq!(
            replace_examples(text, &examples, "1.2.3"),
            "//! intro\n//!\n//! <!-- example: testing -->\n//! ```\n//! pets = \"1.2\"\n//!\n//! x\n//! ```\n//! <!-- /example -->\n//! after\n/// <!-- example: other -->\n/// kept\n/// <!-- /example -->\nfn f() {}\n"
        );
        assert!(replace_examples(text, &examples, "0.3.1").contains("\"0.3\""));
    }

    /// Without webhooks, the crypto dependencies are optional, behind a
    /// `webhook-signatures` feature that also gates the module.
    #[test]
    fn webhooks_behind_a_feature() {
        let m = "[package]\nname = \"x\"\n[dependencies]\nbase64 = \"0.22\"\ned25519-dalek = \"2\"\nhmac = \"0.12\"\nsha2 = { version = \"0.10\" }\n[features]\ntesting = []\n";
        let doc: toml_edit::DocumentMut = webhooks_optional(m).unwrap().parse().unwrap();
        for dep in WEBHOOK_DEPS {
            assert_eq!(doc["dependencies"][dep]["optional"].as_bool(), Some(true), "{dep}");
        }
        assert!(doc["dependencies"]["base64"].as_str().is_some());
        assert_eq!(doc["features"]["webhook-signatures"].as_array().map(|a| a.len()), Some(3));
        assert!(doc["features"].get("testing").is_some());
        let mut files = Files::new();
        files.insert("src/lib.rs".into(), "mod a;\npub mod webhooks;\n".into());
        files.insert("src/generated/config.rs".into(), "/// doc\npub type WebhookVerifier = X;\n".into());
        gate_webhooks(&mut files);
        assert_eq!(files["src/lib.rs"], "mod a;\n#[cfg(feature = \"webhook-signatures\")]\npub mod webhooks;\n");
        assert_eq!(files["src/generated/config.rs"], "/// doc\n#[cfg(feature = \"webhook-signatures\")]\npub type WebhookVerifier = X;\n");
    }

    /// The installed generator's runtime (`build.rs`) is the neutral home's,
    /// read from inside this package only.
    #[test]
    fn embedded_runtime_is_the_neutral_home() {
        let home = Runtime::from_dir(&Runtime::home()).unwrap();
        let embedded = Runtime::embedded();
        assert_eq!(embedded.manifest, home.manifest);
        assert!(embedded.workspace.is_empty() && home.workspace.is_empty());
        assert_eq!(embedded.sources, home.sources);
        assert!(home.sources.iter().any(|(p, _)| p == "lib.rs") && home.sources.iter().any(|(p, _)| p == "testing/signer.rs"));
        assert!(home.sources.iter().all(|(_, t)| !t.contains("telnyx")), "the neutral home names no API");
    }

    /// Hand-written examples are read by name; an unclosed one is an error
    /// that says where.
    #[test]
    fn examples_read_from_markdown() {
        let p = Path::new("x.examples.md");
        let text = "intro\n<!-- example: a -->\n```\nx\n\n```\n<!-- /example -->\nbetween\n<!-- example: b -->\ny\n<!-- /example -->\n";
        let got = examples_from_markdown(text, p).unwrap();
        assert_eq!(got["a"], "```\nx\n\n```\n");
        assert_eq!(got["b"], "y\n");
        let err = examples_from_markdown("<!-- example: a -->\nx\n", p).unwrap_err().to_string();
        assert!(err.contains("x.examples.md:1") && err.contains("`a`"), "{err}");
    }

    #[test]
    fn crate_docs_replaced() {
        let lib = "//! # old\n//!\n//! text\n\n#![warn(missing_docs)]\nmod a;\n";
        assert_eq!(replace_crate_docs(lib, "# new\n\nbody"), "//! # new\n//!\n//! body\n\n#![warn(missing_docs)]\nmod a;\n");
    }
}
