//! Models: structs, string enums with a catch-all, unions, from [`TypeDef`]s.

use super::docs::doc_attrs;
use super::{ty_tokens, ty_tokens_in};
use crate::ir::*;
use crate::naming::{self, ident, Scope};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, HashSet};

/// Facts about all types that emission needs (computed once).
pub struct TypeFacts {
    /// Types that (transitively) contain a file upload: no PartialEq.
    pub has_binary: HashSet<String>,
    /// Types whose date-times keep the caller's offset (`DateTime<FixedOffset>`):
    /// those reached from query and header parameters (set by `emit`).
    pub offset_dates: HashSet<String>,
    /// Single-value enums emitted as a `Const<Tag>` alias: those whose tag
    /// name (`{name}Tag`) is not taken by another type.
    pub const_tags: HashSet<String>,
}

impl TypeFacts {
    /// Computes the facts by fixpoint over the type graph.
    pub fn new(types: &BTreeMap<String, TypeDef>) -> Self {
        let mut has_binary: HashSet<String> = HashSet::new();
        loop {
            let before = has_binary.len();
            for (name, def) in types {
                if has_binary.contains(name) {
                    continue;
                }
                let direct = match &def.kind {
                    TypeKind::Struct(s) => s.fields.iter().any(|f| mentions(&f.ty, &has_binary)),
                    TypeKind::Union(u) => u.variants.iter().any(|v| mentions(&v.ty, &has_binary)),
                    TypeKind::Alias(t) => mentions(t, &has_binary),
                    TypeKind::Enum(_) => false,
                };
                if direct {
                    has_binary.insert(name.clone());
                }
            }
            if has_binary.len() == before {
                break;
            }
        }
        let const_tags = types
            .iter()
            .filter(|(name, def)| matches!(&def.kind, TypeKind::Enum(e) if e.variants.len() == 1) && !types.contains_key(&const_tag_name(name)))
            .map(|(name, _)| name.clone())
            .collect();
        TypeFacts { has_binary, offset_dates: HashSet::new(), const_tags }
    }
}

fn mentions(ty: &Ty, set: &HashSet<String>) -> bool {
    match ty {
        Ty::Binary => true,
        Ty::Named(n) => set.contains(n),
        Ty::Vec(t) | Ty::Map(t) | Ty::Boxed(t) => mentions(t, set),
        _ => false,
    }
}

/// Emits one type.
pub fn emit_type(def: &TypeDef, facts: &TypeFacts) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(def, s, facts),
        TypeKind::Enum(e) => emit_enum(def, e, facts),
        TypeKind::Union(u) => emit_union(def, u, facts),
        TypeKind::Alias(t) => {
            let name = ident(&def.name);
            let doc = doc_attrs(def.doc.as_deref(), &format!("`{}`.", def.name));
            let t = ty_tokens(t);
            quote! { #doc pub type #name = #t; }
        }
    }
}

