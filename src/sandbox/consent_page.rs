//! The consent page of an interaction (the wallet's own site, in HTML): what the shop asks for in
//! words a person reads (amounts with currency symbols, intervals, wallets by name), the page
//! for an expired interaction, and the wallet pages' look.

use super::http::{html_escape, percent_encode, Reply};
use super::records::{ClientId, GrantStatus};
use super::state::State;
use crate::resources::time::RepeatingInterval;
use crate::resources::AccessItem;

impl State {
    pub(super) fn consent_page(&self, ase: &str, interact_id: &str) -> Reply {
        let Some(grant) = self
            .grant_of_interaction(interact_id)
            .filter(|g| g.ase == ase)
        else {
            return Reply::html(
                404,
                page("Unknown interaction", "<p>No such interaction.</p>"),
            );
        };
        if grant.interaction_expired(self.now()) {
            return expired_page();
        }
        if grant.status != GrantStatus::Pending {
            return Reply::html(
                409,
                page("Already decided", "<p>This interaction is over.</p>"),
            );
        }
        // Who asks: the public name of the client's wallet address (as a wallet shows the shop),
        // and the address itself so that a look-alike name cannot hide where the request is from.
        let (client_name, client_detail) = match &grant.client {
            ClientId::Wallet(url) => {
                match self.wallet_by_url(url).and_then(|w| w.public_name.clone()) {
                    Some(name) => (name, url.clone()),
                    None => (
                        url.clone(),
                        "an application without a public name".to_owned(),
                    ),
                }
            }
            ClientId::Key(key) => (
                "An application".to_owned(),
                format!("identified by key {}", key.key_id()),
            ),
        };
        let mut summary = String::new();
        let mut items = String::new();
        for item in &grant.access {
            let (headline, lines) = self.describe_access(item);
            if summary.is_empty() {
                if let Some((label, amount, interval)) = self.headline_amount(item) {
                    summary = format!(
                        "<div class=\"summary\"><span>{}</span><strong id=\"amount\">{}</strong>{}</div>",
                        html_escape(label),
                        html_escape(&amount),
                        interval.map_or(String::new(), |i| format!(
                            "<span id=\"interval\">{}</span>",
                            html_escape(&i)
                        ))
                    );
                }
            }
            items.push_str("<li><strong>");
            items.push_str(&html_escape(&headline));
            items.push_str("</strong>");
            if !lines.is_empty() {
                items.push_str("<ul>");
                for line in lines {
                    items.push_str("<li>");
                    items.push_str(&html_escape(&line));
                    items.push_str("</li>");
                }
                items.push_str("</ul>");
            }
            items.push_str("</li>");
        }
        if let Some(subject) = &grant.subject {
            for s in &subject.sub_ids {
                items.push_str(&format!(
                    "<li><strong>Prove that you control {}</strong></li>",
                    html_escape(&s.id)
                ));
            }
        }
        let recurring = grant.access.iter().any(|item| {
            matches!(item, AccessItem::OutgoingPayment { limits: Some(l), .. } if l.interval.is_some())
        });
        let title = match (
            recurring,
            grant
                .access
                .iter()
                .any(|i| matches!(i, AccessItem::OutgoingPayment { .. })),
        ) {
            (true, _) => "Approve recurring payments",
            (false, true) => "Approve a payment",
            (false, false) => "Approve access to your wallet",
        };
        let action = format!(
            "{}/interact/{}",
            self.auth_path(ase),
            percent_encode(interact_id)
        );
        let body = format!(
            "<p class=\"lead\"><strong id=\"client\">{name}</strong> asks for access to your wallet.</p>\
             <p class=\"from\">Requested by <span id=\"client-url\">{detail}</span></p>\
             {summary}\
             <h2>If you approve, {name} can:</h2><ul id=\"access\">{items}</ul>\
             <p class=\"note\">Nothing is paid unless you approve. If you deny, nothing is shared or paid.</p>\
             <div class=\"actions\">\
             <form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"decision\" value=\"deny\"><button type=\"submit\" id=\"deny\" class=\"button\">Deny</button></form>\
             <form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"decision\" value=\"approve\"><button type=\"submit\" id=\"approve\" class=\"button primary\">Approve</button></form>\
             </div>",
            name = html_escape(&client_name),
            detail = html_escape(&client_detail),
        );
        Reply::html(200, wallet_page(ase, title, &body))
    }

    /// A wallet's public name and address for a person (`Sandbox Shopper
    /// (https://…/bank-b/shopper)`), or the address alone.
    fn wallet_words(&self, url: &str) -> String {
        match self
            .wallet_by_url(url)
            .and_then(|w| w.public_name.as_deref())
        {
            Some(name) => format!("{name} ({url})"),
            None => url.to_owned(),
        }
    }

