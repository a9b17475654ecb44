//! Stage 5: what changed for users of the generated crate between two specs.
//!
//! [`diff`] compares two [`ir::Api`](crate::ir::Api)s, never spec text, so a
//! change that does not reach the IR (keys reordered, a response inlined
//! instead of `$ref`ed, a parameter or response component renamed) is not a
//! change. Types are compared **structurally from the API's places**: each
//! operation's parameters, bodies and success type and each webhook's payload
//! are paired old-to-new, and the pairing follows fields, union members and
//! collection items recursively (a set of visited pairs stops cycles). A type
//! whose Rust name changed while its place and shape stayed is reported once,
//! as a rename, not as a removal plus an addition.
//!
//! The order of work:
//! 1. pair the places: operations by `(resource, method name)`, webhooks by
//!    event type, and follow every pair of named types into their members;
//! 2. pair what is left by name (a type no place reaches, present on both
//!    sides), then leftover types of identical shape (a renamed component
//!    that no place reaches);
//! 3. compare operations, webhooks and every pair of types, once each;
//! 4. types left unpaired are added or removed; those reached only through an
//!    added or removed field, operation or event are folded into that line.
//!
//! Every line says whether it is breaking for code that uses the generated
//! crate (a compile error or a different meaning on the wire), and the report
//! ends with the semver bump that follows.

use crate::ir::*;
use crate::naming::unraw;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::{self, Write as _};

// ------------------------------------------------------------------ report

/// What kind of change a line is (stable names for `--format json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A method appeared.
    OperationAdded,
    /// A method disappeared.
    OperationRemoved,
    /// Same method, different HTTP method or path.
    OperationMoved,
    /// The operation is now (or no longer) deprecated.
    OperationDeprecated,
    /// A parameter appeared.
    ParamAdded,
    /// A parameter disappeared.
    ParamRemoved,
    /// A parameter became required or optional.
    ParamRequiredness,
    /// A parameter's type changed.
    ParamType,
    /// A body method (`create_multipart`) appeared.
    BodyAdded,
    /// A body method disappeared.
    BodyRemoved,
    /// A body's encoding or type changed, or a method gained or lost its body.
    BodyChanged,
    /// The success response type changed.
    ResponseChanged,
    /// The operation became paginated.
    PaginationAdded,
    /// The operation is no longer paginated.
    PaginationRemoved,
    /// A field appeared.
    FieldAdded,
    /// A field disappeared.
    FieldRemoved,
    /// A field became required or optional.
    FieldRequiredness,
    /// A field became nullable or not.
    FieldNullability,
    /// A field's type changed.
    FieldType,
    /// A field's Rust name changed.
    FieldRenamed,
    /// The map of undeclared properties appeared, disappeared or changed type.
    ExtraFields,
    /// `Default` is no longer implemented.
    DefaultImpl,
    /// An enum or union member appeared.
    VariantAdded,
    /// An enum or union member disappeared.
    VariantRemoved,
    /// An enum or union member's Rust name or payload changed.
    VariantChanged,
    /// An enum's default value changed.
    EnumDefault,
    /// A type changed kind (struct, enum, union).
    TypeShape,
    /// A public type appeared.
    TypeAdded,
    /// A public type disappeared.
    TypeRemoved,
    /// A public type has a new name.
    TypeRenamed,
    /// A type gained or lost its builder (`new` and setters).
    Builder,
    /// A webhook event appeared.
    WebhookAdded,
    /// A webhook event disappeared.
    WebhookRemoved,
    /// A webhook event's variant or payload changed.
    WebhookChanged,
    /// The default base URL changed.
    BaseUrl,
    /// Documentation only.
    Docs,
}

impl Kind {
    fn sign(self) -> char {
        match self {
            Kind::OperationAdded
            | Kind::ParamAdded
            | Kind::BodyAdded
            | Kind::PaginationAdded
            | Kind::FieldAdded
            | Kind::VariantAdded
            | Kind::TypeAdded
            | Kind::WebhookAdded => '+',
            Kind::OperationRemoved
            | Kind::ParamRemoved
            | Kind::BodyRemoved
            | Kind::PaginationRemoved
            | Kind::FieldRemoved
            | Kind::VariantRemoved
            | Kind::TypeRemoved
            | Kind::WebhookRemoved
            | Kind::DefaultImpl => '-',
            _ => '~',
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What kind of change.
    pub kind: Kind,
    /// Whether code using the crate breaks (compile error or new wire meaning).
    pub breaking: bool,
    /// What changed: `faxes.list()`, `Fax.status`, `FaxStatus`.
    pub subject: String,
    /// How, in words (Markdown code spans for names and types).
    pub message: String,
}

/// The changes of one resource (`faxes.actions`), of the webhook events, of
/// types shared by several resources, or of the API as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// `faxes.actions`, [`WEBHOOKS`], [`SHARED`] or [`API`].
    pub name: String,
    /// Lines, operations first, then types by name, then docs.
    pub changes: Vec<Change>,
}

/// Group of the webhook events and their payload types.
pub const WEBHOOKS: &str = "webhook events";
/// Group of types reached from several resources, or from none.
pub const SHARED: &str = "shared types";
/// Group of API-wide settings (base URL, title, version).
pub const API: &str = "api";

/// How much a report changes the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Nothing.
    None,
    /// Documentation only.
    Docs,
    /// Additions and other compatible changes.
    Compatible,
    /// At least one breaking change.
    Breaking,
}

/// A semver bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// `x.y.Z`.
    Patch,
    /// `x.Y.0`.
    Minor,
    /// `X.0.0`.
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

impl Bump {
    /// The bump a change of `level` needs from `current`, following Cargo:
    /// below 1.0.0 the left-most non-zero component is the breaking one, so a
    /// breaking change bumps the minor version of `0.y.z` (and the patch of
    /// `0.0.z`), and a compatible one bumps the patch.
    pub fn for_level(level: Level, current: Version) -> Bump {
        match (level, current.major, current.minor) {
            (Level::Breaking, 0, 0) => Bump::Patch,
            (Level::Breaking, 0, _) => Bump::Minor,
            (Level::Breaking, _, _) => Bump::Major,
            (Level::Compatible, 0, _) => Bump::Patch,
            (Level::Compatible, _, _) => Bump::Minor,
            (Level::Docs | Level::None, _, _) => Bump::Patch,
        }
    }
}

/// A `major.minor.patch` version (pre-release and build parts are dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
}

impl Version {
    /// Parses `1.2.3` (also `1.2.3-rc.1`, `1.2.3+build`).
    pub fn parse(s: &str) -> Option<Version> {
        let core = s.trim().split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
        let v = Version { major: parts.next()??, minor: parts.next()??, patch: parts.next()?? };
        parts.next().is_none().then_some(v)
    }

