//! [`Request`]: one API call being built, then sent with retries, and
//! [`ApiResponse`]: a decoded response with its status and headers.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{HeaderMap, CONTENT_TYPE};
use http::{HeaderValue, StatusCode};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use tracing::Instrument;

use crate::client::{parse_header, Client, MAX_RETRY_DELAY};
use crate::error::{status_is_retryable, Error, Result};
use crate::multipart::Form;

/// Characters percent-encoded in a path parameter: everything except the
/// RFC 3986 unreserved set, so the value always stays one path segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The longest `Retry-After` / `retry-after-ms` the client waits for; a
/// longer (or zero) value falls back to the computed backoff.
const MAX_SERVER_RETRY_DELAY: Duration = Duration::from_secs(60);

/// One API call: built by the generated resource methods, refined with the
/// per-request options below, then sent by `.await` (or [`send`](Self::send),
/// [`send_with_response`](Self::send_with_response)).
///
/// `T` is the type the response body is decoded into. An empty body (such
/// as a `204 No Content`) decodes as JSON `null`, so `()` and `Option<_>`
/// work for operations without a response body.
///
/// Invalid arguments (an empty path parameter, a value that does not
/// serialize, an invalid header) are recorded while building and returned
/// when the request is awaited, before anything is sent.
///
/// ```no_run
/// # async fn run(client: &telnyx_fax::Client) -> telnyx_fax::Result<()> {
/// use std::time::Duration;
/// use telnyx_fax::Request;
///
/// let fax: serde_json::Value = Request::new(client, reqwest::Method::GET, "/faxes/{id}", "ViewFax")
///     .path_param("id", "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0")
///     .timeout(Duration::from_secs(5))
///     .max_retries(0)
///     .await?;
/// # Ok(()) }
/// ```
pub struct Request<'a, T> {
    client: &'a Client,
    method: Method,
    path_template: &'static str,
    operation_id: &'static str,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Body,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    /// The first invalid argument met while building; returned on send.
    error: Option<String>,
    /// Decode the response as raw bytes instead of JSON.
    raw_response: bool,
    _response: PhantomData<fn() -> T>,
}

#[derive(Clone, Debug)]
enum Body {
    None,
    Json(Value),
    Multipart(Form),
    /// `application/x-www-form-urlencoded` pairs.
    Form(Vec<(String, String)>),
    /// A raw body (`application/octet-stream` and other non-JSON types).
    File(crate::FileUpload),
}

impl<T> Clone for Request<'_, T> {
    fn clone(&self) -> Self {
        Request {
            client: self.client,
            method: self.method.clone(),
            path_template: self.path_template,
            operation_id: self.operation_id,
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            timeout: self.timeout,
            max_retries: self.max_retries,
            error: self.error.clone(),
            raw_response: self.raw_response,
            _response: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Request<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values are left out: a caller may put secrets there.
        f.debug_struct("Request")
            .field("operation_id", &self.operation_id)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body", &self.body)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("error", &self.error)
            .finish()
    }
}

