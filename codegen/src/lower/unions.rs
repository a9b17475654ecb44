//! `oneOf`/`anyOf` (unions) and `allOf` (merged objects).

use super::*;

impl<'a> Lowerer<'a> {
    pub(super) fn all_of(&mut self, members: &[ReferenceOr<Schema>], hint: &str, ptr: &str, doc: Option<String>, is_component: bool) -> Ty {
        if members.len() == 1 {
            return self.only_member(&members[0], hint, &join(&join(ptr, "allOf"), "0"), is_component);
        }
        let name = self.claim_type_name(hint, is_component, ptr);
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
                                self.merge_away(n, &mptr); // the inline part lives on only inside this type
                            }
                            if !st.keep_unknown {
                                keep_unknown = false;
                            }
                            if st.additional != Ty::Json {
                                additional = st.additional.clone();
                            }
                            merge_fields(&mut fields, st.fields);
                        }
                        TypeKind::Union(u) => match self.union_fields(&u.variants) {
                            // `allOf: [oneOf: [A, B], C]` is "A and C, or B and C":
                            // one struct with the fields of every member keeps
                            // whatever the value holds (Discord's invite form:
                            // both invite kinds' fields plus a file).
                            Some(member_fields) => {
                                if matches!(m, ReferenceOr::Item(_)) {
                                    self.merge_away(n, &mptr);
                                }
                                self.diags.note(
                                    "allof-union-merged",
                                    &mptr,
                                    format!("allOf member `{n}` is a union of objects: its members' fields are kept, required only where every member requires them"),
                                );
                                merge_fields(&mut fields, member_fields);
                            }
                            None => self.diags.warn("allof-non-object", &mptr, format!("allOf member `{n}` is a union of non-objects; its constraints are not merged")),
                        },
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
            // No type after all: the name goes back, so no later type is
            // suffixed for a collision with a type that does not exist.
            if !is_component {
                self.release_type_name(&name);
            }
            return Ty::Map(Box::new(additional));
        }
        let mut scope = Scope::default();
        for f in fields.iter_mut() {
            f.ident = scope.claim(&f.ident);
        }
        let additional_name = scope.claim("extra");
        self.insert_type(name, doc.or(member_doc), ptr, TypeKind::Struct(Struct { fields, additional, additional_name, keep_unknown }))
    }

    /// The fields of a union whose members are all objects, each required
    /// only when every member requires it (a field two members type
    /// differently is any JSON value); `None` when a member is not an object.
    fn union_fields(&self, variants: &[crate::ir::UnionVariant]) -> Option<Vec<Field>> {
        let mut out: Vec<(Field, usize)> = Vec::new();
        for v in variants {
            let Ty::Named(vn) = &v.ty else { return None };
            let Some(TypeKind::Struct(st)) = self.types.get(vn.as_str()).map(|d| &d.kind) else { return None };
            for f in &st.fields {
                match out.iter_mut().find(|(e, _)| e.wire == f.wire) {
                    Some((e, seen)) => {
                        *seen += 1;
                        e.required &= f.required;
                        e.nullable |= f.nullable;
                        if e.ty != f.ty {
                            e.ty = Ty::Json;
                        }
                    }
                    None => out.push((f.clone(), 1)),
                }
            }
        }
        if variants.is_empty() {
            return None;
        }
        Some(
            out.into_iter()
                .map(|(mut f, seen)| {
                    f.required &= seen == variants.len();
                    f
                })
                .collect(),
        )
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
            return self.only_member(&members[0], hint, &join(&join(ptr, keyword), "0"), is_component);
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
        let name = self.claim_type_name(hint, is_component, ptr);
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
                ReferenceOr::Item(ms) => (self.member_name(ms, i, members), None),
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
            }
            let shape = self.shape_of(&ty);
            if let Some(d) = discriminator.filter(|_| tags.is_empty()) {
                // No mapping entry: the value the member fixes its
                // discriminator property to (Telnyx's `SummaryLine`: `type`
                // is `comparative` or `simple`), then OpenAPI's implicit
                // value, the schema name.
                if let Some((_, v)) = shape.consts.iter().find(|(k, _)| *k == d.property_name) {
                    tags.push(v.clone());
                }
                if let Some(t) = tag_default.filter(|t| !tags.contains(t)) {
                    tags.push(t);
                }
            }
            variants.push(UnionVariant { ident, ty, tags, shape });
        }
        // Most specific member first: a member that accepts anything must not
        // swallow input meant for a later one (stable: ties keep spec order).
        variants.sort_by_key(|v| std::cmp::Reverse(specificity(&v.shape)));
        // Same payload type twice cannot be told apart.
        let mut seen = HashSet::new();
        variants.retain(|v| {
            let keep = seen.insert(v.ty.clone());
            if !keep {
                self.diags.note("duplicate-union-member", ptr, format!("member `{}` repeats an earlier member's type; dropped", v.ident));
            }
            keep
        });
        // A tag value picks one member (the first that claims it).
        let mut used = HashSet::new();
        for v in &mut variants {
            v.tags.retain(|t| used.insert(t.clone()));
        }
        let discriminator = discriminator.map(|d| d.property_name.clone());
        self.insert_type(name, doc, ptr, TypeKind::Union(Union { variants, discriminator }))
    }

    /// A variant name for an inline union member, from what tells it apart:
    /// its title, a property fixed to one value (`type: media_url` ->
    /// `MediaUrl`), a required property no other member requires, else its
    /// first property or its kind.
    pub(super) fn member_name(&self, s: &Schema, index: usize, all: &[ReferenceOr<Schema>]) -> String {
        if let Some(t) = &s.schema_data.title {
            return naming::type_name(t);
        }
        if let SchemaKind::Type(Type::Object(o)) = &s.schema_kind {
            for p in o.properties.values() {
                if let ReferenceOr::Item(p) = p {
                    if let SchemaKind::Type(Type::String(st)) = &p.schema_kind {
                        if let [Some(v)] = st.enumeration.as_slice() {
                            return naming::type_name(v);
                        }
                        // A property limited to a few values: `TextOrHtml`.
                        if (2..=3).contains(&st.enumeration.len()) && st.enumeration.iter().all(Option::is_some) {
                            let words: Vec<String> = st.enumeration.iter().flatten().map(|v| naming::type_name(v)).collect();
                            return words.join("Or");
                        }
                    }
                }
            }
            let required_elsewhere = |key: &String| {
                all.iter().enumerate().any(|(j, m)| {
                    j != index
                        && match m {
                            ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::Object(other)), .. }) => other.required.contains(key),
                            _ => false,
                        }
                })
            };
            if let Some(k) = o.required.iter().find(|k| !required_elsewhere(k)) {
                return naming::type_name(k);
            }
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

    /// `properties` beside `allOf`/`oneOf`/`anyOf` in one schema. The
    /// properties are never dropped: with members that only constrain which
    /// properties are required (no properties or type of their own), the
    /// schema is the object; otherwise the properties are one more `allOf`
    /// member, or merged into every `oneOf`/`anyOf` member.
    pub(super) fn properties_beside_composition(
        &mut self,
        any: &openapiv3::AnySchema,
        s: &Schema,
        hint: &str,
        ptr: &str,
        doc: Option<String>,
        is_component: bool,
    ) -> Option<Ty> {
        let base = Schema {
            schema_data: Default::default(),
            schema_kind: SchemaKind::Type(Type::Object(openapiv3::ObjectType {
                properties: any.properties.clone(),
                required: any.required.clone(),
                additional_properties: any.additional_properties.clone(),
                ..Default::default()
            })),
        };
        let props: Vec<(&String, &ReferenceOr<Box<Schema>>)> = any.properties.iter().collect();
        for (keyword, members) in [("oneOf", &any.one_of), ("anyOf", &any.any_of)] {
            if !members.is_empty() && members.iter().all(|m| matches!(m, ReferenceOr::Item(m) if constraint_only(m))) {
                self.diags.note(
                    "constraint-only-union",
                    join(ptr, keyword),
                    format!("`{keyword}` only lists which properties are required; the object keeps every property and does not check that"),
                );
                return Some(self.object(&props, &any.required, any.additional_properties.as_ref(), hint, ptr, doc, is_component));
            }
        }
        if !any.all_of.is_empty() {
            let mut members = any.all_of.clone();
            members.push(ReferenceOr::Item(base));
            self.diags.note("properties-beside-allof", ptr, "`properties` beside `allOf` are merged as one more member");
            return Some(self.all_of(&members, hint, ptr, doc, is_component));
        }
        let (keyword, members) = if !any.one_of.is_empty() { ("oneOf", &any.one_of) } else { ("anyOf", &any.any_of) };
        if members.is_empty() {
            return None;
        }
        let merged: Vec<ReferenceOr<Schema>> = members
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let title = match m {
                    ReferenceOr::Item(ms) => self.member_name(ms, i, members),
                    ReferenceOr::Reference { reference } => {
                        let key = unescape(reference.rsplit('/').next().unwrap_or("Ref"));
                        self.component_names.get(&key).cloned().unwrap_or_else(|| naming::type_name(&key))
                    }
                };
                let data = openapiv3::SchemaData { title: Some(title), ..Default::default() };
                ReferenceOr::Item(Schema { schema_data: data, schema_kind: SchemaKind::AllOf { all_of: vec![ReferenceOr::Item(base.clone()), m.clone()] } })
            })
            .collect();
        self.diags.note("properties-beside-union", ptr, format!("`properties` beside `{keyword}` are merged into every member"));
        Some(self.union(&merged, s, hint, ptr, doc, is_component, keyword))
    }

    /// A composition of one member is that member; an inline one is the
    /// component itself when the composition is (it takes the component's
    /// name, instead of a suffixed copy of it).
    fn only_member(&mut self, m: &ReferenceOr<Schema>, hint: &str, ptr: &str, is_component: bool) -> Ty {
        match m {
            ReferenceOr::Item(s) => self.lower_schema(s, hint, ptr, is_component),
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, ptr).0,
        }
    }

    /// What a value of `ty` looks like in JSON (see [`Shape`]).
    pub(super) fn shape_of(&self, ty: &Ty) -> Shape {
        let kind = |k| Shape { kind: Some(k), ..Shape::default() };
        match ty {
            Ty::String | Ty::DateTime | Ty::Date => kind(JsonKind::String),
            Ty::Bool => kind(JsonKind::Boolean),
            Ty::I32 | Ty::I64 => kind(JsonKind::Integer),
            Ty::F64 => kind(JsonKind::Number),
            Ty::Vec(_) => kind(JsonKind::Array),
            Ty::Map(_) => kind(JsonKind::Object),
            Ty::Boxed(t) => self.shape_of(t),
            Ty::Json | Ty::Binary => Shape::default(),
            Ty::Named(n) => match self.types.get(n).map(|d| &d.kind) {
                Some(TypeKind::Enum(_)) => Shape { values: self.enum_values(ty).unwrap_or_default(), ..kind(JsonKind::String) },
                Some(TypeKind::Alias(t)) => self.shape_of(t),
                Some(TypeKind::Struct(s)) => {
                    let mut shape = kind(JsonKind::Object);
                    for f in &s.fields {
                        if f.required {
                            shape.required.push(f.wire.clone());
                        }
                        if let Some(values) = self.enum_values(&f.ty) {
                            match values.as_slice() {
                                [one] => shape.consts.push((f.wire.clone(), one.clone())),
                                _ => shape.one_of.push((f.wire.clone(), values)),
                            }
                        }
                    }
                    shape.properties = s.fields.iter().map(|f| f.wire.clone()).collect();
                    shape
                }
                Some(TypeKind::Union(_)) | None => Shape::default(),
            },
        }
    }

    /// The wire values of a string enum type.
    fn enum_values(&self, ty: &Ty) -> Option<Vec<String>> {
        let Ty::Named(n) = ty else { return None };
        let TypeKind::Enum(e) = &self.types.get(n)?.kind else { return None };
        Some(e.variants.iter().map(|v| v.wire.clone()).collect())
    }
}

