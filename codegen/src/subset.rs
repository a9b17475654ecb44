//! Cutting a smaller API out of a document (`cargo xtask generate --include`).
//!
//! Works on the raw JSON tree, before normalisation and typing, so it sees
//! 3.0 and 3.1 documents alike. Patterns, each one of:
//!
//! * `/faxes*`: a glob on path keys (`*` matches any run of characters,
//!   `/` included); a matching path item is kept whole;
//! * `tag:Programmable Fax Commands` (or `tag:*Fax*`): operations whose
//!   `tags` contain a match; their path item is kept with only those operations;
//! * anything else, e.g. `fax.*`: a glob on webhook names (the 3.1
//!   `webhooks` map; in a document without one, on operation callback names,
//!   which is how 3.0 documents describe their webhooks).
//!
//! Then every component reachable from what is kept (through `$ref`,
//! discriminator `mapping`s and `security` requirements) is kept, found with
//! a worklist and a visited set, so the cost is linear in what is kept; every
//! other component is dropped. The root `tags` list keeps the tags kept
//! operations use. A pattern that matches nothing is an error naming it, and
//! so is a kept reference into a path or webhook the patterns cut (it would
//! dangle).

use crate::diagnostics::Error;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;

/// The HTTP methods of a path item.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// One `--include` pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    /// A glob on path keys (starts with `/`).
    Path(String),
    /// `tag:GLOB`: operations with a matching tag.
    Tag(String),
    /// A glob on webhook (or, in 3.0 documents, callback) names.
    Webhook(String),
}

impl Pattern {
    /// Reads one pattern (see the module docs).
    pub fn parse(text: &str) -> Result<Pattern, Error> {
        let t = text.trim();
        if t.is_empty() {
            return Err(Error::msg("empty --include pattern"));
        }
        if let Some(tag) = t.strip_prefix("tag:") {
            if tag.is_empty() {
                return Err(Error::msg(format!("--include `{text}`: no tag name after `tag:`")));
            }
            return Ok(Pattern::Tag(tag.to_string()));
        }
        if t.starts_with('/') {
            Ok(Pattern::Path(t.to_string()))
        } else {
            Ok(Pattern::Webhook(t.to_string()))
        }
    }

    fn text(&self) -> String {
        match self {
            Pattern::Path(g) | Pattern::Webhook(g) => g.clone(),
            Pattern::Tag(g) => format!("tag:{g}"),
        }
    }
}

/// Glob match where `*` matches any (possibly empty) run of characters and
/// everything else is literal. Linear-time two-pointer algorithm.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Before/after counts of one kind of thing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    /// In the input document.
    pub before: usize,
    /// Kept.
    pub after: usize,
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {}", self.after, self.before)
    }
}

/// What a subset kept.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Path items.
    pub paths: Count,
    /// Operations under `paths`.
    pub operations: Count,
    /// Entries of the 3.1 `webhooks` map.
    pub webhooks: Count,
    /// Components per kind (`schemas`, `parameters`, ...).
    pub components: BTreeMap<String, Count>,
}

impl fmt::Display for Report {
    /// `subset kept 9 of 1150 operations (6 of 782 paths), 5 of 66 webhooks, schemas 52 of 1900, ...`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "subset kept {} operations ({} paths), {} webhooks", self.operations, self.paths, self.webhooks)?;
        for (kind, c) in self.components.iter().filter(|(_, c)| c.before > 0) {
            write!(f, ", {kind} {c}")?;
        }
        Ok(())
    }
}

/// Parsed `--include` patterns.
#[derive(Debug, Clone)]
pub struct Subset {
    patterns: Vec<Pattern>,
}

impl Subset {
    /// Parses the patterns; at least one is needed.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Subset, Error> {
        if patterns.is_empty() {
            return Err(Error::msg("a subset needs at least one --include pattern"));
        }
        let patterns = patterns.iter().map(|p| Pattern::parse(p.as_ref())).collect::<Result<Vec<_>, _>>()?;
        Ok(Subset { patterns })
    }

    /// The parsed patterns.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Cuts `doc` down in place.
    pub fn apply(&self, doc: &mut Value) -> Result<Report, Error> {
        apply(&self.patterns, doc)
    }
}

