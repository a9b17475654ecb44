//! Stage 5: put files on disk, or compare them with what is there.
//!
//! # The generator deletes only what it wrote
//!
//! Every folder it writes gets a marker, [`MARKER`] (`.openapi-generated`):
//! a header line saying what wrote it, then every file written, one relative
//! path a line. A run into
//!
//! * a missing or empty folder writes it;
//! * a folder with a marker replaces the listed files and the new ones,
//!   deletes listed files that are no longer generated, and leaves every
//!   other entry alone (`.git/`, notes, hand-written sources, `target/`); a
//!   new file that would replace an unlisted one is refused;
//! * a non-empty folder without a marker is refused, nothing written, unless
//!   every file in it is byte for byte one being generated (the up-to-date
//!   output of a generator older than the marker: adopting it loses nothing).
//!
//! The marker's entries are checked (relative, no `..`), so an edited marker
//! cannot make the generator delete outside the folder.
//!
//! # What a crash leaves
//!
//! * A folder holding only the generator's files (the usual `generated/`
//!   module, a crate nobody edited) is built whole in a sibling staging
//!   folder, every file and folder fsynced, then swapped in. On Linux the swap
//!   is one `renameat2(RENAME_EXCHANGE)`: after a crash the path holds
//!   either the old tree or the new one, never neither. Elsewhere, or on a
//!   file system without the exchange, it is two renames: a crash between
//!   them leaves the path missing and the old tree whole beside it
//!   (`.NAME.old-XXXXXX`).
//! * A folder with files of its user is updated file by file: each file is
//!   written to a temporary file in its own folder, fsynced and renamed over
//!   the old one, so each file is whole (old or new), but after a crash the
//!   set may mix old and new files. The marker is written first listing old
//!   and new files (so a rerun may finish the job) and last listing the new
//!   ones only.
//!
//! Temporary names come from the `tempfile` crate (a well-kept crate, already
//! in the lock file): random suffixes, created exclusively (`O_EXCL`), so a
//! file or symlink planted at a guessable name cannot redirect a write, and
//! removed when a write fails.
//!
//! Checking normalises line endings (a Windows checkout with
//! `core.autocrlf` is not "stale").

use crate::diagnostics::Error;
use crate::emit::Files;
use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Component, Path};

/// The file, in each folder the generator writes, that lists the files it
/// owns there.
pub const MARKER: &str = ".openapi-generated";

/// The first line of [`MARKER`] (what a marker is recognised by).
const HEADER_TAG: &str = "# openapi-generated";

/// The rest of the header line.
const HEADER_TEXT: &str = "1: written by the codegen OpenAPI generator (`cargo xtask generate`). It owns the files listed below: a new run replaces them or deletes those no longer generated, and leaves everything else in this folder alone. Do not edit.";

/// The text of the marker for `files`.
pub fn manifest(files: &Files) -> String {
    manifest_of(files.keys().map(String::as_str))
}

fn manifest_of<'a>(paths: impl Iterator<Item = &'a str>) -> String {
    let mut out = format!("{HEADER_TAG} {HEADER_TEXT}\n");
    for rel in paths {
        out.push_str(rel);
        out.push('\n');
    }
    out
}

/// The files a marker lists; an error naming the marker when it is not one
/// or lists a path outside its folder.
fn parse_manifest(text: &str, path: &Path) -> Result<BTreeSet<String>, Error> {
    let mut lines = text.lines();
    if !lines.next().is_some_and(|l| l.starts_with(HEADER_TAG)) {
        return Err(Error::msg(format!(
            "{}: not a marker of the generator (its first line is not `{HEADER_TAG} ...`); nothing was written. Write to a new or empty folder",
            path.display()
        )));
    }
    let mut owned = BTreeSet::new();
    for (i, line) in lines.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        check_rel(line).map_err(|why| Error::msg(format!("{}:{}: `{line}` {why}; nothing was written", path.display(), i + 2)))?;
        owned.insert(line.to_string());
    }
    Ok(owned)
}

/// Why `rel` is not a plain relative path inside the folder (no `..`, no
/// root, no control character, not the marker itself).
fn check_rel(rel: &str) -> Result<(), &'static str> {
    if rel.is_empty() || rel.chars().any(char::is_control) || rel.contains('\\') {
        return Err("is not a plain relative path");
    }
    if rel == MARKER {
        return Err("is the marker itself");
    }
    let p = Path::new(rel);
    if !p.components().all(|c| matches!(c, Component::Normal(_))) || rel.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
        return Err("is not a path inside the folder");
    }
    Ok(())
}

