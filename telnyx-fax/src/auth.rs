//! Credentials: the API's security schemes (generated in
//! `generated/config.rs` from `components.securitySchemes`), the secrets the
//! client was given or found in the environment, and how each request sends
//! them: the first alternative of the operation's `security` whose schemes
//! all have a secret. An operation with `security: []` sends none.
//!
//! An OAuth2 scheme with a client-credentials flow also takes a client id
//! and secret instead of a token: the client then fetches an access token
//! from the flow's `tokenUrl` (RFC 6749 §4.4, the client authenticated with
//! HTTP basic), reuses it for every request and fetches a new one shortly
//! before it expires (`expires_in`). A token response without a usable
//! `expires_in` is taken to last [`DEFAULT_TOKEN_LIFETIME`] (RFC 6749 leaves
//! the lifetime to the server's documentation; one hour is the common
//! default), and a lifetime is capped at [`MAX_TOKEN_LIFETIME`], so a huge
//! or absent value never keeps a token forever nor overflows a clock. A
//! `401` from the API drops the token (it may have been revoked early) and
//! the request is sent once more with a freshly fetched one; a second `401`
//! is returned to the caller.
//!
//! Secrets are kept as sensitive header values or in [`Secret`], whose
//! `Debug` prints `***`; they never reach errors or traces (an API key sent
//! in the query string is removed from the URL an error quotes; a token
//! response's body is never quoted).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use http::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

use crate::client::ClientInner;
use crate::error::{Error, Result};
use crate::generated::config::{operation_security, API_KEY_ENV, DEFAULT_SECURITY, SECURITY_SCHEMES};

