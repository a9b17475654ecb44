//! The crate's error type: one [`Error`] for every failure, classified by
//! [`ErrorKind`], carrying the HTTP status, the response headers, the parsed
//! error body (typed as the document declares it, see [`Error::typed_body`],
//! and as JSON with a readable [`message`](Error::message)) and the raw body
//! text when the server answered.

use std::fmt;

use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Deserializer, Serialize};

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in broad classes that are stable across API versions.
///
/// HTTP status classes map one to one: `400` is [`ErrorKind::BadRequest`],
/// `401` [`ErrorKind::Authentication`], ... any `5xx` is [`ErrorKind::Server`],
/// and every other non-success status is [`ErrorKind::OtherStatus`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `400 Bad Request`: the request was malformed.
    BadRequest,
    /// `401 Unauthorized`: the API key is missing, invalid or revoked.
    Authentication,
    /// `403 Forbidden`: the API key may not perform this operation.
    PermissionDenied,
    /// `404 Not Found`: the resource does not exist.
    NotFound,
    /// `409 Conflict`: the request conflicts with the resource's state.
    Conflict,
    /// `422 Unprocessable Entity`: the request failed validation.
    UnprocessableEntity,
    /// `429 Too Many Requests`: rate limited; retried automatically.
    RateLimited,
    /// Any `5xx` status: the server failed; retried automatically.
    Server,
    /// Any other non-success status (for example `408` or `410`).
    OtherStatus,
    /// The connection could not be established or was lost (refused,
    /// reset, closed before the response was complete, DNS, TLS).
    Connection,
    /// The request (connect, send and body read) exceeded its timeout.
    Timeout,
    /// A success response whose body could not be decoded into the expected
    /// type; the raw body is kept in [`Error::raw_body`].
    Decode,
    /// The request could not be built from the arguments given: an empty or
    /// `.`/`..` path parameter, a value that does not serialize, an invalid
    /// header, a missing API key, an invalid base URL. Nothing was sent.
    InvalidArgument,
    /// A local I/O failure, such as a file given to
    /// [`FileUpload::from_path`](crate::FileUpload::from_path) that cannot be
    /// opened or read. Nothing was sent.
    Io,
    /// Paging stopped before the end of a list: the server repeated a page
    /// (or pointed back to one already fetched), or the page cap was
    /// reached. The items yielded before it are real; the list is incomplete.
    Paging,
}

impl ErrorKind {
    /// The kind for a non-success HTTP status.
    pub fn from_status(status: StatusCode) -> ErrorKind {
        match status.as_u16() {
            400 => ErrorKind::BadRequest,
            401 => ErrorKind::Authentication,
            403 => ErrorKind::PermissionDenied,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            422 => ErrorKind::UnprocessableEntity,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::OtherStatus,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad request",
            ErrorKind::Authentication => "authentication failed",
            ErrorKind::PermissionDenied => "permission denied",
            ErrorKind::NotFound => "not found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::UnprocessableEntity => "unprocessable entity",
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::Server => "server error",
            ErrorKind::OtherStatus => "unexpected status",
            ErrorKind::Connection => "connection error",
            ErrorKind::Timeout => "request timed out",
            ErrorKind::Decode => "failed to decode response",
            ErrorKind::InvalidArgument => "invalid argument",
            ErrorKind::Io => "I/O error",
            ErrorKind::Paging => "paging stopped early, the list is incomplete",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// An `errors[]` error document (the JSON:API shape):
/// `{"errors": [{"code": ..., "title": ..., "detail": ...}]}`.
///
/// Every field is optional and unknown fields are ignored, so a server that
/// adds fields or omits some never turns an API error into a decode error.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiErrorBody {
    /// The errors reported by the server, most relevant first.
    #[serde(default)]
    pub errors: Vec<ApiErrorDetail>,
}

/// One entry of [`ApiErrorBody::errors`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiErrorDetail {
    /// The API's error code, such as `"10005"` (numbers are read as text).
    #[serde(default, deserialize_with = "lenient_code")]
    pub code: Option<String>,
    /// A short, human-readable summary, such as `"Resource not found"`.
    #[serde(default)]
    pub title: Option<String>,
    /// A longer explanation specific to this occurrence.
    #[serde(default)]
    pub detail: Option<String>,
    /// Which part of the request caused the error.
    #[serde(default)]
    pub source: Option<ApiErrorSource>,
    /// Extra information, such as a link to the error's documentation.
    #[serde(default)]
    pub meta: Option<serde_json::Value>,
}

/// Which part of the request an [`ApiErrorDetail`] is about.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiErrorSource {
    /// A JSON pointer into the request body, such as `"/media_url"`.
    #[serde(default)]
    pub pointer: Option<String>,
    /// The name of the query or path parameter at fault.
    #[serde(default)]
    pub parameter: Option<String>,
}