/// Writes `files` (and the marker) to `dir`, replacing only the files the
/// generator wrote there before (see the module docs).
pub fn write_dir(dir: &Path, files: &Files) -> Result<(), Error> {
    for rel in files.keys() {
        check_rel(rel).map_err(|why| Error::msg(format!("generated file `{rel}` {why}")))?;
    }
    let manifest = manifest(files);
    match plan(dir, files)? {
        Plan::Swap => swap_dir(dir, files, &manifest),
        Plan::PerFile(owned) => replace_files(dir, files, &owned, &manifest),
    }
}

/// How a folder is written.
#[derive(Debug)]
enum Plan {
    /// Missing, empty, or holding only the generator's files: built aside
    /// and swapped in whole.
    Swap,
    /// Holding files of its user too: the generator's files (these) are
    /// replaced one by one.
    PerFile(BTreeSet<String>),
}

/// What may be done with `dir`, or why nothing may.
fn plan(dir: &Path, files: &Files) -> Result<Plan, Error> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Plan::Swap),
        Err(e) => return Err(io_err(dir, e)),
        Ok(m) if !m.is_dir() => return Err(Error::msg(format!("{}: exists and is not a folder; nothing was written", dir.display()))),
        Ok(_) => {}
    }
    let entries = list_entries(dir)?;
    if entries.is_empty() {
        return Ok(Plan::Swap);
    }
    let marker = dir.join(MARKER);
    let owned = match std::fs::read_to_string(&marker) {
        Ok(text) => parse_manifest(&text, &marker)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let identical = entries.iter().all(|(rel, kind)| {
                *kind == Kind::File && files.get(rel).is_some_and(|text| std::fs::read(dir.join(rel)).is_ok_and(|b| b == text.as_bytes()))
            });
            if !identical {
                return Err(Error::msg(format!(
                    "{}: the folder is not empty and was not written by the generator (it has no `{MARKER}` file listing the generator's files); \
                     nothing was written. Write to a new or empty folder, or move this one's contents away first",
                    dir.display()
                )));
            }
            entries.keys().cloned().collect()
        }
        Err(e) => return Err(io_err(&marker, e)),
    };
    // New files must not replace what the user made.
    let mut conflicts = Vec::new();
    for rel in files.keys() {
        if owned.contains(rel) {
            continue;
        }
        let mut prefix = String::new();
        for (i, seg) in rel.split('/').enumerate() {
            if i > 0 {
                prefix.push('/');
            }
            prefix.push_str(seg);
            let last = prefix.len() == rel.len();
            match std::fs::symlink_metadata(dir.join(&prefix)) {
                Ok(m) if last || !m.is_dir() => {
                    conflicts.push(prefix.clone());
                    break;
                }
                _ => {}
            }
        }
    }
    if !conflicts.is_empty() {
        conflicts.dedup();
        return Err(Error::msg(format!(
            "{}: the generator would replace {} the generator did not write (not listed in `{MARKER}`): {}; nothing was written. \
             Move or rename them, or write to a new or empty folder",
            dir.display(),
            if conflicts.len() == 1 { "a file" } else { "files" },
            conflicts.join(", ")
        )));
    }
    let users = entries.iter().any(|(rel, _)| rel != MARKER && !owned.contains(rel));
    Ok(if users { Plan::PerFile(owned) } else { Plan::Swap })
}

/// The kind of an entry of [`list_entries`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    /// A symlink, an empty folder or anything else that is not a plain file.
    Other,
}

