//! Stage 1: text -> `serde_json::Value` -> (3.1 normalised) -> `openapiv3::OpenAPI`.
//!
//! YAML goes through `yaml_serde` (the maintained successor of `serde_yaml`);
//! JSON is YAML too, so one parser reads both, but a `.json` file uses
//! `serde_json` directly for its better error positions and speed.
//! `openapiv3` models OpenAPI 3.0 only; [`crate::normalize`] rewrites 3.1
//! constructs first. Deserialisation runs through `serde_path_to_error` so a
//! type error names the JSON pointer where it happened.

use crate::diagnostics::{Diagnostics, Error};
use crate::normalize;
use serde_json::Value;
use std::path::Path;

/// A parsed document, ready to lower.
#[derive(Debug)]
pub struct LoadedSpec {
    /// The typed 3.0 model.
    pub openapi: openapiv3::OpenAPI,
    /// The normalised document as JSON, for lookups `openapiv3` does not model
    /// (the 3.1 `webhooks` map lives here, under `/webhooks`).
    pub raw: Value,
    /// The version the document declared (`3.0.0`, `3.1.0`, ...).
    pub declared_version: String,
    /// Findings of the load and normalise stages.
    pub diagnostics: Diagnostics,
}

/// Reads and parses a spec file (YAML or JSON).
pub fn load_file(path: &Path) -> Result<LoadedSpec, Error> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::msg(format!("cannot read spec: {e}")).in_file(&display))?;
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    load_str(&text, is_json).map_err(|e| e.in_file(display))
}

/// Reads and parses a spec file into a `Value` without normalising it, for
/// transforms on the document as published ([`crate::overlay`],
/// [`crate::subset`]); errors name the file. Continue with [`from_value`].
pub fn read_value(path: &Path) -> Result<Value, Error> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::msg(format!("cannot read spec: {e}")).in_file(&display))?;
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    parse_value(&text, is_json).map_err(|e| e.in_file(display))
}

/// Parses spec text; `is_json` selects the JSON parser.
pub fn load_str(text: &str, is_json: bool) -> Result<LoadedSpec, Error> {
    let value = parse_value(text, is_json)?;
    from_value(value)
}

/// Parses YAML or JSON into a `Value`, with line and column on failure.
pub fn parse_value(text: &str, is_json: bool) -> Result<Value, Error> {
    if is_json {
        serde_json::from_str(text).map_err(|e| Error {
            file: None,
            pointer: None,
            line: Some((e.line(), e.column())),
            message: format!("invalid JSON: {e}"),
        })
    } else {
        serde_yaml::from_str::<yaml::AnyJson>(text).map(|v| v.0).map_err(|e| {
            let line = e.location().map(|l| (l.line(), l.column()));
            Error { file: None, pointer: None, line, message: format!("invalid YAML: {e}") }
        })
    }
}

/// Normalises a parsed document and reads it into the `openapiv3` model.
pub fn from_value(mut value: Value) -> Result<LoadedSpec, Error> {
    let mut diagnostics = Diagnostics::default();
    let declared_version = normalize::check_version(&value)?;
    normalize::normalize(&mut value, &declared_version, &mut diagnostics)?;
    let openapi = deserialize_repairing(&mut value, &mut diagnostics)?;
    Ok(LoadedSpec { openapi, raw: value, declared_version, diagnostics })
}

/// At most this many defects are repaired before the document is refused.
const MAX_REPAIRS: usize = 2000;

/// Reads the document into the `openapiv3` model. A part that does not fit
/// the model is repaired or skipped with a warning instead of rejecting the
/// whole document: the innermost schema around the defect becomes "any JSON
/// value", else the parameter, operation, path or component holding it is
/// dropped. Only a defect outside all of these is fatal.
fn deserialize_repairing(value: &mut Value, diags: &mut Diagnostics) -> Result<openapiv3::OpenAPI, Error> {
    for _ in 0..MAX_REPAIRS {
        let err = match deserialize_at_pointer::<openapiv3::OpenAPI>(value, "") {
            Ok(api) => return Ok(api),
            Err(e) => e,
        };
        let Some(ptr) = err.pointer.clone() else { return Err(err) };
        let Some((at, what)) = repair(value, &ptr) else { return Err(err) };
        let detail = err.message.trim_start_matches("does not match the OpenAPI 3.0 model: ");
        diags.warn("invalid-part", at, format!("does not fit the OpenAPI 3.0 model ({detail}); {what}"));
    }
    Err(Error::msg(format!("more than {MAX_REPAIRS} parts of the document do not fit the OpenAPI 3.0 model")))
}

