//! [`Request`]: one API call being built, then sent with retries, and
//! [`ApiResponse`]: a decoded response with its status and headers.
//!
//! A request is generic over the client that sends it ([`ClientMode`]): the
//! async [`Client`] (the request is a [`Future`]) or, with the `blocking`
//! feature, `blocking::Client` (the request has a blocking `send()`). The
//! resource handles and every generated method are written once for both.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use http::header::{HeaderMap, HeaderName, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderValue, StatusCode};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use tracing::Instrument;

use crate::client::{parse_header, Client, MAX_RETRY_DELAY};
use crate::error::{Error, Result, MAX_ERROR_BODY_BYTES};
use crate::multipart::Form;
use crate::retry::{classify, is_idempotent, new_idempotency_key};

/// Characters percent-encoded in a path parameter: everything but RFC 3986
/// `unreserved` (`A-Z a-z 0-9 - . _ ~`). The sub-delimiters `!$&'()*+,;=`,
/// `:` and `@` are legal in a segment but a server may read them as
/// structure (a servlet container takes `;` as the start of path
/// parameters, so `..;` would be read as `..`), and `/`, `?`, `#`, `%` would
/// end or split the segment: all are encoded, so a value is always one
/// opaque segment. The official SDKs leave the sub-delimiters as they are.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The client a [`Request`] is sent with: the async [`Client`] or, with the
/// `blocking` feature, `blocking::Client`. Sealed: implemented by this crate
/// only. Resource handles and requests are generic over it, so every
/// generated method exists once for both clients.
pub trait ClientMode: sealed::Sealed {
    /// The async client doing the HTTP work (the blocking client wraps one).
    #[doc(hidden)]
    fn async_client(&self) -> &Client;
}

impl ClientMode for Client {
    fn async_client(&self) -> &Client {
        self
    }
}

pub(crate) mod sealed {
    /// Keeps [`ClientMode`](super::ClientMode) implemented by this crate only.
    pub trait Sealed {}
    impl Sealed for crate::Client {}
}

/// The boxed send future a [`Request`] creates on its first poll.
type SendFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

/// The longest `Retry-After` / `retry-after-ms` the client waits for; a
/// longer one ends the call with the error (the server asked for more
/// patience than a call should have), a zero one falls back to the
/// computed backoff.
const MAX_SERVER_RETRY_DELAY: Duration = Duration::from_secs(60);

/// The idempotency header sent when neither the document nor the crate
/// config names one (the IETF draft's and Stripe's spelling).
const DEFAULT_IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// One API call: built by the generated resource methods, refined with the
/// operation's optional parameters and the per-request options below, then
/// sent by `.await` (or [`send`](Self::send),
/// [`send_with_response`](Self::send_with_response)); with the blocking
/// client, by `.send()`.
///
/// * `T` is the type the response body is decoded into. An empty body (such
///   as a `204 No Content`) decodes as JSON `null`, so `()` and `Option<_>`
///   work for operations without a response body.
/// * `P` holds the operation's optional parameters (for example
///   `ItemsListParams`), set one by one with the generated setters
///   (`.page_size(20)`) or all at once with [`params`](Self::params); `()`
///   for operations without optional parameters. A distinct `P` per
///   operation is what scopes each operation's setters to its own requests.
/// * `C` is the client mode ([`ClientMode`]).
///
/// With the async client a request is a [`Future`]: it is lazy (nothing is
/// built or sent before its first poll), and forgetting `.await` gets rustc's
/// "consider using `.await`" hint instead of a puzzling `?` error.
///
/// Invalid arguments (an empty path parameter, a value that does not
/// serialize, an invalid header) are recorded while building and returned
/// when the request is awaited, before anything is sent.
///
/// ```no_run
/// # async fn run(client: &my_api::Client) -> my_api::Result<()> {
/// use std::time::Duration;
/// use my_api::Request;
///
/// let item: serde_json::Value = Request::new(client, reqwest::Method::GET, "/items/{id}", "getItem")
///     .path_param("id", "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0")
///     .timeout(Duration::from_secs(5))
///     .max_retries(0)
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a request does nothing until it is awaited (or sent with `.send()`)"]
pub struct Request<'a, T, P = (), C = Client> {
    client: &'a C,
    parts: Parts,
    /// The operation's optional parameters, folded into the query and headers
    /// when the request is sent.
    pub(crate) params: P,
    /// The send future, created on the first poll.
    pending: Option<SendFuture<'a, T>>,
    _response: PhantomData<fn() -> T>,
}

