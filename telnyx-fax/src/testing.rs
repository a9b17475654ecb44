//! A test double of the API for your own tests (the `testing` feature):
//! an HTTP server on `127.0.0.1` that answers every operation of the API
//! with the example response of its OpenAPI document, lets a test change
//! the answer of any operation, and records the requests it received.
//! No network beyond loopback, no Node, no API key.
//!
//! <!-- example: testing-toml -->
//! ```toml
//! [dev-dependencies]
//! telnyx-fax = { version = "0.1", features = ["testing"] }
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! <!-- /example -->
//! <!-- example: testing -->
//! ```
//! use telnyx_fax::testing::{MockResponse, MockServer};
//! use telnyx_fax::types::SendFaxRequest;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> telnyx_fax::Result<()> {
//! let mock = MockServer::start().await;
//! let client = mock.client(); // a Client pointed at the mock
//!
//! // By default every operation answers with the spec's example.
//! let sent = client
//!     .faxes()
//!     .create(SendFaxRequest::new("234423", "+13125790015", "+13127367276")
//!         .media_url("https://example.com/invoice.pdf"))
//!     .await?;
//! println!("sent: {:?}", sent.data);
//!
//! // Assert on what your code sent.
//! let requests = mock.received("SendFax");
//! assert_eq!(requests.len(), 1);
//! assert_eq!(requests[0].json().unwrap()["media_url"], "https://example.com/invoice.pdf");
//!
//! // Change an answer: an `errors[]` error document, a status, headers, a delay.
//! mock.on("ViewFax").respond(MockResponse::api_error(404, "Not Found", "No fax with this id."));
//! let err = client.faxes().retrieve("no-such-fax").await.unwrap_err();
//! assert!(err.is_not_found());
//! # Ok(()) }
//! ```
//! <!-- /example -->
//!
//! For the blocking client (the `blocking` feature), start the server with
//! [`MockServer::start_blocking`] and wrap its client:
//! `telnyx_fax::blocking::Client::new(mock.client())?`.
//!
//! Operations are named by their `operationId` in the OpenAPI document (the
//! same id [`Request::operation_id`](crate::Request::operation_id) gives and
//! every method's documentation shows), or by the same words written as an
//! identifier (`"findPetById"` for `"find pet by id"`); [`MockServer::operations`] lists
//! them. A request that matches no operation gets a `404` with an
//! error document saying so.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use http::HeaderMap;
use wiremock::{Respond, ResponseTemplate};

use crate::client::{Client, ClientBuilder};
use crate::generated::mock::{OPERATIONS, PAGES};

mod signer;
pub use signer::WebhookSigner;

/// One operation of the API as the test double knows it: its id, method,
/// path template and the answer it gives by default (generated from the
/// OpenAPI document).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The `operationId`, such as `"getItem"`.
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template below the base URL, such as `"/faxes/{id}"`.
    pub path: &'static str,
    /// Status of the default answer (the first success response).
    pub status: u16,
    /// JSON text of the default answer; `None` for an empty body.
    pub body: Option<&'static str>,
}

impl Operation {
    /// The default answer: the spec's example response of this operation.
    pub fn example(&self) -> MockResponse {
        match self.body {
            Some(text) => MockResponse::new(self.status).body_raw(text.as_bytes().to_vec(), "application/json"),
            None => MockResponse::new(self.status),
        }
    }

    /// The path parameters of `path` if it matches this operation's
    /// template, in template order (raw, still percent-encoded).
    fn matches(&self, method: &str, path: &str) -> Option<Vec<(String, String)>> {
        if !self.method.eq_ignore_ascii_case(method) {
            return None;
        }
        let template: Vec<&str> = self.path.trim_matches('/').split('/').collect();
        let actual: Vec<&str> = path.trim_matches('/').split('/').collect();
        if template.len() != actual.len() {
            return None;
        }
        let mut params = Vec::new();
        for (t, a) in template.iter().zip(&actual) {
            // A parameter with literal text around it in its segment
            // (`{AccountSid}.json`, `v{version}`) matches that text around a
            // non-empty value.
            let param = t.split_once('{').and_then(|(pre, rest)| rest.split_once('}').map(|(name, post)| (pre, name, post)));
            match param {
                Some((pre, name, post)) if !post.contains('{') => {
                    let value = a.strip_prefix(pre).and_then(|v| v.strip_suffix(post)).filter(|v| !v.is_empty())?;
                    params.push((name.to_string(), value.to_string()));
                }
                _ if t == a => {}
                _ => return None,
            }
        }
        Some(params)
    }

