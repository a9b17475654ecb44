//! The per-crate config: what a generated crate needs that the OpenAPI
//! document cannot say. A small TOML file beside the spec (`spec/telnyx-fax.toml`
//! for `spec/telnyx-fax.yml`), read by `cargo xtask generate`; every key is
//! optional and the document supplies the rest.
//!
//! ```toml
//! name = "telnyx-fax"                 # package name (default: from info.title)
//! description = "Rust client for ..." # package description (default: info.summary/title)
//! env-prefix = "TELNYX"               # TELNYX_API_KEY, TELNYX_BASE_URL, ... (default: from name)
//! user-agent = "telnyx-fax-rust"      # product token of User-Agent (default: name); "/VERSION" is appended
//! base-url = "https://api.example.com/v2"   # overrides the document's first server
//! idempotency-header = "Idempotency-Key"    # the API honours this header on every POST and PATCH:
//!                                     # the client sends a fresh key per call (kept across its
//!                                     # retries), so those calls are retried after a timeout or 5xx
//!
//! [renames]                           # operationId -> method name
//! ListFaxes = "list"
//!
//! [pagination.ListThings]             # operationId -> how it pages, when detection cannot tell
//! kind = "cursor"                     # page | page-until-empty | cursor | offset | link | next-url | last-item | none
//! param = "after"                     # request parameter fed back (cursor, offset, page, last-item)
//! field = "meta.next_cursor"          # response field with the next cursor or URL (dotted path);
//!                                     # last-item: the field of the last item fed back (default "id")
//! limit-param = "limit"               # offset kind: the page-size parameter
//!
//! [webhooks]
//! scheme = "ed25519"                  # ed25519 ({ts}|{body}) | standard (Standard Webhooks HMAC)
//! ```
//!
//! Read with `toml_edit`'s serde support (the crate that also edits the
//! copied manifest), so a wrong key is an error naming it.

use crate::diagnostics::Error;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The per-crate settings; see the module doc for the file format.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CrateConfig {
    /// Package name (`telnyx-fax`).
    pub name: Option<String>,
    /// Package description, instead of the document's summary or title.
    pub description: Option<String>,
    /// Prefix of the environment variables (`TELNYX` -> `TELNYX_API_KEY`).
    pub env_prefix: Option<String>,
    /// Product token of the `User-Agent` header, instead of the package name.
    pub user_agent: Option<String>,
    /// Default base URL, instead of the document's first server.
    pub base_url: Option<String>,
    /// The idempotency header the API honours on every `POST` and `PATCH`
    /// when the document does not declare one per operation (a header
    /// parameter named like `Idempotency-Key`).
    pub idempotency_header: Option<String>,
    /// Method names by operationId, instead of the derived ones.
    #[serde(default)]
    pub renames: BTreeMap<String, String>,
    /// Pagination by operationId, where detection is ambiguous or wrong.
    #[serde(default)]
    pub pagination: BTreeMap<String, PaginationOverride>,
    /// Webhook signature scheme.
    #[serde(default)]
    pub webhooks: WebhookConfig,
}

/// `[pagination.OPERATION_ID]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PaginationOverride {
    /// `page`, `page-until-empty`, `cursor`, `offset`, `link`, `next-url`,
    /// `last-item` or `none`.
    pub kind: PaginationKindName,
    /// The request parameter fed back (page number, cursor, offset or the
    /// last item's field).
    pub param: Option<String>,
    /// Cursor kind: the response field (dotted path) holding the next cursor;
    /// last-item kind: the item's field (default `id`).
    pub field: Option<String>,
    /// Offset kind: the parameter with the page size.
    pub limit_param: Option<String>,
}

/// The pagination kinds a config may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PaginationKindName {
    /// Page number with a total (`meta.page_number` / `meta.total_pages`).
    Page,
    /// A response field fed back into a request parameter.
    Cursor,
    /// Offset + limit.
    Offset,
    /// The `Link: <...>; rel="next"` response header.
    Link,
    /// A response field (`field`) with the next page's URL.
    NextUrl,
    /// The last item's field (`field`, default `id`) fed into `param`
    /// (default `after`): `?after=<id of the last item>`.
    LastItem,
    /// A page number (`param`, default `page`) counted up until a page is
    /// empty, for a response that says nothing of pages.
    PageUntilEmpty,
    /// Single page, no `into_stream()`.
    None,
}

