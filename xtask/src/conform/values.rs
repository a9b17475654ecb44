//! Argument values for the operation calls: the document's own examples
//! where it gives them, else the smallest value its schema allows, plus the
//! credentials its `securitySchemes` ask for.

use super::examples::deref;
use codegen::ir::Operation;
use serde_json::{json, Map, Value};

/// The value of a parameter or body: its example, one of its examples, its
/// schema's example, or a sample of its schema.
pub fn value_of(place: &Value, doc: &Value) -> Value {
    if let Some(v) = place.get("example") {
        return v.clone();
    }
    if let Some(ex) = place.get("examples").and_then(Value::as_object).and_then(|m| m.values().next()) {
        if let Some(v) = deref(ex, doc).get("value") {
            return v.clone();
        }
    }
    if let Some(schema) = place.get("schema") {
        return sample(schema, doc, 0);
    }
    if let Some((_, m)) = place.get("content").and_then(Value::as_object).and_then(|c| c.iter().next()) {
        return value_of(m, doc);
    }
    Value::Null
}

/// Candidate values, best first: the example ([`value_of`]), then a sample
/// of the schema (for examples written for another encoding, such as form
/// bodies whose examples are all strings).
pub fn candidates(place: &Value, doc: &Value) -> Value {
    let mut out = vec![value_of(place, doc)];
    let schema = place.get("schema").or_else(|| place.get("content").and_then(Value::as_object).and_then(|c| c.values().next()).and_then(|m| m.get("schema")));
    if let Some(s) = schema {
        let v = sample(s, doc, 0);
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Value::Array(out)
}

/// `candidates` with those valid against the schema at `schema_ptr` first
/// (the invalid ones stay, last, in case nothing else decodes).
pub fn prefer_valid(candidates: Value, schema_ptr: &str, checker: &mut super::schema::SchemaCheck) -> Value {
    match candidates {
        Value::Array(list) => {
            let (valid, invalid): (Vec<Value>, Vec<Value>) = list.into_iter().partition(|c| checker.violation(schema_ptr, c).is_none());
            Value::Array(valid.into_iter().chain(invalid).collect())
        }
        other => other,
    }
}

/// The smallest value the schema allows (required properties only, one
/// item where `minItems` asks for it), preferring the schema's own
/// `example`, `default`, `const` and first `enum` value.
pub fn sample(schema: &Value, doc: &Value, depth: usize) -> Value {
    // 3.1: keywords beside a `$ref` apply too (Lago's `add_on: {$ref:
    // AddOnBaseInput, required: [name, code, ...]}`): the target's sample
    // gets the properties the sibling `required` adds.
    if let (Some(_), Some(extra)) = (schema.get("$ref"), schema.get("required").and_then(Value::as_array)) {
        let target = deref(schema, doc);
        let mut v = sample(target, doc, depth);
        if let Value::Object(o) = &mut v {
            let mut declared = Map::new();
            all_properties(target, doc, 0, &mut declared, &mut Vec::new());
            for r in extra.iter().filter_map(Value::as_str) {
                if !o.contains_key(r) {
                    let value = declared.get(r).map(|p| sample(p, doc, depth + 1)).unwrap_or_else(|| json!(PLACEHOLDER));
                    o.insert(r.to_string(), value);
                }
            }
        }
        return v;
    }
    let s = deref(schema, doc);
    if depth > 12 {
        return Value::Null;
    }
    // An example of another JSON type than the schema's (Binance's
    // `amount: {type: number, example: "1.01"}`) cannot be sent as that
    // type: the schema's own sample is drawn instead.
    if let Some(v) = s.get("example").or_else(|| s.get("examples").and_then(Value::as_array).and_then(|a| a.first())).filter(|v| of_declared_type(v, s)) {
        return v.clone();
    }
    if let Some(v) = s.get("const").or_else(|| s.get("default")) {
        return v.clone();
    }
    if let Some(v) = s.get("enum").and_then(Value::as_array).and_then(|a| a.iter().find(|v| !v.is_null())) {
        return v.clone();
    }
    if let Some(members) = s.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        let mut other = None;
        for m in members {
            match sample(m, doc, depth + 1) {
                Value::Object(o) => merged.extend(o),
                Value::Null => {}
                v => other = Some(v),
            }
        }
        let own = object_sample(s, doc, depth);
        if let Value::Object(o) = own {
            merged.extend(o);
        }
        // A member may require a property another member declares (Box's
        // `allOf: [{properties: {folder}}, {required: [folder]}]`): sample
        // it from its declaration, not as a placeholder string.
        let mut declared = Map::new();
        let mut required = Vec::new();
        all_properties(s, doc, 0, &mut declared, &mut required);
        for k in required {
            let placeholder = merged.get(&k).is_none_or(|v| *v == json!(PLACEHOLDER));
            if let (true, Some(p)) = (placeholder, declared.get(&k)) {
                merged.insert(k, sample(p, doc, depth + 1));
            }
        }
        return match other {
            Some(v) if merged.is_empty() => v,
            _ => Value::Object(merged),
        };
    }
    for kw in ["oneOf", "anyOf"] {
        if let Some(first) = s.get(kw).and_then(Value::as_array).and_then(|a| a.iter().find(|m| deref(m, doc).get("type") != Some(&json!("null")))) {
            let v = sample(first, doc, depth + 1);
            if let (Value::Object(mut o), Value::Object(own)) = (v.clone(), object_sample(s, doc, depth)) {
                o.extend(own);
                return Value::Object(o);
            }
            // A member that only requires some of the holder's own
            // properties (Outline's `oneOf: [{required: [documentId]},
            // {required: [collectionId]}]`) samples to nothing alone: the
            // holder's object with those properties, from their declarations.
            let member = deref(first, doc);
            let required: Vec<&str> = member.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
            if v.is_null() && !required.is_empty() && s.get("properties").is_some() {
                let mut declared = Map::new();
                all_properties(s, doc, 0, &mut declared, &mut Vec::new());
                all_properties(member, doc, 0, &mut declared, &mut Vec::new());
                let Value::Object(mut o) = object_sample(s, doc, depth) else { return v };
                for r in required {
                    if !o.contains_key(r) {
                        let value = declared.get(r).map(|p| sample(p, doc, depth + 1)).unwrap_or_else(|| json!(PLACEHOLDER));
                        o.insert(r.to_string(), value);
                    }
                }
                return Value::Object(o);
            }
            return v;
        }
    }
    let ty = match s.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("null"),
        _ if s.get("properties").is_some() => "object",
        _ if s.get("items").is_some() => "array",
        _ => "",
    };
    match ty {
        "object" => object_sample(s, doc, depth),
        "array" => {
            // One item at least: an empty array is no value at all in a query string.
            let max = s.get("maxItems").and_then(Value::as_u64).unwrap_or(u64::MAX);
            let n = s.get("minItems").and_then(Value::as_u64).unwrap_or(1).clamp(1, 3).min(max);
            let item = s.get("items").map(|i| sample(i, doc, depth + 1)).unwrap_or(Value::Null);
            let unique = s.get("uniqueItems") == Some(&Value::Bool(true));
            Value::Array((0..n).map(|i| if unique { nth_variant(&item, i) } else { item.clone() }).collect())
        }
        "string" => {
            let format = s.get("format").and_then(Value::as_str).unwrap_or("");
            let v = match format {
                "date-time" => "2024-01-01T00:00:00Z".to_string(),
                "date" => "2024-01-01".to_string(),
                "time" => "00:00:00Z".to_string(),
                "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6".to_string(),
                "email" => "user@example.com".to_string(),
                "uri" | "url" | "uri-reference" => "https://example.com/".to_string(),
                "ipv4" => "127.0.0.1".to_string(),
                "ipv6" => "::1".to_string(),
                "hostname" => "example.com".to_string(),
                "byte" => "AAAA".to_string(),
                _ => {
                    let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(1).clamp(1, 64) as usize;
                    "a".repeat(min)
                }
            };
            if let Some(p) = s.get("pattern").and_then(Value::as_str) {
                if let Some(m) = matching(p, s) {
                    return Value::String(m);
                }
            }
            Value::String(v)
        }
        "integer" | "number" => {
            let min = s.get("minimum").and_then(Value::as_f64);
            let excl = match s.get("exclusiveMinimum") {
                Some(Value::Bool(true)) => min.map(|m| m + 1.0),
                Some(Value::Number(n)) => n.as_f64().map(|m| m + 1.0),
                _ => None,
            };
            let v = excl.or(min).unwrap_or(1.0).max(min.unwrap_or(f64::MIN));
            let max = s.get("maximum").and_then(Value::as_f64).unwrap_or(f64::MAX);
            let v = v.min(max).ceil();
            if ty == "integer" {
                json!(v as i64)
            } else {
                json!(v)
            }
        }
        "boolean" => Value::Bool(true),
        _ => Value::Null,
    }
}