/// Repairs the innermost enclosing part of `ptr` that can stand alone;
/// returns its pointer and what was done, or `None` if nothing encloses it.
fn repair(doc: &mut Value, ptr: &str) -> Option<(String, &'static str)> {
    let ptr = refine(doc, ptr);
    let segs: Vec<&str> = ptr.split('/').skip(1).collect();
    // (number of segments of the enclosing part, what it is)
    let mut best: Option<(usize, Part)> = None;
    for i in 0..segs.len() {
        let at = |k: usize, s: &str| segs.get(k) == Some(&s);
        let found = match segs[i] {
            "schema" | "items" | "not" | "additionalProperties" if i > 0 => Some((i + 1, Part::Schema)),
            "properties" | "allOf" | "oneOf" | "anyOf" if i + 1 < segs.len() && i > 0 => Some((i + 2, Part::Schema)),
            "parameters" if i + 1 < segs.len() && segs[i + 1].parse::<usize>().is_ok() => Some((i + 2, Part::Remove)),
            _ => None,
        };
        let found = found.or_else(|| match i {
            0 if at(0, "components") && at(1, "schemas") && segs.len() > 2 => Some((3, Part::Schema)),
            0 if (at(0, "components") || at(0, "paths")) && segs.len() > 2 => Some((if at(0, "paths") { 2 } else { 3 }, Part::Remove)),
            0 if at(0, "webhooks") && segs.len() > 1 => Some((2, Part::Remove)),
            2 if at(0, "paths") && segs.len() >= 3 && !at(2, "parameters") => Some((3, Part::Remove)),
            _ => None,
        });
        if let Some((n, part)) = found {
            if n <= segs.len() && best.is_none_or(|(b, _)| n > b) {
                best = Some((n, part));
            }
        }
    }
    let (n, part) = best?;
    let mut at = format!("/{}", segs[..n].join("/"));
    match part {
        Part::Schema => {
            at = narrow(doc, at);
            let target = doc.pointer_mut(&at)?;
            let mut any = serde_json::Map::new();
            if let Some(d) = target.get("description").filter(|d| d.is_string()) {
                any.insert("description".into(), d.clone());
            }
            if *target == Value::Object(any.clone()) {
                return None; // already as loose as it gets: do not loop
            }
            *target = Value::Object(any);
            Some((at, "the schema is read as any JSON value"))
        }
        Part::Remove => {
            let (parent, last) = at.rsplit_once('/')?;
            let last = last.replace("~1", "/").replace("~0", "~");
            match doc.pointer_mut(parent)? {
                Value::Object(m) => {
                    m.shift_remove(&last)?;
                }
                Value::Array(a) => {
                    let i: usize = last.parse().ok()?;
                    if i >= a.len() {
                        return None;
                    }
                    a.remove(i);
                }
                _ => return None,
            }
            Some((at, "skipped"))
        }
    }
}

