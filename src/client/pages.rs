//! [`Pages`]: a wallet address's list (incoming or outgoing payments) read page by page, and the
//! [`Listed`] resources it pages through; the cursor bookkeeping ([`Pager`]) is shared with the
//! reconciliation of outgoing payments.

use super::api::OpenPaymentsClient;
use super::error::ClientError;
use super::transport::Transport;
use crate::resources::{IncomingPayment, OutgoingPayment, Page, PageInfo, Pagination};

/// One list (incoming or outgoing payments of a wallet address) read page by page: each
/// [`Pages::next`] fetches one page, following the cursors forward (`pagination.first`) or
/// backward (`pagination.last`). A server that hands back a cursor it already gave ends the
/// pages with an `invalid_response` error instead of an endless loop. Made by
/// [`OpenPaymentsClient::pages`].
pub struct Pages<'c, T, I> {
    client: &'c OpenPaymentsClient<T>,
    list: ListOf,
    pager: Pager,
    done: bool,
    item: std::marker::PhantomData<fn() -> I>,
}

impl<T, I> std::fmt::Debug for Pages<'_, T, I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("list", &self.list)
            .field("pager", &self.pager)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// Which wallet address's list, and with what token.
struct ListOf {
    resource_server: String,
    access_token: String,
    wallet_address: String,
}

/// The token is a secret: `Debug` never shows it.
impl std::fmt::Debug for ListOf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListOf")
            .field("resource_server", &self.resource_server)
            .field("access_token", &"<redacted>")
            .field("wallet_address", &self.wallet_address)
            .finish()
    }
}

impl<'c, T: Transport, I: Listed> Pages<'c, T, I> {
    pub(super) fn new(
        client: &'c OpenPaymentsClient<T>,
        resource_server: &str,
        access_token: &str,
        wallet_address: &str,
        pagination: &Pagination,
    ) -> Self {
        Self {
            client,
            list: ListOf {
                resource_server: resource_server.to_owned(),
                access_token: access_token.to_owned(),
                wallet_address: wallet_address.to_owned(),
            },
            pager: Pager::new(pagination),
            done: false,
            item: std::marker::PhantomData,
        }
    }

    /// The items of the next page; `Ok(None)` once the last page was read. After an error the
    /// pages end too (the next call gives `Ok(None)`).
    pub async fn next(&mut self) -> Result<Option<Vec<I>>, ClientError> {
        if self.done {
            return Ok(None);
        }
        let list = &self.list;
        let page = I::list(
            self.client,
            &list.resource_server,
            &list.access_token,
            &list.wallet_address,
            self.pager.current(),
        )
        .await;
        let advanced = page.and_then(|page| {
            let more = self
                .pager
                .advance(&page.pagination, &self.list.resource_server)?;
            Ok((page.result, more))
        });
        match advanced {
            Ok((items, more)) => {
                self.done = !more;
                Ok(Some(items))
            }
            Err(err) => {
                self.done = true;
                Err(err)
            }
        }
    }

    /// Every remaining item, page after page.
    pub async fn collect(mut self) -> Result<Vec<I>, ClientError> {
        let mut all = Vec::new();
        while let Some(items) = self.next().await? {
            all.extend(items);
        }
        Ok(all)
    }
}

/// A resource that a wallet address's list pages through.
pub trait Listed: Sized + private::Sealed {
    /// Reads one page of `wallet_address`'s list at `resource_server`.
    fn list<'a, T: Transport>(
        client: &'a OpenPaymentsClient<T>,
        resource_server: &'a str,
        access_token: &'a str,
        wallet_address: &'a str,
        pagination: &'a Pagination,
    ) -> impl std::future::Future<Output = Result<Page<Self>, ClientError>> + 'a;
}

mod private {
    pub trait Sealed {}
}

/// [`Listed`] for a resource whose one-page list operation is `$list`.
macro_rules! listed {
    ($item:ty, $list:ident) => {
        impl private::Sealed for $item {}

        impl Listed for $item {
            fn list<'a, T: Transport>(
                client: &'a OpenPaymentsClient<T>,
                resource_server: &'a str,
                access_token: &'a str,
                wallet_address: &'a str,
                pagination: &'a Pagination,
            ) -> impl std::future::Future<Output = Result<Page<Self>, ClientError>> + 'a {
                client.$list(resource_server, access_token, wallet_address, pagination)
            }
        }
    };
}

listed!(IncomingPayment, list_incoming_payments);
listed!(OutgoingPayment, list_outgoing_payments);

/// Where the next page of a list starts, and the cursors seen so far.
#[derive(Debug)]
pub(super) struct Pager {
    pagination: Pagination,
    seen: Vec<String>,
}

impl Pager {
    pub(super) fn new(pagination: &Pagination) -> Self {
        Self {
            pagination: pagination.clone(),
            seen: pagination.cursor.iter().cloned().collect(),
        }
    }

    pub(super) fn current(&self) -> &Pagination {
        &self.pagination
    }

    /// Moves to the page after (or, paging backward, before) `info`; `false` at the end.
    pub(super) fn advance(&mut self, info: &PageInfo, url: &str) -> Result<bool, ClientError> {
        let backward = self.pagination.last.is_some();
        let (more, cursor) = if backward {
            (info.has_previous_page, &info.start_cursor)
        } else {
            (info.has_next_page, &info.end_cursor)
        };
        let Some(cursor) = cursor.as_ref().filter(|_| more) else {
            return Ok(false);
        };
        if self.seen.contains(cursor) {
            return Err(ClientError::repeated_cursor(url, backward));
        }
        self.seen.push(cursor.clone());
        self.pagination.cursor = Some(cursor.clone());
        Ok(true)
    }
}