/// The `i`-th of distinct values like `item`, for `uniqueItems` arrays
/// (Discord's bulk delete asks for two different message ids): numbers and
/// digit strings counted up, other strings suffixed; others as they are.
fn nth_variant(item: &Value, i: u64) -> Value {
    if i == 0 {
        return item.clone();
    }
    match item {
        Value::Number(n) if n.is_i64() => json!(n.as_i64().unwrap_or(0).saturating_add(i as i64)),
        Value::Number(n) => json!(n.as_f64().unwrap_or(0.0) + i as f64),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            let n: u128 = s.parse().unwrap_or(0);
            Value::String((n + u128::from(i)).to_string())
        }
        Value::String(s) => Value::String(format!("{s}{i}")),
        other => other.clone(),
    }
}

/// The regex of an OpenAPI `pattern` as the mock server reads it: an
/// ECMA-262 regex, where `\d`, `\w`, `\s` and `\b` are ASCII (Rust's
/// regex, and so proptest's default parse, makes them Unicode: a drawn
/// `\d` could be `٣`, which Prism rejects). regex-syntax's non-Unicode mode
/// has exactly ECMA's ASCII classes; a pattern it refuses there (`.`, which
/// may then match a non-UTF-8 byte, or a `\p{..}` class) is parsed in
/// Unicode mode, where those are what ECMA means too.
fn ecma_hir(inner: &str) -> Option<regex_syntax::hir::Hir> {
    let parse = |unicode: bool| regex_syntax::ParserBuilder::new().unicode(unicode).utf8(true).build().parse(inner).ok();
    parse(false).or_else(|| parse(true))
}