/// Shorthand: parse `patterns` and cut `doc` down in place.
pub fn subset<S: AsRef<str>>(doc: &mut Value, patterns: &[S]) -> Result<Report, Error> {
    Subset::new(patterns)?.apply(doc)
}

/// Tags of an operation object.
fn op_tags(op: &Value) -> impl Iterator<Item = &str> {
    op.get("tags").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
}

fn count_ops(item: &Value) -> usize {
    item.as_object().map_or(0, |m| METHODS.iter().filter(|k| m.contains_key(**k)).count())
}

/// Resolves a local `$ref` path item for inspection (3.1 `components/pathItems`).
fn resolve_item<'a>(root: &'a Value, item: &'a Value) -> &'a Value {
    match item.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(p) => root.pointer(&decode_fragment(p)).unwrap_or(item),
        None => item,
    }
}

/// Filters a map of path items (`paths` or `webhooks`): keeps an item whole
/// when `whole` matches its key, else keeps the operations a tag pattern
/// selects. Marks used patterns in `used`.
fn filter_items(
    root: &Value,
    items: &Map<String, Value>,
    patterns: &[Pattern],
    whole: impl Fn(&Pattern, &str) -> bool,
    used: &mut [bool],
) -> Map<String, Value> {
    let mut kept = Map::new();
    for (key, item) in items {
        let mut keep_whole = false;
        for (i, p) in patterns.iter().enumerate() {
            if whole(p, key) {
                used[i] = true;
                keep_whole = true;
            }
        }
        if keep_whole {
            kept.insert(key.clone(), item.clone());
            continue;
        }
        let tag_patterns: Vec<(usize, &str)> =
            patterns.iter().enumerate().filter_map(|(i, p)| if let Pattern::Tag(g) = p { Some((i, g.as_str())) } else { None }).collect();
        if tag_patterns.is_empty() {
            continue;
        }
        let op_matches = |op: &Value, used: &mut [bool]| {
            let mut hit = false;
            for tag in op_tags(op) {
                for &(i, g) in &tag_patterns {
                    if glob_match(g, tag) {
                        used[i] = true;
                        hit = true;
                    }
                }
            }
            hit
        };
        if item.get("$ref").is_some() {
            // A referenced path item is kept whole or not at all.
            let target = resolve_item(root, item);
            let mut any = false;
            for m in METHODS {
                if let Some(op) = target.get(m) {
                    any |= op_matches(op, used);
                }
            }
            if any {
                kept.insert(key.clone(), item.clone());
            }
            continue;
        }
        let Some(obj) = item.as_object() else { continue };
        let mut filtered = Map::new();
        let mut any = false;
        for (k, v) in obj {
            if METHODS.contains(&k.as_str()) {
                if op_matches(v, used) {
                    any = true;
                    filtered.insert(k.clone(), v.clone());
                }
            } else {
                filtered.insert(k.clone(), v.clone());
            }
        }
        if any {
            kept.insert(key.clone(), Value::Object(filtered));
        }
    }
    kept
}

