//! How each list operation pages, decided on the lowered API: page number
//! with a total (the lowering's [`Pagination`], or a page parameter with the
//! page's number and the number of pages anywhere in a paging object), a
//! page number whose response says nothing of pages (counted up from the
//! request's page, else the declared first page, else 1, until a page is
//! empty; `current` beside a page size counts as one, and so does the
//! `number` member of an object `page` parameter, sent as `page[number]`), a
//! cursor fed back from a response field (a next-cursor field, a
//! `next`/`cursor` string of a paging object that may also be a URL, the
//! next page's number), offset + limit, the last item's id (`starting_after`
//! or `after` with no cursor field: the item's `id`, the `id` of the one
//! object an item wraps, a string item itself, or the `id` every member of
//! a union item has; ended by a `has_more` flag when there is
//! one), a next-page URL in the body (`next_page_uri`, `links.next`,
//! `links.next.href`; beside an offset parameter the URL is followed), or the `Link: rel="next"` header the response
//! declares. Detection only picks a kind when exactly one fits, and says why
//! ([`Api::paging_reasons`], printed by the generate summary); a config entry
//! (`[pagination.OPERATION_ID]`) decides the others and overrides any. A GET
//! that returns a list and takes paging parameters but fits no kind stays
//! single page, with the reason in [`Api::single_page`] (a time window, an
//! id bound, a page size alone...).

use crate::config::{PaginationKindName, PaginationOverride};
use crate::diagnostics::{Diagnostics, Error};
use crate::ir::*;
use std::collections::{BTreeMap, BTreeSet};

