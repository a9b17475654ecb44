//! The `Serialize` and `Deserialize` impls of generated structs: one
//! `crate::__rt::object_serde!` invocation per struct instead of
//! `#[derive(Serialize, Deserialize)]`.
//!
//! Why not derived: every model keeps the properties the spec does not
//! declare in a map, and serde's derive handles such a `#[serde(flatten)]`
//! field by buffering: a field-identifier visitor with a method per JSON
//! type, a `Content` buffer and a second deserializer pass, a few hundred
//! expanded lines per struct. On the whole Telnyx API (~3,500 structs) that
//! expansion was most of what `cargo check` spent and most of its memory.
//! The runtime's macro writes the same behaviour as one `serialize_map`
//! pass and one `visit_map` loop (a `match` on the key, unknown keys into
//! the map), calling generic helpers checked once per crate; the generated
//! code only lists each field's wire name, Rust name and shape.
//!
//! Behaviour (unchanged from the derived impls): declared fields in spec
//! order, then the unknown ones; an absent optional field is left out and
//! reads as `None`; an optional nullable field of a request type
//! (`Option<Option<T>>`) tells absent (`None`) from `null` (`Some(None)`);
//! a required field that is missing is serde's `missing field` error; an
//! optional file field (`FileUpload`) is never serialized and reads as unset.

use crate::ir::{Field, Struct, TypeDef};
use crate::naming::ident;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The field shape the runtime's `__rt::field` module names.
pub(super) fn shape(f: &Field, input: bool) -> Option<&'static str> {
    // An optional file field is never JSON (unset, it is left out; set, the
    // body goes as multipart). A required one goes through `FileUpload`'s
    // own serde, which refuses to write a file as JSON.
    if super::uploads::is_file(&f.ty) && !f.required {
        return None;
    }
    Some(match (f.required, f.nullable) {
        (true, false) => "required",
        (true, true) => "nullable",
        (false, true) if input => "double",
        (false, _) => "optional",
    })
}

/// The `object_serde!` invocation for a struct. (The macro infers the type
/// of the unknown-fields map from the struct.)
pub fn emit(def: &TypeDef, s: &Struct, input: bool) -> TokenStream {
    let name = ident(&def.name);
    let mut fields = Vec::new();
    let mut skipped = Vec::new();
    for f in &s.fields {
        let field = ident(&f.ident);
        match shape(f, input) {
            Some(shape) => {
                let wire = Literal::string(&f.wire);
                let shape = ident(shape);
                fields.push(quote! { #wire => #field: #shape, });
            }
            None => skipped.push(field),
        }
    }
    let skip = (!skipped.is_empty()).then(|| quote! { skip { #(#skipped),* } });
    let rest = s.keep_unknown.then(|| {
        let extra = ident(&s.additional_name);
        quote! { rest #extra }
    });
    quote! {
        crate::__rt::object_serde! {
            #name {
                #(#fields)*
            }
            #skip
            #rest
        }
    }
}

/// The first line of an `object_serde!` call as `prettyplease` prints it.
pub(super) const CALL_LINE: &str = "crate::__rt::object_serde! {";

/// Lays out the body of an `object_serde!` call (which `prettyplease`
/// prints as flowed tokens) one field per line, so the call reads like the
/// struct it implements; a body that does not tokenize is kept as it was.
pub(super) fn layout_call(body: &str, out: &mut String) {
    use proc_macro2::TokenTree;
    use std::fmt::Write as _;
    let fallback = |out: &mut String| {
        out.push_str(CALL_LINE);
        out.push('\n');
        out.push_str(body);
        out.push_str("\n}\n");
    };
    let Ok(tokens) = body.parse::<TokenStream>() else {
        return fallback(out);
    };
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(fields))) = (tokens.first(), tokens.get(1)) else {
        return fallback(out);
    };
    let mut text = format!("{CALL_LINE}\n    {name} {{\n");
    // Each field is `"wire" => field: shape,`: five tokens and a comma.
    let fields: Vec<TokenTree> = fields.stream().into_iter().collect();
    for entry in fields.split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ',')) {
        match entry {
            [] => {}
            [wire, arrow_eq, arrow_gt, field, _colon, shape] if arrow_eq.to_string() == "=" && arrow_gt.to_string() == ">" => {
                let _ = writeln!(text, "        {wire} => {field}: {shape},");
            }
            _ => return fallback(out),
        }
    }
    text.push_str("    }\n");
    let mut rest = tokens[2..].iter();
    while let Some(token) = rest.next() {
        match (token, rest.next()) {
            (TokenTree::Ident(kw), Some(TokenTree::Group(names))) if kw == "skip" => {
                let names: Vec<String> = names.stream().into_iter().filter(|t| matches!(t, TokenTree::Ident(_))).map(|t| t.to_string()).collect();
                let _ = writeln!(text, "    skip {{ {} }}", names.join(", "));
            }
            (TokenTree::Ident(kw), Some(TokenTree::Ident(extra))) if kw == "rest" => {
                let _ = writeln!(text, "    rest {extra}");
            }
            _ => return fallback(out),
        }
    }
    text.push_str("}\n");
    out.push_str(&text);
}