/// The simplest string proptest's regex strategy finds for `pattern` (outer
/// anchors removed: the strategy does not take them, and a string matching
/// the whole regex matches the anchored one), read with ECMA-262's ASCII
/// classes ([`ecma_hir`]), kept only if the schema's own validator accepts
/// it (length limits).
fn matching(pattern: &str, schema: &Value) -> Option<String> {
    use proptest::strategy::{Strategy, ValueTree};
    let inner = pattern.strip_prefix('^').unwrap_or(pattern);
    let inner = inner.strip_suffix('$').filter(|i| !i.ends_with('\\')).unwrap_or(inner);
    let strategy = proptest::string::string_regex_parsed(&ecma_hir(inner)?).ok()?;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let check = json!({ "type": "string", "pattern": pattern, "minLength": schema.get("minLength"), "maxLength": schema.get("maxLength") });
    let check = match check {
        Value::Object(mut m) => {
            m.retain(|_, v| !v.is_null());
            Value::Object(m)
        }
        v => v,
    };
    for _ in 0..8 {
        let mut tree = strategy.new_tree(&mut runner).ok()?;
        for _ in 0..200 {
            if !tree.simplify() {
                break;
            }
        }
        let candidate = Value::String(tree.current());
        if jsonschema::is_valid(&check, &candidate) {
            return candidate.as_str().map(str::to_string);
        }
        // Shrinking may have gone below a length limit: try the unshrunk value.
        let raw = Value::String(strategy.new_tree(&mut runner).ok()?.current());
        if jsonschema::is_valid(&check, &raw) {
            return raw.as_str().map(str::to_string);
        }
    }
    None
}