/// How a security scheme sends its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>` (HTTP bearer).
    Bearer,
    /// `Authorization: Bearer <token>` with an access token the caller
    /// obtained (OAuth2 without a client-credentials flow, OpenID Connect).
    /// Apart from [`Bearer`](Self::Bearer) so that
    /// [`ClientBuilder::oauth2_token`](crate::ClientBuilder::oauth2_token)
    /// and [`ClientBuilder::bearer_token`](crate::ClientBuilder::bearer_token)
    /// each name the scheme their secret goes to.
    OAuth2,
    /// `Authorization: Basic base64(user:password)`.
    Basic,
    /// An API key in the named header.
    Header(&'static str),
    /// An API key in the named query parameter.
    Query(&'static str),
    /// An API key in the named cookie.
    Cookie(&'static str),
    /// OAuth2 with a client-credentials flow whose token URL (absolute, or
    /// relative to the base URL) this is: an access token is sent as
    /// `Authorization: Bearer`; a client id and secret are exchanged for one.
    OAuth2ClientCredentials(&'static str),
}

/// One security scheme of the API (see [`SECURITY_SCHEMES`]).
#[derive(Debug, Clone, Copy)]
pub struct Scheme {
    /// The scheme's name in the document (`components.securitySchemes`).
    pub name: &'static str,
    /// How the credential is sent.
    pub kind: SchemeKind,
    /// Environment variable with the token, key or (basic) user name. For
    /// [`SchemeKind::OAuth2ClientCredentials`] the client id and secret are
    /// read from the same name with `_ACCESS_TOKEN` replaced by (or else
    /// followed by) `_CLIENT_ID` and `_CLIENT_SECRET`.
    pub env: &'static str,
    /// Environment variable with the basic password (empty otherwise).
    pub password_env: &'static str,
    /// The [`ClientBuilder`](crate::ClientBuilder) method that sets this
    /// scheme's credential: the setter of its kind (`api_key`,
    /// `bearer_token`, `oauth2_token`, `basic_auth`), or, when the API
    /// declares several schemes of that kind, the one generated for it
    /// (`api_key_store_key`). Errors about a missing credential name it.
    pub setter: &'static str,
}

/// A credential given to the builder. Its `Debug` never shows the secret.
#[derive(Clone)]
pub(crate) enum Secret {
    /// A token or API key.
    Token(String),
    /// A basic user name and password.
    Basic(String, String),
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Which scheme a builder credential is for.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// The main token scheme ([`API_KEY_ENV`]): the API-key scheme, or
    /// without one the token scheme the generator picked.
    Primary,
    /// The first HTTP bearer scheme, else the first OAuth2 one (both are
    /// sent as `Authorization: Bearer`).
    Bearer,
    /// The first OAuth2 (or OpenID Connect) scheme.
    OAuth2,
    /// The first basic scheme.
    Basic,
    /// The first OAuth2 scheme with a client-credentials flow.
    ClientCredentials,
    /// A scheme by its name in the document.
    Named(String),
}

/// A credential ready to be sent.
#[derive(Clone)]
enum Applied {
    Header(HeaderName, HeaderValue),
    Query(&'static str, String),
    Cookie(String),
    /// An access token fetched (and refetched) with client credentials;
    /// shared by the clones of a client.
    Fetched(Arc<TokenSource>),
}

/// The lifetime of a fetched access token whose response has no usable
/// `expires_in` (absent, not a number, negative).
pub(crate) const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// The longest lifetime taken from a token response (a day); a larger
/// `expires_in` (up to `u64::MAX` or `1e30`) is clamped to it.
pub(crate) const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// OAuth2 client credentials and the access token they were last
/// exchanged for.
struct TokenSource {
    token_url: &'static str,
    client_id: String,
    client_secret: String,
    /// One fetch at a time; the others wait for its token.
    cached: tokio::sync::Mutex<Option<CachedToken>>,
}

struct CachedToken {
    /// `Bearer <token>`, marked sensitive.
    header: HeaderValue,
    /// When it was fetched: a `401` that arrives later drops it.
    fetched_at: Instant,
    /// When to fetch a new one.
    refresh_at: Instant,
}

/// The token response of RFC 6749 §5.1 (other fields ignored).
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

impl TokenSource {
    /// The current access token as an `Authorization` value, fetched when
    /// there is none or it is about to expire.
    async fn header(&self, inner: &ClientInner, timeout: Duration) -> Result<HeaderValue> {
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref() {
            if Instant::now() < c.refresh_at {
                return Ok(c.header.clone());
            }
        }
        let fresh = self.fetch(inner, timeout).await?;
        let header = fresh.header.clone();
        *cached = Some(fresh);
        Ok(header)
    }

    /// Drops the cached token when it was fetched before `answered_at` (when
    /// the API's `401` arrived). A token fetched after that, by a concurrent
    /// request that got its `401` first, is kept; one fetched while the
    /// refused request was in flight is dropped too (one fetch too many at
    /// worst, never a refused token kept).
    async fn invalidate(&self, answered_at: Instant) {
        let mut cached = self.cached.lock().await;
        if cached.as_ref().is_some_and(|c| c.fetched_at <= answered_at) {
            *cached = None;
        }
    }

    async fn fetch(&self, inner: &ClientInner, timeout: Duration) -> Result<CachedToken> {
        let url = token_url(self.token_url, &inner.base_url)?;
        // Only the client's own User-Agent: the user's default headers are
        // for the API, and the token URL may be another host.
        let mut request = inner
            .http
            .post(url)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .header(http::header::ACCEPT, "application/json")
            .form(&[("grant_type", "client_credentials")])
            .timeout(timeout);
        if let Some(agent) = inner.default_headers.get(http::header::USER_AGENT) {
            request = request.header(http::header::USER_AGENT, agent.clone());
        }
        let response = request.send().await.map_err(Error::from_reqwest)?;
        let status = response.status();
        let headers = response.headers().clone();
        // Bounded like the API's own responses (request.rs): a token
        // endpoint cannot make the client hold an unbounded body.
        if !status.is_success() {
            let (body, truncated) = crate::request::read_error_body(response).await;
            return Err(Error::from_response_body(status, headers, &body, truncated));
        }
        let body = crate::request::read_limited(response, MAX_TOKEN_RESPONSE_BYTES, "OAuth2 token request").await?;
        let token: TokenResponse = serde_json::from_slice(&body).map_err(|_| {
            Error::decode_without_body(status, "the OAuth2 token response has no `access_token` string")
        })?;
        let lifetime = token_lifetime(token.expires_in.as_ref());
        // Refreshed a little early (a tenth of its lifetime, at most a
        // minute) so that a request never leaves with an expired token.
        let early = (lifetime / 10).min(Duration::from_secs(60));
        let fetched_at = Instant::now();
        // `checked_add`: an `Instant` that cannot hold the time is refreshed at once.
        let refresh_at = fetched_at.checked_add(lifetime - early).unwrap_or(fetched_at);
        let header = sensitive(format!("Bearer {}", token.access_token.trim()), "OAuth2 access token")?;
        Ok(CachedToken { header, fetched_at, refresh_at })
    }
}

/// The largest token response read (a token response is a few hundred bytes).
const MAX_TOKEN_RESPONSE_BYTES: u64 = 64 * 1024;

/// The lifetime an `expires_in` value gives: whole seconds from a number
/// or a numeric string, clamped to [`MAX_TOKEN_LIFETIME`]; a negative value
/// is expired at once; anything else is [`DEFAULT_TOKEN_LIFETIME`].
fn token_lifetime(expires_in: Option<&serde_json::Value>) -> Duration {
    let seconds = match expires_in {
        Some(serde_json::Value::Number(n)) => n.as_u64().or_else(|| n.as_f64().map(seconds_from_f64)),
        Some(serde_json::Value::String(s)) => {
            let s = s.trim();
            s.parse::<u64>().ok().or_else(|| s.parse::<f64>().ok().map(seconds_from_f64))
        }
        _ => None,
    };
    seconds.map_or(DEFAULT_TOKEN_LIFETIME, |secs| Duration::from_secs(secs).min(MAX_TOKEN_LIFETIME))
}

/// Whole seconds from a JSON float: negative is 0, NaN the default
/// lifetime, and `as` saturates a huge one (clamped by the caller).
fn seconds_from_f64(secs: f64) -> u64 {
    if secs.is_nan() {
        DEFAULT_TOKEN_LIFETIME.as_secs()
    } else {
        secs.max(0.0) as u64
    }
}

/// The token URL: absolute, or relative to the base URL (OpenAPI 3.1).
fn token_url(token_url: &str, base_url: &str) -> Result<reqwest::Url> {
    let invalid = || Error::invalid_argument(format!("invalid OAuth2 token URL {token_url:?}"));
    match reqwest::Url::parse(token_url) {
        Ok(url) => Ok(url),
        Err(_) => reqwest::Url::parse(&format!("{base_url}/")).and_then(|base| base.join(token_url)).map_err(|_| invalid()),
    }
}

/// The credentials of a client, one slot per scheme of [`SECURITY_SCHEMES`].
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    slots: Vec<Option<Applied>>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set: Vec<&str> = SECURITY_SCHEMES
            .iter()
            .zip(&self.slots)
            .filter(|(_, s)| s.is_some())
            .map(|(s, _)| s.name)
            .collect();
        f.debug_struct("Credentials").field("schemes", &set).finish_non_exhaustive()
    }
}

/// Whether a scheme takes an OAuth2 access token.
fn is_oauth2(s: &Scheme) -> bool {
    matches!(s.kind, SchemeKind::OAuth2 | SchemeKind::OAuth2ClientCredentials(_))
}

/// The index of the scheme a target names.
fn target_index(target: &Target) -> Result<usize> {
    let find = |pred: &dyn Fn(&Scheme) -> bool| SECURITY_SCHEMES.iter().position(pred);
    let found = match target {
        Target::Primary => SECURITY_SCHEMES.iter().position(|s| !API_KEY_ENV.is_empty() && s.env == API_KEY_ENV),
        Target::Bearer => find(&|s| s.kind == SchemeKind::Bearer).or_else(|| find(&is_oauth2)),
        Target::OAuth2 => find(&is_oauth2),
        Target::Basic => find(&|s| s.kind == SchemeKind::Basic),
        Target::ClientCredentials => find(&|s| matches!(s.kind, SchemeKind::OAuth2ClientCredentials(_))),
        Target::Named(name) => find(&|s| s.name == name),
    };
    found.ok_or_else(|| {
        Error::invalid_argument(match target {
            Target::Primary => "this API declares no API-key or token security scheme".to_string(),
            Target::Bearer => "this API declares no bearer-token or OAuth2 security scheme".to_string(),
            Target::OAuth2 => "this API declares no OAuth2 or OpenID Connect security scheme".to_string(),
            Target::Basic => "this API declares no HTTP basic security scheme".to_string(),
            Target::ClientCredentials => "this API declares no OAuth2 scheme with a client-credentials flow".to_string(),
            Target::Named(name) => format!("this API declares no security scheme named {name:?}"),
        })
    })
}

fn env_value(name: &str) -> Option<String> {
    if name.is_empty() {
        return None;
    }
    std::env::var(name).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn sensitive(value: String, what: &str) -> Result<HeaderValue> {
    let mut v = HeaderValue::try_from(value)
        .map_err(|_| Error::invalid_argument(format!("the {what} contains characters not allowed in a header")))?;
    v.set_sensitive(true);
    Ok(v)
}

fn prepare(scheme: &Scheme, secret: Secret) -> Result<Option<Applied>> {
    let what = if scheme.env == API_KEY_ENV { "API key".to_string() } else { format!("credential of {}", scheme.name) };
    Ok(Some(match (scheme.kind, secret) {
        (SchemeKind::Basic, Secret::Basic(user, password)) => {
            let encoded = STANDARD.encode(format!("{user}:{password}"));
            Applied::Header(AUTHORIZATION, sensitive(format!("Basic {encoded}"), &what)?)
        }
        (SchemeKind::OAuth2ClientCredentials(token_url), Secret::Basic(client_id, client_secret)) => {
            Applied::Fetched(Arc::new(TokenSource { token_url, client_id, client_secret, cached: tokio::sync::Mutex::new(None) }))
        }
        (SchemeKind::Basic, Secret::Token(_)) => {
            return Err(Error::invalid_argument(format!(
                "{} is an HTTP basic scheme: give a user name and a password",
                scheme.name
            )))
        }
        (_, Secret::Basic(..)) => {
            return Err(Error::invalid_argument(format!("{} takes a token, not a user name and password", scheme.name)))
        }
        (_, Secret::Token(token)) if token.trim().is_empty() => return Ok(None),
        (SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OAuth2ClientCredentials(_), Secret::Token(token)) => {
            Applied::Header(AUTHORIZATION, sensitive(format!("Bearer {}", token.trim()), &what)?)
        }
        (SchemeKind::Header(name), Secret::Token(token)) => {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::invalid_argument(format!("invalid header name {name:?}")))?;
            Applied::Header(name, sensitive(token.trim().to_owned(), &what)?)
        }
        (SchemeKind::Query(name), Secret::Token(token)) => Applied::Query(name, token.trim().to_owned()),
        (SchemeKind::Cookie(name), Secret::Token(token)) => {
            sensitive(token.trim().to_owned(), &what)?;
            Applied::Cookie(format!("{name}={}", token.trim()))
        }
    }))
}

impl Credentials {
    /// `true` when no scheme has a credential.
    pub(crate) fn is_empty(&self) -> bool {
        self.slots.iter().all(Option::is_none)
    }

    /// The credentials from the builder's values, else the environment.
    /// Fails when the API's default security needs a credential and none of
    /// its alternatives can be met.
    ///
    /// A token given by kind (`api_key`, `bearer_token`, `oauth2_token`, or
    /// the main scheme's environment variable) also serves the schemes the
    /// document declares again with the same placement (large documents
    /// declare several HTTP bearer schemes for their one API key, one per
    /// product area) when they have no credential of their own: it goes in the same header to the same
    /// server, so it is the credential the user meant. A scheme placed
    /// elsewhere (another header, a query parameter, an OAuth2 scheme beside
    /// a bearer one) never gets it: calling its operations stays an error
    /// naming the schemes they accept.
    pub(crate) fn resolve(given: Vec<(Target, Secret)>) -> Result<Credentials> {
        let mut secrets: Vec<Option<Secret>> = vec![None; SECURITY_SCHEMES.len()];
        let mut by_kind: Vec<usize> = Vec::new();
        for (target, secret) in given {
            let i = target_index(&target)?;
            if matches!(target, Target::Primary | Target::Bearer | Target::OAuth2) {
                by_kind.push(i);
            }
            secrets[i] = Some(secret);
        }
        // Each scheme's own environment variable, read once: what it holds
        // decides both whether a twin shares a token and the fallback below.
        let from_env: Vec<Option<String>> = SECURITY_SCHEMES.iter().map(|s| env_value(s.env)).collect();
        // The primary key from the environment counts as given by kind.
        if let Some(i) = SECURITY_SCHEMES.iter().position(|s| !API_KEY_ENV.is_empty() && s.env == API_KEY_ENV) {
            if secrets[i].is_none() {
                if let Some(key) = &from_env[i] {
                    secrets[i] = Some(Secret::Token(key.clone()));
                    by_kind.push(i);
                }
            }
        }
        for i in 0..SECURITY_SCHEMES.len() {
            let scheme = &SECURITY_SCHEMES[i];
            let shares = matches!(scheme.kind, SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::Header(_) | SchemeKind::Query(_) | SchemeKind::Cookie(_));
            if secrets[i].is_some() || !shares || from_env[i].is_some() {
                continue;
            }
            let twin = by_kind.iter().copied().find(|&j| SECURITY_SCHEMES[j].kind == scheme.kind);
            if let Some(Some(Secret::Token(token))) = twin.map(|j| secrets[j].clone()) {
                secrets[i] = Some(Secret::Token(token));
            }
        }
        let mut slots = Vec::with_capacity(SECURITY_SCHEMES.len());
        for ((scheme, secret), own) in SECURITY_SCHEMES.iter().zip(secrets).zip(from_env) {
            let secret = secret.or_else(|| match scheme.kind {
                SchemeKind::Basic => Some(Secret::Basic(own?, env_value(scheme.password_env).unwrap_or_default())),
                SchemeKind::OAuth2ClientCredentials(_) => own.map(Secret::Token).or_else(|| {
                    let (id, secret) = client_credentials_env(scheme);
                    Some(Secret::Basic(env_value(&id)?, env_value(&secret)?))
                }),
                _ => own.map(Secret::Token),
            });
            slots.push(match secret {
                Some(secret) => prepare(scheme, secret)?,
                None => None,
            });
        }
        let credentials = Credentials { slots };
        if !DEFAULT_SECURITY.is_empty() && credentials.choose(DEFAULT_SECURITY).is_none() {
            return Err(Error::invalid_argument(missing_message()));
        }
        Ok(credentials)
    }

    /// The first alternative whose schemes all have a credential; `Some(&[])`
    /// when an alternative needs none.
    fn choose(&self, alternatives: &'static [&'static [usize]]) -> Option<&'static [usize]> {
        let met = |alt: &&[usize]| alt.iter().all(|&i| matches!(self.slots.get(i), Some(Some(_))));
        alternatives
            .iter()
            .copied()
            .filter(|alt| !alt.is_empty())
            .find(met)
            .or_else(|| alternatives.iter().copied().find(|alt| alt.is_empty()))
    }

    /// Adds the credentials `operation_id` needs to a request's headers and
    /// URL (fetching an OAuth2 access token first when one is due). A header
    /// the user set as a default header is left as it is.
    pub(crate) async fn apply(
        &self,
        operation_id: &str,
        inner: &ClientInner,
        headers: &mut HeaderMap,
        url: &mut reqwest::Url,
        timeout: Duration,
    ) -> Result<()> {
        let user_headers = &inner.user_headers;
        let alternatives = operation_security(operation_id);
        let Some(alt) = self.choose(alternatives) else {
            return self.unmet(operation_id, alternatives, user_headers);
        };
        let mut cookies: Vec<&str> = Vec::new();
        for &i in alt {
            match self.slots.get(i) {
                Some(Some(Applied::Header(name, value))) if !user_headers.contains_key(name) => {
                    headers.insert(name.clone(), value.clone());
                }
                Some(Some(Applied::Fetched(source))) if !user_headers.contains_key(AUTHORIZATION) => {
                    headers.insert(AUTHORIZATION, source.header(inner, timeout).await?);
                }
                Some(Some(Applied::Query(name, value))) => {
                    url.query_pairs_mut().append_pair(name, value);
                }
                Some(Some(Applied::Cookie(pair))) => cookies.push(pair),
                _ => {}
            }
        }
        if !cookies.is_empty() && !user_headers.contains_key(COOKIE) {
            if let Ok(value) = sensitive(cookies.join("; "), "cookie") {
                headers.insert(COOKIE, value);
            }
        }
        Ok(())
    }
}

