//! Auto-pagination: a list [`Request`] turned into a [`PageStream`] of the
//! items of every page. How a page leads to the next is the generated
//! [`Page`] impl's business (page number with a total or up to an empty
//! page, a cursor from the response, offset + limit, the last item's id, or
//! the `Link: rel="next"` header); the loop, the
//! guard against a server that repeats a page and the page cap are here.
//!
//! Paging that cannot reach the last page (the server repeats a page or
//! points back to one already fetched, the next page's URL is outside the
//! client's base URL, or the page cap is reached) ends the stream with an
//! [`ErrorKind::Paging`](crate::ErrorKind::Paging) error after the items
//! fetched so far, never with a silent end: a caller can tell that the list
//! it holds is incomplete.
//!
//! ```no_run
//! # async fn run<P>(list: my_api::Request<'_, P>) -> my_api::Result<()>
//! # where P: my_api::Page + serde::de::DeserializeOwned + Send, P::Item: Send + std::fmt::Debug {
//! use futures_util::StreamExt;
//!
//! let mut items = list.into_stream();
//! while let Some(item) = items.next().await {
//!     println!("{:?}", item?);
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use http::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::request::Request;

/// The most pages one stream fetches by default, whatever the server says.
const MAX_PAGES: u32 = 10_000;

/// A page of a list response (implemented by the generated list response
/// types): its items and how to request the page after it.
///
/// Only [`into_items`](Page::into_items) is required: by default the next
/// page is the one after [`page_number`](Page::page_number) while it is below
/// [`total_pages`](Page::total_pages), selected with
/// [`page_number_param`](Page::page_number_param). Other ways of paging
/// override [`next_page`](Page::next_page).
pub trait Page {
    /// The type of one listed item.
    type Item;

    /// The items of this page, in order.
    fn into_items(self) -> Vec<Self::Item>;

    /// This page's number, counted from 1, when pages are numbered: a page
    /// whose number is not greater than the previous one is a repeat and
    /// ends the stream with an [`ErrorKind::Paging`](crate::ErrorKind::Paging) error.
    fn page_number(&self) -> Option<i64> {
        None
    }

    /// The number of pages, when the response says.
    fn total_pages(&self) -> Option<i64> {
        None
    }

    /// The query parameter that selects a page by number.
    fn page_number_param() -> &'static str {
        "page[number]"
    }

    /// The request for the following page, `None` on the last page. `page`
    /// describes the request and response this page came from.
    fn next_page(&self, page: &PageInfo<'_>) -> Option<NextPage> {
        let _ = page;
        let (number, total) = (self.page_number()?, self.total_pages()?);
        (number < total).then(|| NextPage::query(Self::page_number_param(), (number + 1).to_string()))
    }

    /// A fingerprint of the page's content (a hash of its JSON): a page
    /// with the same fingerprint as the previous one is a repeat and ends
    /// the stream with an [`ErrorKind::Paging`](crate::ErrorKind::Paging)
    /// error. `None` (the default) skips that check.
    fn fingerprint(&self) -> Option<u64> {
        None
    }
}

/// A fingerprint of a serializable value (a hash of its JSON), for
/// [`Page::fingerprint`]. Called by the generated `impl Page`s, so unused in
/// a crate whose API has no paged list.
#[allow(dead_code)]
pub fn fingerprint<T: serde::Serialize + ?Sized>(value: &T) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let bytes = serde_json::to_vec(value).ok()?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    Some(hasher.finish())
}

/// What a [`Page`] may read about the request and response it came from.
#[derive(Debug)]
pub struct PageInfo<'a> {
    headers: &'a HeaderMap,
    query: &'a [(String, String)],
}

impl PageInfo<'_> {
    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The value of a query parameter of the request.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Offset + limit paging: the request's offset (`param`, 0 when unset)
    /// plus the `items` this page holds; `None` after an empty page.
    pub fn next_offset(&self, param: &'static str, items: usize) -> Option<NextPage> {
        if items == 0 {
            return None;
        }
        let offset = self.query(param).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(0);
        Some(NextPage::query(param, (offset + items as u64).to_string()))
    }

    /// Page-number paging whose response says nothing of pages: the page
    /// after the request's (`param`, `first` when unset); `None` after an
    /// empty page, which is how such a list ends (a server that ignores the
    /// page answers the same page again, which ends the stream with an
    /// error, as does the page cap).
    pub fn next_page_number(&self, param: &'static str, first: i64, items: usize) -> Option<NextPage> {
        if items == 0 {
            return None;
        }
        // A page number set from a `number` parameter may read `2.0`.
        let current = match self.query(param).map(str::trim) {
            Some(v) => v.parse::<i64>().ok().or_else(|| v.parse::<f64>().ok().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i64))?,
            None => first,
        };
        Some(NextPage::query(param, current.checked_add(1)?.to_string()))
    }

    /// `Link` header paging: the target of `rel="next"` (RFC 8288).
    pub fn link_next(&self) -> Option<NextPage> {
        for value in self.headers.get_all(http::header::LINK) {
            let Ok(value) = value.to_str() else { continue };
            for link in value.split(',') {
                let mut parts = link.split(';');
                let target = parts.next().unwrap_or("").trim();
                let Some(url) = target.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else { continue };
                let is_next = parts.any(|p| {
                    let p = p.trim();
                    p.strip_prefix("rel=").is_some_and(|r| r.trim_matches('"').split_whitespace().any(|r| r.eq_ignore_ascii_case("next")))
                });
                if is_next {
                    return Some(NextPage::url(url.to_owned()));
                }
            }
        }
        None
    }
}