/// The Rust type of a field, with its `Option` wrappers.
fn field_ty(f: &Field, input: bool, offset: bool) -> TokenStream {
    let t = ty_tokens_in(&f.ty, offset);
    match (f.required, f.nullable) {
        (true, false) => t,
        (true, true) => quote! { ::std::option::Option<#t> },
        (false, true) if input => quote! { ::std::option::Option<::std::option::Option<#t>> },
        (false, _) => quote! { ::std::option::Option<#t> },
    }
}

fn emit_struct(def: &TypeDef, s: &Struct, facts: &TypeFacts) -> TokenStream {
    let name = ident(&def.name);
    let binary = facts.has_binary.contains(&def.name);
    let input = def.is_input;
    let offset = facts.offset_dates.contains(&def.name);
    let doc = doc_attrs(def.doc.as_deref(), &format!("The `{}` object.", def.name));
    let has_required = s.fields.iter().any(|f| f.required);

    let mut fields = Vec::new();
    for f in &s.fields {
        let fname = ident(&f.ident);
        let fdoc = doc_attrs(f.doc.as_deref(), &format!("`{}`.", super::docs::code(&f.wire)));
        let t = field_ty(f, input, offset);
        fields.push(quote! { #fdoc pub #fname: #t, });
    }
    if s.keep_unknown {
        let extra = ident(&s.additional_name);
        let map = extra_map_ty(s);
        fields.push(quote! {
            /// Properties the spec does not declare, kept so no data is lost
            /// (and so requests can carry fields newer than this crate).
            pub #extra: #map,
        });
    }

    let mut derives = vec![quote! { Debug }, quote! { Clone }];
    if !binary {
        derives.push(quote! { PartialEq });
    }
    if !has_required {
        derives.push(quote! { Default });
    }
    // Serde impls are written out (see serde_impls.rs for why not derived).
    // A type that carries a file has them too: a body offered as JSON and
    // as multipart, or a JSON value with a file member deep inside, goes as
    // JSON when no file is set (an unset file field is left out).
    let serde = super::serde_impls::emit(def, s, input);
    let builder = if input { emit_builder(def, s, has_required, offset) } else { quote! {} };
    quote! {
        #doc
        #[derive(#(#derives),*)]
        pub struct #name { #(#fields)* }
        #serde
        #builder
    }
}

/// The type of the map that keeps a struct's undeclared properties.
fn extra_map_ty(s: &Struct) -> TokenStream {
    match s.additional {
        Ty::Json => quote! { ::serde_json::Map<::std::string::String, ::serde_json::Value> },
        _ => {
            let vt = ty_tokens(&s.additional);
            quote! { ::std::collections::BTreeMap<::std::string::String, #vt> }
        }
    }
}

/// `new(required..)` and one setter per optional field, for types callers build.
fn emit_builder(def: &TypeDef, s: &Struct, has_required: bool, offset: bool) -> TokenStream {
    let name = ident(&def.name);
    let mut scope = Scope::with_reserved(&["new"]);
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let n = ident(&f.ident);
        let t = field_ty(f, true, offset);
        quote! { #n: impl ::std::convert::Into<#t> }
    });
    let inits = s.fields.iter().map(|f| {
        let n = ident(&f.ident);
        if f.required {
            quote! { #n: #n.into(), }
        } else {
            quote! { #n: ::std::option::Option::None, }
        }
    });
    let extra_init = if s.keep_unknown {
        let e = ident(&s.additional_name);
        quote! { #e: ::std::default::Default::default(), }
    } else {
        quote! {}
    };
    let too_many = if required.len() > 7 { quote! { #[allow(clippy::too_many_arguments)] } } else { quote! {} };
    let ctor = if has_required {
        let names: Vec<String> = required.iter().map(|f| format!("`{}`", super::docs::code(&f.wire))).collect();
        let d = format!(" Creates a value from its required fields ({}); optional fields start unset.", names.join(", "));
        quote! {
            #[doc = #d]
            #too_many
            pub fn new(#(#args),*) -> Self { Self { #(#inits)* #extra_init } }
        }
    } else {
        quote! {
            /// Creates an empty value; set fields with the builder methods.
            pub fn new() -> Self { ::std::default::Default::default() }
        }
    };
    let setters = s.fields.iter().filter(|f| !f.required).map(|f| {
        let field = ident(&f.ident);
        let setter_name = scope.claim(&f.ident);
        let setter = ident(&setter_name);
        let trait_like = naming::std_trait_method(&setter_name).then(|| quote! { #[allow(clippy::should_implement_trait)] });
        let t = ty_tokens_in(&f.ty, offset);
        let (arg, value) = super::setter_arg(&f.ty, &t);
        let d = format!(" Sets `{}`.", super::docs::code(&f.wire));
        if f.nullable {
            let null_setter = ident(&scope.claim(&format!("{}_null", naming::unraw(&f.ident))));
            let dn = format!(" Sets `{}` to an explicit `null` (unset fields are left out).", super::docs::code(&f.wire));
            quote! {
                #[doc = #d]
                #trait_like
                pub fn #setter(mut self, value: #arg) -> Self {
                    self.#field = ::std::option::Option::Some(::std::option::Option::Some(#value));
                    self
                }
                #[doc = #dn]
                pub fn #null_setter(mut self) -> Self {
                    self.#field = ::std::option::Option::Some(::std::option::Option::None);
                    self
                }
            }
        } else {
            quote! {
                #[doc = #d]
                #trait_like
                pub fn #setter(mut self, value: #arg) -> Self {
                    self.#field = ::std::option::Option::Some(#value);
                    self
                }
            }
        }
    });
    quote! {
        impl #name {
            #ctor
            #(#setters)*
        }
    }
}

/// A string enum is one `string_enum!` invocation (the runtime's `__rt`
/// writes the conversions and serde impls once, in a macro, instead of ~80
/// generated lines per enum); an enum with a single value is an alias of the
/// runtime's generic `Const` with a zero-sized tag: a dozen lines and no
/// derives per type. The enum is built as a plain `enum` with `= "wire"`
/// discriminants marked `#[__rt_string_enum]`, so `prettyplease` lays it
/// out; [`super::wrap_marked_macros`] then wraps it in the macro call.
fn emit_enum(def: &TypeDef, e: &StringEnum, facts: &TypeFacts) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref(), &format!("The `{}` enum.", def.name));
    if facts.const_tags.contains(&def.name) {
        if let [only] = e.variants.as_slice() {
            let tag = ident(&const_tag_name(&def.name));
            let known = ident(&only.ident);
            let wire = Literal::string(&only.wire);
            let more = format!(
                " The spec allows one value, `{}`: a [`Const`](crate::Const), which keeps any other value a newer server sends ([`is_unknown`](crate::Const::is_unknown)).",
                only.wire.replace('`', "'")
            );
            let tag_doc = format!(" The tag of [`{}`]: the value `{}`.", def.name, super::docs::code(&only.wire));
            let known_doc = format!(" `{}`, the value this type stands for.", super::docs::code(&only.wire));
            return quote! {
                #doc
                ///
                #[doc = #more]
                pub type #name = crate::Const<#tag>;
                #[doc = #tag_doc]
                pub struct #tag;
                impl crate::Tag for #tag {
                    const VALUE: &'static str = #wire;
                }
                impl crate::Const<#tag> {
                    #[doc = #known_doc]
                    #[allow(non_upper_case_globals)]
                    pub const #known: Self = Self::KNOWN;
                }
            };
        }
    }
    let variants = e.variants.iter().enumerate().map(|(i, v)| {
        let vi = ident(&v.ident);
        let wire = Literal::string(&v.wire);
        let vdoc = format!(" `{}`", super::docs::code(&v.wire));
        let default_mark = if e.default == Some(i) { quote! { #[default] } } else { quote! {} };
        quote! { #[doc = #vdoc] #default_mark #vi = #wire, }
    });
    let derive_default = if e.default.is_some() { quote! { , Default } } else { quote! {} };
    quote! {
        #[__rt_string_enum]
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord #derive_default)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// The zero-sized tag type behind a single-value enum's `Const` alias.
pub(super) fn const_tag_name(name: &str) -> String {
    format!("{name}Tag")
}

fn emit_union(def: &TypeDef, u: &Union, facts: &TypeFacts) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref(), &format!("The `{}` union.", def.name));
    let binary = facts.has_binary.contains(&def.name);
    let variants = u.variants.iter().map(|v| {
        let vi = ident(&v.ident);
        let t = ty_tokens(&v.ty);
        let d = match super::named_of(&v.ty) {
            Some(n) => format!(" A [`{n}`](crate::types::{n})."),
            None => format!(" The `{}` form.", v.ident),
        };
        quote! { #[doc = #d] #vi(#t), }
    });
    // A union that holds a file still has serde: it may be sent as JSON
    // (the runtime's `FileUpload` serde says why); only `PartialEq` is left out.
    let derives = if binary {
        quote! { #[derive(Debug, Clone, ::serde::Serialize)] }
    } else {
        quote! { #[derive(Debug, Clone, PartialEq, ::serde::Serialize)] }
    };
    let serde_attr = quote! { #[serde(untagged)] };
    let (unknown, deser) = {
        match &u.discriminator {
            Some(prop) => {
                let arms = u.variants.iter().flat_map(|v| {
                    let vi = ident(&v.ident);
                    v.tags.iter().map(move |t| quote! { ::std::option::Option::Some(#t) => ::serde_json::from_value(value).map(Self::#vi).map_err(::serde::de::Error::custom), })
                });
                (
                    quote! {
                        /// A member this version does not know; the JSON is kept intact.
                        Unknown(::serde_json::Value),
                    },
                    quote! {
                        impl<'de> ::serde::Deserialize<'de> for #name {
                            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                                let tag = value.get(#prop).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                                match tag.as_deref() {
                                    #(#arms)*
                                    _ => ::std::result::Result::Ok(Self::Unknown(value)),
                                }
                            }
                        }
                    },
                )
            }
            None => {
                // Untagged: try the members whose shape fits (see emit/guards.rs); keep unknown shapes.
                let tries = super::guards::untagged_tries(u);
                (
                    quote! {
                        /// A value that matches no known member; the JSON is kept intact.
                        Unknown(::serde_json::Value),
                    },
                    quote! {
                        impl<'de> ::serde::Deserialize<'de> for #name {
                            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                                #tries
                                ::std::result::Result::Ok(Self::Unknown(value))
                            }
                        }
                    },
                )
            }
        }
    };
    quote! {
        #doc
        #derives
        #serde_attr
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            #unknown
        }
        #deser
    }
}
