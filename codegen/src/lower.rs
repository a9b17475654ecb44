//! Stage 2: `openapiv3` model -> [`crate::ir::Api`].
//!
//! Order of work, each step deterministic:
//! 1. operations are named first (resource chain + method name, collisions
//!    resolved in path order), because inline types are named after their
//!    place in the API (`FaxesListFilter`, `FaxesRetrieveResponse`), not after
//!    incidental component names;
//! 2. every component schema gets its Rust name, in key order, before any
//!    inline type claims one;
//! 3. components, then operations, then webhooks are lowered; `$ref`s are
//!    resolved through a memo, so each component is lowered once (no quadratic
//!    lookups on ~1900 schemas);
//! 4. by-value cycles are found with Tarjan's SCC and the closing fields boxed.

use crate::diagnostics::{join, Diagnostics, Error};
use crate::ir::*;
use crate::load::LoadedSpec;
use crate::naming::{self, Scope};
use openapiv3::{
    AdditionalProperties, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Schema, SchemaKind,
    StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Lowers a loaded document. Diagnostics are appended to `diags`.
pub fn lower(spec: &LoadedSpec, diags: &mut Diagnostics) -> Result<Api, Error> {
    let mut l = Lowerer {
        spec,
        diags,
        types: BTreeMap::new(),
        type_scope: Scope::default(),
        component_names: HashMap::new(),
        component_ty: HashMap::new(),
        in_progress: HashSet::new(),
        resolving: Vec::new(),
    };
    let info = &spec.openapi.info;
    let mut api = Api {
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone(),
        base_url: spec.openapi.servers.first().map(|s| s.url.clone()),
        ..Api::default()
    };

    let mut planned = l.plan_operations();
    l.name_components();
    l.lower_components();
    for plan in planned.drain(..) {
        if let Some(op) = l.lower_operation(plan)? {
            api.operations.push(op);
        }
    }
    api.webhooks = l.lower_webhooks();
    box_cycles(&mut l.types);
    api.types = std::mem::take(&mut l.types);
    api.operations.sort_by(|a, b| (&a.resource, &a.name).cmp(&(&b.resource, &b.name)));
    Ok(api)
}

struct Lowerer<'a> {
    spec: &'a LoadedSpec,
    diags: &'a mut Diagnostics,
    types: BTreeMap<String, TypeDef>,
    type_scope: Scope,
    /// Component key -> Rust name.
    component_names: HashMap<String, String>,
    /// Component key -> lowered type (memo).
    component_ty: HashMap<String, (Ty, bool)>,
    in_progress: HashSet<String>,
    /// `$ref`s outside components/schemas being resolved (cycle guard).
    resolving: Vec<String>,
}

/// An operation before lowering: its place in the API is fixed, its types not yet.
struct PlannedOp<'a> {
    path: String,
    method: Method,
    op: &'a openapiv3::Operation,
    item: &'a PathItem,
    id: String,
    resource: Vec<String>,
    name: String,
    pointer: String,
}

fn method_of(name: &str) -> Option<Method> {
    Some(match name {
        "get" => Method::Get,
        "post" => Method::Post,
        "put" => Method::Put,
        "patch" => Method::Patch,
        "delete" => Method::Delete,
        "head" => Method::Head,
        "options" => Method::Options,
        "trace" => Method::Trace,
        _ => return None,
    })
}

fn is_param_segment(s: &str) -> bool {
    s.contains('{')
}

/// Pascal-case prefix for types that belong to an operation: `FaxesActionsCancel`.
fn op_prefix(resource: &[String], name: &str) -> String {
    let mut s = String::new();
    for r in resource {
        s.push_str(&naming::type_name(naming::unraw(r)));
    }
    s.push_str(&naming::type_name(naming::unraw(name)));
    s
}

impl<'a> Lowerer<'a> {
    // ---------------------------------------------------------------- naming