fn lenient_code<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

impl ApiErrorBody {
    /// Reads an `errors[]` document; `None` unless the JSON is an object
    /// with an `errors` member of the expected shape.
    pub(crate) fn parse(value: &serde_json::Value) -> Option<ApiErrorBody> {
        if !value.get("errors").is_some_and(|e| e.is_array()) {
            return None;
        }
        ApiErrorBody::deserialize(value).ok()
    }
}

impl fmt::Display for ApiErrorDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut wrote = false;
        if let Some(title) = &self.title {
            f.write_str(title)?;
            wrote = true;
        }
        if let Some(code) = &self.code {
            if wrote {
                f.write_str(" ")?;
            }
            write!(f, "(code {code})")?;
            wrote = true;
        }
        if let Some(detail) = self.detail.as_ref().filter(|d| Some(*d) != self.title.as_ref()) {
            if wrote {
                f.write_str(": ")?;
            }
            f.write_str(detail)?;
            wrote = true;
        }
        if let Some(source) = &self.source {
            if let Some(p) = source.pointer.as_ref().or(source.parameter.as_ref()) {
                if wrote {
                    f.write_str(" ")?;
                }
                write!(f, "[at {p}]")?;
                wrote = true;
            }
        }
        if !wrote {
            f.write_str("(no details)")?;
        }
        Ok(())
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The error returned by every fallible operation of this crate.
///
/// Inspect it with [`kind`](Error::kind) or the `is_*` helpers; when the
/// server answered, [`status`](Error::status), [`headers`](Error::headers),
/// [`typed_body`](Error::typed_body) (the error body type the document
/// declares), [`json`](Error::json), [`message`](Error::message),
/// [`body`](Error::body) (an `errors[]` document) and
/// [`raw_body`](Error::raw_body) describe the response. A credential never
/// appears in an error.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    message: String,
    status: Option<StatusCode>,
    headers: Option<HeaderMap>,
    body: Option<ApiErrorBody>,
    json: Option<serde_json::Value>,
    raw_body: Option<String>,
    source: Option<BoxError>,
}

/// How many characters of a raw body an error message quotes.
const RAW_BODY_PREVIEW: usize = 200;

