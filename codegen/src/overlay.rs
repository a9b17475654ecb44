//! Fixing a document without forking it (`cargo xtask generate --overlay FILE`).
//!
//! An overlay file (YAML or JSON) is one of two things, told apart by shape:
//!
//! * an [OpenAPI Overlay 1.0] document: a mapping with `overlay: 1.0.x` and
//!   `actions: [{target: <JSONPath>, update: ...} | {target, remove: true}]`,
//!   applied in order;
//! * an RFC 6902 JSON Patch: a sequence of `{op, path, ...}` operations
//!   (applied by the `json-patch` crate).
//!
//! Targets use the JSONPath subset real overlays use: `$`, `.key`, `['key']`
//! (or `["key"]`), `[n]` (negative from the end), `[*]` and `.*`. Filters,
//! slices, unions and recursive descent are rejected with an error naming the
//! column. `update` follows the Overlay specification: on an object it is
//! merged (nested objects recursively, any other value replaced); on an array
//! it is appended (an array update appends each item); on any other node it
//! replaces the node. `remove: true` removes each selected node from its
//! parent. An action whose target selects nothing is a warning.
//!
//! Overlays run on the raw document, before 3.1 normalisation, so targets are
//! written against the document as published.
//!
//! [OpenAPI Overlay 1.0]: https://spec.openapis.org/overlay/v1.0.0.html

use crate::diagnostics::{Diagnostics, Error};
use serde_json::Value;
use std::path::Path;

/// One step of a target path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `.key` or `['key']`.
    Key(String),
    /// `[n]`; negative counts from the end.
    Index(i64),
    /// `.*` or `[*]`: every member of an object or array.
    Wildcard,
}

/// One Overlay action.
#[derive(Debug, Clone)]
pub struct Action {
    /// The target as written.
    pub target: String,
    /// The parsed target.
    pub steps: Vec<Step>,
    /// What to merge into each selected node.
    pub update: Option<Value>,
    /// Remove each selected node instead.
    pub remove: bool,
}

/// A parsed overlay file.
#[derive(Debug, Clone)]
pub enum Overlay {
    /// OpenAPI Overlay 1.0 actions.
    Actions(Vec<Action>),
    /// RFC 6902 operations.
    Patch(json_patch::Patch),
}

/// A segment of a concrete location in the document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Seg {
    Key(String),
    Index(usize),
}