impl Credentials {
    /// A request none of whose security alternatives has its credentials:
    /// an error naming the schemes the operation accepts when the client
    /// was given credentials (they are for other schemes, so the request
    /// would go out unauthenticated, as `.api_key(..)` of an OAuth2-first
    /// API once did); sent as it is when the client has none at all (the
    /// API's default security needs none) or the user sends a credential of
    /// the operation's schemes as a default header.
    fn unmet(&self, operation_id: &str, alternatives: &[&[usize]], user_headers: &HeaderMap) -> Result<()> {
        let schemes: Vec<&Scheme> = alternatives.iter().flat_map(|alt| alt.iter()).filter_map(|&i| SECURITY_SCHEMES.get(i)).collect();
        let by_header = schemes.iter().any(|s| match s.kind {
            SchemeKind::Header(name) => user_headers.contains_key(name),
            SchemeKind::Cookie(_) => user_headers.contains_key(COOKIE),
            SchemeKind::Query(_) => false,
            _ => user_headers.contains_key(AUTHORIZATION),
        });
        if self.is_empty() || by_header || schemes.is_empty() {
            return Ok(());
        }
        let accepted: Vec<String> = alternatives
            .iter()
            .map(|alt| {
                alt.iter()
                    .filter_map(|&i| SECURITY_SCHEMES.get(i))
                    .map(|s| format!("{:?} (ClientBuilder::{})", s.name, s.setter))
                    .collect::<Vec<_>>()
                    .join(" + ")
            })
            .collect();
        let given: Vec<String> =
            SECURITY_SCHEMES.iter().zip(&self.slots).filter(|(_, s)| s.is_some()).map(|(s, _)| format!("{:?}", s.name)).collect();
        Err(Error::invalid_argument(format!(
            "{operation_id} accepts a credential of the security scheme {}, but the client has credentials only for {}: nothing was sent",
            accepted.join(" or "),
            given.join(", ")
        )))
    }

