//! Held deletes, the journal, dry runs and dead letters.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maiconnect_core::ids::Mailbox;
use maiconnect_core::plan::{Operation, Side};
use maiconnect_core::policy::{Policy, User};
use maiconnect_core::ports::{InboxId, StateStore};
use serde::Deserialize;
use serde_json::json;

use crate::admin::fail;
use crate::admin::settings::merge_settings;
use crate::hub::Hub;

/// `?mailbox=&limit=`.
#[derive(Debug, Deserialize)]
pub struct Filter {
    mailbox: Option<String>,
    limit: Option<usize>,
}

fn mailbox_of(f: &Filter) -> Result<Option<Mailbox>, Box<Response>> {
    f.mailbox.as_deref().map(str::parse).transpose().map_err(
        |e: maiconnect_core::ids::InvalidId| {
            Box::new(fail(
                StatusCode::BAD_REQUEST,
                e.to_string(),
                "use the mailbox's SMTP address",
            ))
        },
    )
}

/// `GET /admin/held`.
pub async fn held(State(hub): State<Arc<Hub>>, Query(f): Query<Filter>) -> Response {
    let mailbox = match mailbox_of(&f) {
        Ok(m) => m,
        Err(r) => return *r,
    };
    match hub.store.held(mailbox.as_ref()).await {
        Ok(list) => Json(
            list.into_iter()
                .map(|(id, h)| json!({ "id": id, "mailbox": h.plan.mailbox, "reason": h.reason, "plan": h.plan.to_string() }))
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => fail(StatusCode::SERVICE_UNAVAILABLE, e.message, "check the state store"),
    }
}

/// `POST /admin/held/{id}/approve`: plans the pair again and deletes if the
/// plan still says so.
pub async fn approve(State(hub): State<Arc<Hub>>, Path(id): Path<i64>) -> Response {
    let held = match hub.store.take_held(id).await {
        Ok(Some(h)) => h,
        Ok(None) => {
            return fail(
                StatusCode::NOT_FOUND,
                format!("no held delete {id}"),
                "GET /admin/held lists them",
            );
        }
        Err(e) => {
            return fail(
                StatusCode::SERVICE_UNAVAILABLE,
                e.message,
                "check the state store",
            );
        }
    };
    let policy = hub.policy();
    let Some(user) = policy.user(&held.plan.mailbox).cloned() else {
        return fail(
            StatusCode::CONFLICT,
            format!("{} is no longer a configured user", held.plan.mailbox),
            "nothing to do",
        );
    };
    let Some(syncer) = hub.syncer(&user, &policy) else {
        return fail(
            StatusCode::CONFLICT,
            "the user's environment is not configured",
            "fix the configuration",
        );
    };
    match syncer.approve_held(&held, chrono::Utc::now()).await {
        Ok(out) => Json(json!({
            "executed": out.executed.iter().map(|(p, r)| json!({ "plan": p.to_string(), "ok": r.ok() })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => {
            // Keep it held: nothing was decided.
            let _ = hub.store.hold(&held, chrono::Utc::now()).await;
            fail(StatusCode::BAD_GATEWAY, e.message, "try again when the systems answer")
        }
    }
}

/// `POST /admin/held/{id}/discard`: drops the delete; the pair stays linked.
pub async fn discard(State(hub): State<Arc<Hub>>, Path(id): Path<i64>) -> Response {
    match hub.store.take_held(id).await {
        Ok(Some(_)) => StatusCode::NO_CONTENT.into_response(),
        Ok(None) => fail(
            StatusCode::NOT_FOUND,
            format!("no held delete {id}"),
            "GET /admin/held lists them",
        ),
        Err(e) => fail(
            StatusCode::SERVICE_UNAVAILABLE,
            e.message,
            "check the state store",
        ),
    }
}

/// `GET /admin/journal`.
pub async fn journal(State(hub): State<Arc<Hub>>, Query(f): Query<Filter>) -> Response {
    let mailbox = match mailbox_of(&f) {
        Ok(m) => m,
        Err(r) => return *r,
    };
    match hub
        .store
        .journal(mailbox.as_ref(), f.limit.unwrap_or(100).min(10_000))
        .await
    {
        Ok(entries) => Json(entries).into_response(),
        Err(e) => fail(
            StatusCode::SERVICE_UNAVAILABLE,
            e.message,
            "check the state store",
        ),
    }
}

/// `GET /admin/dead-letters`.
pub async fn dead_letters(State(hub): State<Arc<Hub>>, Query(f): Query<Filter>) -> Response {
    match hub
        .store
        .dead_letters(f.limit.unwrap_or(100).min(10_000))
        .await
    {
        Ok(entries) => Json(entries).into_response(),
        Err(e) => fail(
            StatusCode::SERVICE_UNAVAILABLE,
            e.message,
            "check the state store",
        ),
    }
}

/// `POST /admin/dead-letters/{id}/retry`.
pub async fn retry_dead(State(hub): State<Arc<Hub>>, Path(id): Path<i64>) -> Response {
    match hub.store.retry_dead(InboxId(id), chrono::Utc::now()).await {
        Ok(true) => {
            hub.wake.notify_one();
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(false) => fail(
            StatusCode::NOT_FOUND,
            format!("no dead letter {id}"),
            "GET /admin/dead-letters lists them",
        ),
        Err(e) => fail(
            StatusCode::SERVICE_UNAVAILABLE,
            e.message,
            "check the state store",
        ),
    }
}

/// A dry run: a user to enable, or settings to apply (to some or all
/// enabled users).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DryRun {
    user: Option<User>,
    settings: Option<serde_json::Value>,
    #[serde(default)]
    mailboxes: Vec<Mailbox>,
}

/// At most this many users are planned in one dry run.
const DRY_RUN_USERS: usize = 50;

/// `POST /admin/dry-run`: plans without writing and counts what would
/// happen on each side.
pub async fn dry_run(State(hub): State<Arc<Hub>>, body: axum::body::Bytes) -> Response {
    let req: DryRun = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return fail(
                StatusCode::BAD_REQUEST,
                format!("not a dry run request: {e}"),
                "send {\"user\":{…}} or {\"settings\":{…}}",
            );
        }
    };
    let mut policy: Policy = (*hub.policy()).clone();
    let mut targets: Vec<Mailbox> = req.mailboxes.clone();
    if let Some(s) = &req.settings {
        let bytes = serde_json::to_vec(s).unwrap_or_default();
        policy = match merge_settings(&policy, &bytes) {
            Ok(p) => p,
            Err(e) => return fail(StatusCode::UNPROCESSABLE_ENTITY, e, "correct the settings"),
        };
    }
    if let Some(mut u) = req.user {
        u.enabled = true;
        policy.users.retain(|x| x.mailbox != u.mailbox);
        targets = vec![u.mailbox.clone()];
        policy.users.push(u);
        if let Err(e) = policy.validate() {
            return fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                e.to_string(),
                "correct the user",
            );
        }
    }
    if targets.is_empty() {
        targets = policy
            .users
            .iter()
            .filter(|u| u.enabled)
            .map(|u| u.mailbox.clone())
            .take(DRY_RUN_USERS)
            .collect();
    }
    let now = chrono::Utc::now();
    let mut out = Vec::new();
    for mailbox in targets.iter().take(DRY_RUN_USERS) {
        let Some(user) = policy.user(mailbox).cloned() else {
            return fail(
                StatusCode::NOT_FOUND,
                format!("{mailbox} is not a configured user"),
                "GET /admin/users lists them",
            );
        };
        let Some(syncer) = hub.syncer(&user, &policy) else {
            return fail(
                StatusCode::CONFLICT,
                format!("environment {} is not configured", user.environment),
                "fix the configuration",
            );
        };
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut plans = Vec::new();
        for kind in syncer.kinds() {
            let planned = match syncer.plan_resync(kind, now).await {
                Ok(p) => p,
                Err(e) => {
                    return fail(
                        StatusCode::BAD_GATEWAY,
                        e.message,
                        "the dry run needs both systems to answer",
                    );
                }
            };
            for (_, plan) in planned {
                for op in &plan.ops {
                    let side = match op.side() {
                        Some(Side::S4) => "s4",
                        Some(Side::Exchange) => "exchange",
                        None if matches!(op, Operation::Unlink) => "link",
                        None => continue,
                    };
                    let verb = match op {
                        Operation::CreateInExchange { .. } | Operation::CreateInS4 { .. } => {
                            "create"
                        }
                        Operation::UpdateExchange { .. }
                        | Operation::UpdateS4 { .. }
                        | Operation::TagExchange { .. } => "update",
                        Operation::DeleteInExchange { .. } | Operation::DeleteInS4 { .. } => {
                            "delete"
                        }
                        _ => "unlink",
                    };
                    *counts.entry(format!("{side}.{verb}")).or_default() += 1;
                }
                if plan.writes() && plans.len() < 100 {
                    plans.push(plan.to_string());
                }
            }
        }
        out.push(json!({ "mailbox": mailbox, "counts": counts, "plans": plans }));
    }
    Json(json!({ "dry_run": true, "mailboxes": out })).into_response()
}
