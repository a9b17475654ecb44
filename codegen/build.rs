//! Lists the runtime the generated crates get a copy of
//! (`../telnyx-fax/Cargo.toml`, the workspace manifest and
//! `../telnyx-fax/src/**/*.rs` minus `generated/`) as `include_str!`s in
//! `$OUT_DIR/runtime_files.rs`, so that the installed `openapi-rust-gen`
//! carries the runtime it was built with (`cargo install` keeps only the
//! binary). `cargo xtask` reads the files from disk instead.

use std::path::{Path, PathBuf};

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let runtime = dir.join("../telnyx-fax");
    let src = runtime.join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    files.sort();
    let lit = |p: &Path| format!("{:?}", p.display().to_string());
    let mut out = String::from("/// (runtime manifest, workspace manifest, [(path under src/, text)]).\npub(super) const RUNTIME: (&str, &str, &[(&str, &str)]) = (\n");
    out.push_str(&format!("    include_str!({}),\n", lit(&runtime.join("Cargo.toml"))));
    out.push_str(&format!("    include_str!({}),\n    &[\n", lit(&dir.join("../Cargo.toml"))));
    for f in &files {
        let rel = f.strip_prefix(&src).expect("under src").to_string_lossy().replace('\\', "/");
        out.push_str(&format!("        ({rel:?}, include_str!({})),\n", lit(f)));
    }
    out.push_str("    ],\n);\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out_dir.join("runtime_files.rs"), out).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed={}", runtime.join("Cargo.toml").display());
    println!("cargo:rerun-if-changed={}", dir.join("../Cargo.toml").display());
    // A directory is watched for added or removed entries (by mtime); each
    // file through its `include_str!`.
    println!("cargo:rerun-if-changed={}", src.display());
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "generated") {
                println!("cargo:rerun-if-changed={}", path.display());
                collect(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            println!("cargo:rerun-if-changed={}", path.display());
            out.push(path);
        }
    }
}
