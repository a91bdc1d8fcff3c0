//! The admin API (JSON, HTTP Basic with its own credentials): the functions
//! of an admin cockpit.
//!
//! | method | path | what |
//! |---|---|---|
//! | GET | `/admin/environments` | the Exchange environments |
//! | GET | `/admin/users` | the users with a status summary |
//! | POST | `/admin/users` | add a user (`{"employee","mailbox","environment"}`) |
//! | DELETE | `/admin/users/{mailbox}` | remove a user (unsubscribes) |
//! | POST | `/admin/users/{mailbox}/enable`, `/disable` | switch a user on or off |
//! | GET | `/admin/users/{mailbox}/status` | last sync, subscriptions, counts, errors |
//! | POST | `/admin/users/{mailbox}/resync` | full resync of one user |
//! | GET, PUT | `/admin/settings` | the policy without users and environments |
//! | GET | `/admin/held` | deletes held by the mass-change guard |
//! | POST | `/admin/held/{id}/approve`, `/discard` | decide on a held delete |
//! | GET | `/admin/journal?mailbox=&limit=` | the audit journal, newest first |
//! | POST | `/admin/dry-run` | what enabling a user or a setting would do |
//! | GET | `/admin/dead-letters` | events given up, with their errors |
//! | POST | `/admin/dead-letters/{id}/retry` | try one again |

mod ops;
mod settings;
mod users;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::hub::Hub;
use crate::intake::{basic_ok, json_error, unauthorized};

/// The admin routes, behind their credentials.
pub fn routes(hub: Arc<Hub>) -> Router<Arc<Hub>> {
    Router::new()
        .route("/admin/environments", get(users::environments))
        .route("/admin/users", get(users::list).post(users::add))
        .route(
            "/admin/users/{mailbox}",
            axum::routing::delete(users::remove),
        )
        .route("/admin/users/{mailbox}/enable", post(users::enable))
        .route("/admin/users/{mailbox}/disable", post(users::disable))
        .route("/admin/users/{mailbox}/status", get(users::status))
        .route("/admin/users/{mailbox}/resync", post(users::resync))
        .route("/admin/settings", get(settings::get).put(settings::put))
        .route("/admin/held", get(ops::held))
        .route("/admin/held/{id}/approve", post(ops::approve))
        .route("/admin/held/{id}/discard", post(ops::discard))
        .route("/admin/journal", get(ops::journal))
        .route("/admin/dry-run", post(ops::dry_run))
        .route("/admin/dead-letters", get(ops::dead_letters))
        .route("/admin/dead-letters/{id}/retry", post(ops::retry_dead))
        .route_layer(middleware::from_fn_with_state(hub, auth))
}

async fn auth(State(hub): State<Arc<Hub>>, request: Request, next: Next) -> Response {
    if basic_ok(request.headers(), hub.admin.as_ref()) {
        next.run(request).await
    } else {
        unauthorized("maiconnect admin")
    }
}

/// An admin error: status and a JSON body with the fix.
pub(crate) fn fail(status: StatusCode, error: impl AsRef<str>, fix: &str) -> Response {
    (status, json_error(error.as_ref(), fix)).into_response()
}
