//! Every type a field, parameter, body, response or event names is a type
//! that is emitted (issue 21: a crate named `LicenseWithCountsAllOf0` and
//! did not compile, after generation reported success).
//!
//! An inline `allOf` member is lowered as a type of its own and then merged
//! into its holder, so its type is dropped ([`Lowerer::merge_away`]). A
//! `$ref` that points into the member (`#/components/schemas/X/allOf/0`),
//! resolved before or after the merge, still names it: such a type is put
//! back. Anything else left dangling (a bug, never a document's fault) is
//! read as any JSON value, with a warning naming where.

use super::*;

impl<'a> Lowerer<'a> {
    /// Drops the inline `allOf` member type `name`, once its fields live on
    /// in the merged type, keeping it aside for [`Lowerer::restore_referenced`].
    /// Only a type made for this member (`origin` at `member_ptr`) goes: an
    /// inline member that is just a reference to a component names a type
    /// others use.
    pub(super) fn merge_away(&mut self, name: &str, member_ptr: &str) {
        if self.types.get(name).is_some_and(|def| def.origin == member_ptr) {
            if let Some(def) = self.types.remove(name) {
                self.merged_away.insert(name.to_string(), def);
            }
        }
    }

    /// Puts back every merged-away type something still names (and what
    /// those name in turn), then reads any name still dangling as JSON.
    pub(super) fn restore_referenced(&mut self, operations: &mut [Operation], webhooks: &mut [WebhookEvent]) {
        let mut wanted: Vec<String> = Vec::new();
        let mut collect = |ty: &mut Ty, _: &str| {
            if let Some(n) = ty.named() {
                wanted.push(n.to_string());
            }
        };
        for_each_ty(&mut self.types, operations, webhooks, &mut collect);
        while let Some(name) = wanted.pop() {
            if self.types.contains_key(&name) {
                continue;
            }
            if let Some(def) = self.merged_away.remove(&name) {
                wanted.extend(def.kind.member_names().into_iter().map(str::to_string));
                self.types.insert(name, def);
            }
        }
        let known: HashSet<String> = self.types.keys().cloned().collect();
        let diags = &mut *self.diags;
        let mut cut = |ty: &mut Ty, at: &str| {
            if let Some(n) = ty.named().filter(|n| !known.contains(*n)).map(str::to_string) {
                diags.warn("dangling-type", at, format!("internal: `{n}` is named but never defined; read as any JSON value"));
                *ty = Ty::Json;
            }
        };
        for_each_ty(&mut self.types, operations, webhooks, &mut cut);
    }
}

/// Calls `f` on every outermost [`Ty`] the API holds, with the pointer of
/// its holder (a `Vec<T>` is visited once, as itself).
fn for_each_ty(
    types: &mut BTreeMap<String, TypeDef>,
    operations: &mut [Operation],
    webhooks: &mut [WebhookEvent],
    f: &mut dyn FnMut(&mut Ty, &str),
) {
    for def in types.values_mut() {
        let at = def.origin.clone();
        match &mut def.kind {
            TypeKind::Struct(s) => {
                s.fields.iter_mut().for_each(|fl| f(&mut fl.ty, &at));
                f(&mut s.additional, &at);
            }
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| f(&mut v.ty, &at)),
            TypeKind::Alias(t) => f(t, &at),
            TypeKind::Enum(_) => {}
        }
    }
    for op in operations {
        let at = op.pointer.clone();
        for p in op.path_params.iter_mut().chain(op.required_params.iter_mut()).chain(op.optional_params.iter_mut()) {
            f(&mut p.ty, &at);
        }
        op.body.iter_mut().for_each(|b| f(&mut b.ty, &at));
        if let Some(t) = &mut op.success {
            f(t, &at);
        }
        op.responses.iter_mut().filter_map(|r| r.ty.as_mut()).for_each(|t| f(t, &at));
        if let Some(p) = &mut op.pagination {
            f(&mut p.item, &at);
        }
    }
    for w in webhooks {
        f(&mut w.ty, &format!("webhook {}", w.event_type));
    }
}
