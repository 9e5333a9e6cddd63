//! The service-agnostic part of paginators (`smithy.api#paginated`), with aws-sdk-rust's
//! user-facing behaviour: `send()` gives aws-smithy-async's [`PaginationStream`] of pages,
//! `items().send()` a stream of the items of every page; both support `next().await`,
//! `try_next()`, `collect::<Result<Vec<_>, _>>()` and `try_collect()`.
//!
//! A generated paginator only says how to send one request and where the tokens live:
//!
//! ```ignore
//! // `self.inner` is the operation's fluent builder (Clone, with `get_`/`set_` per member).
//! pub fn send(self) -> PaginationStream<Result<ListKeysOutput, SdkError<ListKeysError>>> {
//!     Pages {
//!         input: self.inner,
//!         input_token: ListKeysFluentBuilder::get_marker,
//!         set_input_token: ListKeysFluentBuilder::set_marker,
//!         output_token: |output: &ListKeysOutput| output.next_marker().map(str::to_owned),
//!         stop_on_duplicate_token: self.stop_on_duplicate_token,
//!     }
//!     .send(ListKeysFluentBuilder::send)
//! }
//! ```
//!
//! Paging stops, as in aws-sdk, after a page whose output token is absent or empty, after
//! a page that returns the token just sent (unless `stop_on_duplicate_token(false)`: some
//! services legitimately repeat a token while results are still arriving), and after the
//! first error (which is yielded as the last item).

use std::collections::HashMap;
use std::future::Future;

use aws_smithy_async::future::pagination_stream::fn_stream::FnStream;
pub use aws_smithy_async::future::pagination_stream::{PaginationStream, TryFlatMap};

/// A pagination token: a string for most services, a key map for DynamoDB's `Query` and
/// `Scan` (`ExclusiveStartKey` / `LastEvaluatedKey`).
pub trait PageToken: Clone + PartialEq + Send + 'static {
    /// An empty token ends paging just like an absent one.
    fn is_empty_token(&self) -> bool;
}

