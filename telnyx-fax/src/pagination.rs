//! Auto-pagination: a list [`Request`] turned into a [`PageStream`] of the
//! items of every page.
//!
//! ```no_run
//! # async fn run<P>(list: telnyx_fax::Request<'_, P>) -> telnyx_fax::Result<()>
//! # where P: telnyx_fax::Page + serde::de::DeserializeOwned + Send, P::Item: Send + std::fmt::Debug {
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
use serde::de::DeserializeOwned;

use crate::error::Result;
use crate::request::Request;

/// The most pages one stream fetches, whatever the server says.
const MAX_PAGES: u32 = 10_000;

/// A page of a list response (implemented by the generated list response
/// types): its items and its position (`meta.page_number`,
/// `meta.total_pages`).
pub trait Page {
    /// The type of one listed item.
    type Item;

    /// The items of this page, in order.
    fn into_items(self) -> Vec<Self::Item>;

    /// This page's number, counted from 1, when the response says.
    fn page_number(&self) -> Option<i64>;

    /// The number of pages, when the response says.
    fn total_pages(&self) -> Option<i64>;

    /// The query parameter that selects a page.
    fn page_number_param() -> &'static str {
        "page[number]"
    }
}

/// A stream of the items of every page of a list, fetched one page at a
/// time as the stream is polled (see [`Request::into_stream`]).
///
/// An error ends the stream after it is yielded.
pub struct PageStream<'a, T> {
    inner: Pin<Box<dyn Stream<Item = Result<T>> + Send + 'a>>,
}

impl<T> Stream for PageStream<'_, T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<T> fmt::Debug for PageStream<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream").finish_non_exhaustive()
    }
}

struct State<'a, P: Page> {
    /// The request for the next page; `None` once the last page is fetched.
    next: Option<Request<'a, P>>,
    items: std::vec::IntoIter<P::Item>,
    last_page_number: Option<i64>,
    pages_fetched: u32,
}

impl<'a, P, Q> Request<'a, P, Q>
where
    P: Page + DeserializeOwned + Send + 'a,
    P::Item: Send + 'a,
    Q: serde::Serialize,
{
    /// Streams the items of this page and of every following one.
    ///
    /// The next page is requested with `page[number]` set to this page's
    /// number + 1 (other parameters, such as `page[size]`, are kept). The
    /// stream ends after the page whose number reaches the total, after a
    /// page with no items or without page numbers, when the server does not
    /// advance (a page number not greater than the previous one; that
    /// repeated page's items are not yielded again), or after 10 000 pages.
    pub fn into_stream(self) -> PageStream<'a, P::Item> {
        let state = State::<'a, P> {
            // The optional parameters are folded into the query once; each
            // page only changes the page parameter.
            next: Some(self.into_async()),
            items: Vec::new().into_iter(),
            last_page_number: None,
            pages_fetched: 0,
        };
        let stream = futures_util::stream::unfold(state, |mut state| async move {
            loop {
                if let Some(item) = state.items.next() {
                    return Some((Ok(item), state));
                }
                let request = state.next.take()?;
                let page = match request.clone().send().await {
                    Ok(page) => page,
                    Err(error) => return Some((Err(error), state)),
                };
                state.pages_fetched += 1;
                let number = page.page_number();
                let total = page.total_pages();
                if let (Some(n), Some(prev)) = (number, state.last_page_number) {
                    if n <= prev {
                        // The server ignored the page parameter: this page
                        // was already yielded.
                        return None;
                    }
                }
                state.last_page_number = number;
                let items = page.into_items();
                if let (Some(n), Some(total)) = (number, total) {
                    if !items.is_empty() && n < total && state.pages_fetched < MAX_PAGES {
                        state.next = Some(request.set_query(P::page_number_param(), (n + 1).to_string()));
                    }
                }
                state.items = items.into_iter();
            }
        });
        PageStream {
            inner: Box::pin(stream),
        }
    }
}
