//! Per-resource cargo features for large documents: each root resource
//! (`client.faxes()`) is behind a feature named after its module, the types
//! it reaches are compiled when one of the features that reach them is on,
//! and `full` (the default) turns every feature on. A user who needs one
//! resource builds only its part of a 1,000-operation API.
//!
//! The dependency closure is computed here from the IR: a type is gated by
//! the set of features whose operations (or webhook events) reach it through
//! fields, union members and aliases. A type reached by one feature only is
//! behind that feature; a shared type is behind `any` of its features, or
//! always on when more than [`ALWAYS_ON_ABOVE`] features reach it (a long
//! `cfg(any(..))` list costs more to read than the type costs to check).
//! Features therefore never need to enable each other: enabling `faxes`
//! compiles exactly what `faxes` reaches, not every type of a resource it
//! shares one type with.

use crate::diagnostics::Error;
use crate::emit::Files;
use crate::ir::*;
use crate::naming;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// When to put resources behind features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FeatureMode {
    /// Never (the fax crate: one small resource set, no `[features]` table).
    #[default]
    Off,
    /// Always (`--features-per-resource`).
    On,
    /// When the document has more operations than this (`--crate` output of a
    /// large document).
    Above(usize),
}

impl FeatureMode {
    /// Whether `api` gets features under this mode.
    pub fn applies(self, api: &Api) -> bool {
        match self {
            FeatureMode::Off => false,
            FeatureMode::On => true,
            FeatureMode::Above(n) => api.operations.len() > n,
        }
    }
}

/// Operations above which `xtask generate --crate` turns features on by itself.
pub const AUTO_ABOVE_OPERATIONS: usize = 200;

/// A type reached by more features than this is compiled always.
pub const ALWAYS_ON_ABOVE: usize = 12;

/// The feature that gates the typed webhook events (`WebhookEvent` itself
/// always exists; its variants and their types are behind this feature).
pub const WEBHOOKS_FEATURE: &str = "webhook-events";

/// Seeds of the types always compiled (not a feature).
const ALWAYS: &str = " always";

/// The feature that turns every other feature on (and is the default).
pub const FULL_FEATURE: &str = "full";

/// Which feature gates what.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeaturePlan {
    /// Feature of each root resource, by resource segment (as in
    /// [`Operation::resource`]).
    pub resources: BTreeMap<String, String>,
    /// Features that gate each type; a type not listed is always compiled.
    pub types: BTreeMap<String, BTreeSet<String>>,
    /// Whether [`WEBHOOKS_FEATURE`] exists (the document has webhook events).
    pub webhooks: bool,
}

/// The module (and feature) name of a root resource, as `resources.rs` names
/// its file: a keyword gets a trailing `_` (`type` -> `type_`).
pub fn resource_module(seg: &str) -> String {
    match naming::escape_keyword(naming::unraw(seg).to_string()) {
        m if m.starts_with("r#") => format!("{}_", naming::unraw(&m)),
        m => m,
    }
}