impl Overlay {
    /// Reads an overlay file (`.json` with the JSON parser, anything else as YAML).
    pub fn load_file(path: &Path) -> Result<Overlay, Error> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::msg(format!("cannot read overlay: {e}")).in_file(&display))?;
        let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        Overlay::parse(&text, is_json).map_err(|e| e.in_file(display))
    }

    /// Parses overlay text.
    pub fn parse(text: &str, is_json: bool) -> Result<Overlay, Error> {
        Overlay::from_value(crate::load::parse_value(text, is_json)?)
    }

    /// Reads an overlay from a parsed value, telling the two kinds apart by shape.
    pub fn from_value(value: Value) -> Result<Overlay, Error> {
        match value {
            Value::Array(_) => {
                let patch: json_patch::Patch = crate::load::deserialize_at_pointer(&value, "")
                    .map_err(|e| Error { message: format!("not a valid JSON Patch (RFC 6902): {}", e.message), ..e })?;
                Ok(Overlay::Patch(patch))
            }
            Value::Object(map) if map.contains_key("overlay") => {
                let version = map.get("overlay");
                match version.and_then(Value::as_str) {
                    Some(v) if v == "1" || v.starts_with("1.") => {}
                    _ => {
                        let shown = version.map(|v| v.to_string()).unwrap_or_default();
                        return Err(Error::at("/overlay", format!("unsupported Overlay version {shown} (expected 1.0.x)")));
                    }
                }
                let Some(Value::Array(raw)) = map.get("actions") else {
                    return Err(Error::at("/actions", "an Overlay document needs an `actions` sequence"));
                };
                let mut actions = Vec::with_capacity(raw.len());
                for (i, a) in raw.iter().enumerate() {
                    let ptr = format!("/actions/{i}");
                    let Some(obj) = a.as_object() else { return Err(Error::at(ptr, "an action must be a mapping")) };
                    let Some(target) = obj.get("target").and_then(Value::as_str) else {
                        return Err(Error::at(format!("{ptr}/target"), "an action needs a `target` JSONPath string"));
                    };
                    let steps = parse_target(target).map_err(|m| Error::at(format!("{ptr}/target"), m))?;
                    let remove = match obj.get("remove") {
                        None | Some(Value::Null) => false,
                        Some(Value::Bool(b)) => *b,
                        Some(_) => return Err(Error::at(format!("{ptr}/remove"), "`remove` must be true or false")),
                    };
                    actions.push(Action { target: target.to_string(), steps, update: obj.get("update").cloned(), remove });
                }
                Ok(Overlay::Actions(actions))
            }
            Value::Object(map) if map.contains_key("actions") => {
                Err(Error::at("/overlay", "an Overlay document needs `overlay: 1.0.0`"))
            }
            _ => Err(Error::at(
                "",
                "neither an OpenAPI Overlay 1.0 document (`overlay: 1.0.0` with `actions`) nor a JSON Patch (a sequence of operations)",
            )),
        }
    }

    /// Applies the overlay to `doc` in place. Warnings (targets that select
    /// nothing) are returned; on error `doc` may be partly changed.
    pub fn apply(&self, doc: &mut Value) -> Result<Diagnostics, Error> {
        let mut diags = Diagnostics::default();
        match self {
            Overlay::Patch(patch) => {
                // Non-atomic variant: on error the caller drops the document anyway.
                json_patch::patch_unsafe(doc, patch).map_err(|e| {
                    Error::msg(format!("JSON Patch operation {} (path `{}`) failed: {}", e.operation, e.path, e.kind))
                })?;
            }
            Overlay::Actions(actions) => {
                for (i, action) in actions.iter().enumerate() {
                    let ptr = format!("/actions/{i}");
                    let mut found = select(doc, &action.steps);
                    if found.is_empty() {
                        diags.warn("overlay-no-match", ptr, format!("target `{}` selects nothing; action skipped", action.target));
                        continue;
                    }
                    if action.remove {
                        if found.iter().any(Vec::is_empty) {
                            return Err(Error::at(ptr, "cannot remove the whole document (`$`)"));
                        }
                        // Deepest-last order, highest index first, so earlier removals do not shift later ones.
                        found.sort();
                        for loc in found.iter().rev() {
                            remove_at(doc, loc);
                        }
                    } else if let Some(update) = &action.update {
                        for loc in &found {
                            if let Some(node) = node_mut(doc, loc) {
                                apply_update(node, update);
                            }
                        }
                    } else {
                        diags.warn("overlay-no-op", ptr, format!("action on `{}` has neither `update` nor `remove: true`; skipped", action.target));
                    }
                }
            }
        }
        Ok(diags)
    }
}