    /// How many literal segments the template has: the most specific
    /// template wins when several match (`/faxes/actions` over `/faxes/{id}`).
    fn literal_segments(&self) -> usize {
        let param_only = |s: &str| s.starts_with('{') && s.ends_with('}');
        self.path.split('/').filter(|s| !s.is_empty() && !param_only(s)).count()
    }
}

/// An answer of the test double: status, headers, body and delay.
///
/// ```
/// use std::time::Duration;
/// use telnyx_fax::testing::MockResponse;
/// let slow = MockResponse::json(200, serde_json::json!({"data": []})).delay(Duration::from_millis(50));
/// let limited = MockResponse::api_error(429, "Too Many Requests", "Slow down.").header("retry-after", "1");
/// # let _ = (slow, limited);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    content_type: Option<String>,
    delay: Option<Duration>,
}

impl MockResponse {
    /// An answer with this status and an empty body.
    pub fn new(status: u16) -> MockResponse {
        MockResponse { status, headers: Vec::new(), body: Vec::new(), content_type: None, delay: None }
    }

    /// An answer with this status and a JSON body.
    pub fn json(status: u16, body: serde_json::Value) -> MockResponse {
        MockResponse::new(status).body_raw(body.to_string().into_bytes(), "application/json")
    }

    /// An error answer in the `errors[]` format: `{"errors": [{"code", "title",
    /// "detail"}]}`, the code being the status.
    pub fn api_error(status: u16, title: &str, detail: &str) -> MockResponse {
        let body = serde_json::json!({
            "errors": [{"code": status.to_string(), "title": title, "detail": detail}]
        });
        MockResponse::json(status, body)
    }

    /// Replaces the body with raw bytes of the given content type.
    pub fn body_raw(mut self, body: impl Into<Vec<u8>>, content_type: &str) -> MockResponse {
        self.body = body.into();
        self.content_type = Some(content_type.to_string());
        self
    }

    /// Adds a response header (`retry-after`, `x-request-id`, ...).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> MockResponse {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Waits this long before answering (to test timeouts).
    pub fn delay(mut self, delay: Duration) -> MockResponse {
        self.delay = Some(delay);
        self
    }

    /// The status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    fn template(&self) -> ResponseTemplate {
        let mut t = ResponseTemplate::new(self.status);
        for (name, value) in &self.headers {
            t = t.append_header(name.as_str(), value.as_str());
        }
        if let Some(ct) = &self.content_type {
            t = t.set_body_raw(self.body.clone(), ct);
        }
        if let Some(d) = self.delay {
            t = t.set_delay(d);
        }
        t
    }
}

/// A request the test double received.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The operation it matched; `None` if it matched none (it got a `404`).
    pub operation_id: Option<&'static str>,
    /// The HTTP method.
    pub method: http::Method,
    /// The path, still percent-encoded (`/faxes/abc/actions/cancel`).
    pub path: String,
    /// The path parameters by template name, still percent-encoded.
    pub path_params: Vec<(String, String)>,
    /// The query parameters, decoded, in order (`page[number]`, `2`).
    pub query: Vec<(String, String)>,
    /// The headers.
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Vec<u8>,
}

impl ReceivedRequest {
    /// The first value of a query parameter.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A path parameter (`id`), still percent-encoded.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path_params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A header's value, if it is there and is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body parsed as JSON; `None` if it is not JSON (empty, multipart).
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body as text (invalid UTF-8 replaced), e.g. to look into a
    /// multipart body.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Whether the body was sent as `multipart/form-data` (a file upload).
    pub fn is_multipart(&self) -> bool {
        self.header("content-type").is_some_and(|ct| ct.starts_with("multipart/form-data"))
    }
}

