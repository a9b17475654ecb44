//! `cargo xtask diff` and `cargo xtask release`: the API change report
//! between two specs (through the IR, see `codegen::diff`), and the version
//! bump and CHANGELOG entry it calls for. `generate` prints the short summary
//! against `HEAD` through [`print_summary_vs_head`].

use codegen::diff::{Report, Version};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The spec `generate` reads, relative to the workspace root.
const SPEC: &str = "spec/telnyx-fax.yml";
/// The published crate's manifest.
const MANIFEST: &str = "telnyx-fax/Cargo.toml";
/// Its changelog.
const CHANGELOG: &str = "telnyx-fax/CHANGELOG.md";
/// Release tags are `telnyx-fax-v<version>`.
const TAG_PREFIX: &str = "telnyx-fax-v";

/// Exit code of `diff` when a change is breaking (1 stays for errors).
const EXIT_BREAKING: u8 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text, coloured on a terminal.
    Text,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// JSON, for tools.
    Json,
}

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The old spec: a file, or `GIT_REV[:path]` (the path defaults to
    /// `spec/telnyx-fax.yml`).
    #[arg(long, default_value = "HEAD")]
    from: String,
    /// The new spec: a file, or `GIT_REV[:path]`.
    #[arg(long, default_value = SPEC)]
    to: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(clap::Args)]
pub struct ReleaseArgs {
    /// The spec of the last release: a file or `GIT_REV[:path]`; default: the
    /// tag `telnyx-fax-v<current version>` if it exists, else `HEAD`.
    #[arg(long)]
    from: Option<String>,
    /// The spec being released.
    #[arg(long, default_value = SPEC)]
    to: String,
    /// Release date for the CHANGELOG heading (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// Print the new version and the CHANGELOG entry; write nothing.
    #[arg(long)]
    dry_run: bool,
}

/// `cargo xtask diff`: exit 0 when nothing breaks, 2 when something does.
pub fn diff(args: DiffArgs) -> Result<ExitCode, String> {
    let report = build_report(&args.from, &args.to)?;
    let out = match args.format {
        Format::Text => report.render_text(use_color()),
        Format::Markdown => report.render_markdown(),
        Format::Json => report.to_json() + "\n",
    };
    print!("{out}");
    Ok(if report.breaking() > 0 { ExitCode::from(EXIT_BREAKING) } else { ExitCode::SUCCESS })
}

/// `cargo xtask release`: bump `telnyx-fax`'s version per the report and
/// prepend a CHANGELOG entry made from the Markdown report.
pub fn release(args: ReleaseArgs) -> Result<ExitCode, String> {
    let manifest_path = root().join(MANIFEST);
    let manifest = std::fs::read_to_string(&manifest_path).map_err(|e| format!("cannot read {MANIFEST}: {e}"))?;
    let current = package_version(&manifest).ok_or_else(|| format!("{MANIFEST} has no `version = \"x.y.z\"` in [package]"))?;
    let from = match args.from {
        Some(f) => f,
        None => {
            let tag = format!("{TAG_PREFIX}{current}");
            if git(&["rev-parse", "--verify", "--quiet", &format!("refs/tags/{tag}")]).is_ok() {
                tag
            } else {
                eprintln!("note: no tag `{tag}`; comparing with HEAD");
                "HEAD".to_string()
            }
        }
    };
    let report = build_report(&from, &args.to)?.with_version(Some(current));
    let next = report.next_version().unwrap_or(current);
    let date = args.date.unwrap_or_else(today);
    let entry = changelog_entry(&report, next, &date);
    let new_manifest = set_package_version(&manifest, next).ok_or("cannot rewrite the version in the manifest")?;

    println!("{}", report.summary());
    if args.dry_run {
        println!("\n--dry-run: would set {MANIFEST} version {current} -> {next} and prepend to {CHANGELOG}:\n");
        print!("{entry}");
        return Ok(ExitCode::SUCCESS);
    }
    std::fs::write(&manifest_path, new_manifest).map_err(|e| format!("cannot write {MANIFEST}: {e}"))?;
    let lock_path = root().join("Cargo.lock");
    if let Ok(lock) = std::fs::read_to_string(&lock_path) {
        if let Some(new_lock) = set_lock_version(&lock, "telnyx-fax", current, next) {
            std::fs::write(&lock_path, new_lock).map_err(|e| format!("cannot write Cargo.lock: {e}"))?;
        }
    }
    let changelog_path = root().join(CHANGELOG);
    let old = std::fs::read_to_string(&changelog_path).unwrap_or_default();
    std::fs::write(&changelog_path, prepend_entry(&old, &entry)).map_err(|e| format!("cannot write {CHANGELOG}: {e}"))?;
    println!("{MANIFEST}: {current} -> {next}; {CHANGELOG}: entry added");
    println!("next: review, commit, then `git tag {TAG_PREFIX}{next}`");
    Ok(ExitCode::SUCCESS)
}