/// Everything about a request except its client and typed parameters.
#[derive(Clone, Debug)]
pub(crate) struct Parts {
    method: Method,
    path_template: &'static str,
    operation_id: &'static str,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Body,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    /// The time budget of the whole call, instead of the client's.
    deadline: Option<Duration>,
    /// The largest success body read, instead of the client's.
    max_response_bytes: Option<u64>,
    /// The first invalid argument met while building; returned on send.
    error: Option<String>,
    /// Decode the response as raw bytes instead of JSON.
    raw_response: bool,
    /// Wire names of the fields of `P` that are header parameters (the
    /// others go in the query).
    header_params: &'static [&'static str],
    /// Query parameters whose arrays go as one comma-separated value
    /// (`style: form, explode: false`), not as repeated keys.
    comma_separated: &'static [&'static str],
}

impl Default for Parts {
    fn default() -> Self {
        Parts {
            method: Method::GET,
            path_template: "",
            operation_id: "",
            path: String::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Body::None,
            timeout: None,
            max_retries: None,
            deadline: None,
            max_response_bytes: None,
            error: None,
            raw_response: false,
            header_params: &[],
            comma_separated: &[],
        }
    }
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

impl<T, P: Clone, C> Clone for Request<'_, T, P, C> {
    /// A copy of the request as built; a request already being polled is
    /// copied as it was before its first poll.
    fn clone(&self) -> Self {
        Request {
            client: self.client,
            parts: self.parts.clone(),
            params: self.params.clone(),
            pending: None,
            _response: PhantomData,
        }
    }
}

impl<T, P: fmt::Debug, C> fmt::Debug for Request<'_, T, P, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values are left out: a caller may put secrets there.
        let p = &self.parts;
        f.debug_struct("Request")
            .field("operation_id", &p.operation_id)
            .field("method", &p.method)
            .field("path", &p.path)
            .field("query", &p.query)
            .field("params", &self.params)
            .field("headers", &p.headers.keys().collect::<Vec<_>>())
            .field("body", &p.body)
            .field("timeout", &p.timeout)
            .field("max_retries", &p.max_retries)
            .field("error", &p.error)
            .finish()
    }
}

impl<'a, T, C> Request<'a, T, (), C> {
    /// A request for `method path_template` (relative to the client's base
    /// URL, starting with `/`, with `{name}` placeholders for the path
    /// parameters). `operation_id` names the operation in traces.
    pub fn new(
        client: &'a C,
        method: Method,
        path_template: &'static str,
        operation_id: &'static str,
    ) -> Self {
        Request {
            client,
            parts: Parts {
                method,
                path_template,
                operation_id,
                path: path_template.to_owned(),
                ..Parts::default()
            },
            params: (),
            pending: None,
            _response: PhantomData,
        }
    }

    /// Names the query parameters whose arrays are sent as one
    /// comma-separated value (`fields=a,b`, OpenAPI's `explode: false`);
    /// called by generated methods before their query parameters.
    #[allow(dead_code)]
    pub(crate) fn comma_separated(mut self, names: &'static [&'static str]) -> Self {
        self.parts.comma_separated = names;
        self
    }

    /// Gives the request a typed set of optional parameters `Q` (empty to
    /// start with); `header_params` names the fields of `Q` sent as headers.
    /// Used by the generated methods (a spec without optional parameters
    /// has none that call it).
    #[allow(dead_code)]
    pub(crate) fn with_params<Q: Default>(self, header_params: &'static [&'static str]) -> Request<'a, T, Q, C> {
        let mut parts = self.parts;
        parts.header_params = header_params;
        Request {
            client: self.client,
            parts,
            params: Q::default(),
            pending: None,
            _response: PhantomData,
        }
    }
}

impl<'a, T, P, C> Request<'a, T, P, C> {
    /// Sets every optional parameter of the operation at once (replacing
    /// those set before), from the operation's parameter struct, for example
    /// `client.items().list().params(ItemsListParams::new().page(..))`.
    pub fn params(mut self, params: P) -> Self {
        self.params = params;
        self
    }

    fn fail(&mut self, message: String) {
        if self.parts.error.is_none() {
            self.parts.error = Some(message);
        }
    }

