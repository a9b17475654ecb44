//! Resource handles and their methods, one file per root resource:
//! `client.faxes().actions().cancel(id)`.
//!
//! Handles are generic over the client mode (`C = crate::Client`, or
//! `crate::blocking::Client`), so each method is emitted once for both
//! clients. A method returns a `crate::Request<'a, T, P, C>`: required
//! parameters are its arguments, the optional ones are short setters on the
//! request, emitted once per operation on `Request<_, P, _>` where `P` is the
//! operation's parameter struct (so setters never leak to another operation).
//! That keeps the emitted code to a few lines per parameter instead of a
//! builder type per operation.

use super::docs::doc_attrs;
use super::{rust_file, success_tokens, ty_tokens, uploads};
use crate::ir::*;
use crate::naming::{self, ident, Scope};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// A node of the resource tree.
#[derive(Default)]
struct Node<'a> {
    ops: Vec<&'a Operation>,
    children: BTreeMap<String, Node<'a>>,
}

/// Emits `resources/mod.rs` and one file per root resource.
pub fn emit(api: &Api, header: &str, features: Option<&super::features::FeaturePlan>, text: bool) -> Result<Vec<(String, String)>, crate::diagnostics::Error> {
    let mut root: Node = Node::default();
    for op in &api.operations {
        let mut node = &mut root;
        for seg in &op.resource {
            node = node.children.entry(seg.clone()).or_default();
        }
        node.ops.push(op);
    }
    // `C` is the handles' client-mode parameter: a resource `/c` must not be named so.
    let mut handle_names = Scope::with_reserved(&["C"]);
    let mut files = Vec::new();
    let mut mods = Vec::new();
    let mut accessors = Vec::new();
    let mut blocking_accessors = Vec::new();
    let accessor_names = root_accessors(api);
    for (seg, node) in &root.children {
        // Module names cannot be raw identifiers in file names: `type` -> `type_`.
        let module = match naming::escape_keyword(naming::unraw(seg).to_string()) {
            m if m.starts_with("r#") => format!("{}_", naming::unraw(&m)),
            m => m,
        };
        let handle = handle_names.claim(&naming::type_name(naming::unraw(seg)));
        let mut items = Vec::new();
        let mut docs = DocBlocks { text, blocks: Vec::new() };
        emit_node(api, node, &handle, std::slice::from_ref(seg), &mut handle_names, &mut items, &mut docs);
        let tokens = quote! { #(#items)* };
        let file = rust_file(tokens, header, Some(&format!("The `{}` resource.", naming::unraw(seg))))?;
        files.push((format!("resources/{module}.rs"), docs.expand(file)));
        let m = ident(&module);
        // Behind the resource's cargo feature when the crate has them.
        let gate = features.and_then(|f| f.resource_cfg(seg));
        // A root resource named `resources` is a module of that name inside
        // `resources` (clippy's `module_inception`); private, so the name
        // is kept and the lint allowed.
        let inception = (module == "resources").then(|| quote! { #[allow(clippy::module_inception)] });
        mods.push(quote! { #gate #inception mod #m; #gate pub use #m::*; });
        let acc = ident(accessor_names.get(seg).map_or(seg.as_str(), String::as_str));
        let h = ident(&handle);
        let d = format!(" The `{}` resource: {}.", naming::unraw(seg), describe_paths(node));
        accessors.push(quote! {
            #[doc = #d]
            #gate
            pub fn #acc(&self) -> #h<'_> { #h::new(self) }
        });
        blocking_accessors.push(quote! {
            #[doc = #d]
            #gate
            pub fn #acc(&self) -> #h<'_, Self> { #h::new(self) }
        });
    }
    let tokens = quote! {
        #(#mods)*
        impl crate::Client {
            #(#accessors)*
        }
        #[cfg(feature = "blocking")]
        impl crate::blocking::Client {
            #(#blocking_accessors)*
        }
    };
    files.push(("resources/mod.rs".into(), rust_file(tokens, header, Some("Resource handles, reached from [`crate::Client`]."))?));
    Ok(files)
}

/// The client's own methods, which root resource accessors must not take.
const CLIENT_METHODS: &[&str] = &[
    "new", "builder", "from_env", "base_url", "webhooks", "api_key", "http_client", "request", "clone", "timeout", "max_retries", "as_async",
];

/// The client method of each root resource, by its segment: the segment,
/// suffixed where the client already has a method of that name (`webhooks`
/// -> `webhooks_2`). Doc examples call the same names.
pub(crate) fn root_accessors(api: &Api) -> std::sync::Arc<BTreeMap<String, String>> {
    if let Some(roots) = ROOTS.with(|r| r.borrow().clone()) {
        return roots;
    }
    let roots: std::collections::BTreeSet<&String> = api.operations.iter().filter_map(|o| o.resource.first()).collect();
    let mut scope = Scope::with_reserved(CLIENT_METHODS);
    std::sync::Arc::new(roots.into_iter().map(|seg| (seg.clone(), scope.claim(seg))).collect())
}

thread_local! {
    /// [`root_accessors`] of the API being emitted, while [`with_root_accessors`]
    /// runs: every method's doc example asks for them (2,300 times for the
    /// whole Telnyx API, once 10 % of its generation's instructions).
    static ROOTS: std::cell::RefCell<Option<std::sync::Arc<BTreeMap<String, String>>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` (which emits code for `api` only) with [`root_accessors`]
/// computed once.
pub(crate) fn with_root_accessors<R>(api: &Api, f: impl FnOnce() -> R) -> R {
    struct Reset(Option<std::sync::Arc<BTreeMap<String, String>>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let before = self.0.take();
            ROOTS.with(|r| *r.borrow_mut() = before);
        }
    }
    let roots = root_accessors(api);
    let _reset = Reset(ROOTS.with(|r| r.borrow_mut().replace(roots)));
    f()
}

fn describe_paths(node: &Node) -> String {
    let mut paths: Vec<&str> = Vec::new();
    collect_paths(node, &mut paths);
    paths.sort();
    paths.dedup();
    let shown: Vec<String> = paths.iter().take(3).map(|p| format!("`{}`", super::docs::code(p))).collect();
    if paths.len() > 3 {
        format!("{} and more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

fn collect_paths<'a>(node: &Node<'a>, out: &mut Vec<&'a str>) {
    for op in &node.ops {
        out.push(op.path.as_str());
    }
    for c in node.children.values() {
        collect_paths(c, out);
    }
}


fn emit_node(api: &Api, node: &Node, handle: &str, chain: &[String], names: &mut Scope, out: &mut Vec<TokenStream>, docs: &mut DocBlocks) {
    let h = ident(handle);
    let mut child_accessors = Vec::new();
    let mut children = Vec::new();
    for (seg, child) in &node.children {
        // `Self_` (a segment `self`) is escaped only as a whole name: inside
        // `ClientSelfType` the underscore would break the camel case.
        let part = naming::type_name(naming::unraw(seg));
        let child_handle = names.claim(&format!("{handle}{}", part.trim_end_matches('_')));
        let ch = ident(&child_handle);
        let acc = ident(seg);
        let d = format!(" The `{}` sub-resource: {}.", naming::unraw(seg), describe_paths(child));
        child_accessors.push(quote! {
            #[doc = #d]
            pub fn #acc(&self) -> #ch<'a, C> { #ch::new(self.client) }
        });
        let mut sub_chain = chain.to_vec();
        sub_chain.push(seg.clone());
        children.push((child, child_handle, sub_chain));
    }
    let methods: Vec<TokenStream> = node.ops.iter().flat_map(|op| emit_methods(api, op, docs)).collect();
    let setters: Vec<TokenStream> = node.ops.iter().map(|op| emit_setters(api, op)).collect();
    let d = format!(" Operations on {}.", describe_paths(node));
    out.push(quote! {
        #[doc = #d]
        ///
        /// `C` is the client that sends the requests: [`crate::Client`] (the
        /// default) or, with the `blocking` feature, `crate::blocking::Client`.
        #[derive(Debug)]
        pub struct #h<'a, C = crate::Client> {
            client: &'a C,
        }
        impl<C> ::std::clone::Clone for #h<'_, C> {
            fn clone(&self) -> Self { *self }
        }
        impl<C> ::std::marker::Copy for #h<'_, C> {}
        impl<'a, C: crate::ClientMode> #h<'a, C> {
            pub(crate) fn new(client: &'a C) -> Self { Self { client } }
            #(#child_accessors)*
            #(#methods)*
        }
        #(#setters)*
    });
    for (child, child_handle, sub_chain) in children {
        emit_node(api, child, &child_handle, &sub_chain, names, out, docs);
    }
}

fn param_arg(p: &Param) -> (TokenStream, TokenStream) {
    let n = ident(&p.ident);
    match &p.ty {
        Ty::String => (quote! { #n: &str }, quote! { #n }),
        other => {
            let t = ty_tokens(other);
            (quote! { #n: #t }, quote! { #n.to_string() })
        }
    }
}

/// One method per body variant (`create`, `create_form`), or one method; a
/// JSON body and a multipart body that only adds files are one method (see
/// [`uploads`]).
///
/// An operation whose success body is JSON but that also offers other media
/// types (`application/json` or `audio/mpeg`) gets one more method per other
/// type, named for it (`create_mpeg`), that asks for that type and returns
/// the raw bytes, so every form the API offers can be had.
fn emit_methods(api: &Api, op: &Operation, docs: &mut DocBlocks) -> Vec<TokenStream> {
    let mut out = Vec::new();
    // (body, name, upload) of the primary method.
    let mut primary = None;
    if op.body.is_empty() {
        out.push(emit_method(api, op, None, &op.name, false, None, docs));
        primary = Some((None, false));
    }
    let merged = uploads::merged(api, op).map(|(json, multi, _)| (json.media_type.as_str(), multi.media_type.as_str()));
    for b in &op.body {
        let (name, upload) = match merged {
            Some((_, multi)) if b.media_type == multi => continue,
            Some((json, _)) if b.media_type == json => (op.name.as_str(), true),
            _ => (b.method_name.as_str(), false),
        };
        out.push(emit_method(api, op, Some(b), name, upload, None, docs));
        primary.get_or_insert((Some(b), upload));
    }
    if let (Some((body, upload)), Some(Ty::Named(_) | Ty::Json | Ty::Vec(_) | Ty::Map(_))) = (primary, &op.success) {
        for (name, media) in raw_methods(api, op) {
            out.push(emit_method(api, op, body, &name, upload, Some(&media), docs));
        }
    }
    out
}

/// The media types beside JSON that an operation's success responses offer,
/// in order, without repeats.
fn other_media_types(op: &Operation) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for m in op.responses.iter().flat_map(|r| &r.media_types) {
        if crate::lower::encoding_of(m) != BodyEncoding::Json && !out.contains(&m.as_str()) {
            out.push(m);
        }
    }
    out
}

/// The extra methods of an operation with a JSON success body: (name, media
/// type) per other success media type, named `<method>_<subtype>`
/// (`text/csv` -> `list_csv`), with `_bytes` added when an operation of the
/// same resource already has that name.
fn raw_methods(api: &Api, op: &Operation) -> Vec<(String, String)> {
    let taken: Vec<&str> = api.operations.iter().filter(|o| o.resource == op.resource).map(|o| naming::unraw(&o.name)).collect();
    let mut scope = Scope::with_reserved(&taken);
    other_media_types(op)
        .into_iter()
        .map(|m| {
            let sub = m.split(';').next().unwrap_or(m).rsplit('/').next().unwrap_or(m);
            let sub = naming::field_name(sub.trim_start_matches("x-").trim_start_matches("vnd."));
            let wanted = format!("{}_{}", naming::unraw(&op.name), naming::unraw(&sub));
            let name = if taken.contains(&wanted.as_str()) { format!("{wanted}_bytes") } else { wanted };
            (scope.claim(&name), m.to_string())
        })
        .collect()
}

/// The `Accept` header of a method that returns raw bytes: the media types
/// it asks for (the client's default asks for JSON, which a server that has
/// only `image/png` answers with 406); `*/*` for a method whose success has
/// no body (`204`), as the official SDKs send.
fn accept_for_bytes(op: &Operation, raw: Option<&str>) -> Option<String> {
    match raw {
        Some(m) => Some(media_range(m).to_string()),
        None if op.success == Some(Ty::Binary) => accept_list(op.responses.iter().flat_map(|r| &r.media_types).map(|m| media_range(m))),
        None if op.success.is_none() => Some("*/*".to_string()),
        None => accept_for_vendor_json(op),
    }
}

/// The `Accept` header of a method that decodes JSON from a success
/// response declared only under vendor JSON types
/// (`application/vnd.vimeo.video+json`): those types, since a server (or
/// Prism) that offers no `application/json` answers the client's default
/// `Accept: application/json` with 406. `None` (the default header) when a
/// success response offers `application/json` or declares no media type.
fn accept_for_vendor_json(op: &Operation) -> Option<String> {
    let success: Vec<&str> =
        op.responses.iter().filter(|r| r.status.starts_with('2')).flat_map(|r| &r.media_types).map(|m| m.split(';').next().unwrap_or(m).trim()).collect();
    if success.iter().any(|m| m.eq_ignore_ascii_case("application/json") || *m == "*/*" || *m == "*") {
        return None;
    }
    accept_list(success.into_iter().filter(|m| m.to_ascii_lowercase().ends_with("+json") || m.eq_ignore_ascii_case("text/json")))
}

/// An `Accept` value listing `ranges` once each, in order; `None` for none.
fn accept_list<'a>(ranges: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut all: Vec<&str> = Vec::new();
    for m in ranges {
        if !all.contains(&m) {
            all.push(m);
        }
    }
    (!all.is_empty()).then(|| all.join(", "))
}

/// A declared media type as an `Accept` range: a bare `*` (Telnyx's
/// `GET /documents/{id}/download`; not a media range) is sent as `*/*`.
fn media_range(m: &str) -> &str {
    if m.trim() == "*" {
        "*/*"
    } else {
        m
    }
}

fn emit_method(
    api: &Api,
    op: &Operation,
    body: Option<&BodyVariant>,
    name: &str,
    upload: bool,
    raw: Option<&str>,
    docs: &mut DocBlocks,
) -> TokenStream {
    let mname = ident(name);
    let mut args = Vec::new();
    let mut calls = Vec::new();
    let wire_method = ident(op.method.as_str());
    let path = &op.path;
    let op_id = &op.id;

    if op.params_type.is_some() {
        let headers: Vec<&str> =
            op.optional_params.iter().filter(|p| p.location == ParamLocation::Header).map(|p| p.wire.as_str()).collect();
        calls.push(quote! { .with_params(&[#(#headers),*]) });
    }
    // Arrays of `style: form, explode: false` query parameters go as one
    // comma-separated value (`fields=a,b`), required or optional.
    let csv: Vec<&str> = op.required_params.iter().chain(&op.optional_params).filter(|p| p.comma_separated).map(|p| p.wire.as_str()).collect();
    if !csv.is_empty() {
        // First: `comma_separated` is a method of the request before `with_params`.
        calls.insert(0, quote! { .comma_separated(&[#(#csv),*]) });
    }
    for p in &op.path_params {
        let (arg, val) = param_arg(p);
        let wire = &p.wire;
        args.push(arg);
        calls.push(quote! { .path_param(#wire, #val) });
    }
    for p in &op.required_params {
        let n = ident(&p.ident);
        let wire = &p.wire;
        // Date-times keep the caller's offset, as in the optional parameters
        // (`impl Into`, so a `DateTime<Utc>` fits too).
        let (t, value) = match &p.ty {
            Ty::String => (quote! { &str }, quote! { #n }),
            Ty::DateTime => (
                quote! { impl ::std::convert::Into<::chrono::DateTime<::chrono::FixedOffset>> },
                quote! { ::std::convert::Into::<::chrono::DateTime<::chrono::FixedOffset>>::into(#n) },
            ),
            other => (super::ty_tokens_in(other, true), quote! { #n }),
        };
        args.push(quote! { #n: #t });
        calls.push(match p.location {
            ParamLocation::Header => quote! { .header_param(#wire, &#value) },
            _ => quote! { .query_param(#wire, &#value) },
        });
    }
    if let Some(b) = body {
        let t = match (&b.ty, b.encoding) {
            (Ty::Binary, _) => quote! { crate::FileUpload },
            (ty, _) => ty_tokens(ty),
        };
        args.push(quote! { body: #t });
        if !upload {
            calls.push(match b.encoding {
                BodyEncoding::Json => quote! { .json(&body) },
                BodyEncoding::Form => quote! { .form(&body) },
                BodyEncoding::Binary => {
                    let media = &b.media_type;
                    quote! { .file_body_as(body, #media) }
                }
                BodyEncoding::Multipart => multipart_call(&b.ty),
            });
        }
    }
    let params = match &op.params_type {
        Some(pt) => {
            let pt = ident(pt);
            quote! { crate::types::#pt }
        }
        None => quote! { () },
    };
    let success = if raw.is_some() { Some(&Ty::Binary) } else { op.success.as_ref() };
    let (ret, extra) = success_tokens(success);
    calls.push(extra);
    if let Some(accept) = accept_for_bytes(op, raw) {
        calls.push(quote! { .header("accept", #accept) });
    }

    let mut lines: Vec<String> = Vec::new();
    let summary = op.summary.clone().unwrap_or_default();
    let desc = op.description.clone().unwrap_or_default();
    let main = match (summary.trim().is_empty(), desc.trim().is_empty()) {
        (false, false) if desc.trim() != summary.trim() => format!("{}\n\n{}", summary.trim(), desc.trim()),
        (false, _) => summary.trim().to_string(),
        (true, false) => desc.trim().to_string(),
        (true, true) => format!("`{} {}`", op.method.as_str(), super::docs::code(&op.path)),
    };
    let mut doc_values = super::docs::doc_values(Some(&main), "");
    lines.push(String::new());
    lines.push(format!("`{} {}` (operation `{}`).", op.method.as_str(), super::docs::code(&op.path), super::docs::code(&op.id)));
    if let Some(m) = raw {
        lines.push(String::new());
        lines.push(format!("Asks for the `{}` form of the response and returns its raw bytes.", super::docs::code(m)));
    }
    if upload {
        lines.push(String::new());
        lines.push("Sent as `multipart/form-data` when the body has a file attached, as `application/json` otherwise.".into());
    } else if let Some(b) = body {
        if op.body.len() > 1 {
            lines.push(String::new());
            lines.push(format!("Sends the body as `{}`.", super::docs::code(&b.media_type)));
        }
    }
    if !op.optional_params.is_empty() {
        lines.push(String::new());
        let names: Vec<String> = setter_names(api, op).iter().map(|n| format!("`{}`", naming::unraw(n))).collect();
        lines.push(format!("Optional parameters are setters on the returned request: {}.", names.join(", ")));
    }
    if op.pagination.is_some() {
        lines.push(String::new());
        lines.push("Returns one page; [`into_stream`](crate::Request::into_stream) on the request (or, with the blocking client, iterating it) yields every item of every page.".into());
    }
    lines.extend(super::examples::method_doc(api, op, name, body));
    doc_values.extend(lines.iter().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") }));
    let doc = docs.attrs(doc_values);
    let deprecated = if op.deprecated { quote! { #[deprecated = "deprecated in the API spec"] } } else { quote! {} };
    let too_many = if args.len() > 6 { quote! { #[allow(clippy::too_many_arguments)] } } else { quote! {} };
    let build = quote! { crate::Request::new(self.client, ::reqwest::Method::#wire_method, #path, #op_id) #(#calls)* };
    let body_expr = if upload {
        quote! {
            let request = #build;
            if body.has_files() { request.multipart(body.into_form()) } else { request.json(&body) }
        }
    } else {
        build
    };
    quote! {
        #doc
        #deprecated
        #too_many
        pub fn #mname(&self, #(#args),*) -> crate::Request<'a, #ret, #params, C> {
            #body_expr
        }
    }
}

/// The doc comments of a resource file's methods (half of its text: the
/// summary, notes and the example), kept out of the tokens when the text
/// writer is on: each block is one marker attribute (`#[doc = "\u{1}7"]`)
/// that `prettyplease` prints as one line, replaced afterwards by the
/// block's `///` lines at that line's indentation, which is how
/// `prettyplease` prints doc attributes (issue 21: their literals were
/// escaped, parsed and unescaped again for nothing).
struct DocBlocks {
    text: bool,
    blocks: Vec<Vec<String>>,
}

impl DocBlocks {
    /// The doc attributes with these values, or a marker for them.
    fn attrs(&mut self, values: Vec<String>) -> TokenStream {
        // A value with a line break or a leading `/` is not printed as `///`.
        if !self.text || values.is_empty() || values.iter().any(|v| v.contains('\n') || v.starts_with('/')) {
            return quote! { #( #[doc = #values] )* };
        }
        let marker = format!("\u{1}{}", self.blocks.len());
        self.blocks.push(values);
        quote! { #[doc = #marker] }
    }

    /// The printed file with every marker line replaced by its block.
    fn expand(&self, file: String) -> String {
        if self.blocks.is_empty() {
            return file;
        }
        let mut out = String::with_capacity(file.len() + self.blocks.iter().flatten().map(|v| v.len() + 16).sum::<usize>());
        for line in file.split_inclusive('\n') {
            let marked = line.find("///\u{1}").and_then(|at| {
                let index: usize = line[at + 4..].trim_end().parse().ok()?;
                Some((&line[..at], self.blocks.get(index)?))
            });
            match marked {
                Some((indent, block)) if indent.bytes().all(|b| b == b' ') => {
                    for value in block {
                        out.push_str(indent);
                        out.push_str("///");
                        out.push_str(value.trim_end_matches(' '));
                        out.push('\n');
                    }
                }
                _ => out.push_str(line),
            }
        }
        out
    }
}

/// Names a setter may not take: `Request`'s own methods.
pub(super) const REQUEST_METHODS: &[&str] = &[
    "new", "params", "with_params", "path_param", "query_param", "header_param", "json", "multipart", "form",
    "file_body", "bytes_response", "timeout", "max_retries", "header", "extra_query", "extra_body", "set_query",
    "operation_id", "path", "url", "send", "send_with_response", "into_stream", "into_iter", "iter", "into_async",
    "clone", "fmt", "poll", "into_future", "fail", "insert_header", "comma_separated", "idempotency_key", "deadline",
    "max_response_bytes", "file_body_as", "with_path_and_query", "query_pairs", "client", "into_stream_with", "one_page",
];

/// A setter's name: the parameter's, or `<name>_param` when `Request`
/// already has a method of that name (`timeout` -> `timeout_param`).
fn setter_name(scope: &mut Scope, wanted: &str) -> String {
    let base = naming::unraw(wanted);
    if REQUEST_METHODS.contains(&base) {
        scope.claim(&format!("{base}_param"))
    } else {
        scope.claim(wanted)
    }
}

/// The setter names of an operation's optional parameters, in the order
/// [`emit_setters`] emits them (one per parameter, or one per field of a
/// flattened one).
fn setter_names(api: &Api, op: &Operation) -> Vec<String> {
    let mut scope = Scope::with_reserved(REQUEST_METHODS);
    let mut names = Vec::new();
    for p in &op.optional_params {
        match flat_fields(api, p) {
            Some(fields) => {
                for f in fields {
                    names.push(setter_name(&mut scope, &format!("{}_{}", naming::unraw(&p.ident), naming::unraw(&f.ident))));
                }
            }
            None => names.push(setter_name(&mut scope, &p.ident)),
        }
    }
    names
}

/// The setters of an operation's optional parameters, on `Request<_, P, _>`.
///
/// An object-valued query parameter made only of optional scalar fields
/// (`page` with `number` and `size`) is flattened into one setter per field,
/// named as the official SDKs name them (`page_number`, `page_size`); a
/// `filter` object keeps its typed builder (`.filter(FaxesListFilter::new()..)`),
/// as filters nest conditions.
fn emit_setters(api: &Api, op: &Operation) -> TokenStream {
    let Some(pt) = &op.params_type else { return quote! {} };
    let pt = ident(pt);
    let mut names = setter_names(api, op).into_iter();
    let mut next_name = || ident(&names.next().unwrap_or_default());
    let mut setters = Vec::new();
    for p in &op.optional_params {
        let field = ident(&p.ident);
        let fallback = format!("`{}`.", super::docs::code(&p.wire));
        match flat_fields(api, p) {
            Some(fields) => {
                for f in fields {
                    let name = next_name();
                    let sub = ident(&f.ident);
                    let t = super::ty_tokens_in(&f.ty, true);
                    let (arg, converted) = super::setter_arg(&f.ty, &t);
                    let value = if f.nullable {
                        quote! { ::std::option::Option::Some(::std::option::Option::Some(#converted)) }
                    } else {
                        quote! { ::std::option::Option::Some(#converted) }
                    };
                    let wire = format!("`{}[{}]`", super::docs::code(&p.wire), super::docs::code(&f.wire));
                    let doc = match f.doc.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                        Some(text) => {
                            let text = doc_attrs(Some(text), "");
                            let d = format!(" Sent as {wire}.");
                            quote! { #text #[doc = ""] #[doc = #d] }
                        }
                        None => {
                            let d = format!(" Sets {wire}.");
                            quote! { #[doc = #d] }
                        }
                    };
                    setters.push(quote! {
                        #doc
                        pub fn #name(mut self, value: #arg) -> Self {
                            self.params.#field.get_or_insert_with(::std::default::Default::default).#sub = #value;
                            self
                        }
                    });
                }
            }
            None => {
                let name = next_name();
                let t = super::ty_tokens_in(&p.ty, true);
                let (arg, converted) = super::setter_arg(&p.ty, &t);
                let doc = doc_attrs(p.doc.as_deref(), &fallback);
                setters.push(quote! {
                    #doc
                    pub fn #name(mut self, value: #arg) -> Self {
                        self.params.#field = ::std::option::Option::Some(#converted);
                        self
                    }
                });
            }
        }
    }
    setters.extend(super::shorthand::condition_setters(api, op, &setter_names(api, op)));
    let d = format!(" The optional parameters of `{} {}`.", op.method.as_str(), super::docs::code(&op.path));
    quote! {
        #[doc = #d]
        impl<T, C> crate::Request<'_, T, crate::types::#pt, C> {
            #(#setters)*
        }
    }
}

/// The fields a parameter is flattened into, when it is flattened.
fn flat_fields<'x>(api: &'x Api, p: &Param) -> Option<&'x [Field]> {
    if p.location != ParamLocation::Query || p.wire == "filter" {
        return None;
    }
    let TypeKind::Struct(s) = &api.types.get(super::named_of(&p.ty)?)?.kind else { return None };
    let scalar = |ty: &Ty| match ty {
        Ty::String | Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 | Ty::DateTime | Ty::Date => true,
        Ty::Named(n) => matches!(api.types.get(n).map(|d| &d.kind), Some(TypeKind::Enum(_))),
        _ => false,
    };
    let flat = !s.fields.is_empty() && s.fields.iter().all(|f| !f.required && scalar(&f.ty));
    flat.then_some(s.fields.as_slice())
}

/// Builds the multipart form from a body struct: files as file parts, every
/// other field as a text part.
fn multipart_call(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Named(_) => quote! { .multipart(body.into_form()) },
        // A multipart body that is a bare file (Codat's attachment upload):
        // one file part, never a text part (a file has no JSON form).
        Ty::Binary => quote! { .multipart(crate::multipart::Form::new().file("body", body)) },
        Ty::Vec(inner) if **inner == Ty::Binary => {
            quote! { .multipart(body.into_iter().fold(crate::multipart::Form::new(), |form, file| form.file("body", file))) }
        }
        _ => quote! { .multipart(crate::multipart::Form::new().field("body", &body)) },
    }
}

#[cfg(test)]
mod tests {
    use super::REQUEST_METHODS;

    /// Every method the runtime defines on `Request` (in any file, any
    /// `impl ... Request<..>` block, traits included) is a name no setter
    /// takes: a new runtime method would otherwise collide with a
    /// parameter of the same name in some document (E0592; a declared
    /// `Idempotency-Key` header met `Request::idempotency_key` that way).
    #[test]
    fn setters_avoid_every_method_of_the_runtime_request() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(crate::package::RUNTIME_DIR).join("src");
        let mut missing = Vec::new();
        let mut files = vec![src.clone()];
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.components().any(|c| c.as_os_str() == "generated") {
                continue;
            }
            let file = syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for item in file.items {
                let syn::Item::Impl(block) = item else { continue };
                let syn::Type::Path(ty) = &*block.self_ty else { continue };
                if ty.path.segments.last().is_none_or(|s| s.ident != "Request") {
                    continue;
                }
                for member in &block.items {
                    if let syn::ImplItem::Fn(f) = member {
                        let name = f.sig.ident.to_string();
                        if !REQUEST_METHODS.contains(&name.as_str()) {
                            missing.push(format!("{} ({})", name, path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "add these Request methods to REQUEST_METHODS: {missing:?}");
    }
}