/// `[webhooks]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WebhookConfig {
    /// The scheme `WebhookVerifier` implements (default: `standard`).
    #[serde(default)]
    pub scheme: WebhookScheme,
}

/// How webhooks are signed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WebhookScheme {
    /// Ed25519 over `"{timestamp}|{body}"`, headers `{prefix}-signature-ed25519`
    /// and `{prefix}-timestamp` (Telnyx's scheme).
    Ed25519,
    /// Standard Webhooks: HMAC-SHA256 over `"{id}.{timestamp}.{body}"` with a
    /// `whsec_` secret, headers `webhook-id`, `webhook-timestamp`, `webhook-signature`.
    #[default]
    Standard,
}

impl CrateConfig {
    /// Parses the TOML text of a config; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &str) -> Result<CrateConfig, Error> {
        toml_edit::de::from_str(text).map_err(|e| Error::msg(format!("{origin}: {e}")))
    }

    /// Reads a config file.
    pub fn load_file(path: &Path) -> Result<CrateConfig, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::msg(format!("cannot read {}: {e}", path.display())))?;
        CrateConfig::from_toml(&text, &path.display().to_string())
    }

    /// The config beside a spec (`x.yml` -> `x.toml`), or the default when
    /// there is none.
    pub fn beside_spec(spec: &Path) -> Result<CrateConfig, Error> {
        let path = spec.with_extension("toml");
        if path.is_file() {
            CrateConfig::load_file(&path)
        } else {
            Ok(CrateConfig::default())
        }
    }

    /// The package name: the configured one, else made from the title
    /// (`Swagger Petstore` -> `swagger-petstore`).
    pub fn crate_name(&self, title: &str) -> String {
        if let Some(n) = &self.name {
            return n.clone();
        }
        let mut name = String::new();
        for ch in title.chars() {
            if ch.is_ascii_alphanumeric() {
                name.push(ch.to_ascii_lowercase());
            } else if !name.ends_with('-') && !name.is_empty() {
                name.push('-');
            }
        }
        let name = name.trim_end_matches('-').to_string();
        match name.chars().next() {
            None => "generated-api".into(),
            Some(c) if c.is_ascii_digit() => format!("api-{name}"),
            Some(_) => name,
        }
    }

    /// The environment-variable prefix: the configured one, else the
    /// package name in upper snake case (`swagger-petstore` -> `SWAGGER_PETSTORE`).
    pub fn env_prefix(&self, crate_name: &str) -> String {
        match &self.env_prefix {
            Some(p) => p.trim_end_matches('_').to_string(),
            None => crate_name.to_ascii_uppercase().replace('-', "_"),
        }
    }

    /// The `User-Agent` product token: the configured one, else the name.
    pub fn user_agent(&self, crate_name: &str) -> String {
        self.user_agent.clone().unwrap_or_else(|| crate_name.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_key() {
        let c = CrateConfig::from_toml(
            "name = \"x-api\"\nenv-prefix = \"XA\"\nidempotency-header = \"Idempotency-Key\"\n[renames]\nListX = \"all\"\n[pagination.ListX]\nkind = \"cursor\"\nparam = \"after\"\nfield = \"meta.next\"\n[webhooks]\nscheme = \"ed25519\"\n",
            "t.toml",
        )
        .unwrap();
        assert_eq!(c.name.as_deref(), Some("x-api"));
        assert_eq!(c.env_prefix("x-api"), "XA");
        assert_eq!(c.idempotency_header.as_deref(), Some("Idempotency-Key"));
        assert_eq!(c.renames["ListX"], "all");
        assert_eq!(c.pagination["ListX"].kind, PaginationKindName::Cursor);
        assert_eq!(c.webhooks.scheme, WebhookScheme::Ed25519);
    }

    #[test]
    fn unknown_key_is_an_error_naming_it() {
        let e = CrateConfig::from_toml("nme = \"x\"\n", "t.toml").unwrap_err().to_string();
        assert!(e.contains("nme") && e.contains("t.toml"), "{e}");
    }

    #[test]
    fn defaults_from_the_title() {
        let c = CrateConfig::default();
        assert_eq!(c.crate_name("Swagger Petstore"), "swagger-petstore");
        assert_eq!(c.env_prefix("swagger-petstore"), "SWAGGER_PETSTORE");
        assert_eq!(c.user_agent("swagger-petstore"), "swagger-petstore");
        assert_eq!(c.crate_name("1Password!"), "api-1password");
    }
}
