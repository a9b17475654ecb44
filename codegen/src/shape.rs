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
    for (op, why) in &api.single_page {
        let entry = shape
            .single
            .entry(reason_class(why))
            .or_insert_with(|| (0, op.clone()));
        entry.0 += 1;
    }
    shape
}

/// A reason with its specific names (in backticks or parentheses) left out,
/// so that reasons of the same kind count together.
fn reason_class(why: &str) -> String {
    let mut out = String::new();
    let (mut tick, mut paren) = (false, 0usize);
    for c in why.chars() {
        match c {
            '`' => {
                if !tick && paren == 0 {
                    out.push_str("..");
                }
                tick = !tick;
            }
            '(' if !tick => {
                if paren == 0 {
                    out.push_str("(..)");
                }
                paren += 1;
            }
            ')' if !tick && paren > 0 => paren -= 1,
            _ if tick || paren > 0 => {}
            _ => out.push(c),
        }
    }
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
        assert_eq!(
            reason_class("cursor parameter `after` but no response field with the next cursor"),
            "cursor parameter .. but no response field with the next cursor"
        );
        assert_eq!(
            reason_class(
                "ambiguous: fits cursor and offset (set [pagination.X] in the crate config)"
            ),
            "ambiguous: fits cursor and offset (..)"
        );
    }
}