/// Candidates for a required form body (urlencoded or multipart) with every
/// empty object given one declared property: an empty object is sent as
/// zero bytes, which Prism reads as no body at all ("Body parameter is
/// required": Listmonk's required forms whose fields are all optional),
/// while the document only asks for some body.
pub fn non_empty_form(candidates: Value, media: &Value, doc: &Value) -> Value {
    let Some(schema) = media.get("schema") else { return candidates };
    let mut declared = Map::new();
    all_properties(schema, doc, 0, &mut declared, &mut Vec::new());
    let Some((name, prop)) = declared.iter().next() else { return candidates };
    let fill = |v: Value| match v {
        Value::Object(o) if o.is_empty() => json!({ name.clone(): sample(prop, doc, 1) }),
        v => v,
    };
    match candidates {
        Value::Array(list) => Value::Array(list.into_iter().map(fill).collect()),
        v => fill(v),
    }
}

/// Whether `v` is of the schema's declared `type` (any value when it
/// declares none; integers count as numbers).
fn of_declared_type(v: &Value, s: &Value) -> bool {
    let types: Vec<&str> = match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => return true,
    };
    types.iter().any(|t| match *t {
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        "null" => v.is_null(),
        _ => true,
    })
}

/// The value of a required property no schema part declares.
pub const PLACEHOLDER: &str = "a";

/// Every property declared (first wins) and required by `s` and its
/// `allOf` members.
fn all_properties(s: &Value, doc: &Value, depth: usize, out: &mut Map<String, Value>, required: &mut Vec<String>) {
    let s = deref(s, doc);
    if depth > 8 {
        return;
    }
    for (k, v) in s.get("properties").and_then(Value::as_object).into_iter().flatten() {
        out.entry(k.clone()).or_insert_with(|| v.clone());
    }
    for r in s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
        if !required.iter().any(|x| x == r) {
            required.push(r.to_string());
        }
    }
    for m in s.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        all_properties(m, doc, depth + 1, out, required);
    }
}

fn object_sample(s: &Value, doc: &Value, depth: usize) -> Value {
    let mut out = Map::new();
    let props = s.get("properties").and_then(Value::as_object);
    for r in s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
        let v = props.and_then(|p| p.get(r)).map(|p| sample(p, doc, depth + 1)).unwrap_or_else(|| json!(PLACEHOLDER));
        out.insert(r.to_string(), v);
    }
    // `minProperties` (Telnyx's ReferenceUpdateRequest: at least one of its
    // optional properties): add declared ones in order until it is met.
    let min = s.get("minProperties").and_then(Value::as_u64).unwrap_or(0) as usize;
    for (k, p) in props.into_iter().flatten() {
        if out.len() >= min {
            break;
        }
        if !out.contains_key(k) {
            out.insert(k.clone(), sample(p, doc, depth + 1));
        }
    }
    Value::Object(out)
}

/// Whether the runtime sends each security scheme's credential itself
/// (`ClientBuilder::credential`), or only a bearer token.
pub fn runtime_has_credentials(repo: &std::path::Path) -> bool {
    std::fs::read_to_string(repo.join("telnyx-fax/src/client.rs")).is_ok_and(|t| t.contains("pub fn credential("))
}