fn apply(patterns: &[Pattern], doc: &mut Value) -> Result<Report, Error> {
    if !doc.is_object() {
        return Err(Error::at("", "the document is not a mapping (expected an OpenAPI object)"));
    }
    let mut report = Report::default();
    let mut used = vec![false; patterns.len()];
    let empty = Map::new();

    // 1. Paths.
    let paths_in = doc.get("paths").and_then(Value::as_object).unwrap_or(&empty);
    report.paths.before = paths_in.len();
    report.operations.before = paths_in.values().map(|i| count_ops(resolve_item(doc, i))).sum();
    let paths = filter_items(doc, paths_in, patterns, |p, key| matches!(p, Pattern::Path(g) if glob_match(g, key)), &mut used);
    report.paths.after = paths.len();
    report.operations.after = paths.values().map(|i| count_ops(resolve_item(doc, i))).sum();

    // 2. Webhooks (3.1), or callbacks (3.0: documents without `webhooks`).
    let webhooks_in = doc.get("webhooks").and_then(Value::as_object);
    let webhooks = webhooks_in.map(|hooks| {
        report.webhooks.before = hooks.len();
        let kept = filter_items(doc, hooks, patterns, |p, key| matches!(p, Pattern::Webhook(g) if glob_match(g, key)), &mut used);
        report.webhooks.after = kept.len();
        kept
    });
    let mut callback_roots: Vec<(String, Value)> = Vec::new();
    if webhooks_in.is_none() {
        for item in paths_in.values() {
            let item = resolve_item(doc, item);
            for m in METHODS {
                let Some(Value::Object(cbs)) = item.get(m).and_then(|op| op.get("callbacks")) else { continue };
                for (name, cb) in cbs {
                    for (i, p) in patterns.iter().enumerate() {
                        if matches!(p, Pattern::Webhook(g) if glob_match(g, name)) {
                            used[i] = true;
                            callback_roots.push((name.clone(), cb.clone()));
                        }
                    }
                }
            }
        }
    }

    // 3. Every pattern must have matched something.
    for (p, u) in patterns.iter().zip(&used) {
        if *u {
            continue;
        }
        let what = match p {
            Pattern::Path(_) => format!("no path matches it (the document has {} paths)", report.paths.before),
            Pattern::Tag(_) => "no operation has a matching tag".to_string(),
            Pattern::Webhook(_) => match webhooks_in {
                Some(h) => {
                    let names: Vec<&str> = h.keys().take(8).map(String::as_str).collect();
                    let more = if h.len() > names.len() { ", ..." } else { "" };
                    format!("no webhook matches it (the document's webhooks: {}{more})", names.join(", "))
                }
                None => "no webhook or callback matches it (the document has no `webhooks`)".to_string(),
            },
        };
        let hint = if matches!(p, Pattern::Webhook(_)) { "; a path pattern starts with `/`, a tag pattern with `tag:`" } else { "" };
        return Err(Error::msg(format!("--include `{}`: {what}{hint}", p.text())));
    }

    // 4. Components reachable from what is kept.
    let mut reach = Reach::default();
    {
        let Some(root) = doc.as_object() else { return Err(Error::at("", "the document is not a mapping")) };
        reach.scan_members(root.iter().filter(|(k, _)| !matches!(k.as_str(), "paths" | "webhooks" | "components" | "tags")));
        for (k, v) in &paths {
            reach.scan(v, format!("path `{k}`"));
        }
        for (k, v) in webhooks.iter().flatten() {
            reach.scan(v, format!("webhook `{k}`"));
        }
        for (k, v) in &callback_roots {
            reach.scan(v, format!("callback `{k}`"));
        }
        let components = root.get("components");
        while let Some((kind, name)) = reach.queue.pop() {
            if let Some(v) = components.and_then(|c| c.get(&kind)).and_then(|k| k.get(&name)) {
                reach.scan(v, format!("`#/components/{kind}/{}`", name.replace('~', "~0").replace('/', "~1")));
            }
        }
    }

    // 5. Local references that point outside components, into cut paths:
    //    they would dangle, so the subset is refused with a way out.
    let kept_paths: HashSet<&String> = paths.keys().collect();
    let kept_hooks: HashSet<&String> = webhooks.iter().flat_map(|w| w.keys()).collect();
    for (target, from) in &reach.other_refs {
        let tokens: Vec<String> = target.split('/').skip(1).map(unescape_token).collect();
        let cut = match (tokens.first().map(String::as_str), tokens.get(1)) {
            (Some("paths"), Some(key)) if !kept_paths.contains(key) && paths_in.contains_key(key) => Some(format!("path `{key}`")),
            (Some("webhooks"), Some(key)) if !kept_hooks.contains(key) && webhooks_in.is_some_and(|w| w.contains_key(key)) => {
                Some(format!("webhook `{key}`"))
            }
            _ => None,
        };
        if let Some(what) = cut {
            return Err(Error::at(
                target.clone(),
                format!("{from} refers to `#{target}`, inside {what}, which the --include patterns cut; include it too"),
            ));
        }
    }

    // 6. Tags used by kept operations.
    let mut used_tags: BTreeSet<String> = BTreeSet::new();
    for item in paths.values().chain(webhooks.iter().flat_map(|w| w.values())) {
        let item = resolve_item(doc, item);
        for m in METHODS {
            if let Some(op) = item.get(m) {
                used_tags.extend(op_tags(op).map(str::to_string));
            }
        }
    }

    // 7. Rewrite the document.
    let Some(root) = doc.as_object_mut() else { return Err(Error::at("", "the document is not a mapping")) };
    if root.contains_key("paths") {
        root.insert("paths".into(), Value::Object(paths));
    }
    if let Some(w) = webhooks {
        root.insert("webhooks".into(), Value::Object(w));
    }
    if let Some(Value::Array(tags)) = root.get_mut("tags") {
        tags.retain(|t| t.get("name").and_then(Value::as_str).is_some_and(|n| used_tags.contains(n)));
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        for (kind, entries) in components.iter_mut() {
            if kind.starts_with("x-") {
                continue;
            }
            let Value::Object(entries) = entries else { continue };
            let before = entries.len();
            entries.retain(|name, _| reach.seen.contains(&(kind.clone(), name.clone())));
            report.components.insert(kind.clone(), Count { before, after: entries.len() });
        }
    }
    Ok(report)
}

