//! The crate's agent skill: `SKILL.md` at the crate's root, in the form of
//! Telnyx's generated skills for its other SDKs (`shared/seeds/`): YAML front
//! matter (`name`, `description`, `metadata`), installation, client setup,
//! errors, retries and paging in short, a section per operation (its summary,
//! description, method and path, required parameters and a Rust example),
//! the webhooks when the document declares them, and the command-line tool.
//! An agent given the crate gets the help the seeds give for Python, Go,
//! JavaScript and Ruby, with the crate's real method names and builders.
//!
//! # Every example compiles
//!
//! The operations' examples are the generated methods' own doc examples
//! (`examples::method_example`: one writer, two frames), put in an
//! `async fn` that takes the `client` of the setup section, so each reads
//! whole without rustdoc's hidden `#` lines. The generated module's
//! `skill.rs` includes every skill file as the doc of an item under
//! `cfg(doctest)` (`includes`), so `cargo test --doc` compiles each
//! ` ```rust,no_run ` block. Text from the document goes through
//! [`docs::sanitize`] like every doc comment: none of its blocks can become
//! a compiled or run example.
//!
//! # Size
//!
//! A section costs about 700 characters (an operation with a large body
//! example, a few thousand). Up to [`SINGLE_FILE_MAX_OPERATIONS`]
//! operations everything is in `SKILL.md` (the fax document's 11: 12 KB,
//! 14 compiled examples). Beyond, `SKILL.md` keeps the common parts and one
//! line per root resource (its operation count, its cargo feature, a
//! link), and each resource's sections go to `skill/<resource>.md`, read by
//! an agent when it needs that resource (the layout agent skills use for
//! long reference material: the entry file stays small, the rest is loaded
//! on demand). The whole Telnyx API (1,156 operations, 175 root resources,
//! 66 webhook events): a `SKILL.md` of 32 KB, and 840 KB in the resource
//! files (median 2.5 KB, the largest, `ai`, 100 KB), 1,143 compiled
//! examples. Descriptions are cut to
//! their first paragraphs, at most [`MAX_DESCRIPTION`] characters, before
//! they are sanitised (so no cut falls inside a block).

use super::docs::{self, code, inline};
use super::examples::{method_example, CRATE};
use super::features::{resource_module, FeaturePlan};
use super::identity::Identity;
use super::Files;
use crate::config::{CrateConfig, WebhookScheme};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// Up to this many operations, one `SKILL.md`; beyond, a file per root
/// resource (see the module docs).
pub const SINGLE_FILE_MAX_OPERATIONS: usize = 60;

/// At most this many characters of an operation's description (whole
/// paragraphs; a longer first paragraph is cut at a sentence).
pub const MAX_DESCRIPTION: usize = 600;

