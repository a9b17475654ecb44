//! Operations and their parameters (path, query, header), the optional
//! parameters struct, and which types are request inputs.

use super::*;

impl<'a> Lowerer<'a> {
    /// The parameter at `ptr` and the pointer of its definition (the `$ref`
    /// target for a shared one).
    pub(super) fn resolve_parameter<'s>(&mut self, p: &'s ReferenceOr<Parameter>, ptr: &str) -> Option<(std::borrow::Cow<'s, Parameter>, String)> {
        match p {
            ReferenceOr::Item(p) => Some((std::borrow::Cow::Borrowed(p), ptr.to_string())),
            ReferenceOr::Reference { reference } => {
                let spec = self.spec;
                if let Some(key) = reference.strip_prefix("#/components/parameters/") {
                    if let Some(ReferenceOr::Item(p)) =
                        spec.openapi.components.as_ref().and_then(|c| c.parameters.get(&unescape(key)))
                    {
                        return Some((std::borrow::Cow::Owned(p.clone()), join("/components/parameters", &unescape(key))));
                    }
                }
                if let Some((tptr, target)) = reference.strip_prefix('#').and_then(|p| Some((p, spec.raw.pointer(p)?))) {
                    if let Ok(p) = serde_json::from_value::<Parameter>(target.clone()) {
                        return Some((std::borrow::Cow::Owned(p), tptr.to_string()));
                    }
                }
                self.diags.warn("dangling-ref", ptr, format!("parameter `$ref: {reference}` cannot be resolved; skipped"));
                None
            }
        }
    }

    pub(super) fn lower_operation(&mut self, plan: PlannedOp<'a>) -> Result<Option<Operation>, Error> {
        let PlannedOp { path, method, op, item, id, resource, name, pointer, .. } = plan;
        let prefix = op_prefix(&resource, &name);

        // Parameters: operation-level override path-level (same name and
        // location); within one level an inline definition beats a shared
        // `$ref`'d one, else the first is kept.
        // (parameter, pointer where it is listed, pointer of its definition)
        let mut params: Vec<(Parameter, String, String)> = Vec::new();
        let mut seen: HashMap<(String, &'static str), usize> = HashMap::new();
        let op_params = op.parameters.iter().enumerate().map(|(i, p)| (p, join(&join(&pointer, "parameters"), &i.to_string())));
        let path_ptr = join("/paths", &path);
        let item_params = item.parameters.iter().enumerate().map(|(i, p)| (p, join(&join(&path_ptr, "parameters"), &i.to_string())));
        for (p, pptr) in op_params.chain(item_params) {
            let Some((p, def_ptr)) = self.resolve_parameter(p, &pptr) else { continue };
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
            if let Some(&at) = seen.get(&key) {
                let same_level = params[at].1.starts_with(&pointer) == pptr.starts_with(&pointer);
                if same_level {
                    // The kept one is shared (defined elsewhere), this one inline.
                    let replace = params[at].2 != params[at].1 && def_ptr == pptr;
                    let which = if replace { "this inline definition is kept over the shared one" } else { "the first is kept" };
                    self.diags.warn("duplicate-parameter", &pptr, format!("{} parameter `{}` is listed twice; {which}", loc, key.0));
                    if replace {
                        params[at] = (p.into_owned(), pptr, def_ptr);
                    }
                }
                continue;
            }
            seen.insert(key, params.len());
            params.push((p.into_owned(), pptr, def_ptr));
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
            let found = params.iter().position(|(p, _, _)| matches!(p, Parameter::Path { .. }) && &p.parameter_data_ref().name == tname);
            let (ty, doc, def_ptr) = match found {
                Some(i) => {
                    let (p, _, def_ptr) = &params[i];
                    let data = p.parameter_data_ref();
                    let ty = self.param_ty(&data.format, &format!("{prefix}{}", naming::type_name(&data.name)), def_ptr);
                    (ty, data.description.clone(), def_ptr.clone())
                }
                None => {
                    self.diags.warn("undeclared-path-parameter", &pointer, format!("path parameter `{tname}` is not declared; taken as a string"));
                    (Ty::String, None, String::new())
                }
            };
            let ty = match ty {
                Ty::I32 | Ty::I64 | Ty::F64 | Ty::Bool | Ty::String => ty,
                _ => Ty::String,
            };
            let ident = args.claim(&naming::field_name(tname));
            path_params.push(Param { wire: tname.clone(), ident, location: ParamLocation::Path, ty, required: true, doc, pointer: def_ptr, comma_separated: false });
        }
        let mut opt_scope = Scope::default();
        for (p, pptr, def_ptr) in &params {
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
            let ty = self.param_ty(&data.format, &format!("{prefix}{}", naming::type_name(&data.name)), def_ptr);
            // `style: form` (the query default) explodes arrays unless `explode: false`.
            // (Read for any type: an alias of an array is an array too; the
            // runtime joins arrays only.)
            let comma_separated = matches!(p, Parameter::Query { style: openapiv3::QueryStyle::Form, .. }) && data.explode == Some(false);
            let param = |ident: String| Param {
                comma_separated,
                wire: data.name.clone(),
                ident,
                location,
                ty: ty.clone(),
                required: data.required,
                doc: data.description.clone(),
                pointer: def_ptr.clone(),
            };
            if data.required {
                required_params.push(param(args.claim(&naming::field_name(&data.name))));
            } else {
                optional_params.push(param(opt_scope.claim(&naming::field_name(&data.name))));
            }
        }
        required_params.sort_by(|a, b| (a.location, &a.wire).cmp(&(b.location, &b.wire)));
        optional_params.sort_by(|a, b| (a.location, &a.wire).cmp(&(b.location, &b.wire)));

        let (body, body_required) = self.lower_request_body(op, &pointer, &prefix, &name);
        let responses = self.lower_responses(op, &pointer, &prefix);
        // A `HEAD` answer never has a body (RFC 9110 9.3.2), whatever schema
        // the document gives its `200`: the method returns nothing rather
        // than fail decoding an empty body.
        let success = if method == Method::Head {
            if responses.iter().any(|r| r.ty.is_some()) {
                self.diags.note("head-body", &pointer, "a HEAD response has no body; the schema its success response declares is not decoded");
            }
            None
        } else {
            self.pick_success(&responses, &prefix, &pointer)
        };

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

    pub(super) fn param_ty(&mut self, format: &ParameterSchemaOrContent, hint: &str, ptr: &str) -> Ty {
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

    pub(super) fn mark_input(&mut self, name: &str) {
        let mut stack = vec![name.to_string()];
        let mut seen = HashSet::new();
        while let Some(n) = stack.pop() {
            if !seen.insert(n.clone()) {
                continue;
            }
            if let Some(def) = self.types.get_mut(&n) {
                def.is_input = true;
                // Through fields, union members (a request body that is a
                // oneOf of structs: each member gets its builder) and aliases.
                match &def.kind {
                    TypeKind::Struct(s) => {
                        for f in &s.fields {
                            named_in(&f.ty, &mut stack);
                        }
                    }
                    TypeKind::Union(u) => {
                        for v in &u.variants {
                            named_in(&v.ty, &mut stack);
                        }
                    }
                    TypeKind::Alias(t) => named_in(t, &mut stack),
                    TypeKind::Enum(_) => {}
                }
            }
        }
    }
}

fn named_in(ty: &Ty, out: &mut Vec<String>) {
    out.extend(ty.named().map(str::to_string));
}
