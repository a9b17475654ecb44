//! Resource handles and their methods, one file per root resource:
//! `client.faxes().actions().cancel(id)`.

use super::docs::{doc_attrs, doc_lines};
use super::{rust_file, success_tokens, ty_tokens};
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
pub fn emit(api: &Api, header: &str) -> Result<Vec<(String, String)>, crate::diagnostics::Error> {
    let mut root: Node = Node::default();
    for op in &api.operations {
        let mut node = &mut root;
        for seg in &op.resource {
            node = node.children.entry(seg.clone()).or_default();
        }
        node.ops.push(op);
    }
    let mut handle_names = Scope::default();
    let mut files = Vec::new();
    let mut mods = Vec::new();
    let mut accessors = Vec::new();
    let mut client_scope = Scope::with_reserved(&[
        "new", "builder", "from_env", "base_url", "webhooks", "api_key", "http_client", "request", "clone",
    ]);
    for (seg, node) in &root.children {
        // Module names cannot be raw identifiers in file names: `type` -> `type_`.
        let module = match naming::escape_keyword(naming::unraw(seg).to_string()) {
            m if m.starts_with("r#") => format!("{}_", naming::unraw(&m)),
            m => m,
        };
        let handle = handle_names.claim(&naming::type_name(naming::unraw(seg)));
        let mut items = Vec::new();
        emit_node(node, &handle, std::slice::from_ref(seg), &mut handle_names, &mut items);
        let tokens = quote! { #(#items)* };
        files.push((format!("resources/{module}.rs"), rust_file(tokens, header, Some(&format!("The `{}` resource.", naming::unraw(seg))))?));
        let m = ident(&module);
        mods.push(quote! { mod #m; pub use #m::*; });
        let acc = ident(&client_scope.claim(seg));
        let h = ident(&handle);
        let d = format!(" The `{}` resource: {}.", naming::unraw(seg), describe_paths(node));
        accessors.push(quote! {
            #[doc = #d]
            pub fn #acc(&self) -> #h<'_> { #h::new(self) }
        });
    }
    let tokens = quote! {
        #(#mods)*
        impl crate::Client {
            #(#accessors)*
        }
    };
    files.push(("resources/mod.rs".into(), rust_file(tokens, header, Some("Resource handles, reached from [`crate::Client`]."))?));
    Ok(files)
}

fn describe_paths(node: &Node) -> String {
    let mut paths: Vec<&str> = Vec::new();
    collect_paths(node, &mut paths);
    paths.sort();
    paths.dedup();
    let shown: Vec<String> = paths.iter().take(3).map(|p| format!("`{p}`")).collect();
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

fn emit_node(node: &Node, handle: &str, chain: &[String], names: &mut Scope, out: &mut Vec<TokenStream>) {
    let h = ident(handle);
    let mut child_accessors = Vec::new();
    let mut children = Vec::new();
    for (seg, child) in &node.children {
        let child_handle = names.claim(&format!("{handle}{}", naming::type_name(naming::unraw(seg))));
        let ch = ident(&child_handle);
        let acc = ident(seg);
        let d = format!(" The `{}` sub-resource: {}.", naming::unraw(seg), describe_paths(child));
        child_accessors.push(quote! {
            #[doc = #d]
            pub fn #acc(&self) -> #ch<'a> { #ch::new(self.client) }
        });
        let mut sub_chain = chain.to_vec();
        sub_chain.push(seg.clone());
        children.push((child, child_handle, sub_chain));
    }
    let methods: Vec<TokenStream> = node.ops.iter().flat_map(|op| emit_methods(op)).collect();
    let d = format!(" Operations on {}.", describe_paths(node));
    out.push(quote! {
        #[doc = #d]
        #[derive(Debug, Clone, Copy)]
        pub struct #h<'a> {
            client: &'a crate::Client,
        }
        impl<'a> #h<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self { Self { client } }
            #(#child_accessors)*
            #(#methods)*
        }
    });
    for (child, child_handle, sub_chain) in children {
        emit_node(child, &child_handle, &sub_chain, names, out);
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

/// One method per body variant (`create`, `create_multipart`), or one method.
fn emit_methods(op: &Operation) -> Vec<TokenStream> {
    if op.body.is_empty() {
        return vec![emit_method(op, None, &op.name)];
    }
    op.body.iter().map(|b| emit_method(op, Some(b), &b.method_name)).collect()
}

fn emit_method(op: &Operation, body: Option<&BodyVariant>, name: &str) -> TokenStream {
    let mname = ident(name);
    let mut args = Vec::new();
    let mut calls = Vec::new();
    let wire_method = ident(op.method.as_str());
    let path = &op.path;
    let op_id = &op.id;

    for p in &op.path_params {
        let (arg, val) = param_arg(p);
        let wire = &p.wire;
        args.push(arg);
        calls.push(quote! { .path_param(#wire, #val) });
    }
    for p in &op.required_params {
        let n = ident(&p.ident);
        let wire = &p.wire;
        let t = match &p.ty {
            Ty::String => quote! { &str },
            other => ty_tokens(other),
        };
        args.push(quote! { #n: #t });
        calls.push(match p.location {
            ParamLocation::Header => quote! { .header_param(#wire, &#n) },
            _ => quote! { .query_param(#wire, &#n) },
        });
    }
    if let Some(b) = body {
        let t = match (&b.ty, b.encoding) {
            (Ty::Binary, _) => quote! { crate::FileUpload },
            (ty, _) => ty_tokens(ty),
        };
        args.push(quote! { body: #t });
        calls.push(match b.encoding {
            BodyEncoding::Json => quote! { .json(&body) },
            BodyEncoding::Form => quote! { .form(&body) },
            BodyEncoding::Binary => quote! { .file_body(body) },
            BodyEncoding::Multipart => multipart_call(&b.ty),
        });
    }
    if let Some(pt) = &op.params_type {
        let pt = ident(pt);
        args.push(quote! { params: crate::types::#pt });
        for p in &op.optional_params {
            let n = ident(&p.ident);
            let wire = &p.wire;
            calls.push(match p.location {
                ParamLocation::Header => quote! { .header_param(#wire, &params.#n) },
                _ => quote! { .query_param(#wire, &params.#n) },
            });
        }
    }
    let (ret, extra) = success_tokens(op.success.as_ref());
    calls.push(extra);

    let mut lines: Vec<String> = Vec::new();
    let summary = op.summary.clone().unwrap_or_default();
    let desc = op.description.clone().unwrap_or_default();
    let main = match (summary.trim().is_empty(), desc.trim().is_empty()) {
        (false, false) if desc.trim() != summary.trim() => format!("{}\n\n{}", summary.trim(), desc.trim()),
        (false, _) => summary.trim().to_string(),
        (true, false) => desc.trim().to_string(),
        (true, true) => format!("`{} {}`", op.method.as_str(), op.path),
    };
    let doc = doc_attrs(Some(&main), "");
    lines.push(String::new());
    lines.push(format!("`{} {}` (operation `{}`).", op.method.as_str(), op.path, op.id));
    if let Some(b) = body {
        if op.body.len() > 1 {
            lines.push(String::new());
            lines.push(format!("Sends the body as `{}`.", b.media_type));
        }
    }
    if op.pagination.is_some() {
        lines.push(String::new());
        lines.push("Returns one page; call [`into_stream`](crate::Request::into_stream) on the request to iterate over every item of every page.".into());
    }
    let more = doc_lines(&lines);
    let deprecated = if op.deprecated { quote! { #[deprecated = "deprecated in the API spec"] } } else { quote! {} };
    let too_many = if args.len() > 6 { quote! { #[allow(clippy::too_many_arguments)] } } else { quote! {} };
    quote! {
        #doc
        #more
        #deprecated
        #too_many
        pub fn #mname(&self, #(#args),*) -> crate::Request<'a, #ret> {
            crate::Request::new(self.client, ::reqwest::Method::#wire_method, #path, #op_id)
                #(#calls)*
        }
    }
}

/// Builds the multipart form from a body struct: files as file parts, every
/// other field as a text part.
fn multipart_call(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Named(_) => quote! { .multipart(body.into_form()) },
        _ => quote! { .multipart(crate::multipart::Form::new().field("body", &body)) },
    }
}