    fn plan_operations(&mut self) -> Vec<PlannedOp<'a>> {
        let spec = self.spec;
        let mut plans = Vec::new();
        for (path, item) in spec.openapi.paths.paths.iter() {
            let ptr = join("/paths", path);
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { reference } => {
                    self.diags.warn("unsupported-ref", &ptr, format!("path item `$ref` {reference} is not supported; the path is skipped"));
                    continue;
                }
            };
            for (mname, op) in item.iter() {
                let Some(method) = method_of(mname) else { continue };
                let has_patch = item.patch.is_some();
                let (resource, name) = self.derive_name(path, method, op, has_patch);
                let op_ptr = join(&ptr, mname);
                let id = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => id.clone(),
                    _ => {
                        let made = format!("{}{}", mname, naming::type_name(path));
                        self.diags.warn("missing-operation-id", &op_ptr, format!("no operationId; named `{made}` from method and path"));
                        made
                    }
                };
                plans.push(PlannedOp { path: path.clone(), method, op, item, id, resource, name, pointer: op_ptr });
            }
        }
        // Duplicate operationIds: keep the first, suffix the rest.
        let mut seen: HashMap<String, usize> = HashMap::new();
        for p in plans.iter_mut() {
            let n = seen.entry(p.id.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                let new_id = format!("{}{}", p.id, n);
                self.diags.warn(
                    "duplicate-operation-id",
                    &p.pointer,
                    format!("operationId `{}` is used more than once; this one is treated as `{new_id}`", p.id),
                );
                p.id = new_id;
            }
        }
        // Method-name collisions within a resource: first (in path order) keeps
        // the conventional name, later ones are named from their operationId.
        let mut children: HashMap<Vec<String>, HashSet<String>> = HashMap::new();
        for p in &plans {
            for depth in 1..p.resource.len() {
                children.entry(p.resource[..depth].to_vec()).or_default().insert(p.resource[depth].clone());
            }
        }
        let mut scopes: HashMap<Vec<String>, Scope> = HashMap::new();
        for p in plans.iter_mut() {
            let scope = scopes.entry(p.resource.clone()).or_insert_with(|| {
                let mut s = Scope::default();
                if let Some(kids) = children.get(&p.resource) {
                    let mut kids: Vec<_> = kids.iter().cloned().collect();
                    kids.sort();
                    for k in kids {
                        s.claim(&k);
                    }
                }
                s
            });
            if scope.contains(&p.name) {
                let alt = naming::field_name(&p.id);
                let got = scope.claim(&alt);
                self.diags.note(
                    "method-name-collision",
                    &p.pointer,
                    format!("`{}.{}` is taken; this operation is `{}`", p.resource.join("."), p.name, got),
                );
                p.name = got;
            } else {
                scope.claim(&p.name);
            }
        }
        plans
    }

    /// `GET /faxes` -> (`[faxes]`, `list`); `POST /faxes/{id}/actions/cancel`
    /// -> (`[faxes, actions]`, `cancel`).
    fn derive_name(&self, path: &str, method: Method, op: &openapiv3::Operation, has_patch: bool) -> (Vec<String>, String) {
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut literals: Vec<String> =
            segs.iter().filter(|s| !is_param_segment(s)).map(|s| naming::field_name(s)).collect();
        let ends_with_param = segs.last().is_some_and(|s| is_param_segment(s));
        let n = segs.len();
        let is_action = !ends_with_param
            && n >= 2
            && (segs[n - 2] == "actions" || (method == Method::Post && is_param_segment(segs[n - 2])));
        if is_action {
            let name = literals.pop().unwrap_or_else(|| "call".into());
            if literals.is_empty() {
                literals.push("root".into());
            }
            return (literals, name);
        }
        if literals.is_empty() {
            literals.push("root".into());
        }
        let name = match method {
            Method::Get if ends_with_param => "retrieve",
            Method::Get => {
                if self.looks_like_list(op) {
                    "list"
                } else if segs.len() > literals.len() {
                    "retrieve"
                } else {
                    "list"
                }
            }
            Method::Post => "create",
            Method::Put if has_patch => "replace",
            Method::Put | Method::Patch => "update",
            Method::Delete => "delete",
            Method::Head => "head",
            Method::Options => "options",
            Method::Trace => "trace",
        };
        (literals, name.to_string())
    }

    /// A GET whose 200 JSON has an array `data` (or that takes a page parameter).
    fn looks_like_list(&self, op: &openapiv3::Operation) -> bool {
        let has_page = op.parameters.iter().any(|p| match p {
            ReferenceOr::Item(p) => p.parameter_data_ref().name.starts_with("page"),
            ReferenceOr::Reference { reference } => reference.to_ascii_lowercase().contains("page"),
        });
        if has_page {
            return true;
        }
        let Some(ReferenceOr::Item(resp)) = op.responses.responses.get(&StatusCode::Code(200)) else { return false };
        let Some(mt) = resp.content.get("application/json") else { return false };
        let Some(ReferenceOr::Item(schema)) = &mt.schema else { return false };
        if let SchemaKind::Type(Type::Object(o)) = &schema.schema_kind {
            if let Some(ReferenceOr::Item(data)) = o.properties.get("data") {
                return matches!(data.schema_kind, SchemaKind::Type(Type::Array(_)));
            }
        }
        false
    }

    fn name_components(&mut self) {
        let Some(components) = &self.spec.openapi.components else { return };
        let mut keys: Vec<&String> = components.schemas.keys().collect();
        keys.sort();
        for key in keys {
            let wanted = naming::type_name(key);
            let got = self.type_scope.claim(&wanted);
            if got != wanted {
                self.diags.warn(
                    "type-name-collision",
                    join("/components/schemas", key),
                    format!("`{key}` becomes `{wanted}`, which another schema already has; named `{got}`"),
                );
            }
            self.component_names.insert(key.clone(), got);
        }
    }

    fn lower_components(&mut self) {
        let Some(components) = &self.spec.openapi.components else { return };
        let mut keys: Vec<&String> = components.schemas.keys().collect();
        keys.sort();
        for key in keys {
            self.component(key);
        }
    }

    // ---------------------------------------------------------------- schemas

    /// The type of component schema `key`, lowering it on first use.
    fn component(&mut self, key: &str) -> (Ty, bool) {
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
        if self.in_progress.contains(key) {
            // A reference back to a component being lowered: it is named (only
            // named kinds can contain themselves), so refer to it by name.
            return (Ty::Named(name), false);
        }
        self.in_progress.insert(key.to_string());
        let result = match schema {
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, &ptr),
            ReferenceOr::Item(s) => {
                let nullable = s.schema_data.nullable;
                (self.lower_schema(s, &name, &ptr, true), nullable)
            }
        };
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
    fn component_description(&self, reference: &str) -> Option<String> {
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
    fn resolve_ref(&mut self, reference: &str, ptr: &str) -> (Ty, bool) {
        if let Some(key) = reference.strip_prefix("#/components/schemas/") {
            let key = unescape(key);
            if self.component_names.contains_key(&key) {
                return self.component(&key);
            }
            self.diags.push(crate::diagnostics::Severity::Error, "dangling-ref", ptr, format!("`$ref: {reference}` points to no schema in components/schemas"));
            return (Ty::Json, false);
        }
        if let Some(p) = reference.strip_prefix('#') {
            if self.resolving.iter().any(|r| r == reference) {
                self.diags.push(
                    crate::diagnostics::Severity::Error,
                    "ref-cycle",
                    ptr,
                    format!("`$ref: {reference}` leads back to itself through references outside components/schemas"),
                );
                return (Ty::Json, false);
            }
            self.resolving.push(reference.to_string());
            let result = self.resolve_pointer_ref(reference, p, ptr);
            self.resolving.pop();
            if let Some(r) = result {
                return r;
            }
        }
        self.diags.push(crate::diagnostics::Severity::Error, "dangling-ref", ptr, format!("`$ref: {reference}` cannot be resolved"));
        (Ty::Json, false)
    }

    /// A `$ref` to something that is not a component schema: a response, a
    /// media type or a schema elsewhere. `None` when nothing usable is there.
    fn resolve_pointer_ref(&mut self, reference: &str, p: &str, ptr: &str) -> Option<(Ty, bool)> {
        {
            let spec = self.spec;
            if let Some(target) = spec.raw.pointer(p) {
                // A ref to something that is not a schema: a response or a media
                // type. Use the JSON schema inside it, as the author meant.
                let schema_val = target
                    .pointer("/content/application~1json/schema")
                    .or_else(|| target.get("schema"))
                    .unwrap_or(target);
                self.diags.warn(
                    "ref-not-a-schema",
                    ptr,
                    format!("`$ref: {reference}` does not point into components/schemas; using the schema found there"),
                );
                if let Some(Value::String(inner)) = schema_val.get("$ref") {
                    return Some(self.resolve_ref(&inner.clone(), ptr));
                }
                if let Ok(s) = serde_json::from_value::<Schema>(schema_val.clone()) {
                    let hint = naming::type_name(p.rsplit('/').next().unwrap_or("Inline"));
                    return Some((self.lower_schema(&s, &hint, ptr, false), s.schema_data.nullable));
                }
            }
        }
        let _ = reference;
        None
    }

    fn lower_ref_or(&mut self, s: &ReferenceOr<Schema>, hint: &str, ptr: &str) -> (Ty, bool) {
        match s {
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, ptr),
            ReferenceOr::Item(s) => (self.lower_schema(s, hint, ptr, false), s.schema_data.nullable),
        }
    }

    fn lower_boxed_ref_or(&mut self, s: &ReferenceOr<Box<Schema>>, hint: &str, ptr: &str) -> (Ty, bool) {
        match s {
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, ptr),
            ReferenceOr::Item(s) => (self.lower_schema(s, hint, ptr, false), s.schema_data.nullable),
        }
    }

    /// Claims a name for a new type: components already own theirs.
    fn claim_type_name(&mut self, hint: &str, is_component: bool) -> String {
        if is_component {
            hint.to_string()
        } else {
            self.type_scope.claim(hint)
        }
    }

    fn insert_type(&mut self, name: String, doc: Option<String>, origin: &str, kind: TypeKind) -> Ty {
        self.types.insert(name.clone(), TypeDef { name: name.clone(), doc, origin: origin.to_string(), kind, is_input: false });
        Ty::Named(name)
    }

    /// Lowers a schema. `hint` is the name a new named type gets.
    fn lower_schema(&mut self, s: &Schema, hint: &str, ptr: &str, is_component: bool) -> Ty {
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
                Ty::Vec(Box::new(item))
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
    fn any_schema(
        &mut self,
        any: &openapiv3::AnySchema,
        s: &Schema,
        hint: &str,
        ptr: &str,
        doc: Option<String>,
        is_component: bool,
    ) -> Ty {
        if !any.all_of.is_empty() {
            return self.all_of(&any.all_of, hint, ptr, doc, is_component);
        }
        if !any.one_of.is_empty() {
            return self.union(&any.one_of, s, hint, ptr, doc, is_component, "oneOf");
        }
        if !any.any_of.is_empty() {
            return self.union(&any.any_of, s, hint, ptr, doc, is_component, "anyOf");
        }
        if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
            let props: Vec<(&String, &ReferenceOr<Box<Schema>>)> = any.properties.iter().collect();
            return self.object(&props, &any.required, any.additional_properties.as_ref(), hint, ptr, doc, is_component);
        }
        if let Some(items) = &any.items {
            let item = self.lower_boxed_ref_or(items, &format!("{hint}Item"), &join(ptr, "items")).0;
            return Ty::Vec(Box::new(item));
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

    fn string_enum(
        &mut self,
        values: Vec<String>,
        default: Option<String>,
        hint: &str,
        ptr: &str,
        doc: Option<String>,
        is_component: bool,
    ) -> Ty {
        let name = self.claim_type_name(hint, is_component);
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
    fn object(
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
                Some(self.lower_ref_or(s, &format!("{hint}Value"), &join(ptr, "additionalProperties")).0)
            }
        };
        if props.is_empty() {
            // A free-form object or a map: no struct of its own.
            return Ty::Map(Box::new(additional_ty.unwrap_or(Ty::Json)));
        }
        let name = self.claim_type_name(hint, is_component);
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

    fn all_of(&mut self, members: &[ReferenceOr<Schema>], hint: &str, ptr: &str, doc: Option<String>, is_component: bool) -> Ty {
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
    fn union(
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
    fn member_name(&self, s: &Schema) -> String {
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

    // ---------------------------------------------------------------- operations

    fn resolve_parameter<'s>(&mut self, p: &'s ReferenceOr<Parameter>, ptr: &str) -> Option<std::borrow::Cow<'s, Parameter>> {
        match p {
            ReferenceOr::Item(p) => Some(std::borrow::Cow::Borrowed(p)),
            ReferenceOr::Reference { reference } => {
                let spec = self.spec;
                if let Some(key) = reference.strip_prefix("#/components/parameters/") {
                    if let Some(ReferenceOr::Item(p)) =
                        spec.openapi.components.as_ref().and_then(|c| c.parameters.get(&unescape(key)))
                    {
                        return Some(std::borrow::Cow::Owned(p.clone()));
                    }
                }
                if let Some(target) = reference.strip_prefix('#').and_then(|p| spec.raw.pointer(p)) {
                    if let Ok(p) = serde_json::from_value::<Parameter>(target.clone()) {
                        return Some(std::borrow::Cow::Owned(p));
                    }
                }
                self.diags.push(crate::diagnostics::Severity::Error, "dangling-ref", ptr, format!("parameter `$ref: {reference}` cannot be resolved; skipped"));
                None
            }
        }
    }

    fn lower_operation(&mut self, plan: PlannedOp<'a>) -> Result<Option<Operation>, Error> {
        let PlannedOp { path, method, op, item, id, resource, name, pointer } = plan;
        let prefix = op_prefix(&resource, &name);

        // Parameters: operation-level override path-level; duplicates dropped.
        let mut params: Vec<(Parameter, String)> = Vec::new();
        let mut seen: HashSet<(String, &'static str)> = HashSet::new();
        let op_params = op.parameters.iter().enumerate().map(|(i, p)| (p, join(&join(&pointer, "parameters"), &i.to_string())));
        let path_ptr = join("/paths", &path);
        let item_params = item.parameters.iter().enumerate().map(|(i, p)| (p, join(&join(&path_ptr, "parameters"), &i.to_string())));
        for (p, pptr) in op_params.chain(item_params) {
            let Some(p) = self.resolve_parameter(p, &pptr) else { continue };
            let loc = match &*p {
                Parameter::Query { .. } => "query",
                Parameter::Path { .. } => "path",
                Parameter::Header { .. } => "header",
                Parameter::Cookie { .. } => {
                    self.diags.warn("cookie-parameter", &pptr, format!("cookie parameter `{}` is not supported; skipped", p.parameter_data_ref().name));
                    continue;
                }
            };
            let key = (p.parameter_data_ref().name.clone(), loc);
            if !seen.insert(key.clone()) {
                if pptr.starts_with(&pointer) {
                    self.diags.warn("duplicate-parameter", &pptr, format!("{} parameter `{}` is listed twice; the first is kept", loc, key.0));
                }
                continue;
            }
            params.push((p.into_owned(), pptr));
        }

        let mut args = Scope::with_reserved(&["body", "params", "self"]);
        let mut path_params = Vec::new();
        let mut required_params = Vec::new();
        let mut optional_params = Vec::new();
        // Path params in template order.
        let template_names: Vec<String> = path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split('}').next())
            .map(str::to_string)
            .collect();
        for tname in &template_names {
            let found = params.iter().position(|(p, _)| matches!(p, Parameter::Path { .. }) && &p.parameter_data_ref().name == tname);
            let (ty, doc) = match found {
                Some(i) => {
                    let (p, pptr) = &params[i];
                    let data = p.parameter_data_ref();
                    let ty = self.param_ty(&data.format, &format!("{prefix}{}", naming::type_name(&data.name)), pptr);
                    (ty, data.description.clone())
                }
                None => {
                    self.diags.warn("undeclared-path-parameter", &pointer, format!("path parameter `{tname}` is not declared; taken as a string"));
                    (Ty::String, None)
                }
            };
            let ty = match ty {
                Ty::I32 | Ty::I64 | Ty::F64 | Ty::Bool | Ty::String => ty,
                _ => Ty::String,
            };
            let ident = args.claim(&naming::field_name(tname));
            path_params.push(Param { wire: tname.clone(), ident, location: ParamLocation::Path, ty, required: true, doc });
        }
        let mut opt_scope = Scope::default();
        for (p, pptr) in &params {
            let location = match p {
                Parameter::Path { .. } => {
                    if !template_names.contains(&p.parameter_data_ref().name) {
                        self.diags.warn("unused-path-parameter", pptr, format!("path parameter `{}` is not in the path template; skipped", p.parameter_data_ref().name));
                    }
                    continue;
                }
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => continue,
            };
            let data = p.parameter_data_ref();
            let ty = self.param_ty(&data.format, &format!("{prefix}{}", naming::type_name(&data.name)), pptr);
            let param = |ident: String| Param {
                wire: data.name.clone(),
                ident,
                location,
                ty: ty.clone(),
                required: data.required,
                doc: data.description.clone(),
            };
            if data.required {
                required_params.push(param(args.claim(&naming::field_name(&data.name))));
            } else {
                optional_params.push(param(opt_scope.claim(&naming::field_name(&data.name))));
            }
        }
        required_params.sort_by(|a, b| (a.location, &a.wire).cmp(&(b.location, &b.wire)));
        optional_params.sort_by(|a, b| (a.location, &a.wire).cmp(&(b.location, &b.wire)));

        // Request body variants.
        let mut body = Vec::new();
        let mut body_required = false;
        if let Some(rb) = &op.request_body {
            let bptr = join(&pointer, "requestBody");
            if let Some(rb) = self.resolve_request_body(rb, &bptr) {
                body_required = rb.required;
                let mut by_encoding: BTreeMap<BodyEncoding, (String, Ty)> = BTreeMap::new();
                for (media, mt) in rb.content.iter() {
                    let enc = encoding_of(media);
                    if by_encoding.contains_key(&enc) {
                        self.diags.note("duplicate-media-type", &bptr, format!("`{media}` repeats an encoding already offered; skipped"));
                        continue;
                    }
                    let suffix = match enc {
                        BodyEncoding::Json => "Request",
                        BodyEncoding::Multipart => "MultipartRequest",
                        BodyEncoding::Form => "FormRequest",
                        BodyEncoding::Binary => "BinaryRequest",
                    };
                    let mptr = join(&join(&join(&bptr, "content"), media), "schema");
                    let ty = match (&mt.schema, enc) {
                        (_, BodyEncoding::Binary) => Ty::Binary,
                        (Some(s), _) => self.lower_ref_or(s, &format!("{prefix}{suffix}"), &mptr).0,
                        (None, _) => Ty::Json,
                    };
                    by_encoding.insert(enc, (media.clone(), ty));
                }
                for (i, (enc, (media, ty))) in by_encoding.into_iter().enumerate() {
                    let method_name = if i == 0 {
                        name.clone()
                    } else {
                        let suffix = match enc {
                            BodyEncoding::Json => "json",
                            BodyEncoding::Multipart => "multipart",
                            BodyEncoding::Form => "form",
                            BodyEncoding::Binary => "binary",
                        };
                        format!("{}_{suffix}", naming::unraw(&name))
                    };
                    if let Ty::Named(n) = &ty {
                        self.mark_input(n);
                    }
                    body.push(BodyVariant { media_type: media, encoding: enc, ty, method_name });
                }
            }
        }

        // Success responses.
        let mut responses = Vec::new();
        let mut codes: Vec<(&StatusCode, &ReferenceOr<openapiv3::Response>)> = op.responses.responses.iter().collect();
        codes.sort_by_key(|(c, _)| c.to_string());
        for (code, resp) in codes {
            let status = code.to_string();
            if !status.starts_with('2') {
                continue;
            }
            let rptr = join(&join(&pointer, "responses"), &status);
            let hint = format!("{prefix}Response");
            let (ty, doc) = self.response_ty(resp, &hint, &rptr);
            responses.push(Response { status, ty, doc });
        }
        let success = self.pick_success(&responses, &prefix, &pointer);

        // Optional parameters struct.
        let plan_name = name.clone();
        let params_type = if optional_params.is_empty() {
            None
        } else {
            let name = self.type_scope.claim(&format!("{prefix}Params"));
            let fields = optional_params
                .iter()
                .map(|p| Field { wire: p.wire.clone(), ident: p.ident.clone(), ty: p.ty.clone(), required: false, nullable: false, doc: p.doc.clone() })
                .collect();
            self.types.insert(
                name.clone(),
                TypeDef {
                    name: name.clone(),
                    doc: Some(format!("Optional parameters of `{}.{}()` (`{} {}`).", resource.join("()."), naming::unraw(&plan_name), method.as_str(), path)),
                    origin: pointer.clone(),
                    kind: TypeKind::Struct(Struct { fields, additional: Ty::Json, additional_name: String::new(), keep_unknown: false }),
                    is_input: true,
                },
            );
            for p in &optional_params {
                if let Ty::Named(n) = &p.ty {
                    self.mark_input(n);
                }
            }
            Some(name)
        };
        for p in &required_params {
            if let Ty::Named(n) = &p.ty {
                self.mark_input(n);
            }
        }

        let pagination = self.pagination(method, &required_params, &optional_params, success.as_ref());
        Ok(Some(Operation {
            id,
            method,
            path,
            resource,
            name,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            path_params,
            required_params,
            optional_params,
            params_type,
            body,
            body_required,
            success,
            responses,
            pagination,
            pointer,
        }))
    }

    fn resolve_request_body(&mut self, rb: &ReferenceOr<RequestBody>, ptr: &str) -> Option<RequestBody> {
        match rb {
            ReferenceOr::Item(rb) => Some(rb.clone()),
            ReferenceOr::Reference { reference } => {
                let spec = self.spec;
                if let Some(key) = reference.strip_prefix("#/components/requestBodies/") {
                    if let Some(ReferenceOr::Item(rb)) = spec.openapi.components.as_ref().and_then(|c| c.request_bodies.get(&unescape(key))) {
                        return Some(rb.clone());
                    }
                }
                self.diags.push(crate::diagnostics::Severity::Error, "dangling-ref", ptr, format!("request body `$ref: {reference}` cannot be resolved; no body"));
                None
            }
        }
    }

    fn response_ty(&mut self, resp: &ReferenceOr<openapiv3::Response>, hint: &str, ptr: &str) -> (Option<Ty>, Option<String>) {
        let resolved: openapiv3::Response = match resp {
            ReferenceOr::Item(r) => r.clone(),
            ReferenceOr::Reference { reference } => {
                let spec = self.spec;
                let found = reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|k| spec.openapi.components.as_ref().and_then(|c| c.responses.get(&unescape(k))));
                match found {
                    Some(ReferenceOr::Item(r)) => r.clone(),
                    _ => {
                        self.diags.push(crate::diagnostics::Severity::Error, "dangling-ref", ptr, format!("response `$ref: {reference}` cannot be resolved; no body"));
                        return (None, None);
                    }
                }
            }
        };
        let json = resolved.content.iter().find(|(m, _)| encoding_of(m) == BodyEncoding::Json);
        match json {
            Some((media, mt)) => {
                let ty = match &mt.schema {
                    Some(s) => self.lower_ref_or(s, hint, &join(&join(&join(ptr, "content"), media), "schema")).0,
                    None => Ty::Json,
                };
                (Some(ty), Some(resolved.description))
            }
            None => {
                if let Some((media, _)) = resolved.content.iter().next() {
                    self.diags.note("binary-response", ptr, format!("`{media}` response is returned as raw bytes"));
                    return (Some(Ty::Binary), Some(resolved.description));
                }
                (None, Some(resolved.description))
            }
        }
    }

    fn pick_success(&mut self, responses: &[Response], prefix: &str, ptr: &str) -> Option<Ty> {
        let mut distinct: Vec<&Ty> = Vec::new();
        for r in responses {
            if let Some(t) = &r.ty {
                if !distinct.contains(&t) {
                    distinct.push(t);
                }
            }
        }
        match distinct.len() {
            0 => None,
            1 => Some(distinct[0].clone()),
            _ => {
                if distinct.contains(&&Ty::Binary) {
                    self.diags.warn("mixed-success", ptr, "success responses mix JSON and raw bytes; returned as raw bytes");
                    return Some(Ty::Binary);
                }
                let name = self.type_scope.claim(&format!("{prefix}Response"));
                let mut scope = Scope::with_reserved(&["Unknown"]);
                let variants = responses
                    .iter()
                    .filter_map(|r| r.ty.clone().map(|t| (r.status.clone(), t)))
                    .fold(Vec::<UnionVariant>::new(), |mut acc, (status, ty)| {
                        if !acc.iter().any(|v| v.ty == ty) {
                            let ident = scope.claim(&format!("Status{}", naming::type_name(&status)));
                            acc.push(UnionVariant { ident, ty, tags: vec![] });
                        }
                        acc
                    });
                self.diags.note("several-success-types", ptr, format!("success responses have different bodies; `{name}` is an untagged union of them"));
                self.types.insert(
                    name.clone(),
                    TypeDef {
                        name: name.clone(),
                        doc: Some("One of the operation's success bodies.".into()),
                        origin: ptr.to_string(),
                        kind: TypeKind::Union(Union { variants, discriminator: None }),
                        is_input: false,
                    },
                );
                Some(Ty::Named(name))
            }
        }
    }

    fn param_ty(&mut self, format: &ParameterSchemaOrContent, hint: &str, ptr: &str) -> Ty {
        match format {
            ParameterSchemaOrContent::Schema(s) => self.lower_ref_or(s, hint, &join(ptr, "schema")).0,
            ParameterSchemaOrContent::Content(c) => match c.iter().next() {
                Some((media, mt)) => match &mt.schema {
                    Some(s) => self.lower_ref_or(s, hint, &join(&join(&join(ptr, "content"), media), "schema")).0,
                    None => Ty::Json,
                },
                None => Ty::String,
            },
        }
    }

    fn mark_input(&mut self, name: &str) {
        let mut stack = vec![name.to_string()];
        let mut seen = HashSet::new();
        while let Some(n) = stack.pop() {
            if !seen.insert(n.clone()) {
                continue;
            }
            if let Some(def) = self.types.get_mut(&n) {
                def.is_input = true;
                if let TypeKind::Struct(s) = &def.kind {
                    for f in &s.fields {
                        named_in(&f.ty, &mut stack);
                    }
                }
            }
        }
    }

    fn pagination(&self, method: Method, req: &[Param], opt: &[Param], success: Option<&Ty>) -> Option<Pagination> {
        if method != Method::Get {
            return None;
        }
        let page_param = req.iter().chain(opt).find_map(|p| {
            if p.location != ParamLocation::Query {
                return None;
            }
            if p.wire == "page[number]" {
                return Some("page[number]".to_string());
            }
            if p.wire == "page" {
                if let Ty::Named(n) = &p.ty {
                    if let Some(TypeKind::Struct(s)) = self.types.get(n).map(|d| &d.kind) {
                        if s.fields.iter().any(|f| f.wire == "number") {
                            return Some("page[number]".to_string());
                        }
                    }
                }
            }
            None
        })?;
        let Some(Ty::Named(resp)) = success else { return None };
        let TypeKind::Struct(rs) = &self.types.get(resp)?.kind else { return None };
        let data = rs.fields.iter().find(|f| f.wire == "data")?;
        let Ty::Vec(item) = &data.ty else { return None };
        let meta = rs.fields.iter().find(|f| f.wire == "meta")?;
        let Ty::Named(meta_name) = &meta.ty else { return None };
        let TypeKind::Struct(ms) = &self.types.get(meta_name)?.kind else { return None };
        let pn = ms.fields.iter().find(|f| f.wire == "page_number" && matches!(f.ty, Ty::I64 | Ty::I32))?;
        let tp = ms.fields.iter().find(|f| f.wire == "total_pages" && matches!(f.ty, Ty::I64 | Ty::I32))?;
        Some(Pagination {
            page_param,
            item: (**item).clone(),
            data_field: data.ident.clone(),
            meta_field: meta.ident.clone(),
            page_number_field: pn.ident.clone(),
            total_pages_field: tp.ident.clone(),
        })
    }

    // ---------------------------------------------------------------- webhooks

    fn lower_webhooks(&mut self) -> Vec<WebhookEvent> {
        let mut events: BTreeMap<String, WebhookEvent> = BTreeMap::new();
        let spec = self.spec;
        if let Some(Value::Object(hooks)) = spec.raw.get("webhooks") {
            for (key, item) in hooks {
                let ptr = join("/webhooks", key);
                let Some(body) = item.pointer("/post/requestBody") else { continue };
                let body = match body.get("$ref").and_then(Value::as_str) {
                    Some(r) => match r.strip_prefix('#').and_then(|p| spec.raw.pointer(p)) {
                        Some(b) => b,
                        None => continue,
                    },
                    None => body,
                };
                let Some(schema_val) = body.pointer("/content/application~1json/schema") else { continue };
                let Ok(schema) = serde_json::from_value::<ReferenceOr<Schema>>(schema_val.clone()) else {
                    self.diags.warn("webhook-schema", &ptr, "the webhook body schema cannot be read; skipped");
                    continue;
                };
                let hint = format!("{}Event", naming::type_name(key));
                let (ty, _) = self.lower_ref_or(&schema, &hint, &join(&ptr, "post/requestBody"));
                let ty = match self.direct_event_type(&ty) {
                    Some(et) => self.wrap_event(&ty, &et, &ptr),
                    None => ty,
                };
                let event_type = self.event_type_of(&ty).unwrap_or_else(|| key.clone());
                let doc = item.pointer("/post/summary").or_else(|| item.pointer("/post/description")).and_then(Value::as_str).map(str::to_string);
                events.entry(event_type.clone()).or_insert(WebhookEvent { event_type, ident: String::new(), ty, doc });
            }
        }
        if events.is_empty() {
            // 3.0 documents have no `webhooks`: take component schemas whose
            // `data.event_type` is a single fixed value.
            let mut keys: Vec<String> = self.component_names.keys().cloned().collect();
            keys.sort();
            for key in keys {
                let (ty, _) = self.component(&key);
                if let Some(event_type) = self.direct_event_type(&ty) {
                    // The schema is the `data` part only: wrap it in the
                    // envelope Telnyx delivers (`{data, meta}`).
                    let wrapped = self.wrap_event(&ty, &event_type, &join("/components/schemas", &key));
                    let doc = Some(format!("The delivered `{event_type}` webhook: its `data` and delivery `meta`."));
                    events.entry(event_type.clone()).or_insert(WebhookEvent { event_type, ident: String::new(), ty: wrapped, doc });
                    continue;
                }
                if let Some(event_type) = self.event_type_of(&ty) {
                    let doc = match &ty {
                        Ty::Named(n) => self.types.get(n).and_then(|d| d.doc.clone()),
                        _ => None,
                    };
                    events.entry(event_type.clone()).or_insert(WebhookEvent { event_type, ident: String::new(), ty, doc });
                }
            }
        }
        let mut scope = Scope::with_reserved(&["Unknown"]);
        events
            .into_values()
            .map(|mut e| {
                e.ident = scope.claim(&naming::type_name(&e.event_type));
                e
            })
            .collect()
    }

    /// Wraps an event's `data` schema in the delivered envelope `{data, meta}`
    /// (one named type per event, `{Data}Webhook`, the same for 3.0 and 3.1).
    fn wrap_event(&mut self, data: &Ty, event_type: &str, origin: &str) -> Ty {
        let Ty::Named(inner) = data else { return data.clone() };
        let name = format!("{inner}Webhook");
        if self.types.contains_key(&name) {
            return Ty::Named(name);
        }
        let name = self.type_scope.claim(&name);
        let doc = Some(format!("The delivered `{event_type}` webhook: its `data` and delivery `meta`."));
        let fields = vec![
            Field { wire: "data".into(), ident: "data".into(), ty: data.clone(), required: true, nullable: false, doc: Some("The event.".into()) },
            Field { wire: "meta".into(), ident: "meta".into(), ty: Ty::Map(Box::new(Ty::Json)), required: false, nullable: false, doc: Some("Delivery details (attempt, delivered_to).".into()) },
        ];
        self.insert_type(name, doc, origin, TypeKind::Struct(Struct { fields, additional: Ty::Json, additional_name: "extra".into(), keep_unknown: true }))
    }

    /// `event_type` of a schema that is an event's `data` part (3.0 documents).
    fn direct_event_type(&self, ty: &Ty) -> Option<String> {
        let Ty::Named(n) = ty else { return None };
        let TypeKind::Struct(s) = &self.types.get(n)?.kind else { return None };
        if !s.fields.iter().any(|f| f.wire == "payload") {
            return None;
        }
        let et = s.fields.iter().find(|f| f.wire == "event_type")?;
        let Ty::Named(en) = &et.ty else { return None };
        let TypeKind::Enum(e) = &self.types.get(en)?.kind else { return None };
        (e.variants.len() == 1).then(|| e.variants[0].wire.clone())
    }

    /// `data.event_type` of an event envelope, when it is a single fixed value.
    fn event_type_of(&self, ty: &Ty) -> Option<String> {
        let Ty::Named(n) = ty else { return None };
        let TypeKind::Struct(s) = &self.types.get(n)?.kind else { return None };
        let data = s.fields.iter().find(|f| f.wire == "data")?;
        let Ty::Named(dn) = &data.ty else { return None };
        let TypeKind::Struct(ds) = &self.types.get(dn)?.kind else { return None };
        let et = ds.fields.iter().find(|f| f.wire == "event_type")?;
        let Ty::Named(en) = &et.ty else { return None };
        let TypeKind::Enum(e) = &self.types.get(en)?.kind else { return None };
        (e.variants.len() == 1).then(|| e.variants[0].wire.clone())
    }
}

fn named_in(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(n) => out.push(n.clone()),
        Ty::Vec(t) | Ty::Map(t) | Ty::Boxed(t) => named_in(t, out),
        _ => {}
    }
}

