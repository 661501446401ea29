//! The schemas the walker (`schema.rs`) checks documents against, generated from the OpenAPI
//! files of `@interledger/open-payments` 7.4.0 (spec 1.3.0) by `tests/resources/schema_table.rs`:
//! `UPDATE_SCHEMA_TABLE=1 cargo test --test resources schema_table` rewrites it, and the same
//! test fails when it differs from what the files give. Do not edit by hand.

use super::schema::{Kind, Prop};

/// `auth-server.yaml`: `#/components/schemas/access`.
pub(crate) static ACCESS: Kind = Kind::Array(&super::schema_rules::ACCESS_ITEM);

/// `auth-server.yaml`: `#/components/schemas/access_token`.
pub(crate) static ACCESS_TOKEN: Kind = Kind::Object(&[
    Prop {
        name: "access",
        order: 3,
        required: true,
        kind: &ACCESS,
    },
    Prop {
        name: "expires_in",
        order: 2,
        required: false,
        kind: &Kind::U64,
    },
    Prop {
        name: "manage",
        order: 1,
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "value",
        order: 0,
        required: true,
        kind: &Kind::Str,
    },
]);

/// `resource-server.yaml`: `#/components/schemas/amount`.
pub(crate) static AMOUNT: Kind = Kind::Object(&[
    Prop {
        name: "assetCode",
        order: 1,
        required: true,
        kind: &Kind::AssetCode,
    },
    Prop {
        name: "assetScale",
        order: 2,
        required: true,
        kind: &Kind::AssetScale,
    },
    Prop {
        name: "value",
        order: 0,
        required: true,
        kind: &Kind::Uint64,
    },
]);

/// `auth-server.yaml`: `#/components/schemas/continue`.
pub(crate) static CONTINUE: Kind = Kind::Object(&[
    Prop {
        name: "access_token",
        order: 0,
        required: true,
        kind: &Kind::Object(&[Prop {
            name: "value",
            order: 0,
            required: true,
            kind: &Kind::Str,
        }]),
    },
    Prop {
        name: "uri",
        order: 1,
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "wait",
        order: 2,
        required: false,
        kind: &Kind::U64,
    },
]);

/// `wallet-address-server.yaml`: `#/components/schemas/did-document`.
pub(crate) static DID_DOCUMENT: Kind = Kind::AnyObject;

/// `resource-server.yaml`: `#/components/schemas/ilp-payment-method`.
pub(crate) static ILP_PAYMENT_METHOD: Kind = Kind::Object(&[
    Prop {
        name: "ilpAddress",
        order: 1,
        required: true,
        kind: &Kind::IlpAddress,
    },
    Prop {
        name: "sharedSecret",
        order: 2,
        required: true,
        kind: &Kind::Base64Url,
    },
    Prop {
        name: "type",
        order: 0,
        required: true,
        kind: &Kind::Enum(&["ilp"]),
    },
]);

/// `resource-server.yaml`: `#/components/schemas/incoming-payment`.
pub(crate) static INCOMING_PAYMENT: Kind = Kind::Object(&[
    Prop {
        name: "completed",
        order: 2,
        required: true,
        kind: &Kind::Bool,
    },
    Prop {
        name: "createdAt",
        order: 7,
        required: true,
        kind: &Kind::DateTime,
    },
    Prop {
        name: "expiresAt",
        order: 5,
        required: false,
        kind: &Kind::DateTime,
    },
    Prop {
        name: "id",
        order: 0,
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "incomingAmount",
        order: 3,
        required: false,
        kind: &AMOUNT,
    },
    Prop {
        name: "metadata",
        order: 6,
        required: false,
        kind: &Kind::AnyObject,
    },
    Prop {
        name: "receivedAmount",
        order: 4,
        required: true,
        kind: &AMOUNT,
    },
    Prop {
        name: "walletAddress",
        order: 1,
        required: true,
        kind: &Kind::Str,
    },
]);

/// `resource-server.yaml`: `#/components/schemas/incoming-payment-with-methods`.
pub(crate) static INCOMING_PAYMENT_WITH_METHODS: Kind = Kind::Object(&[
    Prop {
        name: "completed",
        order: 2,
        required: true,
        kind: &Kind::Bool,
    },
    Prop {
        name: "createdAt",
        order: 7,
        required: true,
        kind: &Kind::DateTime,
    },
    Prop {
        name: "expiresAt",
        order: 5,
        required: false,
        kind: &Kind::DateTime,
    },
    Prop {
        name: "id",
        order: 0,
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "incomingAmount",
        order: 3,
        required: false,
        kind: &AMOUNT,
    },
    Prop {
        name: "metadata",
        order: 6,
        required: false,
        kind: &Kind::AnyObject,
    },
    Prop {
        name: "methods",
        order: 8,
        required: true,
        kind: &Kind::Array(&ILP_PAYMENT_METHOD),
    },
    Prop {
        name: "receivedAmount",
        order: 4,
        required: true,
        kind: &AMOUNT,
    },
    Prop {
        name: "walletAddress",
        order: 1,
        required: true,
        kind: &Kind::Str,
    },
]);