    /// The version after `bump`.
    pub fn bumped(self, bump: Bump) -> Version {
        match bump {
            Bump::Patch => Version { patch: self.patch + 1, ..self },
            Bump::Minor => Version { minor: self.minor + 1, patch: 0, ..self },
            Bump::Major => Version { major: self.major + 1, minor: 0, patch: 0 },
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The API change report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Label of the old spec (set by the caller, shown in the title).
    pub from: String,
    /// Label of the new spec.
    pub to: String,
    /// The crate's version before the change; the bump is computed from it
    /// (`None`: the bump is given as for a crate at 1.0.0 or above).
    pub current_version: Option<Version>,
    /// Changes by group: resources alphabetically, then webhook events,
    /// shared types and API-wide lines.
    pub groups: Vec<Group>,
}

impl Report {
    /// Sets the labels shown in the title.
    pub fn with_labels(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.from = from.into();
        self.to = to.into();
        self
    }

    /// Sets the version the bump starts from.
    pub fn with_version(mut self, v: Option<Version>) -> Self {
        self.current_version = v;
        self
    }

    fn all(&self) -> impl Iterator<Item = &Change> {
        self.groups.iter().flat_map(|g| g.changes.iter())
    }

    /// Number of API lines (documentation excluded).
    pub fn api_changes(&self) -> usize {
        self.all().filter(|c| c.kind != Kind::Docs).count()
    }

    /// Number of breaking lines.
    pub fn breaking(&self) -> usize {
        self.all().filter(|c| c.breaking).count()
    }

    /// Number of documentation-only lines.
    pub fn doc_changes(&self) -> usize {
        self.all().filter(|c| c.kind == Kind::Docs).count()
    }

    /// No API change (documentation may still have changed).
    pub fn is_api_unchanged(&self) -> bool {
        self.api_changes() == 0
    }

    /// The overall level.
    pub fn level(&self) -> Level {
        if self.breaking() > 0 {
            Level::Breaking
        } else if self.api_changes() > 0 {
            Level::Compatible
        } else if self.doc_changes() > 0 {
            Level::Docs
        } else {
            Level::None
        }
    }

    /// The bump the crate needs.
    pub fn bump(&self) -> Bump {
        Bump::for_level(self.level(), self.current_version.unwrap_or(Version { major: 1, minor: 0, patch: 0 }))
    }

    /// The version after the bump, when the current one is known.
    pub fn next_version(&self) -> Option<Version> {
        self.current_version.map(|v| v.bumped(self.bump()))
    }

    /// One line: counts and the bump.
    pub fn summary(&self) -> String {
        let mut s = match self.api_changes() {
            0 => "no API change".to_string(),
            n => format!("{n} API change{} ({} breaking)", plural(n), self.breaking()),
        };
        let d = self.doc_changes();
        if d > 0 {
            let _ = write!(s, ", {d} doc change{}", plural(d));
        }
        let _ = write!(s, "; suggested bump: {}", self.bump_phrase());
        s
    }

    fn bump_phrase(&self) -> String {
        let bump = self.bump();
        let why = match (self.level(), self.current_version) {
            (Level::Breaking, Some(v)) if v.major == 0 => " (below 1.0.0 a breaking change bumps the minor version)",
            (Level::Compatible, Some(v)) if v.major == 0 => " (below 1.0.0 a compatible change bumps the patch version)",
            _ => "",
        };
        match (self.current_version, self.next_version()) {
            (Some(c), Some(n)) => format!("{bump}, {c} -> {n}{why}"),
            _ => format!("{bump}{why}"),
        }
    }

    /// Plain text; `color` adds ANSI colours (use only on a terminal).
    pub fn render_text(&self, color: bool) -> String {
        let paint = |code: &str, s: &str| if color { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() };
        let mut out = String::new();
        let title = match (self.from.is_empty(), self.to.is_empty()) {
            (false, false) => format!("API changes: {} -> {}", self.from, self.to),
            _ => "API changes".to_string(),
        };
        let _ = writeln!(out, "{}", paint("1", &title));
        let mut docs: Vec<(&str, &Change)> = Vec::new();
        for g in &self.groups {
            let api: Vec<&Change> = g.changes.iter().filter(|c| c.kind != Kind::Docs).collect();
            docs.extend(g.changes.iter().filter(|c| c.kind == Kind::Docs).map(|c| (g.name.as_str(), c)));
            if api.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{}", paint("1;4", &g.name));
            for c in api {
                let sign = c.kind.sign().to_string();
                let sign = match (c.breaking, c.kind.sign()) {
                    (true, _) => paint("1;31", &sign),
                    (false, '+') => paint("32", &sign),
                    _ => paint("33", &sign),
                };
                let tag = if c.breaking { format!("  {}", paint("1;31", "[breaking]")) } else { String::new() };
                let _ = writeln!(out, "  {sign} {}: {}{tag}", c.subject, c.message);
            }
        }
        if self.api_changes() == 0 {
            let _ = writeln!(out, "\nNo API change.");
        }
        if !docs.is_empty() {
            let _ = writeln!(out, "\n{}", paint("1;4", &format!("documentation ({} change{}, not breaking)", docs.len(), plural(docs.len()))));
            for (g, c) in docs {
                let _ = writeln!(out, "  {}", paint("2", &format!("~ {}: {} ({g})", c.subject, c.message)));
            }
        }
        let _ = writeln!(out, "\n{}", paint("1", &format!("Summary: {}.", self.summary())));
        out
    }

    /// Markdown for a pull-request comment (`##` title, `###` per group).
    pub fn render_markdown(&self) -> String {
        let mut out = String::from("## API changes\n\n");
        if !self.from.is_empty() && !self.to.is_empty() {
            let _ = writeln!(out, "`{}` → `{}`\n", self.from, self.to);
        }
        out.push_str(&self.markdown_body(3));
        out
    }

    /// The report as Markdown list sections under headings of `level` (`###`
    /// = 3), closing with the summary: the body of a CHANGELOG entry.
    pub fn markdown_body(&self, level: usize) -> String {
        let h = "#".repeat(level.clamp(1, 6));
        let mut out = String::new();
        let _ = writeln!(out, "**Summary:** {}.\n", self.summary());
        let mut docs: Vec<(&str, &Change)> = Vec::new();
        for g in &self.groups {
            let api: Vec<&Change> = g.changes.iter().filter(|c| c.kind != Kind::Docs).collect();
            docs.extend(g.changes.iter().filter(|c| c.kind == Kind::Docs).map(|c| (g.name.as_str(), c)));
            if api.is_empty() {
                continue;
            }
            let name = if g.name.contains(' ') { g.name.clone() } else { format!("`{}`", g.name) };
            let _ = writeln!(out, "{h} {name}\n");
            for c in api {
                let tag = if c.breaking { "**breaking** " } else { "" };
                let _ = writeln!(out, "- {tag}`{}`: {}", c.subject, c.message);
            }
            out.push('\n');
        }
        if self.api_changes() == 0 {
            out.push_str("No API change.\n\n");
        }
        if !docs.is_empty() {
            let _ = writeln!(out, "<details><summary>Documentation: {} change{} (not breaking)</summary>\n", docs.len(), plural(docs.len()));
            for (g, c) in docs {
                let _ = writeln!(out, "- `{}`: {} ({g})", c.subject, c.message);
            }
            out.push_str("\n</details>\n");
        }
        out
    }

    /// JSON for tools: the groups plus counts, level and bump.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Out<'a> {
            from: &'a str,
            to: &'a str,
            api_changes: usize,
            breaking: usize,
            doc_changes: usize,
            level: Level,
            bump: Bump,
            current_version: Option<Version>,
            next_version: Option<Version>,
            groups: &'a [Group],
        }
        let out = Out {
            from: &self.from,
            to: &self.to,
            api_changes: self.api_changes(),
            breaking: self.breaking(),
            doc_changes: self.doc_changes(),
            level: self.level(),
            bump: self.bump(),
            current_version: self.current_version,
            next_version: self.next_version(),
            groups: &self.groups,
        };
        serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

// ------------------------------------------------------------------ type helpers

/// The Rust type as users read it, without crate paths.
pub fn rust_ty(ty: &Ty) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::F64 => "f64".into(),
        Ty::DateTime => "DateTime<Utc>".into(),
        Ty::Date => "NaiveDate".into(),
        Ty::Binary => "FileUpload".into(),
        Ty::Json => "Value".into(),
        Ty::Named(n) => n.clone(),
        Ty::Vec(t) => format!("Vec<{}>", rust_ty(t)),
        Ty::Map(t) if **t == Ty::Json => "Map<String, Value>".into(),
        Ty::Map(t) => format!("BTreeMap<String, {}>", rust_ty(t)),
        Ty::Boxed(t) => format!("Box<{}>", rust_ty(t)),
    }
}

/// The field's Rust type with its `Option`s, as the emitter writes it.
fn field_rust_ty(f: &Field, input: bool) -> String {
    let t = rust_ty(&f.ty);
    match (f.required, f.nullable) {
        (true, false) => t,
        (true, true) => format!("Option<{t}>"),
        (false, true) if input => format!("Option<Option<{t}>>"),
        (false, _) => format!("Option<{t}>"),
    }
}