impl FeaturePlan {
    /// Computes the plan for `api`.
    pub fn new(api: &Api) -> Self {
        let mut resources = BTreeMap::new();
        let mut seeds: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for op in &api.operations {
            let Some(root) = op.resource.first() else { continue };
            let feature = resources
                .entry(root.clone())
                .or_insert_with(|| {
                    let m = resource_module(root);
                    // Resource features are snake_case identifiers; the two
                    // fixed names could still be taken by a resource.
                    if m == FULL_FEATURE || m == "default" {
                        format!("{m}-resource")
                    } else {
                        m
                    }
                })
                .clone();
            let set = seeds.entry(feature).or_default();
            let mut tys: Vec<&Ty> = Vec::new();
            tys.extend(op.path_params.iter().chain(&op.required_params).chain(&op.optional_params).map(|p| &p.ty));
            tys.extend(op.body.iter().map(|b| &b.ty));
            tys.extend(op.success.iter());
            tys.extend(op.responses.iter().filter_map(|r| r.ty.as_ref()));
            if let Some(p) = &op.pagination {
                tys.push(&p.item);
            }
            for t in tys {
                named_in(t, set);
            }
            if let Some(pt) = &op.params_type {
                set.insert(pt.as_str());
            }
        }
        // The error body is named by every operation's error path: always on,
        // with everything it reaches (a pseudo-feature, never written out).
        if let Some(t) = &api.error_body {
            named_in(t, seeds.entry(ALWAYS.to_string()).or_default());
        }
        let webhooks = !api.webhooks.is_empty();
        if webhooks {
            let set = seeds.entry(WEBHOOKS_FEATURE.to_string()).or_default();
            for e in &api.webhooks {
                named_in(&e.ty, set);
            }
        }
        // Closure: every type each feature reaches. A type reached by more
        // than `ALWAYS_ON_ABOVE` features is always on, and so is everything
        // it reaches (each of those features reaches that too): its set stops
        // growing (`None`) and later walks do not go through it again. Without
        // this, a chain of types every resource reaches (`parent: $ref` from
        // one record to the previous) made sets of every feature for every
        // type: quadratic, 17 GB for a 50 MB document.
        let mut users: BTreeMap<&str, Option<BTreeSet<&str>>> = BTreeMap::new();
        for (feature, seed) in &seeds {
            let mut stack: Vec<&str> = seed.iter().copied().collect();
            let mut seen: BTreeSet<&str> = BTreeSet::new();
            while let Some(name) = stack.pop() {
                if !seen.insert(name) {
                    continue;
                }
                let entry = users.entry(name).or_insert_with(|| Some(BTreeSet::new()));
                let Some(set) = entry else { continue };
                set.insert(feature.as_str());
                if set.len() > ALWAYS_ON_ABOVE || set.contains(ALWAYS) {
                    *entry = None;
                }
                let Some(def) = api.types.get(name) else { continue };
                stack.extend(def.kind.member_names());
            }
        }
        let mut types = BTreeMap::new();
        for name in api.types.keys() {
            match users.get(name.as_str()) {
                // Reached by no resource nor event: compiled with `full` only.
                None => {
                    types.insert(name.clone(), BTreeSet::from([FULL_FEATURE.to_string()]));
                }
                Some(None) => {}
                Some(Some(set)) => {
                    types.insert(name.clone(), set.iter().map(|s| s.to_string()).collect());
                }
            }
        }
        FeaturePlan { resources, types, webhooks }
    }

    /// Every feature except `full` and `default`, sorted.
    pub fn features(&self) -> BTreeSet<&str> {
        let mut all: BTreeSet<&str> = self.resources.values().map(String::as_str).collect();
        if self.webhooks {
            all.insert(WEBHOOKS_FEATURE);
        }
        all
    }

    /// The `#[cfg(..)]` attribute of a type, if it is gated.
    pub fn type_cfg(&self, name: &str) -> Option<TokenStream> {
        self.types.get(name).map(|set| cfg_any(set.iter().map(String::as_str)))
    }

    /// [`Self::type_cfg`] as `prettyplease` prints it (for the text writer;
    /// `None` where it does not know the layout).
    pub(crate) fn type_cfg_text(&self, name: &str) -> Option<Option<String>> {
        self.types.get(name).map(|set| super::text::cfg_text(set.iter().map(String::as_str)))
    }

    /// The feature of a root resource, if it has one.
    pub(crate) fn resource_feature(&self, seg: &str) -> Option<&str> {
        self.resources.get(seg).map(String::as_str)
    }

    /// The `#[cfg(..)]` attribute of a root resource's module and accessor.
    pub fn resource_cfg(&self, seg: &str) -> Option<TokenStream> {
        self.resources.get(seg).map(|f| cfg_any([f.as_str()]))
    }

    /// The `#[cfg(..)]` attribute of the typed webhook events.
    pub fn webhooks_cfg(&self) -> Option<TokenStream> {
        self.webhooks.then(|| cfg_any([WEBHOOKS_FEATURE]))
    }

