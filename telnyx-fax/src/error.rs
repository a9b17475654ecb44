//! The crate's error type: one [`Error`] for every failure, classified by
//! [`ErrorKind`], carrying the HTTP status, the response headers, the parsed
//! error body (typed as the document declares it, see [`Error::typed_body`],
//! and as JSON with a readable [`message`](Error::message)) and the raw body
//! text when the server answered.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

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
    /// header, a missing API key, a client whose credentials are all for
    /// schemes the operation does not accept, an invalid base URL. Nothing
    /// was sent.
    InvalidArgument,
    /// A local I/O failure, such as a file given to
    /// [`FileUpload::from_path`](crate::FileUpload::from_path) that cannot be
    /// opened or read. Nothing was sent.
    Io,
    /// Paging stopped before the end of a list: the server repeated a page
    /// (or pointed back to one already fetched), or the page cap was
    /// reached. The items yielded before it are real; the list is incomplete.
    Paging,
    /// A success response whose body is larger than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes),
    /// [`Request::max_response_bytes`](crate::Request::max_response_bytes)):
    /// the rest was not read, so a server cannot make the client hold an
    /// unbounded body. The status and headers are kept; not retried.
    ResponseTooLarge,
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
            ErrorKind::ResponseTooLarge => "response too large",
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

/// The error's state. Of a response body it keeps ONE bounded copy, the
/// text (at most [`MAX_ERROR_BODY_BYTES`]); the JSON value and the
/// `errors[]` document are parsed from it when first asked for, so an
/// error that is only displayed or matched on never holds more.
struct Inner {
    kind: ErrorKind,
    message: String,
    status: Option<StatusCode>,
    headers: Option<HeaderMap>,
    /// The body is an API error body: `json()` and `body()` parse it.
    parse_body: bool,
    json: OnceLock<Option<serde_json::Value>>,
    body: OnceLock<Option<ApiErrorBody>>,
    raw_body: Option<String>,
    /// The server sent more than [`MAX_ERROR_BODY_BYTES`]; the rest was not read.
    body_truncated: bool,
    /// A transport failure before the connection was made (refused, DNS,
    /// TLS, connect timeout): the server never saw the request.
    connect_failure: bool,
    source: Option<BoxError>,
}

/// How many characters of a raw body an error message quotes.
const RAW_BODY_PREVIEW: usize = 200;

/// The most bytes of a response body an error keeps (and the client reads
/// of an error response): enough for any real error document, bounded
/// whatever the server sends.
pub(crate) const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// The most characters of the server's message an error's `Display` shows
/// (it is logged on every retry).
const MAX_MESSAGE_CHARS: usize = 1000;

/// `text` cut to at most `max` characters (at a character boundary), with an
/// ellipsis when something was cut.
fn bounded(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
        None => Cow::Borrowed(text),
    }
}

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
                parse_body: false,
                json: OnceLock::new(),
                body: OnceLock::new(),
                raw_body: None,
                body_truncated: false,
                connect_failure: false,
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

    /// A non-success HTTP response whose body (or its first bytes, when
    /// `truncated`) is `body`; at most [`MAX_ERROR_BODY_BYTES`] are kept.
    pub(crate) fn from_response_body(status: StatusCode, headers: HeaderMap, body: &[u8], truncated: bool) -> Error {
        let kind = ErrorKind::from_status(status);
        let mut err = Error::new(kind, String::new());
        err.inner.status = Some(status);
        err.inner.headers = Some(headers);
        err.inner.parse_body = true;
        err.inner.body_truncated = truncated || body.len() > MAX_ERROR_BODY_BYTES;
        err.inner.raw_body = Some(bounded_text(body));
        err
    }

    /// A success response whose body did not decode (the body cut to
    /// [`MAX_ERROR_BODY_BYTES`]).
    pub(crate) fn decode(status: StatusCode, headers: HeaderMap, body: &[u8], source: serde_json::Error) -> Error {
        let mut err = Error::new(ErrorKind::Decode, source.to_string()).with_source(source);
        err.inner.status = Some(status);
        err.inner.headers = Some(headers);
        err.inner.body_truncated = body.len() > MAX_ERROR_BODY_BYTES;
        err.inner.raw_body = Some(bounded_text(body));
        err
    }

    /// A success response larger than `limit` bytes (`length` when the
    /// server announced it with `Content-Length`).
    pub(crate) fn response_too_large(
        status: StatusCode,
        headers: HeaderMap,
        operation_id: &str,
        limit: u64,
        length: Option<u64>,
    ) -> Error {
        let announced = match length {
            Some(n) => format!(" (Content-Length: {n})"),
            None => String::new(),
        };
        let message = format!(
            "the response body of {operation_id} is larger than the limit of {limit} bytes{announced}; \
             raise it with max_response_bytes"
        );
        let mut err = Error::new(ErrorKind::ResponseTooLarge, message);
        err.inner.status = Some(status);
        err.inner.headers = Some(headers);
        err
    }

    /// A timeout of the whole call: its deadline passed before an attempt
    /// could start.
    pub(crate) fn deadline_exceeded(operation_id: &str, deadline: std::time::Duration) -> Error {
        Error::new(
            ErrorKind::Timeout,
            format!("the deadline of {} ms for {operation_id} passed before a response", deadline.as_millis()),
        )
    }

    /// Whether this is a transport failure before the connection was made
    /// (the server never saw the request).
    pub(crate) fn is_connect_failure(&self) -> bool {
        self.inner.connect_failure
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
        let connect_failure = err.is_connect();
        let mut error = Error::new(kind, message).with_source(err);
        error.inner.connect_failure = connect_failure;
        error
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
        self.inner.body.get_or_init(|| self.json().and_then(ApiErrorBody::parse)).as_ref()
    }

    /// The response body text, when the server answered (kept for API
    /// errors whether or not it parsed, and for [`ErrorKind::Decode`]): at
    /// most the first 64 KiB (see [`body_truncated`](Self::body_truncated)).
    pub fn raw_body(&self) -> Option<&str> {
        self.inner.raw_body.as_deref()
    }

    /// `true` when the response body was longer than the 64 KiB an error
    /// keeps: [`raw_body`](Self::raw_body) holds its start, and it was not
    /// parsed as JSON.
    pub fn body_truncated(&self) -> bool {
        self.inner.body_truncated
    }

    /// The first entry of the `errors[]` document, if any.
    pub fn first_error(&self) -> Option<&ApiErrorDetail> {
        self.body().and_then(|b| b.errors.first())
    }

    /// The error body decoded as the type the document declares for error
    /// responses ([`crate::config::ErrorBody`]; raw JSON when it declares
    /// none); `None` when there is no body or it has another shape.
    pub fn typed_body(&self) -> Option<crate::config::ErrorBody> {
        serde_json::from_value(self.json()?.clone()).ok()
    }

    /// The error body as JSON, when it was JSON (parsed from
    /// [`raw_body`](Self::raw_body) on first use; `None` for a body cut at
    /// the 64 KiB an error keeps).
    pub fn json(&self) -> Option<&serde_json::Value> {
        if !self.inner.parse_body || self.inner.body_truncated {
            return None;
        }
        self.inner
            .json
            .get_or_init(|| serde_json::from_str(self.inner.raw_body.as_deref()?).ok())
            .as_ref()
    }

    /// A readable message from the error body, from the common shapes:
    /// `errors[].detail` (or `title`), `message`, `error` (a string, or an
    /// object with a `message`), `title`, `detail`.
    pub fn message(&self) -> Option<String> {
        json_message(self.json()?)
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
        self.inner.status.is_some() && !matches!(self.kind(), ErrorKind::Decode | ErrorKind::ResponseTooLarge)
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
    /// otherwise with `x-should-retry`. The client retried such an error as
    /// far as its [`RetryPolicy`](crate::RetryPolicy) allows: with the
    /// default policy, a `POST` without an idempotency key that may have
    /// reached the server (a timeout, a `5xx`) was sent once, so check
    /// whether it took effect before sending it again.
    pub fn is_retryable(&self) -> bool {
        crate::retry::classify(self) != crate::retry::Failure::Permanent
    }
}