/// Parses a target in the supported JSONPath subset.
pub fn parse_target(target: &str) -> Result<Vec<Step>, String> {
    const SUPPORTED: &str = "supported: `$`, `.key`, `['key']`, `[n]`, `[*]`, `.*`";
    let unsupported = |col: usize, what: &str| format!("unsupported JSONPath in `{target}` at column {}: {what} ({SUPPORTED})", col + 1);
    let chars: Vec<char> = target.trim().chars().collect();
    if chars.first() != Some(&'$') {
        return Err(format!("JSONPath `{target}` must start with `$`"));
    }
    let mut steps = Vec::new();
    let mut i = 1;
    while i < chars.len() {
        match chars[i] {
            '.' => {
                i += 1;
                match chars.get(i) {
                    Some('.') => return Err(unsupported(i - 1, "recursive descent `..`")),
                    Some('*') => {
                        steps.push(Step::Wildcard);
                        i += 1;
                    }
                    Some('[') | None => return Err(unsupported(i - 1, "`.` must be followed by a name or `*`")),
                    Some(_) => {
                        let start = i;
                        while i < chars.len() && chars[i] != '.' && chars[i] != '[' {
                            if chars[i].is_whitespace() || matches!(chars[i], ']' | '\'' | '"' | '(' | ')' | '?' | '@') {
                                return Err(unsupported(i, &format!("`{}` in a dotted name (quote it: `['...']`)", chars[i])));
                            }
                            i += 1;
                        }
                        steps.push(Step::Key(chars[start..i].iter().collect()));
                    }
                }
            }
            '[' => {
                let open = i;
                i += 1;
                skip_ws(&chars, &mut i);
                let step = match chars.get(i) {
                    Some('*') => {
                        i += 1;
                        Step::Wildcard
                    }
                    Some(&q) if q == '\'' || q == '"' => {
                        i += 1;
                        let mut key = String::new();
                        loop {
                            match chars.get(i) {
                                None => return Err(format!("JSONPath `{target}`: unterminated string starting at column {}", open + 2)),
                                Some('\\') => {
                                    let c = chars.get(i + 1).copied().ok_or_else(|| format!("JSONPath `{target}`: dangling `\\`"))?;
                                    key.push(match c {
                                        'n' => '\n',
                                        't' => '\t',
                                        'r' => '\r',
                                        'b' => '\u{8}',
                                        'f' => '\u{c}',
                                        other => other,
                                    });
                                    i += 2;
                                }
                                Some(&c) if c == q => {
                                    i += 1;
                                    break;
                                }
                                Some(&c) => {
                                    key.push(c);
                                    i += 1;
                                }
                            }
                        }
                        Step::Key(key)
                    }
                    Some(c) if c.is_ascii_digit() || *c == '-' => {
                        let start = i;
                        i += 1;
                        while i < chars.len() && chars[i].is_ascii_digit() {
                            i += 1;
                        }
                        let text: String = chars[start..i].iter().collect();
                        match text.parse::<i64>() {
                            Ok(n) => Step::Index(n),
                            Err(_) => return Err(unsupported(start, &format!("`{text}` is not an index"))),
                        }
                    }
                    Some('?') => return Err(unsupported(i, "filter expressions `[?...]`")),
                    Some(_) | None => return Err(unsupported(i, "unexpected character in brackets")),
                };
                skip_ws(&chars, &mut i);
                match chars.get(i) {
                    Some(']') => i += 1,
                    Some(',') => return Err(unsupported(i, "unions `[a,b]`")),
                    Some(':') => return Err(unsupported(i, "slices `[a:b]`")),
                    _ => return Err(unsupported(i.min(chars.len()), "expected `]`")),
                }
                steps.push(step);
            }
            c => return Err(unsupported(i, &format!("unexpected `{c}`"))),
        }
    }
    Ok(steps)
}

fn skip_ws(chars: &[char], i: &mut usize) {
    while *i < chars.len() && chars[*i].is_whitespace() {
        *i += 1;
    }
}

/// Every location the steps select, in document order.
fn select(doc: &Value, steps: &[Step]) -> Vec<Vec<Seg>> {
    let mut current: Vec<(Vec<Seg>, &Value)> = vec![(Vec::new(), doc)];
    for step in steps {
        let mut next = Vec::new();
        for (loc, node) in current {
            let at = |seg: Seg| {
                let mut l = loc.clone();
                l.push(seg);
                l
            };
            match (step, node) {
                (Step::Key(k), Value::Object(m)) => {
                    if let Some(c) = m.get(k) {
                        next.push((at(Seg::Key(k.clone())), c));
                    }
                }
                (Step::Index(n), Value::Array(a)) => {
                    let idx = if *n < 0 { a.len().checked_sub(n.unsigned_abs() as usize) } else { usize::try_from(*n).ok() };
                    if let Some((i, c)) = idx.and_then(|i| a.get(i).map(|c| (i, c))) {
                        next.push((at(Seg::Index(i)), c));
                    }
                }
                (Step::Wildcard, Value::Object(m)) => {
                    for (k, c) in m {
                        next.push((at(Seg::Key(k.clone())), c));
                    }
                }
                (Step::Wildcard, Value::Array(a)) => {
                    for (i, c) in a.iter().enumerate() {
                        next.push((at(Seg::Index(i)), c));
                    }
                }
                _ => {}
            }
        }
        current = next;
    }
    current.into_iter().map(|(l, _)| l).collect()
}

