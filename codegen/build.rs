//! Lists the runtime the generated crates get a copy of (its neutral home,
//! `runtime/`: the manifest template `runtime/Cargo.toml.in` and
//! `runtime/src/**/*.rs`) as `include_str!`s in `$OUT_DIR/runtime_files.rs`,
//! so that the installed `openapi-rust-gen` carries the runtime it was built
//! with (`cargo install` keeps only the binary). Everything read is inside
//! this package, so `cargo package -p codegen` carries it too. `cargo xtask`
//! reads the files from disk instead.

use std::path::{Path, PathBuf};

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let runtime = dir.join("runtime");
    let src = runtime.join("src");
    let template = runtime.join("Cargo.toml.in");
    let mut files = Vec::new();
    collect(&src, &mut files);
    files.sort();
    let lit = |p: &Path| format!("{:?}", p.display().to_string());
    let mut out = String::from("/// (runtime manifest template, workspace manifest (none), [(path under src/, text)]).\npub(super) const RUNTIME: (&str, &str, &[(&str, &str)]) = (\n");
    out.push_str(&format!("    include_str!({}),\n", lit(&template)));
    out.push_str("    \"\",\n    &[\n");
    for f in &files {
        let rel = f.strip_prefix(&src).expect("under src").to_string_lossy().replace('\\', "/");
        out.push_str(&format!("        ({rel:?}, include_str!({})),\n", lit(f)));
    }
    out.push_str("    ],\n);\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out_dir.join("runtime_files.rs"), out).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed={}", template.display());
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