/// The reachability walk: components seen, a worklist, and local references
/// that do not point into `components`.
#[derive(Default)]
struct Reach {
    seen: HashSet<(String, String)>,
    queue: Vec<(String, String)>,
    /// Local reference target outside components -> where it was first seen.
    other_refs: BTreeMap<String, String>,
    /// What is being scanned, for `other_refs`.
    from: String,
}

impl Reach {
    fn mark(&mut self, kind: &str, name: &str) {
        let key = (kind.to_string(), name.to_string());
        if self.seen.insert(key.clone()) {
            self.queue.push(key);
        }
    }

    fn reference(&mut self, r: &str) {
        let Some(fragment) = r.strip_prefix('#') else { return }; // external files are left alone
        let pointer = decode_fragment(fragment);
        let mut tokens = pointer.split('/').skip(1);
        match (tokens.next(), tokens.next(), tokens.next()) {
            (Some("components"), Some(kind), Some(name)) => self.mark(&unescape_token(kind), &unescape_token(name)),
            _ if !pointer.is_empty() => {
                self.other_refs.entry(pointer).or_insert_with(|| self.from.clone());
            }
            _ => {}
        }
    }

    /// Scans one kept value (iteratively: deep documents do not overflow the
    /// stack); `from` names it in messages.
    fn scan(&mut self, value: &Value, from: String) {
        self.from = from;
        let mut stack: Vec<&Value> = vec![value];
        self.drain(&mut stack);
    }

    /// Scans the members of a mapping (used for the root, whose `paths`,
    /// `webhooks` and `components` are handled apart).
    fn scan_members<'a>(&mut self, members: impl Iterator<Item = (&'a String, &'a Value)>) {
        self.from = "the document root".into();
        let mut stack = Vec::new();
        for (k, child) in members {
            self.member(k, child, &mut stack);
        }
        self.drain(&mut stack);
    }

    fn drain(&mut self, stack: &mut Vec<&Value>) {
        while let Some(v) = stack.pop() {
            match v {
                Value::Object(map) => {
                    for (k, child) in map {
                        self.member(k, child, stack);
                    }
                }
                Value::Array(items) => stack.extend(items),
                _ => {}
            }
        }
    }

    fn member<'a>(&mut self, key: &str, child: &'a Value, stack: &mut Vec<&'a Value>) {
        match (key, child) {
            ("$ref", Value::String(r)) => self.reference(r),
            ("discriminator", Value::Object(d)) => {
                for target in d.get("mapping").and_then(Value::as_object).into_iter().flat_map(|m| m.values()) {
                    match target.as_str() {
                        Some(t) if t.contains('#') || t.contains('/') => self.reference(t),
                        Some(name) => self.mark("schemas", name),
                        None => {}
                    }
                }
            }
            ("security", Value::Array(reqs)) => {
                for req in reqs.iter().filter_map(Value::as_object) {
                    for scheme in req.keys() {
                        self.mark("securitySchemes", scheme);
                    }
                }
            }
            _ => stack.push(child),
        }
    }
}

