//! `generated/cli.rs`: the command-line tool's table, behind the `cli`
//! feature. One `Spec` (see the runtime's `cli.rs`) per operation, with
//! a flag per path and query parameter and per body field, and `dispatch`,
//! which calls the operation's typed client method with the decoded flags.
//! The runtime's `cli.rs` builds the clap commands from the table and
//! prints the results, so what is generated is data and one call per
//! operation (progenitor generates a clap builder function and an execute
//! function per operation instead, untyped, without uploads or paging).
//!
//! Flags:
//! - path and required query/header parameters: required flags, passed as
//!   the method's arguments;
//! - optional parameters: flags set at their place in the parameter struct;
//!   an object parameter is walked (`page[size]` -> `--page-size`), and
//!   filters read as the client's `filter` builder does: `filter[direction][eq]`
//!   -> `--direction`, `filter[created_at][gte]` -> `--created-at-gte`;
//! - the body's top-level fields: scalars and enums typed (enums list their
//!   values), arrays of them repeated, anything else as JSON text; the whole
//!   body also with `--data` (the only way for a body that is not an
//!   object); the file fields of an upload body (`--contents ./fax.pdf`) and
//!   a raw file body (`--file`) take a path.
//!
//! An operation whose body is multipart with file parts other than the
//! merged upload form (see [`super::uploads`]) has a body type without
//! serde: its command builds the request through the runtime's `Request`
//! (the client's auth, retries and errors), the body's fields as text parts
//! and its file fields as file parts, without the typed checks; one whose
//! body is not an object (a union) has no command yet, and the file lists it.

use super::{named_of, ty_tokens, ty_tokens_in, uploads};
use crate::ir::*;
use crate::naming::{ident, unraw};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeSet, HashSet};

/// Flag names the runtime gives every command (or the command tree).
const RESERVED: &[&str] = &["help", "version", "api-key", "base-url", "output", "timeout", "max-retries", "data", "all"];

/// How deep an object parameter is walked for flags (`filter[a][b][c]`).
const MAX_DEPTH: usize = 4;

/// One flag, before it becomes tokens (read by `emit::mcp` too, which
/// makes a tool argument of each flag).
pub(crate) struct FlagDef {
    pub(crate) name: String,
    pub(crate) help: String,
    target: Target,
    pub(crate) kind: &'static str,
    pub(crate) required: bool,
    pub(crate) multiple: bool,
    values: Vec<String>,
    /// The value's type (`None`: a file path).
    pub(crate) ty: Option<Ty>,
    /// A required field of the body (the command line marks it in the
    /// help only, as `--data` may give it; a tool argument requires it).
    pub(crate) body_required: bool,
}

impl FlagDef {
    /// Whether the flag sets a field of a JSON body.
    pub(crate) fn is_body(&self) -> bool {
        matches!(self.target, Target::Body(_))
    }
}

/// Where a flag's value goes (the runtime's `crate::cli::Target`).
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// A parameter, by its wire path (`["filter", "status", "eq"]`).
    Param(Vec<String>),
    /// A positional argument (a path or required parameter).
    Arg,
    /// A field of the JSON body, by its wire path.
    Body(Vec<String>),
    /// A file part of a multipart body.
    File,
    /// The whole body, read from a file.
    RawBody,
}