/// Boxes and aliases are transparent to the comparison.
fn resolve(api: &Api, ty: &Ty) -> Ty {
    let mut t = ty.clone();
    for _ in 0..32 {
        t = match t {
            Ty::Boxed(inner) => *inner,
            Ty::Named(ref n) => match api.types.get(n).map(|d| &d.kind) {
                Some(TypeKind::Alias(inner)) => inner.clone(),
                _ => return t,
            },
            other => return other,
        };
    }
    t
}

/// Named types directly inside `ty`.
fn names_in(ty: &Ty, out: &mut Vec<String>) {
    out.extend(ty.named().map(str::to_string));
}

/// Named types a type's members mention.
fn children(def: &TypeDef) -> Vec<String> {
    def.kind.member_names().into_iter().map(str::to_string).collect()
}

fn kind_name(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum(_) => "an enum",
        TypeKind::Union(_) => "a union",
        TypeKind::Alias(_) => "an alias",
    }
}

/// Whitespace-insensitive doc equality (re-wrapped YAML is not a change).
fn same_doc(a: Option<&str>, b: Option<&str>) -> bool {
    let norm = |s: Option<&str>| s.map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty());
    norm(a) == norm(b)
}

fn op_subject(op: &Operation) -> String {
    let mut s = op.resource.iter().map(|r| unraw(r)).collect::<Vec<_>>().join(".");
    let _ = write!(s, ".{}()", unraw(&op.name));
    s
}

fn op_group(op: &Operation) -> String {
    op.resource.iter().map(|r| unraw(r)).collect::<Vec<_>>().join(".")
}

fn code(s: &str) -> String {
    format!("`{s}`")
}

fn list(names: &[String]) -> String {
    names.iter().map(|n| code(n)).collect::<Vec<_>>().join(", ")
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

// ------------------------------------------------------------------ reachability

/// For each named type of one API: the groups whose places reach it, and
/// whether requests and/or responses carry it.
#[derive(Default)]
struct Reach {
    groups: BTreeMap<String, BTreeSet<String>>,
    request: HashSet<String>,
    response: HashSet<String>,
}

impl Reach {
    fn of(api: &Api) -> Reach {
        let mut r = Reach::default();
        for op in &api.operations {
            let g = op_group(op);
            for p in op.path_params.iter().chain(&op.required_params).chain(&op.optional_params) {
                r.visit(api, &p.ty, &g, true);
            }
            if let Some(pt) = &op.params_type {
                r.visit(api, &Ty::Named(pt.clone()), &g, true);
            }
            for b in &op.body {
                r.visit(api, &b.ty, &g, true);
            }
            if let Some(s) = &op.success {
                r.visit(api, s, &g, false);
            }
        }
        for w in &api.webhooks {
            r.visit(api, &w.ty, WEBHOOKS, false);
        }
        r
    }

    fn visit(&mut self, api: &Api, ty: &Ty, group: &str, request: bool) {
        let mut stack = Vec::new();
        names_in(ty, &mut stack);
        while let Some(n) = stack.pop() {
            let new_group = self.groups.entry(n.clone()).or_default().insert(group.to_string());
            let new_dir = if request { self.request.insert(n.clone()) } else { self.response.insert(n.clone()) };
            if !(new_group || new_dir) {
                continue;
            }
            if let Some(def) = api.types.get(&n) {
                stack.extend(children(def));
            }
        }
    }
}

// ------------------------------------------------------------------ the differ

/// Where a type that is added or removed came from (a field, operation, event).
struct Root {
    group: String,
    subject: String,
    ty: Ty,
    /// Index in `out` of the line the types are appended to.
    host: Option<usize>,
}

struct Differ<'a> {
    old: &'a Api,
    new: &'a Api,
    old_reach: Reach,
    new_reach: Reach,
    /// Paired named types (old name, new name).
    pairs: BTreeSet<(String, String)>,
    /// Pairs of optional-parameter structs: their fields are compared as
    /// parameters, so only a rename is reported.
    params_pairs: BTreeSet<(String, String)>,
    /// Pairs found by shape among leftovers (not by place or name).
    by_shape: BTreeSet<(String, String)>,
    old_paired: BTreeSet<String>,
    new_paired: BTreeSet<String>,
    out: Vec<(String, Change)>,
    removed_roots: Vec<Root>,
    added_roots: Vec<Root>,
}

/// Compares two lowered APIs. Labels and the current version are set on the
/// result with [`Report::with_labels`] and [`Report::with_version`].
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut d = Differ {
        old,
        new,
        old_reach: Reach::of(old),
        new_reach: Reach::of(new),
        pairs: BTreeSet::new(),
        params_pairs: BTreeSet::new(),
        by_shape: BTreeSet::new(),
        old_paired: BTreeSet::new(),
        new_paired: BTreeSet::new(),
        out: Vec::new(),
        removed_roots: Vec::new(),
        added_roots: Vec::new(),
    };
    d.run();
    d.report()
}

impl<'a> Differ<'a> {
    fn run(&mut self) {
        let (matched_ops, removed_ops, added_ops) = self.match_ops();
        let (matched_hooks, removed_hooks, added_hooks) = self.match_webhooks();

        // 1. Pair the places.
        for (o, n) in &matched_ops {
            self.link_op(o, n);
        }
        for (o, n) in &matched_hooks {
            self.link(&o.ty, &n.ty);
        }
        // 2. Pair by name what no place paired, then by shape.
        let both: Vec<String> = self.old.types.keys().filter(|k| self.new.types.contains_key(*k)).cloned().collect();
        for name in both {
            if !(self.old_paired.contains(&name) && self.new_paired.contains(&name)) {
                let t = Ty::Named(name);
                self.link(&t, &t);
            }
        }
        self.pair_by_shape();

        // 3. Compare.
        self.api_info();
        for o in &removed_ops {
            self.op_removed(o);
        }
        for n in &added_ops {
            self.op_added(n);
        }
        for (o, n) in &matched_ops {
            self.compare_op(o, n);
        }
        for o in &removed_hooks {
            self.push_breaking(WEBHOOKS, format!("WebhookEvent::{}", o.ident), Kind::WebhookRemoved, format!("event `{}` removed", o.event_type));
            self.removed_root(WEBHOOKS, format!("WebhookEvent::{}", o.ident), o.ty.clone());
        }
        for n in &added_hooks {
            self.push(WEBHOOKS, format!("WebhookEvent::{}", n.ident), Kind::WebhookAdded, format!("event `{}` added (payload `{}`)", n.event_type, rust_ty(&n.ty)), false);
            self.added_root(WEBHOOKS, format!("WebhookEvent::{}", n.ident), n.ty.clone());
        }
        for (o, n) in &matched_hooks {
            self.compare_webhook(o, n);
        }
        let pairs: Vec<(String, String)> = self.pairs.iter().cloned().collect();
        for (a, b) in &pairs {
            self.compare_pair(a, b);
        }
        // 4. Renames, then what is left: added and removed types.
        self.renames();
        self.leftovers();
    }

    // ---------------------------------------------------------- matching

    #[allow(clippy::type_complexity)]
    fn match_ops(&self) -> (Vec<(&'a Operation, &'a Operation)>, Vec<&'a Operation>, Vec<&'a Operation>) {
        let key = |o: &Operation| (o.resource.clone(), o.name.clone());
        let new_by: BTreeMap<_, &Operation> = self.new.operations.iter().map(|o| (key(o), o)).collect();
        let old_by: BTreeMap<_, &Operation> = self.old.operations.iter().map(|o| (key(o), o)).collect();
        let mut matched = Vec::new();
        let mut removed = Vec::new();
        for o in &self.old.operations {
            match new_by.get(&key(o)) {
                Some(n) => matched.push((o, *n)),
                None => removed.push(o),
            }
        }
        let added = self.new.operations.iter().filter(|n| !old_by.contains_key(&key(n))).collect();
        (matched, removed, added)
    }