/// The skill's files, by path relative to the crate's root: `SKILL.md`, and
/// `skill/<resource>.md` per root resource for a large document. `plan`:
/// the per-resource cargo features, when the crate has them.
pub fn render(api: &Api, cfg: &CrateConfig, plan: Option<&FeaturePlan>) -> Files {
    let id = Identity::new(api, cfg);
    let krate = id.crate_name.replace('-', "_");
    let binary = super::binary_types(&api.types);
    let roots = super::resources::root_accessors(api);
    // Operations by root resource, in the IR's order.
    let mut groups: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in &api.operations {
        groups.entry(op.resource.first().map_or("", String::as_str)).or_default().push(op);
    }
    let split = api.operations.len() > SINGLE_FILE_MAX_OPERATIONS;
    let mut files = Files::new();
    let mut md = String::new();
    md.push_str(&front_matter(api, cfg, &id));
    md.push_str(&format!(
        "\n<!-- Generated from the OpenAPI document by `cargo xtask generate`: do not edit by hand. Every Rust example below is compiled by `cargo test --doc`. -->\n\n# {} - Rust\n\n",
        heading(&api_name(api))
    ));
    md.push_str(&installation(api, &id, plan));
    md.push_str(&setup(api, &id, &krate));
    md.push_str(&errors(api, &krate));
    if split {
        md.push_str("## Resources\n\nEach resource's operations, with their parameters and a Rust example, are in a file of their own: read the one you need.\n\n");
        for (seg, ops) in &groups {
            let file = format!("skill/{}.md", resource_module(seg));
            let feature = plan.and_then(|p| p.resources.get(*seg)).map(|f| format!(", cargo feature `{f}`")).unwrap_or_default();
            md.push_str(&format!(
                "- [{}]({file}): `client.{}()`, {} operation{}{feature}\n",
                heading(&resource_title(seg)),
                code(roots.get(*seg).map_or(*seg, String::as_str)),
                ops.len(),
                if ops.len() == 1 { "" } else { "s" }
            ));
        }
        md.push('\n');
        for (seg, ops) in &groups {
            let mut r = format!("# {} - {}\n\n", heading(&resource_title(seg)), heading(&api_name(api)));
            r.push_str(&format!(
                "Part of the [{} skill](../SKILL.md): the examples take the `client` set up there (`{krate}::Client::from_env()?`).",
                id.crate_name
            ));
            if let Some(f) = plan.and_then(|p| p.resources.get(*seg)) {
                r.push_str(&format!(" Needs the cargo feature `{f}` (on by default, with `full`)."));
            }
            r.push_str("\n\n");
            for op in ops {
                r.push_str(&operation(api, op, &krate, "##"));
            }
            let lines = cli_lines(api, ops, &binary, &id.crate_name);
            if !lines.is_empty() {
                r.push_str(&format!("## Command line\n\n{lines}\n"));
            }
            files.insert(format!("skill/{}.md", resource_module(seg)), finish(r));
        }
    } else {
        for (seg, ops) in &groups {
            let feature = plan.and_then(|p| p.resources.get(*seg)).map(|f| format!(" (cargo feature `{f}`)")).unwrap_or_default();
            md.push_str(&format!(
                "## {}\n\n`client.{}()`{feature}\n\n",
                heading(&resource_title(seg)),
                code(roots.get(*seg).map_or(*seg, String::as_str))
            ));
            for op in ops {
                md.push_str(&operation(api, op, &krate, "###"));
            }
        }
    }
    md.push_str(&webhooks(api, &id, &krate));
    md.push_str(&command_line(api, &id, &binary, split));
    files.insert("SKILL.md".to_string(), finish(md));
    files
}

