//! `generated/mcp.rs`: the MCP server's tool table, behind the `mcp`
//! feature. One `Tool` (see the runtime's `mcp.rs`) per command of
//! `emit::cli`: the server reuses the command line's operation table
//! (`generated/cli.rs`: names, descriptions, where each value goes) and its
//! typed calls (`dispatch`), and adds here what a tool needs beyond that:
//! the HTTP method (for the tool's annotations) and the input JSON Schema,
//! built from the IR.
//!
//! The schema has one property per flag, named as the flag with `_` for
//! `-` (`connection_id`, `media_url`, `page_size`): path and required
//! parameters and the body's required fields are `required`; enums list
//! their values; dates and date-times have their `format`; objects are
//! inlined with their fields (down to `MAX_DEPTH` levels, a type met again
//! inside itself as any JSON value), unions as `anyOf`. File fields take a
//! file name under the server's upload directory; a paged list takes a
//! `cursor` (the `next_cursor` of the call before); a body that has no
//! fields (not an object) is given whole as `body`. The schema is stored as
//! JSON text (indented, keys sorted, so that a changed description is a
//! changed line), parsed once when the server starts.

use super::cli::{one_line, operation, FlagDef, OpFlags};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{json, Map, Value};

/// How deep nested objects are written out in a tool's schema; deeper
/// values are any JSON (the API still checks them).
const MAX_DEPTH: usize = 4;

/// The JSON Schema of a value of type `ty`. `stack`: the named types being
/// written out, so a type that contains itself ends as any JSON value.
fn schema(api: &Api, ty: &Ty, depth: usize, stack: &mut Vec<String>) -> Value {
    match ty {
        Ty::String | Ty::Binary => json!({"type": "string"}),
        Ty::Bool => json!({"type": "boolean"}),
        Ty::I32 => json!({"type": "integer", "format": "int32"}),
        Ty::I64 => json!({"type": "integer"}),
        Ty::F64 => json!({"type": "number"}),
        Ty::DateTime => json!({"type": "string", "format": "date-time"}),
        Ty::Date => json!({"type": "string", "format": "date"}),
        Ty::Json => json!({}),
        Ty::Vec(inner) => json!({"type": "array", "items": schema(api, inner, depth, stack)}),
        Ty::Map(inner) => json!({"type": "object", "additionalProperties": schema(api, inner, depth, stack)}),
        Ty::Boxed(inner) => schema(api, inner, depth, stack),
        Ty::Named(name) => {
            let Some(def) = api.types.get(name) else { return json!({}) };
            match &def.kind {
                TypeKind::Alias(t) => schema(api, t, depth, stack),
                TypeKind::Enum(e) => json!({"type": "string", "enum": e.variants.iter().map(|v| v.wire.clone()).collect::<Vec<_>>()}),
                _ if depth >= MAX_DEPTH || stack.contains(name) => json!({}),
                TypeKind::Struct(s) => {
                    stack.push(name.clone());
                    let mut properties = Map::new();
                    let mut required = Vec::new();
                    for f in &s.fields {
                        let mut p = schema(api, &f.ty, depth + 1, stack);
                        if f.nullable {
                            p = or_null(p);
                        }
                        describe(&mut p, &one_line(f.doc.as_deref()));
                        properties.insert(f.wire.clone(), p);
                        if f.required {
                            required.push(f.wire.clone());
                        }
                    }
                    stack.pop();
                    let mut out = json!({"type": "object", "properties": properties});
                    if !required.is_empty() {
                        out["required"] = json!(required);
                    }
                    out
                }
                TypeKind::Union(u) => {
                    stack.push(name.clone());
                    let any: Vec<Value> = u.variants.iter().map(|v| schema(api, &v.ty, depth + 1, stack)).collect();
                    stack.pop();
                    json!({"anyOf": any})
                }
            }
        }
    }
}

/// `schema` or `null`.
fn or_null(schema: Value) -> Value {
    match schema.get("type").and_then(Value::as_str) {
        Some(t) if schema.get("enum").is_none() => {
            let mut s = schema.clone();
            s["type"] = json!([t, "null"]);
            s
        }
        _ if schema.as_object().is_some_and(Map::is_empty) => schema,
        _ => json!({"anyOf": [schema, {"type": "null"}]}),
    }
}

/// Adds a description (when there is one).
fn describe(schema: &mut Value, text: &str) {
    if let (false, Some(map)) = (text.is_empty(), schema.as_object_mut()) {
        map.insert("description".into(), Value::String(text.to_string()));
    }
}

/// A tool argument's name for a flag: `media-url` -> `media_url`.
fn argument(flag: &str) -> String {
    flag.replace('-', "_")
}