/// Builder calls giving the client a credential for every security scheme
/// of the document (a runtime that sends them per operation), or only the
/// bearer token (an older runtime; [`credentials`] adds the rest per call).
pub fn client_credentials(doc: &Value, per_scheme: bool) -> String {
    if !per_scheme {
        return ".api_key(\"conform-token\")".into();
    }
    let mut out = String::new();
    for (name, scheme) in doc.pointer("/components/securitySchemes").and_then(Value::as_object).into_iter().flatten() {
        let scheme = deref(scheme, doc);
        let basic = scheme.get("type").and_then(Value::as_str) == Some("http")
            && scheme.get("scheme").and_then(Value::as_str).is_some_and(|s| s.eq_ignore_ascii_case("basic"));
        if basic {
            out.push_str(&format!(".basic_credential({name:?}, \"conform\", \"conform\")"));
        } else {
            out.push_str(&format!(".credential({name:?}, \"conform-key\")"));
        }
    }
    // No scheme: no credential (this runtime refuses a key it cannot send).
    out
}

/// Name-value pairs (headers or query).
pub type Pairs = Vec<(String, String)>;

/// Headers and query pairs the operation's first security requirement asks
/// for (for a runtime that only sends a bearer token).
pub fn credentials(op: &Operation, doc: &Value) -> (Pairs, Pairs) {
    let raw = doc.pointer(&op.pointer);
    let security = raw.and_then(|o| o.get("security")).or_else(|| doc.get("security"));
    let mut headers = Vec::new();
    let mut query = Vec::new();
    let Some(first) = security.and_then(Value::as_array).and_then(|a| a.first()).and_then(Value::as_object) else {
        return (headers, query);
    };
    for name in first.keys() {
        let Some(scheme) = doc.pointer(&format!("/components/securitySchemes/{}", super::examples::esc(name))).map(|s| deref(s, doc)) else {
            continue;
        };
        let kind = scheme.get("type").and_then(Value::as_str).unwrap_or("");
        let key_name = scheme.get("name").and_then(Value::as_str).unwrap_or("").to_string();
        match (kind, scheme.get("scheme").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref(), scheme.get("in").and_then(Value::as_str)) {
            ("http", Some("basic"), _) => headers.push(("Authorization".into(), "Basic Y29uZm9ybTpjb25mb3Jt".into())),
            ("apiKey", _, Some("header")) => headers.push((key_name, "conform-key".into())),
            ("apiKey", _, Some("query")) => query.push((key_name, "conform-key".into())),
            ("apiKey", _, Some("cookie")) => headers.push(("Cookie".into(), format!("{key_name}=conform-key"))),
            // http bearer, oauth2, openIdConnect: the client's `Authorization: Bearer`.
            _ => {}
        }
    }
    (headers, query)
}

