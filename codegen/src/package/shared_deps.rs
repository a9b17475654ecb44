//! The `_deps` member: the dependency build of a workspace, shared with the
//! generated crates its tests and tools build (issue 13: CI on 2 cores).
//!
//! Cargo compiles a dependency once per feature set, profile and flags, and
//! resolves features per workspace. The generated crates the tests, `xtask
//! conform` and CI build are workspaces of their own, so on their own they
//! resolve other features than the workspace's test build did (tokio, hyper,
//! rustls and reqwest were compiled in five configurations in one CI run).
//! Each of them gets a do-nothing member, `_deps`, that depends on what the
//! workspace's members depend on, with the features the workspace enables
//! (its members' features expanded), and the workspace's `[profile]`. Its
//! builds then ask cargo for the very units the workspace's build made, and
//! find them compiled when they share its build dir (`CARGO_BUILD_BUILD_DIR`).
//!
//! Two mirrors, because cargo unifies features per kind of build:
//! [`DepsMode::Check`] (`cargo check`, `clippy`, `doc`: normal and build
//! dependencies, as `cargo doc --workspace` resolves them) and
//! [`DepsMode::Build`] (a test build: dev-dependencies too, as `cargo test
//! --workspace --all-targets`). A generated crate adds nothing to the
//! dependency set when its own dependencies are a subset of the workspace's
//! (the runtime's are `telnyx-fax`'s); a build that adds a feature still
//! works, it only compiles its own copy of what that feature changes.

use crate::diagnostics::Error;
use crate::emit::Files;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

/// Removes from `cmd`'s environment what cargo sets for a crate it builds
/// or runs (`CARGO_MANIFEST_DIR`, `CARGO_PKG_*`, `OUT_DIR`, ...), which a
/// cargo started from a test, a build script or `cargo run` inherits. Build
/// scripts that watch them (ring: `rerun-if-env-changed=CARGO_PKG_NAME`)
/// would otherwise run again, and what depends on them (rustls, reqwest, the
/// whole client) be rebuilt over the workspace's own build of it.
pub fn clear_inherited_cargo_env(cmd: &mut std::process::Command) {
    const SET_BY_CARGO: &[&str] = &[
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
        "CARGO_MANIFEST_LINKS",
        "CARGO_CRATE_NAME",
        "CARGO_BIN_NAME",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_TMPDIR",
        "CARGO_RUSTC_CURRENT_DIR",
        "OUT_DIR",
    ];
    for (key, _) in std::env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        if SET_BY_CARGO.contains(&key) || key.starts_with("CARGO_PKG_") || key.starts_with("CARGO_BIN_EXE_") || key.starts_with("CARGO_CFG_") {
            cmd.env_remove(key);
        }
    }
}

/// The folder of the member [`SharedDeps::add_member`] writes.
pub const SHARED_DEPS_DIR: &str = "_deps";

/// Which of the workspace's dependency tables a build unifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepsMode {
    /// `cargo check`, `clippy`, `doc`: normal and build dependencies.
    Check,
    /// `cargo build`, `test`, `run`: dev-dependencies too.
    Build,
}

impl DepsMode {
    /// The mode of a cargo subcommand (`check`, `clippy` and `doc` need only
    /// the dependencies' metadata; everything else builds them).
    pub fn of_subcommand(subcommand: &str) -> Self {
        if matches!(subcommand, "check" | "clippy" | "doc") {
            DepsMode::Check
        } else {
            DepsMode::Build
        }
    }
}

/// The `_deps` manifests of one workspace, and its profile.
#[derive(Debug, Clone)]
pub struct SharedDeps {
    check: String,
    build: String,
    profile: Option<Item>,
}

/// One member of the mirrored workspace.
struct Member {
    features: BTreeMap<String, Vec<String>>,
    /// Every entry of its dependency tables (a crate may be in several, with
    /// other features).
    deps: Vec<Dep>,
}