    #[allow(clippy::type_complexity)]
    fn match_webhooks(&self) -> (Vec<(&'a WebhookEvent, &'a WebhookEvent)>, Vec<&'a WebhookEvent>, Vec<&'a WebhookEvent>) {
        let mut matched = Vec::new();
        let mut removed = Vec::new();
        for o in &self.old.webhooks {
            match self.new.webhooks.iter().find(|n| n.event_type == o.event_type) {
                Some(n) => matched.push((o, n)),
                None => removed.push(o),
            }
        }
        let added = self.new.webhooks.iter().filter(|n| !self.old.webhooks.iter().any(|o| o.event_type == n.event_type)).collect();
        (matched, removed, added)
    }

    /// Methods of an operation: one per body variant, or one without a body.
    fn methods(op: &Operation) -> Vec<(String, Option<&BodyVariant>)> {
        if op.body.is_empty() {
            vec![(op.name.clone(), None)]
        } else {
            op.body.iter().map(|b| (b.method_name.clone(), Some(b))).collect()
        }
    }

    fn query_params(op: &Operation) -> BTreeMap<(ParamLocation, String), &Param> {
        op.required_params.iter().chain(&op.optional_params).map(|p| ((p.location, p.wire.clone()), p)).collect()
    }

    fn link_op(&mut self, o: &Operation, n: &Operation) {
        for (po, pn) in o.path_params.iter().zip(&n.path_params) {
            self.link(&po.ty, &pn.ty);
        }
        let np = Self::query_params(n);
        for (k, po) in Self::query_params(o) {
            if let Some(pn) = np.get(&k) {
                self.link(&po.ty, &pn.ty);
            }
        }
        if let (Some(a), Some(b)) = (&o.params_type, &n.params_type) {
            self.params_pairs.insert((a.clone(), b.clone()));
            self.old_paired.insert(a.clone());
            self.new_paired.insert(b.clone());
        }
        let nm = Self::methods(n);
        for (name, bo) in Self::methods(o) {
            if let (Some(bo), Some((_, Some(bn)))) = (bo, nm.iter().find(|(m, _)| *m == name)) {
                self.link(&bo.ty, &bn.ty);
            }
        }
        if let (Some(a), Some(b)) = (&o.success, &n.success) {
            self.link(a, b);
        }
    }

    /// Pairs two types and, recursively, their members.
    fn link(&mut self, o: &Ty, n: &Ty) {
        let mut stack = vec![(o.clone(), n.clone())];
        while let Some((o, n)) = stack.pop() {
            match (resolve(self.old, &o), resolve(self.new, &n)) {
                (Ty::Named(a), Ty::Named(b)) => {
                    if !self.pairs.insert((a.clone(), b.clone())) {
                        continue;
                    }
                    self.old_paired.insert(a.clone());
                    self.new_paired.insert(b.clone());
                    let (Some(da), Some(db)) = (self.old.types.get(&a), self.new.types.get(&b)) else { continue };
                    match (&da.kind, &db.kind) {
                        (TypeKind::Struct(x), TypeKind::Struct(y)) => {
                            for f in &x.fields {
                                if let Some(g) = y.fields.iter().find(|g| g.wire == f.wire) {
                                    stack.push((f.ty.clone(), g.ty.clone()));
                                }
                            }
                            stack.push((x.additional.clone(), y.additional.clone()));
                        }
                        (TypeKind::Union(x), TypeKind::Union(y)) => {
                            for v in &x.variants {
                                if let Some(w) = y.variants.iter().find(|w| w.ident == v.ident) {
                                    stack.push((v.ty.clone(), w.ty.clone()));
                                }
                            }
                        }
                        _ => {}
                    }
                }
                (Ty::Vec(a), Ty::Vec(b)) | (Ty::Map(a), Ty::Map(b)) => stack.push((*a, *b)),
                _ => {}
            }
        }
    }

    /// Leftover types that no place reaches on either side (error bodies,
    /// unused components) and have identical shapes are one type renamed.
    /// Types that places reach are never paired this way: two events with
    /// payloads of the same shape are not one event renamed.
    fn pair_by_shape(&mut self) {
        let old_left: Vec<String> =
            self.old.types.keys().filter(|k| !self.old_paired.contains(*k) && !self.old_reach.groups.contains_key(*k)).cloned().collect();
        for a in old_left {
            if self.old_paired.contains(&a) {
                continue;
            }
            let candidates: Vec<String> = self
                .new
                .types
                .keys()
                .filter(|b| !self.new_paired.contains(*b) && !self.old.types.contains_key(*b) && !self.new_reach.groups.contains_key(*b))
                .filter(|b| self.same_shape_deep(&a, b, &mut HashSet::new()))
                .cloned()
                .collect();
            let pick = match candidates.len() {
                0 => None,
                1 => Some(candidates[0].clone()),
                _ => {
                    let similar: Vec<&String> = candidates.iter().filter(|b| b.ends_with(&a) || b.contains(&a)).collect();
                    (similar.len() == 1).then(|| similar[0].clone())
                }
            };
            if let Some(b) = pick {
                let before = self.pairs.clone();
                self.link(&Ty::Named(a), &Ty::Named(b));
                let found: Vec<(String, String)> = self.pairs.difference(&before).cloned().collect();
                self.by_shape.extend(found);
            }
        }
    }

    /// Deep structural equality, names of nested types aside (coinductive on
    /// cycles: a pair already being compared counts as equal). A work list,
    /// not recursion: a chain of thousands of types is compared in constant
    /// stack.
    fn same_shape_deep(&self, a: &str, b: &str, assumed: &mut HashSet<(String, String)>) -> bool {
        let mut work = vec![(a.to_string(), b.to_string())];
        while let Some((a, b)) = work.pop() {
            if !assumed.insert((a.clone(), b.clone())) {
                continue;
            }
            let (Some(da), Some(db)) = (self.old.types.get(&a), self.new.types.get(&b)) else { return false };
            let mut members: Vec<(&Ty, &Ty)> = Vec::new();
            let same_here = match (&da.kind, &db.kind) {
                (TypeKind::Struct(x), TypeKind::Struct(y)) => {
                    members.push((&x.additional, &y.additional));
                    members.extend(x.fields.iter().zip(&y.fields).map(|(f, g)| (&f.ty, &g.ty)));
                    x.fields.len() == y.fields.len()
                        && x.keep_unknown == y.keep_unknown
                        && x.fields.iter().zip(&y.fields).all(|(f, g)| f.wire == g.wire && f.ident == g.ident && f.required == g.required && f.nullable == g.nullable)
                }
                (TypeKind::Enum(x), TypeKind::Enum(y)) => {
                    x.default == y.default && x.variants.len() == y.variants.len() && x.variants.iter().zip(&y.variants).all(|(v, w)| v.wire == w.wire && v.ident == w.ident)
                }
                (TypeKind::Union(x), TypeKind::Union(y)) => {
                    members.extend(x.variants.iter().zip(&y.variants).map(|(v, w)| (&v.ty, &w.ty)));
                    x.discriminator == y.discriminator && x.variants.len() == y.variants.len() && x.variants.iter().zip(&y.variants).all(|(v, w)| v.ident == w.ident && v.tags == w.tags)
                }
                (TypeKind::Alias(x), TypeKind::Alias(y)) => {
                    members.push((x, y));
                    true
                }
                _ => false,
            };
            if !same_here || !members.into_iter().all(|(o, n)| self.same_ty_deep(o, n, &mut work)) {
                return false;
            }
        }
        true
    }

    /// Same type up to the named types inside, which are queued on `work`
    /// as pairs to compare.
    fn same_ty_deep(&self, o: &Ty, n: &Ty, work: &mut Vec<(String, String)>) -> bool {
        let (mut o, mut n) = (resolve(self.old, o), resolve(self.new, n));
        loop {
            match (o, n) {
                (Ty::Named(a), Ty::Named(b)) => {
                    work.push((a, b));
                    return true;
                }
                (Ty::Vec(a), Ty::Vec(b)) | (Ty::Map(a), Ty::Map(b)) => (o, n) = (resolve(self.old, &a), resolve(self.new, &b)),
                (a, b) => return a == b,
            }
        }
    }