/// `wanted`, else `wanted` with `_2`, `_3`... : a name no flag has.
fn free_name(flags: &[FlagDef], wanted: &str) -> String {
    let taken = |n: &str| flags.iter().any(|f| argument(&f.name) == n);
    let mut name = wanted.to_string();
    let mut n = 2;
    while taken(&name) {
        name = format!("{wanted}_{n}");
        n += 1;
    }
    name
}

/// The input schema of one operation's tool, with the names of its
/// `cursor` and `body` arguments (empty when it has none).
fn input_schema(api: &Api, op: &OpFlags) -> (Value, String, String) {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for f in &op.flags {
        let help = f.help.trim_end_matches(" [required]").trim_end_matches("Required");
        let mut p = match &f.ty {
            Some(ty) => schema(api, ty, 0, &mut Vec::new()),
            None => {
                let file = json!({"type": "string"});
                if f.multiple {
                    json!({"type": "array", "items": file})
                } else {
                    file
                }
            }
        };
        let help = if f.ty.is_none() {
            format!("{help} A file name (or path) under the server's upload directory.").trim().to_string()
        } else {
            help.trim().to_string()
        };
        describe(&mut p, &help);
        let name = argument(&f.name);
        if f.required || f.body_required {
            required.push(name.clone());
        }
        properties.insert(name, p);
    }
    let mut cursor = String::new();
    if op.paged {
        cursor = free_name(&op.flags, "cursor");
        properties.insert(
            cursor.clone(),
            json!({"type": "string", "description": "The `next_cursor` of the previous call's result: fetches the next page (one page per call)."}),
        );
    }
    let mut body = String::new();
    if op.data && !op.flags.iter().any(FlagDef::is_body) {
        // A body with no fields (not an object): given whole, as the
        // command line's `--data`.
        body = free_name(&op.flags, "body");
        properties.insert(body.clone(), json!({"description": "The request body, as JSON."}));
    }
    let mut out = json!({"type": "object", "properties": properties, "additionalProperties": false});
    if !required.is_empty() {
        out["required"] = json!(required);
    }
    (out, cursor, body)
}

/// One entry of the tool table, before it is written.
struct ToolEntry<'a> {
    /// The root resource whose feature gates the entry.
    resource: Option<&'a str>,
    id: &'a str,
    method: &'static str,
    /// The schema as a raw string literal ([`raw_json`]).
    schema: String,
    cursor: String,
    body: String,
}

fn entries<'a>(api: &'a Api) -> Vec<ToolEntry<'a>> {
    let accessors = super::resources::root_accessors(api);
    let binary = super::binary_types(&api.types);
    let mut tools = Vec::new();
    for op in &api.operations {
        let Ok((_, _, flags)) = operation(api, op, &accessors, &binary) else { continue };
        let (schema, cursor, body) = input_schema(api, &flags);
        tools.push(ToolEntry {
            resource: op.resource.first().map(String::as_str),
            id: &op.id,
            method: op.method.as_str(),
            schema: raw_json(&schema),
            cursor,
            body,
        });
    }
    tools
}

/// The items of `mcp.rs`.
pub(crate) fn emit(api: &Api, plan: Option<&super::features::FeaturePlan>) -> TokenStream {
    let tools = entries(api).into_iter().map(|t| {
        let gate = t.resource.and_then(|seg| plan.and_then(|p| p.resource_cfg(seg)));
        let ToolEntry { id, method, cursor, body, .. } = t;
        let schema: TokenStream = t.schema.parse().unwrap_or_else(|_| quote! { "{}" });
        quote! {
            #gate crate::mcp::Tool { id: #id, method: #method, schema: #schema, cursor: #cursor, body: #body },
        }
    });
    quote! {
        /// One tool per command of `generated/cli.rs` (the same operations,
        /// in the same order): what a tool adds to the command's entry.
        pub(crate) static TOOLS: &[crate::mcp::Tool] = &[ #(#tools)* ];
    }
}

/// [`emit`]'s items as the text `prettyplease` prints for them (after
/// the file's header and module doc), written directly: the table is
/// regular and, for a large document, megabytes of code (issue 21).
/// `None` where the layout is not this writer's (an empty table, a long
/// feature name): the caller then prints [`emit`]'s tokens.
pub(crate) fn emit_text(api: &Api, plan: Option<&super::features::FeaturePlan>) -> Option<String> {
    let tools = entries(api);
    if tools.is_empty() {
        return None;
    }
    let lit = |s: &str| proc_macro2::Literal::string(s).to_string();
    let mut out = String::with_capacity(tools.iter().map(|t| t.schema.len() + 256).sum());
    out.push_str("/// One tool per command of `generated/cli.rs` (the same operations,\n");
    out.push_str("/// in the same order): what a tool adds to the command's entry.\n");
    out.push_str("pub(crate) static TOOLS: &[crate::mcp::Tool] = &[\n");
    for t in &tools {
        if let Some(features) = t.resource.and_then(|seg| plan.and_then(|p| p.resource_feature(seg))) {
            super::text::line(&mut out, &format!("    #[cfg(feature = {})]", lit(features)))?;
        }
        out.push_str("    crate::mcp::Tool {\n        id: ");
        out.push_str(&lit(t.id));
        out.push_str(",\n        method: ");
        out.push_str(&lit(t.method));
        out.push_str(",\n        schema: ");
        out.push_str(&t.schema);
        out.push_str(",\n        cursor: ");
        out.push_str(&lit(&t.cursor));
        out.push_str(",\n        body: ");
        out.push_str(&lit(&t.body));
        out.push_str(",\n    },\n");
    }
    out.push_str("];\n");
    Some(out)
}

/// A JSON value as a raw string literal, indented one key a line with the
/// keys sorted: a description the document changes is a line of its own
/// (what the churn report counts as docs), and properties the document
/// reorders change nothing.
fn raw_json(value: &Value) -> String {
    let text = serde_json::to_string_pretty(&sorted(value)).unwrap_or_default();
    let mut hashes = "#".to_string();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let lit = format!("r{hashes}\"{text}\"{hashes}");
    match lit.parse::<TokenStream>() {
        Ok(_) => lit,
        Err(_) => "\"{}\"".to_string(),
    }
}

/// `value` with every object's keys (and `required` lists) sorted.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| {
                        let mut v = sorted(&map[k.as_str()]);
                        if let (true, Value::Array(items)) = (k == "required", &mut v) {
                            items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                        }
                        (k.clone(), v)
                    })
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// The MCP tool name of an operation id, as the runtime makes it
/// (`[A-Za-z0-9_.-]`, at most 64 characters).
fn tool_name(id: &str) -> String {
    let name: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') { c } else { '_' }).take(64).collect();
    if name.is_empty() {
        "operation".into()
    } else {
        name
    }
}