/// The first [`MAX_ERROR_BODY_BYTES`] of a body as text (a character cut at
/// the end is dropped, not replaced).
fn bounded_text(body: &[u8]) -> String {
    let mut end = body.len().min(MAX_ERROR_BODY_BYTES);
    if end < body.len() {
        // Back up to the start of the character cut (at most 3 bytes).
        let floor = end.saturating_sub(3);
        while end > floor && (body[end] & 0xC0) == 0x80 {
            end -= 1;
        }
    }
    String::from_utf8_lossy(&body[..end]).into_owned()
}

/// An error entry without what the status line already says: a title that
/// is the status's reason phrase and a code that is the status number
/// (`429 Too Many Requests: slow down`, not `429 Too Many Requests: Too Many
/// Requests (code 429): slow down`).
fn without_status_words(e: &ApiErrorDetail, status: StatusCode) -> ApiErrorDetail {
    let mut e = e.clone();
    let reason = status.canonical_reason().unwrap_or("");
    if e.title.as_deref().is_some_and(|t| !reason.is_empty() && t.trim().eq_ignore_ascii_case(reason)) {
        e.title = None;
    }
    if e.code.as_deref().is_some_and(|c| c.trim() == status.as_str()) {
        e.code = None;
    }
    e
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        match (inner.kind, inner.status) {
            (ErrorKind::ResponseTooLarge, _) => {
                write!(f, "{}: {}", inner.kind, inner.message)?;
            }
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
                let errors = self.body().map(|b| b.errors.as_slice()).unwrap_or(&[]);
                if !errors.is_empty() {
                    let mut text = String::new();
                    for e in errors {
                        let e = without_status_words(e, status);
                        let said = [&e.title, &e.code, &e.detail].iter().any(|t| t.is_some()) || e.source.is_some();
                        if !said {
                            continue;
                        }
                        let e = e.to_string();
                        if !text.is_empty() {
                            text.push_str("; ");
                        }
                        text.push_str(&e);
                        if text.len() > 4 * MAX_MESSAGE_CHARS {
                            break;
                        }
                    }
                    if !text.is_empty() {
                        write!(f, ": {}", bounded(&text, MAX_MESSAGE_CHARS))?;
                    }
                } else if let Some(message) = self.message() {
                    write!(f, ": {}", bounded(&message, MAX_MESSAGE_CHARS))?;
                } else if let Some(raw) = inner.raw_body.as_deref().filter(|r| !r.trim().is_empty()) {
                    write!(f, ": {}", preview(raw))?;
                }
                if status.is_redirection() {
                    if let Some(location) = self.headers().and_then(|h| h.get("location")).and_then(|v| v.to_str().ok()) {
                        write!(f, " (redirect to {} not followed: another origin)", bounded(location, 200))?;
                    }
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
        if let Some(body) = self.body() {
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