    /// Same Rust shape at the top: named types are compared as a pair on their own.
    fn same_head(&self, o: &Ty, n: &Ty) -> bool {
        match (resolve(self.old, o), resolve(self.new, n)) {
            (Ty::Named(_), Ty::Named(_)) => true,
            (Ty::Vec(a), Ty::Vec(b)) | (Ty::Map(a), Ty::Map(b)) => self.same_head(&a, &b),
            (a, b) => a == b,
        }
    }

    // ---------------------------------------------------------- output helpers

    /// Types `ty` reaches that are gone go with the line just pushed.
    fn removed_root(&mut self, group: impl Into<String>, subject: impl Into<String>, ty: Ty) {
        let host = self.out.len().checked_sub(1);
        self.removed_roots.push(Root { group: group.into(), subject: subject.into(), ty, host });
    }

    /// Types `ty` reaches that are new go with the line just pushed.
    fn added_root(&mut self, group: impl Into<String>, subject: impl Into<String>, ty: Ty) {
        let host = self.out.len().checked_sub(1);
        self.added_roots.push(Root { group: group.into(), subject: subject.into(), ty, host });
    }

    fn push(&mut self, group: &str, subject: String, kind: Kind, message: String, breaking: bool) {
        self.out.push((group.to_string(), Change { kind, breaking, subject, message }));
    }

    fn push_breaking(&mut self, group: &str, subject: String, kind: Kind, message: String) {
        self.push(group, subject, kind, message, true);
    }

    fn docs(&mut self, group: &str, subject: String, what: &str, a: Option<&str>, b: Option<&str>) {
        if !same_doc(a, b) {
            let message = match (a.is_some(), b.is_some()) {
                (false, true) => format!("{what} added"),
                (true, false) => format!("{what} removed"),
                _ => format!("{what} changed"),
            };
            self.push(group, subject, Kind::Docs, message, false);
        }
    }

    /// The group of a pair of types: the one resource (or the webhooks) that
    /// reaches it on either side, else the shared group.
    fn pair_group(&self, a: Option<&str>, b: Option<&str>) -> String {
        let mut gs: BTreeSet<String> = BTreeSet::new();
        if let Some(a) = a {
            gs.extend(self.old_reach.groups.get(a).into_iter().flatten().cloned());
        }
        if let Some(b) = b {
            gs.extend(self.new_reach.groups.get(b).into_iter().flatten().cloned());
        }
        if gs.len() == 1 {
            gs.into_iter().next().unwrap_or_else(|| SHARED.to_string())
        } else {
            SHARED.to_string()
        }
    }

    // ---------------------------------------------------------- API-wide

    fn api_info(&mut self) {
        let (o, n) = (self.old, self.new);
        if o.base_url != n.base_url {
            let show = |u: &Option<String>| u.as_deref().map(code).unwrap_or_else(|| "none".into());
            self.push(API, "DEFAULT_BASE_URL".into(), Kind::BaseUrl, format!("default base URL changed from {} to {}", show(&o.base_url), show(&n.base_url)), false);
        }
        if o.title != n.title {
            self.push(API, "title".into(), Kind::Docs, "API title changed".into(), false);
        }
        if o.version != n.version {
            self.push(API, "version".into(), Kind::Docs, format!("API version changed from `{}` to `{}`", o.version, n.version), false);
        }
        self.docs(API, "description".into(), "API description", o.description.as_deref(), n.description.as_deref());
    }

    // ---------------------------------------------------------- operations

    fn op_types(op: &Operation) -> Vec<Ty> {
        let mut v: Vec<Ty> = op.path_params.iter().chain(&op.required_params).chain(&op.optional_params).map(|p| p.ty.clone()).collect();
        v.extend(op.params_type.iter().map(|p| Ty::Named(p.clone())));
        v.extend(op.body.iter().map(|b| b.ty.clone()));
        v.extend(op.success.iter().cloned());
        v
    }

    fn op_removed(&mut self, o: &Operation) {
        let g = op_group(o);
        let methods: Vec<String> = Self::methods(o).into_iter().map(|(m, _)| format!("{}()", unraw(&m))).collect();
        let also = if methods.len() > 1 { format!("; methods {} removed", list(&methods)) } else { String::new() };
        self.push_breaking(&g, op_subject(o), Kind::OperationRemoved, format!("operation removed (`{} {}`{also})", o.method.as_str(), o.path));
        for ty in Self::op_types(o) {
            self.removed_root(g.clone(), op_subject(o), ty);
        }
    }

    fn op_added(&mut self, n: &Operation) {
        let g = op_group(n);
        let methods: Vec<String> = Self::methods(n).into_iter().map(|(m, _)| format!("{}()", unraw(&m))).collect();
        let also = if methods.len() > 1 { format!("; methods {}", list(&methods)) } else { String::new() };
        self.push(&g, op_subject(n), Kind::OperationAdded, format!("operation added (`{} {}`{also})", n.method.as_str(), n.path), false);
        for ty in Self::op_types(n) {
            self.added_root(g.clone(), op_subject(n), ty);
        }
    }

