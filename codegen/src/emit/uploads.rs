//! One method for "JSON, or multipart when a file is attached": an operation
//! whose `multipart/form-data` body has exactly the fields of its JSON body
//! plus file fields is emitted as a single method taking the JSON body type,
//! which gains those file fields (skipped by serde). The request is sent as
//! multipart when a file is set, as JSON otherwise — the official SDKs' shape
//! (`client.faxes.create(..., contents=file)`), instead of a second method and
//! a second body type.

use super::named_of;
use crate::ir::*;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// Whether a field carries files (`FileUpload` or a list of them).
pub(crate) fn is_file(ty: &Ty) -> bool {
    match ty {
        Ty::Binary => true,
        Ty::Vec(inner) => **inner == Ty::Binary,
        _ => false,
    }
}

/// A file field the JSON body type gains, placed after the field it follows
/// in the multipart body (`None`: first), so the parts keep their order.
pub(crate) type FileField = (Option<String>, Field);

/// The JSON and multipart variants of `op` when they merge, with the file
/// fields the JSON body type gains.
pub(crate) fn merged<'a>(api: &'a Api, op: &'a Operation) -> Option<(&'a BodyVariant, &'a BodyVariant, Vec<FileField>)> {
    let json = op.body.iter().find(|b| b.encoding == BodyEncoding::Json)?;
    let multi = op.body.iter().find(|b| b.encoding == BodyEncoding::Multipart)?;
    let (j, m) = (struct_of(api, &json.ty)?, struct_of(api, &multi.ty)?);
    let (files, others): (Vec<&Field>, Vec<&Field>) = m.fields.iter().partition(|f| is_file(&f.ty));
    if files.is_empty() || others.len() != j.fields.len() || j.fields.iter().any(|f| is_file(&f.ty)) {
        return None;
    }
    let same = |a: &Field, b: &Field| a.ty == b.ty && a.required == b.required && a.nullable == b.nullable;
    if !others.iter().all(|o| j.fields.iter().any(|f| f.wire == o.wire && same(f, o))) {
        return None;
    }
    // A file field whose name is taken by a JSON field cannot be added.
    if files.iter().any(|f| j.fields.iter().any(|g| g.ident == f.ident || g.wire == f.wire)) {
        return None;
    }
    // Optional in the merged type: without a file the body goes as JSON.
    let files = files
        .into_iter()
        .map(|f| {
            let at = m.fields.iter().position(|g| g.wire == f.wire).unwrap_or(0);
            let after = at.checked_sub(1).and_then(|i| m.fields.get(i)).map(|g| g.wire.clone());
            (after, Field { required: false, nullable: false, ..f.clone() })
        })
        .collect();
    Some((json, multi, files))
}

fn struct_of<'a>(api: &'a Api, ty: &Ty) -> Option<&'a Struct> {
    match &api.types.get(named_of(ty)?)?.kind {
        TypeKind::Struct(s) => Some(s),
        _ => None,
    }
}

/// JSON body type name -> the file fields it gains, over every operation.
/// A type used by two merging operations gets the union of their files.
pub(crate) fn file_fields(api: &Api) -> BTreeMap<String, Vec<FileField>> {
    let mut out: BTreeMap<String, Vec<FileField>> = BTreeMap::new();
    for op in &api.operations {
        if let Some((json, _, files)) = merged(api, op) {
            if let Some(name) = named_of(&json.ty) {
                let entry = out.entry(name.to_string()).or_default();
                for f in files {
                    if !entry.iter().any(|e| e.1.wire == f.1.wire) {
                        entry.push(f);
                    }
                }
            }
        }
    }
    out
}

/// The type with its file fields added where the multipart body has them
/// (a struct; anything else as is).
pub(crate) fn with_files(def: &TypeDef, files: &[FileField]) -> TypeDef {
    let mut def = def.clone();
    if let TypeKind::Struct(s) = &mut def.kind {
        for (after, f) in files {
            let at = match after {
                Some(w) => s.fields.iter().position(|g| &g.wire == w).map_or(s.fields.len(), |i| i + 1),
                None => 0,
            };
            s.fields.insert(at, f.clone());
        }
    }
    def
}

/// `has_files()`: whether the value is sent as multipart.
pub(crate) fn has_files_impl(def: &TypeDef, files: &[FileField]) -> TokenStream {
    let name = ident(&def.name);
    let checks = files.iter().map(|(_, f)| {
        let n = ident(&f.ident);
        match &f.ty {
            Ty::Vec(_) => quote! { self.#n.as_ref().is_some_and(|files| !files.is_empty()) },
            _ => quote! { self.#n.is_some() },
        }
    });
    quote! {
        impl #name {
            /// Whether a file is attached: the body is then sent as
            /// `multipart/form-data` (see `into_form`), otherwise as JSON.
            pub fn has_files(&self) -> bool {
                #(#checks)||*
            }
        }
    }
}

/// The body variants of `op` emitted as methods of their own: all but the
/// multipart twin of a merged JSON body.
pub(crate) fn separate_bodies<'a>(api: &'a Api, op: &'a Operation) -> impl Iterator<Item = &'a BodyVariant> + 'a {
    let twin = merged(api, op).map(|(_, m, _)| m.media_type.as_str());
    op.body.iter().filter(move |b| Some(b.media_type.as_str()) != twin)
}

/// The multipart body types merged into their JSON twin (see [`merged`])
/// that nothing else refers to: no field, union member or alias of another
/// type, no parameter, response, other body or webhook event. They are not
/// emitted: a public type no call takes would only mislead.
pub(crate) fn unused_twins(api: &Api) -> std::collections::BTreeSet<&str> {
    let mut twins: std::collections::BTreeSet<&str> =
        api.operations.iter().filter_map(|op| merged(api, op)).filter_map(|(_, m, _)| named_of(&m.ty)).collect();
    if twins.is_empty() {
        return twins;
    }
    let mut used: Vec<&str> = Vec::new();
    for (name, def) in &api.types {
        used.extend(def.kind.member_names().into_iter().filter(|m| m != name));
    }
    for op in &api.operations {
        let params = op.required_params.iter().chain(&op.optional_params).map(|p| &p.ty);
        let bodies = separate_bodies(api, op).map(|b| &b.ty);
        used.extend(params.chain(bodies).chain(op.success.as_ref()).filter_map(Ty::named));
    }
    used.extend(api.webhooks.iter().filter_map(|w| w.ty.named()));
    twins.retain(|t| !used.contains(t));
    twins
}
