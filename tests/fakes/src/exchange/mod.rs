//! The fake Exchange: a stateful EWS server (SOAP 1.1 at `/EWS/Exchange.asmx`)
//! that validates every request against Microsoft's schema, answers with
//! schema-valid responses, pushes notifications, and fails on request.
//!
//! # The flow of a request
//!
//! [`server`] authenticates (`auth`: Basic service accounts, OAuth app
//! tokens from `POST /{tenant}/oauth2/v2.0/token`), applies the per-account
//! concurrency limit ([`faults`]), parses ([`xml`], no DTDs), validates the
//! Body's first child and the EWS headers ([`schema`], libxml2), applies
//! injected latency and faults, resolves the mailbox (impersonation rules),
//! and runs one of [`ops`] on the locked [`state`]. Push subscriptions are
//! delivered by [`push`].
//!
//! # Start
//!
//! In process: `FakeExchange::start(FakeExchangeConfig::default()).await?`;
//! standalone: `cargo run -p maiconnect-fakes --bin fake-exchange -- --port 7302
//! [--seed N] [--state FILE] [--schema-dir DIR] [--minute-ms MS] [--demo]`.
//!
//! # Control API (JSON, no auth; each call is also a method of [`FakeExchangeHandle`])
//!
//! ```text
//! POST   /_control/mailboxes            {"address":"anna.berg@example.com","display_name":"Anna Berg"}
//! POST   /_control/users                {"user":"svc@example.com","password":"pw","grants":["anna.berg@example.com"]}
//! POST   /_control/apps                 {"client_id":"cid","tenant":"contoso","secret":"s","certificate_pem":"-----BEGIN…","allowed_mailboxes":["clara@x"]}
//! POST   /_control/mailboxes/{addr}/items   {"folder":"calendar","item":{"subject":"Visit","start":"2026-06-01T09:00:00Z",
//!                                        "end":"2026-06-01T10:00:00Z","zone":"Europe/Berlin","categories":["SAP"],
//!                                        "attendees":[{"email":"b@x"}],"recurrence":{"pattern":"weekly","days":["Monday"],"occurrences":4},
//!                                        "extended":[{"set":"PublicStrings","name":"S4Key","value":"A1"}]}}
//!                                       or {"folder":"tasks","xml":"<t:Task xmlns:t=…><t:Subject>x</t:Subject></t:Task>"}
//!                                       → {"id":…,"change_key":…}
//! PATCH  /_control/mailboxes/{addr}/items/{id}   {"subject":"changed"}          (as Outlook would: new change key, events)
//! DELETE /_control/mailboxes/{addr}/items/{id}                                   (an occurrence id deletes one occurrence)
//! GET    /_control/mailboxes/{addr}/items?folder=calendar                        → items as JSON (with "xml")
//! GET    /_control/mailboxes/{addr}/items/{id}
//! GET    /_control/notifications         → every notification sent, with its answer and outcome
//! POST   /_control/notifications/drop     {"count":2}
//! POST   /_control/notifications/duplicate {"count":1}
//! GET    /_control/subscriptions
//! POST   /_control/subscriptions/{id}/kill   (ends it silently)
//! POST   /_control/faults   {"count":3,"operation":"FindItem","fault":{"kind":"server_busy","back_off_ms":5000}}
//!                           kinds: server_busy{back_off_ms}, exceeded_connection_count, unavailable{retry_after_secs},
//!                                  unauthorized, response_code{code,message}, delay{ms}
//! DELETE /_control/faults
//! POST   /_control/latency     {"fixed_ms":20,"jitter_ms":10}
//! POST   /_control/concurrency {"limit":1}
//! POST   /_control/clock       {"set":"2026-06-01T08:00:00Z"} | {"advance_seconds":3600} | {"real":true};  GET → now
//! GET    /_control/messages    → meeting invitations/updates/cancellations "sent"
//! GET    /_control/stats       → EWS requests per operation
//! POST   /_control/save        (writes the state file)
//! POST   /_control/restart     (same port, state kept)
//! GET    /_control/health
//! ```

pub mod auth;
pub mod clock;
pub mod config;
pub mod control;
pub mod demo;
pub mod error;
pub mod faults;
pub mod items;
pub mod ops;
pub mod push;
pub mod schema;
pub mod server;
pub mod soap;
pub mod state;
pub mod xml;

pub use config::FakeExchangeConfig;
pub use error::FakeExchangeError;
pub use server::{FakeExchange, FakeExchangeHandle};