/// How to request the next page; made by [`Page::next_page`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextPage(Next);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Next {
    Query(&'static str, String),
    Url(String),
}

impl NextPage {
    /// The same request with the query parameter `name` set to `value`
    /// (other parameters, such as the page size, are kept).
    pub fn query(name: &'static str, value: String) -> NextPage {
        NextPage(Next::Query(name, value))
    }

    /// A value that is the next page's URL when it looks like one (an
    /// absolute `http(s)://` URL, or a path of several segments or with a
    /// query: `/v1/things?cursor=..`), else the cursor for the query
    /// parameter `name`: for a response's `next` field whose document does
    /// not say which of the two it holds.
    pub fn token_or_url(name: &'static str, value: String) -> NextPage {
        let lower = value.get(..8).unwrap_or(&value).to_ascii_lowercase();
        let path = value.strip_prefix('/').is_some_and(|rest| rest.contains('/') || rest.contains('?'));
        if lower.starts_with("http://") || lower.starts_with("https://") || path {
            NextPage::url(value)
        } else {
            NextPage::query(name, value)
        }
    }

    /// The page at `url`: absolute, or a path from the server's root
    /// (`/v1/things?cursor=..`); followed only under the client's base URL.
    pub fn url(url: String) -> NextPage {
        NextPage(Next::Url(url))
    }
}

/// A stream of the items of every page of a list, fetched one page at a
/// time as the stream is polled (see [`Request::into_stream`]).
///
/// An error ends the stream after it is yielded; paging that stops before
/// the last page yields an [`ErrorKind::Paging`](crate::ErrorKind::Paging)
/// error.
pub struct PageStream<'a, T> {
    /// Builds the stream with a page cap; taken on the first poll, so that
    /// [`max_pages`](Self::max_pages) can still change the cap before.
    start: Option<StartFn<'a, T>>,
    max_pages: u32,
    inner: Option<BoxedItems<'a, T>>,
}

type BoxedItems<'a, T> = Pin<Box<dyn Stream<Item = Result<T>> + Send + 'a>>;
type StartFn<'a, T> = Box<dyn FnOnce(u32) -> BoxedItems<'a, T> + Send + 'a>;

impl<T> PageStream<'_, T> {
    /// The page cap of a stream unless [`max_pages`](Self::max_pages) sets another.
    pub const DEFAULT_MAX_PAGES: u32 = MAX_PAGES;

    /// Sets the most pages this stream fetches (default
    /// [`DEFAULT_MAX_PAGES`](Self::DEFAULT_MAX_PAGES), 10 000).
    /// A list with more pages ends with an
    /// [`ErrorKind::Paging`](crate::ErrorKind::Paging) error after the items
    /// of the last page fetched. Has no effect once the stream was polled.
    #[must_use]
    pub fn max_pages(mut self, max_pages: u32) -> Self {
        self.max_pages = max_pages;
        self
    }
}

impl<T> Stream for PageStream<'_, T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(start) = this.start.take() {
            this.inner = Some(start(this.max_pages));
        }
        match this.inner.as_mut() {
            Some(inner) => inner.as_mut().poll_next(cx),
            None => Poll::Ready(None),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.as_ref().map_or((0, None), |inner| inner.size_hint())
    }
}

impl<T> fmt::Debug for PageStream<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream").field("max_pages", &self.max_pages).finish_non_exhaustive()
    }
}

struct State<'a, P: Page> {
    /// The request for the next page; `None` once the last page is fetched.
    next: Option<Request<'a, P>>,
    items: std::vec::IntoIter<P::Item>,
    last_page_number: Option<i64>,
    /// The previous page's fingerprint, to spot a server that sends the same page again.
    last_fingerprint: Option<u64>,
    /// Every next-page request made so far.
    seen: Vec<NextPage>,
    pages_fetched: u32,
    max_pages: u32,
    /// Why paging stopped early: yielded once the items fetched are.
    stopped: Option<Error>,
}