    /// Called when the API answered `401` to `operation_id`: drops the
    /// OAuth2 access tokens that request used and returns whether it should
    /// be sent once more with a new one. `false` when the operation used no
    /// fetched token (a static key cannot get better by sending it again).
    pub(crate) async fn on_unauthorized(&self, operation_id: &str, inner: &ClientInner) -> bool {
        let answered_at = Instant::now();
        if inner.user_headers.contains_key(AUTHORIZATION) {
            return false;
        }
        let Some(alt) = self.choose(operation_security(operation_id)) else { return false };
        let mut refetch = false;
        for &i in alt {
            if let Some(Some(Applied::Fetched(source))) = self.slots.get(i) {
                source.invalidate(answered_at).await;
                refetch = true;
            }
        }
        refetch
    }
}

/// The environment variables of a client-credentials scheme's client id and
/// secret: `X_ACCESS_TOKEN` -> `X_CLIENT_ID`, `X_CLIENT_SECRET`.
fn client_credentials_env(scheme: &Scheme) -> (String, String) {
    let base = scheme.env.strip_suffix("_ACCESS_TOKEN").unwrap_or(scheme.env);
    (format!("{base}_CLIENT_ID"), format!("{base}_CLIENT_SECRET"))
}

/// The error text when the default security cannot be met: names the
/// environment variables and the builder method to use.
fn missing_message() -> String {
    let alt = DEFAULT_SECURITY.first().copied().unwrap_or(&[]);
    let mut parts = Vec::new();
    for &i in alt {
        let Some(s) = SECURITY_SCHEMES.get(i) else { continue };
        parts.push(match s.kind {
            SchemeKind::Basic => format!(
                "no credentials: set the {} and {} environment variables or call ClientBuilder::{}",
                s.env, s.password_env, s.setter
            ),
            SchemeKind::OAuth2ClientCredentials(_) => {
                let (id, secret) = client_credentials_env(s);
                let cc = s.setter.strip_prefix("oauth2_token").map_or("client_credentials".to_string(), |rest| format!("client_credentials{rest}"));
                format!(
                    "no credentials for {}: set the {} (an access token) or the {id} and {secret} environment variables, or call ClientBuilder::{} or ClientBuilder::{cc}",
                    s.name, s.env, s.setter
                )
            }
            SchemeKind::Bearer if s.env != API_KEY_ENV => format!(
                "no token for {}: set the {} environment variable or call ClientBuilder::{}",
                s.name, s.env, s.setter
            ),
            SchemeKind::OAuth2 => format!(
                "no access token for {}: set the {} environment variable or call ClientBuilder::{}",
                s.name, s.env, s.setter
            ),
            _ if s.env == API_KEY_ENV => {
                format!("no API key: set the {} environment variable or call ClientBuilder::api_key", s.env)
            }
            _ => format!(
                "no credential for {}: set the {} environment variable or call ClientBuilder::{}",
                s.name, s.env, s.setter
            ),
        });
    }
    if parts.is_empty() {
        "no credentials".to_string()
    } else {
        parts.join("; ")
    }
}

