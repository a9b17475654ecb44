//! Query-string encoding of parameters: OpenAPI `style: deepObject` for
//! objects and `style: form, explode: true` for arrays, through
//! [`serde_json::Value`].
//!
//! * `null` (and so `None`) sends nothing;
//! * a scalar sends `name=value` (strings verbatim, numbers and booleans in
//!   their JSON spelling);
//! * an object sends `name[key]=value`, recursively `name[key][key2]=value`;
//! * an array repeats the name: `name=a&name=b` (inside an object,
//!   `name[key]=a&name[key]=b`).
//!
//! The pairs are percent-encoded later by the URL serializer.

use serde::Serialize;
use serde_json::Value;

/// Serializes `value` and appends its `(key, value)` pairs to `out`;
/// `comma_separated`: an array as one value (see [`encode_comma_separated`]).
pub(crate) fn encode<V: Serialize + ?Sized>(
    name: &str,
    value: &V,
    comma_separated: bool,
    out: &mut Vec<(String, String)>,
) -> Result<(), serde_json::Error> {
    let value = serde_json::to_value(value)?;
    if comma_separated {
        encode_comma_separated(name, &value, out);
    } else {
        encode_value(name, &value, out);
    }
    Ok(())
}

/// OpenAPI's `style: form, explode: false`: an array of scalars is one pair,
/// its items joined by commas (`fields=id,name`); an empty array sends
/// nothing; anything else as [`encode_value`] sends it.
pub(crate) fn encode_comma_separated(name: &str, value: &Value, out: &mut Vec<(String, String)>) {
    let Value::Array(items) = value else {
        return encode_value(name, value, out);
    };
    let mut texts = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::Null => {}
            Value::String(s) => texts.push(s.clone()),
            Value::Bool(_) | Value::Number(_) => texts.push(item.to_string()),
            // Nested structures have no comma form: sent exploded.
            _ => return encode_value(name, value, out),
        }
    }
    if !texts.is_empty() {
        out.push((name.to_owned(), texts.join(",")));
    }
}

/// Appends the pairs for an already serialized value.
pub(crate) fn encode_value(name: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push((name.to_owned(), b.to_string())),
        Value::Number(n) => out.push((name.to_owned(), n.to_string())),
        Value::String(s) => out.push((name.to_owned(), s.clone())),
        Value::Array(items) => {
            for item in items {
                encode_value(name, item, out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                encode_value(&format!("{name}[{key}]"), item, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(name: &str, v: Value) -> Vec<(String, String)> {
        let mut out = Vec::new();
        encode_value(name, &v, &mut out);
        out
    }

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    #[test]
    fn comma_separated_arrays() {
        let mut out = Vec::new();
        encode_comma_separated("fields", &json!(["id", "name", 3, true]), &mut out);
        assert_eq!(out, vec![p("fields", "id,name,3,true")]);
        let mut out = Vec::new();
        encode_comma_separated("fields", &json!([]), &mut out);
        assert!(out.is_empty());
        let mut out = Vec::new();
        encode_comma_separated("fields", &json!("id"), &mut out);
        assert_eq!(out, vec![p("fields", "id")]);
    }

    #[test]
    fn scalars_and_null() {
        assert_eq!(pairs("a", json!(null)), vec![]);
        assert_eq!(pairs("a", json!("x y")), vec![p("a", "x y")]);
        assert_eq!(pairs("a", json!(3)), vec![p("a", "3")]);
        assert_eq!(pairs("a", json!(1.5)), vec![p("a", "1.5")]);
        assert_eq!(pairs("a", json!(true)), vec![p("a", "true")]);
    }

    #[test]
    fn deep_objects_and_arrays() {
        let v = json!({
            "created_at": {"gte": "2024-01-01T00:00:00Z", "lt": null},
            "status": ["queued", "sent"],
            "to": "+1",
        });
        assert_eq!(
            pairs("filter", v),
            vec![
                p("filter[created_at][gte]", "2024-01-01T00:00:00Z"),
                p("filter[status]", "queued"),
                p("filter[status]", "sent"),
                p("filter[to]", "+1"),
            ]
        );
        assert_eq!(pairs("ids", json!([1, 2])), vec![p("ids", "1"), p("ids", "2")]);
    }
}