impl<'a, P, Q> Request<'a, P, Q>
where
    P: Page + DeserializeOwned + Send + 'a,
    P::Item: Send + 'a,
    Q: serde::Serialize,
{
    /// Streams the items of this page and of every following one.
    ///
    /// The next page is the one the response points to (see [`Page`]);
    /// other parameters, such as the page size, are kept. The stream ends
    /// after the last page or after a page with no items. When the server
    /// does not advance (a page number not greater than the previous one, a
    /// page equal to the previous one, or a next page already requested;
    /// that repeated page's items are not yielded again), when the next
    /// page is outside the client's base URL, or after 10 000 pages (see
    /// [`PageStream::max_pages`]), it ends with an
    /// [`ErrorKind::Paging`](crate::ErrorKind::Paging) error instead: the
    /// list is incomplete.
    pub fn into_stream(self) -> PageStream<'a, P::Item> {
        // The optional parameters are folded into the query once; each
        // page only changes the page parameter.
        let first = self.into_async();
        PageStream {
            start: Some(Box::new(move |max_pages| Box::pin(page_items(first, max_pages)))),
            max_pages: MAX_PAGES,
            inner: None,
        }
    }
}

/// The items of every page from `first` on, at most `max_pages` pages.
fn page_items<'a, P>(first: Request<'a, P>, max_pages: u32) -> impl Stream<Item = Result<P::Item>> + Send + 'a
where
    P: Page + DeserializeOwned + Send + 'a,
    P::Item: Send + 'a,
{
    let state = State::<'a, P> {
        next: Some(first),
        items: Vec::new().into_iter(),
        last_page_number: None,
        last_fingerprint: None,
        seen: Vec::new(),
        pages_fetched: 0,
        max_pages,
        stopped: None,
    };
    futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.items.next() {
                return Some((Ok(item), state));
            }
            if let Some(error) = state.stopped.take() {
                state.next = None;
                return Some((Err(error), state));
            }
            let request = state.next.take()?;
            let response = match request.clone().send_with_response().await {
                Ok(response) => response,
                Err(error) => return Some((Err(error), state)),
            };
            state.pages_fetched += 1;
            let page = response.data;
            let number = page.page_number();
            if let (Some(n), Some(prev)) = (number, state.last_page_number) {
                if n <= prev {
                    // The server ignored the page parameter: this page
                    // was already yielded.
                    let message = format!(
                        "{}: the server answered page {n} after page {prev}; stopped after {} pages",
                        request.operation_id(),
                        state.pages_fetched - 1
                    );
                    return Some((Err(Error::paging(message)), state));
                }
            }
            let fingerprint = page.fingerprint();
            if fingerprint.is_some() && fingerprint == state.last_fingerprint {
                let message = format!(
                    "{}: the server sent the same page twice; stopped after {} pages",
                    request.operation_id(),
                    state.pages_fetched - 1
                );
                return Some((Err(Error::paging(message)), state));
            }
            state.last_fingerprint = fingerprint;
            state.last_page_number = number;
            let info = PageInfo {
                headers: &response.headers,
                query: request.query_pairs(),
            };
            let next = page.next_page(&info);
            let items = page.into_items();
            let count = items.len();
            // An empty page ends the list, whatever it points to.
            if let Some(next) = next.filter(|_| count > 0) {
                let pages = state.pages_fetched;
                let op = request.operation_id();
                if state.seen.contains(&next) {
                    // A page that points back to one already requested.
                    state.stopped = Some(Error::paging(format!(
                        "{op}: page {pages} points back to a page already fetched; stopped after {pages} pages"
                    )));
                } else if pages >= state.max_pages {
                    state.stopped = Some(Error::paging(format!(
                        "{op}: stopped at the cap of {} pages; more pages follow (see PageStream::max_pages)",
                        state.max_pages
                    )));
                } else if let Some(following) = next_request(&request, &next) {
                    state.next = Some(following);
                    state.seen.push(next);
                } else {
                    state.stopped = Some(Error::paging(format!(
                        "{op}: the next page is not under the client's base URL; stopped after {pages} pages"
                    )));
                }
            }
            state.items = items.into_iter();
        }
    })
}

/// The request for `next`: the same request with a query parameter set,
/// or the `Link` target when it is under the client's base URL.
fn next_request<'a, P>(request: &Request<'a, P>, next: &NextPage) -> Option<Request<'a, P>> {
    match &next.0 {
        Next::Query(name, value) => Some(request.clone().set_query(name, value.clone())),
        Next::Url(url) => {
            let base = request.client().base_url();
            // A path from the server's root is joined to the base URL's origin.
            let absolute;
            let url = if url.starts_with('/') {
                let parsed = reqwest::Url::parse(base).ok()?;
                absolute = format!("{}{url}", parsed.origin().ascii_serialization());
                &absolute
            } else {
                url
            };
            let rest = url.strip_prefix(base).filter(|r| r.is_empty() || r.starts_with('/') || r.starts_with('?'))?;
            let path = rest.split_once('?').map_or(rest, |(p, _)| p);
            let parsed = reqwest::Url::parse(url).ok()?;
            let pairs = parsed.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            Some(request.clone().with_path_and_query(path.to_owned(), pairs))
        }
    }
}

