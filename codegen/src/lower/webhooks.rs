//! Webhook events: the 3.1 `webhooks` map, or (3.0) component schemas whose
//! `data.event_type` is a single fixed value.

use super::*;

impl<'a> Lowerer<'a> {
    pub(super) fn lower_webhooks(&mut self) -> Vec<WebhookEvent> {
        let mut events: BTreeMap<String, WebhookEvent> = BTreeMap::new();
        let spec = self.spec;
        if let Some(Value::Object(hooks)) = spec.raw.get("webhooks") {
            for (key, item) in hooks {
                let ptr = join("/webhooks", key);
                let Some(body) = item.pointer("/post/requestBody") else { continue };
                let (body, body_ptr) = match body.get("$ref").and_then(Value::as_str) {
                    Some(r) => match r.strip_prefix('#').and_then(|p| Some((spec.raw.pointer(p)?, p.to_string()))) {
                        Some(b) => b,
                        None => continue,
                    },
                    None => (body, join(&join(&ptr, "post"), "requestBody")),
                };
                let Some(schema_val) = body.pointer("/content/application~1json/schema") else { continue };
                let Ok(schema) = serde_json::from_value::<ReferenceOr<Schema>>(schema_val.clone()) else {
                    self.diags.warn("webhook-schema", &ptr, "the webhook body schema cannot be read; skipped");
                    continue;
                };
                let hint = format!("{}Event", naming::type_name(key));
                let schema_ptr = format!("{body_ptr}/content/application~1json/schema");
                let (ty, _) = self.lower_ref_or(&schema, &hint, &schema_ptr);
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
    pub(super) fn wrap_event(&mut self, data: &Ty, event_type: &str, origin: &str) -> Ty {
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
    pub(super) fn direct_event_type(&self, ty: &Ty) -> Option<String> {
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
    pub(super) fn event_type_of(&self, ty: &Ty) -> Option<String> {
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