/// The spec's text at `HEAD`, fetched on a background thread so the git
/// processes run while the generator works (they cost more than generating
/// the fax spec). `None` when git or the spec at `HEAD` is not there.
pub fn spawn_head_spec(spec: &Path) -> std::thread::JoinHandle<Option<String>> {
    let spec = spec.to_path_buf();
    std::thread::spawn(move || {
        let rel = repo_path(&spec).ok()?;
        git(&["show", &format!("HEAD:{rel}")]).ok()
    })
}

/// After `generate` wrote the code: the report's one-line summary for the
/// spec against the one at `HEAD` (`new` is the API just generated). Silent
/// when git or the spec at `HEAD` is not there (a fresh checkout, a tarball).
pub fn print_summary_vs_head(head: std::thread::JoinHandle<Option<String>>, spec: &Path, new: &codegen::ir::Api) {
    let Ok(Some(old_text)) = head.join() else { return };
    if std::fs::read_to_string(spec).is_ok_and(|now| now == old_text) {
        println!("API vs HEAD: the spec is unchanged");
        return;
    }
    let is_json = spec.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let result = (|| -> Result<Report, String> {
        let loaded = codegen::load::load_str(&old_text, is_json).map_err(|e| e.to_string())?;
        let mut diags = loaded.diagnostics.clone();
        let old = codegen::lower::lower(&loaded, &mut diags).map_err(|e| e.to_string())?;
        Ok(codegen::diff::diff(&old, new).with_version(crate_version()))
    })();
    if let Ok(r) = result {
        println!("API vs HEAD: {} (details: `cargo xtask diff`)", r.summary());
    }
}

// ------------------------------------------------------------------ specs

/// A spec on disk: a file given by the user, or one written from git and
/// removed on drop.
struct SpecFile {
    path: PathBuf,
    label: String,
    temporary: bool,
}