/// The items of the generated module's `skill.rs`: each skill file as the
/// doc of an item, compiled as doctests only (`cfg(doctest)` on the module
/// in `mod.rs`). Paths are relative to `src/generated/`.
pub(crate) fn includes(files: &Files) -> TokenStream {
    let mut names = crate::naming::Scope::default();
    let items = files.keys().map(|path| {
        let name = match path.as_str() {
            "SKILL.md" => names.claim("Skill"),
            _ => {
                let stem = path.trim_end_matches(".md").rsplit('/').next().unwrap_or("skill");
                names.claim(&format!("Skill{}", crate::naming::type_name(stem)))
            }
        };
        let name = crate::naming::ident(&name);
        let include = format!("../../{path}");
        quote! {
            #[doc = include_str!(#include)]
            pub struct #name;
        }
    });
    quote! { #(#items)* }
}

/// One trailing newline, no trailing spaces.
fn finish(text: String) -> String {
    let mut out: String = text.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    while out.ends_with("\n\n") || out.ends_with('\n') {
        out.pop();
    }
    out.push('\n');
    out
}

/// `Telnyx Fax API`: the title, with ` API` when it has no such word.
fn api_name(api: &Api) -> String {
    let title = inline(api.title.trim());
    if title.is_empty() {
        "The API".to_string()
    } else if title.to_ascii_lowercase().ends_with("api") {
        title
    } else {
        format!("{title} API")
    }
}

/// Text for a heading: one line, Markdown's specials escaped as in docs.
fn heading(text: &str) -> String {
    let line = docs::sanitize(&inline(text).replace('`', "'"));
    if line.contains('\n') || line.is_empty() {
        inline(text).chars().filter(|c| c.is_alphanumeric() || *c == ' ').collect()
    } else {
        line
    }
}

/// `fax_applications` -> `Fax applications`.
fn resource_title(seg: &str) -> String {
    let words = crate::naming::unraw(seg).replace('_', " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => "Other operations".to_string(),
    }
}

/// The YAML front matter. Values that come from the document are on one
/// line, without characters YAML does not print, and the description is a
/// folded block (`>-`) indented under its key, so no text can end it early
/// or become a key of its own; the others are JSON strings (valid YAML).
fn front_matter(api: &Api, cfg: &CrateConfig, id: &Identity) -> String {
    let about = cfg.description.clone().unwrap_or_else(|| format!("Rust client for the {} (version {})", api_name(api), api.version.trim()));
    let about = yaml_text(&about);
    let about = about.trim_end_matches('.');
    let mut description = format!("{about}. This skill provides Rust SDK examples (crate {}).", id.crate_name);
    if description.chars().count() > 1000 {
        let cut: String = about.chars().take(900).collect();
        description = format!("{cut}... This skill provides Rust SDK examples (crate {}).", id.crate_name);
    }
    let name = skill_name(&id.crate_name);
    let mut out = format!("---\nname: {name}\ndescription: >-\n");
    for line in wrap(&description, 76) {
        out.push_str(&format!("  {line}\n"));
    }
    let json = |s: &str| serde_json::Value::String(yaml_text(s)).to_string();
    out.push_str("metadata:\n");
    out.push_str(&format!("  crate: {}\n", json(&id.crate_name)));
    out.push_str("  language: rust\n");
    out.push_str(&format!("  api: {}\n", json(&api_name(api))));
    out.push_str(&format!("  api_version: {}\n", json(api.version.trim())));
    out.push_str("  generated_by: \"cargo xtask generate (codegen)\"\n");
    out.push_str("---\n");
    out
}

/// `telnyx-fax` -> `telnyx-fax-rust`: lower-case letters, digits and
/// hyphens, at most 64 characters (what agent skill names allow).
fn skill_name(crate_name: &str) -> String {
    let mut name: String = crate_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    name.truncate(59);
    let name = name.trim_end_matches('-');
    if name.is_empty() { "api-rust".to_string() } else { format!("{name}-rust") }
}

/// One line of printable text for YAML: whitespace runs as one space,
/// characters YAML does not allow (controls, U+FFFE/FFFF) and the byte-order
/// mark dropped, bidirectional controls dropped.
fn yaml_text(text: &str) -> String {
    let kept: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !docs::is_special(*c) && !matches!(c, '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'))
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words of `text` in lines of at most `width` (a longer word alone).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn installation(api: &Api, id: &Identity, plan: Option<&FeaturePlan>) -> String {
    let name = &id.crate_name;
    let mut out = format!("## Installation\n\n```bash\ncargo add {name}\ncargo add tokio --features macros,rt-multi-thread\n```\n\n");
    out.push_str(&format!(
        "Cargo features: `testing` (`{krate}::testing::MockServer`, a test double of the API for your tests), `blocking` (`{krate}::blocking::Client`, the same calls without async), `cli` (the command-line tool, below)",
        krate = name.replace('-', "_")
    ));
    if api.webhooks.is_empty() {
        out.push_str(", `webhook-signatures` (the webhook signature verifiers; off: the document declares no webhooks)");
    }
    out.push_str(".\n");
    if let Some(p) = plan {
        let first = p.resources.values().next().map_or("NAME", String::as_str);
        out.push_str(&format!(
            "Each resource is behind a cargo feature named after it (given with each resource below); `full`, the default, turns them all on. To compile only what you use: `cargo add {name} --no-default-features --features {first}`.\n"
        ));
    }
    out.push('\n');
    out
}

fn setup(api: &Api, id: &Identity, krate: &str) -> String {
    let mut env = Vec::new();
    for (s, (var, password)) in api.security.schemes.iter().zip(&id.scheme_env) {
        if password.is_empty() {
            env.push(format!("`{var}` (the `{}` credential)", code(&s.name)));
        } else {
            env.push(format!("`{var}` and `{password}` (the `{}` user and password)", code(&s.name)));
        }
    }
    let base = if id.base_url.is_empty() {
        format!("`{}_BASE_URL` (required: the document gives no absolute server URL)", id.env_prefix)
    } else {
        format!("`{}_BASE_URL` (default `{}`)", id.env_prefix, code(&id.base_url))
    };
    // Not `#[tokio::main]` itself: the doctest has the crate's dependencies
    // only, and the crate's tokio has no `macros` feature.
    let mut out = "## Setup\n\n```rust,no_run\n// Called from `#[tokio::main] async fn main()` (tokio's `macros` and `rt-multi-thread` features).\nasync fn setup() -> Result<(), Box<dyn std::error::Error>> {\n".to_string();
    out.push_str(&format!("    // Credentials and base URL from the environment.\n    let client = {krate}::Client::from_env()?;\n"));
    let key = if id.primary.is_some() { ".api_key(\"KEY\")" } else { "" };
    out.push_str(&format!("    // Or in code: {krate}::Client::builder(){key}.base_url(\"https://...\").build()?\n"));
    out.push_str("    println!(\"{}\", client.base_url());\n    Ok(())\n}\n```\n\n");
    if env.is_empty() {
        out.push_str(&format!("`Client::from_env` reads {base}; the document declares no authentication.\n\n"));
    } else {
        out.push_str(&format!("`Client::from_env` reads {}, and {base}.\n\n", env.join(", ")));
    }
    out.push_str("The examples below are functions that take this `client` (cheap to clone and share across tasks). Required parameters are the method's arguments; optional ones are setters on the returned request, which `.await` sends.\n\n");
    out
}

fn errors(api: &Api, krate: &str) -> String {
    let mut out = "## Errors, retries and pagination\n\n".to_string();
    out.push_str(&format!(
        "- Every call returns `Result<T, {krate}::Error>`. An error answer has `status()`, `message()`, `body()` and `is_not_found()`, `is_unprocessable_entity()`, `is_rate_limited()`, `is_authentication()`...; a network failure is `is_connection()` or `is_timeout()`.\n"
    ));
    out.push_str("- Failed attempts are retried (2 retries by default) with exponential backoff and jitter, honouring `Retry-After`, never in a way that could repeat a side effect: a request that may have reached the server is retried only when its method is idempotent or it carries an idempotency key. `Client::builder().max_retries(n)`, or `.max_retries(n)` and `.timeout(..)` on one request.\n");
    if !api.paging.is_empty() {
        out.push_str(&format!(
            "- List operations return one page; `.into_stream()` on the request yields every item of every page (`use {krate}::prelude::*;` for `try_next`).\n"
        ));
    }
    out.push('\n');
    if let Some((_, uses, expr)) = super::examples::first_call(api, krate) {
        out.push_str("```rust,no_run\n");
        for u in &uses {
            out.push_str(u);
            out.push('\n');
        }
        if !uses.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("async fn example(client: &{krate}::Client) {{\n"));
        let call = if expr.contains('\n') { format!("let result = {expr}\n    .await;") } else { format!("let result = {expr}.await;") };
        out.push_str(&indent(&call, 4));
        out.push_str("\n    match result {\n        Ok(response) => println!(\"{response:?}\"),\n        Err(err) if err.is_not_found() => println!(\"not found\"),\n        Err(err) => eprintln!(\"failed: {err} (status {:?})\", err.status()),\n    }\n}\n```\n\n");
    }
    out
}

