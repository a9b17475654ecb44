//! The shape of a generated crate, read from the IR alone (no emission, no
//! build): how many root resources and cargo features it gets, and how many
//! of its list operations page, by which kind, and why the others stay single
//! page. `cargo xtask shape DOC...` prints it; `scripts/paging-report.sh` runs
//! it over the corpus. Cheap: the cost of lowering the document.

use crate::config::CrateConfig;
use crate::diagnostics::Error;
use crate::emit::features::FeaturePlan;
use crate::ir::Api;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// What [`report`] found in one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shape {
    /// Operations.
    pub operations: usize,
    /// Root resources (`client.customers()`...), with their operation counts.
    pub roots: BTreeMap<String, usize>,
    /// Cargo features a per-resource crate gets (webhook events included).
    pub features: usize,
    /// Paged list operations by kind (`cursor`, `last-item`, ...).
    pub paged: BTreeMap<&'static str, usize>,
    /// List operations left single page, by reason class (specific names
    /// replaced by `..`), with one example operation.
    pub single: BTreeMap<String, (usize, String)>,
    /// Every list operation left single page, with its reason.
    pub single_ops: BTreeMap<String, String>,
    /// Every paged list operation: its kind and why.
    pub paged_ops: BTreeMap<String, String>,
    /// Why the paged ones page, by reason class, most frequent first.
    pub paged_why: Vec<(String, (usize, String))>,
}

/// Lowers `spec` (with the crate config beside it, if any) and measures it.
pub fn report(spec: &Path) -> Result<Shape, Error> {
    let cfg = CrateConfig::beside_spec(spec)?;
    let loaded = crate::load::load_file(spec)?;
    let mut diags = loaded.diagnostics.clone();
    let mut api = crate::lower::lower(&loaded, &mut diags)
        .map_err(|e| e.in_file(spec.display().to_string()))?;
    crate::identity::complete(&loaded, &mut api, &cfg, &mut diags)
        .map_err(|e| e.in_file(spec.display().to_string()))?;
    Ok(measure(&api))
}

/// The shape of a lowered API.
pub fn measure(api: &Api) -> Shape {
    let mut shape = Shape {
        operations: api.operations.len(),
        features: FeaturePlan::new(api).features().len(),
        ..Shape::default()
    };
    for op in &api.operations {
        if let Some(root) = op.resource.first() {
            *shape.roots.entry(root.clone()).or_default() += 1;
        }
    }
    for p in api.paging.values() {
        *shape.paged.entry(crate::paging::kind_name(p)).or_default() += 1;
    }
    shape.single = group_reasons(&api.single_page).into_iter().collect();
    shape.single_ops = api.single_page.clone();
    shape.paged_ops = api.paging.iter().map(|(op, p)| (op.clone(), format!("{}: {}", crate::paging::kind_name(p), api.paging_reasons.get(op).map_or("", String::as_str)))).collect();
    shape.paged_why = group_reasons(&api.paging_reasons);
    shape
}

/// Reasons by operation grouped by their class (`reason_class`): `(class,
/// (count, first operation))`, the most frequent first.
pub fn group_reasons(reasons: &BTreeMap<String, String>) -> Vec<(String, (usize, String))> {
    let mut by_class: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for (op, why) in reasons {
        by_class.entry(reason_class(why)).or_insert_with(|| (0, op.clone())).0 += 1;
    }
    let mut out: Vec<_> = by_class.into_iter().collect();
    out.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    out
}

/// A reason without what names one operation (the operation ids in
/// `[pagination.ID]` advice and "paged differently by ID", lists of
/// candidates in parentheses), so that reasons of the same kind count
/// together; the parameter and field names stay (`after` <- `pagination.cursor`).
fn reason_class(why: &str) -> String {
    let why = match why.find(" paged differently by ") {
        Some(at) => &why[..at + " paged differently by ".len() - 1],
        None => why,
    };
    let mut out = String::new();
    let mut rest = why;
    while let Some(open) = rest.find(" (") {
        let Some(close) = rest[open..].find(')') else { break };
        let inner = &rest[open + 2..open + close];
        out.push_str(&rest[..open]);
        if inner.contains('[') || inner.contains(',') || inner.contains(" and ") {
            out.push_str(" (..)");
        } else {
            out.push_str(&rest[open..=open + close]);
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

impl Shape {
    /// Paged list operations.
    pub fn paged_total(&self) -> usize {
        self.paged.values().sum()
    }

    /// List operations left single page.
    pub fn single_total(&self) -> usize {
        self.single.values().map(|(n, _)| n).sum()
    }

    /// A short text: one summary line, then the kinds and the reasons.
    pub fn render(&self, label: &str) -> String {
        let mut s = String::new();
        let biggest = self
            .roots
            .iter()
            .max_by_key(|(name, n)| (**n, std::cmp::Reverse(name.as_str())));
        let _ = writeln!(
            s,
            "{label}: {} operations, {} root resources (largest {}), {} features; list operations: {} paged, {} single page",
            self.operations,
            self.roots.len(),
            biggest.map_or("-".to_string(), |(name, n)| format!("{name}: {n}")),
            self.features,
            self.paged_total(),
            self.single_total()
        );
        if !self.paged.is_empty() {
            let kinds: Vec<String> = self
                .paged
                .iter()
                .map(|(k, n)| format!("{k} x{n}"))
                .collect();
            let _ = writeln!(s, "  paged: {}", kinds.join(", "));
        }
        for (why, (n, example)) in &self.paged_why {
            let _ = writeln!(s, "  paged x{n}: {why} (e.g. {example})");
        }
        let mut reasons: Vec<_> = self.single.iter().collect();
        reasons.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        for (why, (n, example)) in reasons {
            let _ = writeln!(s, "  single page x{n}: {why} (e.g. {example})");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_group_without_their_names() {
        for (why, class) in [
            ("cursor parameter `after` but no response field with the next cursor", "cursor parameter `after` but no response field with the next cursor"),
            ("ambiguous: fits cursor and offset (set [pagination.X] in the crate config)", "ambiguous: fits cursor and offset (..)"),
            ("cursor parameter `after` and several candidate fields (a.b, c)", "cursor parameter `after` and several candidate fields (..)"),
            ("`page` <- `meta.next_page` (the next page's number)", "`page` <- `meta.next_page` (the next page's number)"),
            ("its response type is paged differently by getThings", "its response type is paged differently by"),
        ] {
            assert_eq!(reason_class(why), class, "{why}");
        }
    }

}