impl Drop for SpecFile {
    fn drop(&mut self) {
        if self.temporary {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn build_report(from: &str, to: &str) -> Result<Report, String> {
    let old = resolve_spec(from)?;
    let new = resolve_spec(to)?;
    let (a, _) = codegen::lower_file(&old.path).map_err(|e| format!("{}: {e}", old.label))?;
    let (b, _) = codegen::lower_file(&new.path).map_err(|e| format!("{}: {e}", new.label))?;
    Ok(codegen::diff::diff(&a, &b).with_labels(&old.label, &new.label).with_version(crate_version()))
}

/// `FILE`, `REV` or `REV:path`.
fn resolve_spec(arg: &str) -> Result<SpecFile, String> {
    let as_file = crate::root_relative(Path::new(arg));
    if as_file.is_file() {
        return Ok(SpecFile { path: as_file, label: arg.to_string(), temporary: false });
    }
    let (rev, path) = match arg.split_once(':') {
        Some((rev, path)) if !rev.is_empty() && !path.is_empty() => (rev, path.to_string()),
        _ => (arg, SPEC.to_string()),
    };
    git_show(rev, &path).map_err(|e| format!("`{arg}` is neither a file nor a git revision with {path}: {e}"))
}

/// Writes `git show REV:path` to a temporary file with the same extension.
fn git_show(rev: &str, path: &str) -> Result<SpecFile, String> {
    let text = git(&["show", &format!("{rev}:{path}")])?;
    let ext = Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or("yml");
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = std::env::temp_dir().join(format!("xtask-spec-{}-{n}.{ext}", std::process::id()));
    std::fs::write(&tmp, text).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    Ok(SpecFile { path: tmp, label: format!("{rev}:{path}"), temporary: true })
}

/// Runs git in the workspace root; stdout on success.
fn git(args: &[&str]) -> Result<String, String> {
    let out = Command::new("git").args(args).current_dir(root()).output().map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

/// A path as git names it (relative to the repository's top level).
fn repo_path(p: &Path) -> Result<String, String> {
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?.trim());
    let abs = std::fs::canonicalize(p).map_err(|e| e.to_string())?;
    let top = std::fs::canonicalize(top).map_err(|e| e.to_string())?;
    let rel = abs.strip_prefix(&top).map_err(|_| format!("{} is outside the repository", p.display()))?;
    Ok(rel.to_string_lossy().replace('\\', "/"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Colour on a terminal, unless `NO_COLOR` is set.
fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

// ------------------------------------------------------------------ versions

fn crate_version() -> Option<Version> {
    std::fs::read_to_string(root().join(MANIFEST)).ok().as_deref().and_then(package_version)
}

/// The `version` of the `[package]` table.
fn package_version(manifest: &str) -> Option<Version> {
    let (line, _) = package_version_line(manifest)?;
    let value = line.split_once('=')?.1.trim().trim_matches('"');
    Version::parse(value)
}

/// The `version = "..."` line of `[package]` and its index.
fn package_version_line(manifest: &str) -> Option<(&str, usize)> {
    let mut in_package = false;
    for (i, line) in manifest.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            in_package = t == "[package]";
            continue;
        }
        if in_package && t.starts_with("version") && t["version".len()..].trim_start().starts_with('=') && t.contains('"') {
            return Some((line, i));
        }
    }
    None
}

fn set_package_version(manifest: &str, v: Version) -> Option<String> {
    let (_, idx) = package_version_line(manifest)?;
    let mut out: Vec<String> = manifest.lines().map(str::to_string).collect();
    out[idx] = format!("version = \"{v}\"");
    let mut s = out.join("\n");
    if manifest.ends_with('\n') {
        s.push('\n');
    }
    Some(s)
}

/// Keeps `Cargo.lock` in step with the manifest (cargo would on the next build).
fn set_lock_version(lock: &str, name: &str, from: Version, to: Version) -> Option<String> {
    let needle = format!("name = \"{name}\"\nversion = \"{from}\"\n");
    lock.contains(&needle).then(|| lock.replacen(&needle, &format!("name = \"{name}\"\nversion = \"{to}\"\n"), 1))
}

// ------------------------------------------------------------------ changelog

fn changelog_entry(report: &Report, next: Version, date: &str) -> String {
    let mut s = format!("## {next} - {date}\n\n");
    if !report.from.is_empty() {
        s.push_str(&format!("API changes from `{}` to `{}`.\n\n", report.from, report.to));
    }
    s.push_str(&report.markdown_body(3));
    if !s.ends_with("\n\n") {
        s.push('\n');
    }
    s
}

/// Puts the entry after the `# Changelog` title (made when missing), newest first.
fn prepend_entry(old: &str, entry: &str) -> String {
    const TITLE: &str = "# Changelog\n\nAll notable changes to `telnyx-fax`; entries are made by `cargo xtask release` from the API change report.\n\n";
    match old.find("\n## ") {
        _ if old.trim().is_empty() => format!("{TITLE}{entry}"),
        Some(i) => format!("{}{entry}{}", &old[..i + 1], &old[i + 1..]),
        None if old.starts_with("# ") => format!("{}\n\n{entry}", old.trim_end()),
        None => format!("{TITLE}{entry}{old}"),
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the system clock.
fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 -> (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST_TEXT: &str = "[package]\nname = \"telnyx-fax\"\nversion = \"0.1.0\"\nedition.workspace = true\n\n[dependencies]\nhttp = { version = \"1\" }\n";

    #[test]
    fn reads_and_rewrites_the_package_version_only() {
        assert_eq!(package_version(MANIFEST_TEXT), Version::parse("0.1.0"));
        let v = Version::parse("0.2.0").unwrap();
        let out = set_package_version(MANIFEST_TEXT, v).unwrap();
        assert_eq!(out, MANIFEST_TEXT.replace("version = \"0.1.0\"", "version = \"0.2.0\""));
        assert!(out.contains("http = { version = \"1\" }"));
        assert_eq!(package_version("[dependencies]\nversion = \"1.0.0\"\n"), None);
    }

    #[test]
    fn lock_entry_follows() {
        let lock = "[[package]]\nname = \"telnyx-fax\"\nversion = \"0.1.0\"\ndependencies = []\n";
        let out = set_lock_version(lock, "telnyx-fax", Version::parse("0.1.0").unwrap(), Version::parse("0.1.1").unwrap()).unwrap();
        assert!(out.contains("version = \"0.1.1\""));
    }

    #[test]
    fn entries_go_newest_first_under_the_title() {
        let first = prepend_entry("", "## 0.1.1 - 2026-01-01\n\nNo API change.\n\n");
        assert!(first.starts_with("# Changelog\n"));
        let second = prepend_entry(&first, "## 0.2.0 - 2026-02-01\n\nstuff\n\n");
        let a = second.find("## 0.2.0").unwrap();
        let b = second.find("## 0.1.1").unwrap();
        assert!(second.starts_with("# Changelog\n") && a < b, "{second}");
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }
}
