//! Stage 5: put files on disk, or compare them with what is there.
//!
//! Writing is all-or-nothing: the new tree is written to a sibling temporary
//! directory and swapped in with renames, so a failure never leaves a
//! half-written `generated/`. Checking normalises line endings (a Windows
//! checkout with `core.autocrlf` is not "stale").

use crate::diagnostics::Error;
use crate::emit::Files;
use std::path::{Path, PathBuf};

/// Replaces `dir` with exactly `files`.
pub fn write_dir(dir: &Path, files: &Files) -> Result<(), Error> {
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("generated");
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = (|| {
        for (rel, text) in files {
            let path = tmp.join(rel);
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p).map_err(|e| io_err(p, e))?;
            }
            std::fs::write(&path, text).map_err(|e| io_err(&path, e))?;
        }
        if dir.exists() {
            std::fs::rename(dir, &old).map_err(|e| io_err(dir, e))?;
        }
        if let Err(e) = std::fs::rename(&tmp, dir) {
            let _ = std::fs::rename(&old, dir);
            return Err(io_err(dir, e));
        }
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// Files that differ between `dir` and `files` (relative paths, sorted):
/// changed, missing or extra.
pub fn check_dir(dir: &Path, files: &Files) -> Result<Vec<String>, Error> {
    let mut stale = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        match std::fs::read_to_string(&path) {
            Ok(on_disk) if normalize(&on_disk) == normalize(text) => {}
            Ok(_) => stale.push(format!("{rel} (changed)")),
            Err(_) => stale.push(format!("{rel} (missing)")),
        }
    }
    for rel in list(dir, dir)? {
        if !files.contains_key(&rel) {
            stale.push(format!("{rel} (not generated any more)"));
        }
    }
    stale.sort();
    Ok(stale)
}

fn normalize(s: &str) -> String {
    s.replace("\r\n", "\n")
}

fn list(root: &Path, dir: &Path) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(out) };
    for entry in entries {
        let entry = entry.map_err(|e| io_err(dir, e))?;
        let path: PathBuf = entry.path();
        if path.is_dir() {
            out.extend(list(root, &path)?);
        } else if let Ok(rel) = path.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(out)
}

fn io_err(path: &Path, e: std::io::Error) -> Error {
    Error::msg(format!("{}: {e}", path.display()))
}