    /// Replaces `{name}` in the path with `value`, percent-encoded as one path
    /// segment: every character but RFC 3986 unreserved ones is encoded
    /// (`a/b` becomes `a%2Fb`, `a;b=c` becomes `a%3Bb%3Dc`, `..;` becomes
    /// `..%3B`), so that no server reads structure into an id. An empty
    /// value, `.` or `..` (a segment the URL would remove or climb) is an
    /// invalid argument.
    pub fn path_param(mut self, name: &str, value: impl AsRef<str>) -> Self {
        let value = value.as_ref();
        if value.is_empty() || value == "." || value == ".." {
            let message = format!(
                "path parameter `{name}` of {} must not be empty, `.` or `..` (got {value:?})",
                self.parts.operation_id
            );
            self.fail(message);
            return self;
        }
        let placeholder = format!("{{{name}}}");
        if !self.parts.path.contains(&placeholder) {
            let message = format!("path `{}` has no parameter `{name}`", self.parts.path_template);
            self.fail(message);
            return self;
        }
        let encoded = utf8_percent_encode(value, PATH_SEGMENT).to_string();
        self.parts.path = self.parts.path.replace(&placeholder, &encoded);
        self
    }

    /// Adds a query parameter: `null`/`None` sends nothing, a scalar sends
    /// `name=value`, an object `name[key]=value` (recursively, OpenAPI
    /// `deepObject`), an array repeats `name=value`.
    pub fn query_param<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        let comma = self.parts.comma_separated.contains(&name);
        if let Err(e) = crate::query::encode(name, value, comma, &mut self.parts.query) {
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
        match header_text(&value) {
            Some(text) => self.insert_header(name, &text),
            None => self,
        }
    }

    fn insert_header(mut self, name: &str, value: &str) -> Self {
        match parse_header(name, value) {
            Ok((name, value)) => {
                self.parts.headers.insert(name, value);
            }
            Err(e) => self.fail(e.to_string()),
        }
        self
    }