impl<'a, T> Request<'a, T> {
    /// A request for `method path_template` (relative to the client's base
    /// URL, starting with `/`, with `{name}` placeholders for the path
    /// parameters). `operation_id` names the operation in traces.
    pub fn new(
        client: &'a Client,
        method: Method,
        path_template: &'static str,
        operation_id: &'static str,
    ) -> Self {
        Request {
            client,
            method,
            path_template,
            operation_id,
            path: path_template.to_owned(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Body::None,
            timeout: None,
            max_retries: None,
            error: None,
            raw_response: false,
            _response: PhantomData,
        }
    }

    fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(message);
        }
    }

    /// Replaces `{name}` in the path with `value`, percent-encoded as one path
    /// segment (`a/b` becomes `a%2Fb`). An empty value, `.` or `..` is an
    /// invalid argument.
    pub fn path_param(mut self, name: &str, value: impl AsRef<str>) -> Self {
        let value = value.as_ref();
        if value.is_empty() || value == "." || value == ".." {
            self.fail(format!(
                "path parameter `{name}` of {} must not be empty, `.` or `..` (got {value:?})",
                self.operation_id
            ));
            return self;
        }
        let placeholder = format!("{{{name}}}");
        if !self.path.contains(&placeholder) {
            self.fail(format!(
                "path `{}` has no parameter `{name}`",
                self.path_template
            ));
            return self;
        }
        let encoded = utf8_percent_encode(value, PATH_SEGMENT).to_string();
        self.path = self.path.replace(&placeholder, &encoded);
        self
    }

    /// Adds a query parameter: `null`/`None` sends nothing, a scalar sends
    /// `name=value`, an object `name[key]=value` (recursively, OpenAPI
    /// `deepObject`), an array repeats `name=value`.
    pub fn query_param<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        if let Err(e) = crate::query::encode(name, value, &mut self.query) {
            self.fail(format!("query parameter `{name}` does not serialize: {e}"));
        }
        self
    }

    /// Adds a header parameter: `null`/`None` sends nothing; strings as is;
    /// numbers and booleans in their JSON spelling; arrays comma-separated.
    pub fn header_param<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        let value = match serde_json::to_value(value) {
            Ok(v) => v,
            Err(e) => {
                self.fail(format!("header `{name}` does not serialize: {e}"));
                return self;
            }
        };
        let text = match value {
            Value::Null => return self,
            Value::Array(items) => items.iter().map(simple_text).collect::<Vec<_>>().join(","),
            Value::Object(map) => map
                .iter()
                .flat_map(|(k, v)| [k.clone(), simple_text(v)])
                .collect::<Vec<_>>()
                .join(","),
            other => simple_text(&other),
        };
        self.insert_header(name, &text)
    }

    fn insert_header(mut self, name: &str, value: &str) -> Self {
        match parse_header(name, value) {
            Ok((name, value)) => {
                self.headers.insert(name, value);
            }
            Err(e) => self.fail(e.to_string()),
        }
        self
    }

    /// Sends `body` as compact JSON with `content-type: application/json`.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_value(body) {
            Ok(value) => self.body = Body::Json(value),
            Err(e) => self.fail(format!("request body does not serialize: {e}")),
        }
        self
    }

    /// Sends `form` as `multipart/form-data`.
    pub fn multipart(mut self, form: Form) -> Self {
        self.body = Body::Multipart(form);
        self
    }

    /// Sends `body` as `application/x-www-form-urlencoded`, with the same
    /// deepObject rules as query parameters for nested values.
    pub fn form<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        let mut pairs = Vec::new();
        match serde_json::to_value(body) {
            Ok(Value::Object(map)) => {
                for (key, value) in &map {
                    crate::query::encode_value(key, value, &mut pairs);
                }
                self.body = Body::Form(pairs);
            }
            Ok(_) => self.fail("a form body must serialize to an object".to_string()),
            Err(e) => self.fail(format!("request body does not serialize: {e}")),
        }
        self
    }

    /// Sends the file's bytes as the whole body, with its content type.
    pub fn file_body(mut self, file: crate::FileUpload) -> Self {
        self.body = Body::File(file);
        self
    }

    /// Returns the response body as raw bytes (for non-JSON responses such
    /// as PDF or TIFF downloads) instead of decoding JSON.
    pub fn bytes_response(mut self) -> Self {
        self.raw_response = true;
        self
    }

    /// The timeout of each attempt of this request, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The number of retries of this request, instead of the client's.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// An extra header for this request; it replaces a header of the same
    /// name set by the client or by the operation.
    pub fn header(self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        self.insert_header(name.as_ref(), value.as_ref())
    }

    /// An extra query parameter (for example one the spec does not document
    /// yet); it replaces any value already set for `key`.
    pub fn extra_query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let key = key.into();
        self.query.retain(|(k, _)| *k != key);
        self.query.push((key, value.into()));
        self
    }

    /// An extra top-level field in the JSON body (replacing a field of the
    /// same name); creates a `{}` body when there was none. On a multipart
    /// body, adds a part following [`Form::field`]'s rules.
    pub fn extra_body(mut self, key: impl Into<String>, value: Value) -> Self {
        let key = key.into();
        match &mut self.body {
            Body::None => {
                let mut map = serde_json::Map::new();
                map.insert(key, value);
                self.body = Body::Json(Value::Object(map));
            }
            Body::Json(Value::Object(map)) => {
                map.insert(key, value);
            }
            Body::Json(_) => {
                self.fail(format!("extra_body(`{key}`) needs a JSON object body"));
            }
            Body::Multipart(form) => {
                let form = std::mem::take(form);
                self.body = Body::Multipart(form.field(key, &value));
            }
            Body::Form(pairs) => crate::query::encode_value(&key, &value, pairs),
            Body::File(_) => {
                self.fail(format!("extra_body(`{key}`) cannot be added to a raw file body"));
            }
        }
        self
    }

    /// Sets `key` to `value`, replacing existing values (used by pagination).
    pub(crate) fn set_query(self, key: &str, value: String) -> Self {
        self.extra_query(key, value)
    }

    /// The operation id given to [`Request::new`].
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The path with its parameters filled in (not yet joined to the base URL).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The full URL the request will be sent to, with its query string.
    pub fn url(&self) -> Result<reqwest::Url> {
        if let Some(start) = self.path.find('{') {
            let name = self.path[start + 1..].split('}').next().unwrap_or("");
            return Err(Error::invalid_argument(format!(
                "path parameter `{name}` of {} was not given",
                self.operation_id
            )));
        }
        let joined = format!("{}{}", self.client.inner.base_url, self.path);
        let mut url = reqwest::Url::parse(&joined)
            .map_err(|e| Error::invalid_argument(format!("invalid request URL {joined:?}: {e}")))?;
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(self.query.iter());
        }
        Ok(url)
    }

    /// Sends the request (with retries) and decodes the response body.
    pub async fn send(self) -> Result<T>
    where
        T: DeserializeOwned,
    {
        self.send_with_response().await.map(|r| r.data)
    }

    /// Sends the request (with retries) and returns the decoded body with
    /// the response's status and headers.
    pub async fn send_with_response(self) -> Result<ApiResponse<T>>
    where
        T: DeserializeOwned,
    {
        let (status, headers, body) = self.execute().await?;
        if self.raw_response {
            let de = serde::de::value::BytesDeserializer::<serde_json::Error>::new(&body);
            return match T::deserialize(de) {
                Ok(data) => Ok(ApiResponse { status, headers, data }),
                Err(e) => Err(Error::decode(status, headers, String::new(), e)),
            };
        }
        let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &body
        };
        match serde_json::from_slice::<T>(text) {
            Ok(data) => Ok(ApiResponse {
                status,
                headers,
                data,
            }),
            Err(e) => Err(Error::decode(
                status,
                headers,
                String::from_utf8_lossy(&body).into_owned(),
                e,
            )),
        }
    }

    /// Runs the attempts; returns the first success response, or the last
    /// error once it is not retryable or the retries are used up.
    async fn execute(&self) -> Result<(StatusCode, HeaderMap, Bytes)> {
        if let Some(message) = &self.error {
            return Err(Error::invalid_argument(message.clone()));
        }
        let url = self.url()?;
        let json = match &self.body {
            Body::Json(value) => Some(Bytes::from(serde_json::to_vec(value).map_err(|e| {
                Error::invalid_argument(format!("request body does not serialize: {e}"))
            })?)),
            _ => None,
        };
        let client = &self.client.inner;
        let max_retries = self.max_retries.unwrap_or(client.max_retries);
        let timeout = self.timeout.unwrap_or(client.timeout);

        let mut attempt: u32 = 0;
        loop {
            let span = tracing::info_span!(
                "telnyx_request",
                method = %self.method,
                path = self.path_template,
                operation_id = self.operation_id,
                attempt,
                status = tracing::field::Empty,
            );
            let outcome = self
                .attempt(url.clone(), json.clone(), timeout, &span)
                .instrument(span.clone())
                .await;
            let (error, retryable) = match outcome {
                Ok((status, headers, body)) if status.is_success() => {
                    return Ok((status, headers, body));
                }
                Ok((status, headers, body)) => {
                    let retryable = status_is_retryable(status, Some(&headers));
                    let error =
                        Error::from_response(status, headers, String::from_utf8_lossy(&body).into_owned());
                    (error, retryable)
                }
                Err(error) => {
                    let retryable = error.is_connection() || error.is_timeout();
                    (error, retryable)
                }
            };
            if !retryable || attempt >= max_retries {
                return Err(error);
            }
            let delay = retry_delay(attempt, client.retry_base_delay, error.headers());
            tracing::debug!(
                parent: &span,
                delay_ms = delay.as_millis() as u64,
                error = %error,
                "retrying request"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One attempt: build, send, read the whole body.
    async fn attempt(
        &self,
        url: reqwest::Url,
        json: Option<Bytes>,
        timeout: Duration,
        span: &tracing::Span,
    ) -> Result<(StatusCode, HeaderMap, Bytes)> {
        let client = &self.client.inner;
        let mut headers = client.default_headers.clone();
        if json.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
        let mut builder = client
            .http
            .request(self.method.clone(), url)
            .headers(headers)
            .timeout(timeout);
        match &self.body {
            Body::None => {}
            Body::Json(_) => {
                if let Some(bytes) = json {
                    builder = builder.body(bytes);
                }
            }
            Body::Multipart(form) => builder = builder.multipart(form.to_reqwest().await?),
            Body::Form(pairs) => builder = builder.form(pairs),
            Body::File(file) => {
                let bytes = file.read_bytes().await?;
                builder = builder.header(CONTENT_TYPE, file.get_content_type()).body(bytes);
            }
        }
        let response = builder.send().await.map_err(Error::from_reqwest)?;
        let status = response.status();
        span.record("status", status.as_u16());
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::from_reqwest)?;
        Ok((status, headers, body))
    }
}

/// A header or path value in OpenAPI `simple` style.
fn simple_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The wait before retry number `attempt` (from 0): the server's
/// `retry-after-ms` or `Retry-After` when within (0, 60 s], else
/// `base × 2^attempt` capped at 8 s, minus up to 25 % jitter.
pub(crate) fn retry_delay(attempt: u32, base: Duration, headers: Option<&HeaderMap>) -> Duration {
    if let Some(delay) = headers.and_then(server_retry_delay) {
        return delay;
    }
    let backoff = base
        .checked_mul(1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX))
        .unwrap_or(MAX_RETRY_DELAY)
        .min(MAX_RETRY_DELAY);
    backoff.mul_f64(1.0 - 0.25 * fastrand::f64())
}

