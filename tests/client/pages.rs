//! Paging through lists: cursors forward and backward, loops refused, one page fetched at a time.

use super::support::*;

fn outgoing_page(cursor: Option<&str>, next: bool, prev: bool, ids: &[&str]) -> HttpResponse {
    let items: Vec<String> = ids.iter().map(|id| outgoing(id, "q")).collect();
    let cursors = cursor.map_or(String::new(), |c| {
        format!(r#""startCursor":"{c}","endCursor":"{c}","#)
    });
    response(
        200,
        &format!(
            r#"{{"pagination":{{{cursors}"hasNextPage":{next},"hasPreviousPage":{prev}}},"result":[{}]}}"#,
            items.join(",")
        ),
    )
}

/// A transport answering three pages of outgoing payments o1, o2, o3 (cursors o1, o2).
fn three_pages() -> Scripted {
    let t = Scripted::default();
    t.push(Ok(outgoing_page(Some("o1"), true, false, &["o1"])))
        .push(Ok(outgoing_page(Some("o2"), true, true, &["o2"])))
        .push(Ok(outgoing_page(None, false, true, &["o3"])));
    t
}

/// A transport whose second page repeats the first page's cursor.
fn repeated_cursor() -> Scripted {
    let t = Scripted::default();
    t.push(Ok(outgoing_page(Some("o1"), true, false, &["o1"])))
        .push(Ok(outgoing_page(Some("o1"), true, true, &["o1"])));
    t
}

const ONE_PER_PAGE: Pagination = Pagination {
    first: Some(1),
    last: None,
    cursor: None,
};

#[test]
fn list_all_follows_cursors_forward_and_backward_and_refuses_a_loop() {
    let t = three_pages();
    let all =
        block_on(client(&t).list_all::<OutgoingPayment>(RS, TOKEN, WALLET, &ONE_PER_PAGE)).unwrap();
    let ids: Vec<&str> = all
        .iter()
        .map(|p| p.id.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(ids, ["o1", "o2", "o3"]);
    let urls: Vec<String> = t.sent().into_iter().map(|(_, url)| url).collect();
    assert!(!urls[0].contains("cursor="));
    assert!(urls[1].contains("cursor=o1") && urls[1].contains("first=1"));
    assert!(urls[2].contains("cursor=o2"));

    // Backward: `last` with the start cursors.
    let t = Scripted::default();
    t.push(Ok(outgoing_page(Some("o5"), false, true, &["o5"])))
        .push(Ok(outgoing_page(Some("o4"), true, false, &["o4"])));
    let last = Pagination {
        last: Some(1),
        cursor: Some("o6".into()),
        ..Pagination::default()
    };
    let all = block_on(client(&t).list_all::<OutgoingPayment>(RS, TOKEN, WALLET, &last)).unwrap();
    assert_eq!(all.len(), 2);
    assert!(t.sent()[1].1.contains("cursor=o5") && t.sent()[1].1.contains("last=1"));

    // A server that repeats a cursor would page forever: an error naming the field.
    let t = repeated_cursor();
    let err = block_on(client(&t).list_all::<OutgoingPayment>(RS, TOKEN, WALLET, &ONE_PER_PAGE))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_response");
    assert_eq!(err.field().as_deref(), Some("pagination.endCursor"));
    assert_eq!(t.sent().len(), 2);
}

#[test]
fn pages_are_fetched_one_at_a_time_as_they_are_asked_for() {
    let t = three_pages();
    let c = client(&t);
    let mut pages = c.pages::<OutgoingPayment>(RS, TOKEN, WALLET, &ONE_PER_PAGE);
    assert!(
        !format!("{pages:?}").contains(TOKEN),
        "the token is not in Debug"
    );
    let page = block_on(pages.next()).unwrap().unwrap();
    assert!(page[0].id.ends_with("/o1"));
    assert_eq!(
        t.sent().len(),
        1,
        "nothing is fetched before it is asked for"
    );
    // Stopping here costs nothing more; reading on follows the cursors to the end.
    let page = block_on(pages.next()).unwrap().unwrap();
    assert!(page[0].id.ends_with("/o2"));
    assert!(t.sent()[1].1.contains("cursor=o1"));
    let rest = block_on(pages.collect()).unwrap();
    assert_eq!(rest.len(), 1);
    assert!(rest[0].id.ends_with("/o3"));
    assert_eq!(t.sent().len(), 3);

    // An error (here: the server repeats a cursor) ends the pages: the next call reads nothing.
    let t = repeated_cursor();
    let c = client(&t);
    let mut pages = c.pages::<OutgoingPayment>(RS, TOKEN, WALLET, &ONE_PER_PAGE);
    assert!(block_on(pages.next()).unwrap().is_some());
    let err = block_on(pages.next()).unwrap_err();
    assert_eq!(err.field().as_deref(), Some("pagination.endCursor"));
    assert_eq!(block_on(pages.next()).unwrap(), None);
    assert_eq!(t.sent().len(), 2);
}