fn string_ty(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Ty {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Ty::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Ty::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Ty::Binary,
        _ => Ty::String,
    }
}

/// Which encoding a media type means.
pub fn encoding_of(media: &str) -> BodyEncoding {
    let m = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if m == "application/json" || m.ends_with("+json") || m == "*/*" || m == "application/*" {
        BodyEncoding::Json
    } else if m == "multipart/form-data" || m.starts_with("multipart/") {
        BodyEncoding::Multipart
    } else if m == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else {
        BodyEncoding::Binary
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Boxes every by-value edge that closes a cycle (both ends in one strongly
/// connected component), so recursive types have a finite size.
fn box_cycles(types: &mut BTreeMap<String, TypeDef>) {
    let names: Vec<String> = types.keys().cloned().collect();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    for (i, n) in names.iter().enumerate() {
        let mut out = Vec::new();
        match &types[n].kind {
            TypeKind::Struct(s) => s.fields.iter().for_each(|f| by_value(&f.ty, &mut out)),
            TypeKind::Union(u) => u.variants.iter().for_each(|v| by_value(&v.ty, &mut out)),
            TypeKind::Alias(t) => by_value(t, &mut out),
            TypeKind::Enum(_) => {}
        }
        edges[i] = out.iter().filter_map(|o| index.get(o.as_str()).copied()).collect();
    }
    let comp = tarjan(&edges);
    for (i, n) in names.iter().enumerate() {
        let Some(def) = types.get_mut(n) else { continue };
        let same = |t: &Ty| -> bool {
            let mut out = Vec::new();
            by_value(t, &mut out);
            out.iter().any(|o| index.get(o.as_str()).is_some_and(|&j| comp[j] == comp[i]))
        };
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for f in s.fields.iter_mut() {
                    if same(&f.ty) {
                        f.ty = Ty::Boxed(Box::new(f.ty.clone()));
                    }
                }
            }
            TypeKind::Union(u) => {
                for v in u.variants.iter_mut() {
                    if same(&v.ty) {
                        v.ty = Ty::Boxed(Box::new(v.ty.clone()));
                    }
                }
            }
            _ => {}
        }
    }
}

fn by_value(ty: &Ty, out: &mut Vec<String>) {
    if let Ty::Named(n) = ty {
        out.push(n.clone());
    }
}

/// Iterative Tarjan SCC: component id per node.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut ei)) = call.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *ei < edges[v].len() {
                let w = edges[v][*ei];
                *ei += 1;
                if index[w] == usize::MAX {
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
    }
    comp
}