/// The delay the server asked for, when it is a sensible one.
fn server_retry_delay(headers: &HeaderMap) -> Option<Duration> {
    let in_range = |d: Duration| (!d.is_zero() && d <= MAX_SERVER_RETRY_DELAY).then_some(d);
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);

    if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() && ms > 0.0 {
            if let Some(d) = in_range(Duration::from_secs_f64(ms.min(1e9) / 1000.0)) {
                return Some(d);
            }
        }
    }
    let value = header("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        if secs.is_finite() && secs > 0.0 {
            return in_range(Duration::from_secs_f64(secs.min(1e9)));
        }
        return None;
    }
    let at = httpdate::parse_http_date(value).ok()?;
    in_range(at.duration_since(SystemTime::now()).ok()?)
}

impl<'a, T> IntoFuture for Request<'a, T>
where
    T: DeserializeOwned + Send + 'a,
{
    type Output = Result<T>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A decoded response together with its HTTP status and headers; returned
/// by [`Request::send_with_response`].
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    /// The HTTP status (a success status).
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub data: T,
}

impl<T> ApiResponse<T> {
    /// The `x-request-id` response header: quote it to Telnyx support.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("x-request-id")?.to_str().ok()
    }

    /// The decoded body, dropping status and headers.
    pub fn into_data(self) -> T {
        self.data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn server_delay_rules() {
        assert_eq!(
            server_retry_delay(&headers(&[("retry-after-ms", "250")])),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            server_retry_delay(&headers(&[("retry-after-ms", "250"), ("retry-after", "3")])),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            server_retry_delay(&headers(&[("retry-after-ms", "0"), ("retry-after", "3")])),
            Some(Duration::from_secs(3))
        );
        assert_eq!(server_retry_delay(&headers(&[("retry-after", "0")])), None);
        assert_eq!(server_retry_delay(&headers(&[("retry-after", "61")])), None);
        assert_eq!(server_retry_delay(&headers(&[("retry-after", "-1")])), None);
        assert_eq!(server_retry_delay(&headers(&[("retry-after", "soon")])), None);
        let in_10s = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(10));
        let d = server_retry_delay(&headers(&[("retry-after", &in_10s)])).unwrap();
        assert!(d > Duration::from_secs(7) && d <= Duration::from_secs(10), "{d:?}");
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(10));
        assert_eq!(server_retry_delay(&headers(&[("retry-after", &past)])), None);
    }

    #[test]
    fn backoff_grows_with_jitter_and_cap() {
        let base = Duration::from_millis(500);
        for _ in 0..50 {
            let d0 = retry_delay(0, base, None);
            assert!(d0 <= base && d0 >= base.mul_f64(0.75), "{d0:?}");
            let d2 = retry_delay(2, base, None);
            assert!(d2 <= base * 4 && d2 >= (base * 4).mul_f64(0.75), "{d2:?}");
            let d9 = retry_delay(9, base, None);
            assert!(d9 <= MAX_RETRY_DELAY && d9 >= MAX_RETRY_DELAY.mul_f64(0.75), "{d9:?}");
            assert!(retry_delay(200, base, None) <= MAX_RETRY_DELAY);
        }
        assert_eq!(
            retry_delay(0, base, Some(&headers(&[("retry-after", "2")]))),
            Duration::from_secs(2)
        );
    }
}
