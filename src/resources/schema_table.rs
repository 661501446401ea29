//! The schemas the walker (`schema.rs`) checks documents against, generated from the OpenAPI
//! files of `@interledger/open-payments` 7.4.0 (spec 1.3.0) by `tests/resources/schema_table.rs`:
//! `UPDATE_SCHEMA_TABLE=1 cargo test --test resources schema_table` rewrites it, and the same
//! test fails when it differs from what the files give. Do not edit by hand.

use super::schema::{Kind, Prop};

/// `resource-server.yaml`: `#/components/schemas/amount`.
pub(crate) static AMOUNT: Kind = Kind::Object(&[
    Prop {
        name: "value",
        required: true,
        kind: &Kind::Uint64,
    },
    Prop {
        name: "assetCode",
        required: true,
        kind: &Kind::AssetCode,
    },
    Prop {
        name: "assetScale",
        required: true,
        kind: &Kind::AssetScale,
    },
]);

/// `wallet-address-server.yaml`: `#/components/schemas/did-document`.
pub(crate) static DID_DOCUMENT: Kind = Kind::AnyObject;

/// `resource-server.yaml`: `#/components/schemas/ilp-payment-method`.
pub(crate) static ILP_PAYMENT_METHOD: Kind = Kind::Object(&[
    Prop {
        name: "type",
        required: true,
        kind: &Kind::Enum(&["ilp"]),
    },
    Prop {
        name: "ilpAddress",
        required: true,
        kind: &Kind::IlpAddress,
    },
    Prop {
        name: "sharedSecret",
        required: true,
        kind: &Kind::Base64Url,
    },
]);

/// `resource-server.yaml`: `#/components/schemas/incoming-payment-with-methods`.
pub(crate) static INCOMING_PAYMENT_WITH_METHODS: Kind = Kind::Object(&[
    Prop {
        name: "id",
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "walletAddress",
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "completed",
        required: true,
        kind: &Kind::Bool,
    },
    Prop {
        name: "incomingAmount",
        required: false,
        kind: &AMOUNT,
    },
    Prop {
        name: "receivedAmount",
        required: true,
        kind: &AMOUNT,
    },
    Prop {
        name: "expiresAt",
        required: false,
        kind: &Kind::DateTime,
    },
    Prop {
        name: "metadata",
        required: false,
        kind: &Kind::AnyObject,
    },
    Prop {
        name: "createdAt",
        required: true,
        kind: &Kind::DateTime,
    },
    Prop {
        name: "methods",
        required: true,
        kind: &Kind::Array(&ILP_PAYMENT_METHOD),
    },
]);

/// `wallet-address-server.yaml`: `#/components/schemas/json-web-key`.
pub(crate) static JSON_WEB_KEY: Kind = Kind::Object(&[
    Prop {
        name: "kid",
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "alg",
        required: true,
        kind: &Kind::Enum(&["EdDSA"]),
    },
    Prop {
        name: "use",
        required: false,
        kind: &Kind::Enum(&["sig"]),
    },
    Prop {
        name: "kty",
        required: true,
        kind: &Kind::Enum(&["OKP"]),
    },
    Prop {
        name: "crv",
        required: true,
        kind: &Kind::Enum(&["Ed25519"]),
    },
    Prop {
        name: "x",
        required: true,
        kind: &Kind::Base64Url,
    },
]);

/// `wallet-address-server.yaml`: `#/components/schemas/json-web-key-set`.
pub(crate) static JSON_WEB_KEY_SET: Kind = Kind::Object(&[Prop {
    name: "keys",
    required: true,
    kind: &Kind::Array(&JSON_WEB_KEY),
}]);

/// `resource-server.yaml`: `#/components/schemas/public-incoming-payment`.
pub(crate) static PUBLIC_INCOMING_PAYMENT: Kind = Kind::Object(&[
    Prop {
        name: "receivedAmount",
        required: false,
        kind: &AMOUNT,
    },
    Prop {
        name: "authServer",
        required: true,
        kind: &Kind::Str,
    },
]);

/// `wallet-address-server.yaml`: `#/components/schemas/wallet-address`.
pub(crate) static WALLET_ADDRESS: Kind = Kind::Object(&[
    Prop {
        name: "id",
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "publicName",
        required: false,
        kind: &Kind::Str,
    },
    Prop {
        name: "assetCode",
        required: true,
        kind: &Kind::AssetCode,
    },
    Prop {
        name: "assetScale",
        required: true,
        kind: &Kind::AssetScale,
    },
    Prop {
        name: "authServer",
        required: true,
        kind: &Kind::Str,
    },
    Prop {
        name: "resourceServer",
        required: true,
        kind: &Kind::Str,
    },
]);