/// The query parameters that carry secrets (removed from URLs in errors).
pub(crate) fn secret_query_params() -> impl Iterator<Item = &'static str> {
    SECURITY_SCHEMES.iter().filter_map(|s| match s.kind {
        SchemeKind::Query(name) => Some(name),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `expires_in` of any size or shape gives a bounded lifetime, never a
    /// panic; no value means the default hour.
    #[test]
    fn token_lifetimes_are_bounded() {
        let life = |v: serde_json::Value| token_lifetime(Some(&v));
        assert_eq!(token_lifetime(None), DEFAULT_TOKEN_LIFETIME);
        assert_eq!(life(json!(null)), DEFAULT_TOKEN_LIFETIME);
        assert_eq!(life(json!({"s": 1})), DEFAULT_TOKEN_LIFETIME);
        assert_eq!(life(json!("soon")), DEFAULT_TOKEN_LIFETIME);
        assert_eq!(life(json!(120)), Duration::from_secs(120));
        assert_eq!(life(json!(" 120 ")), Duration::from_secs(120));
        assert_eq!(life(json!(120.7)), Duration::from_secs(120));
        assert_eq!(life(json!(-5)), Duration::ZERO);
        assert_eq!(life(json!("-5")), Duration::ZERO);
        for huge in [json!(u64::MAX), json!(1e30), json!("1e30"), json!(f64::MAX), json!(u64::MAX.to_string())] {
            assert_eq!(life(huge.clone()), MAX_TOKEN_LIFETIME, "{huge}");
        }
        // The refresh time of the longest lifetime fits in an `Instant`.
        let now = Instant::now();
        assert!(now.checked_add(MAX_TOKEN_LIFETIME).is_some());
    }
}
