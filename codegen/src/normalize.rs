//! OpenAPI 3.1 -> 3.0 rewrites on the raw JSON tree, so `openapiv3` (a 3.0
//! model) can read 3.1 documents. Each rewrite keeps the meaning:
//!
//! * `type: [T, "null"]` -> `type: T, nullable: true` (several non-null types
//!   -> no `type`, i.e. any JSON value, with a warning);
//! * `oneOf`/`anyOf` with a `{type: "null"}` member -> the other members, `nullable: true`;
//! * `const: v` -> `enum: [v]`;
//! * schema-level `examples: [..]` -> `example: <first>`;
//! * numeric `exclusiveMinimum`/`exclusiveMaximum` -> `minimum`/`maximum` + `true`;
//! * `contentMediaType` on a string -> `format: binary`;
//! * boolean schemas `true`/`false` -> `{}` / `{not: {}}`.
//!
//! The 3.1 top-level `webhooks` map stays in the raw tree for the webhook pass.
//! Only schema positions are rewritten: example values, defaults, enum values
//! and `x-` extensions are data and are never touched.

use crate::diagnostics::{join, Diagnostics, Error};
use serde_json::{Map, Value};

/// Reads and checks the `openapi` version field.
pub fn check_version(doc: &Value) -> Result<String, Error> {
    let Some(obj) = doc.as_object() else {
        return Err(Error::at("", "the document is not a mapping (expected an OpenAPI object)"));
    };
    if let Some(v) = obj.get("swagger") {
        return Err(Error::at(
            "/swagger",
            format!("Swagger {} is not supported: convert the document to OpenAPI 3.0 or 3.1 first", short(v)),
        ));
    }
    match obj.get("openapi") {
        None => Err(Error::at("/openapi", "missing `openapi` version field (expected 3.0.x or 3.1.x)")),
        Some(Value::String(s)) if s.starts_with("3.0.") || s.starts_with("3.1.") || s == "3.0" || s == "3.1" => Ok(s.clone()),
        Some(other) => Err(Error::at("/openapi", format!("unsupported OpenAPI version {} (expected 3.0.x or 3.1.x)", short(other)))),
    }
}

fn short(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Applies the 3.1 rewrites in place.
pub fn normalize(doc: &mut Value, version: &str, diags: &mut Diagnostics) -> Result<(), Error> {
    let Some(root) = doc.as_object_mut() else {
        return Err(Error::at("", "the document is not a mapping"));
    };
    if version.starts_with("3.1") {
        root.insert("openapi".into(), Value::String("3.0.3".into()));
        root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
        if let Some(Value::Object(info)) = root.get_mut("info") {
            if let Some(Value::Object(lic)) = info.get_mut("license") {
                lic.remove("identifier");
            }
        }
    }
    for (key, value) in root.iter_mut() {
        let ptr = join("", key);
        if key == "components" {
            if let Value::Object(comps) = value {
                for (ckey, cval) in comps.iter_mut() {
                    let cptr = join(&ptr, ckey);
                    if ckey == "schemas" {
                        if let Value::Object(schemas) = cval {
                            for (name, schema) in schemas.iter_mut() {
                                walk_schema(schema, &join(&cptr, name), diags);
                            }
                        }
                    } else {
                        walk(cval, &cptr, diags);
                    }
                }
            }
        } else if !key.starts_with("x-") {
            walk(value, &ptr, diags);
        }
    }
    Ok(())
}

/// Generic walk: finds `schema` keys outside component schemas.
fn walk(value: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "example" || key == "examples" || key == "default" || key.starts_with("x-") {
                    continue;
                }
                let cptr = join(ptr, key);
                if key == "schema" {
                    walk_schema(child, &cptr, diags);
                } else {
                    walk(child, &cptr, diags);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk(child, &join(ptr, &i.to_string()), diags);
            }
        }
        _ => {}
    }
}

fn is_null_schema(v: &Value) -> bool {
    v.get("type").and_then(Value::as_str) == Some("null") && v.as_object().is_some_and(|m| m.len() <= 2)
}

