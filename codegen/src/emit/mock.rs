//! `mock.rs`: the table the runtime's test double (`crate::testing`, behind
//! the `testing` feature) is built from: every operation's id, method, path
//! template and the response it gives by default, the status and JSON body
//! of the document's example (see [`super::examples`]).

use crate::ir::{Api, Paging, Ty, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;

/// The items of `mock.rs`.
pub(crate) fn emit(api: &Api) -> TokenStream {
    let rows = api.operations.iter().map(|op| {
        let (id, method, path) = (&op.id, op.method.as_str(), &op.path);
        let example = api.examples.get(&op.id);
        let status = proc_macro2::Literal::u16_unsuffixed(example.map_or(200, |e| e.status));
        // Compact JSON text: parsed when the mock answers, so the table is
        // plain `&'static str` data whatever the body's shape.
        let body = match example.and_then(|e| e.response.as_ref()).map(|v| raw_str(&v.to_string())) {
            Some(text) => quote! { ::std::option::Option::Some(#text) },
            None => quote! { ::std::option::Option::None },
        };
        quote! {
            crate::testing::Operation { id: #id, method: #method, path: #path, status: #status, body: #body },
        }
    });
    let pages = api.operations.iter().filter_map(|op| page_shape(api, op)).map(|row| row.tokens());
    quote! {
        /// Every operation of the spec with its default answer, in the
        /// order of the resources.
        pub(crate) const OPERATIONS: &[crate::testing::Operation] = &[ #(#rows)* ];
        /// Where each paged operation's response holds its items and paging
        /// fields (wire names), for `OperationMock::pages`.
        pub(crate) const PAGES: &[(&str, crate::testing::PageShape)] = &[ #(#pages)* ];
    }
}

/// One row of `PAGES`: the items path and the paging fields of a paged
/// operation's response, as wire names (the IR's paths are Rust idents).
pub(super) fn page_shape<'a>(api: &Api, op: &'a crate::ir::Operation) -> Option<PageRow<'a>> {
    let root = op.success.as_ref()?;
    let paging = api.paging.get(&op.id)?;
    let none: &[String] = &[];
    let (items, number, total, next, next_url, more) = match paging {
        Paging::PageNumber { items, number, total, .. } => (items, number.as_slice(), total.as_slice(), none, false, none),
        Paging::Cursor { items, next, .. } => (items, none, none, next.as_slice(), false, none),
        Paging::NextUrl { items, next, .. } => (items, none, none, next.as_slice(), true, none),
        Paging::LastItem { items, more, .. } => (items, none, none, none, false, more.as_slice()),
        Paging::Offset { items, .. } | Paging::Link { items, .. } | Paging::PageUntilEmpty { items, .. } => (items, none, none, none, false, none),
    };
    let link = matches!(paging, Paging::Link { .. });
    // A "more" flag ends the list on its last page; without one, an empty page does.
    let ends_empty = matches!(paging, Paging::Offset { .. } | Paging::PageUntilEmpty { .. }) || matches!(paging, Paging::LastItem { more, .. } if more.is_empty());
    let wire = |path: &[String]| -> Option<Vec<String>> { wire_path(api, root, path) };
    let (items, number, total, next, more) = (wire(items)?, wire(number)?, wire(total)?, wire(next)?, wire(more)?);
    Some(PageRow { id: &op.id, items, number, total, next, next_url, link, ends_empty, more })
}

/// One row of `PAGES`, before it is written.
pub(super) struct PageRow<'a> {
    id: &'a str,
    items: Vec<String>,
    number: Vec<String>,
    total: Vec<String>,
    next: Vec<String>,
    next_url: bool,
    link: bool,
    ends_empty: bool,
    more: Vec<String>,
}

impl PageRow<'_> {
    fn tokens(&self) -> TokenStream {
        let PageRow { id, items, number, total, next, next_url, link, ends_empty, more } = self;
        quote! {
            (#id, crate::testing::PageShape {
                items: &[#(#items),*], number: &[#(#number),*], total: &[#(#total),*],
                next: &[#(#next),*], next_is_url: #next_url, link: #link, ends_empty: #ends_empty,
                more: &[#(#more),*],
            }),
        }
    }
}

/// [`emit`]'s items as the text `prettyplease` prints for them, written
/// directly (a row per operation: a large document's table is megabytes).
/// `None` where the layout is not this writer's.
pub(crate) fn emit_text(api: &Api) -> Option<String> {
    use super::text::str_array;
    if api.operations.is_empty() {
        return None;
    }
    let lit = |s: &str| proc_macro2::Literal::string(s).to_string();
    let mut out = String::with_capacity(api.operations.len() * 600);
    out.push_str("/// Every operation of the spec with its default answer, in the\n/// order of the resources.\n");
    out.push_str("pub(crate) const OPERATIONS: &[crate::testing::Operation] = &[\n");
    for op in &api.operations {
        let example = api.examples.get(&op.id);
        out.push_str("    crate::testing::Operation {\n        id: ");
        out.push_str(&lit(&op.id));
        out.push_str(",\n        method: ");
        out.push_str(&lit(op.method.as_str()));
        out.push_str(",\n        path: ");
        out.push_str(&lit(&op.path));
        out.push_str(&format!(",\n        status: {},\n", example.map_or(200, |e| e.status)));
        match example.and_then(|e| e.response.as_ref()).map(|v| raw_str_text(&v.to_string())) {
            None => out.push_str("        body: ::std::option::Option::None,\n"),
            Some(text) => {
                // The last field: its `,` does not count for the fit.
                let flat = format!("        body: ::std::option::Option::Some({text})");
                if flat.len() <= super::text::MARGIN {
                    out.push_str(&flat);
                    out.push_str(",\n");
                } else {
                    out.push_str(&format!("        body: ::std::option::Option::Some(\n            {text},\n        ),\n"));
                }
            }
        }
        out.push_str("    },\n");
    }
    out.push_str("];\n");
    out.push_str("/// Where each paged operation's response holds its items and paging\n/// fields (wire names), for `OperationMock::pages`.\n");
    let rows: Vec<PageRow> = api.operations.iter().filter_map(|op| page_shape(api, op)).collect();
    if rows.is_empty() {
        out.push_str("pub(crate) const PAGES: &[(&str, crate::testing::PageShape)] = &[];\n");
        return Some(out);
    }
    out.push_str("pub(crate) const PAGES: &[(&str, crate::testing::PageShape)] = &[\n");
    let lits = |v: &[String]| -> Vec<String> { v.iter().map(|x| lit(x)).collect() };
    for r in &rows {
        out.push_str("    (\n        ");
        out.push_str(&lit(r.id));
        out.push_str(",\n        crate::testing::PageShape {\n");
        str_array(&mut out, 12, "items: ", &lits(&r.items), true)?;
        str_array(&mut out, 12, "number: ", &lits(&r.number), true)?;
        str_array(&mut out, 12, "total: ", &lits(&r.total), true)?;
        str_array(&mut out, 12, "next: ", &lits(&r.next), true)?;
        out.push_str(&format!(
            "            next_is_url: {},\n            link: {},\n            ends_empty: {},\n",
            r.next_url, r.link, r.ends_empty
        ));
        str_array(&mut out, 12, "more: ", &lits(&r.more), false)?;
        out.push_str("        },\n    ),\n");
    }
    out.push_str("];\n");
    Some(out)
}

/// The wire names of a path of Rust field idents from `root`.
fn wire_path(api: &Api, root: &Ty, path: &[String]) -> Option<Vec<String>> {
    let mut ty = root.clone();
    let mut out = Vec::new();
    for seg in path {
        let TypeKind::Struct(s) = &api.types.get(super::named_of(&ty)?)?.kind else { return None };
        let f = s.fields.iter().find(|f| &f.ident == seg)?;
        out.push(f.wire.clone());
        ty = match &f.ty {
            Ty::Boxed(b) => (**b).clone(),
            t => t.clone(),
        };
    }
    Some(out)
}

/// A raw string literal (`r#"..."#`), readable for JSON, with one `#` more
/// than the longest run of `#` after a `"` in the text (so no `"#` of the
/// text can close it); a text with a character a raw string cannot hold
/// plainly (a bare CR, a bidi control rustc denies, a line separator) is
/// an escaped literal instead.
fn raw_str(text: &str) -> TokenStream {
    raw_str_text(text).parse().unwrap_or_else(|_| quote! { #text })
}

/// [`raw_str`]'s literal as text.
fn raw_str_text(text: &str) -> String {
    if text.chars().any(super::docs::is_special) {
        return proc_macro2::Literal::string(text).to_string();
    }
    let longest = text.split('"').skip(1).map(|after| after.len() - after.trim_start_matches('#').len()).max().unwrap_or(0);
    let h = "#".repeat(longest + 1);
    let raw = format!("r{h}\"{text}\"{h}");
    match raw.parse::<TokenStream>() {
        Ok(_) => raw,
        Err(_) => proc_macro2::Literal::string(text).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::raw_str;

    #[test]
    fn raw_strings_hold_any_text() {
        for text in ["{\"a\":\"b\"}", "\"#", "x\"##\"#y", "\u{202e}\r\0\u{2028}", "", "#\"", "\\"] {
            let lit: syn::LitStr = syn::parse2(raw_str(text)).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(lit.value(), text);
        }
    }
}