/// The raw parameter objects of an operation, its own overriding its path item's.
pub fn raw_params<'d>(op: &Operation, doc: &'d Value) -> Vec<&'d Value> {
    let path_item = op.pointer.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
    let mut out: Vec<&Value> = Vec::new();
    for base in [op.pointer.as_str(), path_item] {
        for p in doc.pointer(&format!("{base}/parameters")).and_then(Value::as_array).into_iter().flatten() {
            let p = deref(p, doc);
            let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
            if !out.iter().any(|o| key(o) == key(p)) {
                out.push(p);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 26: patterns Prism reads as ECMA-262 (`\d`, `\w` ASCII). Before,
    /// these fell back to `"a"` and Prism rejected the request.
    #[test]
    fn pattern_values_use_ecma_ascii_classes() {
        for (pattern, ascii) in [
            (r"^[\da-z]{26}$", r"^[0-9a-z]{26}$"),
            (r"^(user|org|mch|scim)_\w{27}$", r"^(user|org|mch|scim)_[A-Za-z0-9_]{27}$"),
            (r"^\d+(\.\d+)?$", r"^[0-9]+(\.[0-9]+)?$"),
            (r"^\S+@\S+$", r"^[^ \t\n\r\f\v]+@[^ \t\n\r\f\v]+$"),
        ] {
            let v = sample(&json!({"type": "string", "pattern": pattern}), &json!({}), 0);
            let text = v.as_str().expect("a string");
            assert!(text.is_ascii(), "{pattern}: {text:?} is not ASCII");
            assert!(jsonschema::is_valid(&json!({"type": "string", "pattern": ascii}), &v), "{pattern}: {text:?}");
        }
    }

    /// Issue 26: a `oneOf` whose members only require the holder's own
    /// properties samples to the holder's object with the first member's
    /// (before: `null`, and Outline's `shares.create` was never sent).
    #[test]
    fn required_only_members_sample_the_holders_properties() {
        let s = json!({"type": "object", "properties": {"documentId": {"type": "string", "format": "uuid"}, "collectionId": {"type": "string"}},
            "oneOf": [{"required": ["documentId"]}, {"required": ["collectionId"]}]});
        assert_eq!(sample(&s, &json!({}), 0), json!({"documentId": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}));
    }

    /// Issue 26: an example of another type than the schema's is not drawn
    /// (Binance's number parameters with string examples were never sent).
    #[test]
    fn examples_of_another_type_give_way() {
        assert_eq!(sample(&json!({"type": "number", "example": "1.01"}), &json!({}), 0), json!(1.0));
        assert_eq!(sample(&json!({"type": "number", "example": 1.5}), &json!({}), 0), json!(1.5));
        assert_eq!(sample(&json!({"example": "x"}), &json!({}), 0), json!("x"));
    }

    /// Issue 26: `required` beside a `$ref` (3.1) adds to the target's
    /// required properties (before: Lago's create bodies lacked them).
    #[test]
    fn required_beside_a_ref_is_sampled() {
        let doc = json!({"components": {"schemas": {"Base": {"type": "object", "properties": {"name": {"type": "string", "example": "n"}, "code": {"type": "string"}}}}}});
        let s = json!({"type": "object", "required": ["add_on"], "properties": {"add_on": {"$ref": "#/components/schemas/Base", "required": ["name", "code"]}}});
        assert_eq!(sample(&s, &doc, 0), json!({"add_on": {"name": "n", "code": "a"}}));
    }

    /// Issue 26: a required form body whose fields are all optional is sent
    /// with one of them (an empty form is zero bytes: "no body" to Prism).
    #[test]
    fn required_forms_are_not_empty() {
        let media = json!({"schema": {"type": "object", "properties": {"before_date": {"type": "string", "format": "date"}, "b": {"type": "string"}}}});
        let out = non_empty_form(json!([{}, {"b": "x"}]), &media, &json!({}));
        assert_eq!(out[1], json!({"b": "x"}));
        let filled = out[0].as_object().expect("an object");
        assert_eq!(filled.len(), 1);
        assert!(filled["before_date"].is_string(), "{out}");
        // No declared property: nothing to send, unchanged.
        assert_eq!(non_empty_form(json!([{}]), &json!({"schema": {"type": "object"}}), &json!({})), json!([{}]));
    }

    #[test]
    fn unique_items_samples_are_distinct() {
        let schema = json!({"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "string", "pattern": "^(0|[1-9][0-9]*)$"}});
        let v = sample(&schema, &json!({}), 0);
        let items = v.as_array().expect("an array");
        assert_eq!(items.len(), 2);
        assert_ne!(items[0], items[1], "{v}");
        let re = json!({"type": "string", "pattern": "^(0|[1-9][0-9]*)$"});
        assert!(items.iter().all(|i| jsonschema::is_valid(&re, i)), "{v}");
        // A property required by one allOf member and declared by another.
        let doc = json!({"components": {"schemas": {"Folder": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "example": "42"}}}}}});
        let s = json!({"allOf": [{"properties": {"folder": {"$ref": "#/components/schemas/Folder"}}}, {"required": ["folder"]}]});
        assert_eq!(sample(&s, &doc, 0), json!({"folder": {"id": "42"}}));
        // Without uniqueItems the items may repeat.
        let plain = json!({"type": "array", "minItems": 2, "items": {"type": "integer"}});
        assert_eq!(sample(&plain, &json!({}), 0), json!([1, 1]));
    }
}