/// The files (and non-file leaves) under `dir`, by relative path, without
/// following symlinks.
fn list_entries(dir: &Path) -> Result<std::collections::BTreeMap<String, Kind>, Error> {
    let mut out = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let mut empty = true;
        for entry in std::fs::read_dir(&d).map_err(|e| io_err(&d, e))? {
            empty = false;
            let entry = entry.map_err(|e| io_err(&d, e))?;
            let path = entry.path();
            let ty = entry.file_type().map_err(|e| io_err(&path, e))?;
            if ty.is_dir() {
                todo.push(path);
                continue;
            }
            let rel = relative(dir, &path);
            out.insert(rel, if ty.is_file() { Kind::File } else { Kind::Other });
        }
        if empty && d != dir {
            out.insert(relative(dir, &d), Kind::Other);
        }
    }
    Ok(out)
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// A staging or backup folder beside `dir`: a random name, created
/// exclusively.
fn sibling_temp(parent: &Path, name: &str, kind: &str) -> Result<tempfile::TempDir, Error> {
    tempfile::Builder::new().prefix(&format!(".{name}.{kind}-")).tempdir_in(parent).map_err(|e| io_err(parent, e))
}

/// Builds the whole tree aside and swaps it in (see the module docs).
fn swap_dir(dir: &Path, files: &Files, manifest: &str) -> Result<(), Error> {
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("generated");
    // Dropped on an error: the staging folder goes with it.
    let staging = sibling_temp(parent, name, "new")?;
    let root = staging.path();
    let mut dirs = BTreeSet::from([root.to_path_buf()]);
    // Written first, fsynced after in batches on several threads: a file
    // system commits its journal once for the fsyncs that wait together,
    // where one fsync after each write paid one commit per file (1.6 s of
    // 2.4 s for the whole Telnyx API on a busy disk, issue 21).
    let mut written = Vec::with_capacity(SYNC_BATCH);
    for (rel, text) in files {
        let path = root.join(rel);
        let folder = path.parent().unwrap_or(root);
        std::fs::create_dir_all(folder).map_err(|e| io_err(folder, e))?;
        dirs.extend(folder.ancestors().take_while(|a| a.starts_with(root)).map(Path::to_path_buf));
        written.push((create_new(&path, text.as_bytes())?, path));
        if written.len() == SYNC_BATCH {
            sync_files(std::mem::take(&mut written))?;
        }
    }
    let marker = root.join(MARKER);
    written.push((create_new(&marker, manifest.as_bytes())?, marker));
    sync_files(written)?;
    sync_dirs(dirs.iter().rev())?;
    let exists = std::fs::symlink_metadata(dir).is_ok();
    if !exists {
        std::fs::rename(root, dir).map_err(|e| io_err(dir, e))?;
        let _ = staging.keep();
        return sync_dir(parent);
    }
    match exchange(root, dir) {
        Ok(()) => {
            // The staging path now holds the old tree: its files are
            // unlinked on threads (one after another they waited on the
            // journal: 0.4-0.8 s for the whole API on a busy disk), the
            // emptied folders go with `staging`.
            sync_dir(parent)?;
            remove_files_in(staging.path());
            drop(staging);
            Ok(())
        }
        Err(_) => {
            // No atomic exchange here: move the old tree aside (onto an empty
            // folder of a random name), then the new one in.
            let old = sibling_temp(parent, name, "old")?.keep();
            if std::fs::rename(dir, &old).is_err() {
                // Platforms where a rename cannot replace an empty folder.
                std::fs::remove_dir(&old).map_err(|e| io_err(&old, e))?;
                std::fs::rename(dir, &old).map_err(|e| io_err(dir, e))?;
            }
            if let Err(e) = std::fs::rename(root, dir) {
                let _ = std::fs::rename(&old, dir);
                return Err(io_err(dir, e));
            }
            let _ = staging.keep();
            sync_dir(parent)?;
            std::fs::remove_dir_all(&old).map_err(|e| io_err(&old, e))
        }
    }
}

