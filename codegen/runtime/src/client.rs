//! The [`Client`]: credentials, base URL, HTTP connection pool and defaults
//! for timeouts and retries, shared by every request. The API's own values
//! (environment variable names, default base URL, `User-Agent` token,
//! security schemes) come from the generated [`crate::config`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::auth::{Credentials, Secret, Target};
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;
use crate::generated::config::{BASE_URL_ENV, DEFAULT_BASE_URL, SDK_NAME, SERVER_URL};

/// The default timeout of one attempt (connect, send and read the body).
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default number of retries after the first attempt.
pub(crate) const DEFAULT_MAX_RETRIES: u32 = 2;
/// The default base of the exponential backoff between retries.
pub(crate) const DEFAULT_RETRY_BASE_DELAY: Duration = Duration::from_millis(500);
/// The longest computed backoff between two attempts.
pub(crate) const MAX_RETRY_DELAY: Duration = Duration::from_secs(8);
/// The default time allowed to open a connection (TCP and TLS), apart from
/// the attempt's timeout: an unreachable host fails fast, and since the
/// server never saw the request, it is retried for every method.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default limit of a success response body: far above any JSON the
/// API returns, small enough that a broken or hostile server cannot make
/// the client allocate gigabytes.
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;
/// The most redirects followed for one request (reqwest's default).
const MAX_REDIRECTS: usize = 10;

/// A client of the API.
///
/// Cheap to clone (the configuration and the connection pool are shared
/// behind an `Arc`); create one and reuse it. Its `Debug` output never shows
/// a credential.
///
/// ```no_run
/// # fn run() -> my_api::Result<()> {
/// use std::time::Duration;
/// let client = my_api::Client::builder()
///     .api_key("KEY...")
///     .timeout(Duration::from_secs(20))
///     .max_retries(3)
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    /// Without a trailing slash.
    pub(crate) base_url: String,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) retry_base_delay: Duration,
    /// Which failed attempts are sent again.
    pub(crate) retry_policy: RetryPolicy,
    /// The time budget of a whole call (attempts and backoff), if any.
    pub(crate) deadline: Option<Duration>,
    /// The largest success response body read.
    pub(crate) max_response_bytes: u64,
    /// User-Agent, Accept, then the user's default headers.
    pub(crate) default_headers: HeaderMap,
    /// The headers the user set with `default_header` (credentials do not
    /// replace them).
    pub(crate) user_headers: HeaderMap,
    /// The credentials, added per request by the operation's security.
    pub(crate) credentials: Credentials,
}

impl Client {
    /// A client configured from the environment: the credentials from the
    /// variables named in [`crate::config`] ([`API_KEY_ENV`](crate::config::API_KEY_ENV)
    /// for the main scheme; required when the API's default security needs
    /// one) and the base URL from [`BASE_URL_ENV`](crate::config::BASE_URL_ENV)
    /// (default [`DEFAULT_BASE_URL`](crate::config::DEFAULT_BASE_URL)), with
    /// default timeout and retries. Same as `Client::builder().build()`.
    pub fn from_env() -> Result<Client> {
        Client::builder().build()
    }

    /// A builder to configure a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL every request path is appended to, without a trailing
    /// slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The default timeout of one attempt.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The default number of retries after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.inner.max_retries
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("api_key", &if self.inner.credentials.is_empty() { "none" } else { "***" })
            .field("credentials", &self.inner.credentials)
            .field("timeout", &self.inner.timeout)
            .field("max_retries", &self.inner.max_retries)
            .field("retry_policy", &self.inner.retry_policy)
            .field("deadline", &self.inner.deadline)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]; see [`Client::builder`].