/// `text`'s lines indented by `n` spaces (blank lines left empty).
fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines().map(|l| if l.is_empty() { String::new() } else { format!("{pad}{l}") }).collect::<Vec<_>>().join("\n")
}

/// The method an operation's section shows (the one `resources.rs` emits
/// first: the merged upload method, else the first body variant's, else the
/// operation's), its body, and whether it takes file uploads.
fn primary<'a>(api: &'a Api, op: &'a Operation) -> (String, Option<&'a BodyVariant>, bool) {
    let merged = super::uploads::merged(api, op);
    match op.body.first() {
        None => (op.name.clone(), None, false),
        Some(_) => match &merged {
            Some((json, _, _)) => (op.name.clone(), op.body.iter().find(|b| b.media_type == json.media_type), true),
            None => (op.body[0].method_name.clone(), op.body.first(), false),
        },
    }
}

/// The section of one operation; `level` is its heading's (`###`).
fn operation(api: &Api, op: &Operation, krate: &str, level: &str) -> String {
    let summary = op.summary.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let title = match summary {
        Some(s) => heading(s),
        None => format!("`{} {}`", op.method.as_str(), code(&op.path)),
    };
    let mut out = format!("{level} {title}\n\n");
    let description = op.description.as_deref().map(str::trim).filter(|d| !d.is_empty() && Some(*d) != summary);
    if let Some(d) = description {
        out.push_str(&docs::sanitize(&bounded(d)));
        out.push_str("\n\n");
    }
    if op.deprecated {
        out.push_str("Deprecated in the API document.\n\n");
    }
    let mut required: Vec<String> = op.path_params.iter().chain(&op.required_params).map(|p| format!("`{}`", code(&p.wire))).collect();
    let (method, body, upload) = primary(api, op);
    if let Some(b) = body {
        match super::named_of(&b.ty).and_then(|n| api.types.get(n)).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => required.extend(s.fields.iter().filter(|f| f.required).map(|f| format!("`{}`", code(&f.wire)))),
            _ if op.body_required => required.push("the body".to_string()),
            _ => {}
        }
    }
    out.push_str(&format!("`{} {}` (operation `{}`)", op.method.as_str(), code(&op.path), code(&op.id)));
    if !required.is_empty() {
        out.push_str(&format!(" — required: {}", required.join(", ")));
    }
    out.push_str("\n\n");
    match method_example(api, op, &method, body) {
        Some(ex) => {
            let fn_name = match crate::naming::field_name(&op.id) {
                n if crate::naming::unraw(&n) == "main" => "main_example".to_string(),
                n => n,
            };
            out.push_str("```rust,no_run\n");
            for u in &ex.uses {
                out.push_str(&format!("{}\n", u.replace(CRATE, krate)));
            }
            if !ex.uses.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("async fn {fn_name}(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n"));
            out.push_str(&indent(&ex.body.join("\n").replace(CRATE, krate), 4));
            out.push_str("\n    Ok(())\n}\n```\n\n");
        }
        None => {
            let roots = super::resources::root_accessors(api);
            let chain: Vec<String> =
                op.resource.iter().enumerate().map(|(i, s)| format!("{}()", if i == 0 { roots.get(s).unwrap_or(s) } else { s })).collect();
            out.push_str(&format!("Call: `client.{}.{method}(..)` (no example: the document's examples do not fit its arguments).\n\n", chain.join(".")));
        }
    }
    let mut notes = Vec::new();
    if !op.optional_params.is_empty() {
        let names: Vec<String> = op.optional_params.iter().map(|p| format!("`{}`", code(&p.wire))).collect();
        notes.push(format!("Optional parameters (setters on the request): {}.", names.join(", ")));
    }
    if upload {
        if let Some((_, _, files)) = super::uploads::merged(api, op) {
            let setters: Vec<String> = files.iter().map(|(_, f)| format!("`{}`", crate::naming::unraw(&f.ident))).collect();
            notes.push(format!(
                "To upload a file, set {} on the body (`{krate}::FileUpload::from_path(\"./file.pdf\")`): the request then goes as `multipart/form-data`.",
                setters.join(", ")
            ));
        }
    }
    let others: Vec<String> = op
        .body
        .iter()
        .filter(|b| Some(b.method_name.as_str()) != Some(method.as_str()) && !(upload && b.encoding == BodyEncoding::Multipart))
        .map(|b| format!("`{}` (`{}`)", crate::naming::unraw(&b.method_name), code(&b.media_type)))
        .collect();
    if !others.is_empty() {
        notes.push(format!("Also sent as: {}.", others.join(", ")));
    }
    if !notes.is_empty() {
        out.push_str(&notes.join("\n"));
        out.push_str("\n\n");
    }
    out
}

