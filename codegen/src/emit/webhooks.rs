//! The webhook event enum, dispatched on `data.event_type`.

use super::ty_tokens;
use crate::ir::*;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// `WebhookEvent` with one variant per event and an `Unknown` catch-all.
///
/// With per-resource features, the variants (and the event types they
/// carry) are behind the webhook events' feature; without it every event
/// arrives as `Unknown`.
pub fn emit(api: &Api, features: Option<&super::features::FeaturePlan>) -> TokenStream {
    if api.webhooks.is_empty() {
        return quote! {
            /// A webhook the API sends (the spec declares no event types).
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            pub enum WebhookEvent {
                /// An event type this version does not know; the JSON is kept intact.
                Unknown(::serde_json::Value),
            }

            impl WebhookEvent {
                /// Every event type this version knows (none).
                pub const EVENT_TYPES: &'static [&'static str] = &[];

                /// The `data.event_type` of this event.
                pub fn event_type(&self) -> &str {
                    match self {
                        Self::Unknown(value) => value
                            .pointer("/data/event_type")
                            .and_then(::serde_json::Value::as_str)
                            .unwrap_or(""),
                    }
                }
            }
        };
    }
    let idents: Vec<_> = api.webhooks.iter().map(|e| ident(&e.ident)).collect();
    let tys: Vec<_> = api.webhooks.iter().map(|e| ty_tokens(&e.ty)).collect();
    let wires: Vec<&str> = api.webhooks.iter().map(|e| e.event_type.as_str()).collect();
    let gate = features.and_then(|f| f.webhooks_cfg());
    let gates = vec![gate.clone(); api.webhooks.len()];
    let event_types = match &gate {
        Some(_) => quote! {
            /// Every event type this version knows (with the webhook events' feature).
            #[cfg(feature = "webhook-events")]
            pub const EVENT_TYPES: &'static [&'static str] = &[#(#wires),*];
            /// Every event type this version knows (none: the webhook events' feature is off).
            #[cfg(not(feature = "webhook-events"))]
            pub const EVENT_TYPES: &'static [&'static str] = &[];
        },
        None => quote! {
            /// Every event type this version knows.
            pub const EVENT_TYPES: &'static [&'static str] = &[#(#wires),*];
        },
    };
    let allow_single = gate.as_ref().map(|_| quote! { #[allow(clippy::match_single_binding)] });
    let docs = api.webhooks.iter().map(|e| match &e.doc {
        Some(d) => format!(" `{}`: {}", super::docs::code(&e.event_type), super::docs::sanitize(d).replace('\n', " ")),
        None => format!(" `{}`.", super::docs::code(&e.event_type)),
    });
    quote! {
        /// A webhook the API sends, dispatched on `data.event_type`.
        ///
        /// Parse it with [`crate::webhooks::WebhookVerifier::unwrap`], which checks the
        /// signature first. Event types this version does not know arrive as
        /// [`WebhookEvent::Unknown`] with their JSON intact.
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum WebhookEvent {
            #( #[doc = #docs] #gates #idents(#tys), )*
            /// An event type this version does not know; the JSON is kept intact.
            Unknown(::serde_json::Value),
        }

        impl WebhookEvent {
            #event_types

            /// The `data.event_type` of this event.
            pub fn event_type(&self) -> &str {
                match self {
                    #( #gates Self::#idents(_) => #wires, )*
                    Self::Unknown(value) => value
                        .pointer("/data/event_type")
                        .and_then(::serde_json::Value::as_str)
                        .unwrap_or(""),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for WebhookEvent {
            #allow_single
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let event_type = value
                    .pointer("/data/event_type")
                    .and_then(::serde_json::Value::as_str)
                    .map(::std::borrow::ToOwned::to_owned);
                match event_type.as_deref() {
                    #( #gates ::std::option::Option::Some(#wires) => ::serde_json::from_value(value).map(Self::#idents).map_err(::serde::de::Error::custom), )*
                    _ => ::std::result::Result::Ok(Self::Unknown(value)),
                }
            }
        }

        impl ::serde::Serialize for WebhookEvent {
            #allow_single
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( #gates Self::#idents(event) => ::serde::Serialize::serialize(event, serializer), )*
                    Self::Unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }
    }
}
