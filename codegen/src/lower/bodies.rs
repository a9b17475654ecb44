//! Request bodies, media types and success responses.

use super::*;

impl<'a> Lowerer<'a> {
    /// The request body variants of an operation (one per encoding, the first is
    /// the primary) and whether the body is required.
    pub(super) fn lower_request_body(&mut self, op: &openapiv3::Operation, pointer: &str, prefix: &str, name: &str) -> (Vec<BodyVariant>, bool) {
        let mut body = Vec::new();
        let mut body_required = false;
        if let Some(rb) = &op.request_body {
            let bptr = join(pointer, "requestBody");
            if let Some((rb, bptr)) = self.resolve_request_body(rb, &bptr) {
                body_required = rb.required;
                let mut by_encoding: BTreeMap<BodyEncoding, (String, Ty, String)> = BTreeMap::new();
                for (media, mt) in rb.content.iter() {
                    let mut enc = encoding_of(media);
                    // `*/*` (or a JSON-ish type) whose schema is a file: the
                    // bytes are the body, not a JSON string.
                    if enc == BodyEncoding::Json && self.is_binary_schema(mt.schema.as_ref()) {
                        enc = BodyEncoding::Binary;
                    }
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
                    let media_ptr = join(&join(&bptr, "content"), media);
                    let mptr = join(&media_ptr, "schema");
                    let ty = match (&mt.schema, enc) {
                        (_, BodyEncoding::Binary) => Ty::Binary,
                        (Some(s), _) => self.lower_ref_or(s, &format!("{prefix}{suffix}"), &mptr).0,
                        (None, _) => Ty::Json,
                    };
                    by_encoding.insert(enc, (media.clone(), ty, media_ptr));
                }
                for (i, (enc, (media, ty, media_ptr))) in by_encoding.into_iter().enumerate() {
                    let method_name = if i == 0 {
                        name.to_string()
                    } else {
                        let suffix = match enc {
                            BodyEncoding::Json => "json",
                            BodyEncoding::Multipart => "multipart",
                            BodyEncoding::Form => "form",
                            BodyEncoding::Binary => "binary",
                        };
                        format!("{}_{suffix}", naming::unraw(name))
                    };
                    if let Ty::Named(n) = &ty {
                        self.mark_input(n);
                    }
                    body.push(BodyVariant { media_type: media, encoding: enc, ty, method_name, pointer: media_ptr });
                }
            }
        }
        (body, body_required)
    }

