//! How each list operation pages, decided on the lowered API: page number
//! with a total (the lowering's [`Pagination`]), a
//! cursor fed back from a response field, offset + limit, or the `Link:
//! rel="next"` header. Detection only picks a kind when exactly one fits; a
//! config entry (`[pagination.OPERATION_ID]`) decides the others. A GET that
//! returns a list and takes paging parameters but fits no kind stays single
//! page, with the reason in [`Api::single_page`].

use crate::config::{PaginationKindName, PaginationOverride};
use crate::diagnostics::{Diagnostics, Error};
use crate::ir::*;
use std::collections::{BTreeMap, BTreeSet};

/// Request parameters that carry a cursor.
const CURSOR_PARAMS: &[&str] = &[
    "cursor", "after", "starting_after", "page_token", "pagetoken", "next_token", "nexttoken", "marker", "continuation",
    "continuation_token", "page[after]", "page[cursor]", "start_cursor",
];
/// Response fields that carry the next cursor (compared without `_` and case).
const CURSOR_FIELDS: &[&str] = &["nextcursor", "nextpagetoken", "nextmarker", "nexttoken", "endcursor", "nextpagecursor", "startingafter", "continuationtoken"];
/// Response fields with the next page's URL (compared without `_` and case;
/// `next` only inside `links`, `paging` or `pagination`).
const NEXT_URL_FIELDS: &[&str] = &["nextpageuri", "nextpageurl", "nexturl", "nexturi", "nextlink", "nextpagelink"];
/// Request parameters that carry an offset.
const OFFSET_PARAMS: &[&str] = &["offset", "skip", "start"];
/// Request parameters that bound the page size.
const LIMIT_PARAMS: &[&str] = &["limit", "count", "page_size", "pagesize", "per_page", "perpage", "page[size]", "max_results", "maxresults", "size", "top"];
/// Response fields that hold the items, preferred in this order.
const ITEM_FIELDS: &[&str] = &["data", "items", "results", "entries", "records", "values", "list", "objects", "elements", "nodes"];

fn norm(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '[' || *c == ']').flat_map(|c| c.to_lowercase()).collect()
}

/// Decides the paging of every operation of `api` (fills [`Api::paging`] and
/// [`Api::single_page`]). `link_ops` are the operations whose response
/// declares a `Link` header; `overrides` come from the crate config.
pub fn decide(
    api: &mut Api,
    link_ops: &BTreeSet<String>,
    overrides: &BTreeMap<String, PaginationOverride>,
    diags: &mut Diagnostics,
) -> Result<(), Error> {
    for id in overrides.keys() {
        if !api.operations.iter().any(|o| &o.id == id) {
            return Err(Error::msg(format!("config [pagination.{id}]: no operation has this operationId")));
        }
    }
    let mut paging = BTreeMap::new();
    let mut single = BTreeMap::new();
    let mut owner_of_type: BTreeMap<String, String> = BTreeMap::new();
    for op in &api.operations {
        let decided = match overrides.get(&op.id) {
            Some(o) => from_override(api, op, o)?,
            None => detect(api, op, link_ops.contains(&op.id))?,
        };
        match decided {
            Ok(p) => {
                // One `impl Page` per response type: a second operation with
                // the same response type and another way of paging stays single page.
                let key = match &op.success {
                    Some(Ty::Named(n)) => n.clone(),
                    Some(other) => format!("{other:?}"),
                    None => continue,
                };
                match owner_of_type.get(&key) {
                    Some(first) if paging.get(first) != Some(&p) => {
                        single.insert(op.id.clone(), format!("its response type is paged differently by {first}"));
                    }
                    _ => {
                        owner_of_type.entry(key).or_insert_with(|| op.id.clone());
                        paging.insert(op.id.clone(), p);
                    }
                }
            }
            Err(Some(reason)) => {
                diags.note("single-page", op.pointer.clone(), format!("{} stays single page: {reason}", op.id));
                single.insert(op.id.clone(), reason);
            }
            Err(None) => {}
        }
    }
    api.paging = paging;
    api.single_page = single;
    Ok(())
}

/// The items array of a response: `(path, item type)`; an array response is
/// its own items (empty path).
fn items_of(api: &Api, ty: &Ty) -> Option<(Vec<String>, Ty)> {
    match ty {
        Ty::Vec(item) => Some((Vec::new(), (**item).clone())),
        Ty::Named(n) => {
            let TypeKind::Struct(s) = &api.types.get(n)?.kind else { return None };
            let arrays: Vec<&Field> = s.fields.iter().filter(|f| matches!(f.ty, Ty::Vec(_))).collect();
            let pick = ITEM_FIELDS
                .iter()
                .find_map(|name| arrays.iter().find(|f| f.wire == *name))
                .or(if arrays.len() == 1 { arrays.first() } else { None })?;
            let Ty::Vec(item) = &pick.ty else { return None };
            Some((vec![pick.ident.clone()], (**item).clone()))
        }
        _ => None,
    }
}

