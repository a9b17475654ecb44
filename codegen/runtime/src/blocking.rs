//! A blocking client (feature `blocking`): the same resources, methods,
//! retries, timeouts and errors as the async [`crate::Client`], for scripts
//! and command-line tools that do not run an async runtime.
//!
//! <!-- example: blocking -->
//! ```no_run
//! # fn run() -> my_api::Result<()> {
//! let client = my_api::blocking::Client::from_env()?; // credentials from the environment (see `my_api::config`)
//! let item = client.items().retrieve("item-1").send()?;
//! println!("{item:?}");
//!
//! // A list request is an iterator over every item of every page.
//! for item in client.items().list() {
//!     println!("{:?}", item?);
//! }
//! # Ok(()) }
//! ```
//! <!-- /example -->
//!
//! How it works: a [`Client`] wraps an async [`crate::Client`] and a tokio
//! runtime of its own with one worker thread, and `send()` drives the async
//! request to completion on the calling thread while that worker drives the
//! I/O and the connections. The caller needs no runtime. Called from a
//! thread that is inside a tokio runtime (an async task, `spawn_blocking`),
//! the request is driven on a short-lived helper thread instead of panicking
//! as a nested `block_on` would; in async code, prefer the async client.
//!
//! Why a worker thread and not a runtime that runs only during `send()`:
//! the connections a request opens stay in the async client's pool, and
//! each is served by a task on the runtime that opened it. An async client
//! sharing that pool ([`Client::as_async`], or the client given to
//! [`Client::new`]) picks those connections up; on a runtime that nobody
//! drives between calls it would wait on them until its timeout. The worker
//! keeps them served for as long as the blocking client lives.
//!
//! The generated resource handles are generic over the client mode, so
//! `client.items()` here returns `Items<'_, blocking::Client>` with the same
//! methods and setters as the async one; only sending differs.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::pagination::{Page, PageStream};
use crate::request::{ApiResponse, ClientMode, Request};

/// A blocking client of the API; see the [module docs](self).
///
/// Cheap to clone (the async client and the runtime are shared); usable
/// from several threads at once (each `send()` runs its request on its own
/// thread; the runtime's worker drives the I/O of all of them).
#[derive(Clone)]
pub struct Client {
    inner: crate::Client,
    runtime: Arc<Runtime>,
}

impl crate::request::sealed::Sealed for Client {}

impl ClientMode for Client {
    fn async_client(&self) -> &crate::Client {
        &self.inner
    }
}

impl Client {
    /// A client configured from the environment (the variables named in
    /// [`crate::config`]), like [`crate::Client::from_env`].
    pub fn from_env() -> Result<Client> {
        Client::new(crate::Client::from_env()?)
    }

    /// A builder with the async [`crate::ClientBuilder`]'s options.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            inner: crate::Client::builder(),
        }
    }

    /// A blocking client sending through `client` (its key, base URL,
    /// timeouts, retries and connection pool) on a runtime of its own, whose
    /// one worker thread keeps driving the connections it opens, so `client`
    /// can still be used from async code meanwhile (see the
    /// [module docs](self)).
    pub fn new(client: crate::Client) -> Result<Client> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("blocking-client-io")
            .enable_all()
            .build()
            .map_err(|e| Error::io(format!("cannot start the blocking client's runtime: {e}"), e))?;
        Ok(Client {
            inner: client,
            runtime: Arc::new(Runtime(Some(runtime))),
        })
    }

    /// The async client this one sends through (for example to hand it to
    /// async code).
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    /// Runs `future` to completion on this client's runtime.
    fn block_on<F>(&self, future: F) -> F::Output
    where
        F: Future + Send,
        F::Output: Send,
    {
        self.runtime.block_on(future)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Client").field("inner", &self.inner).finish_non_exhaustive()
    }
}

/// The runtime, shut down without blocking when the last client is dropped
/// inside an async context (where dropping a runtime would panic).
struct Runtime(Option<tokio::runtime::Runtime>);

impl Runtime {
    fn block_on<F>(&self, future: F) -> F::Output
    where
        F: Future + Send,
        F::Output: Send,
    {
        let Some(runtime) = &self.0 else {
            unreachable!("the runtime is only taken out on drop")
        };
        if tokio::runtime::Handle::try_current().is_err() {
            return runtime.block_on(future);
        }
        // Inside a runtime a nested `block_on` panics: drive the future on a
        // helper thread, outside any runtime context.
        std::thread::scope(|scope| {
            scope
                .spawn(|| runtime.block_on(future))
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                runtime.shutdown_background();
            }
        }
    }
}

/// Configures a blocking [`Client`]: the options of the async
/// [`crate::ClientBuilder`], then [`build`](Self::build).
#[derive(Debug)]
#[must_use = "a builder does nothing until `.build()` is called"]
pub struct ClientBuilder {
    inner: crate::ClientBuilder,
}

impl ClientBuilder {
    /// See [`crate::ClientBuilder::api_key`].
    pub fn api_key(self, api_key: impl Into<String>) -> Self {
        ClientBuilder { inner: self.inner.api_key(api_key) }
    }

