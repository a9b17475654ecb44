//! What makes a generated crate that API's crate, read from the document
//! after lowering: the base URL from `servers` (server variables replaced by
//! their defaults), the security schemes and per-operation requirements, the
//! error body type the error responses declare, and which responses announce
//! a `Link` header; then the config's method renames and the paging decision
//! ([`crate::paging`]).

use crate::config::CrateConfig;
use crate::diagnostics::{escape_token, Diagnostics, Error};
use crate::ir::*;
use crate::load::LoadedSpec;
use openapiv3::{ReferenceOr, SecurityRequirement, StatusCode};
use std::collections::{BTreeMap, BTreeSet};

/// Fills the identity facts of `api` from the document and the config.
pub fn complete(spec: &LoadedSpec, api: &mut Api, cfg: &CrateConfig, diags: &mut Diagnostics) -> Result<(), Error> {
    let doc = &spec.openapi;
    api.base_url = doc.servers.first().map(|s| {
        let mut url = s.url.clone();
        for (name, var) in s.variables.iter().flatten() {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
        url
    });
    api.security = security(spec, api, diags);
    api.error_body = error_body(spec, api);
    rename(api, cfg)?;
    let mut link_ops = BTreeSet::new();
    for (path, item) in &doc.paths.paths {
        let ReferenceOr::Item(item) = item else { continue };
        for (method, op) in item.iter() {
            let pointer = format!("/paths/{}/{method}", escape_token(path));
            let declares_link = op.responses.responses.iter().any(|(code, r)| {
                is_success(code) && response(spec, r).is_some_and(|r| r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
            });
            if declares_link {
                if let Some(o) = api.operations.iter().find(|o| o.pointer == pointer) {
                    link_ops.insert(o.id.clone());
                }
            }
        }
    }
    crate::paging::decide(api, &spec.raw, &link_ops, &cfg.pagination, diags)
}

fn is_success(code: &StatusCode) -> bool {
    match code {
        StatusCode::Code(c) => (200..300).contains(c),
        StatusCode::Range(r) => *r == 2,
    }
}

fn response<'a>(spec: &'a LoadedSpec, r: &'a ReferenceOr<openapiv3::Response>) -> Option<&'a openapiv3::Response> {
    match r {
        ReferenceOr::Item(r) => Some(r),
        ReferenceOr::Reference { reference } => {
            let key = reference.strip_prefix("#/components/responses/")?;
            match spec.openapi.components.as_ref()?.responses.get(key)? {
                ReferenceOr::Item(r) => Some(r),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

/// The schemes (document order) and requirements; schemes a client cannot
/// send (HTTP digest, ...) are left out with a warning, and so are the
/// alternatives that need them.
fn security(spec: &LoadedSpec, api: &Api, diags: &mut Diagnostics) -> Security {
    let doc = &spec.openapi;
    let mut schemes = Vec::new();
    if let Some(components) = &doc.components {
        for (name, s) in &components.security_schemes {
            let pointer = format!("/components/securitySchemes/{}", escape_token(name));
            let ReferenceOr::Item(s) = s else {
                diags.warn("security", pointer, "a `$ref`'d security scheme is not supported; it is left out");
                continue;
            };
            use openapiv3::{APIKeyLocation, SecurityScheme as S};
            let token_url = match s {
                S::OAuth2 { flows, .. } => flows.client_credentials.as_ref().map(|f| f.token_url.clone()),
                _ => None,
            };
            let (kind, doc) = match s {
                S::APIKey { location, name: key, description, .. } => (
                    match location {
                        APIKeyLocation::Header => AuthKind::Header(key.clone()),
                        APIKeyLocation::Query => AuthKind::Query(key.clone()),
                        APIKeyLocation::Cookie => AuthKind::Cookie(key.clone()),
                    },
                    description,
                ),
                S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => (AuthKind::Bearer, description),
                S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => (AuthKind::Basic, description),
                S::HTTP { scheme, .. } => {
                    diags.warn("security", pointer, format!("HTTP `{scheme}` authentication is not supported; the scheme is left out"));
                    continue;
                }
                S::OAuth2 { description, .. } | S::OpenIDConnect { description, .. } => (AuthKind::OAuth2, description),
            };
            schemes.push(SecurityScheme { name: name.clone(), kind, doc: doc.clone(), token_url });
        }
    }
    let known: BTreeSet<&str> = schemes.iter().map(|s| s.name.as_str()).collect();
    let convert = |reqs: &[SecurityRequirement]| -> Vec<Vec<String>> {
        reqs.iter()
            .filter(|r| r.keys().all(|k| known.contains(k.as_str())))
            .map(|r| r.keys().cloned().collect())
            .collect()
    };
    let default = convert(doc.security.as_deref().unwrap_or(&[]));
    let mut per_operation = BTreeMap::new();
    for (path, item) in &doc.paths.paths {
        let ReferenceOr::Item(item) = item else { continue };
        for (method, op) in item.iter() {
            let Some(reqs) = &op.security else { continue };
            let pointer = format!("/paths/{}/{method}", escape_token(path));
            let Some(o) = api.operations.iter().find(|o| o.pointer == pointer) else { continue };
            let own = convert(reqs);
            if !reqs.is_empty() && own.is_empty() {
                diags.warn("security", format!("{pointer}/security"), "no requirement names a supported scheme; the operation sends no credentials");
            }
            if own != default {
                per_operation.insert(o.id.clone(), own);
            }
        }
    }
    Security { schemes, default, per_operation }
}

/// The component schema most error responses (`4XX`, `5XX`, `default`, any
/// status from 400) of the document use, when it was lowered to a type.
fn error_body(spec: &LoadedSpec, api: &Api) -> Option<Ty> {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut order = 0;
    for item in spec.openapi.paths.paths.values() {
        let ReferenceOr::Item(item) = item else { continue };
        for (_, op) in item.iter() {
            let errors = op
                .responses
                .responses
                .iter()
                .filter(|(c, _)| match c {
                    StatusCode::Code(c) => *c >= 400,
                    StatusCode::Range(r) => *r >= 4,
                })
                .map(|(_, r)| r)
                .chain(op.responses.default.as_ref());
            for r in errors {
                let Some(r) = response(spec, r) else { continue };
                let schema = r.content.iter().find(|(m, _)| m.contains("json")).and_then(|(_, m)| m.schema.as_ref());
                if let Some(ReferenceOr::Reference { reference }) = schema {
                    if let Some(key) = reference.strip_prefix('#') {
                        order += 1;
                        counts.entry(key.to_string()).or_insert((0, order)).0 += 1;
                    }
                }
            }
        }
    }
    let (origin, _) = counts.into_iter().max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))?;
    let def = api.types.values().find(|d| d.origin == origin)?;
    Some(Ty::Named(def.name.clone()))
}

/// The config's `[renames]`: operationId -> method name (and the body
/// variants' names, which start with it).
fn rename(api: &mut Api, cfg: &CrateConfig) -> Result<(), Error> {
    for (id, new) in &cfg.renames {
        if syn::parse_str::<syn::Ident>(new).is_err() {
            return Err(Error::msg(format!("config [renames]: `{new}` is not a Rust identifier")));
        }
        let op = api
            .operations
            .iter_mut()
            .find(|o| &o.id == id)
            .ok_or_else(|| Error::msg(format!("config [renames]: no operation has the operationId `{id}`")))?;
        let old = std::mem::replace(&mut op.name, new.clone());
        for b in &mut op.body {
            if let Some(rest) = b.method_name.strip_prefix(old.as_str()) {
                b.method_name = format!("{new}{rest}");
            }
        }
    }
    Ok(())
}