fn struct_of<'a>(api: &'a Api, ty: &Ty) -> Option<&'a Struct> {
    match ty {
        Ty::Named(n) => match &api.types.get(n)?.kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        },
        Ty::Boxed(inner) => struct_of(api, inner),
        _ => None,
    }
}

/// Scalar fields (string or integer) of the response, up to two levels
/// deep, whose normalised wire name satisfies `want`: `(ident path, wire path)`.
fn find_fields(api: &Api, ty: &Ty, want: &dyn Fn(&str, &[String]) -> bool) -> Vec<(Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    let Some(s) = struct_of(api, ty) else { return out };
    for f in &s.fields {
        match &f.ty {
            Ty::String | Ty::I64 | Ty::I32 if want(&norm(&f.wire), &[]) => out.push((vec![f.ident.clone()], vec![f.wire.clone()])),
            Ty::Named(_) | Ty::Boxed(_) => {
                let inner_ty = match &f.ty {
                    Ty::Boxed(b) => (**b).clone(),
                    t => t.clone(),
                };
                if let Some(inner) = struct_of(api, &inner_ty) {
                    for g in &inner.fields {
                        if matches!(g.ty, Ty::String | Ty::I64 | Ty::I32) && want(&norm(&g.wire), &[norm(&f.wire)]) {
                            out.push((vec![f.ident.clone(), g.ident.clone()], vec![f.wire.clone(), g.wire.clone()]));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn query_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.required_params.iter().chain(&op.optional_params).filter(|p| p.location == ParamLocation::Query)
}

fn find_param<'a>(op: &'a Operation, names: &[&str]) -> Vec<&'a Param> {
    query_params(op).filter(|p| names.contains(&norm(&p.wire).as_str()) || names.contains(&p.wire.to_ascii_lowercase().as_str())).collect()
}

/// `Ok(kind)`, `Err(Some(reason))` for a list left single page, `Err(None)` for not a list.
fn detect(api: &Api, op: &Operation, has_link: bool) -> Result<Result<Paging, Option<String>>, Error> {
    if op.method != Method::Get {
        return Ok(Err(None));
    }
    let Some(success) = &op.success else { return Ok(Err(None)) };
    let Some((items, item)) = items_of(api, success) else { return Ok(Err(None)) };
    if let Some(p) = &op.pagination {
        return Ok(Ok(Paging::PageNumber {
            param: p.page_param.clone(),
            items: vec![p.data_field.clone()],
            item: p.item.clone(),
            number: vec![p.meta_field.clone(), p.page_number_field.clone()],
            total: vec![p.meta_field.clone(), p.total_pages_field.clone()],
        }));
    }
    let cursor_params = find_param(op, CURSOR_PARAMS);
    let offset_params: Vec<&Param> = find_param(op, OFFSET_PARAMS).into_iter().filter(|p| matches!(p.ty, Ty::I64 | Ty::I32)).collect();
    let limit_params = find_param(op, LIMIT_PARAMS);
    let page_params = find_param(op, &["page", "page[number]", "pagenumber", "page_number"]);
    let mut kinds: Vec<Paging> = Vec::new();
    let mut why: Vec<String> = Vec::new();
    if let [param] = cursor_params.as_slice() {
        let pn = norm(&param.wire);
        let fields = find_fields(api, success, &|name, parents| {
            CURSOR_FIELDS.contains(&name)
                || (name == pn && !parents.is_empty())
                || (name == "offset" && parents.iter().any(|p| p == "nextpage"))
        });
        match fields.as_slice() {
            [(next, _)] => kinds.push(Paging::Cursor { param: param.wire.clone(), items: items.clone(), item: item.clone(), next: next.clone() }),
            [] => why.push(format!("cursor parameter `{}` but no response field with the next cursor", param.wire)),
            many => why.push(format!(
                "cursor parameter `{}` and several candidate fields ({})",
                param.wire,
                many.iter().map(|(_, w)| w.join(".")).collect::<Vec<_>>().join(", ")
            )),
        }
    } else if cursor_params.len() > 1 {
        why.push(format!("several cursor parameters ({})", cursor_params.iter().map(|p| p.wire.as_str()).collect::<Vec<_>>().join(", ")));
    }
    if let ([offset], [_, ..]) = (offset_params.as_slice(), limit_params.as_slice()) {
        kinds.push(Paging::Offset { param: offset.wire.clone(), items: items.clone(), item: item.clone() });
    }
    let urls = find_fields(api, success, &|name, parents| {
        NEXT_URL_FIELDS.contains(&name) || (name == "next" && parents.iter().any(|p| ["links", "paging", "pagination", "meta"].contains(&p.as_str())))
    });
    if let [(next, _)] = urls.as_slice() {
        // The URL carries the cursor: a cursor parameter without a cursor field is settled.
        why.retain(|w| !w.contains("no response field with the next cursor"));
        kinds.push(Paging::NextUrl { items: items.clone(), item: item.clone(), next: next.clone() });
    }
    if has_link {
        kinds.push(Paging::Link { items: items.clone(), item: item.clone() });
    }
    match kinds.len() {
        // Another way of paging was suggested but not settled: ambiguous.
        1 if !why.is_empty() => Ok(Err(Some(format!(
            "ambiguous: fits {} but also has {} (set [pagination.{}] in the crate config)",
            kind_name(&kinds[0]),
            why.join("; "),
            op.id
        )))),
        1 => Ok(Ok(kinds.remove(0))),
        0 => {
            let looks_paged = !cursor_params.is_empty() || !offset_params.is_empty() || !limit_params.is_empty() || !page_params.is_empty() || urls.len() > 1;
            if !looks_paged {
                return Ok(Err(None));
            }
            if why.is_empty() {
                why.push("paging parameters without a way to find the next page".into());
            }
            Ok(Err(Some(why.join("; "))))
        }
        _ => Ok(Err(Some(format!(
            "ambiguous: fits {} (set [pagination.{}] in the crate config)",
            kinds.iter().map(kind_name).collect::<Vec<_>>().join(" and "),
            op.id
        )))),
    }
}

/// The name of a paging kind, for reports.
pub fn kind_name(p: &Paging) -> &'static str {
    match p {
        Paging::PageNumber { .. } => "page",
        Paging::Cursor { .. } => "cursor",
        Paging::Offset { .. } => "offset",
        Paging::Link { .. } => "link",
        Paging::NextUrl { .. } => "next-url",
        Paging::LastItem { .. } => "last-item",
    }
}

/// A config entry, checked against the operation.
fn from_override(api: &Api, op: &Operation, o: &PaginationOverride) -> Result<Result<Paging, Option<String>>, Error> {
    let at = |m: String| Error::msg(format!("config [pagination.{}]: {m}", op.id));
    if o.kind == PaginationKindName::None {
        return Ok(Err(Some("set to `none` in the crate config".into())));
    }
    let success = op.success.as_ref().ok_or_else(|| at("the operation has no response body".into()))?;
    let (items, item) = items_of(api, success).ok_or_else(|| at("the response has no array of items".into()))?;
    let param = |default: &str| -> Result<String, Error> {
        let wire = o.param.clone().unwrap_or_else(|| default.to_string());
        if query_params(op).any(|p| p.wire == wire) {
            Ok(wire)
        } else {
            Err(at(format!("the operation has no query parameter `{wire}`")))
        }
    };
    let path_in = |root: &Ty, dotted: &str| -> Result<Vec<String>, Error> {
        let mut ty = root.clone();
        let mut out = Vec::new();
        for seg in dotted.split('.') {
            let s = struct_of(api, &ty).ok_or_else(|| at(format!("`{dotted}`: `{seg}` is not inside an object")))?;
            let f = s.fields.iter().find(|f| f.wire == seg).ok_or_else(|| at(format!("`{dotted}`: no field `{seg}`")))?;
            out.push(f.ident.clone());
            ty = match &f.ty {
                Ty::Boxed(b) => (**b).clone(),
                t => t.clone(),
            };
        }
        // An alias of a scalar (`type Snowflake = String`) is that scalar.
        while let Ty::Named(n) = &ty {
            match api.types.get(n).map(|d| &d.kind) {
                Some(TypeKind::Alias(t)) => ty = t.clone(),
                _ => break,
            }
        }
        if !matches!(ty, Ty::String | Ty::I64 | Ty::I32) {
            return Err(at(format!("`{dotted}` is not a string or an integer")));
        }
        Ok(out)
    };
    let path = |dotted: &str| path_in(success, dotted);
    Ok(Ok(match o.kind {
        PaginationKindName::Cursor => {
            let field = o.field.as_deref().ok_or_else(|| at("kind = \"cursor\" needs `field`".into()))?;
            Paging::Cursor { param: param("cursor")?, items, item, next: path(field)? }
        }
        PaginationKindName::Offset => Paging::Offset { param: param("offset")?, items, item },
        PaginationKindName::Link => Paging::Link { items, item },
        PaginationKindName::LastItem => {
            let field = path_in(&item, o.field.as_deref().unwrap_or("id"))?;
            Paging::LastItem { param: param("after")?, items, item, field }
        }
        PaginationKindName::NextUrl => {
            let field = o.field.as_deref().ok_or_else(|| at("kind = \"next-url\" needs `field`".into()))?;
            Paging::NextUrl { items, item, next: path(field)? }
        }
        PaginationKindName::Page => {
            let p = op.pagination.as_ref().ok_or_else(|| at("kind = \"page\" needs `meta.page_number` and `meta.total_pages` in the response".into()))?;
            Paging::PageNumber {
                param: p.page_param.clone(),
                items,
                item,
                number: vec![p.meta_field.clone(), p.page_number_field.clone()],
                total: vec![p.meta_field.clone(), p.total_pages_field.clone()],
            }
        }
        PaginationKindName::None => return Ok(Err(Some("set to `none` in the crate config".into()))),
    }))
}