/// Rewrites one schema and recurses into its sub-schemas.
fn walk_schema(value: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    match value {
        Value::Bool(true) => {
            *value = Value::Object(Map::new());
            return;
        }
        Value::Bool(false) => {
            let mut m = Map::new();
            m.insert("not".into(), Value::Object(Map::new()));
            *value = Value::Object(m);
            return;
        }
        Value::Object(_) => {}
        _ => return,
    }
    let Value::Object(map) = value else { return };

    // type: [T, "null"]
    match map.get("type").cloned() {
        Some(Value::Array(types)) => {
            let mut nullable = false;
            let mut rest: Vec<Value> = Vec::new();
            for t in types {
                if t.as_str() == Some("null") {
                    nullable = true;
                } else {
                    rest.push(t);
                }
            }
            map.remove("type");
            if nullable {
                map.insert("nullable".into(), Value::Bool(true));
            }
            match rest.len() {
                0 => {}
                1 => {
                    map.insert("type".into(), rest.remove(0));
                }
                _ => {
                    let names: Vec<String> = rest.iter().map(short).collect();
                    diags.warn(
                        "multi-type",
                        ptr,
                        format!("`type: [{}]` has several types; read as any JSON value", names.join(", ")),
                    );
                }
            }
        }
        Some(Value::String(s)) if s == "null" => {
            map.remove("type");
            map.insert("nullable".into(), Value::Bool(true));
        }
        _ => {}
    }

    // oneOf/anyOf with a null member.
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            let before = members.len();
            members.retain(|m| !is_null_schema(m));
            if members.len() != before {
                map.insert("nullable".into(), Value::Bool(true));
            }
        }
    }

    if let Some(c) = map.remove("const") {
        if !map.contains_key("enum") {
            map.insert("enum".into(), Value::Array(vec![c]));
        }
    }
    if let Some(Value::Array(mut ex)) = map.remove("examples") {
        if !map.contains_key("example") && !ex.is_empty() {
            map.insert("example".into(), ex.swap_remove(0));
        }
    }
    for (excl, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(n @ Value::Number(_)) = map.get(excl).cloned() {
            map.insert(bound.into(), n);
            map.insert(excl.into(), Value::Bool(true));
        }
    }
    // 3.1 spells a file `contentMediaType: X` or (Discord's 44 upload
    // fields) `contentEncoding: binary`; 3.0 spells it `format: binary`.
    // `contentEncoding: base64` stays text.
    let binary = map.contains_key("contentMediaType") && !map.contains_key("contentEncoding")
        || map.get("contentEncoding").and_then(Value::as_str) == Some("binary");
    if binary && map.get("type").and_then(Value::as_str) == Some("string") && !map.contains_key("format") {
        map.insert("format".into(), Value::String("binary".into()));
    }
    repair_required(map, ptr, diags);
    hoist_annotation_members(map, ptr, diags);

    for (key, child) in map.iter_mut() {
        let cptr = join(ptr, key);
        match key.as_str() {
            "properties" | "patternProperties" | "$defs" | "definitions" => {
                if let Value::Object(props) = child {
                    for (name, s) in props.iter_mut() {
                        walk_schema(s, &join(&cptr, name), diags);
                    }
                }
            }
            "additionalProperties" if child.is_boolean() => {} // 3.0 allows booleans here
            "items" | "not" | "additionalProperties" | "contains" | "propertyNames" => walk_schema(child, &cptr, diags),
            "allOf" | "anyOf" | "oneOf" | "prefixItems" => {
                if let Value::Array(members) = child {
                    for (i, s) in members.iter_mut().enumerate() {
                        walk_schema(s, &join(&cptr, &i.to_string()), diags);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `required: true` inside a property (the OpenAPI 2 / JSON Schema draft 3
/// spelling) is invalid in 3.x and would reject the whole document: the
/// property joins its parent's `required` list instead.
fn repair_required(map: &mut Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
    let mut lifted = Vec::new();
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for (name, prop) in props.iter_mut() {
            let Some(p) = prop.as_object_mut() else { continue };
            if let Some(Value::Bool(b)) = p.get("required").cloned() {
                p.remove("required");
                let what = if b { "the property is added to the object's `required` list" } else { "removed" };
                diags.warn("invalid-required", join(&join(&join(ptr, "properties"), name), "required"), format!("`required: {b}` is not valid inside a schema; {what}"));
                if b {
                    lifted.push(name.clone());
                }
            }
        }
    }
    match map.get("required") {
        Some(Value::Array(_)) | None => {}
        Some(other) => {
            diags.warn("invalid-required", join(ptr, "required"), format!("`required: {}` is not a list of property names; removed", short(other)));
            map.remove("required");
        }
    }
    if !lifted.is_empty() {
        let list = map.entry("required").or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = list {
            for name in lifted {
                if !list.iter().any(|v| v.as_str() == Some(name.as_str())) {
                    list.push(Value::String(name));
                }
            }
        }
    }
}

/// Keywords that only annotate a schema: a member made of these alone
/// constrains nothing.
const ANNOTATIONS: &[&str] = &[
    "description", "title", "nullable", "example", "examples", "default", "readOnly", "writeOnly", "deprecated",
    "externalDocs", "xml", "$comment",
];

fn is_annotation_only(v: &Value) -> bool {
    v.as_object().is_some_and(|m| m.keys().all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-")))
}

/// `allOf: [X, {description, nullable, ...}]`: the annotation-only members
/// move onto the schema itself (where they document and make nullable the
/// place that uses it), leaving `allOf: [X]`, which is X itself — a string or
/// an array stays one instead of becoming a JSON map. When every member only
/// annotates (Box's `allOf: [{}, {example: "Aaron Levie"}, {description}]`
/// for any metadata value), no `allOf` is left: the schema allows any value.
fn hoist_annotation_members(map: &mut Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
    let Some(Value::Array(members)) = map.get("allOf") else { return };
    if members.len() < 2 || !members.iter().any(is_annotation_only) {
        return;
    }
    let Some(Value::Array(members)) = map.remove("allOf") else { return };
    let (notes, kept): (Vec<Value>, Vec<Value>) = members.into_iter().partition(is_annotation_only);
    for note in notes {
        if let Value::Object(m) = note {
            for (k, v) in m {
                if k == "nullable" && v == Value::Bool(true) {
                    map.insert(k, v);
                } else {
                    map.entry(k).or_insert(v);
                }
            }
        }
    }
    diags.note("allof-annotations", join(ptr, "allOf"), "allOf members that only annotate (description, nullable, example, ...) are applied to the schema itself");
    if !kept.is_empty() {
        map.insert("allOf".into(), Value::Array(kept));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn norm(mut v: Value) -> Value {
        let mut d = Diagnostics::default();
        walk_schema(&mut v, "", &mut d);
        v
    }

    #[test]
    fn content_encoding_binary_is_a_file() {
        assert_eq!(norm(json!({"type": "string", "contentEncoding": "binary"}))["format"], json!("binary"));
        assert_eq!(norm(json!({"type": "string", "contentMediaType": "image/png"}))["format"], json!("binary"));
        assert_eq!(norm(json!({"type": "string", "contentEncoding": "base64"})).get("format"), None);
        assert_eq!(norm(json!({"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"})).get("format"), None);
    }

    #[test]
    fn annotation_only_all_of_is_any_value() {
        let v = norm(json!({"allOf": [{}, {"example": "Aaron Levie"}, {"description": "A value."}]}));
        assert_eq!(v, json!({"example": "Aaron Levie", "description": "A value."}));
    }

    #[test]
    fn type_arrays_become_nullable() {
        assert_eq!(norm(json!({"type": ["string", "null"]})), json!({"nullable": true, "type": "string"}));
        assert_eq!(norm(json!({"type": ["integer"]})), json!({"type": "integer"}));
    }

    #[test]
    fn const_examples_and_bounds() {
        assert_eq!(norm(json!({"const": "fax.delivered"})), json!({"enum": ["fax.delivered"]}));
        assert_eq!(norm(json!({"examples": [1, 2]})), json!({"example": 1}));
        assert_eq!(
            norm(json!({"exclusiveMinimum": 0})),
            json!({"exclusiveMinimum": true, "minimum": 0})
        );
    }

    #[test]
    fn null_members_are_removed_from_unions() {
        let v = norm(json!({"oneOf": [{"$ref": "#/x"}, {"type": "null"}]}));
        assert_eq!(v, json!({"oneOf": [{"$ref": "#/x"}], "nullable": true}));
    }

    #[test]
    fn property_named_const_is_not_rewritten() {
        let v = norm(json!({"type": "object", "properties": {"const": {"type": "string"}, "examples": {"type": ["string", "null"]}}}));
        assert_eq!(v["properties"]["const"], json!({"type": "string"}));
        assert_eq!(v["properties"]["examples"], json!({"type": "string", "nullable": true}));
    }

    #[test]
    fn versions() {
        assert!(check_version(&json!({"openapi": "3.1.0"})).is_ok());
        let e = check_version(&json!({"swagger": "2.0"})).unwrap_err();
        assert!(e.to_string().contains("Swagger 2.0"), "{e}");
        let e = check_version(&json!({"openapi": "4.0.0"})).unwrap_err();
        assert!(e.to_string().contains("/openapi"), "{e}");
    }
}