struct Dep {
    /// The dependency's key (its name, or the name it is renamed to).
    key: String,
    /// `dependencies`, `build-dependencies` or `dev-dependencies`.
    table: &'static str,
    /// The `cfg` of a `[target.'cfg'.…]` table.
    cfg: Option<String>,
    spec: InlineTable,
    optional: bool,
    /// A path dependency on another member (its package name).
    member: Option<String>,
}

/// A table of the mirror: its `cfg` and `dependencies` or
/// `build-dependencies` (dev-dependencies are target dependencies too).
type Kind = (Option<String>, &'static str);

/// One dependency entry of one member: (member, index into its `deps`).
type Entry = (String, usize);

impl SharedDeps {
    /// Reads the workspace whose root manifest is `root/Cargo.toml`.
    pub fn of_workspace(root: &Path) -> Result<Self, Error> {
        let path = root.join("Cargo.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| Error::msg(format!("{}: {e}", path.display())))?;
        let doc: DocumentMut = text.parse().map_err(|e| Error::msg(format!("{}: {e}", path.display())))?;
        let workspace = doc.get("workspace").and_then(Item::as_table_like).ok_or_else(|| Error::msg(format!("{}: no [workspace] table", path.display())))?;
        let inherited = workspace.get("dependencies").and_then(Item::as_table_like);
        let mut members = BTreeMap::new();
        for dir in member_dirs(root, workspace.get("members"))? {
            let (name, member) = read_member(&dir, inherited)?;
            members.insert(name, member);
        }
        Ok(SharedDeps {
            check: mirror(&members, DepsMode::Check),
            build: mirror(&members, DepsMode::Build),
            profile: doc.get("profile").cloned(),
        })
    }

    /// The `_deps/Cargo.toml` of a mode.
    pub fn manifest(&self, mode: DepsMode) -> &str {
        match mode {
            DepsMode::Check => &self.check,
            DepsMode::Build => &self.build,
        }
    }

    /// Adds the `_deps` member (for `mode`) to a workspace root (`files`
    /// holds a `Cargo.toml` with a `[workspace]` table), and the mirrored
    /// workspace's `[profile]` when the root has none. Build with
    /// `--workspace` so the member takes part; `cargo package` skips it (a
    /// folder with its own manifest), so a packaged crate is unchanged.
    pub fn add_member(&self, files: &mut Files, mode: DepsMode) -> Result<(), Error> {
        let manifest = files.get("Cargo.toml").ok_or_else(|| Error::msg("no Cargo.toml to add the _deps member to"))?;
        let mut doc: DocumentMut = manifest.parse().map_err(|e| Error::msg(format!("Cargo.toml: {e}")))?;
        let workspace = doc
            .get_mut("workspace")
            .and_then(Item::as_table_mut)
            .ok_or_else(|| Error::msg("Cargo.toml has no [workspace] table: the _deps member needs a workspace root"))?;
        let members = workspace.entry("members").or_insert(toml_edit::value(toml_edit::Array::new()));
        let members = members.as_array_mut().ok_or_else(|| Error::msg("Cargo.toml: workspace.members is not an array"))?;
        if !members.iter().any(|m| m.as_str() == Some(SHARED_DEPS_DIR)) {
            members.push(SHARED_DEPS_DIR);
        }
        if let (Some(profile), None) = (&self.profile, doc.get("profile")) {
            doc.insert("profile", profile.clone());
        }
        files.insert("Cargo.toml".into(), doc.to_string());
        files.insert(format!("{SHARED_DEPS_DIR}/Cargo.toml"), self.manifest(mode).to_string());
        files.insert(format!("{SHARED_DEPS_DIR}/lib.rs"), "//! Only dependencies: see `Cargo.toml`.\n".into());
        if self.manifest(mode).contains("build = \"build.rs\"") {
            files.insert(format!("{SHARED_DEPS_DIR}/build.rs"), "//! Only build-dependencies: see `Cargo.toml`.\nfn main() {}\n".into());
        }
        Ok(())
    }
}

/// The member folders `workspace.members` names (a trailing `/*` lists a
/// folder's crates).
fn member_dirs(root: &Path, members: Option<&Item>) -> Result<Vec<PathBuf>, Error> {
    let mut dirs = Vec::new();
    for m in members.and_then(Item::as_array).into_iter().flatten().filter_map(Value::as_str) {
        if let Some(parent) = m.strip_suffix("/*") {
            let parent = root.join(parent);
            let entries = std::fs::read_dir(&parent).map_err(|e| Error::msg(format!("{}: {e}", parent.display())))?;
            let mut found: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.join("Cargo.toml").is_file()).collect();
            found.sort();
            dirs.extend(found);
        } else if m.contains('*') {
            return Err(Error::msg(format!("workspace member pattern `{m}`: only a trailing `/*` is supported")));
        } else {
            dirs.push(root.join(m));
        }
    }
    Ok(dirs)
}

fn read_member(dir: &Path, inherited: Option<&dyn toml_edit::TableLike>) -> Result<(String, Member), Error> {
    let path = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::msg(format!("{}: {e}", path.display())))?;
    let doc: DocumentMut = text.parse().map_err(|e| Error::msg(format!("{}: {e}", path.display())))?;
    let name = doc.get("package").and_then(|p| p.get("name")).and_then(Item::as_str).ok_or_else(|| Error::msg(format!("{}: no package.name", path.display())))?.to_string();
    let mut features = BTreeMap::new();
    for (f, list) in doc.get("features").and_then(Item::as_table_like).into_iter().flat_map(|t| t.iter()) {
        let list = list.as_array().map(|a| a.iter().filter_map(Value::as_str).map(String::from).collect()).unwrap_or_default();
        features.insert(f.to_string(), list);
    }
    let mut tables: Vec<(Option<String>, &dyn toml_edit::TableLike)> = vec![(None, doc.as_table())];
    for (cfg, t) in doc.get("target").and_then(Item::as_table_like).into_iter().flat_map(|t| t.iter()) {
        if let Some(t) = t.as_table_like() {
            tables.push((Some(cfg.to_string()), t));
        }
    }
    let mut deps = Vec::new();
    for (cfg, table) in tables {
        for table_name in ["dependencies", "build-dependencies", "dev-dependencies"] {
            for (key, item) in table.get(table_name).and_then(Item::as_table_like).into_iter().flat_map(|t| t.iter()) {
                let mut spec = spec_of(key, item, inherited).map_err(|e| Error::msg(format!("{}: {table_name}.{key}: {e}", path.display())))?;
                let optional = spec.remove("optional").and_then(|v| v.as_bool()).unwrap_or(false);
                let member = match spec.get("path").and_then(Value::as_str) {
                    Some(p) => {
                        let target = dir.join(p);
                        let abs = std::fs::canonicalize(&target).unwrap_or(target);
                        spec.insert("path", abs.to_string_lossy().as_ref().into());
                        Some(package_name(&abs).unwrap_or_else(|| key.to_string()))
                    }
                    None => None,
                };
                deps.push(Dep { key: key.to_string(), table: table_name, cfg: cfg.clone(), spec, optional, member });
            }
        }
    }
    Ok((name, Member { features, deps }))
}

