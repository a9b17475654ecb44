//! `generated/config.rs`: the crate's identity and settings, read by the
//! hand-written runtime (which holds no API-specific value): name and
//! `User-Agent` token, environment variables, default base URL, security
//! schemes and per-operation requirements, webhook scheme, error body type.

use super::ty_tokens;
use crate::config::{CrateConfig, WebhookScheme};
use crate::ir::*;
use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

/// The resolved identity of a crate (also used by [`crate::package`]).
#[derive(Debug, Clone)]
pub struct Identity {
    /// Package name.
    pub crate_name: String,
    /// `User-Agent` product token.
    pub sdk_name: String,
    /// Environment-variable prefix.
    pub env_prefix: String,
    /// Default base URL (empty when the document gives no absolute one).
    pub base_url: String,
    /// The first server URL as written (after server variables).
    pub server_url: String,
    /// Per scheme: (env var of the token or user name, env var of the password).
    pub scheme_env: Vec<(String, String)>,
    /// Index of the scheme `ClientBuilder::api_key` sets.
    pub primary: Option<usize>,
    /// Environment variable of the webhook key or secret.
    pub webhook_env: String,
    /// Webhook scheme.
    pub webhook_scheme: WebhookScheme,
    /// The API-wide idempotency header of the crate config (`POST`/`PATCH`).
    pub idempotency_header: Option<String>,
}

impl Identity {
    /// Resolves names from the config and the API.
    pub fn new(api: &Api, cfg: &CrateConfig) -> Identity {
        let crate_name = cfg.crate_name(&api.title);
        let env_prefix = cfg.env_prefix(&crate_name);
        let server_url = api.base_url.clone().unwrap_or_default();
        let base_url = match &cfg.base_url {
            Some(u) => u.clone(),
            None if server_url.starts_with("http://") || server_url.starts_with("https://") => server_url.clone(),
            None => String::new(),
        };
        let schemes = &api.security.schemes;
        let index = |name: &str| schemes.iter().position(|s| s.name == name);
        let is_token = |i: &usize| schemes[*i].kind != AuthKind::Basic;
        // `ClientBuilder::api_key` feeds an API-key scheme (header, query or
        // cookie) when there is one, even when an OAuth2 or bearer scheme is
        // declared first (Petstore: `petstore_auth`, then `api_key`): a key
        // sent as `Authorization: Bearer` reaches no operation that wants
        // it. The default security's schemes are preferred, then the
        // document's order; without an API-key scheme, the first token one.
        let is_api_key = |i: &usize| matches!(schemes[*i].kind, AuthKind::Header(_) | AuthKind::Query(_) | AuthKind::Cookie(_));
        let default_order: Vec<usize> = api.security.default.iter().flatten().filter_map(|n| index(n)).collect();
        let primary = default_order
            .iter()
            .copied()
            .find(is_api_key)
            .or_else(|| (0..schemes.len()).find(is_api_key))
            .or_else(|| default_order.iter().copied().find(is_token))
            .or_else(|| (0..schemes.len()).find(is_token));
        let token_beside_key = primary
            .filter(is_api_key)
            .and_then(|_| (0..schemes.len()).find(|i| matches!(schemes[*i].kind, AuthKind::OAuth2 | AuthKind::Bearer)));
        let primary_basic = api
            .security
            .default
            .iter()
            .flatten()
            .filter_map(|n| index(n))
            .find(|i| !is_token(i))
            .or_else(|| (0..schemes.len()).find(|i| !is_token(i)));
        let scheme_env = schemes
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let own = format!("{env_prefix}_{}", s.name.to_shouty_snake_case());
                match &s.kind {
                    AuthKind::Basic if Some(i) == primary_basic => (format!("{env_prefix}_USERNAME"), format!("{env_prefix}_PASSWORD")),
                    AuthKind::Basic => (format!("{own}_USERNAME"), format!("{own}_PASSWORD")),
                    AuthKind::OAuth2 if Some(i) == primary => (format!("{env_prefix}_ACCESS_TOKEN"), String::new()),
                    // The token `ClientBuilder::bearer_token` feeds, beside an API-key primary.
                    AuthKind::OAuth2 | AuthKind::Bearer if Some(i) == token_beside_key => (format!("{env_prefix}_ACCESS_TOKEN"), String::new()),
                    _ if Some(i) == primary => (format!("{env_prefix}_API_KEY"), String::new()),
                    _ => (own, String::new()),
                }
            })
            .collect();
        let webhook_scheme = cfg.webhooks.scheme;
        let webhook_env = match webhook_scheme {
            WebhookScheme::Ed25519 => format!("{env_prefix}_PUBLIC_KEY"),
            WebhookScheme::Standard => format!("{env_prefix}_WEBHOOK_SECRET"),
        };
        Identity {
            sdk_name: cfg.user_agent(&crate_name),
            crate_name,
            env_prefix,
            base_url,
            server_url,
            scheme_env,
            primary,
            webhook_env,
            webhook_scheme,
            idempotency_header: cfg.idempotency_header.clone().filter(|h| !h.trim().is_empty()),
        }
    }
}