    /// The amount a person most needs to see for an access item, for the page's summary:
    /// (label, formatted amount, interval in words).
    fn headline_amount(&self, item: &AccessItem) -> Option<(&'static str, String, Option<String>)> {
        let AccessItem::OutgoingPayment {
            limits: Some(l), ..
        } = item
        else {
            return None;
        };
        let interval = l.interval.as_ref().map(|i| interval_words(i.as_str()));
        if let Some(d) = &l.debit_amount {
            return Some(("You pay at most", money(d), interval));
        }
        l.receive_amount
            .as_ref()
            .map(|r| ("The payee receives at most", money(r), interval))
    }

    /// A person-readable line for an access item and the details under it.
    fn describe_access(&self, item: &AccessItem) -> (String, Vec<String>) {
        use crate::resources::AccessAction as A;
        let allowed = |a: &[A]| {
            let names: Vec<&str> = a
                .iter()
                .map(|x| match x {
                    A::Create => "create",
                    A::Complete => "complete",
                    A::Read => "read the ones it made",
                    A::ReadAll => "read all",
                    A::List => "list the ones it made",
                    A::ListAll => "list all",
                })
                .collect();
            format!("It may {}", names.join(", "))
        };
        match item {
            AccessItem::IncomingPayment {
                actions: a,
                identifier,
            } => (
                format!(
                    "Manage incoming payments (money coming in) on {}",
                    identifier
                        .as_deref()
                        .map_or("any wallet".to_owned(), |w| self.wallet_words(w))
                ),
                vec![allowed(a)],
            ),
            AccessItem::Quote { actions: a } => ("Ask for quotes".to_owned(), vec![allowed(a)]),
            AccessItem::OutgoingPayment {
                actions: a,
                identifier,
                limits,
            } => {
                let verb = if a.contains(&A::Create) {
                    "Send payments"
                } else {
                    "See payments"
                };
                let head = format!("{verb} from your wallet {}", self.wallet_words(identifier));
                let mut lines = Vec::new();
                let l = limits.as_ref();
                let every = l
                    .and_then(|l| l.interval.as_ref())
                    .map(|i| interval_words(i.as_str()));
                let per = every
                    .as_ref()
                    .map_or(" in total".to_owned(), |w| format!(" {w}"));
                let debit = l.and_then(|l| l.debit_amount.as_ref());
                let receive = l.and_then(|l| l.receive_amount.as_ref());
                if let Some(d) = debit {
                    lines.push(format!("At most {} taken from your wallet{per}", money(d)));
                }
                if let Some(r) = receive {
                    lines.push(format!("At most {} received by the payee{per}", money(r)));
                }
                if debit.is_none() && receive.is_none() {
                    lines.push(match &every {
                        Some(w) => format!("No amount limit, {w}"),
                        None => "No amount limit".to_owned(),
                    });
                }
                lines.push(match l.and_then(|l| l.receiver.as_deref()) {
                    Some(r) => match self.incoming.iter().find(|i| i.url == r) {
                        Some(i) => {
                            format!("Only to {}, for this order", self.wallet_words(&i.wallet))
                        }
                        None => format!("Only to the incoming payment {r}"),
                    },
                    None => "To any payee".to_owned(),
                });
                let mut seen = Vec::new();
                if a.iter().any(|x| matches!(x, A::Read | A::List)) {
                    seen.push("the payments it made");
                }
                if a.iter().any(|x| matches!(x, A::ReadAll | A::ListAll)) {
                    seen.push("every payment from this wallet");
                }
                if !seen.is_empty() {
                    lines.push(format!("It can see {}", seen.join(" and ")));
                }
                (head, lines)
            }
        }
    }
}

/// An amount for a person: the currency symbol where there is a common one, the exact decimal
/// text of [`Amount::to_decimal_string`] with thousands grouped, and the asset code (`€1,000.00
/// EUR`, `$73.40 USD`, `0.005000 XRP`). Text operations on the exact digits only.
fn money(amount: &crate::amount::Amount) -> String {
    let text = amount.to_decimal_string();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut grouped = String::with_capacity(int.len() + int.len() / 3 + 1);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if let Some(f) = frac {
        grouped.push('.');
        grouped.push_str(f);
    }
    let code = amount.asset_code();
    let symbol = match code {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "KRW" => "₩",
        "CAD" => "CA$",
        "AUD" => "A$",
        "MXN" => "MX$",
        "NZD" => "NZ$",
        _ => "",
    };
    format!("{symbol}{grouped} {code}")
}