/// What the server shares with the test: answers and recorded requests.
#[derive(Default)]
struct State {
    /// Answers of every later call, by operation id.
    answers: HashMap<&'static str, MockResponse>,
    /// Answers of the next calls only, used first, by operation id.
    once: HashMap<&'static str, VecDeque<MockResponse>>,
    received: Vec<ReceivedRequest>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A test that panicked while holding the lock left consistent data.
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The server's one responder: finds the operation and gives its answer.
struct Router(Arc<Mutex<State>>);

impl Respond for Router {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let path = request.url.path().to_string();
        let found = OPERATIONS
            .iter()
            .filter_map(|op| op.matches(request.method.as_str(), &path).map(|params| (op, params)))
            .max_by_key(|(op, _)| (op.literal_segments(), std::cmp::Reverse(op.path.len())));
        let received = ReceivedRequest {
            operation_id: found.as_ref().map(|(op, _)| op.id),
            method: request.method.clone(),
            path: path.clone(),
            path_params: found.as_ref().map(|(_, p)| p.clone()).unwrap_or_default(),
            query: request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect(),
            headers: request.headers.clone(),
            body: request.body.clone(),
        };
        let mut state = lock(&self.0);
        state.received.push(received);
        let Some((op, _)) = found else {
            let detail = format!("the test double has no operation for {} {path}", request.method);
            return MockResponse::api_error(404, "Not Found", &detail).template();
        };
        let answer = match state.once.get_mut(op.id).and_then(VecDeque::pop_front) {
            Some(answer) => answer,
            None => match state.answers.get(op.id) {
                Some(answer) => answer.clone(),
                None => echo_id(op, &path).unwrap_or_else(|| op.example()),
            },
        };
        answer.template()
    }
}

/// The example answer of an operation whose path ends in a parameter
/// (`/faxes/{id}`), with the example's `data.id` replaced by the id asked
/// for (percent-decoded), so `retrieve("0ccc…")` answers with fax `0ccc…`;
/// `None` when the template or the example has no such place.
fn echo_id(op: &Operation, path: &str) -> Option<MockResponse> {
    let last = op.path.rsplit('/').next()?;
    if !(last.starts_with('{') && last.ends_with('}')) {
        return None;
    }
    let asked = path.trim_end_matches('/').rsplit('/').next()?;
    let asked = percent_encoding::percent_decode_str(asked).decode_utf8().ok()?;
    let mut body: serde_json::Value = serde_json::from_str(op.body?).ok()?;
    let id = body.get_mut("data")?.get_mut("id")?;
    if !id.is_string() {
        return None;
    }
    *id = serde_json::Value::String(asked.into_owned());
    Some(MockResponse::json(op.status, body))
}

/// Where a paged operation's response holds its items and paging fields,
/// as JSON keys (generated in `generated/mock.rs` from the document).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct PageShape {
    /// Keys down to the items array (empty: the response is the array).
    pub items: &'static [&'static str],
    /// Keys down to the page number (page-number paging), else empty.
    pub number: &'static [&'static str],
    /// Keys down to the number of pages (page-number paging), else empty.
    pub total: &'static [&'static str],
    /// Keys down to the next cursor or next-page URL, else empty.
    pub next: &'static [&'static str],
    /// Whether `next` holds a URL (else a cursor).
    pub next_is_url: bool,
    /// Whether the next page is in a `Link: <..>; rel="next"` header.
    pub link: bool,
    /// Whether the list ends on an empty page (offset and last-item paging).
    pub ends_empty: bool,
}

/// Sets the value at `keys` in `value`, creating objects on the way;
/// `keys` empty replaces the value.
fn set_at(value: &mut serde_json::Value, keys: &[&str], new: serde_json::Value) {
    let Some((last, parents)) = keys.split_last() else {
        *value = new;
        return;
    };
    let mut at = value;
    for key in parents {
        if !at.is_object() {
            *at = serde_json::Value::Object(serde_json::Map::new());
        }
        at = at.as_object_mut().expect("made an object").entry(*key).or_insert(serde_json::Value::Null);
    }
    if !at.is_object() {
        *at = serde_json::Value::Object(serde_json::Map::new());
    }
    at.as_object_mut().expect("made an object").insert((*last).to_string(), new);
}

/// The test double: a server on `127.0.0.1` answering every operation of
/// the API (see the [module documentation](self)).
///
/// Stops when dropped. Each test should start its own: they are cheap
/// (wiremock keeps a pool of servers) and do not share answers or records.
pub struct MockServer {
    server: wiremock::MockServer,
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer").field("uri", &self.server.uri()).finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a server answering every operation with its example.
    pub async fn start() -> MockServer {
        let server = wiremock::MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(Router(Arc::clone(&state)))
            .named("telnyx-fax test double")
            .mount(&server)
            .await;
        MockServer { server, state }
    }

    /// [`MockServer::start`] for code without an async runtime (tests of
    /// a blocking client): the server runs on a thread of its own.
    ///
    /// # Panics
    ///
    /// If called from within an async runtime (use `start().await` there).
    pub fn start_blocking() -> MockServer {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime starts")
            .block_on(MockServer::start())
    }