    /// Sends `body` as compact JSON with `content-type: application/json`.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_value(body) {
            Ok(value) => self.parts.body = Body::Json(value),
            Err(e) => self.fail(format!("request body does not serialize: {e}")),
        }
        self
    }

    /// Sends `form` as `multipart/form-data`.
    pub fn multipart(mut self, form: Form) -> Self {
        self.parts.body = Body::Multipart(form);
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
                self.parts.body = Body::Form(pairs);
            }
            Ok(_) => self.fail("a form body must serialize to an object".to_string()),
            Err(e) => self.fail(format!("request body does not serialize: {e}")),
        }
        self
    }

    /// Sends the file's bytes as the whole body, with its content type.
    pub fn file_body(mut self, file: crate::FileUpload) -> Self {
        self.parts.body = Body::File(file);
        self
    }

    /// Sends the file's bytes as the whole body of an operation that
    /// declares `media_type` (`image/jpeg`): that content type is sent
    /// unless the file has one set explicitly, or the declared type is a
    /// range (`image/*`), where the guess from the file name is sent. A
    /// server checking the declared type then accepts any file name.
    pub fn file_body_as(mut self, file: crate::FileUpload, media_type: &'static str) -> Self {
        let file = if file.explicit_content_type().is_none() && !media_type.contains('*') {
            file.content_type(media_type)
        } else {
            file
        };
        self.parts.body = Body::File(file);
        self
    }

    /// Returns the response body as raw bytes (for non-JSON responses such
    /// as PDF or TIFF downloads) instead of decoding JSON.
    pub fn bytes_response(mut self) -> Self {
        self.parts.raw_response = true;
        self
    }

    /// The timeout of each attempt of this request, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.parts.timeout = Some(timeout);
        self
    }

    /// The number of retries of this request, instead of the client's.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.parts.max_retries = Some(max_retries);
        self
    }

    /// The time budget of this call, attempts and the waits between them
    /// included, instead of the client's
    /// ([`ClientBuilder::deadline`](crate::ClientBuilder::deadline)).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.parts.deadline = Some(deadline);
        self
    }

    /// The largest success response body read for this request, instead of
    /// the client's ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)),
    /// for example for a large media download.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.parts.max_response_bytes = Some(limit);
        self
    }

    /// Sends `key` as this call's idempotency key, in the header the
    /// document declares for the operation or the crate config names for
    /// the API (see [`config::IDEMPOTENCY_HEADER`](crate::config::IDEMPOTENCY_HEADER)),
    /// else `Idempotency-Key`. Every attempt of the call carries the same
    /// key, so the server carries the call out once and the client may
    /// retry it after a timeout or a `5xx` (see [`RetryPolicy::Safe`](crate::RetryPolicy::Safe)).
    /// Where the API declares an idempotency header the client sends a
    /// fresh key per call by itself; set one to reuse it across calls (a
    /// retry of your own after a crash).
    pub fn idempotency_key(self, key: impl AsRef<str>) -> Self {
        let name = idempotency_header_name(self.parts.operation_id);
        self.insert_header(name, key.as_ref())
    }

    /// An extra header for this request; it replaces a header of the same
    /// name set by the client or by the operation.
    pub fn header(self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        self.insert_header(name.as_ref(), value.as_ref())
    }

    /// An extra query parameter (for example one the spec does not document
    /// yet); it replaces any value already set for `key`, including one set
    /// through an optional-parameter setter.
    pub fn extra_query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let key = key.into();
        self.parts.query.retain(|(k, _)| *k != key);
        self.parts.query.push((key, value.into()));
        self
    }

    /// An extra top-level field in the JSON body (replacing a field of the
    /// same name); creates a `{}` body when there was none. On a multipart
    /// body, adds a part following [`Form::field`]'s rules.
    pub fn extra_body(mut self, key: impl Into<String>, value: Value) -> Self {
        let key = key.into();
        match &mut self.parts.body {
            Body::None => {
                let mut map = serde_json::Map::new();
                map.insert(key, value);
                self.parts.body = Body::Json(Value::Object(map));
            }
            Body::Json(Value::Object(map)) => {
                map.insert(key, value);
            }
            Body::Json(_) => {
                self.fail(format!("extra_body(`{key}`) needs a JSON object body"));
            }
            Body::Multipart(form) => {
                let form = std::mem::take(form);
                self.parts.body = Body::Multipart(form.field(key, &value));
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

    /// The query pairs set so far (read by pagination).
    pub(crate) fn query_pairs(&self) -> &[(String, String)] {
        &self.parts.query
    }

    /// The same request for another path and query string, such as the
    /// `Link: rel="next"` target (used by pagination).
    pub(crate) fn with_path_and_query(mut self, path: String, query: Vec<(String, String)>) -> Self {
        self.parts.path = path;
        self.parts.query = query;
        self
    }

    /// The client the request is sent with (read by the blocking client).
    #[cfg_attr(not(feature = "blocking"), allow(dead_code))]
    pub(crate) fn client(&self) -> &'a C {
        self.client
    }

    /// The operation id given to [`Request::new`].
    pub fn operation_id(&self) -> &'static str {
        self.parts.operation_id
    }

    /// The path with its parameters filled in (not yet joined to the base URL).
    pub fn path(&self) -> &str {
        &self.parts.path
    }
}

impl<'a, T, P: Serialize, C: ClientMode> Request<'a, T, P, C> {
    /// The full URL the request will be sent to, with its query string
    /// (optional parameters included).
    pub fn url(&self) -> Result<reqwest::Url> {
        let mut parts = self.parts.clone();
        fold_params(&mut parts, &self.params)?;
        parts.url(self.client.async_client())
    }

    /// The same request, with its optional parameters folded into the query
    /// and headers, for the async client (what both modes finally send).
    pub(crate) fn into_async(self) -> Request<'a, T, (), Client> {
        let mut parts = self.parts;
        if let Err(e) = fold_params(&mut parts, &self.params) {
            if parts.error.is_none() {
                parts.error = Some(e.to_string());
            }
        }
        Request {
            client: self.client.async_client(),
            parts,
            params: (),
            pending: None,
            _response: PhantomData,
        }
    }
}

impl<'a, T, P: Serialize> Request<'a, T, P, Client> {
    /// Sends the request (with retries) and decodes the response body. Same
    /// as `.await`.
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
        let request = self.into_async();
        send_parts(request.client, request.parts).await
    }
}

impl<'a, T, P> Future for Request<'a, T, P, Client>
where
    T: DeserializeOwned + Send + 'a,
    P: Serialize + Unpin,
{
    type Output = Result<T>;

    /// Builds the send future on the first poll (with the parameters as they
    /// are then), then drives it.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        let this = self.get_mut();
        let pending = match &mut this.pending {
            Some(pending) => pending,
            None => {
                let mut parts = std::mem::take(&mut this.parts);
                if let Err(e) = fold_params(&mut parts, &this.params) {
                    if parts.error.is_none() {
                        parts.error = Some(e.to_string());
                    }
                }
                let client = this.client;
                this.pending.insert(Box::pin(async move {
                    send_parts::<T>(client, parts).await.map(|r| r.data)
                }))
            }
        };
        pending.as_mut().poll(cx)
    }
}

