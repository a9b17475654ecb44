//! JSON Schema questions about the document: is an example valid against
//! its schema, which properties does a schema declare, which values does an
//! enum list.
//!
//! Validation uses the `jsonschema` crate (maintained, drafts 4 to 2020-12)
//! with the whole document registered once as a resource, so every `$ref`
//! resolves where the document put it. OpenAPI 3.1 schemas are JSON Schema
//! 2020-12 and are used as they are. OpenAPI 3.0 schemas are a dialect of
//! draft 4 (boolean `exclusiveMinimum`, `$ref` siblings ignored) plus
//! `nullable`, which draft 4 does not know: a copy of the document is
//! validated as draft 4 after rewriting `nullable: true` as `"null"` added to
//! `type` (and to `enum`), or, on a schema without `type`, as
//! `anyOf: [{type: null}, <the schema>]`. Formats are checked (a date-time
//! example that is not one is the document's defect, not the generator's).
//! OpenAPI-only keywords (`discriminator`, `example`, `readOnly`, `xml`)
//! are annotations and do not reject anything.

use jsonschema::{Draft, Registry, Resource, Validator};
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap};

const DOC_URI: &str = "urn:conform:document";

/// Validators per schema pointer, built on demand against the document.
pub struct SchemaCheck {
    registry: Option<Registry>,
    draft: Draft,
    cache: HashMap<String, Option<Validator>>,
    /// Why the document itself could not be registered, if it could not.
    pub setup_error: Option<String>,
}

impl SchemaCheck {
    /// Registers `doc` (3.0 documents rewritten for `nullable`).
    pub fn new(doc: &Value) -> Self {
        let is_31 = doc.get("openapi").and_then(Value::as_str).is_some_and(|v| v.starts_with("3.1"));
        let (draft, contents) = if is_31 { (Draft::Draft202012, doc.clone()) } else { (Draft::Draft4, rewrite_nullable(doc.clone())) };
        let contents = imply_object(contents);
        let resource: Resource = draft.create_resource(contents);
        match Registry::options().draft(draft).build([(DOC_URI, resource)]) {
            Ok(registry) => SchemaCheck { registry: Some(registry), draft, cache: HashMap::new(), setup_error: None },
            Err(e) => SchemaCheck { registry: None, draft, cache: HashMap::new(), setup_error: Some(e.to_string()) },
        }
    }

    /// `Some(message)` when `value` is invalid against the schema at `pointer`;
    /// `None` when valid or when the schema cannot be compiled (then the
    /// example is judged by decoding alone).
    pub fn violation(&mut self, pointer: &str, value: &Value) -> Option<String> {
        let registry = self.registry.as_ref()?;
        let draft = self.draft;
        let validator = self.cache.entry(pointer.to_string()).or_insert_with(|| {
            let wrapper = json!({ "$ref": format!("{DOC_URI}#{}", pointer_to_fragment(pointer)) });
            jsonschema::options().with_draft(draft).with_registry(registry.clone()).should_validate_formats(true).build(&wrapper).ok()
        });
        let validator = validator.as_ref()?;
        let errors: Vec<String> = validator.iter_errors(value).take(3).map(|e| format!("{} at `{}`", e, e.instance_path())).collect();
        (!errors.is_empty()).then(|| errors.join("; "))
    }
}