    /// The base URL to give a client: `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A [`Client`] pointed at the server, with a test credential for every
    /// security scheme of the API (none for an API without auth) and a 1 ms
    /// retry backoff so that tests of retries stay fast.
    pub fn client(&self) -> Client {
        self.client_builder().build().expect("the test double's client configuration is valid")
    }

    /// A [`ClientBuilder`] pointed at the server with a 1 ms retry backoff
    /// and a test credential for every security scheme of
    /// [`SECURITY_SCHEMES`](crate::config::SECURITY_SCHEMES) (`test-api-key`
    /// for a key or token, `test-user`/`test-password` for HTTP basic), so
    /// that every operation, whatever scheme it requires, is sent with one.
    pub fn client_builder(&self) -> ClientBuilder {
        let mut builder = Client::builder().base_url(self.uri()).retry_base_delay(Duration::from_millis(1));
        for scheme in crate::generated::config::SECURITY_SCHEMES {
            builder = match scheme.kind {
                crate::SchemeKind::Basic => builder.basic_credential(scheme.name, "test-user", "test-password"),
                _ => builder.credential(scheme.name, "test-api-key"),
            };
        }
        builder
    }

    /// The answers of one operation, by `operationId` (`"getItem"`).
    ///
    /// # Panics
    ///
    /// If the API has no operation with this id (the message lists them).
    pub fn on(&self, operation_id: &str) -> OperationMock<'_> {
        OperationMock { state: &self.state, op: operation(operation_id) }
    }

    /// The requests received for one operation, oldest first.
    ///
    /// # Panics
    ///
    /// If the API has no operation with this id.
    pub fn received(&self, operation_id: &str) -> Vec<ReceivedRequest> {
        let id = operation(operation_id).id;
        lock(&self.state).received.iter().filter(|r| r.operation_id == Some(id)).cloned().collect()
    }

    /// Every request received, oldest first, including those that matched
    /// no operation.
    pub fn received_all(&self) -> Vec<ReceivedRequest> {
        lock(&self.state).received.clone()
    }

    /// Forgets every changed answer and every recorded request.
    pub fn reset(&self) {
        *lock(&self.state) = State::default();
    }

    /// Every operation of the API, with its default answer.
    pub fn operations() -> &'static [Operation] {
        OPERATIONS
    }
}

/// The operation named `id`: its `operationId` as written, else the one
/// whose id has the same letters and digits, case aside, so that an
/// operationId that is no identifier (`"find pet by id"`) can be named as
/// one (`"findPetById"`, `"find_pet_by_id"`); the exact id wins.
fn operation(id: &str) -> &'static Operation {
    let key = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect::<String>();
    let exact = OPERATIONS.iter().find(|op| op.id == id);
    let mut loose = OPERATIONS.iter().filter(|op| key(op.id) == key(id));
    let found = exact.or_else(|| loose.next().filter(|_| loose.next().is_none()));
    found.unwrap_or_else(|| {
        let known: Vec<&str> = OPERATIONS.iter().map(|op| op.id).collect();
        panic!("the API has no operation `{id}`; its operations are: {}", known.join(", "))
    })
}

/// The answers of one operation, from [`MockServer::on`].
#[derive(Clone, Copy)]
pub struct OperationMock<'a> {
    state: &'a Mutex<State>,
    op: &'static Operation,
}

impl fmt::Debug for OperationMock<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationMock").field("operation", &self.op.id).finish_non_exhaustive()
    }
}