/// Request parameters that carry a cursor.
const CURSOR_PARAMS: &[&str] = &[
    "cursor", "after", "starting_after", "page_token", "pagetoken", "next_token", "nexttoken", "marker", "continuation",
    "continuation_token", "page[after]", "page[cursor]", "start_cursor", "page_cursor",
];
/// Response fields that carry the next cursor (compared without `_` and case).
const CURSOR_FIELDS: &[&str] = &["nextcursor", "nextpagetoken", "nextmarker", "nexttoken", "endcursor", "nextpagecursor", "startingafter", "continuationtoken"];
/// Response fields with the next page's URL (compared without `_` and case;
/// `next` only inside `links`, `paging` or `pagination`).
const NEXT_URL_FIELDS: &[&str] = &["nextpageuri", "nextpageurl", "nexturl", "nexturi", "nextlink", "nextpagelink"];
/// Response fields that hold the next cursor or the next page's URL, the
/// document does not say which (compared without `_` and case): at the top
/// level or inside a paging object ([`PAGING_OBJECTS`]); `cursor` only inside one.
const EITHER_FIELDS: &[&str] = &["next", "nextpage", "cursor", "nextcursor", "nextpagetoken", "nexttoken"];
/// Objects of a response that hold paging fields (`pagination.cursor`,
/// `meta.next`, `response_metadata.next_cursor`, `page_info.end_cursor`).
const PAGING_OBJECTS: &[&str] = &["pagination", "paging", "meta", "links", "pageinfo", "responsemetadata", "page", "cursor", "metadata"];
/// Cursor parameters that take the id of the last item received
/// (`starting_after` as Stripe, `after` as Discord or OpenAI) when the
/// response has no field with the next cursor.
const LAST_ITEM_PARAMS: &[&str] = &["startingafter", "after", "afterid", "lastid"];
/// Response flags that say whether there is a page after this one.
const MORE_FLAGS: &[&str] = &["hasmore", "hasnextpage", "hasnext", "more", "morepages"];
/// Response fields with the number of the next page (integer).
const NEXT_PAGE_NUMBER_FIELDS: &[&str] = &["nextpage", "next", "nextpagenumber"];
/// Response fields with the number of pages (integer).
const TOTAL_PAGES_FIELDS: &[&str] = &["totalpages", "pagecount", "pages", "lastpage", "numpages", "totalpagecount"];
/// Response fields with this page's number (integer).
const PAGE_NUMBER_FIELDS: &[&str] = &["page", "currentpage", "pagenumber", "pagenum"];
/// Request parameters that select a page by number.
const PAGE_PARAMS: &[&str] = &["page", "page[number]", "pagenumber", "page_number", "pagenum"];

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
    raw: &serde_json::Value,
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
    let mut reasons = BTreeMap::new();
    let mut owner_of_type: BTreeMap<String, String> = BTreeMap::new();
    for op in &api.operations {
        let decided = match overrides.get(&op.id) {
            Some(o) => from_override(api, raw, op, o)?.map(|p| (p, "set in the crate config".to_string())),
            None => detect(api, raw, op, link_ops.contains(&op.id))?,
        };
        match decided {
            Ok((p, why)) => {
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
                        reasons.insert(op.id.clone(), why);
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
    api.paging_reasons = reasons;
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
fn find_fields(api: &Api, ty: &Ty, want: &dyn Fn(&str, &[String]) -> bool) -> Vec<FieldPath> {
    let mut out = Vec::new();
    walk(api, ty, 2, &mut Vec::new(), &mut |f, parents, path| {
        if matches!(f.ty, Ty::String | Ty::I64 | Ty::I32) && want(&norm(&f.wire), parents) {
            out.push(path.clone());
        }
    });
    out
}

/// A field's place in a response: `(Rust ident path, wire name path)`.
type FieldPath = (Vec<String>, Vec<String>);

/// Fields of `ty`'s struct and of the structs inside it, `depth` levels
/// deep: `visit(field, normalised parent names, its place)`; `parents` holds
/// `(normalised name, ident, wire name)` of the fields walked through.
fn walk(api: &Api, ty: &Ty, depth: usize, parents: &mut Vec<(String, String, String)>, visit: &mut dyn FnMut(&Field, &[String], &FieldPath)) {
    let Some(s) = struct_of(api, ty) else { return };
    for f in &s.fields {
        let names: Vec<String> = parents.iter().map(|(n, _, _)| n.clone()).collect();
        let mut path = (parents.iter().map(|(_, i, _)| i.clone()).collect::<Vec<_>>(), parents.iter().map(|(_, _, w)| w.clone()).collect::<Vec<_>>());
        path.0.push(f.ident.clone());
        path.1.push(f.wire.clone());
        visit(f, &names, &path);
        if depth > 1 && matches!(f.ty, Ty::Named(_) | Ty::Boxed(_)) {
            parents.push((norm(&f.wire), f.ident.clone(), f.wire.clone()));
            walk(api, &f.ty, depth - 1, parents, visit);
            parents.pop();
        }
    }
}

/// Fields of the response `depth` levels deep whose type is `is` and whose
/// normalised name and parents satisfy `want`.
fn find_typed(api: &Api, ty: &Ty, depth: usize, is: &dyn Fn(&Ty) -> bool, want: &dyn Fn(&str, &[String]) -> bool) -> Vec<FieldPath> {
    let mut out = Vec::new();
    walk(api, ty, depth, &mut Vec::new(), &mut |f, parents, path| {
        if is(&f.ty) && want(&norm(&f.wire), parents) {
            out.push(path.clone());
        }
    });
    out
}

/// Whether the last parent is a paging object.
fn in_paging_object(parents: &[String]) -> bool {
    parents.last().is_some_and(|p| PAGING_OBJECTS.contains(&p.as_str()))
}

/// The scalar behind `ty` (an alias of a string is a string): string or integer.
fn scalar(api: &Api, ty: &Ty) -> Option<Ty> {
    match ty {
        Ty::String | Ty::I64 | Ty::I32 => Some(ty.clone()),
        Ty::Named(n) => match &api.types.get(n)?.kind {
            TypeKind::Alias(t) => scalar(api, t),
            _ => None,
        },
        _ => None,
    }
}

/// Where the last item's id is, for a cursor parameter that takes it:
/// `(ident path, wire path)`, or why no place fits. The item's `id`; else,
/// for an item that wraps one object (Discord's ban or member holds a
/// `user`), the `id` of its one field that is an object with an `id`
/// (top-level `*_id` fields name other objects); else a string item is
/// its own id (Letta's tag or agent id lists).
fn item_id(api: &Api, item: &Ty) -> Result<FieldPath, String> {
    if scalar(api, item) == Some(Ty::String) {
        return Ok((Vec::new(), Vec::new()));
    }
    if let Some(found) = union_member_id(api, item) {
        return Ok(found);
    }
    let Some(s) = struct_of(api, item) else {
        return Err(match item {
            Ty::Named(n) if matches!(api.types.get(n).map(|d| &d.kind), Some(TypeKind::Union(_))) => format!("the items are a union (`{n}`) whose members do not all have an `id` of one type"),
            _ => "the items are not objects with an `id`".into(),
        });
    };
    if let Some(f) = s.fields.iter().find(|f| f.wire == "id" && scalar(api, &f.ty).is_some()) {
        return Ok((vec![f.ident.clone()], vec![f.wire.clone()]));
    }
    let nested: Vec<FieldPath> = s
        .fields
        .iter()
        .filter_map(|f| {
            let inner = struct_of(api, &f.ty)?;
            let id = inner.fields.iter().find(|g| g.wire == "id" && scalar(api, &g.ty).is_some())?;
            Some((vec![f.ident.clone(), id.ident.clone()], vec![f.wire.clone(), id.wire.clone()]))
        })
        .collect();
    match nested.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err("the items have no `id` field".into()),
        many => Err(format!("the items have no `id` and several objects with one ({})", many.iter().map(|(_, w)| dotted(w)).collect::<Vec<_>>().join(", "))),
    }
}

/// The `id` of items that are a union whose every member is an object
/// with an `id` of one scalar type (Letta's message union).
fn union_member_id(api: &Api, item: &Ty) -> Option<FieldPath> {
    let Ty::Named(n) = item else { return None };
    let TypeKind::Union(u) = &api.types.get(n)?.kind else { return None };
    let mut found: Option<(Ty, FieldPath)> = None;
    for v in &u.variants {
        let s = struct_of(api, &v.ty)?;
        let f = s.fields.iter().find(|f| f.wire == "id")?;
        let ty = scalar(api, &f.ty)?;
        match &found {
            Some((t, (ident, _))) if *t != ty || ident[0] != f.ident => return None,
            Some(_) => {}
            None => found = Some((ty, (vec![f.ident.clone()], vec![f.wire.clone()]))),
        }
    }
    found.map(|(_, path)| path)
}

fn dotted(wire: &[String]) -> String {
    wire.join(".")
}

fn query_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.required_params.iter().chain(&op.optional_params).filter(|p| p.location == ParamLocation::Query)
}

fn find_param<'a>(op: &'a Operation, names: &[&str]) -> Vec<&'a Param> {
    query_params(op).filter(|p| names.contains(&norm(&p.wire).as_str()) || names.contains(&p.wire.to_ascii_lowercase().as_str())).collect()
}