/// `auth-server.yaml`: `#/components/schemas/interact-response`.
pub(crate) static INTERACT_RESPONSE: Kind = Kind::Object(&[
    Prop {
        name: "finish",
        order: 1,
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "redirect",
        order: 0,
        required: true,
        kind: &Kind::Str,
    },
]);

/// `wallet-address-server.yaml`: `#/components/schemas/json-web-key`.
pub(crate) static JSON_WEB_KEY: Kind = Kind::Object(&[
    Prop {
        name: "alg",
        order: 1,
        required: true,
        kind: &Kind::Enum(&["EdDSA"]),
    },
    Prop {
        name: "crv",
        order: 4,
        required: true,
        kind: &Kind::Enum(&["Ed25519"]),
    },
    Prop {
        name: "kid",
        order: 0,
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "kty",
        order: 3,
        required: true,
        kind: &Kind::Enum(&["OKP"]),
    },
    Prop {
        name: "use",
        order: 2,
        required: false,
        kind: &Kind::Enum(&["sig"]),
    },
    Prop {
        name: "x",
        order: 5,
        required: true,
        kind: &Kind::Base64Url,
    },
]);

/// `wallet-address-server.yaml`: `#/components/schemas/json-web-key-set`.
pub(crate) static JSON_WEB_KEY_SET: Kind = Kind::Object(&[Prop {
    name: "keys",
    order: 0,
    required: true,
    kind: &Kind::Array(&JSON_WEB_KEY),
}]);

/// `resource-server.yaml`: `#/components/schemas/outgoing-payment`.
pub(crate) static OUTGOING_PAYMENT: Kind = Kind::Object(&[
    Prop {
        name: "createdAt",
        order: 9,
        required: true,
        kind: &Kind::DateTime,
    },
    Prop {
        name: "debitAmount",
        order: 6,
        required: true,
        kind: &AMOUNT,
    },
    Prop {
        name: "failed",
        order: 3,
        required: false,
        kind: &Kind::Bool,
    },
    Prop {
        name: "id",
        order: 0,
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "metadata",
        order: 8,
        required: false,
        kind: &Kind::AnyObject,
    },
    Prop {
        name: "quoteId",
        order: 2,
        required: false,
        kind: &Kind::Str,
    },
    Prop {
        name: "receiveAmount",
        order: 5,
        required: true,
        kind: &AMOUNT,
    },
    Prop {
        name: "receiver",
        order: 4,
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "sentAmount",
        order: 7,
        required: true,
        kind: &AMOUNT,
    },
    Prop {
        name: "walletAddress",
        order: 1,
        required: true,
        kind: &Kind::Str,
    },
]);

/// `resource-server.yaml`: `#/components/schemas/outgoing-payment-with-spent-amounts`.
pub(crate) static OUTGOING_PAYMENT_WITH_SPENT_AMOUNTS: Kind = Kind::Object(&[
    Prop {
        name: "createdAt",
        order: 11,
        required: true,
        kind: &Kind::DateTime,
    },
    Prop {
        name: "debitAmount",
        order: 6,
        required: true,
        kind: &AMOUNT,
    },
    Prop {
        name: "failed",
        order: 3,
        required: false,
        kind: &Kind::Bool,
    },
    Prop {
        name: "grantSpentDebitAmount",
        order: 8,
        required: false,
        kind: &AMOUNT,
    },
    Prop {
        name: "grantSpentReceiveAmount",
        order: 9,
        required: false,
        kind: &AMOUNT,
    },
    Prop {
        name: "id",
        order: 0,
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "metadata",
        order: 10,
        required: false,
        kind: &Kind::AnyObject,
    },
    Prop {
        name: "quoteId",
        order: 2,
        required: false,
        kind: &Kind::Str,
    },
    Prop {
        name: "receiveAmount",
        order: 5,
        required: true,
        kind: &AMOUNT,
    },
    Prop {
        name: "receiver",
        order: 4,
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "sentAmount",
        order: 7,
        required: true,
        kind: &AMOUNT,
    },
    Prop {
        name: "walletAddress",
        order: 1,
        required: true,
        kind: &Kind::Str,
    },
]);

/// `resource-server.yaml`: `#/components/schemas/page-info`.
pub(crate) static PAGE_INFO: Kind = Kind::Object(&[
    Prop {
        name: "endCursor",
        order: 1,
        required: false,
        kind: &Kind::Str,
    },
    Prop {
        name: "hasNextPage",
        order: 2,
        required: true,
        kind: &Kind::Bool,
    },
    Prop {
        name: "hasPreviousPage",
        order: 3,
        required: true,
        kind: &Kind::Bool,
    },
    Prop {
        name: "startCursor",
        order: 0,
        required: false,
        kind: &Kind::Str,
    },
]);

