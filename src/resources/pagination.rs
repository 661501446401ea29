//! Pages of a list (`GET /incoming-payments`, `GET /outgoing-payments`) [RS `page-info`].

use serde::{Deserialize, Serialize};

/// Where a page sits in the list (schema `page-info`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    /// Cursor of the first item; pass it with `last` to page backwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_cursor: Option<String>,
    /// Cursor of the last item; pass it with `first` to page forwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_cursor: Option<String>,
    /// More items follow this page.
    pub has_next_page: bool,
    /// More items precede this page.
    pub has_previous_page: bool,
}

/// One page of a list: its position and its items, each valid as `T`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// Where the page sits in the list.
    pub pagination: PageInfo,
    /// The items of the page.
    pub result: Vec<T>,
}