/// A grant's `interval` in words; the text as given when it does not parse (it was validated
/// when the grant was requested).
fn interval_words(text: &str) -> String {
    RepeatingInterval::parse(text).map_or_else(|| format!("per interval {text}"), |i| i.describe())
}

/// The consent page of an interaction that was not decided in time.
pub(super) fn expired_page() -> Reply {
    Reply::html(
        410,
        page(
            "Interaction expired",
            "<p id=\"expired\">This request was not approved or denied in time and has expired. \
             Ask the application to start again.</p>",
        ),
    )
}

/// The look of the wallet's pages: the person is on their wallet's site (the ASE's name in the
/// header), not the shop's. Colours meet WCAG 2.1 AA: text ≥ 4.5:1, focus ring ≥ 3:1.
const STYLE: &str = "\
:root{--ink:#1b2230;--muted:#545d6e;--line:#d4d9e2;--brand:#2746a8;--bg:#eef1f6}\
*{box-sizing:border-box}\
body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);background:var(--bg)}\
.bar{display:flex;justify-content:space-between;align-items:center;gap:12px;padding:14px 24px;background:var(--brand);color:#fff}\
.bar .brand{font-weight:700}.bar .tag{font-size:14px}\
main{max-width:560px;margin:32px auto;background:#fff;border:1px solid var(--line);border-radius:12px;padding:28px 32px}\
h1{font-size:24px;margin:0 0 8px}h2{font-size:17px;margin:20px 0 8px}\
.lead{font-size:18px;margin:0 0 4px}.from{color:var(--muted);font-size:14px;margin:0 0 18px;overflow-wrap:anywhere}\
.summary{display:flex;flex-direction:column;background:#f3f6fc;border:1px solid #cdd6ec;border-radius:10px;padding:14px 18px}\
.summary span{color:var(--muted);font-size:15px}.summary strong{font-size:28px;color:var(--brand);font-variant-numeric:tabular-nums}\
.summary #interval{color:var(--ink);font-size:16px;font-weight:600}\
#access{padding-left:20px;margin:0}#access li{margin:6px 0;overflow-wrap:anywhere}#access ul{padding-left:18px;color:var(--muted);font-size:15px}\
.note{color:var(--muted);font-size:14px}\
.actions{display:grid;grid-template-columns:1fr 2fr;gap:12px;margin-top:18px}.actions form{margin:0}\
.button{width:100%;padding:12px 18px;font:inherit;font-weight:600;border:2px solid var(--ink);border-radius:8px;background:#fff;color:var(--ink);cursor:pointer}\
.button.primary{background:var(--brand);border-color:var(--brand);color:#fff}\
/* Focus ring #1b2230 (--ink): 15.9:1 against the white card, 14.1:1 against the --bg page. */\
.button:focus-visible{outline:3px solid var(--ink);outline-offset:3px}\
";

/// A page of the wallet (`ase` names it in the header).
fn wallet_page(ase: &str, title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t} · {a} wallet</title><style>{STYLE}</style></head><body>\
         <header class=\"bar\"><span class=\"brand\">{a} wallet</span><span class=\"tag\">Open Payments sandbox</span></header>\
         <main><h1>{t}</h1>{body}</main></body></html>",
        t = html_escape(title),
        a = html_escape(ase),
    )
}

/// A page of the authorization server that names no wallet.
pub(super) fn page(title: &str, body: &str) -> String {
    wallet_page("Sandbox", title, body)
}

#[cfg(test)]
mod tests {
    use super::{interval_words, money};
    use crate::amount::Amount;

    #[test]
    fn amounts_for_a_person_are_exact_with_symbol_grouping_and_code() {
        let m = |v: u64, code: &str, scale: u8| money(&Amount::new(v, code, scale).unwrap());
        assert_eq!(m(6673, "EUR", 2), "€66.73 EUR");
        assert_eq!(m(100_000, "EUR", 2), "€1,000.00 EUR");
        assert_eq!(m(7340, "USD", 2), "$73.40 USD");
        assert_eq!(m(1_234_567, "JPY", 0), "¥1,234,567 JPY");
        assert_eq!(m(5, "XRP", 6), "0.000005 XRP");
        assert_eq!(m(u64::MAX, "USD", 2), "$184,467,440,737,095,516.15 USD");
    }

    #[test]
    fn intervals_in_words_fall_back_to_the_text() {
        assert_eq!(
            interval_words("R/2026-12-01T00:00:00Z/P1M"),
            "every month, from 1 December 2026"
        );
        assert_eq!(interval_words("R/nonsense"), "per interval R/nonsense");
    }
}
