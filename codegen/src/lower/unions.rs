//! `oneOf`/`anyOf` (unions) and `allOf` (merged objects).

use super::*;

impl<'a> Lowerer<'a> {
    pub(super) fn all_of(&mut self, members: &[ReferenceOr<Schema>], hint: &str, ptr: &str, doc: Option<String>, is_component: bool) -> Ty {
        if members.len() == 1 {
            let (ty, _) = self.lower_ref_or(&members[0], hint, &join(ptr, "allOf/0"));
            return ty;
        }
        let name = self.claim_type_name(hint, is_component);
        let mut fields: Vec<Field> = Vec::new();
        let mut additional = Ty::Json;
        let mut keep_unknown = true;
        let mut member_doc = None;
        for (i, m) in members.iter().enumerate() {
            let mptr = join(&join(ptr, "allOf"), &i.to_string());
            // Inline members are lowered as if they were this type's own body.
            let (ty, _) = match m {
                ReferenceOr::Item(s) => {
                    let inline_hint = format!("{name}AllOf{i}");
                    (self.lower_schema(s, &inline_hint, &mptr, false), false)
                }
                ReferenceOr::Reference { reference } => self.resolve_ref(reference, &mptr),
            };
            match &ty {
                Ty::Named(n) => {
                    let Some(def) = self.types.get(n).cloned() else {
                        self.diags.warn("allof-cycle", &mptr, format!("`{n}` is still being built (a cycle through allOf); its fields are not merged"));
                        continue;
                    };
                    if member_doc.is_none() {
                        member_doc = def.doc.clone();
                    }
                    match def.kind {
                        TypeKind::Struct(st) => {
                            if matches!(m, ReferenceOr::Item(_)) {
                                self.types.remove(n); // the inline part lives on only inside this type
                            }
                            if !st.keep_unknown {
                                keep_unknown = false;
                            }
                            if st.additional != Ty::Json {
                                additional = st.additional.clone();
                            }
                            for f in st.fields {
                                if let Some(existing) = fields.iter_mut().find(|e| e.wire == f.wire) {
                                    existing.required |= f.required;
                                    if f.ty != Ty::Json {
                                        existing.ty = f.ty;
                                    }
                                    if existing.doc.is_none() {
                                        existing.doc = f.doc;
                                    }
                                } else {
                                    fields.push(f);
                                }
                            }
                        }
                        _ => self.diags.warn("allof-non-object", &mptr, format!("allOf member `{n}` is not an object; its constraints are not merged")),
                    }
                }
                Ty::Map(_) | Ty::Json => {}
                other => self.diags.warn("allof-non-object", &mptr, format!("allOf member of type {other:?} is not an object; ignored")),
            }
        }
        // Required lists may sit in a member that declares no properties.
        for m in members {
            if let ReferenceOr::Item(s) = m {
                if let SchemaKind::Type(Type::Object(o)) = &s.schema_kind {
                    for r in &o.required {
                        if let Some(f) = fields.iter_mut().find(|f| &f.wire == r) {
                            f.required = true;
                        }
                    }
                }
            }
        }
        if fields.is_empty() {
            // The claimed name stays unused: releasing it would shift later names.
            return Ty::Map(Box::new(additional));
        }
        let mut scope = Scope::default();
        for f in fields.iter_mut() {
            f.ident = scope.claim(&f.ident);
        }
        let additional_name = scope.claim("extra");
        self.insert_type(name, doc.or(member_doc), ptr, TypeKind::Struct(Struct { fields, additional, additional_name, keep_unknown }))
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn union(
        &mut self,
        members: &[ReferenceOr<Schema>],
        s: &Schema,
        hint: &str,
        ptr: &str,
        doc: Option<String>,
        is_component: bool,
        keyword: &str,
    ) -> Ty {
        if members.is_empty() {
            return Ty::Json;
        }
        if members.len() == 1 {
            return self.lower_ref_or(&members[0], hint, &join(&join(ptr, keyword), "0")).0;
        }
        // All members plain strings or string enums: one string enum / String.
        let mut all_strings = true;
        let mut values = Vec::new();
        for m in members {
            match m {
                ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::String(st)), .. }) if matches!(st.format, VariantOrUnknownOrEmpty::Empty) => {
                    if st.enumeration.is_empty() {
                        values.clear();
                        values.push(None);
                    } else if values.first() != Some(&None) {
                        values.extend(st.enumeration.iter().flatten().cloned().map(Some));
                    }
                }
                _ => all_strings = false,
            }
        }
        if all_strings {
            if values.iter().all(Option::is_some) {
                return self.string_enum(values.into_iter().flatten().collect(), None, hint, ptr, doc, is_component);
            }
            return Ty::String;
        }
        let name = self.claim_type_name(hint, is_component);
        let discriminator = s.schema_data.discriminator.as_ref();
        let mut scope = Scope::with_reserved(&["Unknown"]);
        let mut variants = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let mptr = join(&join(ptr, keyword), &i.to_string());
            let (variant_name, tag_default) = match m {
                ReferenceOr::Reference { reference } => {
                    let key = unescape(reference.rsplit('/').next().unwrap_or("Ref"));
                    let n = self.component_names.get(&key).cloned().unwrap_or_else(|| naming::type_name(&key));
                    (n, Some(key))
                }
                ReferenceOr::Item(ms) => (self.member_name(ms), None),
            };
            let (ty, _) = match m {
                ReferenceOr::Item(ms) => (self.lower_schema(ms, &format!("{name}{variant_name}"), &mptr, false), false),
                ReferenceOr::Reference { reference } => self.resolve_ref(reference, &mptr),
            };
            let ident = scope.claim(&variant_name);
            let mut tags = Vec::new();
            if let Some(d) = discriminator {
                for (value, target) in &d.mapping {
                    if let ReferenceOr::Reference { reference } = m {
                        if reference == target || target.rsplit('/').next() == reference.rsplit('/').next() {
                            tags.push(value.clone());
                        }
                    }
                }
                if tags.is_empty() {
                    if let Some(t) = tag_default {
                        tags.push(t);
                    }
                }
            }
            variants.push(UnionVariant { ident, ty, tags });
        }
        // Same payload type twice cannot be told apart.
        let mut seen = HashSet::new();
        variants.retain(|v| {
            let keep = seen.insert(v.ty.clone());
            if !keep {
                self.diags.note("duplicate-union-member", ptr, format!("member `{}` repeats an earlier member's type; dropped", v.ident));
            }
            keep
        });
        let discriminator = discriminator.map(|d| d.property_name.clone());
        self.insert_type(name, doc, ptr, TypeKind::Union(Union { variants, discriminator }))
    }

    /// A variant name for an inline union member: its title, else its kind.
    pub(super) fn member_name(&self, s: &Schema) -> String {
        if let Some(t) = &s.schema_data.title {
            return naming::type_name(t);
        }
        match &s.schema_kind {
            SchemaKind::Type(Type::String(_)) => "String".into(),
            SchemaKind::Type(Type::Integer(_)) => "Integer".into(),
            SchemaKind::Type(Type::Number(_)) => "Number".into(),
            SchemaKind::Type(Type::Boolean(_)) => "Boolean".into(),
            SchemaKind::Type(Type::Array(_)) => "Array".into(),
            SchemaKind::Type(Type::Object(o)) => {
                let key = o.required.first().or_else(|| o.properties.keys().next());
                key.map(|k| naming::type_name(k)).unwrap_or_else(|| "Object".into())
            }
            _ => "Object".into(),
        }
    }
}