///
/// Unset values fall back to the environment (the variables named in
/// [`crate::config`]) and then to the defaults.
#[derive(Default)]
#[must_use = "a builder does nothing until `.build()` is called"]
pub struct ClientBuilder {
    credentials: Vec<(Target, Secret)>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    retry_base_delay: Option<Duration>,
    retry_policy: Option<RetryPolicy>,
    connect_timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_response_bytes: Option<u64>,
    default_headers: Vec<(String, String)>,
    http_client: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// The API key of the API's API-key scheme (a header, query parameter or
    /// cookie), sent the way the document says; for an API without one, the
    /// token of its main bearer or OAuth2 scheme (`Authorization: Bearer
    /// <key>`: what such an API calls its API key). The generator picks that
    /// scheme so that a key never goes to an OAuth2 scheme declared before
    /// the API-key one. Each scheme's setter is in
    /// [`SECURITY_SCHEMES`](crate::config::SECURITY_SCHEMES) (`setter`):
    /// an API with several API-key schemes has one generated per scheme
    /// (`api_key_<scheme>`). When not set, the key is read from the
    /// environment variable [`API_KEY_ENV`](crate::config::API_KEY_ENV).
    ///
    /// A credential is sent only to the operations whose `security` accepts
    /// its scheme; calling an operation that accepts none of the schemes the
    /// client has credentials for fails with
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument),
    /// naming the schemes it accepts and their setters, before anything is
    /// sent (an operation with `security: []` or an optional `{}`
    /// alternative is sent without one).
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.credentials.push((Target::Primary, Secret::Token(api_key.into())));
        self
    }

    /// The token of the API's HTTP bearer scheme (else of its first OAuth2
    /// or OpenID Connect scheme: the header is the same), sent as
    /// `Authorization: Bearer <token>`.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials.push((Target::Bearer, Secret::Token(token.into())));
        self
    }

    /// The access token (obtained by the caller) of the API's OAuth2 or
    /// OpenID Connect scheme, sent as `Authorization: Bearer <token>` to the
    /// operations that accept that scheme. With several OAuth2 schemes this
    /// is the first; the others have generated `oauth2_token_<scheme>`
    /// setters.
    pub fn oauth2_token(mut self, token: impl Into<String>) -> Self {
        self.credentials.push((Target::OAuth2, Secret::Token(token.into())));
        self
    }

    /// The user name and password of the API's first HTTP basic scheme.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials.push((Target::Basic, Secret::Basic(user.into(), password.into())));
        self
    }

    /// The client id and secret of the API's first OAuth2 scheme with a
    /// client-credentials flow: the client exchanges them at the flow's token
    /// URL for an access token, reuses it and fetches a new one before it
    /// expires. For a scheme by name use
    /// [`basic_credential`](Self::basic_credential) with the id and secret.
    pub fn client_credentials(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.credentials.push((Target::ClientCredentials, Secret::Basic(client_id.into(), client_secret.into())));
        self
    }

    /// The key or token of the security scheme named `scheme` in the
    /// document's `components.securitySchemes` (see
    /// [`SECURITY_SCHEMES`](crate::config::SECURITY_SCHEMES)); for several
    /// schemes on one client.
    pub fn credential(mut self, scheme: impl Into<String>, secret: impl Into<String>) -> Self {
        self.credentials.push((Target::Named(scheme.into()), Secret::Token(secret.into())));
        self
    }

    /// The user name and password of the HTTP basic scheme named `scheme`
    /// (or the client id and secret of an OAuth2 client-credentials scheme).
    pub fn basic_credential(
        mut self,
        scheme: impl Into<String>,
        user: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.credentials.push((Target::Named(scheme.into()), Secret::Basic(user.into(), password.into())));
        self
    }

    /// The base URL, such as [`DEFAULT_BASE_URL`](crate::config::DEFAULT_BASE_URL)
    /// (a trailing slash is fine). When not set, it is read from
    /// [`BASE_URL_ENV`](crate::config::BASE_URL_ENV), else the default is used.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The timeout of one attempt, from connecting to reading the whole
    /// response body (default 60 s). Can be overridden per request. With a
    /// [`deadline`](Self::deadline), an attempt never runs past it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The time allowed to open a connection (TCP and TLS; default 10 s),
    /// within the attempt's [`timeout`](Self::timeout). A connect failure is
    /// retried for every method: the server never saw the request. Applies
    /// to the client's own HTTP client, not to one given with
    /// [`http_client`](Self::http_client) (set it on that one).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// A time budget for each whole call, attempts and the waits between
    /// them included (default: none, each attempt has its
    /// [`timeout`](Self::timeout)). An attempt's timeout is cut to the time
    /// left, and when the next wait would pass the deadline the call ends
    /// with the last error instead. Can be overridden per request
    /// ([`Request::deadline`](crate::Request::deadline)).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How many times a failed attempt may be retried (default 2, so up to
    /// 3 attempts); which failures are retried is the
    /// [`retry_policy`](Self::retry_policy)'s call. Can be overridden per
    /// request.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Which failed attempts are sent again (default [`RetryPolicy::Safe`]:
    /// never a `POST` that may have reached the server unless it carries
    /// an idempotency key). [`RetryPolicy::LikeOfficialSdks`] retries as
    /// the API's official SDKs commonly do, [`RetryPolicy::Never`] not at all.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// The largest success response body the client reads (default
    /// 32 MiB); a larger one ends the call with
    /// [`ErrorKind::ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge),
    /// checked against `Content-Length` before reading and while reading.
    /// Error responses keep at most their first 64 KiB whatever this is.
    /// Can be overridden per request (a large download).
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// The base of the exponential backoff (default 500 ms): retry `n`
    /// (from 0) waits `base × 2ⁿ`, capped at 8 s, minus up to 25 % jitter,
    /// unless the server sent `retry-after-ms` or `Retry-After` (honoured
    /// when between 0 and 60 s). Mostly useful to make tests fast.
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry_base_delay = Some(delay);
        self
    }

    /// A header sent with every request (it replaces a header of the same
    /// name set by the client). An invalid name or value makes
    /// [`build`](Self::build) fail.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Uses this `reqwest::Client` (proxies, TLS settings, connection pool)
    /// instead of a default one. The client's timeout and headers still
    /// apply per request, but that client keeps its own redirect policy and
    /// connect timeout: the default client follows only same-origin
    /// redirects, so credentials and bodies never go to another host; give
    /// yours `reqwest::redirect::Policy::none()` or a similar policy.
    pub fn http_client(mut self, http_client: reqwest::Client) -> Self {
        self.http_client = Some(http_client);
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument)
    /// when the API's default security needs a credential that was neither
    /// given nor found in the environment, when the base URL is not an
    /// absolute `http(s)` URL (or none is known: the document's server URL
    /// is relative), or when a default header is invalid.
    pub fn build(self) -> Result<Client> {
        let credentials = Credentials::resolve(self.credentials)?;

        let base_url = match self.base_url {
            Some(url) => url,
            None => std::env::var(BASE_URL_ENV)
                .ok()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
        };
        let base_url = base_url.trim().trim_end_matches('/').to_owned();
        if base_url.is_empty() {
            return Err(Error::invalid_argument(format!(
                "no base URL: the API's server URL {SERVER_URL:?} is not absolute; set the {BASE_URL_ENV} environment variable or call ClientBuilder::base_url"
            )));
        }
        match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {}
            _ => {
                return Err(Error::invalid_argument(format!(
                    "invalid base URL {base_url:?}: expected an absolute http(s) URL"
                )))
            }
        }

        let mut default_headers = HeaderMap::new();
        let user_agent = HeaderValue::from_str(&format!("{SDK_NAME}/{}", env!("CARGO_PKG_VERSION")))
            .map_err(|_| Error::invalid_argument("the SDK name is not a valid header value"))?;
        default_headers.insert(http::header::USER_AGENT, user_agent);
        default_headers.insert(http::header::ACCEPT, HeaderValue::from_static("application/json"));
        let mut user_headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let (name, value) = parse_header(name, value)?;
            default_headers.insert(name.clone(), value.clone());
            user_headers.insert(name, value);
        }

        let http = match self.http_client {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .redirect(same_origin_redirects())
                .build()
                .map_err(|e| Error::invalid_argument(format!("cannot build the HTTP client: {e}")))?,
        };

        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
                retry_base_delay: self.retry_base_delay.unwrap_or(DEFAULT_RETRY_BASE_DELAY),
                retry_policy: self.retry_policy.unwrap_or_default(),
                deadline: self.deadline,
                max_response_bytes: self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                default_headers,
                user_headers,
                credentials,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials.iter().map(|(t, _)| t).collect::<Vec<_>>())
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_base_delay", &self.retry_base_delay)
            .field("retry_policy", &self.retry_policy)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("default_headers", &self.default_headers.iter().map(|(n, _)| n).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The redirect policy of the default HTTP client: follow a redirect only
/// to the origin (scheme, host and port) of the request, at most
/// [`MAX_REDIRECTS`] times. reqwest's default follows any host and drops
/// only `Authorization` and cookies, so a `307`/`308` to another host would
/// get the body and API keys sent in other headers (`X-Api-Key`, default
/// headers). A redirect elsewhere is not followed: the `3xx` becomes the
/// call's error, with the target in its `Location` header.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
        }
        let same_origin = attempt.previous().first().is_some_and(|first| first.origin() == attempt.url().origin());
        if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// Parses a header name and value, naming the header (never the value,
/// which may be a secret) in the error.
pub(crate) fn parse_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue)> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid_argument(format!("invalid header name {name:?}")))?;
    let header_value = HeaderValue::from_str(value)
        .map_err(|_| Error::invalid_argument(format!("invalid value for header {name:?}")))?;
    Ok((header_name, header_value))
}