fn node_mut<'a>(doc: &'a mut Value, loc: &[Seg]) -> Option<&'a mut Value> {
    let mut node = doc;
    for seg in loc {
        node = match (seg, node) {
            (Seg::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

fn remove_at(doc: &mut Value, loc: &[Seg]) {
    let Some((last, parent)) = loc.split_last() else { return };
    match (last, node_mut(doc, parent)) {
        (Seg::Key(k), Some(Value::Object(m))) => {
            m.shift_remove(k);
        }
        (Seg::Index(i), Some(Value::Array(a))) if *i < a.len() => {
            a.remove(*i);
        }
        _ => {}
    }
}

/// The Overlay `update` of one selected node.
fn apply_update(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Array(items), Value::Array(more)) => items.extend(more.iter().cloned()),
        (Value::Array(items), one) => items.push(one.clone()),
        (node, update) => merge(node, update),
    }
}

/// Deep merge: objects merge key by key, anything else is replaced.
pub fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(target), Value::Object(patch)) => {
            for (k, v) in patch {
                match target.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        target.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (node, update) => *node = update.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn targets() {
        assert_eq!(parse_target("$").unwrap(), vec![]);
        assert_eq!(
            parse_target("$.paths['/faxes'].get.parameters[0]").unwrap(),
            vec![Step::Key("paths".into()), Step::Key("/faxes".into()), Step::Key("get".into()), Step::Key("parameters".into()), Step::Index(0)]
        );
        assert_eq!(parse_target("$.paths[*].*[\"x\\\"y\"][-1]").unwrap(), vec![
            Step::Key("paths".into()),
            Step::Wildcard,
            Step::Wildcard,
            Step::Key("x\"y".into()),
            Step::Index(-1)
        ]);
        for bad in ["paths", "$..x", "$.a[?(@.x)]", "$.a[1:2]", "$.a['x','y']", "$.a[", "$.a['x", "$.", "$x", "$.a b", "$[-]"] {
            let e = parse_target(bad).unwrap_err();
            assert!(e.contains(bad), "{bad}: {e}");
        }
        assert!(parse_target("$..x").unwrap_err().contains("recursive descent"));
        assert!(parse_target("$.a[?(@.x)]").unwrap_err().contains("filter"));
    }

    #[test]
    fn update_and_remove() {
        let mut doc = json!({"a": {"b": {"c": 1, "d": [1]}, "e": [1, 2, 3]}, "s": "x"});
        let o = Overlay::from_value(json!({"overlay": "1.0.0", "actions": [
            {"target": "$.a.b", "update": {"c": 2, "d": [9], "n": {"m": true}}},
            {"target": "$.a.e", "update": 4},
            {"target": "$.a.e[0]", "remove": true},
            {"target": "$.s", "update": {"now": "object"}},
            {"target": "$.missing", "update": {}}
        ]}))
        .unwrap();
        let d = o.apply(&mut doc).unwrap();
        assert_eq!(doc, json!({"a": {"b": {"c": 2, "d": [9], "n": {"m": true}}, "e": [2, 3, 4]}, "s": {"now": "object"}}));
        assert_eq!(d.items().len(), 1);
        assert_eq!(d.items()[0].kind, "overlay-no-match");
    }

    #[test]
    fn wildcard_remove_keeps_indices_right() {
        let mut doc = json!({"p": [{"x": 1}, {"x": 2}, {"x": 3}]});
        let o = Overlay::from_value(json!({"overlay": "1.0.0", "actions": [{"target": "$.p[*].x", "remove": true}, {"target": "$.p[1]", "remove": true}]})).unwrap();
        o.apply(&mut doc).unwrap();
        assert_eq!(doc, json!({"p": [{}, {}]}));
    }
}