    fn compare_op(&mut self, o: &Operation, n: &Operation) {
        let g = op_group(n);
        let subj = op_subject(n);
        if o.method != n.method || o.path != n.path {
            self.push(
                &g,
                subj.clone(),
                Kind::OperationMoved,
                format!("now `{} {}` (was `{} {}`); calls keep compiling", n.method.as_str(), n.path, o.method.as_str(), o.path),
                false,
            );
        }
        if o.deprecated != n.deprecated {
            let m = if n.deprecated { "now deprecated" } else { "no longer deprecated" };
            self.push(&g, subj.clone(), Kind::OperationDeprecated, m.into(), false);
        }

        // Path parameters are positional arguments.
        for (i, pn) in n.path_params.iter().enumerate() {
            match o.path_params.get(i) {
                None => self.push_breaking(&g, subj.clone(), Kind::ParamAdded, format!("path parameter `{}` added (a new argument)", pn.wire)),
                Some(po) if !self.same_head(&po.ty, &pn.ty) => self.push_breaking(
                    &g,
                    subj.clone(),
                    Kind::ParamType,
                    format!("path parameter `{}`: type changed from `{}` to `{}`", pn.wire, rust_ty(&po.ty), rust_ty(&pn.ty)),
                ),
                Some(po) => self.docs(&g, format!("{subj} {}", pn.wire), "parameter description", po.doc.as_deref(), pn.doc.as_deref()),
            }
        }
        for po in o.path_params.iter().skip(n.path_params.len()) {
            self.push_breaking(&g, subj.clone(), Kind::ParamRemoved, format!("path parameter `{}` removed (one argument fewer)", po.wire));
        }

        // Query and header parameters.
        let op_ = Self::query_params(o);
        let np_ = Self::query_params(n);
        for ((loc, wire), po) in &op_ {
            let Some(pn) = np_.get(&(*loc, wire.clone())) else {
                let how = if po.required { "a method argument is gone" } else { "its field in the parameters struct is gone" };
                self.push_breaking(&g, subj.clone(), Kind::ParamRemoved, format!("{} parameter `{wire}` removed ({how})", location(*loc)));
                self.removed_root(g.clone(), subj.clone(), po.ty.clone());
                continue;
            };
            if po.required != pn.required {
                let m = if pn.required {
                    format!("{} parameter `{wire}` is now required: it moves from the parameters struct to a method argument", location(*loc))
                } else {
                    format!("{} parameter `{wire}` is now optional: it moves from a method argument to the parameters struct", location(*loc))
                };
                self.push_breaking(&g, subj.clone(), Kind::ParamRequiredness, m);
            }
            if !self.same_head(&po.ty, &pn.ty) {
                self.push_breaking(
                    &g,
                    subj.clone(),
                    Kind::ParamType,
                    format!("{} parameter `{wire}`: type changed from `{}` to `{}`", location(*loc), rust_ty(&po.ty), rust_ty(&pn.ty)),
                );
                self.removed_root(g.clone(), subj.clone(), po.ty.clone());
                self.added_root(g.clone(), subj.clone(), pn.ty.clone());
            }
            self.docs(&g, format!("{subj} {wire}"), "parameter description", po.doc.as_deref(), pn.doc.as_deref());
        }
        let mut first_optional = None;
        for ((loc, wire), pn) in &np_ {
            if op_.contains_key(&(*loc, wire.clone())) {
                continue;
            }
            if pn.required {
                self.push_breaking(
                    &g,
                    subj.clone(),
                    Kind::ParamAdded,
                    format!("required {} parameter `{wire}` added (a new method argument)", location(*loc)),
                );
            } else if o.params_type.is_none() {
                first_optional = first_optional.or(Some(self.out.len()));
                let pt = n.params_type.clone().unwrap_or_default();
                self.push_breaking(
                    &g,
                    subj.clone(),
                    Kind::ParamAdded,
                    format!("optional {} parameter `{wire}` added; it is the first, so the method gains a `params: {pt}` argument", location(*loc)),
                );
            } else {
                let pt = n.params_type.clone().unwrap_or_default();
                self.push(&g, subj.clone(), Kind::ParamAdded, format!("optional {} parameter `{wire}` added (`{pt}::{}`)", location(*loc), unraw(&pn.ident)), false);
            }
            self.added_root(g.clone(), subj.clone(), pn.ty.clone());
        }
        match (&o.params_type, &n.params_type) {
            (None, Some(pt)) => self.added_roots.push(Root { group: g.clone(), subject: subj.clone(), ty: Ty::Named(pt.clone()), host: first_optional }),
            (Some(pt), None) => self.removed_roots.push(Root { group: g.clone(), subject: subj.clone(), ty: Ty::Named(pt.clone()), host: None }),
            _ => {}
        }
        // Bodies: one method per body variant.
        let om = Self::methods(o);
        let nm = Self::methods(n);
        for (name, bo) in &om {
            let msubj = format!("{}.{}()", op_group(n), unraw(name));
            match nm.iter().find(|(m, _)| m == name) {
                None => {
                    let what = bo.map(|b| format!(" (`{}` body)", b.media_type)).unwrap_or_default();
                    self.push_breaking(&g, msubj.clone(), Kind::BodyRemoved, format!("method removed{what}"));
                    if let Some(b) = bo {
                        self.removed_root(g.clone(), msubj, b.ty.clone());
                    }
                }
                Some((_, bn)) => match (bo, bn) {
                    (None, None) => {}
                    (None, Some(bn)) => {
                        self.push_breaking(&g, msubj.clone(), Kind::BodyChanged, format!("gains a `body: {}` argument (`{}`)", rust_ty(&bn.ty), bn.media_type));
                        self.added_root(g.clone(), msubj, bn.ty.clone());
                    }
                    (Some(bo), None) => {
                        self.push_breaking(&g, msubj.clone(), Kind::BodyChanged, format!("no longer takes a body (was `{}`)", rust_ty(&bo.ty)));
                        self.removed_root(g.clone(), msubj, bo.ty.clone());
                    }
                    (Some(bo), Some(bn)) => {
                        if bo.encoding != bn.encoding {
                            self.push_breaking(&g, msubj.clone(), Kind::BodyChanged, format!("body is now sent as `{}` (was `{}`)", bn.media_type, bo.media_type));
                        } else if bo.media_type != bn.media_type {
                            self.push(&g, msubj.clone(), Kind::BodyChanged, format!("body media type is now `{}` (was `{}`)", bn.media_type, bo.media_type), false);
                        }
                        if !self.same_head(&bo.ty, &bn.ty) {
                            self.push_breaking(&g, msubj.clone(), Kind::BodyChanged, format!("body type changed from `{}` to `{}`", rust_ty(&bo.ty), rust_ty(&bn.ty)));
                            self.removed_root(g.clone(), msubj.clone(), bo.ty.clone());
                            self.added_root(g.clone(), msubj, bn.ty.clone());
                        }
                    }
                },
            }
        }
        for (name, bn) in &nm {
            if om.iter().any(|(m, _)| m == name) {
                continue;
            }
            let msubj = format!("{}.{}()", op_group(n), unraw(name));
            let what = bn.map(|b| format!(" (sends `{}`)", b.media_type)).unwrap_or_default();
            self.push(&g, msubj.clone(), Kind::BodyAdded, format!("method added{what}"), false);
            if let Some(b) = bn {
                self.added_root(g.clone(), msubj, b.ty.clone());
            }
        }

        // Success type.
        match (&o.success, &n.success) {
            (None, None) => {}
            (Some(a), None) => {
                self.push_breaking(&g, subj.clone(), Kind::ResponseChanged, format!("now returns nothing (was `{}`)", rust_ty(a)));
                self.removed_root(g.clone(), subj.clone(), a.clone());
            }
            (None, Some(b)) => {
                self.push_breaking(&g, subj.clone(), Kind::ResponseChanged, format!("now returns `{}` (was `()`)", rust_ty(b)));
                self.added_root(g.clone(), subj.clone(), b.clone());
            }
            (Some(a), Some(b)) => {
                if !self.same_head(a, b) {
                    self.push_breaking(&g, subj.clone(), Kind::ResponseChanged, format!("returns `{}` (was `{}`)", rust_ty(b), rust_ty(a)));
                    self.removed_root(g.clone(), subj.clone(), a.clone());
                    self.added_root(g.clone(), subj.clone(), b.clone());
                }
            }
        }
        match (&o.pagination, &n.pagination) {
            (Some(_), None) => self.push_breaking(&g, subj.clone(), Kind::PaginationRemoved, "no longer paginated: `into_stream()` is gone".into()),
            (None, Some(p)) => self.push(&g, subj.clone(), Kind::PaginationAdded, format!("now paginated: `into_stream()` yields `{}` items", rust_ty(&p.item)), false),
            _ => {}
        }
        self.docs(&g, subj.clone(), "summary", o.summary.as_deref(), n.summary.as_deref());
        self.docs(&g, subj, "description", o.description.as_deref(), n.description.as_deref());
    }

    // ---------------------------------------------------------- webhooks

    fn compare_webhook(&mut self, o: &WebhookEvent, n: &WebhookEvent) {
        let subj = format!("WebhookEvent::{}", n.ident);
        if o.ident != n.ident {
            self.push_breaking(WEBHOOKS, subj.clone(), Kind::WebhookChanged, format!("variant of `{}` renamed from `{}`", n.event_type, o.ident));
        }
        if !self.same_head(&o.ty, &n.ty) {
            self.push_breaking(WEBHOOKS, subj.clone(), Kind::WebhookChanged, format!("payload type changed from `{}` to `{}`", rust_ty(&o.ty), rust_ty(&n.ty)));
            self.removed_root(WEBHOOKS, subj.clone(), o.ty.clone());
            self.added_root(WEBHOOKS, subj.clone(), n.ty.clone());
        }
        self.docs(WEBHOOKS, subj, "description", o.doc.as_deref(), n.doc.as_deref());
    }

    // ---------------------------------------------------------- types