    /// Whether a media type's schema is a file (`type: string, format: binary`).
    fn is_binary_schema(&mut self, s: Option<&ReferenceOr<Schema>>) -> bool {
        let s = match s {
            Some(ReferenceOr::Item(s)) => s.clone(),
            Some(ReferenceOr::Reference { reference }) => {
                let Some(key) = reference.strip_prefix("#/components/schemas/") else { return false };
                match self.spec.openapi.components.as_ref().and_then(|c| c.schemas.get(&unescape(key))) {
                    Some(ReferenceOr::Item(s)) => s.clone(),
                    _ => return false,
                }
            }
            None => return false,
        };
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => super::schemas::string_ty(&st.format) == Ty::Binary,
            SchemaKind::Any(a) => a.format.as_deref() == Some("binary"),
            _ => false,
        }
    }

    /// The success (2XX) responses of an operation, in status order.
    pub(super) fn lower_responses(&mut self, op: &openapiv3::Operation, pointer: &str, prefix: &str) -> Vec<Response> {
        let mut responses = Vec::new();
        let mut codes: Vec<(&StatusCode, &ReferenceOr<openapiv3::Response>)> = op.responses.responses.iter().collect();
        codes.sort_by_key(|(c, _)| c.to_string());
        codes.retain(|(c, _)| c.to_string().starts_with('2'));
        // Several success bodies: each is named for its status
        // (`…CreatedResponse`), the union of them is `…Response`.
        // `204 No Content` and `205 Reset Content` never carry a body (RFC
        // 9110 15.3.5, 15.3.6), whatever the document declares for them:
        // decoding one failed on the empty answer (Vimeo's DELETEs declare
        // the deleted object under 204).
        let no_content = |c: &StatusCode| matches!(c.to_string().as_str(), "204" | "205");
        let with_body = codes.iter().filter(|(c, r)| !no_content(c) && !matches!(r, ReferenceOr::Item(r) if r.content.is_empty())).count();
        for (code, resp) in codes {
            let status = code.to_string();
            let rptr = join(&join(pointer, "responses"), &status);
            let hint = if with_body > 1 { format!("{prefix}{}Response", status_name(&status)) } else { format!("{prefix}Response") };
            let mut r = self.response_ty(status, resp, &hint, &rptr);
            if no_content(code) && r.ty.take().is_some() {
                self.diags.note("no-content-body", &rptr, "a 204/205 response has no body; the schema it declares is not decoded");
            }
            responses.push(r);
        }
        responses
    }

    /// The request body at `ptr` and the pointer of its definition.
    pub(super) fn resolve_request_body(&mut self, rb: &ReferenceOr<RequestBody>, ptr: &str) -> Option<(RequestBody, String)> {
        match rb {
            ReferenceOr::Item(rb) => Some((rb.clone(), ptr.to_string())),
            ReferenceOr::Reference { reference } => {
                let spec = self.spec;
                if let Some(key) = reference.strip_prefix("#/components/requestBodies/") {
                    if let Some(ReferenceOr::Item(rb)) = spec.openapi.components.as_ref().and_then(|c| c.request_bodies.get(&unescape(key))) {
                        return Some((rb.clone(), join("/components/requestBodies", &unescape(key))));
                    }
                }
                self.diags.warn("dangling-ref", ptr, format!("request body `$ref: {reference}` cannot be resolved; no body"));
                None
            }
        }
    }

    /// One success response: its body type (JSON first, else raw bytes).
    pub(super) fn response_ty(&mut self, status: String, resp: &ReferenceOr<openapiv3::Response>, hint: &str, ptr: &str) -> Response {
        let (resolved, rptr): (openapiv3::Response, String) = match resp {
            ReferenceOr::Item(r) => (r.clone(), ptr.to_string()),
            ReferenceOr::Reference { reference } => {
                let spec = self.spec;
                let found = reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|k| Some((spec.openapi.components.as_ref()?.responses.get(&unescape(k))?, join("/components/responses", &unescape(k)))));
                match found {
                    Some((ReferenceOr::Item(r), rptr)) => (r.clone(), rptr),
                    _ => {
                        self.diags.warn("dangling-ref", ptr, format!("response `$ref: {reference}` cannot be resolved; no body"));
                        return Response { status, ty: None, doc: None, pointer: ptr.to_string(), media_pointer: None, media_types: Vec::new() };
                    }
                }
            }
        };
        let ptr = rptr.as_str();
        let json = resolved.content.iter().find(|(m, _)| encoding_of(m) == BodyEncoding::Json);
        let (ty, media_pointer) = match json {
            Some((media, mt)) => {
                let media_ptr = join(&join(ptr, "content"), media);
                let ty = match &mt.schema {
                    Some(s) => self.lower_ref_or(s, hint, &join(&media_ptr, "schema")).0,
                    None => Ty::Json,
                };
                (Some(ty), Some(media_ptr))
            }
            None => match resolved.content.iter().next() {
                Some((media, _)) => {
                    self.diags.note("binary-response", ptr, format!("`{media}` response is returned as raw bytes"));
                    (Some(Ty::Binary), Some(join(&join(ptr, "content"), media)))
                }
                None => (None, None),
            },
        };
        let media_types = resolved.content.keys().cloned().collect();
        Response { status, ty, doc: Some(resolved.description), pointer: rptr.clone(), media_pointer, media_types }
    }

    pub(super) fn pick_success(&mut self, responses: &[Response], prefix: &str, ptr: &str) -> Option<Ty> {
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
                let mut variants = responses
                    .iter()
                    .filter_map(|r| r.ty.clone().map(|t| (r.status.clone(), t)))
                    .fold(Vec::<UnionVariant>::new(), |mut acc, (status, ty)| {
                        if !acc.iter().any(|v| v.ty == ty) {
                            let ident = scope.claim(&status_name(&status));
                            let shape = self.shape_of(&ty);
                            acc.push(UnionVariant { ident, ty, tags: vec![], shape });
                        }
                        acc
                    });
                variants.sort_by_key(|v| std::cmp::Reverse(super::unions::specificity(&v.shape)));
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

/// A variant name for a success status: its HTTP reason (`201` -> `Created`).
fn status_name(status: &str) -> String {
    match status {
        "200" => "Ok".into(),
        "201" => "Created".into(),
        "202" => "Accepted".into(),
        "203" => "NonAuthoritative".into(),
        "204" => "NoContent".into(),
        "206" => "PartialContent".into(),
        "2XX" | "2xx" => "Success".into(),
        other => format!("Status{}", naming::type_name(other)),
    }
}

