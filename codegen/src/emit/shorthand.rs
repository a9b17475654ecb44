//! Short forms of the generated API, for any document, beside the long ones
//! (which keep compiling):
//!
//! - a filter condition made of one operator (`{eq: Direction}`) converts
//!   from its value (`impl From<Direction> for FaxesListFilterDirection`), so
//!   `.direction(Direction::Outbound)` reads as a Python dict does;
//! - the fields of such a query object get setters on the request itself
//!   (`list().direction(..)` beside `list().filter(FaxesListFilter::new()..)`);
//! - a response envelope whose `data` is required derefs to it
//!   (`client.faxes().retrieve(id).await?.id`), with `into_data()` to move it
//!   out, so the envelope need not be named after every call.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Field, Operation, Param, ParamLocation, Struct, Ty, TypeDef, TypeKind};
use crate::naming::{self, ident};

/// The struct behind a named type, when it is one.
fn struct_of<'x>(api: &'x Api, ty: &Ty) -> Option<&'x Struct> {
    match &api.types.get(super::named_of(ty)?)?.kind {
        TypeKind::Struct(s) => Some(s),
        _ => None,
    }
}

/// A value a condition can be built from: a scalar or a string enum.
fn is_value(api: &Api, ty: &Ty) -> bool {
    match ty {
        Ty::String | Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 | Ty::DateTime | Ty::Date => true,
        Ty::Named(n) => matches!(api.types.get(n).map(|d| &d.kind), Some(TypeKind::Enum(_))),
        _ => false,
    }
}

/// A query object of optional conditions (`filter`): every field optional and
/// at least one of them a struct (objects of optional scalars are flattened
/// into `page_number`-style setters instead, see `resources::flat_fields`).
pub(super) fn condition_fields<'x>(api: &'x Api, p: &Param) -> Option<&'x [Field]> {
    if p.location != ParamLocation::Query {
        return None;
    }
    let s = struct_of(api, &p.ty)?;
    let conditions = !s.fields.is_empty()
        && s.fields.iter().all(|f| !f.required)
        && s.fields.iter().any(|f| struct_of(api, &f.ty).is_some());
    conditions.then_some(s.fields.as_slice())
}

/// The one operator of a condition type (`{eq: T}`), when it has exactly one
/// optional field holding a value.
fn single_operator<'x>(api: &'x Api, def: &TypeDef) -> Option<&'x Field> {
    let TypeKind::Struct(s) = &api.types.get(&def.name)?.kind else { return None };
    match s.fields.as_slice() {
        [f] if !f.required && is_value(api, &f.ty) && super::named_of(&f.ty) != Some(def.name.as_str()) => Some(f),
        _ => None,
    }
}

/// The names of the condition types of query objects (the field types of
/// every [`condition_fields`] parameter).
pub(super) fn condition_types(api: &Api) -> std::collections::BTreeSet<&str> {
    api.operations
        .iter()
        .flat_map(|o| o.required_params.iter().chain(&o.optional_params))
        .filter_map(|p| condition_fields(api, p))
        .flatten()
        .filter_map(|f| super::named_of(&f.ty))
        .collect()
}

/// Items added after a type's own: `From<value>` for a one-operator
/// condition (`conditions`: [`condition_types`], computed once per run), `Deref`
/// to `data` for a response envelope.
pub(super) fn type_extras(api: &Api, def: &TypeDef, conditions: &std::collections::BTreeSet<&str>) -> TokenStream {
    let mut out = TokenStream::new();
    if conditions.contains(def.name.as_str()) {
        if let Some(f) = single_operator(api, def) {
            out.extend(from_value(def, f));
        }
    }
    out.extend(envelope_deref(api, def));
    out
}