/// A dependency entry as an inline table, `workspace = true` resolved.
fn spec_of(key: &str, item: &Item, inherited: Option<&dyn toml_edit::TableLike>) -> Result<InlineTable, String> {
    let mut spec = match item {
        Item::Value(Value::String(v)) => {
            let mut t = InlineTable::new();
            t.insert("version", v.value().as_str().into());
            t
        }
        Item::Value(Value::InlineTable(t)) => t.clone(),
        Item::Table(t) => t.clone().into_inline_table(),
        _ => return Err("not a version string or a table".into()),
    };
    if spec.remove("workspace").and_then(|v| v.as_bool()) == Some(true) {
        let base = inherited.and_then(|w| w.get(key)).ok_or("`workspace = true` but the workspace does not declare it")?;
        let mut base = spec_of(key, base, None)?;
        let extra = features(&spec);
        for (k, v) in spec.iter() {
            if k != "features" {
                base.insert(k, v.clone());
            }
        }
        add_features(&mut base, extra);
        spec = base;
    }
    // The same spacing whatever the source's: `_deps/Cargo.toml` is compared
    // as text before it is rewritten.
    spec.fmt();
    Ok(spec)
}

fn package_name(dir: &Path) -> Option<String> {
    let doc: DocumentMut = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?.parse().ok()?;
    doc.get("package")?.get("name")?.as_str().map(String::from)
}