    /// Adds the `[features]` table to the crate's `Cargo.toml` in `files`
    /// (from [`crate::package::crate_files`]): `default = ["full"]`, `full`
    /// with every feature, one empty feature per resource (and the webhook
    /// events). Edited with `toml_edit`, so the rest of the manifest keeps
    /// its layout.
    pub fn write_manifest(&self, files: &mut Files) -> Result<(), Error> {
        let text = files.get("Cargo.toml").ok_or_else(|| Error::msg("the crate has no Cargo.toml to add features to"))?;
        let mut doc: toml_edit::DocumentMut =
            text.parse().map_err(|e| Error::msg(format!("Cargo.toml does not parse: {e}")))?;
        // The runtime's own features (`testing`, `blocking`) stay; `full`
        // joins its default list.
        let item = doc.entry("features").or_insert_with(|| {
            let mut t = toml_edit::Table::new();
            t.decor_mut().set_prefix(
                "\n# One feature per root resource (`client.<resource>()`) and its types,\n# computed by the generator; `full` (the default) turns them all on.\n",
            );
            toml_edit::Item::Table(t)
        });
        let table = item.as_table_mut().ok_or_else(|| Error::msg("Cargo.toml: `features` is not a table"))?;
        let features = self.features();
        if let Some(taken) = features.iter().find(|f| table.contains_key(f) || **f == FULL_FEATURE) {
            return Err(Error::msg(format!("the resource feature `{taken}` is already a feature of the runtime")));
        }
        let mut default = table.get("default").and_then(|d| d.as_array()).cloned().unwrap_or_default();
        default.push(FULL_FEATURE);
        table["default"] = toml_edit::value(default);
        let mut full = toml_edit::Array::new();
        for f in &features {
            let mut v = toml_edit::Value::from(*f);
            v.decor_mut().set_prefix("\n    ");
            full.push_formatted(v);
        }
        full.set_trailing("\n");
        full.set_trailing_comma(true);
        table[FULL_FEATURE] = toml_edit::value(full);
        for f in &features {
            table[*f] = toml_edit::value(toml_edit::Array::new());
        }
        files.insert("Cargo.toml".into(), doc.to_string());
        Ok(())
    }
}

impl FeaturePlan {
    /// Puts each `impl` of `tokens` (a file of impls on generated types,
    /// such as `paging.rs`) behind the gate of the type it is for.
    pub(crate) fn gate_impls(&self, tokens: TokenStream) -> Result<TokenStream, Error> {
        let file: syn::File =
            syn::parse2(tokens).map_err(|e| Error::msg(format!("internal error: generated code does not parse: {e}")))?;
        let mut out = TokenStream::new();
        for item in file.items {
            let gate = match &item {
                syn::Item::Impl(i) => impl_subject(&i.self_ty).and_then(|name| self.type_cfg(&name)),
                _ => None,
            };
            out.extend(quote! { #gate #item });
        }
        Ok(out)
    }
}

/// The generated type an impl is for: `T` of `crate::types::T`, and of a
/// bare-array page `Vec<crate::types::T>` (an `impl Page` for a list whose
/// response is the array itself) the item's type.
fn impl_subject(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident == "Vec" {
        if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
            if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                return impl_subject(inner);
            }
        }
    }
    Some(last.ident.to_string())
}

/// `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", feature = "b"))]`.
fn cfg_any<'a>(features: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let fs: Vec<&str> = features.into_iter().collect();
    match fs.as_slice() {
        [one] => quote! { #[cfg(feature = #one)] },
        _ => quote! { #[cfg(any(#(feature = #fs),*))] },
    }
}

/// Puts `cfg` (outer attributes) first on every item of `items` (one
/// type's struct or enum and its impls, already parsed): the attributes
/// are added to the syntax trees, so the items are not printed back to
/// tokens and parsed a second time (issue 21).
pub(crate) fn gate_items(items: &mut [syn::Item], cfg: &TokenStream) -> Result<(), Error> {
    let attrs = syn::parse::Parser::parse2(syn::Attribute::parse_outer, cfg.clone())
        .map_err(|e| Error::msg(format!("internal error: a generated cfg does not parse: {e}")))?;
    for item in items {
        match item_attrs(item) {
            Some(a) => {
                a.splice(0..0, attrs.iter().cloned());
            }
            None => {
                *item = syn::parse2(quote! { #cfg #item })
                    .map_err(|e| Error::msg(format!("internal error: generated code does not parse: {e}")))?;
            }
        }
    }
    Ok(())
}

/// The outer attributes of an item (`None` for verbatim tokens).
fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

fn named_in<'a>(ty: &'a Ty, out: &mut BTreeSet<&'a str>) {
    out.extend(ty.named());
}

#[cfg(test)]
mod tests {
    use super::impl_subject;

    /// A bare-array page's impl is gated by its item type (the whole-API
    /// crate's `impl Page for Vec<McpServer>` was left ungated, E0425 with
    /// only `faxes` on).
    #[test]
    fn an_impl_is_for_its_type_or_its_array_items() {
        let subject = |t: &str| impl_subject(&syn::parse_str(t).unwrap());
        assert_eq!(subject("crate::types::Fax").as_deref(), Some("Fax"));
        assert_eq!(subject("::std::vec::Vec<crate::types::McpServer>").as_deref(), Some("McpServer"));
        assert_eq!(subject("::std::vec::Vec<::std::string::String>").as_deref(), Some("String"));
        assert_eq!(subject("(u8, u8)"), None);
    }
}