/// RFC 6901 token unescaping (`~1` -> `/`, `~0` -> `~`).
fn unescape_token(t: &str) -> String {
    t.replace("~1", "/").replace("~0", "~")
}

/// URI-fragment percent-decoding (`%7B` -> `{`); invalid escapes stay as written.
fn decode_fragment(fragment: &str) -> String {
    if !fragment.contains('%') {
        return fragment.to_string();
    }
    let bytes = fragment.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| fragment.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn globs() {
        assert!(glob_match("/faxes*", "/faxes"));
        assert!(glob_match("/faxes*", "/faxes/{id}/actions/cancel"));
        assert!(!glob_match("/faxes*", "/fax_applications"));
        assert!(glob_match("fax.*", "fax.media.processed"));
        assert!(!glob_match("fax.*", "call.fax"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
        assert!(glob_match("/x", "/x"));
        assert!(!glob_match("/x", "/xy"));
    }

    #[test]
    fn patterns() {
        assert_eq!(Pattern::parse("/faxes*").unwrap(), Pattern::Path("/faxes*".into()));
        assert_eq!(Pattern::parse("tag:Fax").unwrap(), Pattern::Tag("Fax".into()));
        assert_eq!(Pattern::parse("fax.*").unwrap(), Pattern::Webhook("fax.*".into()));
        assert!(Pattern::parse("tag:").is_err());
        assert!(Pattern::parse(" ").is_err());
    }

    #[test]
    fn fragments() {
        assert_eq!(decode_fragment("/paths/~1a%7Bid%7D"), "/paths/~1a{id}");
        assert_eq!(decode_fragment("/x%"), "/x%");
        assert_eq!(decode_fragment("/x%4"), "/x%4");
        assert_eq!(decode_fragment("/x%41é%"), "/x%41é%".replace("%41", "A"));
        assert_eq!(decode_fragment("/x%zz"), "/x%zz");
    }

    #[test]
    fn reachability_follows_refs_mapping_and_security() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "security": [{"bearer": []}],
            "paths": {
                "/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/R"}}}},
                "/b": {"get": {"responses": {"200": {"description": "x", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unused"}}}}}}}
            },
            "components": {
                "responses": {"R": {"description": "r", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/U"}}}}},
                "schemas": {
                    "U": {"oneOf": [{"$ref": "#/components/schemas/A"}], "discriminator": {"propertyName": "k", "mapping": {"b": "B", "c": "#/components/schemas/C"}}},
                    "A": {"type": "object"}, "B": {"type": "object"}, "C": {"properties": {"self": {"$ref": "#/components/schemas/C"}}},
                    "Unused": {"type": "string"}
                },
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}, "other": {"type": "apiKey", "in": "header", "name": "k"}}
            }
        });
        let r = subset(&mut doc, &["/a"]).unwrap();
        assert_eq!(r.operations, Count { before: 2, after: 1 });
        let schemas: Vec<&String> = doc["components"]["schemas"].as_object().unwrap().keys().collect();
        assert_eq!(schemas, ["U", "A", "B", "C"]);
        let schemes: Vec<&String> = doc["components"]["securitySchemes"].as_object().unwrap().keys().collect();
        assert_eq!(schemes, ["bearer"]);
    }
}