fn features(spec: &InlineTable) -> Vec<String> {
    spec.get("features").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(String::from).collect()).unwrap_or_default()
}

fn add_features(spec: &mut InlineTable, extra: impl IntoIterator<Item = String>) {
    let mut all: BTreeSet<String> = features(spec).into_iter().collect();
    all.extend(extra);
    if all.is_empty() {
        spec.remove("features");
    } else {
        spec.insert("features", Value::Array(all.into_iter().collect()));
    }
}

fn default_features(spec: &InlineTable) -> bool {
    spec.get("default-features").or_else(|| spec.get("default_features")).and_then(Value::as_bool).unwrap_or(true)
}

/// What the workspace's build of `mode` compiles, as one manifest.
fn mirror(members: &BTreeMap<String, Member>, mode: DepsMode) -> String {
    // (kind, key) -> merged spec; keys get a numeric suffix when two members
    // ask for different versions or sources under one name.
    let mut out: BTreeMap<Kind, BTreeMap<String, InlineTable>> = BTreeMap::new();
    let counts = |dep: &Dep| mode == DepsMode::Build || dep.table != "dev-dependencies";
    let mut active: BTreeSet<Entry> = BTreeSet::new();
    let mut work: Vec<(String, String)> = Vec::new(); // (member, feature)
    let mut weak: Vec<(String, String, String)> = Vec::new(); // (member, dep key, feature)
    let mut extra: BTreeMap<Entry, BTreeSet<String>> = BTreeMap::new(); // features the members' features add
    for (name, member) in members {
        // A member is built with its default features.
        work.push((name.clone(), "default".into()));
        for (i, dep) in member.deps.iter().enumerate() {
            if counts(dep) && !dep.optional {
                enable(member, name, i, &mut active, &mut work);
            }
        }
    }
    let mut seen = BTreeSet::new();
    while let Some((name, feature)) = work.pop() {
        if !seen.insert((name.clone(), feature.clone())) {
            continue;
        }
        let Some(member) = members.get(&name) else { continue };
        let Some(list) = member.features.get(&feature) else {
            // An optional dependency's implicit feature.
            activate(member, &name, &feature, &mut active, &mut work);
            continue;
        };
        for entry in list {
            if let Some(dep) = entry.strip_prefix("dep:") {
                activate(member, &name, dep, &mut active, &mut work);
            } else if let Some((dep, f)) = entry.split_once('/') {
                match dep.strip_suffix('?') {
                    Some(dep) => weak.push((name.clone(), dep.to_string(), f.to_string())),
                    None => {
                        activate(member, &name, dep, &mut active, &mut work);
                        add_dep_feature(member, &name, dep, f, &mut extra, &mut work);
                    }
                }
            } else {
                work.push((name.clone(), entry.clone()));
            }
        }
    }
    for (name, dep, f) in weak {
        let member = &members[&name];
        if entries_of(member, &dep).any(|i| active.contains(&(name.clone(), i))) {
            add_dep_feature(member, &name, &dep, &f, &mut extra, &mut Vec::new());
        }
    }
    for entry in &active {
        let dep = &members[&entry.0].deps[entry.1];
        if !counts(dep) || dep.member.is_some() {
            continue;
        }
        let mut spec = dep.spec.clone();
        add_features(&mut spec, extra.get(entry).into_iter().flatten().cloned());
        let kind = (dep.cfg.clone(), if dep.table == "build-dependencies" { "build-dependencies" } else { "dependencies" });
        merge(out.entry(kind).or_default(), &dep.key, spec);
    }
    let mut doc = DocumentMut::new();
    doc.decor_mut().set_prefix(
        "# Generated from the workspace's manifests (codegen::package::SharedDeps):\n\
         # the dependencies its build compiles, so builds of this workspace share\n\
         # them. Not part of the crate.\n",
    );
    let mut package = Table::new();
    package.insert("name", toml_edit::value("shared-deps"));
    package.insert("version", toml_edit::value("0.0.0"));
    package.insert("edition", toml_edit::value("2021"));
    package.insert("publish", toml_edit::value(false));
    // A build script only to take build-dependencies (compiling one costs
    // every workspace that has the member a link).
    let has_build_deps = out.keys().any(|(_, kind)| *kind == "build-dependencies");
    package.insert("build", if has_build_deps { toml_edit::value("build.rs") } else { toml_edit::value(false) });
    doc.insert("package", Item::Table(package));
    let mut lib = Table::new();
    lib.insert("path", toml_edit::value("lib.rs"));
    doc.insert("lib", Item::Table(lib));
    let mut targets = Table::new();
    targets.set_implicit(true);
    for ((cfg, kind), deps) in out {
        let mut table = Table::new();
        for (key, spec) in deps {
            table.insert(&key, toml_edit::value(spec));
        }
        match cfg {
            None => {
                doc.insert(kind, Item::Table(table));
            }
            Some(cfg) => {
                let entry = targets.entry(&cfg).or_insert(Item::Table(Table::new()));
                if let Some(t) = entry.as_table_mut() {
                    t.set_implicit(true);
                    t.insert(kind, Item::Table(table));
                }
            }
        }
    }
    if !targets.is_empty() {
        doc.insert("target", Item::Table(targets));
    }
    doc.to_string()
}