/// Swaps two paths in one step (`renameat2(RENAME_EXCHANGE)`, through
/// `rustix`, which tempfile already builds on).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// No atomic exchange on this platform: the caller falls back to two renames.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Replaces the generator's files of a folder that also holds its user's
/// (see the module docs).
fn replace_files(dir: &Path, files: &Files, owned: &BTreeSet<String>, manifest: &str) -> Result<(), Error> {
    // First: every file this run may create or delete is listed, so an
    // interrupted run leaves a folder the next run may finish.
    let all: BTreeSet<&str> = owned.iter().map(String::as_str).chain(files.keys().map(String::as_str)).collect();
    replace_file(dir, MARKER, manifest_of(all.into_iter()).as_bytes())?;
    let mut dirs = BTreeSet::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if std::fs::read(&path).is_ok_and(|b| b == text.as_bytes()) {
            continue;
        }
        replace_file(dir, rel, text.as_bytes())?;
        dirs.insert(path.parent().unwrap_or(dir).to_path_buf());
    }
    for rel in owned.iter().filter(|rel| !files.contains_key(*rel)) {
        let path = dir.join(rel);
        match std::fs::symlink_metadata(&path) {
            // A folder where the generator wrote a file is not its own.
            Ok(m) if m.is_dir() => continue,
            Ok(_) => std::fs::remove_file(&path).map_err(|e| io_err(&path, e))?,
            Err(_) => continue,
        }
        // Folders emptied by the removal go too (`remove_dir` keeps any
        // folder that still holds something).
        let mut folder = path.parent();
        while let Some(f) = folder.filter(|f| *f != dir && f.starts_with(dir)) {
            if std::fs::remove_dir(f).is_err() {
                dirs.insert(f.to_path_buf());
                break;
            }
            folder = f.parent();
        }
        dirs.insert(folder.unwrap_or(dir).to_path_buf());
    }
    for d in &dirs {
        sync_dir(d)?;
    }
    replace_file(dir, MARKER, manifest.as_bytes())
}

/// Writes `dir/rel` atomically: a temporary file in the same folder,
/// fsynced, renamed over the old one.
fn replace_file(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), Error> {
    let path = dir.join(rel);
    let folder = path.parent().unwrap_or(dir);
    std::fs::create_dir_all(folder).map_err(|e| io_err(folder, e))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let prefix = format!(".{name}.tmp-");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    // The mode of any new file (0o666 less the umask), not tempfile's
    // private 0o600: the result is a source file, not a secret.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(folder).map_err(|e| io_err(folder, e))?;
    tmp.write_all(bytes).map_err(|e| io_err(tmp.path(), e))?;
    tmp.as_file().sync_all().map_err(|e| io_err(tmp.path(), e))?;
    tmp.persist(&path).map_err(|e| io_err(&path, e.error))?;
    if rel == MARKER {
        sync_dir(folder)?;
    }
    Ok(())
}

/// Creates `path` (it must not exist) with `bytes`, not yet fsynced (see
/// [`sync_files`]).
fn create_new(path: &Path, bytes: &[u8]) -> Result<std::fs::File, Error> {
    let mut f = std::fs::File::create_new(path).map_err(|e| io_err(path, e))?;
    f.write_all(bytes).map_err(|e| io_err(path, e))?;
    Ok(f)
}

/// Files [`swap_dir`] keeps open before fsyncing them together (well under
/// the usual limit of 1,024 open files).
const SYNC_BATCH: usize = 256;

/// Threads that wait in fsync together: they spend their time blocked on
/// the disk, not on a core, so more than the machine's cores.
const SYNC_THREADS: usize = 8;

/// Fsyncs (and closes) `files` on up to [`SYNC_THREADS`] threads; the first
/// failure, in the order given, is the error.
fn sync_files(files: Vec<(std::fs::File, std::path::PathBuf)>) -> Result<(), Error> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::OnceLock<std::io::Result<()>>> = files.iter().map(|_| std::sync::OnceLock::new()).collect();
    std::thread::scope(|scope| {
        for _ in 0..SYNC_THREADS.min(files.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((file, _)) = files.get(i) else { break };
                let _ = results[i].set(file.sync_all());
            });
        }
    });
    for ((_, path), result) in files.iter().zip(results) {
        match result.into_inner() {
            Some(Ok(())) => {}
            Some(Err(e)) => return Err(io_err(path, e)),
            None => return Err(Error::msg(format!("{}: internal error: the file was not fsynced", path.display()))),
        }
    }
    Ok(())
}

/// Makes the entries of several folders durable, waiting for them together
/// as [`sync_files`] does (a no-op where folders cannot be opened).
fn sync_dirs<'a>(dirs: impl Iterator<Item = &'a std::path::PathBuf>) -> Result<(), Error> {
    #[cfg(unix)]
    {
        let open = dirs.map(|d| std::fs::File::open(d).map(|f| (f, d.clone())).map_err(|e| io_err(d, e)));
        sync_files(open.collect::<Result<_, _>>()?)
    }
    #[cfg(not(unix))]
    {
        let _ = dirs;
        Ok(())
    }
}

