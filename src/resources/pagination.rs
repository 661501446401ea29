//! Pages of a list (`GET /incoming-payments`, `GET /outgoing-payments`) [RS `page-info`], and
//! which page to ask for (the `first`, `last` and `cursor` query parameters of those operations):
//! one set of paging rules for the client that asks and the sandbox that answers.

use serde::{Deserialize, Serialize};

use super::ResourceError;

/// Which page of a list to fetch (`first`/`last`/`cursor` of the list operations).
///
/// Forward paging uses `first` (and `cursor` = the previous page's `endCursor`), backward paging
/// `last` (and `cursor` = `startCursor`); both at once is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pagination {
    /// Number of items after `cursor` (1..=100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<u8>,
    /// Number of items before `cursor` (1..=100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<u8>,
    /// The cursor to page from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// The page sizes the list operations accept (`first`, `last`).
pub const PAGE_SIZES: std::ops::RangeInclusive<u8> = 1..=100;

impl Pagination {
    /// Checks the paging rules: `first` or `last`, not both; page sizes 1 to 100; no empty
    /// cursor. The error names the parameter.
    pub fn check(&self) -> Result<(), ResourceError> {
        if self.first.is_some() && self.last.is_some() {
            return Err(ResourceError::new(
                "conflicting_fields",
                "last",
                "pagination takes first (forward) or last (backward), not both",
            ));
        }
        for (name, n) in [("first", self.first), ("last", self.last)] {
            if n.is_some_and(|n| !PAGE_SIZES.contains(&n)) {
                return Err(ResourceError::new(
                    "invalid_value",
                    name,
                    "page sizes are 1 to 100",
                ));
            }
        }
        if self.cursor.as_deref() == Some("") {
            return Err(ResourceError::new(
                "invalid_value",
                "cursor",
                "the cursor must not be empty",
            ));
        }
        Ok(())
    }
}

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