/// The indices of `member`'s entries for dependency `dep` (one per table).
fn entries_of<'a>(member: &'a Member, dep: &'a str) -> impl Iterator<Item = usize> + 'a {
    member.deps.iter().enumerate().filter(move |(_, d)| d.key == dep).map(|(i, _)| i)
}

/// Marks an entry as compiled; one on another member enables that member's
/// features it asks for.
fn enable(member: &Member, name: &str, i: usize, active: &mut BTreeSet<Entry>, work: &mut Vec<(String, String)>) {
    let d = &member.deps[i];
    if let Some(other) = &d.member {
        work.extend(features(&d.spec).into_iter().map(|f| (other.clone(), f)));
        if default_features(&d.spec) {
            work.push((other.clone(), "default".into()));
        }
    }
    active.insert((name.to_string(), i));
}

/// A member's feature turns on dependency `dep` (`dep:x`, `x/f` or the
/// optional dependency's own name).
fn activate(member: &Member, name: &str, dep: &str, active: &mut BTreeSet<Entry>, work: &mut Vec<(String, String)>) {
    for i in entries_of(member, dep).collect::<Vec<_>>() {
        enable(member, name, i, active, work);
    }
}

fn add_dep_feature(member: &Member, name: &str, dep: &str, feature: &str, extra: &mut BTreeMap<Entry, BTreeSet<String>>, work: &mut Vec<(String, String)>) {
    for i in entries_of(member, dep) {
        match &member.deps[i].member {
            Some(other) => work.push((other.clone(), feature.to_string())),
            None => {
                extra.entry((name.to_string(), i)).or_default().insert(feature.to_string());
            }
        }
    }
}

