//! Schemas: component naming memo, `$ref` resolution, primitives, string
//! enums and objects.

use super::*;

/// How many `Vec`/map layers one type may have (see [`Lowerer::nest`]).
pub(super) const MAX_TY_NESTING: usize = 32;

impl<'a> Lowerer<'a> {
    /// The type of component schema `key`, lowering it on first use.
    pub(super) fn component(&mut self, key: &str) -> (Ty, bool) {
        if let Some(t) = self.component_ty.get(key) {
            return t.clone();
        }
        let Some(name) = self.component_names.get(key).cloned() else {
            return (Ty::Json, false);
        };
        let ptr = join("/components/schemas", key);
        let spec = self.spec;
        let Some(schema) = spec.openapi.components.as_ref().and_then(|c| c.schemas.get(key)) else {
            return (Ty::Json, false);
        };
        if let Some(cycle) = self.alias_cycles.get(key) {
            let message = format!("`$ref` cycle {cycle}: no schema on it says what the value is; read as any JSON value");
            self.diags.warn("ref-cycle", &ptr, message);
            self.component_ty.insert(key.to_string(), (Ty::Json, false));
            return (Ty::Json, false);
        }
        if self.in_progress.contains(key) {
            // A reference back to a component being lowered: usually a named
            // kind (a struct holding itself), so refer to it by name; should
            // it turn out to be another name, `keep_promises` makes the name one.
            self.promised.push((name.clone(), key.to_string()));
            return (Ty::Named(name), false);
        }
        if self.depth >= MAX_REF_DEPTH {
            if names_itself(schema) {
                // Lowered later on its own, from `lower_components`.
                self.promised.push((name.clone(), key.to_string()));
                return (Ty::Named(name), false);
            }
            self.diags.warn("ref-depth", &ptr, format!("`$ref` chain deeper than {MAX_REF_DEPTH} components; read as any JSON value here"));
            return (Ty::Json, false);
        }
        self.in_progress.insert(key.to_string());
        self.depth += 1;
        let result = match schema {
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, &ptr),
            ReferenceOr::Item(s) => {
                let nullable = s.schema_data.nullable;
                (self.lower_schema(s, &name, &ptr, true), nullable)
            }
        };
        self.depth -= 1;
        self.in_progress.remove(key);
        if let Ty::Named(n) = &result.0 {
            if n != &name {
                // An alias component (`A: {$ref: B}`): no type of its own.
                self.diags.note("alias-component", &ptr, format!("`{key}` is another name for `{n}`"));
            }
        }
        self.component_ty.insert(key.to_string(), result.clone());
        result
    }

    /// The description of the component schema a `$ref` names (following alias chains).
    pub(super) fn component_description(&self, reference: &str) -> Option<String> {
        let mut reference = reference.to_string();
        for _ in 0..8 {
            let key = unescape(reference.strip_prefix("#/components/schemas/")?);
            match self.spec.openapi.components.as_ref()?.schemas.get(&key)? {
                ReferenceOr::Item(s) => return s.schema_data.description.clone(),
                ReferenceOr::Reference { reference: next } => reference = next.clone(),
            }
        }
        None
    }

    /// Resolves a `$ref` to a type.
    pub(super) fn resolve_ref(&mut self, reference: &str, ptr: &str) -> (Ty, bool) {
        let result = self.resolve_ref_target(reference, ptr);
        self.place(ptr, &result.0);
        result
    }

    /// Records the type generated for the schema at `ptr` (the first wins).
    pub(super) fn place(&mut self, ptr: &str, ty: &Ty) {
        if !self.places.contains_key(ptr) {
            self.places.insert(ptr.to_string(), ty.clone());
        }
    }

    fn resolve_ref_target(&mut self, reference: &str, ptr: &str) -> (Ty, bool) {
        if let Some(key) = reference.strip_prefix("#/components/schemas/").filter(|k| !k.contains('/')) {
            let key = unescape(key);
            if self.component_names.contains_key(&key) {
                return self.component(&key);
            }
        }
        if let Some(p) = reference.strip_prefix('#') {
            let p = percent_decode(p);
            if self.depth + self.resolving.len() >= MAX_REF_DEPTH {
                self.diags.warn("ref-depth", ptr, format!("`$ref: {reference}`: chain of references deeper than {MAX_REF_DEPTH}; read as any JSON value"));
                return (Ty::Json, false);
            }
            if self.resolving.iter().any(|r| r == reference) {
                self.diags.warn(
                    "ref-cycle",
                    ptr,
                    format!("`$ref: {reference}` leads back to itself through references outside components/schemas; read as any JSON value"),
                );
                return (Ty::Json, false);
            }
            self.resolving.push(reference.to_string());
            let result = self.resolve_pointer_ref(reference, &p, ptr);
            self.resolving.pop();
            if let Some(r) = result {
                return r;
            }
        }
        self.diags.warn("dangling-ref", ptr, format!("`$ref: {reference}` points to nothing in this document; read as any JSON value"));
        (Ty::Json, false)
    }

    /// A `$ref` to any other place in the document: a schema inside another
    /// schema or an operation (lowered where it is, once), or a response or
    /// media type (the JSON schema inside it). `None` when nothing is there.
    pub(super) fn resolve_pointer_ref(&mut self, reference: &str, p: &str, ptr: &str) -> Option<(Ty, bool)> {
        let spec = self.spec;
        let target = spec.raw.pointer(p)?;
        let nullable = target.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        // Inside a component schema: lower that component, which visits the
        // target and records its type.
        if let Some(rest) = p.strip_prefix("/components/schemas/") {
            let key = unescape(rest.split('/').next().unwrap_or(""));
            if self.component_names.contains_key(&key) && !self.in_progress.contains(&key) {
                self.component(&key);
            }
        }
        if let Some(ty) = self.places.get(p) {
            return Some((ty.clone(), nullable));
        }
        let (schema_val, schema_ptr) = if let Some(s) = target.pointer("/content/application~1json/schema") {
            (s, format!("{p}/content/application~1json/schema"))
        } else if let Some(s) = target.get("schema").filter(|_| target.get("type").is_none()) {
            (s, format!("{p}/schema"))
        } else {
            (target, p.to_string())
        };
        if schema_ptr != p {
            self.diags.note(
                "ref-not-a-schema",
                ptr,
                format!("`$ref: {reference}` points to a response, parameter or media type; its schema is used"),
            );
        }
        if let Some(Value::String(inner)) = schema_val.get("$ref") {
            return Some(self.resolve_ref(&inner.clone(), &schema_ptr));
        }
        let s = serde_json::from_value::<Schema>(schema_val.clone()).ok()?;
        let hint = naming::type_name(&unescape(p.rsplit('/').find(|s| s.parse::<usize>().is_err() && *s != "schema" && *s != "items").unwrap_or("Inline")));
        let ty = self.lower_schema(&s, &hint, &schema_ptr, false);
        self.place(p, &ty);
        Some((ty, s.schema_data.nullable))
    }

    pub(super) fn lower_ref_or(&mut self, s: &ReferenceOr<Schema>, hint: &str, ptr: &str) -> (Ty, bool) {
        match s {
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, ptr),
            ReferenceOr::Item(s) => (self.lower_schema(s, hint, ptr, false), s.schema_data.nullable),
        }
    }

    pub(super) fn lower_boxed_ref_or(&mut self, s: &ReferenceOr<Box<Schema>>, hint: &str, ptr: &str) -> (Ty, bool) {
        match s {
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, ptr),
            ReferenceOr::Item(s) => (self.lower_schema(s, hint, ptr, false), s.schema_data.nullable),
        }
    }

    /// Claims a name for a new type: components already own theirs.
    /// A suffixed name (`…2`) is noted with the place that holds the name.
    pub(super) fn claim_type_name(&mut self, hint: &str, is_component: bool, ptr: &str) -> String {
        if is_component {
            return hint.to_string();
        }
        let got = self.type_scope.claim(hint);
        if got != hint {
            let holder = match self.claimed_at.get(hint) {
                Some(p) => p.clone(),
                None => {
                    let mut keys: Vec<&String> = self.component_names.iter().filter(|(_, n)| n.as_str() == hint).map(|(k, _)| k).collect();
                    keys.sort();
                    keys.first().map_or_else(|| "another type".to_string(), |k| join("/components/schemas", k))
                }
            };
            self.diags.note("type-name-collision", ptr, format!("`{hint}` is taken (by {holder}); this type is `{got}`"));
        }
        self.claimed_at.insert(got.clone(), ptr.to_string());
        got
    }

    /// Gives back the name of a type that was not created after all.
    pub(super) fn release_type_name(&mut self, name: &str) {
        self.type_scope.release(name);
        self.claimed_at.remove(name);
    }

    pub(super) fn insert_type(&mut self, name: String, doc: Option<String>, origin: &str, kind: TypeKind) -> Ty {
        self.types.insert(name.clone(), TypeDef { name: name.clone(), doc, origin: origin.to_string(), kind, is_input: false });
        Ty::Named(name)
    }

    /// `wrap(inner)` (`Vec<inner>`, a map of `inner`), or any JSON value when
    /// that would nest more than [`MAX_TY_NESTING`] deep: arrays of arrays
    /// of ... (inline, or through a chain of `$ref`s) would otherwise make
    /// a type the code formatter (`syn`) parses by recursion.
    pub(super) fn nest(&mut self, inner: Ty, wrap: fn(Box<Ty>) -> Ty, ptr: &str) -> Ty {
        let mut depth = 1;
        let mut t = &inner;
        while let Ty::Vec(x) | Ty::Map(x) | Ty::Boxed(x) = t {
            depth += 1;
            t = x;
        }
        if depth > MAX_TY_NESTING {
            self.diags.warn("deep-type", ptr, format!("arrays or maps nested more than {MAX_TY_NESTING} deep; read as any JSON value"));
            return Ty::Json;
        }
        wrap(Box::new(inner))
    }

    /// Lowers a schema. `hint` is the name a new named type gets.
    pub(super) fn lower_schema(&mut self, s: &Schema, hint: &str, ptr: &str, is_component: bool) -> Ty {
        let ty = self.lower_schema_kind(s, hint, ptr, is_component);
        self.place(ptr, &ty);
        ty
    }

    fn lower_schema_kind(&mut self, s: &Schema, hint: &str, ptr: &str, is_component: bool) -> Ty {
        let doc = s.schema_data.description.clone().or_else(|| s.schema_data.title.clone());
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => {
                let values: Vec<String> = st.enumeration.iter().flatten().cloned().collect();
                if !values.is_empty() {
                    let default = s.schema_data.default.as_ref().and_then(Value::as_str).map(str::to_string);
                    return self.string_enum(values, default, hint, ptr, doc, is_component);
                }
                string_ty(&st.format)
            }
            SchemaKind::Type(Type::Integer(it)) => {
                if !it.enumeration.is_empty() {
                    self.diags.note("integer-enum", ptr, "integer enum read as a plain integer");
                }
                match &it.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => Ty::I32,
                    _ => Ty::I64,
                }
            }
            SchemaKind::Type(Type::Number(_)) => Ty::F64,
            SchemaKind::Type(Type::Boolean(_)) => Ty::Bool,
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => self.lower_boxed_ref_or(items, &format!("{hint}Item"), &join(ptr, "items")).0,
                    None => Ty::Json,
                };
                self.nest(item, Ty::Vec, ptr)
            }
            SchemaKind::Type(Type::Object(o)) => {
                let props: Vec<(&String, &ReferenceOr<Box<Schema>>)> = o.properties.iter().collect();
                self.object(&props, &o.required, o.additional_properties.as_ref(), hint, ptr, doc, is_component)
            }
            SchemaKind::OneOf { one_of } => self.union(one_of, s, hint, ptr, doc, is_component, "oneOf"),
            SchemaKind::AnyOf { any_of } => self.union(any_of, s, hint, ptr, doc, is_component, "anyOf"),
            SchemaKind::AllOf { all_of } => self.all_of(all_of, hint, ptr, doc, is_component),
            SchemaKind::Not { .. } => {
                self.diags.warn("fallback-json", ptr, "`not` schemas cannot be expressed; read as any JSON value");
                Ty::Json
            }
            SchemaKind::Any(any) => self.any_schema(any, s, hint, ptr, doc, is_component),
        }
    }

    /// `openapiv3` reads schemas with mixed or missing `type` as `Any`; pick the
    /// closest shape.
    pub(super) fn any_schema(
        &mut self,
        any: &openapiv3::AnySchema,
        s: &Schema,
        hint: &str,
        ptr: &str,
        doc: Option<String>,
        is_component: bool,
    ) -> Ty {
        if !any.properties.is_empty() {
            if let Some(ty) = self.properties_beside_composition(any, s, hint, ptr, doc.clone(), is_component) {
                return ty;
            }
        }
        if !any.all_of.is_empty() {
            return self.all_of(&any.all_of, hint, ptr, doc, is_component);
        }
        if !any.one_of.is_empty() {
            return self.union(&any.one_of, s, hint, ptr, doc, is_component, "oneOf");
        }
        if !any.any_of.is_empty() {
            return self.union(&any.any_of, s, hint, ptr, doc, is_component, "anyOf");
        }
        // Without `type`, `properties` and `items` constrain only values of
        // their kind: a `default` of another kind says the field holds
        // others too (Telnyx's `phone_number_type`: `items` of an enum,
        // `default: ""`, and Prism answers `""`). Examples are not read so:
        // documents often give an array's example on its item schema.
        if any.typ.is_none() && (!any.properties.is_empty() || any.items.is_some()) {
            let want_array = any.properties.is_empty();
            let other = s.schema_data.default.as_ref().filter(|v| !v.is_null() && if want_array { !v.is_array() } else { !v.is_object() });
            if let Some(v) = other {
                let kind = if want_array { "items" } else { "properties" };
                let shown: String = v.to_string().chars().take(40).collect();
                self.diags.note("typeless-any", ptr, format!("no `type`, `{kind}` given, but its default `{shown}` is of another kind: any JSON value"));
                return Ty::Json;
            }
        }
        if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
            let props: Vec<(&String, &ReferenceOr<Box<Schema>>)> = any.properties.iter().collect();
            return self.object(&props, &any.required, any.additional_properties.as_ref(), hint, ptr, doc, is_component);
        }
        if let Some(items) = &any.items {
            let item = self.lower_boxed_ref_or(items, &format!("{hint}Item"), &join(ptr, "items")).0;
            return self.nest(item, Ty::Vec, ptr);
        }
        let strings: Vec<String> = any.enumeration.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
        if !strings.is_empty() && strings.len() == any.enumeration.iter().filter(|v| !v.is_null()).count() {
            let default = s.schema_data.default.as_ref().and_then(Value::as_str).map(str::to_string);
            return self.string_enum(strings, default, hint, ptr, doc, is_component);
        }
        let ty = match (any.typ.as_deref(), any.format.as_deref()) {
            (Some("string"), Some("binary")) => Ty::Binary,
            (Some("string"), Some("date-time")) => Ty::DateTime,
            (Some("string"), Some("date")) => Ty::Date,
            (Some("string"), _) => Ty::String,
            (Some("integer"), Some("int32")) => Ty::I32,
            (Some("integer"), _) => Ty::I64,
            (Some("number"), _) => Ty::F64,
            (Some("boolean"), _) => Ty::Bool,
            (Some("array"), _) => Ty::Vec(Box::new(Ty::Json)),
            _ => Ty::Json,
        };
        ty
    }

    pub(super) fn string_enum(
        &mut self,
        values: Vec<String>,
        default: Option<String>,
        hint: &str,
        ptr: &str,
        doc: Option<String>,
        is_component: bool,
    ) -> Ty {
        let name = self.claim_type_name(hint, is_component, ptr);
        let mut scope = Scope::with_reserved(&["Unknown"]);
        let mut variants = Vec::new();
        let mut seen = HashSet::new();
        for v in values {
            if !seen.insert(v.clone()) {
                self.diags.note("duplicate-enum-value", ptr, format!("enum value `{v}` is listed twice; kept once"));
                continue;
            }
            let ident = scope.claim(&naming::type_name(&v));
            variants.push(EnumVariant { wire: v, ident });
        }
        let default = default.and_then(|d| variants.iter().position(|v| v.wire == d));
        self.insert_type(name, doc, ptr, TypeKind::Enum(StringEnum { variants, default }))
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn object(
        &mut self,
        props: &[(&String, &ReferenceOr<Box<Schema>>)],
        required: &[String],
        additional: Option<&AdditionalProperties>,
        hint: &str,
        ptr: &str,
        doc: Option<String>,
        is_component: bool,
    ) -> Ty {
        let additional_ty = match additional {
            None | Some(AdditionalProperties::Any(true)) => Some(Ty::Json),
            Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Schema(s)) => {
                // A nullable value (`{type: [string, "null"]}`, Lago's
                // MetadataObject) is held as any JSON value: the IR has no
                // `Option` inside a map, and `BTreeMap<String, String>`
                // refused every `null` the document allows.
                let (ty, nullable) = self.lower_ref_or(s, &format!("{hint}Value"), &join(ptr, "additionalProperties"));
                Some(if nullable { Ty::Json } else { ty })
            }
        };
        if props.is_empty() {
            // A free-form object or a map: no struct of its own.
            return self.nest(additional_ty.unwrap_or(Ty::Json), Ty::Map, ptr);
        }
        let name = self.claim_type_name(hint, is_component, ptr);
        let mut scope = Scope::default();
        let mut fields = Vec::with_capacity(props.len());
        for (wire, schema) in props {
            let fptr = join(&join(ptr, "properties"), wire);
            let field_hint = format!("{name}{}", naming::type_name(wire));
            let (ty, nullable) = self.lower_boxed_ref_or(schema, &field_hint, &fptr);
            let field_doc = match schema {
                ReferenceOr::Item(s) => s.schema_data.description.clone(),
                // A `$ref`'d schema's description documents the field too
                // (for an inlined primitive component it is the only place).
                ReferenceOr::Reference { reference } => self.component_description(reference),
            };
            let ident = scope.claim(&naming::field_name(wire));
            // A file field is a multipart part: "null" there is an absent
            // part, so a nullable file is just an optional one (never
            // `Option<Option<FileUpload>>`, which no part writer takes).
            let nullable = nullable && !crate::emit::uploads::is_file(&ty);
            fields.push(Field { wire: (*wire).clone(), ident, ty, required: required.contains(wire), nullable, doc: field_doc });
        }
        for r in required {
            if !props.iter().any(|(w, _)| *w == r) {
                self.diags.note("required-not-declared", ptr, format!("`{r}` is required but not declared; kept in the extra fields map"));
            }
        }
        let additional_name = scope.claim("extra");
        self.insert_type(
            name,
            doc,
            ptr,
            TypeKind::Struct(Struct { fields, additional: additional_ty.unwrap_or(Ty::Json), additional_name, keep_unknown: additional.is_none_or(|a| !matches!(a, AdditionalProperties::Any(false))) }),
        )
    }
}

pub(super) fn string_ty(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Ty {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Ty::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Ty::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Ty::Binary,
        _ => Ty::String,
    }
}

/// Decodes `%XX` escapes in a `$ref` fragment (URI encoding of `{`, `}`, ...).
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && s.is_char_boundary(i + 3) {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

