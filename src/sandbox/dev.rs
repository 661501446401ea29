//! The development endpoints (`/dev/*`, see the module docs): sandbox info, client keys,
//! balances, the clock, faults, and deciding interactions without the consent page.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::http::{rs_error, rs_invalid, Reply, Req};
use super::state::{State, MAX_CLOCK_OFFSET_SECONDS};
use crate::amount::Amount;
use crate::resources::time::format_rfc3339;
use crate::signature::Jwks;

impl State {
    pub(super) fn dev(&mut self, rest: &[&str], req: &Req) -> Reply {
        let body = std::str::from_utf8(&req.body).unwrap_or("");
        match (req.method.as_str(), rest) {
            ("GET", ["info"]) => Reply::json(200, &self.info()),
            ("GET", ["balances"]) => {
                let balances: BTreeMap<String, Option<Amount>> = self
                    .wallets
                    .iter()
                    .map(|w| (w.name.clone(), w.amount(w.balance)))
                    .collect();
                Reply::json(200, &json!({ "balances": balances }))
            }
            ("GET", ["balances", name]) => match self.wallets.iter().find(|w| w.name == *name) {
                Some(w) => Reply::json(200, &w.amount(w.balance)),
                None => rs_error(404, "not_found", "no such wallet"),
            },
            ("POST", ["wallets", name, "keys"]) => {
                let key = match crate::signature::PublicKey::from_jwk_json(body) {
                    Ok(key) => key,
                    Err(e) => return rs_invalid(&e),
                };
                let Some(wallet) = self.wallets.iter_mut().find(|w| w.name == *name) else {
                    return rs_error(404, "not_found", "no such wallet");
                };
                wallet.keys.retain(|k| k.key_id() != key.key_id());
                wallet.keys.push(key);
                let keys = Jwks::new(wallet.keys.clone()).unwrap_or_default();
                Reply::json(201, &keys.to_document())
            }
            ("GET", ["clock"]) => self.clock_reply(),
            ("POST", ["clock"]) => {
                let advance = serde_json::from_str::<Value>(body)
                    .ok()
                    .and_then(|v| v.get("advanceSeconds").and_then(Value::as_i64));
                let Some(n) = advance else {
                    return rs_error(
                        400,
                        "invalid_request",
                        "body must be {\"advanceSeconds\": N} with N a whole number of seconds",
                    );
                };
                match self.clock_offset_seconds.checked_add(n) {
                    Some(offset)
                        if (-MAX_CLOCK_OFFSET_SECONDS..=MAX_CLOCK_OFFSET_SECONDS)
                            .contains(&offset) =>
                    {
                        self.clock_offset_seconds = offset;
                        self.clock_reply()
                    }
                    _ => rs_error(
                        400,
                        "invalid_request",
                        &format!(
                            "advanceSeconds {n} would move the sandbox clock (now offset by {} s) \
                             more than {MAX_CLOCK_OFFSET_SECONDS} s (100 years) from real time",
                            self.clock_offset_seconds
                        ),
                    ),
                }
            }
            ("POST", ["faults"]) => {
                let v = serde_json::from_str::<Value>(body).unwrap_or(Value::Null);
                let kind = v.get("dropConnectionAfterCommit").and_then(Value::as_str);
                let times = v.get("times").map_or(Some(1), Value::as_u64);
                match (kind, times.and_then(|t| u32::try_from(t).ok())) {
                    (Some("outgoing-payment"), Some(times)) => {
                        self.drop_after_outgoing_commit = times;
                        Reply::json(200, &json!({ "dropConnectionAfterCommit": "outgoing-payment", "times": times }))
                    }
                    _ => rs_error(
                        400,
                        "invalid_request",
                        "body must be {\"dropConnectionAfterCommit\": \"outgoing-payment\", \"times\": N}",
                    ),
                }
            }
            ("POST", ["interactions", id, decision @ ("approve" | "deny")]) => {
                match self.decide(id, *decision == "approve") {
                    Ok(d) => Reply::json(200, &d),
                    Err(reply) => reply,
                }
            }
            _ => rs_error(404, "not_found", "no such development endpoint"),
        }
    }

    fn clock_reply(&self) -> Reply {
        let now = self.now();
        Reply::json(
            200,
            &json!({ "now": now, "nowText": format_rfc3339(now), "offsetSeconds": self.clock_offset_seconds }),
        )
    }
}