fn preview(raw: &str) -> String {
    let trimmed = raw.trim();
    let mut out: String = trimmed.chars().take(RAW_BODY_PREVIEW).collect();
    if trimmed.chars().nth(RAW_BODY_PREVIEW).is_some() {
        out.push_str("...");
    }
    out
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                status: None,
                headers: None,
                body: None,
                json: None,
                raw_body: None,
                source: None,
            }),
        }
    }

    fn with_source(mut self, source: impl Into<BoxError>) -> Error {
        self.inner.source = Some(source.into());
        self
    }

    /// An invalid-argument error: nothing was sent.
    pub(crate) fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidArgument, message)
    }

    /// A success response whose body is not what was expected, without the
    /// body (an OAuth2 token response: it may hold a secret).
    pub(crate) fn decode_without_body(status: StatusCode, message: impl Into<String>) -> Error {
        let mut err = Error::new(ErrorKind::Decode, message);
        err.inner.status = Some(status);
        err
    }

    /// Paging that stopped before the last page (see [`ErrorKind::Paging`]).
    pub(crate) fn paging(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Paging, message)
    }

    /// A local I/O error (reading an upload).
    pub(crate) fn io(message: impl Into<String>, source: std::io::Error) -> Error {
        Error::new(ErrorKind::Io, message).with_source(source)
    }

    /// A non-success HTTP response.
    pub(crate) fn from_response(status: StatusCode, headers: HeaderMap, raw_body: String) -> Error {
        let kind = ErrorKind::from_status(status);
        let json = serde_json::from_str::<serde_json::Value>(&raw_body).ok();
        let mut err = Error::new(kind, String::new());
        err.inner.status = Some(status);
        err.inner.headers = Some(headers);
        err.inner.body = json.as_ref().and_then(ApiErrorBody::parse);
        err.inner.json = json;
        err.inner.raw_body = Some(raw_body);
        err
    }

    /// A success response whose body did not decode.
    pub(crate) fn decode(
        status: StatusCode,
        headers: HeaderMap,
        raw_body: String,
        source: serde_json::Error,
    ) -> Error {
        let mut err = Error::new(ErrorKind::Decode, source.to_string()).with_source(source);
        err.inner.status = Some(status);
        err.inner.headers = Some(headers);
        err.inner.raw_body = Some(raw_body);
        err
    }

    /// A transport failure from reqwest (connect, send, timeout, body read).
    pub(crate) fn from_reqwest(err: reqwest::Error) -> Error {
        let kind = if err.is_timeout() {
            ErrorKind::Timeout
        } else if err.is_builder() {
            ErrorKind::InvalidArgument
        } else {
            ErrorKind::Connection
        };
        // reqwest's Display names the URL, never headers; an API key sent in
        // the query string is masked in that URL. The source chain (hyper,
        // io) is appended for the root cause.
        let masked = err.url().filter(|url| has_secret(url)).map(|url| {
            let mut masked = url.clone();
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .map(|(k, v)| {
                    let hide = crate::auth::secret_query_params().any(|s| s == k);
                    (k.into_owned(), if hide { "***".to_owned() } else { v.into_owned() })
                })
                .collect();
            masked.query_pairs_mut().clear().extend_pairs(pairs);
            masked
        });
        let (err, mut message) = match masked {
            Some(masked) => {
                let err = err.without_url();
                let message = format!("{err} (url {masked})");
                (err, message)
            }
            None => {
                let message = err.to_string();
                (err, message)
            }
        };
        let mut cause = std::error::Error::source(&err);
        while let Some(c) = cause {
            let text = c.to_string();
            if !message.contains(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            cause = c.source();
        }
        Error::new(kind, message).with_source(err)
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The HTTP status when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.inner.status
    }

    /// The response headers when the server answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.inner.headers.as_ref()
    }

    /// The parsed `errors[]` document, when the error body was one.
    pub fn body(&self) -> Option<&ApiErrorBody> {
        self.inner.body.as_ref()
    }

    /// The response body text, when the server answered (kept for API
    /// errors whether or not it parsed, and for [`ErrorKind::Decode`]).
    pub fn raw_body(&self) -> Option<&str> {
        self.inner.raw_body.as_deref()
    }

    /// The first entry of the `errors[]` document, if any.
    pub fn first_error(&self) -> Option<&ApiErrorDetail> {
        self.inner.body.as_ref().and_then(|b| b.errors.first())
    }

    /// The error body decoded as the type the document declares for error
    /// responses ([`crate::config::ErrorBody`]; raw JSON when it declares
    /// none); `None` when there is no body or it has another shape.
    pub fn typed_body(&self) -> Option<crate::config::ErrorBody> {
        serde_json::from_value(self.inner.json.clone()?).ok()
    }

    /// The error body as JSON, when it was JSON.
    pub fn json(&self) -> Option<&serde_json::Value> {
        self.inner.json.as_ref()
    }

    /// A readable message from the error body, from the common shapes:
    /// `errors[].detail` (or `title`), `message`, `error` (a string, or an
    /// object with a `message`), `title`, `detail`.
    pub fn message(&self) -> Option<String> {
        json_message(self.inner.json.as_ref()?)
    }

    /// The `x-request-id` response header: quote it to the API's support.
    pub fn request_id(&self) -> Option<&str> {
        self.headers()?.get("x-request-id")?.to_str().ok()
    }

    /// `true` for `400 Bad Request`.
    pub fn is_bad_request(&self) -> bool {
        self.kind() == ErrorKind::BadRequest
    }

    /// `true` for `401 Unauthorized`.
    pub fn is_authentication(&self) -> bool {
        self.kind() == ErrorKind::Authentication
    }

    /// `true` for `403 Forbidden`.
    pub fn is_permission_denied(&self) -> bool {
        self.kind() == ErrorKind::PermissionDenied
    }

    /// `true` for `404 Not Found`.
    pub fn is_not_found(&self) -> bool {
        self.kind() == ErrorKind::NotFound
    }

    /// `true` for `409 Conflict`.
    pub fn is_conflict(&self) -> bool {
        self.kind() == ErrorKind::Conflict
    }

    /// `true` for `422 Unprocessable Entity`.
    pub fn is_unprocessable_entity(&self) -> bool {
        self.kind() == ErrorKind::UnprocessableEntity
    }

    /// `true` for `429 Too Many Requests`.
    pub fn is_rate_limited(&self) -> bool {
        self.kind() == ErrorKind::RateLimited
    }

    /// `true` for any `5xx` status.
    pub fn is_server(&self) -> bool {
        self.kind() == ErrorKind::Server
    }

    /// `true` for a non-success status without a dedicated kind.
    pub fn is_other_status(&self) -> bool {
        self.kind() == ErrorKind::OtherStatus
    }

    /// `true` when the server answered with a non-success status (any of the
    /// status kinds above).
    pub fn is_status(&self) -> bool {
        self.inner.status.is_some() && self.kind() != ErrorKind::Decode
    }

    /// `true` when the connection failed or was lost.
    pub fn is_connection(&self) -> bool {
        self.kind() == ErrorKind::Connection
    }

    /// `true` when the request timed out.
    pub fn is_timeout(&self) -> bool {
        self.kind() == ErrorKind::Timeout
    }

    /// `true` when a success response could not be decoded.
    pub fn is_decode(&self) -> bool {
        self.kind() == ErrorKind::Decode
    }

    /// `true` when the request could not be built; nothing was sent.
    pub fn is_invalid_argument(&self) -> bool {
        self.kind() == ErrorKind::InvalidArgument
    }

    /// `true` for a local I/O failure (reading an upload); nothing was sent.
    pub fn is_io(&self) -> bool {
        self.kind() == ErrorKind::Io
    }

    /// `true` when sending the same request again may succeed: connection
    /// errors, timeouts, `408`, `409`, `429` and `5xx`, unless the server said
    /// otherwise with `x-should-retry`. The client already retried such
    /// errors [`max_retries`](crate::ClientBuilder::max_retries) times.
    pub fn is_retryable(&self) -> bool {
        match (self.kind(), self.inner.status) {
            (ErrorKind::Connection | ErrorKind::Timeout, _) => true,
            (_, Some(status)) if self.kind() != ErrorKind::Decode => {
                status_is_retryable(status, self.inner.headers.as_ref())
            }
            _ => false,
        }
    }
}