/// `Ok((kind, why))`, `Err(Some(reason))` for a list left single page, `Err(None)` for not a list.
fn detect(api: &Api, raw: &serde_json::Value, op: &Operation, has_link: bool) -> Result<Result<(Paging, String), Option<String>>, Error> {
    if op.method != Method::Get {
        return Ok(Err(None));
    }
    let Some(success) = &op.success else { return Ok(Err(None)) };
    let Some((items, item)) = items_of(api, success) else { return Ok(Err(None)) };
    if let Some(p) = &op.pagination {
        return Ok(Ok((
            Paging::PageNumber {
                param: p.page_param.clone(),
                items: vec![p.data_field.clone()],
                item: p.item.clone(),
                number: vec![p.meta_field.clone(), p.page_number_field.clone()],
                total: vec![p.meta_field.clone(), p.total_pages_field.clone()],
            },
            format!("`{}` counted up to `meta.total_pages`", p.page_param),
        )));
    }
    let cursor_params = find_param(op, CURSOR_PARAMS);
    let offset_params: Vec<&Param> = find_param(op, OFFSET_PARAMS).into_iter().filter(|p| matches!(p.ty, Ty::I64 | Ty::I32)).collect();
    let limit_params = find_param(op, LIMIT_PARAMS);
    let mut page_params = find_param(op, PAGE_PARAMS);
    // `current` is the page number beside a page size (`current` + `size`,
    // the MyBatis-Plus convention Binance's `/sapi` lists follow).
    if page_params.is_empty() && !limit_params.is_empty() {
        page_params = find_param(op, &["current"]).into_iter().filter(|p| matches!(p.ty, Ty::I64 | Ty::I32)).collect();
    }
    // A deepObject page parameter (Telnyx's consolidated `page` with
    // `number` and `size`) selects the page by its number member, sent as `page[number]`.
    let members: Vec<Param> = page_params.iter().filter_map(|p| page_member(api, p)).collect();
    if !members.is_empty() {
        page_params = page_params.into_iter().filter(|p| struct_of(api, &p.ty).is_none()).chain(&members).collect();
    }
    let mut kinds: Vec<(Paging, String)> = Vec::new();
    let mut why: Vec<String> = Vec::new();
    let urls = find_fields(api, success, &|name, parents| {
        (parents.len() < 2 && NEXT_URL_FIELDS.contains(&name))
            || (parents.len() == 1 && name == "next" && parents.iter().any(|p| ["links", "paging", "pagination", "meta"].contains(&p.as_str())))
    });
    // `links.next.href` (HAL, JSON:API link objects): three levels deep.
    let hrefs = find_typed(api, success, 3, &|t| *t == Ty::String, &|name, parents| {
        name == "href" && parents.len() == 2 && parents[1] == "next" && PAGING_OBJECTS.contains(&parents[0].as_str())
    });
    let urls = if urls.is_empty() { hrefs } else { urls };
    if let [param] = cursor_params.as_slice() {
        let pn = norm(&param.wire);
        let fields = find_fields(api, success, &|name, parents| {
            parents.len() < 2
                && (CURSOR_FIELDS.contains(&name)
                    || (name == pn && !parents.is_empty())
                    || (name == "offset" && parents.iter().any(|p| p == "nextpage")))
        });
        match fields.as_slice() {
            [(next, wire)] => kinds.push((
                Paging::Cursor { param: param.wire.clone(), items: items.clone(), item: item.clone(), next: next.clone(), or_url: false },
                format!("`{}` <- `{}`", param.wire, dotted(wire)),
            )),
            // A next-page URL (below) settles it; else the fallbacks.
            [] if !urls.is_empty() => why.push(format!("cursor parameter `{}` but no response field with the next cursor", param.wire)),
            [] => match cursor_fallback(api, param, success, &items, &item) {
                Ok(found) => kinds.push(found),
                Err(reason) => why.push(reason),
            },
            many => why.push(format!(
                "cursor parameter `{}` and several candidate fields ({})",
                param.wire,
                many.iter().map(|(_, w)| w.join(".")).collect::<Vec<_>>().join(", ")
            )),
        }
    } else if cursor_params.len() > 1 {
        why.push(format!("several cursor parameters ({})", cursor_params.iter().map(|p| p.wire.as_str()).collect::<Vec<_>>().join(", ")));
    }
    if let ([offset], [limit, ..]) = (offset_params.as_slice(), limit_params.as_slice()) {
        kinds.push((
            Paging::Offset { param: offset.wire.clone(), items: items.clone(), item: item.clone() },
            format!("`{}` advanced by the items received (`{}` per page), until a page is empty", offset.wire, limit.wire),
        ));
    }
    if let [(next, wire)] = urls.as_slice() {
        // The URL carries the cursor: a cursor parameter without a cursor field is settled.
        why.retain(|w| !w.contains("no response field with the next cursor"));
        kinds.push((Paging::NextUrl { items: items.clone(), item: item.clone(), next: next.clone() }, format!("the next page's URL in `{}`", dotted(wire))));
    }
    if has_link {
        kinds.push((Paging::Link { items: items.clone(), item: item.clone() }, "the `Link: rel=\"next\"` header the response declares".into()));
    }
    // A next page's URL (body or `Link` header) is the server's own answer,
    // an offset only a count the client keeps: beside one, an offset
    // parameter is how that URL selects the page (InfluxDB's `offset`/`limit`
    // with `links.next`), not a second way of paging.
    if kinds.iter().any(|(k, _)| matches!(k, Paging::NextUrl { .. } | Paging::Link { .. })) {
        kinds.retain(|(k, _)| !matches!(k, Paging::Offset { .. }));
    }
    if kinds.is_empty() && cursor_params.is_empty() {
        if let [param] = page_params.as_slice() {
            // A page number declared `number` (Vimeo) is still a page number.
            if matches!(param.ty, Ty::I64 | Ty::I32 | Ty::F64) {
                kinds.push(page_number(api, param, success, &items, &item).unwrap_or_else(|| page_until_empty(raw, param, &items, &item)));
            }
        }
    }
    match kinds.len() {
        // Another way of paging was suggested but not settled: ambiguous.
        1 if !why.is_empty() => Ok(Err(Some(format!(
            "ambiguous: fits {} but also has {} (set [pagination.{}] in the crate config)",
            kind_name(&kinds[0].0),
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
                why.push(no_way(op, &page_params, &offset_params, &limit_params));
            }
            Ok(Err(Some(why.join("; "))))
        }
        _ => Ok(Err(Some(format!(
            "ambiguous: fits {} (set [pagination.{}] in the crate config)",
            kinds.iter().map(|(k, _)| kind_name(k)).collect::<Vec<_>>().join(" and "),
            op.id
        )))),
    }
}

/// Why a list with paging-like parameters but no cursor fits no kind, as
/// precisely as its parameters say: a page parameter that is no number, a
/// time window, an id bound, or a page size alone.
fn no_way(op: &Operation, page_params: &[&Param], offset_params: &[&Param], limit_params: &[&Param]) -> String {
    let names = |ps: &[&Param]| ps.iter().map(|p| format!("`{}`", p.wire)).collect::<Vec<_>>().join(", ");
    let size = if limit_params.is_empty() { String::new() } else { format!(" and a page size ({})", names(limit_params)) };
    if let Some(page) = page_params.iter().find(|p| !matches!(p.ty, Ty::I64 | Ty::I32 | Ty::F64)) {
        return format!("page parameter `{}` is not a number (an object or a string): no page number to count up", page.wire);
    }
    if page_params.len() > 1 {
        return format!("several page parameters ({})", names(page_params));
    }
    if let [offset, ..] = offset_params {
        return format!("offset parameter `{}` without a page size", offset.wire);
    }
    // `offset`/`skip` that is not an integer (Letta's `oneOf: [string, number]`).
    if let Some(offset) = find_param(op, &["offset", "skip"]).first() {
        return format!("offset parameter `{}` is not an integer: no count of items to advance", offset.wire);
    }
    let window: Vec<&Param> = query_params(op).filter(|p| is_time_bound(&norm(&p.wire))).collect();
    let bounds: Vec<&Param> = query_params(op).filter(|p| ID_BOUNDS.contains(&norm(&p.wire).as_str())).collect();
    match (window.is_empty(), bounds.is_empty()) {
        (false, true) => format!("a time window ({}){size}: a window is a filter, not a page, and the response does not say where the next one starts", names(&window)),
        (_, false) => format!(
            "{} ({}){size}{}: the document does not say whether the bound is inclusive nor which way the list runs from it",
            // Discord's `before` of pins is a timestamp the document types as a plain string.
            if bounds.iter().all(|p| norm(&p.wire).contains("id")) { "an id bound" } else { "a bound" },
            names(&bounds),
            if window.is_empty() { String::new() } else { format!(" beside a time window ({})", names(&window)) }
        ),
        (true, true) if !limit_params.is_empty() => format!("only a page size ({}): no parameter selects another page", names(limit_params)),
        _ => "paging parameters without a way to find the next page".into(),
    }
}

/// Parameters that bound a list by an item id (`fromId`, `id_gt`,
/// `before`): filters or cursors, the document does not say which.
const ID_BOUNDS: &[&str] = &["fromid", "orderid", "idgt", "idgte", "idlt", "idlte", "idaround", "before", "beforeid", "sinceid", "maxid", "minid", "startid", "endid"];

/// A parameter that bounds a list in time (`startTime`, `endTime`,
/// `from`/`to`, `since`, `created_after`).
fn is_time_bound(name: &str) -> bool {
    let timed = ["time", "date", "timestamp", "at"].iter().any(|t| name.ends_with(t));
    let bound = ["start", "end", "begin", "from", "to", "since", "until", "after", "before", "created", "updated"].iter().any(|b| name.starts_with(b));
    (timed && bound) || ["from", "to", "since", "until", "createdafter", "createdbefore", "updatedafter", "updatedbefore"].contains(&name)
}

/// The page-number member of an object page parameter (`page[number]`),
/// as the query parameter it is sent as; its schema is the member's.
fn page_member(api: &Api, p: &Param) -> Option<Param> {
    let s = struct_of(api, &p.ty)?;
    let f = s.fields.iter().find(|f| ["number", "page", "pagenumber"].contains(&norm(&f.wire).as_str()) && matches!(scalar(api, &f.ty), Some(Ty::I64 | Ty::I32)))?;
    Some(Param {
        wire: format!("{}[{}]", p.wire, f.wire),
        ident: p.ident.clone(),
        location: p.location,
        ty: scalar(api, &f.ty)?,
        required: false,
        doc: None,
        pointer: format!("{}/schema/properties/{}", p.pointer, f.wire.replace('~', "~0").replace('/', "~1")),
        comma_separated: false,
    })
}

/// A cursor parameter whose response has none of the usual next-cursor
/// fields: a `next`/`next_page`/`cursor` string at the top level or in a
/// paging object (`pagination.cursor`, `meta.next`), which may be a token or
/// the next page's URL (both are followed: an absolute URL or a path is the
/// page, anything else the cursor); else, for `starting_after`/`after`, the
/// id of the last item received, up to the response's `has_more` flag when
/// it has one.
fn cursor_fallback(api: &Api, param: &Param, success: &Ty, items: &[String], item: &Ty) -> Result<(Paging, String), String> {
    let no_field = format!("cursor parameter `{}` but no response field with the next cursor", param.wire);
    let either = find_typed(api, success, 3, &|t| *t == Ty::String, &|name, parents| {
        // A top-level string named like a paging object is the cursor itself (Twitch's `pagination`).
        (EITHER_FIELDS.contains(&name) && ((parents.is_empty() && name != "cursor") || in_paging_object(parents))) || (parents.is_empty() && name == "pagination")
    });
    if let [(next, wire)] = either.as_slice() {
        return Ok((
            Paging::Cursor { param: param.wire.clone(), items: items.to_vec(), item: item.clone(), next: next.clone(), or_url: true },
            format!("`{}` <- `{}` (a token or the next page's URL)", param.wire, dotted(wire)),
        ));
    }
    if !either.is_empty() || !LAST_ITEM_PARAMS.contains(&norm(&param.wire).as_str()) {
        return Err(no_field);
    }
    let (field, wire) = item_id(api, item).map_err(|why| format!("{no_field}, and {why}"))?;
    let (more, until) = match more_flag(api, success) {
        Some((path, wire)) => (path, format!(", until `{}` is false", dotted(&wire))),
        None => (Vec::new(), ", until a page is empty".to_string()),
    };
    let what = if wire.is_empty() { "the last item (a string)".to_string() } else { format!("the last item's `{}`", dotted(&wire)) };
    Ok((
        Paging::LastItem { param: param.wire.clone(), items: items.to_vec(), item: item.clone(), field, more },
        format!("`{}` = {what}{until}", param.wire),
    ))
}

/// The response's one "more" flag (`has_more`), at the top level or in a
/// paging object.
fn more_flag(api: &Api, success: &Ty) -> Option<FieldPath> {
    let flags = find_typed(api, success, 2, &|t| *t == Ty::Bool, &|name, parents| MORE_FLAGS.contains(&name) && (parents.is_empty() || in_paging_object(parents)));
    match <[FieldPath; 1]>::try_from(flags) {
        Ok([flag]) => Some(flag),
        Err(_) => None,
    }
}

/// A page-number parameter with the next page's number in the response
/// (`meta.next_page`, null on the last) or with this page's number and the
/// number of pages (`page`, `total_pages`).
fn page_number(api: &Api, param: &Param, success: &Ty, items: &[String], item: &Ty) -> Option<(Paging, String)> {
    let int = |t: &Ty| matches!(t, Ty::I64 | Ty::I32);
    let scope = |parents: &[String]| parents.is_empty() || in_paging_object(parents);
    let next = find_typed(api, success, 2, &int, &|name, parents| NEXT_PAGE_NUMBER_FIELDS.contains(&name) && scope(parents));
    if let [(next, wire)] = next.as_slice() {
        return Some((
            Paging::Cursor { param: param.wire.clone(), items: items.to_vec(), item: item.clone(), next: next.clone(), or_url: false },
            format!("`{}` <- `{}` (the next page's number)", param.wire, dotted(wire)),
        ));
    }
    page_up_to_total(api, param, success, items, item)
}

/// A page-number parameter whose response says nothing of pages (no
/// total, no next page): counted up from the request's page until a page
/// is empty, as page-number SDKs do (Speakeasy's `offsetLimit` with a
/// `page` input). An empty page is the only end such a response can
/// show; a shorter page is not one (a server may cap the page size below
/// the one asked for).
fn page_until_empty(raw: &serde_json::Value, param: &Param, items: &[String], item: &Ty) -> (Paging, String) {
    let (first, from) = first_page(raw, param);
    (
        Paging::PageUntilEmpty { param: param.wire.clone(), items: items.to_vec(), item: item.clone(), first },
        format!("`{}` counted up from {first} ({from}) until a page is empty (the response gives no total)", param.wire),
    )
}

/// The number of the page a request without the page parameter gets: the
/// parameter's `default`, else its `minimum` (a 0-based page says so),
/// else 1, the convention of a parameter named `page`; with where it came from.
fn first_page(raw: &serde_json::Value, param: &Param) -> (i64, &'static str) {
    // A parameter object's `schema`, or the schema itself (a member of an object parameter).
    let declared = raw.pointer(&param.pointer);
    let schema = declared.map(|p| p.get("schema").unwrap_or(p)).map(|s| match s.get("$ref").and_then(|r| r.as_str()).and_then(|r| r.strip_prefix('#')) {
        Some(target) => raw.pointer(target).unwrap_or(s),
        None => s,
    });
    let int = |key: &str| schema.and_then(|s| s.get(key)).and_then(|v| v.as_i64().or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)));
    match (int("default"), int("minimum")) {
        (Some(d), _) if d >= 0 => (d, "its default"),
        (_, Some(m)) if m >= 0 => (m, "its minimum"),
        _ => (1, "none declared"),
    }
}