impl OperationMock<'_> {
    /// Answers every later call with this status and JSON body.
    pub fn respond_with(&self, status: u16, body: serde_json::Value) -> &Self {
        self.respond(MockResponse::json(status, body))
    }

    /// Answers every later call with `response`.
    pub fn respond(&self, response: MockResponse) -> &Self {
        lock(self.state).answers.insert(self.op.id, response);
        self
    }

    /// Answers the next call with `response`, then goes back to the other
    /// answers; calls queue up (`respond_once(a).respond_once(b)`: `a`, then
    /// `b`), e.g. a `429` and then the example to test a retry.
    pub fn respond_once(&self, response: MockResponse) -> &Self {
        lock(self.state).once.entry(self.op.id).or_default().push_back(response);
        self
    }

    /// Answers the next calls with these pages, one per call, from typed
    /// items: the operation's example response with its items replaced and
    /// its paging fields (page number and count, cursor or next link) set so
    /// that a client walking the list asks for each page in turn and stops
    /// after the last. An empty `pages` answers one empty page.
    ///
    /// <!-- example: testing-pages -->
    /// ```
    /// # use telnyx_fax::prelude::*;
    /// # use telnyx_fax::testing::MockServer;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> telnyx_fax::Result<()> {
    /// let mock = MockServer::start().await;
    /// let client = mock.client();
    /// let example = client.faxes().retrieve("a").await?.into_data();
    /// let second = Fax { id: "b".into(), ..example.clone() };
    /// mock.on("ListFaxes").pages(vec![vec![example], vec![second]]);
    /// let ids: Vec<String> = client.faxes().list().into_stream().map_ok(|f| f.id).try_collect().await?;
    /// assert_eq!(ids, ["a", "b"]);
    /// # Ok(()) }
    /// ```
    /// <!-- /example -->
    ///
    /// # Panics
    ///
    /// If the operation is not a paged list, or an item does not serialize.
    pub fn pages<T: serde::Serialize>(&self, pages: Vec<Vec<T>>) -> &Self {
        let Some((_, shape)) = PAGES.iter().find(|(id, _)| *id == self.op.id) else {
            panic!("`{}` is not a paged list operation", self.op.id);
        };
        let template: serde_json::Value =
            self.op.body.and_then(|b| serde_json::from_str(b).ok()).unwrap_or(serde_json::Value::Null);
        let pages = if pages.is_empty() { vec![Vec::new()] } else { pages };
        let count = pages.len();
        let mut answers = Vec::with_capacity(count + 1);
        for (i, items) in pages.into_iter().enumerate() {
            let items: Vec<serde_json::Value> =
                items.iter().map(|item| serde_json::to_value(item).expect("a page item serializes to JSON")).collect();
            let mut body = template.clone();
            set_at(&mut body, shape.items, serde_json::Value::Array(items));
            if !shape.number.is_empty() {
                set_at(&mut body, shape.number, (i + 1).into());
            }
            if !shape.total.is_empty() {
                set_at(&mut body, shape.total, count.into());
            }
            if !shape.next.is_empty() {
                let next = match (i + 1 < count, shape.next_is_url) {
                    (false, _) => serde_json::Value::Null,
                    (true, true) => format!("{}?mock_page={}", self.op.path, i + 2).into(),
                    (true, false) => format!("mock-page-{}", i + 2).into(),
                };
                set_at(&mut body, shape.next, next);
            }
            let mut answer = MockResponse::json(self.op.status, body);
            if shape.link && i + 1 < count {
                answer = answer.header("link", format!("<{}?mock_page={}>; rel=\"next\"", self.op.path, i + 2));
            }
            answers.push(answer);
        }
        // Paging that ends on an empty page (offsets, last item) gets one
        // after the last.
        if shape.ends_empty {
            let mut body = template;
            set_at(&mut body, shape.items, serde_json::Value::Array(Vec::new()));
            answers.push(MockResponse::json(self.op.status, body));
        }
        lock(self.state).once.entry(self.op.id).or_default().extend(answers);
        self
    }

    /// Goes back to the example answer.
    pub fn reset(&self) -> &Self {
        let mut state = lock(self.state);
        state.answers.remove(self.op.id);
        state.once.remove(self.op.id);
        self
    }

    /// The example answer (the default), e.g. to send it slowly:
    /// `mock.on("getItem").respond(mock.on("getItem").example().delay(d))`.
    pub fn example(&self) -> MockResponse {
        self.op.example()
    }

    /// The operation.
    pub fn operation(&self) -> &'static Operation {
        self.op
    }
}

#[cfg(test)]
mod tests {
    use super::Operation;

    /// A parameter with literal text around it in its segment (Twilio's
    /// `/Accounts/{AccountSid}.json`) matches; the test double answered
    /// `404` to such paths before.
    #[test]
    fn templates_with_text_around_a_parameter_match() {
        let op = Operation { id: "FetchAccount", method: "GET", path: "/2010-04-01/Accounts/{AccountSid}.json", status: 200, body: None };
        assert_eq!(op.matches("GET", "/2010-04-01/Accounts/AC1.json"), Some(vec![("AccountSid".to_string(), "AC1".to_string())]));
        assert_eq!(op.matches("GET", "/2010-04-01/Accounts/.json"), None);
        assert_eq!(op.matches("GET", "/2010-04-01/Accounts/AC1"), None);
        let plain = Operation { id: "getItem", method: "GET", path: "/items/{id}", status: 200, body: None };
        assert_eq!(plain.matches("GET", "/items/abc"), Some(vec![("id".to_string(), "abc".to_string())]));
        assert_eq!(plain.matches("GET", "/items/"), None);
        assert!(op.literal_segments() > plain.literal_segments());
    }
}
