//! The fake S/4HANA: a stateful SAP Gateway (OData v2 over HTTP) serving
//! the six services of `maiconnect-odata/PROFILE.md` under
//! `/sap/opu/odata/NAG/<SERVICE>/`, and sending S/4HANA events to the hub.
//!
//! # Starting
//!
//! In process: `FakeS4::start(FakeS4Config::default()).await?` (port 0 picks
//! a free port; the handle gives [`FakeS4Handle::base_url`] and
//! [`FakeS4Handle::service_url`]). As a binary:
//! `cargo run -p maiconnect-fakes --bin fake-s4 -- --port 7301 [--seed N] [--state FILE] [--hub URL] [--demo]`.
//! The default system is `S4H`, client `100`, user `MAICONNECT` / `Welcome1!`.
//!
//! ```no_run
//! use maiconnect_fakes::s4::{FakeS4, FakeS4Config, HubDestination, ServiceId, demo};
//! # async fn example() -> Result<(), maiconnect_fakes::s4::FakeS4Error> {
//! let s4 = FakeS4::start(FakeS4Config {
//!     seed: Some(1),
//!     hub: Some(HubDestination {
//!         url: "http://127.0.0.1:8080/s4/events".into(),
//!         user: Some("s4".into()),
//!         password: Some("secret".into()),
//!     }),
//!     ..FakeS4Config::default()
//! })
//! .await?;
//! demo::seed(&s4, s4.now())?;
//! let appointments = s4.service_url(ServiceId::Appointments); // …/sap/opu/odata/NAG/CRM_APPOINTMENT_SRV_01/
//! let guid = s4.create_appointment(serde_json::json!({
//!     "Description": "Visit", "Responsible": "4711",
//!     "FromDate": "2026-12-01T09:00:00Z", "ToDate": "2026-12-01T10:00:00Z"
//! }))?; // as SAP GUI would: raises a BUS2000126 "created" event
//! let delivered = s4.wait_for_delivery(1, std::time::Duration::from_secs(5)).await;
//! s4.shutdown().await?;
//! # let _ = (appointments, guid, delivered);
//! # Ok(()) }
//! ```
//!
//! # What it speaks
//!
//! * `$metadata` (EDMX 1.0 with `sap:` annotations) generated from one
//!   model ([`edm`]) that also drives reads, `$filter` and write checks.
//! * Logon: Basic auth or the session cookie; a wrong `sap-client` or bad
//!   credentials give 401 with
//!   `WWW-Authenticate: Basic realm="SAP NetWeaver Application Server [S4H/100]"`.
//!   An inactive service gives 404 `/IWFND/MED/170`; a user without the
//!   role for a service gets 403.
//! * CSRF: `X-CSRF-Token: Fetch` on `GET`/`HEAD` returns a token and the
//!   cookies `SAP_SESSIONID_S4H_100` and `sap-XSRF_S4H_100`; a modifying
//!   request without a valid token and session cookie gets 403,
//!   `X-CSRF-Token: Required`, body `CSRF token validation failed`. `HEAD`
//!   can be refused with 405 (to exercise a GET fallback).
//! * ETags: `__metadata.etag` on appointments, tasks, accounts and contacts
//!   (weak: `W/"datetimeoffset'2026-11-27T09%3A30%3A00.0000000Z'"`, from
//!   `ChangedAt`, which is unique per change even under a frozen clock;
//!   `W/"'<eTag>'"` for CRM_BUPA_ODATA), the `ETag` header on single reads
//!   and writes; `If-Match` required on `PUT`/`MERGE`/`PATCH`/`DELETE` of
//!   these (428 `/IWBEP/CM_MGW_RT/194` without, 412 `/IWBEP/CM_MGW_RT/190`
//!   when stale, `*` accepted). Attendees and attachments carry no ETag
//!   (as in SAP's CRM services), so their writes need none.
//! * Reads: server-driven paging (`__next` with `$skiptoken`, page size
//!   configurable), `$top`, `$skip`, `$inlinecount=allpages` (`__count` as a
//!   string), `$select`, `$expand`, `$orderby`, `$count`, the `$filter`
//!   subset of [`filter`]. Partner numbers are stored in ALPHA format
//!   (`0000004711`) and literals are converted, so `'4711'` matches.
//!   `AppointmentSet?$filter=Responsible eq '…'` matches the responsible
//!   employee **or an attendee**. `PartnerAddressSet` compares
//!   `EmailAddress` case-insensitively; other sets compare exactly.
//! * Writes: deep insert of `Attendee`; attendee `POST`/`DELETE`; media
//!   upload with `slug`; `$batch` with atomic changesets and `Content-ID`
//!   references. A client may choose the `Guid`; creating an existing one is
//!   answered with **400** `/IWBEP/CX_MGW_BUSI_EXCEPTION` "… already
//!   exists" (the Gateway client documentation lists a duplicate POST under
//!   400; CRM raises a business exception). Strings longer than their
//!   MaxLength get 400 naming the property in the message and in
//!   `errordetails[].propertyref`. JSON answers only (`$format=xml` → 400).
//! * Errors: SAP Gateway error bodies (JSON when asked for, else XML); a
//!   failed `$batch` changeset in the format its operation asked for (its
//!   own `Accept`, not the outer request's), as Gateway does.
//! * `POST` with `X-HTTP-Method: MERGE|PUT|PATCH|DELETE` is that method
//!   (SAPUI5's tunnelling). The `Employees` CDS compares `EmailAddress`
//!   exactly (only the partner search ignores case, as the profile says).
//!
//! # Quirks
//!
//! By default the fake is SAP Gateway with the `/NAG/` services at its
//! kindest. [`Quirks`] make it as unkind as real systems are, each alone
//! or together ([`Quirks::each`] lists them one by one): it assigns its
//! own GUIDs to creates; writes an internal host into `__next`, URIs and
//! `Location`; answers a `DELETE` of a gone entity with 412; a duplicate
//! key with 500 and a database message (`SY/530`); an update with 200 and
//! the entity; errors with message objects and `null` targets, as plain
//! `{"error": "text"}` or as a proxy's HTML page; has CSRF protection off;
//! or offers SAP's standard `CRM_APPOINTMENT_SRV`, `CRM_TASK` and
//! `CRM_BUPA_ODATA` under `/sap/opu/odata/sap/` instead of the copies —
//! without the additions, refusing a request that names one, with SAP's
//! `AppointmentToAttachment` ([`Catalogue::Standard`]).
//!
//! # State
//!
//! Data (activities, attachments, partners, relationships, number ranges)
//! and the event log live in memory and, with a state file, are saved on
//! shutdown, restart, `POST /_control/save` and a second after changes,
//! and loaded at start: events not yet delivered are sent after a restart,
//! like SAP's persistent queue. Logon sessions, faults and settings are
//! not saved.
//!
//! # Events
//!
//! Every committed change to an activity, partner or relationship — through
//! OData or the control API — becomes a
//! [`maiconnect_core::model::S4Event`] (the hub's contract; see
//! `maiconnect_core::model::event`): `objectType` `BUS2000126` /
//! `BUS2000125` with the GUID, `BUS1006` with the partner number,
//! `relationship` with `<partner1>/<partner2>/<category>` and the
//! relationship. Changes of one transaction (one request, one changeset)
//! are merged per object as one SAP commit raises them. Events are POSTed
//! in order to the hub URL (Basic auth if configured): one event as an
//! object, several queued ones as a JSON array; a non-2xx answer or a
//! network error is retried with doubling back-off (`event_retry_initial`
//! to `event_retry_max`), keeping the order.
//!
//! # Control API
//!
//! JSON over HTTP on the same port (no auth). Each call has a typed method
//! on [`FakeS4Handle`].
//!
//! | call | example body | method |
//! |---|---|---|
//! | `GET /_control/state` | | [`FakeS4Handle::snapshot`] |
//! | `POST /_control/activities/appointments` | `{"Description":"Visit","Responsible":"4711","FromDate":"2026-12-01T09:00:00Z","ToDate":"2026-12-01T10:00:00Z","Attendee":[{"PartnerNo":"100","Function":"00000015"}]}` | [`FakeS4Handle::create_appointment`] |
//! | `GET /_control/activities/tasks/{guid}` | | [`FakeS4Handle::activity`] |
//! | `PATCH /_control/activities/tasks/{guid}` | `{"Completed":true}` | [`FakeS4Handle::update_activity`] |
//! | `DELETE /_control/activities/appointments/{guid}` | | [`FakeS4Handle::delete_activity`] |
//! | `POST /_control/appointments/{guid}/attendees` | `{"PartnerNo":"101","Function":"00000015"}` | [`FakeS4Handle::add_attendee`] |
//! | `DELETE /_control/appointments/{guid}/attendees/{partnerGuid}` | | [`FakeS4Handle::remove_attendee`] |
//! | `POST /_control/partners` | `{"number":"4714","category":"1","firstName":"Dora","lastName":"Ek","email":"dora@example.com","employee":true,"userName":"DEK"}` | [`FakeS4Handle::upsert_partner`] |
//! | `DELETE /_control/partners/{number}` | | [`FakeS4Handle::remove_partner`] |
//! | `POST /_control/relationships` | `{"category":"BUR011","partner1":"300","partner2":"4711"}` | [`FakeS4Handle::add_relationship`] |
//! | `POST /_control/relationships/{number}/end` | `{"validTo":"2026-11-30"}` (default: yesterday) | [`FakeS4Handle::end_relationship`] |
//! | `GET /_control/events` | | [`FakeS4Handle::events`] |
//! | `POST /_control/events/drop` | `{"count":2}` | [`FakeS4Handle::drop_next_events`] |
//! | `POST /_control/events/duplicate` | `{"count":1}` | [`FakeS4Handle::duplicate_next_events`] |
//! | `POST /_control/events/pause`, `/resume` | | [`FakeS4Handle::pause_events`] |
//! | `PUT /_control/hub` / `DELETE` | `{"url":"http://127.0.0.1:8080/s4/events","user":"s4","password":"secret"}` | [`FakeS4Handle::set_hub`] |
//! | `POST /_control/faults` | `{"count":2,"service":"CRM_APPOINTMENT_SRV_01","entity_set":"AppointmentSet","method":"MERGE","action":{"kind":"unavailable","retry_after_secs":5}}` (kinds: `error` with `status`/`code`/`message`, `unavailable`, `throttled`, `delay` with `ms`) | [`FakeS4Handle::inject_fault`] |
//! | `GET`/`DELETE /_control/faults` | | [`FakeS4Handle::faults`], [`FakeS4Handle::clear_faults`] |
//! | `POST /_control/csrf/expire` | | [`FakeS4Handle::expire_csrf_tokens`] |
//! | `PUT /_control/services/{name}` | `{"active":false}` | [`FakeS4Handle::set_service_active`] |
//! | `POST /_control/users` | `{"name":"HUB2","password":"pw","services":["CRM_APPOINTMENT_SRV_01"]}` | [`FakeS4Handle::upsert_user`] |
//! | `PUT /_control/users/{name}/services` | `{"services":[]}` (no role) or `{"services":null}` (all) | [`FakeS4Handle::set_user_services`] |
//! | `PUT /_control/head` | `{"allowed":false}` | [`FakeS4Handle::set_head_allowed`] |
//! | `GET`/`PUT /_control/quirks` | `{"server_keys":true,"internal_origin":"https://s4-app01.corp.internal:44300","delete_gone_412":true,"duplicate_as_database_error":true,"update_returns_entity":true,"error_shape":"html","csrf_off":true,"catalogue":"standard"}` | [`FakeS4Handle::quirks`], [`FakeS4Handle::set_quirks`] |
//! | `PUT /_control/latency` | `{"fixed_ms":20,"jitter_ms":10}` | [`FakeS4Handle::set_latency`] |
//! | `PUT /_control/page-size` | `{"size":2}` | [`FakeS4Handle::set_page_size`] |
//! | `GET`/`POST /_control/clock` | `{"set":"2026-12-01T08:00:00Z"}`, `{"advance_secs":3600}`, `{"real":true}` | [`FakeS4Handle::set_clock`], [`FakeS4Handle::advance_clock`], [`FakeS4Handle::real_clock`] |
//! | `POST /_control/restart` | | [`FakeS4Handle::restart`] |
//! | `POST /_control/save` | | [`FakeS4Handle::save`] |
//! | `POST /_control/demo` | | [`demo::seed`] |
//!
//! Faults may also be injected by `curl`:
//! `curl -X POST localhost:7301/_control/faults -H 'content-type: application/json' -d '{"count":1,"action":{"kind":"throttled","retry_after_secs":2}}'`.

#![forbid(unsafe_code)]

mod clock;
mod config;
mod control;
pub mod demo;
pub mod edm;
mod error;
mod events;
pub mod filter;
mod gateway;
mod quirks;
mod server;
mod shared;
mod store;
pub mod value;

pub use config::{FakeS4Config, HubDestination, User};
pub use control::{NewRelationship, Snapshot};
pub use edm::ServiceId;
pub use error::FakeS4Error;
pub use events::{DeliveryStatus, EventRecord};
pub use gateway::{FaultAction, FaultRule};
pub use quirks::{Catalogue, ErrorShape, Quirks};
pub use server::{FakeS4, FakeS4Handle};
pub use shared::Latency;
pub use store::{ActivityKind, Partner, Relationship};