/// How narrow a shape is: fixed values first, then required keys, then a
/// definite JSON type (integers before numbers, which also accept them).
pub(super) fn specificity(s: &Shape) -> usize {
    let kind = match s.kind {
        None => 0,
        Some(JsonKind::Number) => 1,
        Some(_) => 2,
    };
    s.consts.len() * 1000 + s.required.len() * 10 + kind + usize::from(!s.one_of.is_empty() || !s.values.is_empty())
}

/// A schema that only constrains (which properties are required, how many,
/// which must be absent, ...) and declares no properties, type or members of
/// its own. A property whose schema is `not: {}` only forbids that property
/// (Telnyx's `InitiateCallRequest`: "with `Url`, no `Texml`").
fn constraint_only(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Any(a) => {
            a.properties.values().all(forbids)
                && a.typ.as_deref().is_none_or(|t| t == "object")
                && a.items.is_none()
                && a.all_of.is_empty()
                && a.one_of.is_empty()
                && a.any_of.is_empty()
                && a.not.is_none()
                && a.enumeration.is_empty()
                && a.additional_properties.is_none()
        }
        SchemaKind::Type(Type::Object(o)) => o.properties.values().all(forbids) && o.additional_properties.is_none(),
        _ => false,
    }
}

/// `not: {}`: no value is valid, so the property must be absent.
fn forbids(p: &ReferenceOr<Box<Schema>>) -> bool {
    match p {
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Not { not } => matches!(&**not, ReferenceOr::Item(Schema { schema_kind: SchemaKind::Any(a), .. }) if *a == openapiv3::AnySchema::default()),
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    }
}


/// Adds `more` to an allOf's fields: a property two members declare is
/// required if either requires it and keeps the more specific type.
fn merge_fields(fields: &mut Vec<Field>, more: Vec<Field>) {
    for f in more {
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