/// The error path stops at the first untagged enum (`ReferenceOr`), which
/// for `paths` and `components` is the whole map: find the entry (and the
/// operation) that does not fit by reading each on its own.
fn refine(doc: &Value, ptr: &str) -> String {
    use openapiv3::{Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
    fn fits<T: serde::de::DeserializeOwned>(v: &Value) -> bool {
        T::deserialize(v).is_ok()
    }
    let esc = crate::diagnostics::escape_token;
    let segs: Vec<&str> = ptr.split('/').skip(1).collect();
    match segs.as_slice() {
        ["paths"] | ["paths", _] => {
            let Some(Value::Object(paths)) = doc.get("paths") else { return ptr.to_string() };
            for (path, item) in paths {
                if segs.len() == 2 && esc(path) != segs[1] {
                    continue;
                }
                if fits::<ReferenceOr<PathItem>>(item) {
                    continue;
                }
                let at = format!("/paths/{}", esc(path));
                if let Value::Object(ops) = item {
                    for (method, op) in ops {
                        let is_op = matches!(method.as_str(), "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace");
                        // Read as a path item of this operation alone, as the whole is.
                        let alone = Value::Object([(method.clone(), op.clone())].into_iter().collect());
                        if is_op && !fits::<PathItem>(&alone) {
                            return format!("{at}/{method}");
                        }
                    }
                }
                return at;
            }
            ptr.to_string()
        }
        ["components"] | ["components", _] => {
            let Some(Value::Object(comps)) = doc.get("components") else { return ptr.to_string() };
            for (kind, entries) in comps {
                if segs.len() == 2 && kind != segs[1] {
                    continue;
                }
                let Value::Object(entries) = entries else { continue };
                for (name, v) in entries {
                    let ok = match kind.as_str() {
                        "schemas" => fits::<ReferenceOr<Schema>>(v),
                        "responses" => fits::<ReferenceOr<Response>>(v),
                        "parameters" => fits::<ReferenceOr<Parameter>>(v),
                        "requestBodies" => fits::<ReferenceOr<RequestBody>>(v),
                        _ => true,
                    };
                    if !ok {
                        return format!("/components/{kind}/{}", esc(name));
                    }
                }
            }
            ptr.to_string()
        }
        _ => ptr.to_string(),
    }
}

/// The innermost sub-schema of the schema at `ptr` that does not fit the
/// model (the error path stops at the first untagged enum, often a whole
/// component), so the repair loses as little as possible.
fn narrow(doc: &Value, ptr: String) -> String {
    let Some(Value::Object(map)) = doc.pointer(&ptr) else { return ptr };
    let mut children: Vec<(String, &Value)> = Vec::new();
    for (key, child) in map {
        match (key.as_str(), child) {
            ("properties", Value::Object(props)) => {
                children.extend(props.iter().map(|(k, v)| (format!("properties/{}", crate::diagnostics::escape_token(k)), v)));
            }
            ("allOf" | "oneOf" | "anyOf", Value::Array(items)) => {
                children.extend(items.iter().enumerate().map(|(i, v)| (format!("{key}/{i}"), v)));
            }
            ("items" | "not", _) | ("additionalProperties", Value::Object(_)) => children.push((key.clone(), child)),
            _ => {}
        }
    }
    for (rel, child) in children {
        if serde_json::from_value::<openapiv3::ReferenceOr<openapiv3::Schema>>(child.clone()).is_err() {
            return narrow(doc, format!("{ptr}/{rel}"));
        }
    }
    ptr
}

#[derive(Clone, Copy)]
enum Part {
    /// Replace by `{}` (any JSON value).
    Schema,
    /// Remove from the enclosing map or list.
    Remove,
}

/// Deserialises `value` into `T`; on failure the error names the JSON pointer
/// (relative to `base`) of the node that did not fit.
pub fn deserialize_at_pointer<T: serde::de::DeserializeOwned>(value: &Value, base: &str) -> Result<T, Error> {
    // Path tracking costs on every node; a document that fits does not need
    // it, so only a failure is deserialised again to find the pointer.
    if let Ok(parsed) = T::deserialize(value) {
        return Ok(parsed);
    }
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let mut pointer = base.to_string();
        for seg in e.path().iter() {
            use serde_path_to_error::Segment;
            match seg {
                Segment::Seq { index } => pointer = crate::diagnostics::join(&pointer, &index.to_string()),
                Segment::Map { key } => pointer = crate::diagnostics::join(&pointer, key),
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        let inner = e.into_inner().to_string();
        Error::at(pointer, format!("does not match the OpenAPI 3.0 model: {inner}"))
    })
}

/// YAML -> `serde_json::Value` the way its JSON twin would parse.
mod yaml {
    use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Number, Value};
    use std::fmt;

    /// A JSON value read from YAML. Differs from `Value`'s own `Deserialize`
    /// in two places YAML reaches and JSON does not: integers beyond 64 bits
    /// (valid JSON Schema bounds such as `minimum: -9223372036854776000`)
    /// become `f64`, as `serde_json` reads them from JSON text; and mapping
    /// keys that are numbers or booleans (`200:` response codes) become
    /// their text.
    pub struct AnyJson(pub Value);

    impl<'de> Deserialize<'de> for AnyJson {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(V).map(AnyJson)
        }
    }

    struct V;

    fn float<E: serde::de::Error>(f: f64) -> Result<Value, E> {
        Ok(Number::from_f64(f).map_or(Value::Null, Value::Number))
    }

    impl<'de> Visitor<'de> for V {
        type Value = Value;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any YAML value")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
            Ok(Value::Bool(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
            Ok(Value::Number(v.into()))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
            Ok(Value::Number(v.into()))
        }
        fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
            match i64::try_from(v) {
                Ok(i) => Ok(Value::Number(i.into())),
                Err(_) => float(v as f64),
            }
        }
        fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
            match u64::try_from(v) {
                Ok(u) => Ok(Value::Number(u.into())),
                Err(_) => float(v as f64),
            }
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
            float(v)
        }
        fn visit_str<E>(self, v: &str) -> Result<Value, E> {
            Ok(Value::String(v.to_string()))
        }
        fn visit_string<E>(self, v: String) -> Result<Value, E> {
            Ok(Value::String(v))
        }
        fn visit_none<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            d.deserialize_any(V)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut out = Vec::new();
            while let Some(AnyJson(v)) = seq.next_element()? {
                out.push(v);
            }
            Ok(Value::Array(out))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut out = Map::new();
            while let Some((AnyJson(k), AnyJson(v))) = map.next_entry()? {
                let key = match k {
                    Value::String(s) => s,
                    Value::Null => "null".to_string(),
                    other => other.to_string(),
                };
                out.insert(key, v);
            }
            Ok(Value::Object(out))
        }
    }
}