impl PageToken for String {
    fn is_empty_token(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V, S> PageToken for HashMap<K, V, S>
where
    K: Eq + std::hash::Hash + Clone + Send + 'static,
    V: PartialEq + Clone + Send + 'static,
    S: std::hash::BuildHasher + Clone + Send + 'static,
{
    fn is_empty_token(&self) -> bool {
        self.is_empty()
    }
}

/// How to page one operation: its input builder and where its tokens live.
///
/// `I` is the operation's input builder, `O` its output, `T` the token type.
pub struct Pages<I, O, T> {
    /// The first request, as the caller configured it (its token, if set, is the start).
    pub input: I,
    /// Reads the input token (the builder's `get_<token>`).
    pub input_token: fn(&I) -> &Option<T>,
    /// Sets the input token (the builder's `set_<token>`).
    pub set_input_token: fn(I, Option<T>) -> I,
    /// Reads the next token from a page.
    pub output_token: fn(&O) -> Option<T>,
    /// Stop when a page returns the token that was just sent (aws-sdk's default: `true`).
    pub stop_on_duplicate_token: bool,
}

impl<I, O, T> Pages<I, O, T>
where
    I: Clone + Send + 'static,
    O: Send + 'static,
    T: PageToken,
{
    /// The stream of pages; `send` sends one request (it is called once per page, after
    /// the previous page has been taken from the stream).
    pub fn send<E, S, Fut>(self, send: S) -> PaginationStream<Result<O, E>>
    where
        E: Send + 'static,
        S: Fn(I) -> Fut + Send + 'static,
        Fut: Future<Output = Result<O, E>> + Send + 'static,
    {
        PaginationStream::new(FnStream::new(move |tx| {
            Box::pin(async move {
                let mut input = self.input;
                loop {
                    let sent_token = (self.input_token)(&input).clone();
                    let page = send(input.clone()).await;
                    let done = match &page {
                        Err(_) => true,
                        Ok(output) => match (self.output_token)(output) {
                            None => true,
                            Some(token) if token.is_empty_token() => true,
                            Some(token)
                                if self.stop_on_duplicate_token
                                    && sent_token.as_ref() == Some(&token) =>
                            {
                                true
                            }
                            Some(token) => {
                                input = (self.set_input_token)(input, Some(token));
                                false
                            }
                        },
                    };
                    // The receiver is gone: nobody wants more pages.
                    if tx.send(page).await.is_err() || done {
                        return;
                    }
                }
            })
        }))
    }
}

/// The items of every page, in order: `items` takes a page apart (for an item path that
/// is one member: `|page| page.keys.unwrap_or_default()`). An error ends the stream.
pub fn items<O, E, Iter>(
    pages: PaginationStream<Result<O, E>>,
    items: fn(O) -> Iter,
) -> PaginationStream<Result<Iter::Item, E>>
where
    O: Send + 'static,
    E: Send + 'static,
    Iter: IntoIterator + Send + 'static,
    Iter::Item: Send + 'static,
    Iter::IntoIter: Send,
{
    TryFlatMap::new(pages).flat_map(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// The input builder of a fake paginated operation.
    #[derive(Clone, Debug, Default, PartialEq)]
    struct Input {
        token: Option<String>,
        limit: Option<usize>,
    }

    impl Input {
        fn get_token(&self) -> &Option<String> {
            &self.token
        }
        fn set_token(mut self, token: Option<String>) -> Self {
            self.token = token;
            self
        }
    }

    #[derive(Debug, PartialEq)]
    struct Output {
        items: Vec<u32>,
        next: Option<String>,
    }

    /// A fake service: pages of `limit` (default 2) numbers out of `0..total`, tokens are
    /// the next offset; records every input it receives.
    #[derive(Clone, Default)]
    struct Service {
        total: u32,
        seen: Arc<Mutex<Vec<Input>>>,
        /// Replaces the computed next token (for empty/duplicate token tests).
        fixed_next: Option<Option<String>>,
        /// Fails the request with this offset.
        fail_at: Option<u32>,
    }

    impl Service {
        async fn call(&self, input: Input) -> Result<Output, String> {
            self.seen.lock().unwrap().push(input.clone());
            let start: u32 = input.token.as_deref().unwrap_or("0").parse().unwrap();
            if self.fail_at == Some(start) {
                return Err(format!("boom at {start}"));
            }
            let limit = input.limit.unwrap_or(2) as u32;
            let end = (start + limit).min(self.total);
            let next = match &self.fixed_next {
                Some(next) => next.clone(),
                None => (end < self.total).then(|| end.to_string()),
            };
            Ok(Output {
                items: (start..end).collect(),
                next,
            })
        }

        fn pages(
            &self,
            input: Input,
            stop_on_duplicate_token: bool,
        ) -> PaginationStream<Result<Output, String>> {
            let service = self.clone();
            Pages {
                input,
                input_token: Input::get_token,
                set_input_token: Input::set_token,
                output_token: |output: &Output| output.next.clone(),
                stop_on_duplicate_token,
            }
            .send(move |input| {
                let service = service.clone();
                async move { service.call(input).await }
            })
        }

        fn tokens_sent(&self) -> Vec<Option<String>> {
            self.seen
                .lock()
                .unwrap()
                .iter()
                .map(|i| i.token.clone())
                .collect()
        }
    }

    #[tokio::test]
    async fn pages_until_the_token_is_absent() {
        let service = Service {
            total: 5,
            ..Default::default()
        };
        let pages: Vec<Output> = service
            .pages(Input::default(), true)
            .collect::<Result<Vec<_>, _>>()
            .await
            .unwrap();
        let items: Vec<Vec<u32>> = pages.iter().map(|p| p.items.clone()).collect();
        assert_eq!(items, [vec![0, 1], vec![2, 3], vec![4]]);
        assert_eq!(
            service.tokens_sent(),
            [None, Some("2".into()), Some("4".into())]
        );
    }

    #[tokio::test]
    async fn page_size_and_start_token_come_from_the_input() {
        let service = Service {
            total: 10,
            ..Default::default()
        };
        let input = Input {
            token: Some("4".into()),
            limit: Some(3),
        };
        let mut pages = service.pages(input, true);
        let mut sizes = Vec::new();
        while let Some(page) = pages.try_next().await.unwrap() {
            sizes.push(page.items.len());
        }
        assert_eq!(sizes, [3, 3]);
        assert!(service
            .seen
            .lock()
            .unwrap()
            .iter()
            .all(|i| i.limit == Some(3)));
    }

    #[tokio::test]
    async fn items_flatten_every_page() {
        let service = Service {
            total: 7,
            ..Default::default()
        };
        let items = items(service.pages(Input::default(), true), |page: Output| {
            page.items
        });
        assert_eq!(
            items.try_collect().await.unwrap(),
            (0..7).collect::<Vec<_>>()
        );
    }

    #[tokio::test]
    async fn an_empty_token_ends_paging() {
        let service = Service {
            total: 10,
            fixed_next: Some(Some(String::new())),
            ..Default::default()
        };
        let pages = service
            .pages(Input::default(), true)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), 1);
    }

    #[tokio::test]
    async fn a_repeated_token_ends_paging_unless_disabled() {
        let repeating = || Service {
            total: 100,
            fixed_next: Some(Some("2".into())),
            ..Default::default()
        };
        // Page 1 sends no token and gets "2"; page 2 sends "2" and gets "2" again: stop.
        let service = repeating();
        let pages = service
            .pages(Input::default(), true)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(service.tokens_sent(), [None, Some("2".into())]);

        // Without the check the caller decides when to stop.
        let service = repeating();
        let mut pages = service.pages(Input::default(), false);
        for _ in 0..5 {
            assert!(pages.try_next().await.unwrap().is_some());
        }
        drop(pages);
        assert_eq!(service.tokens_sent().len(), 5);
    }

    #[tokio::test]
    async fn an_error_is_the_last_item() {
        let service = Service {
            total: 10,
            fail_at: Some(4),
            ..Default::default()
        };
        let mut pages = service.pages(Input::default(), true);
        assert!(pages.next().await.unwrap().is_ok());
        assert!(pages.next().await.unwrap().is_ok());
        assert_eq!(pages.next().await.unwrap().unwrap_err(), "boom at 4");
        assert!(pages.next().await.is_none());
        assert_eq!(service.seen.lock().unwrap().len(), 3);

        let items = items(service.pages(Input::default(), true), |page: Output| {
            page.items
        });
        assert_eq!(items.try_collect().await.unwrap_err(), "boom at 4");
    }

    #[tokio::test]
    async fn pages_are_requested_lazily() {
        let service = Service {
            total: 100,
            ..Default::default()
        };
        let mut pages = service.pages(Input::default(), true);
        assert!(service.seen.lock().unwrap().is_empty());
        pages.next().await.unwrap().unwrap();
        // The rendezvous channel lets the generator run ahead by at most one request.
        assert!(service.seen.lock().unwrap().len() <= 2);
    }

    #[tokio::test]
    async fn map_tokens_work_like_dynamodb_keys() {
        type Key = HashMap<String, String>;
        #[derive(Clone, Default)]
        struct ScanInput {
            start: Option<Key>,
        }
        let pages = Pages {
            input: ScanInput::default(),
            input_token: |i: &ScanInput| &i.start,
            set_input_token: |_, start| ScanInput { start },
            output_token: |last: &Option<Key>| last.clone(),
            stop_on_duplicate_token: true,
        }
        .send(|input: ScanInput| async move {
            let n = input.start.map(|k| k.len()).unwrap_or(0);
            // Three pages: keys of growing size, then an empty map (no more pages).
            let next: Key = (0..n + 1).map(|i| (i.to_string(), String::new())).collect();
            Ok::<_, ()>((n < 2).then_some(next).or_else(|| Some(Key::new())))
        });
        assert_eq!(pages.try_collect().await.unwrap().len(), 3);
    }
}