/// A page-number parameter with this page's number and the number of
/// pages in the response (`page`, `total_pages`).
fn page_up_to_total(api: &Api, param: &Param, success: &Ty, items: &[String], item: &Ty) -> Option<(Paging, String)> {
    // A count declared `number` (Telnyx's `meta.total_pages`) is still a count.
    let int = |t: &Ty| matches!(t, Ty::I64 | Ty::I32 | Ty::F64);
    let scope = |parents: &[String]| parents.is_empty() || in_paging_object(parents);
    let total = find_typed(api, success, 2, &int, &|name, parents| TOTAL_PAGES_FIELDS.contains(&name) && scope(parents));
    let number = find_typed(api, success, 2, &int, &|name, parents| PAGE_NUMBER_FIELDS.contains(&name) && scope(parents));
    match (total.as_slice(), number.as_slice()) {
        ([(total, tw)], [(number, nw)]) => Some((
            Paging::PageNumber { param: param.wire.clone(), items: items.to_vec(), item: item.clone(), number: number.clone(), total: total.clone() },
            format!("`{}` counted from `{}` up to `{}`", param.wire, dotted(nw), dotted(tw)),
        )),
        _ => None,
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
        Paging::PageUntilEmpty { .. } => "page-until-empty",
    }
}

/// A config entry, checked against the operation.
fn from_override(api: &Api, raw: &serde_json::Value, op: &Operation, o: &PaginationOverride) -> Result<Result<Paging, Option<String>>, Error> {
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
            Paging::Cursor { param: param("cursor")?, items, item, next: path(field)?, or_url: false }
        }
        PaginationKindName::Offset => Paging::Offset { param: param("offset")?, items, item },
        PaginationKindName::Link => Paging::Link { items, item },
        PaginationKindName::LastItem => {
            let field = path_in(&item, o.field.as_deref().unwrap_or("id"))?;
            // The response's `has_more` still ends the list early.
            let more = more_flag(api, success).map(|(path, _)| path).unwrap_or_default();
            Paging::LastItem { param: param("after")?, items, item, field, more }
        }
        PaginationKindName::NextUrl => {
            let field = o.field.as_deref().ok_or_else(|| at("kind = \"next-url\" needs `field`".into()))?;
            Paging::NextUrl { items, item, next: path(field)? }
        }
        PaginationKindName::Page => match &op.pagination {
            Some(p) => Paging::PageNumber {
                param: p.page_param.clone(),
                items,
                item,
                number: vec![p.meta_field.clone(), p.page_number_field.clone()],
                total: vec![p.meta_field.clone(), p.total_pages_field.clone()],
            },
            // Any page parameter with this page's number and the total.
            None => {
                let wire = o.param.clone().unwrap_or_else(|| "page".to_string());
                let p = query_params(op).find(|p| p.wire == wire).ok_or_else(|| at(format!("the operation has no query parameter `{wire}`")))?;
                page_up_to_total(api, p, success, &items, &item)
                    .map(|(p, _)| p)
                    .ok_or_else(|| at("kind = \"page\" needs the page's number and the number of pages in the response".into()))?
            }
        },
        PaginationKindName::PageUntilEmpty => {
            let wire = param("page")?;
            let p = query_params(op).find(|p| p.wire == wire).ok_or_else(|| at(format!("the operation has no query parameter `{wire}`")))?;
            page_until_empty(raw, p, &items, &item).0
        }
        PaginationKindName::None => return Ok(Err(Some("set to `none` in the crate config".into()))),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_bounds_are_told_from_other_parameters() {
        for name in ["startTime", "endTime", "from", "to", "since", "created_after", "startTimestamp", "starts_at", "beginDate"] {
            assert!(is_time_bound(&norm(name)), "{name}");
        }
        for name in ["timestamp", "limit", "format", "total", "recvWindow", "fromId", "page"] {
            assert!(!is_time_bound(&norm(name)), "{name}");
        }
    }

    /// The first page of a page parameter: its default, else its minimum
    /// (through a `$ref`ed schema), else 1.
    #[test]
    fn first_page_is_the_declared_one() {
        let raw = serde_json::json!({
            "p": {"a": {"schema": {"type": "integer", "default": 0}}, "b": {"schema": {"$ref": "#/s"}}, "c": {"schema": {"type": "number"}}, "d": {"schema": {"minimum": -1}}},
            "s": {"type": "integer", "minimum": 1},
        });
        let param = |at: &str| Param {
            wire: "page".into(),
            ident: "page".into(),
            location: ParamLocation::Query,
            ty: Ty::I64,
            required: false,
            doc: None,
            pointer: format!("/p/{at}"),
            comma_separated: false,
        };
        assert_eq!(first_page(&raw, &param("a")), (0, "its default"));
        assert_eq!(first_page(&raw, &param("b")), (1, "its minimum"));
        assert_eq!(first_page(&raw, &param("c")), (1, "none declared"));
        assert_eq!(first_page(&raw, &param("d")), (1, "none declared"));
        assert_eq!(first_page(&raw, &param("missing")), (1, "none declared"));
    }
}
