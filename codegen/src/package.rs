//! A whole, buildable crate from any spec: the generated module plus a copy of
//! the hand-written runtime (`telnyx-fax/src/*.rs` minus `generated/`) and a
//! manifest derived from `telnyx-fax/Cargo.toml`, so the dependency versions
//! stay the ones the runtime is tested with.

use crate::diagnostics::Error;
use crate::emit::Files;
use std::path::Path;

/// How to package.
#[derive(Debug, Clone)]
pub struct CrateOptions {
    /// Package name (`telnyx-api`).
    pub name: String,
    /// Package version.
    pub version: String,
    /// Prepend `#![deny(warnings)]` to `lib.rs` (for conformance builds).
    pub deny_warnings: bool,
    /// Make the crate its own workspace root (an empty `[workspace]` table).
    pub standalone: bool,
}

/// The files of a complete crate: `Cargo.toml`, `src/*.rs`, `src/generated/*`.
pub fn crate_files(generated: &Files, runtime_crate: &Path, opts: &CrateOptions) -> Result<Files, Error> {
    let manifest_path = runtime_crate.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| Error::msg(format!("cannot read the runtime manifest {}: {e}", manifest_path.display())))?;
    let mut files = Files::new();
    files.insert("Cargo.toml".into(), manifest_for(&manifest, opts));
    let src = runtime_crate.join("src");
    let entries = std::fs::read_dir(&src).map_err(|e| Error::msg(format!("cannot read {}: {e}", src.display())))?;
    let mut names = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::msg(e.to_string()))?.path();
        if path.extension().is_some_and(|e| e == "rs") && path.is_file() {
            names.push(path);
        }
    }
    names.sort();
    for path in names {
        let file = path.file_name().and_then(|f| f.to_str()).unwrap_or_default().to_string();
        let mut text = std::fs::read_to_string(&path).map_err(|e| Error::msg(format!("{}: {e}", path.display())))?;
        if file == "lib.rs" {
            // Doc examples name the original crate; they are not part of a generated crate's build.
            text = strip_doc_examples(&text);
            if opts.deny_warnings {
                text.insert_str(0, "#![deny(warnings)]\n");
            }
        }
        files.insert(format!("src/{file}"), text);
    }
    for (rel, text) in generated {
        files.insert(format!("src/generated/{rel}"), text.clone());
    }
    Ok(files)
}

fn strip_doc_examples(lib: &str) -> String {
    let mut out = String::with_capacity(lib.len());
    let mut in_code = false;
    for line in lib.lines() {
        if line.trim_start().starts_with("//! ```") {
            in_code = !in_code;
            continue;
        }
        if !in_code {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Rewrites the runtime's manifest for a crate outside this workspace.
fn manifest_for(manifest: &str, opts: &CrateOptions) -> String {
    let mut out = String::new();
    let mut section = String::new();
    for line in manifest.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            section = t.to_string();
        }
        // Tests, benches and examples are not copied, so neither are their
        // targets and dependencies.
        if section == "[dev-dependencies]" || section.starts_with("[[") {
            continue;
        }
        if section == "[package]" {
            let key = t.split(['=', '.']).next().unwrap_or("").trim();
            match key {
                "name" => out.push_str(&format!("name = \"{}\"\n", opts.name)),
                "version" => out.push_str(&format!("version = \"{}\"\n", opts.version)),
                "edition" => out.push_str("edition = \"2021\"\n"),
                "rust-version" => out.push_str("rust-version = \"1.85\"\n"),
                "license" => out.push_str("license = \"MIT OR Apache-2.0\"\n"),
                "description" => out.push_str(&format!("description = \"Generated API client ({})\"\n", opts.name)),
                "repository" | "documentation" | "readme" | "include" | "keywords" | "categories" => {}
                _ => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
            continue;
        }
        if t.contains("workspace = true") {
            let dep = t.split('=').next().unwrap_or("").trim();
            let spec = match dep {
                "serde" => "{ version = \"1\", features = [\"derive\"] }",
                "serde_json" => "{ version = \"1\", features = [\"preserve_order\"] }",
                _ => "\"*\"",
            };
            out.push_str(&format!("{dep} = {spec}\n"));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    if opts.standalone {
        out.push_str("\n[workspace]\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_is_standalone() {
        let m = "[package]\nname = \"telnyx-fax\"\nversion = \"0.1.0\"\nedition.workspace = true\nreadme = \"README.md\"\n\n[dependencies]\nserde = { workspace = true }\nhttp = \"1\"\n\n[dev-dependencies]\nwiremock = \"0.6\"\n\n[[bench]]\nname = \"client\"\nharness = false\n";
        let out = manifest_for(m, &CrateOptions { name: "x-api".into(), version: "2.0.0".into(), deny_warnings: false, standalone: true });
        assert!(out.contains("name = \"x-api\""), "{out}");
        assert!(out.contains("edition = \"2021\""));
        assert!(out.contains("serde = { version = \"1\", features = [\"derive\"] }"));
        assert!(!out.contains("wiremock"));
        assert!(!out.contains("bench"));
        assert!(!out.contains("readme"));
        assert!(out.trim_end().ends_with("[workspace]"));
    }
}