    fn compare_pair(&mut self, a: &str, b: &str) {
        if self.params_pairs.contains(&(a.to_string(), b.to_string())) {
            return;
        }
        let (Some(da), Some(db)) = (self.old.types.get(a), self.new.types.get(b)) else { return };
        let g = self.pair_group(Some(a), Some(b));
        let request = self.old_reach.request.contains(a) || self.new_reach.request.contains(b) || db.is_input;
        let response = self.old_reach.response.contains(a) || self.new_reach.response.contains(b) || !request;
        self.docs(&g, b.to_string(), "type description", da.doc.as_deref(), db.doc.as_deref());
        match (da.is_input, db.is_input) {
            (true, false) => self.push_breaking(&g, b.to_string(), Kind::Builder, "no longer used in requests: `new()` and the setters are gone".into()),
            (false, true) => self.push(&g, b.to_string(), Kind::Builder, "now used in requests: gains `new()` and setters".into(), false),
            _ => {}
        }
        match (&da.kind, &db.kind) {
            (TypeKind::Struct(x), TypeKind::Struct(y)) => self.compare_struct(&g, b, (da, x), (db, y), request, response),
            (TypeKind::Enum(x), TypeKind::Enum(y)) => self.compare_enum(&g, b, x, y),
            (TypeKind::Union(x), TypeKind::Union(y)) => self.compare_union(&g, b, x, y),
            (TypeKind::Alias(x), TypeKind::Alias(y)) => {
                if !self.same_head(x, y) {
                    self.push_breaking(&g, b.to_string(), Kind::TypeShape, format!("alias of `{}` (was `{}`)", rust_ty(y), rust_ty(x)));
                }
            }
            (x, y) => self.push_breaking(&g, b.to_string(), Kind::TypeShape, format!("now {} (was {})", kind_name(y), kind_name(x))),
        }
    }

    fn compare_struct(&mut self, g: &str, b: &str, (da, x): (&TypeDef, &Struct), (db, y): (&TypeDef, &Struct), request: bool, response: bool) {
        for f in &x.fields {
            let subj = format!("{b}.{}", unraw(&f.ident));
            let Some(h) = y.fields.iter().find(|h| h.wire == f.wire) else {
                self.push_breaking(g, subj.clone(), Kind::FieldRemoved, format!("field removed (was `{}`)", field_rust_ty(f, da.is_input)));
                self.removed_root(g.to_string(), subj, f.ty.clone());
                continue;
            };
            let subj = format!("{b}.{}", unraw(&h.ident));
            if f.ident != h.ident {
                self.push_breaking(g, subj.clone(), Kind::FieldRenamed, format!("Rust field renamed from `{}` (wire name `{}`)", unraw(&f.ident), h.wire));
            }
            let (ot, nt) = (field_rust_ty(f, da.is_input), field_rust_ty(h, db.is_input));
            if !self.same_head(&f.ty, &h.ty) {
                self.push_breaking(g, subj.clone(), Kind::FieldType, format!("type changed from `{ot}` to `{nt}`"));
                self.removed_root(g.to_string(), subj.clone(), f.ty.clone());
                self.added_root(g.to_string(), subj.clone(), h.ty.clone());
            } else if f.required != h.required {
                let m = match (h.required, request, response) {
                    (true, true, _) => format!("now required: requests must set it (`new()` takes it; `{ot}` becomes `{nt}`)"),
                    (true, false, _) => format!("now always present (wire-compatible, but `{ot}` becomes `{nt}`)"),
                    (false, _, true) => format!("now optional: responses may omit it (`{ot}` becomes `{nt}`)"),
                    (false, _, false) => format!("now optional (wire-compatible, but `new()` no longer takes it; `{ot}` becomes `{nt}`)"),
                };
                self.push_breaking(g, subj.clone(), Kind::FieldRequiredness, m);
            } else if f.nullable != h.nullable {
                let what = if h.nullable { "now nullable" } else { "no longer nullable" };
                if ot != nt {
                    self.push_breaking(g, subj.clone(), Kind::FieldNullability, format!("{what} (`{ot}` becomes `{nt}`)"));
                } else {
                    self.push(g, subj.clone(), Kind::FieldNullability, format!("{what} (the Rust type stays `{nt}`)"), false);
                }
            }
            self.docs(g, subj, "field description", f.doc.as_deref(), h.doc.as_deref());
        }
        for h in &y.fields {
            if x.fields.iter().any(|f| f.wire == h.wire) {
                continue;
            }
            let subj = format!("{b}.{}", unraw(&h.ident));
            let t = field_rust_ty(h, db.is_input);
            if h.required && request {
                self.push_breaking(g, subj.clone(), Kind::FieldAdded, format!("required field added (`{t}`): requests must set it, `new()` takes it"));
            } else if h.required {
                self.push(g, subj.clone(), Kind::FieldAdded, format!("field added (`{t}`, always present)"), false);
            } else {
                self.push(g, subj.clone(), Kind::FieldAdded, format!("optional field added (`{t}`)"), false);
            }
            self.added_root(g.to_string(), subj, h.ty.clone());
        }
        if da.is_input && db.is_input {
            // `new()` takes the required fields in field order: a reorder of
            // two `String`s compiles and swaps them.
            let common = |a: &Struct, b: &Struct| -> Vec<String> {
                a.fields.iter().filter(|f| f.required && b.fields.iter().any(|g| g.required && g.wire == f.wire)).map(|f| f.wire.clone()).collect()
            };
            let (before, after) = (common(x, y), common(y, x));
            if before != after {
                self.push_breaking(
                    g,
                    format!("{b}::new()"),
                    Kind::Builder,
                    format!("takes its arguments in a new order: ({}) (was ({})); calls may still compile with arguments swapped", after.join(", "), before.join(", ")),
                );
            }
        }
        let had_required = x.fields.iter().any(|f| f.required);
        let has_required = y.fields.iter().any(|f| f.required);
        if !had_required && has_required {
            self.push_breaking(g, b.to_string(), Kind::DefaultImpl, "no longer implements `Default` (it now has a required field)".into());
        }
        match (x.keep_unknown, y.keep_unknown) {
            (true, false) => self.push_breaking(
                g,
                format!("{b}.{}", x.additional_name),
                Kind::ExtraFields,
                "removed: undeclared properties are no longer kept (`additionalProperties: false`)".into(),
            ),
            (false, true) => self.push(g, format!("{b}.{}", y.additional_name), Kind::ExtraFields, "added: undeclared properties are now kept".into(), false),
            (true, true) if !self.same_head(&x.additional, &y.additional) => self.push_breaking(
                g,
                format!("{b}.{}", y.additional_name),
                Kind::ExtraFields,
                format!("type of undeclared properties changed from `{}` to `{}`", rust_ty(&x.additional), rust_ty(&y.additional)),
            ),
            _ => {}
        }
    }

    fn compare_enum(&mut self, g: &str, b: &str, x: &StringEnum, y: &StringEnum) {
        for v in &x.variants {
            match y.variants.iter().find(|w| w.wire == v.wire) {
                None => self.push_breaking(g, b.to_string(), Kind::VariantRemoved, format!("variant `{}` (`{}`) removed", v.ident, v.wire)),
                Some(w) if w.ident != v.ident => {
                    self.push_breaking(g, b.to_string(), Kind::VariantChanged, format!("variant for `{}` renamed from `{}` to `{}`", v.wire, v.ident, w.ident))
                }
                Some(_) => {}
            }
        }
        for w in &y.variants {
            if !x.variants.iter().any(|v| v.wire == w.wire) {
                self.push(g, b.to_string(), Kind::VariantAdded, format!("variant `{}` (`{}`) added (it used to arrive as `Unknown`)", w.ident, w.wire), false);
            }
        }
        let od = x.default.and_then(|i| x.variants.get(i)).map(|v| v.wire.clone());
        let nd = y.default.and_then(|i| y.variants.get(i)).map(|v| v.wire.clone());
        match (od, nd) {
            (Some(_), None) => self.push_breaking(g, b.to_string(), Kind::DefaultImpl, "no longer implements `Default` (the spec has no default now)".into()),
            (None, Some(d)) => self.push(g, b.to_string(), Kind::EnumDefault, format!("now implements `Default` (`{d}`)"), false),
            (Some(a), Some(d)) if a != d => self.push(g, b.to_string(), Kind::EnumDefault, format!("default changed from `{a}` to `{d}`"), false),
            _ => {}
        }
    }