/// The first paragraphs of a description, at most [`MAX_DESCRIPTION`]
/// characters (a longer first paragraph cut after a sentence, or at a word),
/// before sanitising: a cut inside a fenced block is closed by
/// [`docs::sanitize`].
fn bounded(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::new();
    for para in text.split("\n\n") {
        if out.chars().count() + para.chars().count() > MAX_DESCRIPTION {
            break;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(para);
    }
    if out.is_empty() {
        let head: String = text.chars().take(MAX_DESCRIPTION).collect();
        let cut = head.rfind(". ").map(|i| i + 1).or_else(|| head.rfind(' ')).unwrap_or(head.len());
        out = format!("{}...", &head[..cut]);
    }
    out
}

fn webhooks(api: &Api, id: &Identity, krate: &str) -> String {
    if api.webhooks.is_empty() {
        return String::new();
    }
    let mut out = "## Webhooks\n\n".to_string();
    let how = match id.webhook_scheme {
        WebhookScheme::Ed25519 => format!(
            "Webhooks are signed with Ed25519 (headers `{lower}-signature-ed25519` and `{lower}-timestamp`, see `{krate}::webhooks`): `WebhookVerifier::from_env()` reads the public key from `{}`.",
            id.webhook_env,
            lower = id.env_prefix.to_ascii_lowercase().replace('_', "-")
        ),
        WebhookScheme::Standard => format!(
            "Webhooks are signed as Standard Webhooks (HMAC-SHA256, headers `webhook-id`, `webhook-timestamp`, `webhook-signature`): `WebhookVerifier::from_env()` reads the `whsec_` secret from `{}`.",
            id.webhook_env
        ),
    };
    out.push_str(&how);
    out.push_str(" Hand the verifier the raw body bytes exactly as received (not re-serialized JSON); a webhook older or newer than 5 minutes is rejected.\n\n");
    let first = &api.webhooks[0];
    out.push_str("```rust,no_run\n");
    out.push_str(&format!("use {krate}::types::WebhookEvent;\nuse {krate}::webhooks::WebhookVerifier;\n\n"));
    out.push_str(&format!("fn handle(body: &[u8], headers: &{krate}::http::HeaderMap) -> Result<(), Box<dyn std::error::Error>> {{\n"));
    out.push_str("    let verifier = WebhookVerifier::from_env()?;\n");
    out.push_str("    match verifier.unwrap(body, headers)? {\n");
    out.push_str(&format!("        WebhookEvent::{}(event) => println!(\"{{event:?}}\"),\n", first.ident));
    out.push_str("        other => println!(\"{}\", other.event_type()),\n    }\n    Ok(())\n}\n```\n\n");
    out.push_str("| Event | Variant | Description |\n| --- | --- | --- |\n");
    for e in &api.webhooks {
        let doc = e.doc.as_deref().map(|d| docs::sanitize(&yaml_text(d)).replace('\n', " ").replace('|', "\\|")).unwrap_or_default();
        out.push_str(&format!("| `{}` | `{}` | {} |\n", code(&e.event_type).replace('|', "\\|"), e.ident, doc));
    }
    out.push('\n');
    out
}

/// One line per resource chain: `- `NAME faxes actions`: `cancel`, `refresh``.
fn cli_lines(api: &Api, ops: &[&Operation], binary: &std::collections::HashSet<String>, tool: &str) -> String {
    let mut by_chain: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for op in ops {
        if let Some(mut words) = super::cli::command_words(api, op, binary) {
            let name = words.pop().unwrap_or_default();
            by_chain.entry(words).or_default().push(name);
        }
    }
    by_chain
        .iter()
        .map(|(chain, names)| {
            let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("- `{tool} {}`: {}", chain.join(" "), names.join(", "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn command_line(api: &Api, id: &Identity, binary: &std::collections::HashSet<String>, split: bool) -> String {
    let tool = &id.crate_name;
    let mut out = "## Command line\n\n".to_string();
    out.push_str(&format!(
        "The `cli` feature builds the `{tool}` tool: a command per operation, on the same client (credentials and base URL from the same environment variables or `--api-key` / `--base-url`), flags from the parameters and body fields, a whole body as `--data @file.json`, every page with `--all`, JSON output.\n\n"
    ));
    out.push_str(&format!("```bash\ncargo install {tool} --features cli\n{tool} --help\n```\n\n"));
    if split {
        out.push_str("Each resource's file lists its commands.\n");
    } else {
        let ops: Vec<&Operation> = api.operations.iter().collect();
        out.push_str(&cli_lines(api, &ops, binary, tool));
        out.push('\n');
    }
    out
}
