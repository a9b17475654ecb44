//! `generated/paging.rs`: one `impl Page` per paged response type (see
//! [`crate::paging`] for how each operation's kind is decided). The impls
//! only read fields; the loop, the repeat guard and the page cap are in the
//! runtime's `pagination.rs`.

use super::ty_tokens;
use crate::ir::*;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// The impls, in operation order.
pub fn emit(api: &Api) -> TokenStream {
    let mut done = BTreeSet::new();
    let mut out = TokenStream::new();
    for op in &api.operations {
        let (Some(p), Some(success)) = (api.paging.get(&op.id), &op.success) else { continue };
        if !done.insert(format!("{success:?}")) {
            continue;
        }
        out.extend(page_impl(api, success, p));
    }
    out
}

/// A path of fields from a response value: its place while every step is
/// required, then an `Option` expression.
enum Access {
    Place(TokenStream),
    Opt(TokenStream),
}

/// The field `ident` of the struct behind `ty`.
fn field<'a>(api: &'a Api, ty: &Ty, name: &str) -> Option<(&'a Field, bool)> {
    let n = super::named_of(ty)?;
    let def = api.types.get(n)?;
    let TypeKind::Struct(s) = &def.kind else { return None };
    let f = s.fields.iter().find(|f| f.ident == name)?;
    Some((f, def.is_input))
}

