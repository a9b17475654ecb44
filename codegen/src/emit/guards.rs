//! How an untagged union decodes: each member is tried only when the JSON
//! value has its shape (JSON type, required keys, fixed values; see
//! [`crate::ir::Shape`]), in the order lowering put them (most specific
//! first). When a member lists its properties or enum values, a strict pass
//! first takes the member the input fits exactly (no undeclared keys, known
//! enum values), then a lenient pass the first whose required shape fits:
//! never "the first member that happens to deserialize".

use super::ty_tokens;
use crate::ir::{JsonKind, Shape, Union};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The statements that try each member on `value` (a `serde_json::Value`)
/// and `return` the first that fits.
pub fn untagged_tries(u: &Union) -> TokenStream {
    let two_passes = u.variants.iter().any(|v| strict_guard(&v.shape).is_some());
    let tries = u.variants.iter().map(|v| {
        let vi = ident(&v.ident);
        let t = ty_tokens(&v.ty);
        let mut conds = base_guard(&v.shape);
        if two_passes {
            if let Some(s) = strict_guard(&v.shape) {
                // Parenthesised only beside other conditions (`unused_parens`).
                conds.push(if conds.is_empty() { quote! { !strict || (#s) } } else { quote! { (!strict || (#s)) } });
            }
        }
        let attempt = quote! {
            if let ::std::result::Result::Ok(v) = <#t as ::serde::Deserialize>::deserialize(&value) {
                return ::std::result::Result::Ok(Self::#vi(v));
            }
        };
        if conds.is_empty() {
            attempt
        } else {
            quote! { if #(#conds)&&* { #attempt } }
        }
    });
    if two_passes {
        quote! { for strict in [true, false] { #(#tries)* } }
    } else {
        quote! { #(#tries)* }
    }
}

/// Conditions every pass checks: JSON type, required keys, fixed values.
fn base_guard(s: &Shape) -> Vec<TokenStream> {
    let mut out = Vec::new();
    if let Some(k) = s.kind {
        out.push(match k {
            JsonKind::Object => quote! { value.is_object() },
            JsonKind::Array => quote! { value.is_array() },
            JsonKind::String => quote! { value.is_string() },
            JsonKind::Integer => quote! { value.as_number().is_some_and(|n| n.is_i64() || n.is_u64()) },
            JsonKind::Number => quote! { value.is_number() },
            JsonKind::Boolean => quote! { value.is_boolean() },
        });
    }
    for k in &s.required {
        out.push(quote! { value.get(#k).is_some() });
    }
    for (k, c) in &s.consts {
        out.push(quote! { !matches!(value.get(#k), ::std::option::Option::Some(x) if x.as_str() != ::std::option::Option::Some(#c)) });
    }
    out
}

/// Conditions of the strict pass: no undeclared keys, known enum values
/// (of a key, or of the value itself).
fn strict_guard(s: &Shape) -> Option<TokenStream> {
    let mut out = Vec::new();
    for (k, values) in &s.one_of {
        out.push(quote! {
            !matches!(value.get(#k), ::std::option::Option::Some(x) if !matches!(x.as_str(), ::std::option::Option::Some(#(#values)|*)))
        });
    }
    if !s.values.is_empty() {
        let values = &s.values;
        out.push(quote! { matches!(value.as_str(), ::std::option::Option::Some(#(#values)|*)) });
    }
    if !s.properties.is_empty() && s.kind == Some(JsonKind::Object) {
        let props = &s.properties;
        out.push(quote! { value.as_object().is_some_and(|o| o.keys().all(|k| matches!(k.as_str(), #(#props)|*))) });
    }
    (!out.is_empty()).then(|| quote! { #(#out)&&* })
}