/// A [`NextPage`] as an opaque cursor (URL-safe base64 of `q` + name + NUL +
/// value, or `u` + URL), for a front end that fetches one page per call
/// and hands the next page's cursor back to its caller (the MCP server's
/// `cursor` argument). The cursor is the caller's to keep, so it is data,
/// not a pointer into server state.
#[cfg(feature = "cli")]
fn encode_cursor(next: &NextPage) -> String {
    use base64::Engine;
    let raw = match &next.0 {
        Next::Query(name, value) => format!("q{name}\0{value}"),
        Next::Url(url) => format!("u{url}"),
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

#[cfg(feature = "cli")]
impl<'a, P, Q> Request<'a, P, Q>
where
    P: Page + DeserializeOwned + Clone,
    Q: serde::Serialize,
{
    /// Sends the request for one page: the page at `cursor` (a cursor this
    /// function returned for an earlier page of the same request), else the
    /// first; the page and the cursor of the page after it (`None` on the
    /// last page or after an empty one). A cursor that does not decode,
    /// or that points outside the client's base URL, is an
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) error.
    pub(crate) async fn one_page(self, cursor: Option<&str>) -> Result<(P, Option<String>)> {
        use base64::Engine;
        let mut request = self.into_async();
        if let Some(cursor) = cursor {
            let invalid = || Error::invalid_argument(format!("cursor `{cursor}` is not a cursor this server returned"));
            let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| invalid())?;
            let raw = String::from_utf8(raw).map_err(|_| invalid())?;
            request = match raw.split_at_checked(1) {
                Some(("q", rest)) => {
                    let (name, value) = rest.split_once('\0').ok_or_else(invalid)?;
                    request.set_query(name, value.to_string())
                }
                Some(("u", url)) => next_request(&request, &NextPage::url(url.to_string())).ok_or_else(invalid)?,
                _ => return Err(invalid()),
            };
        }
        let query = request.query_pairs().to_vec();
        let response = request.send_with_response().await?;
        let info = PageInfo { headers: &response.headers, query: &query };
        let next = response.data.next_page(&info);
        let page = response.data;
        // An empty page ends the list, whatever it points to (as the stream).
        let empty = page.clone().into_items().is_empty();
        Ok((page, next.filter(|_| !empty).map(|n| encode_cursor(&n))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `next` field whose document does not say what it holds: a URL is
    /// followed, anything else (base64 tokens included) is the cursor.
    #[test]
    fn token_or_url_tells_them_apart() {
        for (value, want) in [
            ("https://api.example.com/v1/things?cursor=2", Next::Url("https://api.example.com/v1/things?cursor=2".into())),
            ("HTTP://x/y", Next::Url("HTTP://x/y".into())),
            ("/v1/things?cursor=2", Next::Url("/v1/things?cursor=2".into())),
            ("eyJwYWdlIjoyfQ==", Next::Query("cursor", "eyJwYWdlIjoyfQ==".into())),
            ("/abc", Next::Query("cursor", "/abc".into())),
            ("2", Next::Query("cursor", "2".into())),
        ] {
            assert_eq!(NextPage::token_or_url("cursor", value.into()).0, want, "{value}");
        }
    }

    /// A page number without a total: the request's page plus one (the
    /// first page when the request has none), nothing after an empty page
    /// or a page number that is not a whole number.
    #[test]
    fn next_page_number_counts_up_from_the_request() {
        let headers = HeaderMap::new();
        let next = |query: &[(String, String)], first, items| PageInfo { headers: &headers, query }.next_page_number("page", first, items);
        assert_eq!(next(&[], 1, 3), Some(NextPage::query("page", "2".into())));
        assert_eq!(next(&[], 0, 3), Some(NextPage::query("page", "1".into())));
        assert_eq!(next(&[("page".into(), "7".into())], 1, 3), Some(NextPage::query("page", "8".into())));
        assert_eq!(next(&[("page".into(), "7.0".into())], 1, 3), Some(NextPage::query("page", "8".into())));
        assert_eq!(next(&[("page".into(), "7".into())], 1, 0), None);
        assert_eq!(next(&[("page".into(), "x".into())], 1, 3), None);
        assert_eq!(next(&[("page".into(), i64::MAX.to_string())], 1, 3), None);
    }
}