/// Folds the typed optional parameters into the query string and headers.
/// A query key already set explicitly (`extra_query`, pagination) wins over
/// the parameter's value, and so does a header already set.
fn fold_params<P: Serialize>(parts: &mut Parts, params: &P) -> Result<()> {
    let value = serde_json::to_value(params)
        .map_err(|e| Error::invalid_argument(format!("optional parameters do not serialize: {e}")))?;
    let Value::Object(map) = value else {
        return Ok(());
    };
    let mut pairs = Vec::new();
    for (name, value) in &map {
        if parts.header_params.contains(&name.as_str()) {
            if parts.headers.contains_key(name.as_str()) {
                continue;
            }
            if let Some(text) = header_text(value) {
                let (name, value) = parse_header(name, &text)?;
                parts.headers.insert(name, value);
            }
        } else if parts.comma_separated.contains(&name.as_str()) {
            crate::query::encode_comma_separated(name, value, &mut pairs);
        } else {
            crate::query::encode_value(name, value, &mut pairs);
        }
    }
    pairs.retain(|(k, _)| !parts.query.iter().any(|(q, _)| q == k));
    pairs.append(&mut parts.query);
    parts.query = pairs;
    Ok(())
}

impl Parts {
    fn url(&self, client: &Client) -> Result<reqwest::Url> {
        if let Some(start) = self.path.find('{') {
            let name = self.path[start + 1..].split('}').next().unwrap_or("");
            return Err(Error::invalid_argument(format!(
                "path parameter `{name}` of {} was not given",
                self.operation_id
            )));
        }
        let joined = format!("{}{}", client.inner.base_url, self.path);
        let mut url = reqwest::Url::parse(&joined)
            .map_err(|e| Error::invalid_argument(format!("invalid request URL {joined:?}: {e}")))?;
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(self.query.iter());
        }
        Ok(url)
    }
}

/// Sends a prepared request (with retries) and decodes the response.
async fn send_parts<T: DeserializeOwned>(client: &Client, parts: Parts) -> Result<ApiResponse<T>> {
    let (status, headers, body) = execute(client, &parts).await?;
    if parts.raw_response {
        let de = serde::de::value::BytesDeserializer::<serde_json::Error>::new(&body);
        return match T::deserialize(de) {
            Ok(data) => Ok(ApiResponse { status, headers, data }),
            Err(e) => Err(Error::decode(status, headers, b"", e)),
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
        Err(e) => Err(Error::decode(status, headers, &body, e)),
    }
}

/// The idempotency header of an operation: the one its document declares,
/// else the API's from the crate config, else `Idempotency-Key`.
fn idempotency_header_name(operation_id: &str) -> &'static str {
    header_name(crate::generated::config::idempotency_header(operation_id))
}