impl Target {
    fn tokens(&self) -> TokenStream {
        match self {
            Target::Param(wire) => quote! { crate::cli::Target::Param(&[#(#wire),*]) },
            Target::Arg => quote! { crate::cli::Target::Arg },
            Target::Body(wire) => quote! { crate::cli::Target::Body(&[#(#wire),*]) },
            Target::File => quote! { crate::cli::Target::File },
            Target::RawBody => quote! { crate::cli::Target::RawBody },
        }
    }
}

/// The flags of one operation's command.
pub(crate) struct OpFlags {
    pub(crate) flags: Vec<FlagDef>,
    /// Whether the body can be given whole (`--data`).
    pub(crate) data: bool,
    /// Whether the operation lists pages.
    pub(crate) paged: bool,
    /// One line of help (the summary).
    pub(crate) about: String,
    /// The summary, description, method and path.
    pub(crate) long_about: String,
}

/// The names taken in one command.
#[derive(Default)]
struct Names(BTreeSet<String>);

impl Names {
    /// `wanted`, else `fallback`, else `fallback-2`, `-3`...
    fn claim(&mut self, wanted: &str, fallback: &str) -> String {
        for candidate in [wanted, fallback] {
            if !candidate.is_empty() && !RESERVED.contains(&candidate) && self.0.insert(candidate.to_string()) {
                return candidate.to_string();
            }
        }
        let base = if fallback.is_empty() { "value" } else { fallback };
        let mut n = 2;
        loop {
            let c = format!("{base}-{n}");
            if self.0.insert(c.clone()) {
                return c;
            }
            n += 1;
        }
    }
}

/// `created_at` -> `created-at`.
fn kebab(ident: &str) -> String {
    unraw(ident).trim_matches('_').replace('_', "-").to_ascii_lowercase()
}

/// One line of help from a description: HTML tags dropped, whitespace
/// collapsed, the first sentence, at most about 160 characters.
pub(crate) fn one_line(text: Option<&str>) -> String {
    let text = plain(text.unwrap_or(""));
    let first = match text.find(". ") {
        Some(i) => &text[..=i],
        None => text.as_str(),
    };
    if first.chars().count() <= 160 {
        return first.to_string();
    }
    let cut: String = first.chars().take(157).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// Spec prose as terminal text: tags dropped, whitespace collapsed within
/// paragraphs, paragraphs kept.
pub(crate) fn plain(text: &str) -> String {
    let mut no_tags = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => no_tags.push(c),
            _ => {}
        }
    }
    no_tags
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The named type behind aliases and boxes.
fn resolve<'a>(api: &'a Api, ty: &'a Ty) -> &'a Ty {
    let mut ty = ty;
    for _ in 0..8 {
        match ty {
            Ty::Boxed(t) => ty = t,
            Ty::Named(n) => match api.types.get(n).map(|d| &d.kind) {
                Some(TypeKind::Alias(t)) => ty = t,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// A flag that takes the value as is: (kind, repeated, enum values).
fn scalar(api: &Api, ty: &Ty) -> Option<(&'static str, bool, Vec<String>)> {
    match resolve(api, ty) {
        Ty::String | Ty::DateTime | Ty::Date => Some(("Text", false, Vec::new())),
        Ty::Bool => Some(("Bool", false, Vec::new())),
        Ty::I32 | Ty::I64 => Some(("Integer", false, Vec::new())),
        Ty::F64 => Some(("Number", false, Vec::new())),
        Ty::Named(n) => match api.types.get(n).map(|d| &d.kind) {
            Some(TypeKind::Enum(e)) => Some(("Text", false, e.variants.iter().map(|v| v.wire.clone()).collect())),
            _ => None,
        },
        Ty::Vec(inner) => match scalar(api, inner) {
            Some((kind, false, values)) => Some((kind, true, values)),
            _ => None,
        },
        _ => None,
    }
}

/// A flag for a value of type `ty`: typed when it is a scalar (or an array
/// of them), JSON text otherwise.
fn flag(api: &Api, name: String, help: String, target: Target, ty: &Ty, required: bool) -> FlagDef {
    let (kind, multiple, values) = scalar(api, ty).unwrap_or(("Json", false, Vec::new()));
    FlagDef { name, help, target, kind, required, multiple, values, ty: Some(ty.clone()), body_required: false }
}

/// The flags of an optional parameter, walking objects.
fn param_flags(api: &Api, p: &Param, names: &mut Names, out: &mut Vec<FlagDef>) {
    let mut leaves = Vec::new();
    walk(api, &p.ty, vec![p.wire.clone()], vec![p.ident.clone()], p.doc.clone(), 0, &mut leaves);
    let filter = p.wire == "filter";
    for (wire, idents, doc, ty) in leaves {
        let mut short: Vec<&str> = idents.iter().map(|i| unraw(i)).collect();
        if filter && short.len() > 1 {
            short.remove(0);
        }
        if short.len() > 1 && short.last() == Some(&"eq") {
            short.pop();
        }
        let full: Vec<String> = idents.iter().map(|i| kebab(i)).collect();
        let name = names.claim(&kebab(&short.join("_")), &full.join("-"));
        let help = match one_line(doc.as_deref()) {
            h if h.is_empty() => format!("Sets `{}`", bracketed(&wire)),
            h => h,
        };
        out.push(flag(api, name, help, Target::Param(wire), &ty, false));
    }
}

/// `["filter", "direction", "eq"]` -> `filter[direction][eq]`.
fn bracketed(wire: &[String]) -> String {
    let mut s = wire[0].clone();
    for w in &wire[1..] {
        s.push_str(&format!("[{w}]"));
    }
    s
}

/// The leaves of a parameter value: (wire path, ident path, doc, type).
type Leaf = (Vec<String>, Vec<String>, Option<String>, Ty);

fn walk(api: &Api, ty: &Ty, wire: Vec<String>, idents: Vec<String>, doc: Option<String>, depth: usize, out: &mut Vec<Leaf>) {
    if scalar(api, ty).is_none() && depth < MAX_DEPTH {
        if let Ty::Named(n) = resolve(api, ty) {
            if let Some(TypeKind::Struct(s)) = api.types.get(n).map(|d| &d.kind) {
                if !s.fields.is_empty() {
                    for f in &s.fields {
                        let mut w = wire.clone();
                        w.push(f.wire.clone());
                        let mut i = idents.clone();
                        i.push(f.ident.clone());
                        // A lone `eq` reads best with its parent's doc.
                        let d = f.doc.clone().filter(|_| f.wire != "eq" || doc.is_none()).or_else(|| doc.clone());
                        walk(api, &f.ty, w, i, d, depth + 1, out);
                    }
                    return;
                }
            }
        }
    }
    out.push((wire, idents, doc, ty.clone()));
}

/// The command of one operation: its spec entry, the body of its call
/// (an `async fn` that `dispatch` boxes) and its flags, or why it has none.
pub(crate) fn operation(
    api: &Api,
    op: &Operation,
    accessors: &std::collections::BTreeMap<String, String>,
    binary: &HashSet<String>,
) -> Result<(SpecDef, TokenStream, OpFlags), String> {
    let merged = uploads::merged(api, op);
    let body = uploads::separate_bodies(api, op).next();
    let file_fields: Vec<&Field> = match (body, &merged) {
        (Some(b), Some((json, _, files))) if b.media_type == json.media_type => files.iter().map(|(_, f)| f).collect(),
        _ => Vec::new(),
    };
    let (method, untyped) = command_method(api, op, binary).ok_or_else(|| skipped(op))?;
    let mut names = Names::default();
    let mut flags = Vec::new();
    let mut args = Vec::new();
    // The same parameters as request-builder calls (for `untyped`).
    let mut raw_calls = Vec::new();
    for p in op.path_params.iter().chain(&op.required_params) {
        let name = names.claim(&kebab(&p.ident), &kebab(&format!("{}_param", unraw(&p.ident))));
        let help = match one_line(p.doc.as_deref()) {
            h if h.is_empty() => format!("`{}`", p.wire),
            h => h,
        };
        let ty = &p.ty;
        let arg = if p.location == ParamLocation::Path {
            match ty {
                Ty::String => quote! { &input.arg::<::std::string::String>(#name)? },
                other => {
                    let t = ty_tokens(other);
                    quote! { input.arg::<#t>(#name)? }
                }
            }
        } else {
            match ty {
                Ty::String => quote! { &input.arg::<::std::string::String>(#name)? },
                other => {
                    let t = ty_tokens_in(other, true);
                    quote! { input.arg::<#t>(#name)? }
                }
            }
        };
        args.push(arg);
        let wire = &p.wire;
        raw_calls.push(match p.location {
            ParamLocation::Path => quote! { .path_param(#wire, input.text(#name)?) },
            ParamLocation::Query => quote! { .query_param(#wire, &input.arg::<::serde_json::Value>(#name)?) },
            ParamLocation::Header => quote! { .header_param(#wire, &input.arg::<::serde_json::Value>(#name)?) },
        });
        flags.push(flag(api, name, help, Target::Arg, ty, true));
    }
    for p in &op.optional_params {
        param_flags(api, p, &mut names, &mut flags);
    }
    let mut data = false;
    let mut form_files = Vec::new();
    if let Some(s) = untyped {
        data = true;
        for f in &s.fields {
            let file = uploads::is_file(&f.ty);
            let name = names.claim(&kebab(&f.ident), &format!("body-{}", kebab(&f.ident)));
            let mut help = one_line(f.doc.as_deref());
            if f.required {
                help = if help.is_empty() { "Required".into() } else { format!("{help} [required]") };
            }
            let w = &f.wire;
            if file {
                form_files.push(quote! { (#w, #name) });
                flags.push(FlagDef {
                    name,
                    help: if help.is_empty() { "A file to upload".into() } else { format!("{help} (a file)") },
                    target: Target::File,
                    kind: "Path",
                    required: false,
                    multiple: matches!(f.ty, Ty::Vec(_)),
                    values: Vec::new(),
                    ty: None,
                    body_required: f.required,
                });
            } else {
                let mut def = flag(api, name, help, Target::Body(vec![w.clone()]), &f.ty, false);
                def.body_required = f.required;
                flags.push(def);
            }
        }
    } else if let Some(b) = body {
        if b.ty == Ty::Binary || b.encoding == BodyEncoding::Binary {
            let name = names.claim("file", "body-file");
            flags.push(FlagDef {
                name: name.clone(),
                help: format!("The file sent as the body ({})", b.media_type),
                target: Target::RawBody,
                kind: "Path",
                required: true,
                multiple: false,
                values: Vec::new(),
                ty: None,
                body_required: false,
            });
            args.push(quote! { input.raw_body(#name)? });
        } else {
            data = true;
            let t = ty_tokens(&b.ty);
            if let Ty::Named(n) = resolve(api, &b.ty) {
                if let Some(TypeKind::Struct(s)) = api.types.get(n).map(|d| &d.kind) {
                    for f in &s.fields {
                        let name = names.claim(&kebab(&f.ident), &format!("body-{}", kebab(&f.ident)));
                        let mut help = one_line(f.doc.as_deref());
                        if f.required {
                            help = if help.is_empty() { "Required".into() } else { format!("{help} [required]") };
                        }
                        let w = &f.wire;
                        let mut def = flag(api, name, help, Target::Body(vec![w.clone()]), &f.ty, false);
                        def.body_required = f.required;
                        flags.push(def);
                    }
                }
            }
            let mut sets = Vec::new();
            for f in &file_fields {
                let name = names.claim(&kebab(&f.ident), &format!("{}-file", kebab(&f.ident)));
                let fi = ident(&f.ident);
                let multiple = matches!(f.ty, Ty::Vec(_));
                let read = if multiple { quote! { input.files(#name)? } } else { quote! { input.file(#name)? } };
                sets.push(quote! { body.#fi = #read; });
                let help = match one_line(f.doc.as_deref()) {
                    h if h.is_empty() => "A file to upload (sent as multipart/form-data)".to_string(),
                    h => format!("{h} (a file: sent as multipart/form-data)"),
                };
                flags.push(FlagDef {
                    name,
                    help,
                    target: Target::File,
                    kind: "Path",
                    required: false,
                    multiple,
                    values: Vec::new(),
                    ty: None,
                    body_required: false,
                });
            }
            args.push(if sets.is_empty() {
                quote! { input.body::<#t>()? }
            } else {
                quote! { { let mut body: #t = input.body()?; #(#sets)* body } }
            });
        }
    }
    let paged = api.paging.contains_key(&op.id) && op.success.is_some();

    // The call: client.<root>().<sub>()...<method>(args).
    let root = op.resource.first().map(|seg| ident(accessors.get(seg).map_or(seg.as_str(), String::as_str)));
    let subs = op.resource.iter().skip(1).map(|s| ident(s));
    let chain = match root {
        Some(r) => quote! { client.#r() #(.#subs())* },
        None => quote! { client },
    };
    let m = ident(method);
    let params = op.params_type.as_ref().map(|_| quote! { .params(input.params()?) });
    let send = if op.success == Some(Ty::Binary) {
        quote! { input.send_bytes(request).await }
    } else if paged {
        quote! {
            if input.all() { input.stream(request.into_stream()) } else { input.page(request).await }
        }
    } else {
        quote! { input.send(request).await }
    };
    let id = &op.id;
    let arm = if untyped.is_some() {
        let (ret, extra) = super::success_tokens(op.success.as_ref());
        let wire_method = ident(op.method.as_str());
        let path = &op.path;
        let csv: Vec<&str> = op.required_params.iter().chain(&op.optional_params).filter(|p| p.comma_separated).map(|p| p.wire.as_str()).collect();
        let csv = (!csv.is_empty()).then(|| quote! { .comma_separated(&[#(#csv),*]) });
        let headers = op.optional_params.iter().filter(|p| p.location == ParamLocation::Header).map(|p| p.wire.as_str());
        quote! {
            let request = crate::Request::<'_, #ret, (), crate::Client>::new(client, ::reqwest::Method::#wire_method, #path, #id)
                #csv #(#raw_calls)* #extra;
            let request = input.fold_params(request, &[#(#headers),*]).multipart(input.form(&[#(#form_files),*])?);
            #send
        }
    } else {
        quote! {
            let request = #chain.#m(#(#args),*) #params;
            #send
        }
    };

    let summary = op.summary.as_deref().map(plain).filter(|s| !s.is_empty());
    let description = op.description.as_deref().map(plain).filter(|s| !s.is_empty());
    let about = match (&summary, &description) {
        (Some(s), _) => one_line(Some(s)),
        (None, Some(d)) => one_line(Some(d)),
        (None, None) => format!("{} {}", op.method.as_str(), op.path),
    };
    let mut long = match (summary, description) {
        (Some(s), Some(d)) if s != d => format!("{s}\n\n{d}"),
        (Some(s), _) => s,
        (None, Some(d)) => d,
        (None, None) => String::new(),
    };
    if !long.is_empty() {
        long.push_str("\n\n");
    }
    long.push_str(&format!("{} {} (operation {}).", op.method.as_str(), op.path, op.id));
    if op.deprecated {
        long.push_str(" Deprecated in the API document.");
    }
    let resource: Vec<String> = op.resource.iter().map(|s| kebab(s)).collect();
    let name = kebab(method);
    let spec = SpecDef { id: op.id.clone(), resource, name };
    Ok((spec, arm, OpFlags { flags, data, paged, about, long_about: long }))
}

/// What the spec table says of a command besides its [`OpFlags`].
pub(crate) struct SpecDef {
    id: String,
    /// The command's resource path, in kebab case.
    resource: Vec<String>,
    /// The command's name (the method's, in kebab case).
    name: String,
}

/// A command's `crate::cli::Spec` entry.
fn spec_tokens(spec: &SpecDef, op: &OpFlags) -> TokenStream {
    let SpecDef { id, resource, name } = spec;
    let OpFlags { flags, data, paged, about, long_about, .. } = op;
    let flag_tokens = flags.iter().map(|f| {
        let FlagDef { name, help, target, kind, required, multiple, values, .. } = f;
        let kind = ident(kind);
        let target = target.tokens();
        quote! {
            crate::cli::Flag {
                name: #name, help: #help, target: #target, kind: crate::cli::Kind::#kind,
                required: #required, multiple: #multiple, values: &[#(#values),*],
            },
        }
    });
    quote! {
        crate::cli::Spec {
            id: #id,
            resource: &[#(#resource),*],
            name: #name,
            about: #about,
            long_about: #long_about,
            flags: &[#(#flag_tokens)*],
            data: #data,
            paged: #paged,
        }
    }
}

/// The client method an operation's command calls (the merged upload
/// method, else the first body variant's, else the operation's), and the
/// body struct of a multipart body with file parts (other than a merged
/// upload): that type has no serde, so the command builds its request
/// through the runtime's `Request` (the same auth, retries and errors),
/// the struct's fields as text parts and its file fields as file parts.
/// `None`: the operation has no command (such a body that is not an object).
fn command_method<'a>(api: &'a Api, op: &'a Operation, binary: &HashSet<String>) -> Option<(&'a str, Option<&'a Struct>)> {
    let merged = uploads::merged(api, op);
    let body = uploads::separate_bodies(api, op).next();
    let method: &str = match (body, &merged) {
        (Some(b), Some((json, _, _))) if b.media_type == json.media_type => &op.name,
        (Some(b), _) => &b.method_name,
        (None, _) => &op.name,
    };
    let mut untyped: Option<&Struct> = None;
    if let Some(b) = body {
        let holds_files = named_of(&b.ty).is_some_and(|n| binary.contains(n));
        if b.encoding == BodyEncoding::Multipart && (holds_files || b.ty == Ty::Binary) {
            let TypeKind::Struct(s) = resolve(api, &b.ty).named().and_then(|n| api.types.get(n)).map(|d| &d.kind)? else {
                return None;
            };
            untyped = Some(s);
        }
    }
    Some((method, untyped))
}

/// The words of an operation's command after the tool's name (`faxes
/// actions cancel`), or `None` when it has none (see `command_method`):
/// what the agent skill lists.
pub(crate) fn command_words(api: &Api, op: &Operation, binary: &HashSet<String>) -> Option<Vec<String>> {
    let (method, _) = command_method(api, op, binary)?;
    let mut words: Vec<String> = op.resource.iter().map(|s| kebab(s)).collect();
    words.push(kebab(method));
    Some(words)
}

/// Why an operation has no command.
fn skipped(op: &Operation) -> String {
    format!("`{}` ({} {}): a multipart body with file parts that is not an object", op.id, op.method.as_str(), op.path)
}

/// The items of `cli.rs`: with `text`, the constant and the spec table as
/// text ([`specs_text`], written straight from the IR: most of the file for a
/// large document) and the rest as tokens; else (or where the text writer
/// gives up) everything as tokens, the reference the text is tested against.
pub(crate) fn emit(api: &Api, plan: Option<&super::features::FeaturePlan>, text: bool) -> (Option<String>, TokenStream) {
    let accessors = super::resources::root_accessors(api);
    let binary = super::binary_types(&api.types);
    let mut entries = Vec::new();
    let mut arms = Vec::new();
    let mut calls = Vec::new();
    let mut skipped = Vec::new();
    let mut fn_names = crate::naming::Scope::with_reserved(&["dispatch"]);
    for op in &api.operations {
        match operation(api, op, &accessors, &binary) {
            Ok((spec, body, flags)) => {
                let gate = op.resource.first().and_then(|seg| plan.and_then(|p| p.resource_cfg(seg)));
                let f = ident(&fn_names.claim(&format!("call_{}", unraw(&crate::naming::field_name(&op.id)))));
                let id = &op.id;
                let doc = format!(" `{id}`.");
                entries.push((op.resource.first().and_then(|seg| plan.and_then(|p| p.resource_feature(seg))), spec, flags));
                arms.push(quote! { #gate #id => ::std::boxed::Box::pin(#f(client, input)), });
                calls.push(quote! {
                    #[doc = #doc]
                    #gate
                    #[allow(deprecated)]
                    async fn #f<'a>(
                        client: &'a crate::Client,
                        input: &'a crate::cli::Input,
                    ) -> ::std::result::Result<crate::cli::Reply<'a>, crate::cli::Failure> {
                        #body
                    }
                });
            }
            Err(why) => skipped.push(why),
        }
    }
    let title = plain(api.title.trim());
    let about = format!("Command-line client of the {title} (API version {}), built on this crate's client", api.version.trim());
    let skipped_lines: Vec<String> = if skipped.is_empty() {
        Vec::new()
    } else {
        std::iter::once(" Operations without a command (their bodies cannot be given as flags or JSON yet):".to_string())
            .chain(skipped.iter().map(|s| format!(" - {s}")))
            .collect()
    };
    let rest = quote! {
        /// Calls the operation `id` with the arguments in `input`; the reply
        /// for the front end to show. One small `async fn` per operation:
        /// a single `async` block matching over every operation made one
        /// state machine that rustc took gigabytes to check for a
        /// 1,000-operation document. `Send`: the MCP server runs calls on a
        /// multi-threaded runtime.
        #[allow(unused_variables, clippy::match_single_binding)]
        pub(crate) fn dispatch<'a>(
            client: &'a crate::Client,
            id: &'static str,
            input: &'a crate::cli::Input,
        ) -> ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = ::std::result::Result<crate::cli::Reply<'a>, crate::cli::Failure>> + ::std::marker::Send + 'a>> {
            match id {
                #(#arms)*
                _ => ::std::boxed::Box::pin(async move {
                    ::std::result::Result::Err(crate::cli::Failure::usage(::std::format!("unknown operation `{id}`")))
                }),
            }
        }

        #(#calls)*
    };
    if text {
        if let Some(head) = specs_text(&about, &skipped_lines, &entries) {
            return (Some(head), rest);
        }
    }
    let specs = entries.iter().map(|(feature, spec, flags)| {
        let gate = feature.map(|f| quote! { #[cfg(feature = #f)] });
        let spec = spec_tokens(spec, flags);
        quote! { #gate #spec, }
    });
    let head = quote! {
        /// The tool's `--help` line.
        pub(crate) const ABOUT: &str = #about;

        /// One command per operation, in the order of the resources (data:
        /// a static table, each entry behind its resource's feature).
        #(#[doc = #skipped_lines])*
        pub(crate) static SPECS: &[crate::cli::Spec] = &[ #(#specs)* ];
    };
    (None, quote! { #head #rest })
}

/// The constant and the spec table of [`emit`] as `prettyplease` prints
/// their tokens; `None` where the layout is not this writer's.
fn specs_text(about: &str, skipped_lines: &[String], entries: &[(Option<&str>, SpecDef, OpFlags)]) -> Option<String> {
    use super::text::{line, str_array};
    if entries.is_empty() {
        return None;
    }
    let lit = |s: &str| proc_macro2::Literal::string(s).to_string();
    let mut out = String::with_capacity(entries.len() * 1500);
    out.push_str("/// The tool's `--help` line.\n");
    out.push_str(&format!("pub(crate) const ABOUT: &str = {};\n", lit(about)));
    out.push_str("/// One command per operation, in the order of the resources (data:\n");
    out.push_str("/// a static table, each entry behind its resource's feature).\n");
    for l in skipped_lines {
        super::text::doc_line(&mut out, "", l)?;
    }
    out.push_str("pub(crate) static SPECS: &[crate::cli::Spec] = &[\n");
    for (feature, spec, op) in entries {
        if let Some(f) = feature {
            line(&mut out, &format!("    #[cfg(feature = {})]", lit(f)))?;
        }
        out.push_str("    crate::cli::Spec {\n        id: ");
        out.push_str(&lit(&spec.id));
        out.push_str(",\n");
        let resource: Vec<String> = spec.resource.iter().map(|r| lit(r)).collect();
        str_array(&mut out, 8, "resource: ", &resource, true)?;
        out.push_str(&format!("        name: {},\n", lit(&spec.name)));
        out.push_str(&format!("        about: {},\n", lit(&op.about)));
        out.push_str(&format!("        long_about: {},\n", lit(&op.long_about)));
        if op.flags.is_empty() {
            out.push_str("        flags: &[],\n");
        } else {
            out.push_str("        flags: &[\n");
            for f in &op.flags {
                out.push_str("            crate::cli::Flag {\n");
                out.push_str(&format!("                name: {},\n", lit(&f.name)));
                out.push_str(&format!("                help: {},\n", lit(&f.help)));
                let (variant, wire) = match &f.target {
                    Target::Param(w) => ("Param", Some(w)),
                    Target::Arg => ("Arg", None),
                    Target::Body(w) => ("Body", Some(w)),
                    Target::File => ("File", None),
                    Target::RawBody => ("RawBody", None),
                };
                match wire {
                    None => out.push_str(&format!("                target: crate::cli::Target::{variant},\n")),
                    Some(w) => {
                        let items: Vec<String> = w.iter().map(|x| lit(x)).collect();
                        let arr = format!("&[{}]", items.join(", "));
                        let flat = format!("                target: crate::cli::Target::{variant}({arr}),");
                        if flat.len() <= super::text::MARGIN {
                            out.push_str(&flat);
                            out.push('\n');
                        } else {
                            out.push_str(&format!("                target: crate::cli::Target::{variant}(\n"));
                            // The last argument: its `,` is printed only when broken.
                            if 20 + arr.len() > super::text::MARGIN {
                                return None;
                            }
                            out.push_str(&format!("                    {arr},\n                ),\n"));
                        }
                    }
                }
                out.push_str(&format!("                kind: crate::cli::Kind::{},\n", f.kind));
                out.push_str(&format!("                required: {},\n", f.required));
                out.push_str(&format!("                multiple: {},\n", f.multiple));
                let values: Vec<String> = f.values.iter().map(|v| lit(v)).collect();
                str_array(&mut out, 16, "values: ", &values, false)?;
                out.push_str("            },\n");
            }
            out.push_str("        ],\n");
        }
        out.push_str(&format!("        data: {},\n        paged: {},\n    }},\n", op.data, op.paged));
    }
    out.push_str("];\n");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_is_one_plain_line() {
        assert_eq!(one_line(Some("Queues a <b>fax</b>.\nThen   more. And more.")), "Queues a fax.");
        let long = "word ".repeat(60);
        let line = one_line(Some(&long));
        assert!(line.ends_with('…') && line.chars().count() <= 160, "{line}");
    }

    #[test]
    fn names_fall_back_then_number() {
        let mut names = Names::default();
        assert_eq!(names.claim("direction", "filter-direction-eq"), "direction");
        assert_eq!(names.claim("direction", "filter-direction-eq"), "filter-direction-eq");
        assert_eq!(names.claim("data", "body-data"), "body-data");
        assert_eq!(names.claim("direction", "filter-direction-eq"), "filter-direction-eq-2");
    }
}