/// A JSON pointer as a URI fragment (percent-encoding what a fragment cannot hold).
fn pointer_to_fragment(pointer: &str) -> String {
    let mut out = String::new();
    for b in pointer.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// 3.0's `nullable` in draft-4 terms (see the module doc).
fn rewrite_nullable(mut v: Value) -> Value {
    fn go(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    if k != "example" && k != "examples" && k != "enum" && k != "default" {
                        go(child);
                    }
                }
                if map.get("nullable") == Some(&Value::Bool(true)) {
                    map.remove("nullable");
                    match map.get_mut("type") {
                        Some(Value::String(t)) => {
                            let t = t.clone();
                            map.insert("type".into(), json!([t, "null"]));
                            if let Some(Value::Array(values)) = map.get_mut("enum") {
                                if !values.contains(&Value::Null) {
                                    values.push(Value::Null);
                                }
                            }
                        }
                        _ => {
                            let inner: Map<String, Value> = std::mem::take(map);
                            map.insert("anyOf".into(), json!([{ "type": "null" }, Value::Object(inner)]));
                        }
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(go),
            _ => {}
        }
    }
    go(&mut v);
    v
}

/// A schema that declares `properties` but no `type` (nor `$ref` or a
/// composition) is read as `type: object`, as the generator reads it (a
/// struct): JSON Schema alone would take any non-object there, so a string
/// example under InfluxDB's `LineProtocolLengthError` (JSON text in a
/// string, whose `code` is not even one of the enum's values) counted
/// against the client instead of as the document's defect.
fn imply_object(mut v: Value) -> Value {
    fn go(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    if !matches!(k.as_str(), "example" | "examples" | "enum" | "default" | "const") {
                        go(child);
                    }
                }
                let declares = map.get("properties").and_then(Value::as_object).is_some_and(|p| p.values().all(|s| s.is_object() || s.is_boolean()));
                let open = ["type", "$ref", "allOf", "anyOf", "oneOf", "not", "enum", "const"].iter().all(|k| !map.contains_key(*k));
                if declares && open {
                    map.insert("type".into(), json!("object"));
                }
            }
            Value::Array(items) => items.iter_mut().for_each(go),
            _ => {}
        }
    }
    go(&mut v);
    v
}

/// Read-only questions about schemas in the (untouched) document.
pub struct Resolver<'a> {
    /// The document.
    pub doc: &'a Value,
}

impl Resolver<'_> {
    /// Every property name the schema at `pointer` declares, through `$ref`,
    /// `allOf`, `oneOf` and `anyOf`.
    pub fn declared(&self, pointer: &str, out: &mut BTreeSet<String>, depth: usize) {
        let Some(s) = self.doc.pointer(pointer) else { return };
        self.declared_in(s, out, depth);
    }

    fn declared_in(&self, s: &Value, out: &mut BTreeSet<String>, depth: usize) {
        if depth > 12 {
            return;
        }
        if let Some(r) = s.get("$ref").and_then(Value::as_str).and_then(super::examples::fragment_pointer) {
            self.declared(&r, out, depth + 1);
        }
        if let Some(props) = s.get("properties").and_then(Value::as_object) {
            out.extend(props.keys().cloned());
        }
        for kw in ["allOf", "oneOf", "anyOf"] {
            for m in s.get(kw).and_then(Value::as_array).into_iter().flatten() {
                self.declared_in(m, out, depth + 1);
            }
        }
    }

    /// The string values the enum at `pointer` lists, through `$ref` and
    /// `allOf`; `None` when it is not a plain enum (then nothing is judged).
    pub fn enum_values(&self, pointer: &str) -> Option<Vec<String>> {
        let mut s = self.doc.pointer(pointer)?;
        for _ in 0..8 {
            if let Some(vals) = s.get("enum").and_then(Value::as_array) {
                return Some(vals.iter().filter_map(|v| v.as_str().map(str::to_string)).collect());
            }
            if let Some(c) = s.get("const").and_then(Value::as_str) {
                return Some(vec![c.to_string()]);
            }
            let next = match s.get("$ref").and_then(Value::as_str).and_then(super::examples::fragment_pointer) {
                Some(r) => self.doc.pointer(&r)?,
                None => match s.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
                    Some([one]) => one,
                    _ => return None,
                },
            };
            s = next;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 26: a string example under a schema that declares properties
    /// and no type is the document's defect (the generator's struct cannot
    /// hold it), not the client's; objects, and schemas with a type, are
    /// judged as before.
    #[test]
    fn properties_without_type_are_objects() {
        let doc = json!({"openapi": "3.0.3", "components": {"schemas": {
            "E": {"properties": {"code": {"type": "string"}}, "required": ["code"]},
            "S": {"type": "string", "properties": {"x": {"type": "string"}}}
        }}});
        let mut check = SchemaCheck::new(&doc);
        assert!(check.violation("/components/schemas/E", &json!("{\"code\":\"x\"}")).is_some());
        assert!(check.violation("/components/schemas/E", &json!({"code": "x"})).is_none());
        assert!(check.violation("/components/schemas/S", &json!("text")).is_none());
    }
}