/// The idempotency header: `declared` (the operation's), else the API's,
/// else `Idempotency-Key`.
fn header_name(declared: Option<&'static str>) -> &'static str {
    declared
        .or_else(|| Some(crate::generated::config::IDEMPOTENCY_HEADER).filter(|h| !h.is_empty()))
        .unwrap_or(DEFAULT_IDEMPOTENCY_HEADER)
}

/// The idempotency key of a call, and whether the call may be repeated
/// after a failure the server may have acted on: a key the caller set
/// (with [`Request::idempotency_key`] or the operation's header parameter)
/// wins; where the document declares an idempotency header for the
/// operation (or the crate config for the API's `POST`s and `PATCH`es),
/// a fresh key is made, kept for every attempt of this call. `declared` is
/// the operation's header from the generated config.
fn idempotency(parts: &Parts, declared: Option<&'static str>) -> Result<(Option<(HeaderName, HeaderValue)>, bool)> {
    let has_key = parts.headers.contains_key(header_name(declared));
    let replay_safe = is_idempotent(&parts.method) || has_key;
    if has_key {
        return Ok((None, replay_safe));
    }
    match declared {
        Some(declared) => {
            let (name, value) = parse_header(declared, &new_idempotency_key())?;
            Ok((Some((name, value)), true))
        }
        None => Ok((None, replay_safe)),
    }
}

/// Runs the attempts; returns the first success response, or the last
/// error once the [`RetryPolicy`](crate::RetryPolicy) does not allow
/// another attempt, the retries are used up, the server asks for a wait
/// longer than 60 s, or the call's deadline would pass.
async fn execute(client: &Client, parts: &Parts) -> Result<(StatusCode, HeaderMap, Bytes)> {
    if let Some(message) = &parts.error {
        return Err(Error::invalid_argument(message.clone()));
    }
    let url = parts.url(client)?;
    let json = match &parts.body {
        Body::Json(value) => Some(Bytes::from(serde_json::to_vec(value).map_err(|e| {
            Error::invalid_argument(format!("request body does not serialize: {e}"))
        })?)),
        _ => None,
    };
    let inner = &client.inner;
    let max_retries = parts.max_retries.unwrap_or(inner.max_retries);
    let timeout = parts.timeout.unwrap_or(inner.timeout);
    let limit = parts.max_response_bytes.unwrap_or(inner.max_response_bytes);
    let budget = parts.deadline.or(inner.deadline);
    let started = Instant::now();
    let deadline = budget.and_then(|b| started.checked_add(b));
    let declared = crate::generated::config::idempotency_header(parts.operation_id);
    let (key, replay_safe) = idempotency(parts, declared)?;

    let mut attempt: u32 = 0;
    // OAuth2: whether the one re-send after a `401` was used (see below).
    let mut reauthorized = false;
    loop {
        // Each attempt's timeout is cut to the time left before the deadline.
        let attempt_timeout = match deadline {
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(Error::deadline_exceeded(parts.operation_id, budget.unwrap_or_default()));
                }
                timeout.min(left)
            }
            None => timeout,
        };
        let span = tracing::info_span!(
            crate::generated::config::TRACE_SPAN,
            method = %parts.method,
            path = parts.path_template,
            operation_id = parts.operation_id,
            attempt,
            status = tracing::field::Empty,
        );
        let outcome = attempt_once(client, parts, url.clone(), json.clone(), key.as_ref(), attempt_timeout, limit, &span)
            .instrument(span.clone())
            .await;
        // OAuth2 (auth.rs): a `401` drops the fetched access token and the
        // request is sent once more with a new one; not counted as a retry.
        if matches!(&outcome, Err(error) if error.status() == Some(StatusCode::UNAUTHORIZED))
            && !reauthorized
            && inner.credentials.on_unauthorized(parts.operation_id, inner).await
        {
            reauthorized = true;
            continue;
        }
        let error = match outcome {
            Ok(success) => return Ok(success),
            Err(error) => error,
        };
        let failure = classify(&error);
        if attempt >= max_retries || !inner.retry_policy.allows(failure, replay_safe) {
            return Err(error);
        }
        let Some(delay) = retry_delay(attempt, inner.retry_base_delay, error.headers()) else {
            tracing::debug!(parent: &span, error = %error, "not retrying: the server asks to wait longer than 60 s");
            return Err(error);
        };
        if deadline.is_some_and(|deadline| Instant::now() + delay >= deadline) {
            tracing::debug!(parent: &span, error = %error, "not retrying: the next attempt would start after the deadline");
            return Err(error);
        }
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

/// One attempt: build, send, read the body (a success body up to `limit`
/// bytes, an error body up to the 64 KiB an error keeps); a non-success
/// status is returned as an [`Error`].
///
/// A request without a body that is a POST, PUT or PATCH carries
/// `Content-Length: 0` (RFC 9110 §8.6: some front ends answer `411`
/// otherwise) and, like any body-less POST/PUT/PATCH/DELETE, the
/// `Content-Type: application/json` the official SDKs send.
#[allow(clippy::too_many_arguments)]
async fn attempt_once(
    client: &Client,
    parts: &Parts,
    mut url: reqwest::Url,
    json: Option<Bytes>,
    idempotency_key: Option<&(HeaderName, HeaderValue)>,
    timeout: Duration,
    limit: u64,
    span: &tracing::Span,
) -> Result<(StatusCode, HeaderMap, Bytes)> {
    let inner = &client.inner;
    let mut headers = inner.default_headers.clone();
    // The credentials the operation's security asks for (auth.rs).
    inner.credentials.apply(parts.operation_id, inner, &mut headers, &mut url, timeout).await?;
    let bodyless_write = matches!(parts.body, Body::None)
        && matches!(parts.method, Method::POST | Method::PUT | Method::PATCH);
    if json.is_some()
        || (matches!(parts.body, Body::None)
            && matches!(parts.method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE))
    {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    if bodyless_write {
        headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
    }
    for (name, value) in &parts.headers {
        headers.insert(name.clone(), value.clone());
    }
    if let Some((name, value)) = idempotency_key {
        headers.insert(name.clone(), value.clone());
    }
    let mut builder = inner
        .http
        .request(parts.method.clone(), url)
        .headers(headers)
        .timeout(timeout);
    match &parts.body {
        Body::None => {
            if bodyless_write {
                builder = builder.body(Bytes::new());
            }
        }
        Body::Json(_) => {
            if let Some(bytes) = json {
                builder = builder.body(bytes);
            }
        }
        Body::Multipart(form) => builder = builder.multipart(form.to_reqwest().await?),
        Body::Form(pairs) => builder = builder.form(pairs),
        Body::File(file) => {
            // A fresh body per attempt (a file is reopened and streamed),
            // with its length announced rather than chunked.
            let (body, len) = file.to_body().await?;
            builder = builder.header(CONTENT_TYPE, file.get_content_type()).header(CONTENT_LENGTH, len).body(body);
        }
    }
    let response = builder.send().await.map_err(Error::from_reqwest)?;
    let status = response.status();
    span.record("status", status.as_u16());
    let headers = response.headers().clone();
    if !status.is_success() {
        let (body, truncated) = read_error_body(response).await;
        return Err(Error::from_response_body(status, headers, &body, truncated));
    }
    let body = read_limited(response, limit, parts.operation_id).await?;
    Ok((status, headers, body))
}

/// Reads a success body chunk by chunk, failing as soon as it is known to
/// be over `limit` bytes (from `Content-Length`, before reading anything,
/// or from what arrived): memory stays within the limit whatever the server
/// sends.
pub(crate) async fn read_limited(mut response: reqwest::Response, limit: u64, operation_id: &str) -> Result<Bytes> {
    let too_large = |response: &reqwest::Response, length| {
        Error::response_too_large(response.status(), response.headers().clone(), operation_id, limit, length)
    };
    let announced = response.content_length();
    if let Some(length) = announced.filter(|&n| n > limit) {
        return Err(too_large(&response, Some(length)));
    }
    // Pre-size from Content-Length (bounded by the limit just checked).
    let mut body = BytesMut::with_capacity(announced.unwrap_or(0) as usize);
    while let Some(chunk) = response.chunk().await.map_err(Error::from_reqwest)? {
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(too_large(&response, announced));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Reads at most the first 64 KiB of an error body (the rest is left
/// unread: the connection is closed rather than drained); `true` when there
/// was more, or the body broke off. A body that cannot be read is kept as
/// far as it came: the status is the error.
pub(crate) async fn read_error_body(mut response: reqwest::Response) -> (Bytes, bool) {
    let keep = MAX_ERROR_BODY_BYTES;
    let mut body = BytesMut::with_capacity(response.content_length().unwrap_or(0).min(keep as u64) as usize);
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = keep - body.len();
                if chunk.len() > room {
                    body.extend_from_slice(&chunk[..room]);
                    return (body.freeze(), true);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return (body.freeze(), false),
            Err(_) => return (body.freeze(), true),
        }
    }
}

/// A header value in OpenAPI `simple` style; `None` for `null` (no header).
fn header_text(value: &Value) -> Option<String> {
    Some(match value {
        Value::Null => return None,
        Value::Array(items) => items.iter().map(simple_text).collect::<Vec<_>>().join(","),
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| [k.clone(), simple_text(v)])
            .collect::<Vec<_>>()
            .join(","),
        other => simple_text(other),
    })
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
/// `base × 2^attempt` capped at 8 s, minus up to 25 % jitter; `None` when
/// the server asks for more than 60 s (the call then ends with its error).
pub(crate) fn retry_delay(attempt: u32, base: Duration, headers: Option<&HeaderMap>) -> Option<Duration> {
    if let Some(delay) = headers.and_then(server_retry_delay) {
        return (delay <= MAX_SERVER_RETRY_DELAY).then_some(delay);
    }
    let backoff = base
        .checked_mul(1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX))
        .unwrap_or(MAX_RETRY_DELAY)
        .min(MAX_RETRY_DELAY);
    Some(backoff.mul_f64(1.0 - 0.25 * fastrand::f64()))
}

/// The (non-zero) delay the server asked for, however long.
fn server_retry_delay(headers: &HeaderMap) -> Option<Duration> {
    let in_range = |d: Duration| (!d.is_zero()).then_some(d);
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
    /// The `x-request-id` response header: quote it to the API's support.
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

    /// Optional parameters fold into the query (deepObject) and, for the
    /// names listed as headers, into headers; explicit values win.
    #[test]
    fn optional_params_fold_into_query_and_headers() {
        #[derive(Serialize)]
        struct Params {
            #[serde(rename = "X-Trace", skip_serializing_if = "Option::is_none")]
            trace: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            page: Option<serde_json::Value>,
            #[serde(skip_serializing_if = "Option::is_none")]
            sort: Option<String>,
        }
        let params = Params {
            trace: Some("t-1".into()),
            page: Some(serde_json::json!({"number": 2, "size": 20})),
            sort: None,
        };
        let mut parts = Parts {
            header_params: &["X-Trace"],
            query: vec![("page[number]".into(), "3".into())],
            ..Parts::default()
        };
        fold_params(&mut parts, &params).unwrap();
        assert_eq!(
            parts.query,
            vec![("page[size]".to_owned(), "20".to_owned()), ("page[number]".to_owned(), "3".to_owned())]
        );
        assert_eq!(parts.headers["x-trace"], "t-1");
        // A header set explicitly is kept.
        let mut parts = Parts { header_params: &["X-Trace"], ..Parts::default() };
        parts.headers.insert("x-trace", HeaderValue::from_static("mine"));
        fold_params(&mut parts, &params).unwrap();
        assert_eq!(parts.headers["x-trace"], "mine");
        // `()` (no optional parameters) adds nothing.
        let mut parts = Parts::default();
        fold_params(&mut parts, &()).unwrap();
        assert!(parts.query.is_empty() && parts.headers.is_empty());
    }

    /// A declared idempotency header gets a fresh key per call unless the
    /// caller set one; without one, only idempotent methods are replay-safe.
    #[test]
    fn idempotency_keys() {
        let post = |headers: &[(&'static str, &str)]| Parts {
            method: Method::POST,
            headers: super::tests::headers(headers),
            ..Parts::default()
        };
        let (key, safe) = idempotency(&post(&[]), Some("Idempotency-Key")).unwrap();
        let (name, value) = key.unwrap();
        assert_eq!(name, "idempotency-key");
        assert_eq!(value.len(), 36);
        assert!(safe);
        let (again, _) = idempotency(&post(&[]), Some("Idempotency-Key")).unwrap();
        assert_ne!(again.unwrap().1, value, "a fresh key per call");
        // The caller's value of the header wins (any case).
        let (key, safe) = idempotency(&post(&[("idempotency-key", "mine")]), Some("Idempotency-Key")).unwrap();
        assert!(key.is_none() && safe);
        // Nothing declared: a POST is replay-safe only with a key of its own.
        assert_eq!(idempotency(&post(&[]), None).unwrap(), (None, false));
        assert_eq!(idempotency(&post(&[("idempotency-key", "k")]), None).unwrap(), (None, true));
        let get = Parts { method: Method::GET, ..Parts::default() };
        assert_eq!(idempotency(&get, None).unwrap(), (None, true));
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
        assert_eq!(server_retry_delay(&headers(&[("retry-after", "61")])), Some(Duration::from_secs(61)));
        // A wait beyond the cap ends the call instead of a retry at once.
        assert_eq!(retry_delay(0, Duration::from_millis(1), Some(&headers(&[("retry-after", "61")]))), None);
        assert_eq!(retry_delay(0, Duration::from_millis(1), Some(&headers(&[("retry-after-ms", "60001")]))), None);
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
            let d0 = retry_delay(0, base, None).unwrap();
            assert!(d0 <= base && d0 >= base.mul_f64(0.75), "{d0:?}");
            let d2 = retry_delay(2, base, None).unwrap();
            assert!(d2 <= base * 4 && d2 >= (base * 4).mul_f64(0.75), "{d2:?}");
            let d9 = retry_delay(9, base, None).unwrap();
            assert!(d9 <= MAX_RETRY_DELAY && d9 >= MAX_RETRY_DELAY.mul_f64(0.75), "{d9:?}");
            assert!(retry_delay(200, base, None).unwrap() <= MAX_RETRY_DELAY);
        }
        assert_eq!(
            retry_delay(0, base, Some(&headers(&[("retry-after", "2")]))),
            Some(Duration::from_secs(2))
        );
    }
}