/// The `tools/list` result the server of a crate generated from `api`
/// gives in its per-operation mode (`{"tools": [...]}`, each tool as rmcp
/// serializes it: name, title, description, inputSchema, annotations), for
/// measuring its size without building that crate (`cargo xtask
/// mcp-tools`). The runtime builds the same list from the generated tables
/// (`telnyx-fax/tests/mcp.rs` checks the fax document's size against it).
pub fn tool_list(api: &Api) -> Value {
    let accessors = super::resources::root_accessors(api);
    let binary = super::binary_types(&api.types);
    let mut tools = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for op in &api.operations {
        let Ok((_, _, flags)) = operation(api, op, &accessors, &binary) else { continue };
        let (schema, _, _) = input_schema(api, &flags);
        let method = op.method.as_str();
        let read_only = matches!(method, "GET" | "HEAD");
        let mut annotations = Map::new();
        annotations.insert("title".into(), json!(flags.about));
        annotations.insert("readOnlyHint".into(), json!(read_only));
        if read_only {
            annotations.insert("idempotentHint".into(), json!(true));
        } else {
            annotations.insert("destructiveHint".into(), json!(method == "DELETE"));
            annotations.insert("idempotentHint".into(), json!(matches!(method, "PUT" | "DELETE")));
        }
        annotations.insert("openWorldHint".into(), json!(true));
        let mut name = tool_name(&op.id);
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{}_{n}", tool_name(&op.id).chars().take(60).collect::<String>());
            n += 1;
        }
        names.insert(name.clone());
        tools.push(json!({
            "name": name,
            "title": flags.about,
            "description": flags.long_about,
            "inputSchema": sorted(&schema),
            "annotations": annotations,
        }));
    }
    json!({ "tools": tools })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_values_take_null() {
        assert_eq!(or_null(json!({"type": "string"})), json!({"type": ["string", "null"]}));
        let e = json!({"type": "string", "enum": ["a"]});
        assert_eq!(or_null(e.clone()), json!({"anyOf": [e, {"type": "null"}]}));
        assert_eq!(or_null(json!({})), json!({}), "any value takes null already");
    }

    /// A description holding `"#` still makes a raw string that parses
    /// back to the same JSON, keys sorted, `required` sorted.
    #[test]
    fn raw_json_survives_any_text() {
        let v = json!({"type": "object", "required": ["to", "from"], "properties": {"to": {"description": "say \"#hi\"## and \"##x"}}});
        let lit: syn::LitStr = syn::parse_str(&raw_json(&v)).expect("a string literal");
        let back: Value = serde_json::from_str(&lit.value()).unwrap();
        assert_eq!(back, sorted(&v));
        assert_eq!(back["required"], json!(["from", "to"]));
        assert_eq!(back.as_object().unwrap().keys().collect::<Vec<_>>(), ["properties", "required", "type"]);
    }

    #[test]
    fn argument_names_avoid_flags() {
        assert_eq!(argument("media-url"), "media_url");
        assert_eq!(tool_name("list fax/apps"), "list_fax_apps");
        assert_eq!(tool_name(&"x".repeat(80)).len(), 64);
    }
}