/// `resource-server.yaml`: `#/components/schemas/payment-method`.
pub(crate) static PAYMENT_METHOD: Kind = Kind::Enum(&["ilp"]);

/// `resource-server.yaml`: `#/components/schemas/public-incoming-payment`.
pub(crate) static PUBLIC_INCOMING_PAYMENT: Kind = Kind::Object(&[
    Prop {
        name: "authServer",
        order: 1,
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "receivedAmount",
        order: 0,
        required: false,
        kind: &AMOUNT,
    },
]);

/// `resource-server.yaml`: `#/components/schemas/quote`.
pub(crate) static QUOTE: Kind = Kind::Object(&[
    Prop {
        name: "createdAt",
        order: 7,
        required: true,
        kind: &Kind::DateTime,
    },
    Prop {
        name: "debitAmount",
        order: 4,
        required: true,
        kind: &AMOUNT,
    },
    Prop {
        name: "expiresAt",
        order: 6,
        required: false,
        kind: &Kind::DateTime,
    },
    Prop {
        name: "id",
        order: 0,
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "method",
        order: 5,
        required: true,
        kind: &PAYMENT_METHOD,
    },
    Prop {
        name: "receiveAmount",
        order: 3,
        required: true,
        kind: &AMOUNT,
    },
    Prop {
        name: "receiver",
        order: 2,
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "walletAddress",
        order: 1,
        required: true,
        kind: &Kind::Str,
    },
]);

/// `auth-server.yaml`: `#/components/schemas/subject`.
pub(crate) static SUBJECT: Kind = Kind::Object(&[Prop {
    name: "sub_ids",
    order: 0,
    required: true,
    kind: &super::schema_rules::SUB_IDS,
}]);

/// `wallet-address-server.yaml`: `#/components/schemas/wallet-address`.
pub(crate) static WALLET_ADDRESS: Kind = Kind::Object(&[
    Prop {
        name: "assetCode",
        order: 2,
        required: true,
        kind: &Kind::AssetCode,
    },
    Prop {
        name: "assetScale",
        order: 3,
        required: true,
        kind: &Kind::AssetScale,
    },
    Prop {
        name: "authServer",
        order: 4,
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "id",
        order: 0,
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "publicName",
        order: 1,
        required: false,
        kind: &Kind::Str,
    },
    Prop {
        name: "resourceServer",
        order: 5,
        required: true,
        kind: &Kind::Str,
    },
]);

/// `resource-server.yaml`: `get /incoming-payments` 200.
pub(crate) static INCOMING_PAYMENT_PAGE: Kind = Kind::Object(&[
    Prop {
        name: "pagination",
        order: 0,
        required: true,
        kind: &PAGE_INFO,
    },
    Prop {
        name: "result",
        order: 1,
        required: true,
        kind: &Kind::Array(&INCOMING_PAYMENT),
    },
]);

/// `resource-server.yaml`: `get /outgoing-payments` 200.
pub(crate) static OUTGOING_PAYMENT_PAGE: Kind = Kind::Object(&[
    Prop {
        name: "pagination",
        order: 0,
        required: true,
        kind: &PAGE_INFO,
    },
    Prop {
        name: "result",
        order: 1,
        required: true,
        kind: &Kind::Array(&OUTGOING_PAYMENT),
    },
]);

/// `resource-server.yaml`: `get /outgoing-payment-grant` 200.
pub(crate) static GRANT_SPENT_AMOUNTS: Kind = Kind::Object(&[
    Prop {
        name: "spentDebitAmount",
        order: 1,
        required: true,
        kind: &Kind::OrNull(&AMOUNT),
    },
    Prop {
        name: "spentReceiveAmount",
        order: 0,
        required: true,
        kind: &Kind::OrNull(&AMOUNT),
    },
]);

/// `auth-server.yaml`: `post /continue/{id}` 200.
pub(crate) static GRANT: Kind = Kind::Object(&[
    Prop {
        name: "access_token",
        order: 0,
        required: false,
        kind: &ACCESS_TOKEN,
    },
    Prop {
        name: "continue",
        order: 2,
        required: true,
        kind: &CONTINUE,
    },
    Prop {
        name: "subject",
        order: 1,
        required: false,
        kind: &SUBJECT,
    },
]);

/// `auth-server.yaml`: `post /token/{id}` 200.
pub(crate) static ACCESS_TOKEN_RESPONSE: Kind = Kind::Object(&[Prop {
    name: "access_token",
    order: 0,
    required: true,
    kind: &ACCESS_TOKEN,
}]);