/// Unlinks the files under `dir` on up to [`SYNC_THREADS`] threads, leaving
/// its (now empty) folders; failures are left to the `remove_dir_all` that
/// follows, which reports none either (a leftover old tree is harmless).
fn remove_files_in(dir: &Path) {
    let Ok(entries) = list_entries(dir) else { return };
    let files: Vec<std::path::PathBuf> = entries.into_iter().filter(|(_, k)| *k == Kind::File).map(|(rel, _)| dir.join(rel)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..SYNC_THREADS.min(files.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let _ = std::fs::remove_file(path);
            });
        }
    });
}

/// Makes a folder's entries durable (a no-op where folders cannot be opened).
fn sync_dir(dir: &Path) -> Result<(), Error> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir).and_then(|f| f.sync_all()).map_err(|e| io_err(dir, e))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Writes `files` into `dir`, a folder of its user's where the generator
/// owns only the files it lists in the marker there (a crate's root, where
/// it writes the agent skill, `SKILL.md`, beside hand-written sources and
/// docs). Unlike [`write_dir`], a folder without a marker is not refused:
/// it simply owns nothing yet. The same rules otherwise: listed files are
/// replaced one by one (each whole, old or new), listed files no longer
/// generated are deleted, and a new file that would replace one the marker
/// does not list is refused, nothing written, unless it is byte for byte
/// the file being generated (adopted). `dir` must exist.
pub fn write_into(dir: &Path, files: &Files) -> Result<(), Error> {
    for rel in files.keys() {
        check_rel(rel).map_err(|why| Error::msg(format!("generated file `{rel}` {why}")))?;
    }
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(Error::msg(format!("{}: exists and is not a folder; nothing was written", dir.display()))),
        Err(e) => return Err(io_err(dir, e)),
    }
    let owned = owned_files(dir)?;
    let conflicts: Vec<&str> = files
        .iter()
        .filter(|(rel, text)| !owned.contains(*rel) && !unclaimed_or_same(dir, rel, text))
        .map(|(rel, _)| rel.as_str())
        .collect();
    if !conflicts.is_empty() {
        return Err(Error::msg(format!(
            "{}: the generator would replace {} the generator did not write (not listed in `{MARKER}`): {}; nothing was written. Move or rename them",
            dir.display(),
            if conflicts.len() == 1 { "a file" } else { "files" },
            conflicts.join(", ")
        )));
    }
    replace_files(dir, files, &owned, &manifest(files))
}

/// The files the marker of `dir` lists (none without a marker).
fn owned_files(dir: &Path) -> Result<BTreeSet<String>, Error> {
    let marker = dir.join(MARKER);
    match std::fs::read_to_string(&marker) {
        Ok(text) => parse_manifest(&text, &marker),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeSet::new()),
        Err(e) => Err(io_err(&marker, e)),
    }
}

/// Whether `dir/rel` may be written though the generator does not own it:
/// nothing is there (nor a file where one of its folders would go), or the
/// same bytes are.
fn unclaimed_or_same(dir: &Path, rel: &str, text: &str) -> bool {
    let mut prefix = dir.to_path_buf();
    let segments: Vec<&str> = rel.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        prefix.push(seg);
        match std::fs::symlink_metadata(&prefix) {
            Err(_) => return true,
            Ok(m) if i + 1 == segments.len() => return m.is_file() && std::fs::read(&prefix).is_ok_and(|b| b == text.as_bytes()),
            Ok(m) if !m.is_dir() => return false,
            Ok(_) => {}
        }
    }
    true
}

/// [`check_dir`] for a folder written by [`write_into`]: the generated files
/// and the marker, and the listed files no longer generated; nothing else
/// in the folder is looked at.
pub fn check_into(dir: &Path, files: &Files) -> Result<Vec<String>, Error> {
    let mut stale = Vec::new();
    let manifest = manifest(files);
    for (rel, text) in files.iter().map(|(r, t)| (r.as_str(), t.as_str())).chain([(MARKER, manifest.as_str())]) {
        match std::fs::read_to_string(dir.join(rel)) {
            Ok(on_disk) if normalize(&on_disk) == normalize(text) => {}
            Ok(_) => stale.push(format!("{rel} (changed)")),
            Err(_) => stale.push(format!("{rel} (missing)")),
        }
    }
    for rel in owned_files(dir).unwrap_or_default() {
        if !files.contains_key(&rel) && std::fs::symlink_metadata(dir.join(&rel)).is_ok() {
            stale.push(format!("{rel} (not generated any more)"));
        }
    }
    stale.sort();
    Ok(stale)
}