    /// See [`crate::ClientBuilder::base_url`].
    pub fn base_url(self, base_url: impl Into<String>) -> Self {
        ClientBuilder { inner: self.inner.base_url(base_url) }
    }

    /// See [`crate::ClientBuilder::timeout`].
    pub fn timeout(self, timeout: Duration) -> Self {
        ClientBuilder { inner: self.inner.timeout(timeout) }
    }

    /// See [`crate::ClientBuilder::max_retries`].
    pub fn max_retries(self, max_retries: u32) -> Self {
        ClientBuilder { inner: self.inner.max_retries(max_retries) }
    }

    /// See [`crate::ClientBuilder::retry_policy`].
    pub fn retry_policy(self, policy: crate::RetryPolicy) -> Self {
        ClientBuilder { inner: self.inner.retry_policy(policy) }
    }

    /// See [`crate::ClientBuilder::connect_timeout`].
    pub fn connect_timeout(self, timeout: Duration) -> Self {
        ClientBuilder { inner: self.inner.connect_timeout(timeout) }
    }

    /// See [`crate::ClientBuilder::deadline`].
    pub fn deadline(self, deadline: Duration) -> Self {
        ClientBuilder { inner: self.inner.deadline(deadline) }
    }

    /// See [`crate::ClientBuilder::max_response_bytes`].
    pub fn max_response_bytes(self, limit: u64) -> Self {
        ClientBuilder { inner: self.inner.max_response_bytes(limit) }
    }

    /// See [`crate::ClientBuilder::retry_base_delay`].
    pub fn retry_base_delay(self, delay: Duration) -> Self {
        ClientBuilder { inner: self.inner.retry_base_delay(delay) }
    }

    /// See [`crate::ClientBuilder::default_header`].
    pub fn default_header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        ClientBuilder { inner: self.inner.default_header(name, value) }
    }

    /// Any other option of the async builder: `.with(|b| b.http_client(..))`.
    pub fn with(self, configure: impl FnOnce(crate::ClientBuilder) -> crate::ClientBuilder) -> Self {
        ClientBuilder { inner: configure(self.inner) }
    }

    /// Builds the client; fails as [`crate::ClientBuilder::build`] does.
    pub fn build(self) -> Result<Client> {
        Client::new(self.inner.build()?)
    }
}

impl<'a, T, P: Serialize> Request<'a, T, P, Client> {
    /// Sends the request (with retries) and decodes the response body,
    /// blocking the calling thread.
    pub fn send(self) -> Result<T>
    where
        T: DeserializeOwned + Send,
    {
        self.send_with_response().map(|r| r.data)
    }

    /// Sends the request (with retries) and returns the decoded body with
    /// the response's status and headers, blocking the calling thread.
    pub fn send_with_response(self) -> Result<ApiResponse<T>>
    where
        T: DeserializeOwned + Send,
    {
        let client = self.client();
        let request = self.into_async();
        client.block_on(request.send_with_response())
    }
}

impl<'a, T, P> Request<'a, T, P, Client>
where
    T: Page + PartialEq + Clone + DeserializeOwned + Send + 'a,
    T::Item: Send + 'a,
    P: Serialize + Clone,
{
    /// Iterates over every item of every page, starting from this request's
    /// page, without consuming the request (see [`IntoIterator`], which a
    /// `for` loop uses directly).
    pub fn iter(&self) -> Pages<'a, T::Item> {
        self.clone().into_iter()
    }
}

impl<'a, T, P> IntoIterator for Request<'a, T, P, Client>
where
    T: Page + PartialEq + Clone + DeserializeOwned + Send + 'a,
    T::Item: Send + 'a,
    P: Serialize,
{
    type Item = Result<T::Item>;
    type IntoIter = Pages<'a, T::Item>;

    /// Every item of every page, fetched one page at a time as the iterator
    /// advances (the async [`Request::into_stream`] rules: the next page is
    /// requested with the page parameter advanced, other parameters kept; an
    /// error is yielded and ends the iteration, and paging that stops before
    /// the last page yields an [`ErrorKind::Paging`](crate::ErrorKind::Paging) error).
    fn into_iter(self) -> Pages<'a, T::Item> {
        let client = self.client();
        Pages {
            client,
            stream: self.into_async().into_stream(),
            done: false,
        }
    }
}

/// The items of every page of a list, for the blocking client; see
/// [`Request`]'s `IntoIterator` implementation.
pub struct Pages<'a, T> {
    client: &'a Client,
    stream: PageStream<'a, T>,
    done: bool,
}

impl<T> Pages<'_, T> {
    /// Sets the most pages fetched (see [`PageStream::max_pages`]).
    #[must_use]
    pub fn max_pages(mut self, max_pages: u32) -> Self {
        self.stream = self.stream.max_pages(max_pages);
        self
    }
}

impl<T: Send> Iterator for Pages<'_, T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if self.done {
            return None;
        }
        let next = self.client.block_on(futures_util::StreamExt::next(&mut self.stream));
        if !matches!(next, Some(Ok(_))) {
            self.done = true;
        }
        next
    }
}

impl<T> fmt::Debug for Pages<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").field("done", &self.done).finish_non_exhaustive()
    }
}