fn from_value(def: &TypeDef, f: &Field) -> TokenStream {
    let name = ident(&def.name);
    let field = ident(&f.ident);
    let t = super::ty_tokens_in(&f.ty, true);
    let wrap = |v: TokenStream| {
        if f.nullable {
            quote! { ::std::option::Option::Some(::std::option::Option::Some(#v)) }
        } else {
            quote! { ::std::option::Option::Some(#v) }
        }
    };
    let doc = format!(" The condition `{} = value`, so a filter setter takes the value itself.", naming::unraw(&f.wire));
    let set = wrap(quote! { value });
    let mut out = quote! {
        #[doc = #doc]
        impl ::std::convert::From<#t> for #name {
            fn from(value: #t) -> Self {
                Self { #field: #set, ..::std::default::Default::default() }
            }
        }
    };
    if f.ty == Ty::String {
        let set = wrap(quote! { value.to_owned() });
        out.extend(quote! {
            #[doc = #doc]
            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    Self { #field: #set, ..::std::default::Default::default() }
                }
            }
        });
    }
    out
}

/// `Deref`/`DerefMut`/`into_data` for an object whose `data` field is
/// required and holds an object or a list, and whose other fields are all
/// optional (`meta`): the shape of a JSON:API-style response envelope or a
/// webhook event.
fn envelope_deref(api: &Api, def: &TypeDef) -> TokenStream {
    let TypeKind::Struct(s) = &def.kind else { return quote! {} };
    let Some(data) = s.fields.iter().find(|f| f.wire == "data" && f.required && !f.nullable) else { return quote! {} };
    let holds = match &data.ty {
        Ty::Named(_) | Ty::Boxed(_) => struct_of(api, &data.ty).is_some(),
        Ty::Vec(_) => true,
        _ => false,
    };
    if !holds || s.fields.iter().any(|f| f.required && f.wire != "data") {
        return quote! {};
    }
    let name = ident(&def.name);
    let field = ident(&data.ident);
    let t = super::ty_tokens(&data.ty);
    quote! {
        /// Reads through to `data`, so the envelope need not be named
        /// (`response.id` for `response.data.id`).
        impl ::std::ops::Deref for #name {
            type Target = #t;
            fn deref(&self) -> &#t {
                &self.#field
            }
        }
        impl ::std::ops::DerefMut for #name {
            fn deref_mut(&mut self) -> &mut #t {
                &mut self.#field
            }
        }
        impl #name {
            /// Takes `data` out of the envelope.
            pub fn into_data(self) -> #t {
                self.#field
            }
        }
    }
}

/// Setters on the request for each field of a query object of conditions
/// (`.direction(..)` for `filter[direction]`), named after the field, or
/// `<param>_<field>` when the name is taken; `taken` holds the request's
/// other setter names, which keep theirs.
pub(super) fn condition_setters(api: &Api, op: &Operation, taken: &[String]) -> Vec<TokenStream> {
    let mut used: Vec<String> = taken.iter().map(|t| naming::unraw(t).to_string()).collect();
    used.extend(super::resources::REQUEST_METHODS.iter().map(|s| s.to_string()));
    let mut out = Vec::new();
    for p in &op.optional_params {
        let Some(fields) = condition_fields(api, p) else { continue };
        let Some(pty) = super::named_of(&p.ty) else { continue };
        let pty = ident(pty);
        let param = ident(&p.ident);
        for f in fields {
            let plain = naming::unraw(&f.ident).to_string();
            let long = format!("{}_{}", naming::unraw(&p.ident), plain);
            // The field's own identifier keeps its raw form (`r#type`).
            let (name, spelled) = if !used.contains(&plain) {
                (plain, f.ident.clone())
            } else if !used.contains(&long) {
                (long.clone(), long)
            } else {
                continue;
            };
            used.push(name);
            let name = ident(&spelled);
            let sub = ident(&f.ident);
            let t = super::ty_tokens_in(&f.ty, true);
            let value = if f.nullable {
                quote! { ::std::option::Option::Some(::std::option::Option::Some(value.into())) }
            } else {
                quote! { ::std::option::Option::Some(value.into()) }
            };
            let doc = format!(
                " Sets `{}[{}]`; the same as `.{}({}::new().{}(value))`.",
                super::docs::code(&p.wire),
                super::docs::code(&f.wire),
                naming::unraw(&p.ident),
                pty,
                naming::unraw(&f.ident),
            );
            out.push(quote! {
                #[doc = #doc]
                pub fn #name(mut self, value: impl ::std::convert::Into<#t>) -> Self {
                    self.params.#param.get_or_insert_with(::std::default::Default::default).#sub = #value;
                    self
                }
            });
        }
    }
    out
}