/// Files that differ between `dir` and `files` plus the marker (relative
/// paths, sorted): changed, missing, or listed by the marker and no longer
/// generated. Files the marker does not list are the user's and ignored;
/// without a marker every extra file is reported.
pub fn check_dir(dir: &Path, files: &Files) -> Result<Vec<String>, Error> {
    let mut stale = Vec::new();
    let manifest = manifest(files);
    for (rel, text) in files.iter().map(|(r, t)| (r.as_str(), t.as_str())).chain([(MARKER, manifest.as_str())]) {
        let path = dir.join(rel);
        match std::fs::read_to_string(&path) {
            Ok(on_disk) if normalize(&on_disk) == normalize(text) => {}
            Ok(_) => stale.push(format!("{rel} (changed)")),
            Err(_) => stale.push(format!("{rel} (missing)")),
        }
    }
    let owned = std::fs::read_to_string(dir.join(MARKER)).ok().and_then(|t| parse_manifest(&normalize(&t), &dir.join(MARKER)).ok());
    if std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        for rel in list_entries(dir)?.into_keys() {
            let ours = owned.as_ref().is_none_or(|o| o.contains(&rel));
            if rel != MARKER && !files.contains_key(&rel) && ours {
                stale.push(format!("{rel} (not generated any more)"));
            }
        }
    }
    stale.sort();
    Ok(stale)
}

fn normalize(s: &str) -> String {
    s.replace("\r\n", "\n")
}