/// `Option<&T>` of the value at `path` (by reference).
fn by_ref(api: &Api, root: &Ty, path: &[String]) -> Option<(TokenStream, Ty)> {
    let (acc, ty) = access(api, quote! { self }, root, path)?;
    let e = match acc {
        Access::Place(p) => quote! { ::std::option::Option::Some(&#p) },
        Access::Opt(e) => e,
    };
    Some((e, ty))
}

/// The value at `path` from `start` (of type `root`): a place while every
/// step is required, else an `Option<&T>` expression.
fn access(api: &Api, start: TokenStream, root: &Ty, path: &[String]) -> Option<(Access, Ty)> {
    let mut ty = root.clone();
    let mut acc = Access::Place(start);
    for seg in path {
        let (f, input) = field(api, &ty, seg)?;
        let fi = ident(&f.ident);
        let double = !f.required && f.nullable && input;
        let optional = !f.required || f.nullable;
        acc = match (acc, optional) {
            (Access::Place(p), false) => Access::Place(quote! { #p.#fi }),
            (Access::Place(p), true) if double => Access::Opt(quote! { #p.#fi.as_ref().and_then(::std::option::Option::as_ref) }),
            (Access::Place(p), true) => Access::Opt(quote! { #p.#fi.as_ref() }),
            (Access::Opt(e), false) => Access::Opt(quote! { #e.map(|v| &v.#fi) }),
            (Access::Opt(e), true) if double => Access::Opt(quote! { #e.and_then(|v| v.#fi.as_ref()).and_then(::std::option::Option::as_ref) }),
            (Access::Opt(e), true) => Access::Opt(quote! { #e.and_then(|v| v.#fi.as_ref()) }),
        };
        ty = match &f.ty {
            Ty::Boxed(b) => (**b).clone(),
            t => t.clone(),
        };
    }
    Some((acc, ty))
}

/// The owned items at `path` (empty when absent).
fn owned_items(api: &Api, root: &Ty, path: &[String]) -> Option<TokenStream> {
    let mut ty = root.clone();
    let mut acc = Access::Place(quote! { self });
    for seg in path {
        let (f, input) = field(api, &ty, seg)?;
        let fi = ident(&f.ident);
        let double = !f.required && f.nullable && input;
        let optional = !f.required || f.nullable;
        acc = match (acc, optional) {
            (Access::Place(p), false) => Access::Place(quote! { #p.#fi }),
            (Access::Place(p), true) if double => Access::Opt(quote! { #p.#fi.flatten() }),
            (Access::Place(p), true) => Access::Opt(quote! { #p.#fi }),
            (Access::Opt(e), false) => Access::Opt(quote! { #e.map(|v| v.#fi) }),
            (Access::Opt(e), true) if double => Access::Opt(quote! { #e.and_then(|v| v.#fi.flatten()) }),
            (Access::Opt(e), true) => Access::Opt(quote! { #e.and_then(|v| v.#fi) }),
        };
        ty = f.ty.clone();
    }
    Some(match acc {
        Access::Place(p) => p,
        Access::Opt(e) => quote! { #e.unwrap_or_default() },
    })
}

/// `i64` from a reference to an integer (or a `number`).
fn as_i64(e: TokenStream, ty: &Ty) -> Option<TokenStream> {
    match ty {
        Ty::I64 => Some(quote! { #e.copied() }),
        Ty::I32 => Some(quote! { #e.map(|v| i64::from(*v)) }),
        // A page count declared `number`: whole in practice; a fraction is cut.
        Ty::F64 => Some(quote! { #e.map(|v| *v as i64) }),
        _ => None,
    }
}

/// For items that are a union whose every member has the field (`id`):
/// an `Option<String>` of the field of `last`, whichever member it is; an
/// unknown member's JSON is read for the same key.
fn union_id(api: &Api, item: &Ty, field: &[String]) -> Option<TokenStream> {
    let name = super::named_of(item)?;
    let TypeKind::Union(u) = &api.types.get(name)?.kind else { return None };
    let [seg] = field else { return None };
    let item_t = ty_tokens(item);
    let mut wire = None;
    let mut arms = Vec::new();
    for v in &u.variants {
        let vi = ident(&v.ident);
        let (f, _) = self::field(api, &v.ty, seg)?;
        wire = Some(f.wire.clone());
        let value = match access(api, quote! { v }, &v.ty, field)? {
            (Access::Place(p), _) => quote! { ::std::option::Option::Some(#p.to_string()) },
            (Access::Opt(e), _) => quote! { #e.map(|v| v.to_string()) },
        };
        arms.push(quote! { #item_t::#vi(v) => #value, });
    }
    let wire = wire?;
    Some(quote! {
        match last {
            #(#arms)*
            #item_t::Unknown(v) => v.get(#wire).and_then(|id| id.as_str().map(::std::borrow::ToOwned::to_owned).or_else(|| id.as_i64().map(|n| n.to_string()))),
        }
    })
}

fn page_impl(api: &Api, success: &Ty, p: &Paging) -> TokenStream {
    let (items, item) = match p {
        Paging::PageNumber { items, item, .. } | Paging::Cursor { items, item, .. } | Paging::Offset { items, item, .. } | Paging::Link { items, item } | Paging::NextUrl { items, item, .. } | Paging::LastItem { items, item, .. } | Paging::PageUntilEmpty { items, item, .. } => {
            (items, item)
        }
    };
    let Some(into_items) = owned_items(api, success, items) else { return quote! {} };
    let item_t = ty_tokens(item);
    let ty = ty_tokens(success);
    let next = match p {
        Paging::PageNumber { param, number, total, .. } => {
            let (Some((n, nt)), Some((t, tt))) = (by_ref(api, success, number), by_ref(api, success, total)) else { return quote! {} };
            let (Some(n), Some(t)) = (as_i64(n, &nt), as_i64(t, &tt)) else { return quote! {} };
            // The trait's default `next_page` asks for `number + 1` below the total.
            let into_items = if items.is_empty() { quote! { self } } else { into_items };
            return quote! {
                impl crate::Page for #ty {
                    type Item = #item_t;
                    fn into_items(self) -> ::std::vec::Vec<Self::Item> { #into_items }
                    fn page_number(&self) -> ::std::option::Option<i64> { #n }
                    fn total_pages(&self) -> ::std::option::Option<i64> { #t }
                    fn page_number_param() -> &'static str { #param }
                    fn fingerprint(&self) -> ::std::option::Option<u64> { crate::pagination::fingerprint(self) }
                }
            };
        }
        Paging::Cursor { param, next, or_url, .. } => {
            let Some((c, ct)) = by_ref(api, success, next) else { return quote! {} };
            let value = match ct {
                Ty::String => quote! { (!cursor.is_empty()).then(|| cursor.clone()) },
                _ => quote! { ::std::option::Option::Some(cursor.to_string()) },
            };
            let make = if *or_url { quote! { crate::NextPage::token_or_url } } else { quote! { crate::NextPage::query } };
            quote! {
                let _ = page;
                let cursor = #c?;
                #value.map(|cursor| #make(#param, cursor))
            }
        }
        Paging::Offset { param, items, .. } => {
            let count = if items.is_empty() {
                quote! { self.len() }
            } else {
                let Some((list, _)) = by_ref(api, success, items) else { return quote! {} };
                quote! { #list.map_or(0, |items| items.len()) }
            };
            quote! { page.next_offset(#param, #count) }
        }
        Paging::Link { .. } => quote! { page.link_next() },
        Paging::PageUntilEmpty { param, items, first, .. } => {
            let count = if items.is_empty() {
                quote! { self.len() }
            } else {
                let Some((list, _)) = by_ref(api, success, items) else { return quote! {} };
                quote! { #list.map_or(0, |items| items.len()) }
            };
            let first = proc_macro2::Literal::i64_unsuffixed(*first);
            quote! { page.next_page_number(#param, #first, #count) }
        }
        Paging::LastItem { param, items, field, more, .. } => {
            // `has_more: false` ends the list without asking for an empty page.
            let stop = match (more.is_empty(), by_ref(api, success, more)) {
                (false, Some((flag, Ty::Bool))) => quote! {
                    if #flag == ::std::option::Option::Some(&false) {
                        return ::std::option::Option::None;
                    }
                },
                _ => quote! {},
            };
            let last = match access(api, quote! { self }, success, items) {
                Some((Access::Place(p), _)) => quote! { #p.last()? },
                Some((Access::Opt(e), _)) => quote! { #e?.last()? },
                None => return quote! {},
            };
            if let Some(by_member) = union_id(api, item, field) {
                return quote! {
                    impl crate::Page for #ty {
                        type Item = #item_t;
                        fn into_items(self) -> ::std::vec::Vec<Self::Item> { #into_items }
                        fn next_page(&self, page: &crate::PageInfo<'_>) -> ::std::option::Option<crate::NextPage> {
                            let _ = page;
                            #stop
                            let last = #last;
                            let value: ::std::string::String = #by_member?;
                            (!value.is_empty()).then(|| crate::NextPage::query(#param, value))
                        }
                        fn fingerprint(&self) -> ::std::option::Option<u64> { crate::pagination::fingerprint(self) }
                    }
                };
            }
            let value = match access(api, quote! { last }, item, field) {
                // A string item is its own id: `last` is already a reference.
                Some((Access::Place(p), ty)) if field.is_empty() => (p, ty),
                Some((Access::Place(p), ty)) => (quote! { &#p }, ty),
                Some((Access::Opt(e), ty)) => (quote! { #e? }, ty),
                None => return quote! {},
            };
            let (value, vt) = value;
            // An empty page (or an item without the field) is the end.
            let next = match vt {
                Ty::String => quote! { (!value.is_empty()).then(|| crate::NextPage::query(#param, value.clone())) },
                _ => quote! { ::std::option::Option::Some(crate::NextPage::query(#param, value.to_string())) },
            };
            quote! {
                let _ = page;
                #stop
                let last = #last;
                let value = #value;
                #next
            }
        }
        Paging::NextUrl { next, .. } => {
            let Some((url, Ty::String)) = by_ref(api, success, next) else { return quote! {} };
            quote! {
                let _ = page;
                #url.filter(|url| !url.is_empty()).map(|url| crate::NextPage::url(url.clone()))
            }
        }
    };
    let into_items = if items.is_empty() { quote! { self } } else { into_items };
    quote! {
        impl crate::Page for #ty {
            type Item = #item_t;
            fn into_items(self) -> ::std::vec::Vec<Self::Item> { #into_items }
            fn next_page(&self, page: &crate::PageInfo<'_>) -> ::std::option::Option<crate::NextPage> { #next }
            fn fingerprint(&self) -> ::std::option::Option<u64> { crate::pagination::fingerprint(self) }
        }
    }
}