/// The tokens of `generated/config.rs`.
pub fn emit(api: &Api, id: &Identity) -> TokenStream {
    let Identity { crate_name, sdk_name, env_prefix, base_url, server_url, .. } = id;
    let ed_env = format!("{env_prefix}_PUBLIC_KEY");
    let secret_env = format!("{env_prefix}_WEBHOOK_SECRET");
    let base_url_env = format!("{env_prefix}_BASE_URL");
    let primary_env = id.primary.and_then(|i| id.scheme_env.get(i)).map(|(e, _)| e.clone()).unwrap_or_default();
    let trace_span = format!("{}_request", env_prefix.to_ascii_lowercase());
    let lower = env_prefix.to_ascii_lowercase().replace('_', "-");
    let ed_sig = format!("{lower}-signature-ed25519");
    let ed_ts = format!("{lower}-timestamp");
    let setters = scheme_setters(api, id);
    let schemes = api.security.schemes.iter().zip(&id.scheme_env).zip(&setters).map(|((s, (env, password_env)), setter)| {
        let name = &s.name;
        let setter = &setter.method;
        let kind = match (&s.kind, &s.token_url) {
            // The runtime fetches the token itself when given client credentials.
            (AuthKind::OAuth2, Some(url)) => quote! { crate::auth::SchemeKind::OAuth2ClientCredentials(#url) },
            (AuthKind::Bearer, _) => quote! { crate::auth::SchemeKind::Bearer },
            (AuthKind::OAuth2, _) => quote! { crate::auth::SchemeKind::OAuth2 },
            (AuthKind::Basic, _) => quote! { crate::auth::SchemeKind::Basic },
            (AuthKind::Header(h), _) => quote! { crate::auth::SchemeKind::Header(#h) },
            (AuthKind::Query(q), _) => quote! { crate::auth::SchemeKind::Query(#q) },
            (AuthKind::Cookie(c), _) => quote! { crate::auth::SchemeKind::Cookie(#c) },
        };
        quote! { crate::auth::Scheme { name: #name, kind: #kind, env: #env, password_env: #password_env, setter: #setter }, }
    });
    let index = |name: &String| api.security.schemes.iter().position(|s| &s.name == name);
    let reqs = |alts: &Vec<Vec<String>>| {
        let alts = alts.iter().map(|alt| {
            let ids = alt.iter().filter_map(index);
            quote! { &[#(#ids),*] }
        });
        quote! { &[#(#alts),*] }
    };
    let default = reqs(&api.security.default);
    let arms: Vec<TokenStream> = api
        .security
        .per_operation
        .iter()
        .map(|(op, alts)| {
            let r = reqs(alts);
            quote! { #op => #r, }
        })
        .collect();
    let body = if arms.is_empty() {
        quote! { let _ = operation_id; DEFAULT_SECURITY }
    } else {
        quote! { match operation_id { #(#arms)* _ => DEFAULT_SECURITY, } }
    };
    let named_setters = named_setter_tokens(api, &setters);
    let idempotency = idempotency_headers(api, id);
    let api_idempotency = id.idempotency_header.clone().unwrap_or_default();
    let idempotency_body = if idempotency.is_empty() {
        quote! { let _ = operation_id; None }
    } else {
        let arms = idempotency.iter().map(|(op, header)| quote! { #op => Some(#header), });
        quote! { match operation_id { #(#arms)* _ => None, } }
    };
    let verifier = match id.webhook_scheme {
        WebhookScheme::Ed25519 => quote! { crate::webhooks::Ed25519Verifier },
        WebhookScheme::Standard => quote! { crate::webhooks::StandardWebhooksVerifier },
    };
    let error_body = match &api.error_body {
        Some(t) => ty_tokens(t),
        None => quote! { ::serde_json::Value },
    };
    let error_doc = match &api.error_body {
        Some(Ty::Named(n)) => format!(" The error body the document declares for error responses ([`{n}`](crate::types::{n}))."),
        _ => " The document declares no error body schema: errors keep the raw JSON.".to_string(),
    };
    quote! {
        /// The package name.
        pub const CRATE_NAME: &str = #crate_name;
        /// Product token of the `User-Agent` header (`{SDK_NAME}/{version}`).
        pub const SDK_NAME: &str = #sdk_name;
        /// Prefix of the environment variables the client reads.
        pub const ENV_PREFIX: &str = #env_prefix;
        /// Base URL used when none is configured; empty when the document
        /// gives no absolute server URL (then a base URL must be configured).
        pub const DEFAULT_BASE_URL: &str = #base_url;
        /// The document's first server URL, as written (server variables
        /// replaced by their defaults).
        pub const SERVER_URL: &str = #server_url;
        /// Name of the `tracing` span of each request attempt.
        pub const TRACE_SPAN: &str = #trace_span;
        /// Environment variable that overrides the base URL.
        pub const BASE_URL_ENV: &str = #base_url_env;
        /// Environment variable read for the API key or token of the main
        /// security scheme (empty when the API declares none).
        pub const API_KEY_ENV: &str = #primary_env;
        /// Environment variable read for the Ed25519 webhook public key.
        pub const ED25519_PUBLIC_KEY_ENV: &str = #ed_env;
        /// Environment variable read for the Standard Webhooks secret.
        pub const WEBHOOK_SECRET_ENV: &str = #secret_env;
        /// Header with the base64 Ed25519 signature (Ed25519 webhooks).
        pub const ED25519_SIGNATURE_HEADER: &str = #ed_sig;
        /// Header with the unix timestamp the Ed25519 signature covers.
        pub const ED25519_TIMESTAMP_HEADER: &str = #ed_ts;
        /// The document's security schemes, in document order.
        pub const SECURITY_SCHEMES: &[crate::auth::Scheme] = &[#(#schemes)*];
        /// The top-level `security`: alternatives of scheme indexes.
        pub const DEFAULT_SECURITY: &[&[usize]] = #default;
        /// The security requirement of an operation (by operation id).
        pub fn operation_security(operation_id: &str) -> &'static [&'static [usize]] {
            #body
        }
        /// The idempotency header the crate config says the API honours on
        /// every `POST` and `PATCH` (empty when it names none); sent by
        /// `Request::idempotency_key` where an operation declares none.
        pub const IDEMPOTENCY_HEADER: &str = #api_idempotency;
        /// The idempotency header of an operation (by operation id): a
        /// header parameter named like `Idempotency-Key` that it declares,
        /// else [`IDEMPOTENCY_HEADER`] for a `POST` or `PATCH`. The client
        /// sends a fresh key in it per call, the same on every retry.
        pub fn idempotency_header(operation_id: &str) -> Option<&'static str> {
            #idempotency_body
        }
        /// The webhook verifier of this API's signature scheme.
        pub type WebhookVerifier = #verifier;
        #[doc = #error_doc]
        pub type ErrorBody = #error_body;
        #named_setters
    }
}

/// Which builder method sets one scheme's credential.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeSetter {
    /// The method of `ClientBuilder` (`api_key`, `bearer_token_admin`, ...).
    pub method: String,
    /// Whether the method is generated for this scheme (its kind has
    /// several schemes) rather than the runtime's setter of the kind.
    pub named: bool,
}

/// The setter of each scheme, in document order. A scheme alone of its
/// kind (API key in a header, query or cookie; HTTP bearer; OAuth2 or
/// OpenID Connect; HTTP basic) is set by the runtime's setter of that kind
/// (`api_key`, `bearer_token`, `oauth2_token`, `basic_auth`; the main
/// scheme of an API without an API-key scheme by `api_key` too), whose name
/// says where the secret goes. When a kind has several schemes, the kind's
/// setter reaches only one of them, so each gets a generated setter named
/// after it (`api_key_store_key`): the name still says the kind, and no
/// scheme name has to be typed as a string.
pub fn scheme_setters(api: &Api, id: &Identity) -> Vec<SchemeSetter> {
    let schemes = &api.security.schemes;
    let group = |k: &AuthKind| match k {
        AuthKind::Header(_) | AuthKind::Query(_) | AuthKind::Cookie(_) => "api_key",
        AuthKind::Bearer => "bearer_token",
        AuthKind::OAuth2 => "oauth2_token",
        AuthKind::Basic => "basic_auth",
    };
    let mut taken: Vec<String> = Vec::new();
    schemes
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let kind = group(&s.kind);
            let several = schemes.iter().filter(|o| group(&o.kind) == kind).count() > 1;
            if !several {
                // The main token scheme of an API without an API-key scheme is
                // what that API calls its API key (Telnyx's bearer token); an
                // OAuth2 one keeps its own name.
                let method = if Some(i) == id.primary && kind != "oauth2_token" { "api_key" } else { kind };
                return SchemeSetter { method: method.to_string(), named: false };
            }
            let mut method = format!("{kind}_{}", crate::naming::unraw(&crate::naming::field_name(&s.name)));
            // Two names that read alike (`apiKey`, `api_key`) get their index.
            if taken.contains(&method) {
                method = format!("{method}_{i}");
            }
            taken.push(method.clone());
            SchemeSetter { method, named: true }
        })
        .collect()
}

/// `impl ClientBuilder` with the generated per-scheme setters (none when
/// every kind has one scheme).
fn named_setter_tokens(api: &Api, setters: &[SchemeSetter]) -> TokenStream {
    let methods: Vec<TokenStream> = api
        .security
        .schemes
        .iter()
        .zip(setters)
        .filter(|(_, s)| s.named)
        .map(|(scheme, setter)| {
            let name = &scheme.name;
            let method = crate::naming::ident(&setter.method);
            let place = match &scheme.kind {
                AuthKind::Header(h) => format!("the API key of the security scheme `{name}`, sent in the `{h}` header"),
                AuthKind::Query(q) => format!("the API key of the security scheme `{name}`, sent as the `{q}` query parameter"),
                AuthKind::Cookie(c) => format!("the API key of the security scheme `{name}`, sent in the `{c}` cookie"),
                AuthKind::Bearer => format!("the token of the HTTP bearer security scheme `{name}`, sent as `Authorization: Bearer`"),
                AuthKind::OAuth2 => format!("the access token of the OAuth2 security scheme `{name}`, sent as `Authorization: Bearer`"),
                AuthKind::Basic => format!("the user name and password of the HTTP basic security scheme `{name}`"),
            };
            let doc = format!(
                " Sets {place} (the API declares several schemes of this kind: each has its setter). Same as `credential({name:?}, ..)`."
            );
            let mut out = if scheme.kind == AuthKind::Basic {
                quote! {
                    #[doc = #doc]
                    pub fn #method(self, user: impl Into<String>, password: impl Into<String>) -> Self {
                        self.basic_credential(#name, user, password)
                    }
                }
            } else {
                quote! {
                    #[doc = #doc]
                    pub fn #method(self, secret: impl Into<String>) -> Self {
                        self.credential(#name, secret)
                    }
                }
            };
            if scheme.kind == AuthKind::OAuth2 && scheme.token_url.is_some() {
                let cc = crate::naming::ident(&setter.method.replacen("oauth2_token", "client_credentials", 1));
                let doc = format!(
                    " The client id and secret of the OAuth2 security scheme `{name}`, exchanged at its token URL for an access token. Same as `basic_credential({name:?}, ..)`."
                );
                out.extend(quote! {
                    #[doc = #doc]
                    pub fn #cc(self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                        self.basic_credential(#name, client_id, client_secret)
                    }
                });
            }
            out
        })
        .collect();
    if methods.is_empty() {
        return TokenStream::new();
    }
    quote! {
        /// One setter per security scheme where the API declares several of
        /// a kind (the kind's own setter reaches only one of them).
        impl crate::ClientBuilder {
            #(#methods)*
        }
    }
}

/// Whether a header parameter's name is an idempotency header
/// (`Idempotency-Key`, `X-Idempotency-Key`, `idempotency_key`, any case).
fn is_idempotency_header(name: &str) -> bool {
    let norm: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    norm == "idempotencykey" || norm == "xidempotencykey"
}

/// `(operation id, header)` of every operation with an idempotency header:
/// the header parameter it declares, else the crate config's API-wide
/// header for a `POST` or `PATCH`; sorted by operation id.
pub fn idempotency_headers(api: &Api, id: &Identity) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = api
        .operations
        .iter()
        .filter_map(|op| {
            let declared = op
                .required_params
                .iter()
                .chain(&op.optional_params)
                .find(|p| p.location == ParamLocation::Header && is_idempotency_header(&p.wire))
                .map(|p| p.wire.clone());
            let api_wide = || id.idempotency_header.clone().filter(|_| matches!(op.method, Method::Post | Method::Patch));
            declared.or_else(api_wide).map(|h| (op.id.clone(), h))
        })
        .collect();
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

#[cfg(test)]
mod tests {
    use super::is_idempotency_header;
    use crate::config::CrateConfig;
    use crate::{generate_str, EmitConfig};

    /// A document declaring `Idempotency-Key` (a shared `$ref` parameter, as
    /// Telnyx's full document does for `POST /email_messages`) and a config
    /// naming an API-wide header: the generated config records both.
    #[test]
    fn generated_config_records_idempotency_headers() {
        let doc = r##"
openapi: 3.0.3
info: {title: Idem, version: "1"}
servers: [{url: "https://api.example.com"}]
components:
  parameters:
    IdempotencyKey:
      name: Idempotency-Key
      in: header
      required: false
      schema: {type: string}
paths:
  /messages:
    post:
      operationId: SendMessage
      parameters: [{$ref: "#/components/parameters/IdempotencyKey"}]
      responses: {"200": {description: ok}}
    get:
      operationId: ListMessages
      responses: {"200": {description: ok}}
  /messages/{id}:
    patch:
      operationId: UpdateMessage
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
"##;
        let config = |extra: &str| EmitConfig {
            crate_config: CrateConfig::from_toml(extra, "t.toml").unwrap(),
            ..EmitConfig::default()
        };
        let generated = generate_str(doc, false, &config("")).unwrap();
        let text = &generated.files["config.rs"];
        assert!(text.contains(r#""SendMessage" => Some("Idempotency-Key")"#), "{text}");
        assert!(!text.contains("UpdateMessage") && !text.contains("ListMessages"), "{text}");
        assert!(text.contains(r#"pub const IDEMPOTENCY_HEADER: &str = "";"#), "{text}");

        let generated = generate_str(doc, false, &config("idempotency-header = \"X-Request-Key\"\n")).unwrap();
        let text = &generated.files["config.rs"];
        assert!(text.contains(r#""SendMessage" => Some("Idempotency-Key")"#), "{text}");
        assert!(text.contains(r#""UpdateMessage" => Some("X-Request-Key")"#), "{text}");
        assert!(!text.contains("ListMessages"), "{text}");
        assert!(text.contains(r#"pub const IDEMPOTENCY_HEADER: &str = "X-Request-Key";"#), "{text}");
    }

    #[test]
    fn idempotency_header_names() {
        for name in ["Idempotency-Key", "idempotency-key", "X-Idempotency-Key", "IDEMPOTENCY_KEY"] {
            assert!(is_idempotency_header(name), "{name}");
        }
        for name in ["Idempotency", "X-Request-Id", "Key"] {
            assert!(!is_idempotency_header(name), "{name}");
        }
    }
}