/// The retry rule for a response: `x-should-retry: true|false` wins; else
/// 408, 409, 429 and 5xx are retryable.
pub(crate) fn status_is_retryable(status: StatusCode, headers: Option<&HeaderMap>) -> bool {
    let hint = headers
        .and_then(|h| h.get("x-should-retry"))
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_lowercase());
    match hint.as_deref() {
        Some("true") => return true,
        Some("false") => return false,
        _ => {}
    }
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        match (inner.kind, inner.status) {
            (ErrorKind::Decode, status) => {
                write!(f, "failed to decode response body")?;
                if let Some(status) = status {
                    write!(f, " ({status})")?;
                }
                write!(f, ": {}", inner.message)?;
                if let Some(raw) = &inner.raw_body {
                    write!(f, "; body: {:?}", preview(raw))?;
                }
            }
            (_, Some(status)) => {
                write!(f, "{status}")?;
                let errors = inner.body.as_ref().map(|b| b.errors.as_slice()).unwrap_or(&[]);
                if !errors.is_empty() {
                    f.write_str(": ")?;
                    for (i, e) in errors.iter().enumerate() {
                        if i > 0 {
                            f.write_str("; ")?;
                        }
                        write!(f, "{e}")?;
                    }
                } else if let Some(message) = self.message() {
                    write!(f, ": {message}")?;
                } else if let Some(raw) = inner.raw_body.as_deref().filter(|r| !r.trim().is_empty()) {
                    write!(f, ": {}", preview(raw))?;
                }
            }
            (kind, None) => {
                write!(f, "{kind}: {}", inner.message)?;
            }
        }
        if let Some(id) = self.request_id() {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &inner.kind);
        if !inner.message.is_empty() {
            d.field("message", &inner.message);
        }
        if let Some(status) = inner.status {
            d.field("status", &status);
        }
        if let Some(id) = self.request_id() {
            d.field("request_id", &id);
        }
        if let Some(body) = &inner.body {
            d.field("body", body);
        } else if let Some(raw) = &inner.raw_body {
            d.field("raw_body", &preview(raw));
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// Whether a URL carries a secret query parameter (an API key in the query).
fn has_secret(url: &reqwest::Url) -> bool {
    url.query_pairs().any(|(k, _)| crate::auth::secret_query_params().any(|s| s == k))
}

/// The readable message of a JSON error body (see [`Error::message`]).
fn json_message(value: &serde_json::Value) -> Option<String> {
    let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if let Some(errors) = value.get("errors").and_then(|e| e.as_array()) {
        let parts: Vec<String> = errors
            .iter()
            .filter_map(|e| text(e.get("detail")).or_else(|| text(e.get("title"))).or_else(|| text(e.get("message"))).or_else(|| text(Some(e))))
            .collect();
        if !parts.is_empty() {
            return Some(parts.join("; "));
        }
    }
    text(value.get("message"))
        .or_else(|| text(value.get("error")))
        .or_else(|| text(value.get("error").and_then(|e| e.get("message"))))
        .or_else(|| text(value.get("title")))
        .or_else(|| text(value.get("detail")))
        .or_else(|| text(value.get("error_description")))
}
