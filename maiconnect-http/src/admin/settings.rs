//! Settings: the policy without users and environments.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maiconnect_core::model::Zone;
use maiconnect_core::policy::Policy;

use crate::admin::fail;
use crate::hub::Hub;

/// The policy as the settings view shows it.
pub fn settings_view(policy: &Policy) -> serde_json::Value {
    let mut v = serde_json::to_value(policy).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.remove("users");
        o.remove("environments");
    }
    v
}

/// Reads settings JSON onto `base` (users and environments stay).
pub fn merge_settings(base: &Policy, body: &[u8]) -> Result<Policy, String> {
    let mut v: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let o = v.as_object_mut().ok_or("settings must be a JSON object")?;
    if o.contains_key("users") || o.contains_key("environments") {
        return Err(
            "users and environments are changed through /admin/users and the configuration file"
                .into(),
        );
    }
    // Named here, because serde's message would not say which key it was.
    if let Some(zone) = o.get("default_time_zone").and_then(|z| z.as_str()) {
        zone.parse::<Zone>().map_err(|e| {
            format!("default_time_zone: {e}; an unknown zone is never taken for UTC")
        })?;
    }
    o.insert(
        "users".into(),
        serde_json::to_value(&base.users).map_err(|e| e.to_string())?,
    );
    o.insert(
        "environments".into(),
        serde_json::to_value(&base.environments).map_err(|e| e.to_string())?,
    );
    let policy: Policy = serde_json::from_value(v).map_err(|e| e.to_string())?;
    policy.validate().map_err(|e| e.to_string())?;
    Ok(policy)
}

/// `GET /admin/settings`.
pub async fn get(State(hub): State<Arc<Hub>>) -> Response {
    Json(settings_view(&hub.policy())).into_response()
}

/// `PUT /admin/settings`: the whole settings object (as GET returns it);
/// missing keys take their defaults.
pub async fn put(State(hub): State<Arc<Hub>>, body: axum::body::Bytes) -> Response {
    let policy = match merge_settings(&hub.policy(), &body) {
        Ok(p) => p,
        Err(e) => {
            return fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                e,
                "correct the settings; nothing was changed",
            );
        }
    };
    match hub.set_policy(policy) {
        Ok(()) => {
            hub.keeper.notify_one();
            Json(settings_view(&hub.policy())).into_response()
        }
        Err(e) => fail(
            StatusCode::INTERNAL_SERVER_ERROR,
            e.to_string(),
            "check the state store",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_default_zone_is_refused_by_its_key() {
        // Issue #23: reported with the key and what to write, not UTC.
        let e = merge_settings(
            &Policy::default(),
            br#"{"default_time_zone": "Europe/Kiyv"}"#,
        )
        .unwrap_err();
        assert!(
            e.starts_with("default_time_zone: \"Europe/Kiyv\" is not a time zone"),
            "{e}"
        );
        assert!(e.contains("Europe/Berlin"), "{e}");
        let p = merge_settings(
            &Policy::default(),
            br#"{"default_time_zone": "Asia/Calcutta"}"#,
        )
        .unwrap();
        assert_eq!(p.default_time_zone.to_string(), "Asia/Calcutta");
    }
}