    fn compare_union(&mut self, g: &str, b: &str, x: &Union, y: &Union) {
        for v in &x.variants {
            match y.variants.iter().find(|w| w.ident == v.ident) {
                None => {
                    self.push_breaking(g, format!("{b}::{}", v.ident), Kind::VariantRemoved, format!("member removed (was `{}`)", rust_ty(&v.ty)));
                    self.removed_root(g.to_string(), format!("{b}::{}", v.ident), v.ty.clone());
                }
                Some(w) => {
                    if !self.same_head(&v.ty, &w.ty) {
                        self.push_breaking(
                            g,
                            format!("{b}::{}", w.ident),
                            Kind::VariantChanged,
                            format!("member type changed from `{}` to `{}`", rust_ty(&v.ty), rust_ty(&w.ty)),
                        );
                        self.removed_root(g.to_string(), format!("{b}::{}", w.ident), v.ty.clone());
                        self.added_root(g.to_string(), format!("{b}::{}", w.ident), w.ty.clone());
                    }
                    if v.tags != w.tags {
                        self.push(g, format!("{b}::{}", w.ident), Kind::VariantChanged, format!("discriminator values now {:?} (were {:?})", w.tags, v.tags), false);
                    }
                }
            }
        }
        for w in &y.variants {
            if !x.variants.iter().any(|v| v.ident == w.ident) {
                self.push(g, format!("{b}::{}", w.ident), Kind::VariantAdded, format!("member added (`{}`)", rust_ty(&w.ty)), false);
                self.added_root(g.to_string(), format!("{b}::{}", w.ident), w.ty.clone());
            }
        }
        if x.discriminator != y.discriminator {
            self.push(g, b.to_string(), Kind::VariantChanged, format!("discriminator is now {:?} (was {:?})", y.discriminator, x.discriminator), false);
        }
    }

    /// One line per old name whose place now has a type of another name.
    fn renames(&mut self) {
        let mut by_old: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (a, b) in self.pairs.iter().chain(&self.params_pairs) {
            if a != b {
                by_old.entry(a.clone()).or_default().push(b.clone());
            }
        }
        for (a, bs) in by_old {
            let still = self.new.types.contains_key(&a);
            if bs.len() == 1 && self.by_shape.contains(&(a.clone(), bs[0].clone())) {
                let g = self.pair_group(Some(&a), Some(&bs[0]));
                let m = format!("renamed to {} (paired by identical shape; code that names `{a}` must use the new name)", list(&bs));
                self.push_breaking(&g, a.clone(), Kind::TypeRenamed, m);
                continue;
            }
            let g = {
                let mut gs: BTreeSet<String> = bs.iter().map(|b| self.pair_group(Some(&a), Some(b))).collect();
                if gs.len() == 1 {
                    gs.pop_first().unwrap_or_else(|| SHARED.into())
                } else {
                    SHARED.into()
                }
            };
            let m = if still {
                format!("renamed to {} where it is used (same shape; a different type named `{a}` exists now)", list(&bs))
            } else if bs.len() == 1 && self.old.types.contains_key(&bs[0]) {
                format!(
                    "renamed to {} (same place in the API; that name used to be another type, so code that names either must be checked)",
                    list(&bs)
                )
            } else if bs.len() == 1 {
                format!("renamed to {} (same place in the API; code that names `{a}` must use the new name)", list(&bs))
            } else {
                format!("split into {} (one per place; code that names `{a}` must use the new names)", list(&bs))
            };
            self.push_breaking(&g, a.clone(), Kind::TypeRenamed, m);
        }
    }

    /// Unpaired types: folded into the line of the field, operation or event
    /// that brought or took them, else one line per top-level type.
    fn leftovers(&mut self) {
        let removed: BTreeSet<String> = self.old.types.keys().filter(|k| !self.old_paired.contains(*k)).cloned().collect();
        let added: BTreeSet<String> = self.new.types.keys().filter(|k| !self.new_paired.contains(*k)).cloned().collect();
        let roots = std::mem::take(&mut self.removed_roots);
        self.fold(self.old, removed, roots, false);
        let roots = std::mem::take(&mut self.added_roots);
        self.fold(self.new, added, roots, true);
    }

    fn fold(&mut self, api: &Api, mut left: BTreeSet<String>, roots: Vec<Root>, added: bool) {
        let (kind, breaking) = if added { (Kind::TypeAdded, false) } else { (Kind::TypeRemoved, true) };
        let verb = if added { "added" } else { "removed" };
        let claim = |start: &Ty, left: &mut BTreeSet<String>| -> Vec<String> {
            let mut got = Vec::new();
            let mut stack = Vec::new();
            names_in(start, &mut stack);
            while let Some(n) = stack.pop() {
                if left.remove(&n) {
                    if let Some(def) = api.types.get(&n) {
                        stack.extend(children(def));
                    }
                    got.push(n);
                }
            }
            got.sort();
            got
        };
        // Per host line (or subject), in the order the lines were made.
        let mut by_host: Vec<(Option<usize>, String, String, Vec<String>)> = Vec::new();
        for r in &roots {
            let got = claim(&r.ty, &mut left);
            if got.is_empty() {
                continue;
            }
            match by_host.iter_mut().find(|(h, g, s, _)| *h == r.host && *g == r.group && *s == r.subject) {
                Some((_, _, _, v)) => v.extend(got),
                None => by_host.push((r.host, r.group.clone(), r.subject.clone(), got)),
            }
        }
        for (host, g, s, mut names) in by_host {
            names.sort();
            let m = if names.len() == 1 { format!("type {} {verb} with it", list(&names)) } else { format!("types {} {verb} with it", list(&names)) };
            // Appended to the line that brought or took them, when there is one.
            let host = host
                .filter(|&i| self.out.get(i).is_some_and(|(hg, c)| *hg == g && c.subject == s))
                .or_else(|| self.out.iter().rposition(|(hg, c)| *hg == g && c.subject == s && c.kind != Kind::Docs));
            match host {
                Some(i) => {
                    let c = &mut self.out[i].1;
                    c.message.push_str("; ");
                    c.message.push_str(&m);
                    c.breaking |= breaking;
                }
                None => self.push(&g, s, kind, m, breaking),
            }
        }
        // What no root claimed: top-level types (not inside another leftover) first.
        let inner: BTreeSet<String> = left.iter().filter_map(|n| api.types.get(n)).flat_map(children).collect();
        let tops: Vec<String> = left.iter().filter(|n| !inner.contains(*n)).cloned().collect();
        let tops = if tops.is_empty() { left.iter().cloned().collect() } else { tops };
        for t in tops {
            if !left.contains(&t) {
                continue;
            }
            let mut got = claim(&Ty::Named(t.clone()), &mut left);
            got.retain(|n| n != &t);
            let g = if added { self.pair_group(None, Some(&t)) } else { self.pair_group(Some(&t), None) };
            let with = if got.is_empty() { String::new() } else { format!(", with {}", list(&got)) };
            let m = format!("type {verb}{with}");
            self.push(&g, t, kind, m, breaking);
        }
        // Cycles among leftovers that no top reached.
        for t in left.clone() {
            if left.remove(&t) {
                let g = if added { self.pair_group(None, Some(&t)) } else { self.pair_group(Some(&t), None) };
                self.push(&g, t, kind, format!("type {verb}"), breaking);
            }
        }
    }

    // ---------------------------------------------------------- assembly

    fn report(self) -> Report {
        let mut groups: BTreeMap<(u8, String), Vec<Change>> = BTreeMap::new();
        for (g, c) in self.out {
            let rank = match g.as_str() {
                WEBHOOKS => 1,
                SHARED => 2,
                API => 3,
                _ => 0,
            };
            groups.entry((rank, g)).or_default().push(c);
        }
        let groups = groups
            .into_iter()
            .map(|((_, name), mut changes)| {
                changes.sort_by(|a, b| {
                    let rank = |c: &Change| (c.kind == Kind::Docs, !c.subject.contains("()"), !c.subject.starts_with("WebhookEvent::"));
                    (rank(a), &a.subject, a.kind, &a.message).cmp(&(rank(b), &b.subject, b.kind, &b.message))
                });
                changes.dedup();
                Group { name, changes }
            })
            .collect();
        Report { from: String::new(), to: String::new(), current_version: None, groups }
    }
}