/// Merges `spec` into `deps` under `key`: features are unioned and default
/// features kept if either asks for them; another version or source of the
/// same name gets a key of its own (`key-2`, with `package` set).
fn merge(deps: &mut BTreeMap<String, InlineTable>, key: &str, mut spec: InlineTable) {
    let identity = |s: &InlineTable, key: &str| {
        let field = |f: &str| s.get(f).map(|v| v.to_string().trim().to_string()).unwrap_or_default();
        (s.get("package").and_then(Value::as_str).unwrap_or(key).to_string(), field("version"), field("path"), field("git"), field("registry"))
    };
    let wanted = identity(&spec, key);
    for n in 1.. {
        let k = if n == 1 { key.to_string() } else { format!("{key}-{n}") };
        match deps.get_mut(&k) {
            Some(existing) if identity(existing, &k) == wanted => {
                if default_features(&spec) {
                    existing.remove("default-features");
                    existing.remove("default_features");
                }
                add_features(existing, features(&spec));
                return;
            }
            Some(_) => continue,
            None => {
                if n > 1 && spec.get("package").is_none() {
                    spec.insert("package", key.into());
                }
                deps.insert(k, spec);
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A workspace like this repository's: a library with an optional
    /// dependency behind a feature another member enables, dev-dependencies,
    /// a renamed workspace dependency and two versions of one crate.
    #[test]
    fn mirrors_features_per_mode() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "Cargo.toml", "[workspace]\nmembers = [\"lib\", \"app\"]\n[workspace.dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n[profile.dev.package.sha2]\nopt-level = 3\n");
        write(
            root,
            "lib/Cargo.toml",
            "[package]\nname = \"the-lib\"\nversion = \"0.1.0\"\n[dependencies]\nserde = { workspace = true, features = [\"rc\"] }\ntokio = { version = \"1\", features = [\"time\"] }\nwiremock = { version = \"0.6\", optional = true }\nunused = { version = \"1\", optional = true }\n[features]\ntesting = [\"dep:wiremock\", \"tokio/rt\"]\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"full\"] }\nrand = \"0.8\"\n",
        );
        write(root, "app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.0.0\"\n[dependencies]\nthe-lib = { path = \"../lib\", features = [\"testing\"] }\nrand = \"0.9\"\n[target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n");
        let shared = SharedDeps::of_workspace(root).unwrap();
        let check: DocumentMut = shared.manifest(DepsMode::Check).parse().unwrap();
        let deps = &check["dependencies"];
        assert_eq!(deps["serde"]["features"].as_array().unwrap().iter().filter_map(Value::as_str).collect::<Vec<_>>(), ["derive", "rc"]);
        assert_eq!(deps["tokio"]["features"].as_array().unwrap().iter().filter_map(Value::as_str).collect::<Vec<_>>(), ["rt", "time"]);
        assert!(deps.get("wiremock").is_some(), "activated by app's `testing`");
        assert!(deps.get("unused").is_none() && deps.get("the-lib").is_none());
        assert_eq!(deps["rand"]["version"].as_str(), Some("0.9"));
        assert!(deps.get("rand-2").is_none(), "the 0.8 dev-dependency is not in a check");
        assert_eq!(check["target"]["cfg(unix)"]["dependencies"]["libc"]["version"].as_str(), Some("0.2"));
        let build: DocumentMut = shared.manifest(DepsMode::Build).parse().unwrap();
        let deps = &build["dependencies"];
        assert!(deps["tokio"]["features"].as_array().unwrap().iter().any(|f| f.as_str() == Some("full")));
        assert_eq!(deps["rand-2"]["package"].as_str(), Some("rand"));
        let mut files = Files::from([("Cargo.toml".to_string(), "[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[workspace]\n".to_string())]);
        shared.add_member(&mut files, DepsMode::Build).unwrap();
        let root_manifest: DocumentMut = files["Cargo.toml"].parse().unwrap();
        assert_eq!(root_manifest["workspace"]["members"].as_array().unwrap().iter().filter_map(Value::as_str).collect::<Vec<_>>(), ["_deps"]);
        assert_eq!(root_manifest["profile"]["dev"]["package"]["sha2"]["opt-level"].as_integer(), Some(3));
        assert_eq!(files["_deps/Cargo.toml"], shared.manifest(DepsMode::Build));
    }

    /// This repository's own workspace mirrors without error, and the
    /// runtime's dependencies are in both mirrors.
    #[test]
    fn mirrors_this_workspace() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let shared = SharedDeps::of_workspace(root).unwrap();
        for mode in [DepsMode::Check, DepsMode::Build] {
            let doc: DocumentMut = shared.manifest(mode).parse().unwrap();
            for dep in ["reqwest", "tokio", "serde", "wiremock", "ed25519-dalek"] {
                assert!(doc["dependencies"].get(dep).is_some(), "{mode:?}: {dep}");
            }
        }
    }
}