fn io_err(path: &Path, e: std::io::Error) -> Error {
    Error::msg(format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Files {
        list.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
    }

    #[test]
    fn staging_names_are_random_and_exclusive() {
        let parent = tempfile::tempdir().unwrap();
        let a = sibling_temp(parent.path(), "generated", "new").unwrap();
        let b = sibling_temp(parent.path(), "generated", "new").unwrap();
        let (na, nb) = (a.path().file_name().unwrap().to_string_lossy(), b.path().file_name().unwrap().to_string_lossy());
        assert_ne!(na, nb);
        assert!(na.starts_with(".generated.new-") && !na.contains(&std::process::id().to_string()), "{na}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_swaps_two_folders_in_one_step() {
        let root = tempfile::tempdir().unwrap();
        let (a, b) = (root.path().join("a"), root.path().join("b"));
        std::fs::create_dir_all(a.join("x")).unwrap();
        std::fs::create_dir_all(b.join("y")).unwrap();
        exchange(&a, &b).unwrap();
        assert!(a.join("y").exists() && b.join("x").exists());
    }

    #[test]
    fn marker_paths_cannot_leave_the_folder() {
        let m = Path::new(MARKER);
        for bad in ["../x", "/etc/passwd", "a/../../b", "a//b", "a\\b", "./a", ".openapi-generated"] {
            let text = format!("{HEADER_TAG} x\n{bad}\n");
            assert!(parse_manifest(&text, m).is_err(), "{bad}");
        }
        assert!(parse_manifest("not a marker\na.rs\n", m).is_err());
        let ok = parse_manifest(&manifest(&files(&[("a.rs", ""), ("resources/b.rs", "")])), m).unwrap();
        assert_eq!(ok.into_iter().collect::<Vec<_>>(), ["a.rs", "resources/b.rs"]);
    }

    #[test]
    fn owned_files_are_replaced_and_the_users_kept() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        write_dir(&dir, &files(&[("a.rs", "1"), ("sub/b.rs", "2")])).unwrap();
        assert!(check_dir(&dir, &files(&[("a.rs", "1"), ("sub/b.rs", "2")])).unwrap().is_empty());
        // Only the generator's files: swapped whole, stale ones gone.
        write_dir(&dir, &files(&[("a.rs", "1b")])).unwrap();
        assert!(!dir.join("sub").exists());
        // A user file: kept, and the generator's replaced one by one.
        std::fs::write(dir.join("mine.rs"), "mine").unwrap();
        write_dir(&dir, &files(&[("a.rs", "1c"), ("sub/c.rs", "3")])).unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("mine.rs")).unwrap(), "mine");
        assert_eq!(std::fs::read_to_string(dir.join("a.rs")).unwrap(), "1c");
        write_dir(&dir, &files(&[("a.rs", "1d")])).unwrap();
        assert!(!dir.join("sub").exists() && dir.join("mine.rs").exists());
        assert_eq!(std::fs::read_to_string(dir.join(MARKER)).unwrap(), manifest(&files(&[("a.rs", "")])));
        // --check ignores the user's file, and wants the marker.
        assert!(check_dir(&dir, &files(&[("a.rs", "1d")])).unwrap().is_empty());
        assert_eq!(check_dir(&dir, &files(&[("b.rs", "")])).unwrap(), [".openapi-generated (changed)", "a.rs (not generated any more)", "b.rs (missing)"]);
        // A new file over a user's file is refused.
        let err = write_dir(&dir, &files(&[("a.rs", "1d"), ("mine.rs", "x")])).unwrap_err().to_string();
        assert!(err.contains("mine.rs") && err.contains("did not write"), "{err}");
        assert_eq!(std::fs::read_to_string(dir.join("mine.rs")).unwrap(), "mine");
        // Files get the mode of any new file (tempfile's own is 0o600).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let plain = std::fs::File::create(root.path().join("plain")).unwrap().metadata().unwrap().permissions().mode();
            std::fs::remove_file(root.path().join("plain")).unwrap();
            assert_eq!(std::fs::metadata(dir.join("a.rs")).unwrap().permissions().mode(), plain);
        }
        // No temporary file left behind.
        let names: Vec<String> = std::fs::read_dir(root.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["out"]);
    }

    /// A crate's root: the generator adds its files beside the user's,
    /// adopts an identical one, refuses to replace a different one, and
    /// deletes only what it listed.
    #[test]
    fn files_written_into_a_users_folder() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        std::fs::write(dir.join("README.md"), "mine").unwrap();
        std::fs::write(dir.join("SKILL.md"), "theirs").unwrap();
        let err = write_into(dir, &files(&[("SKILL.md", "new")])).unwrap_err().to_string();
        assert!(err.contains("SKILL.md") && err.contains("did not write"), "{err}");
        assert_eq!(std::fs::read_to_string(dir.join("SKILL.md")).unwrap(), "theirs");
        assert!(!dir.join(MARKER).exists());
        // The same bytes: adopted.
        write_into(dir, &files(&[("SKILL.md", "theirs"), ("skill/a.md", "a")])).unwrap();
        assert!(check_into(dir, &files(&[("SKILL.md", "theirs"), ("skill/a.md", "a")])).unwrap().is_empty());
        write_into(dir, &files(&[("SKILL.md", "v2")])).unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("SKILL.md")).unwrap(), "v2");
        assert!(!dir.join("skill").exists(), "a listed file no longer generated is deleted");
        assert_eq!(std::fs::read_to_string(dir.join("README.md")).unwrap(), "mine");
        assert_eq!(check_into(dir, &files(&[("SKILL.md", "v3")])).unwrap(), ["SKILL.md (changed)"]);
        assert_eq!(check_into(dir, &files(&[])).unwrap(), [".openapi-generated (changed)", "SKILL.md (not generated any more)"]);
        // A file the user made where a new one would go.
        let err = write_into(dir, &files(&[("SKILL.md", "v2"), ("README.md", "x")])).unwrap_err().to_string();
        assert!(err.contains("README.md"), "{err}");
        assert!(write_into(&dir.join("missing"), &files(&[("a", "b")])).is_err());
    }

    #[test]
    fn a_foreign_folder_is_refused_but_an_identical_one_adopted() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.rs"), "1").unwrap();
        std::fs::write(dir.join("notes.md"), "n").unwrap();
        let err = write_dir(&dir, &files(&[("a.rs", "2")])).unwrap_err().to_string();
        assert!(err.contains("not written by the generator") && err.contains("new or empty folder"), "{err}");
        assert!(!dir.join(MARKER).exists());
        std::fs::remove_file(dir.join("notes.md")).unwrap();
        write_dir(&dir, &files(&[("a.rs", "1"), ("b.rs", "2")])).unwrap();
        assert!(dir.join(MARKER).exists() && dir.join("b.rs").exists());
    }
}
