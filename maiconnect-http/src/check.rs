//! The `check` command: tests a configuration end to end, like a "test &
//! enable mailbox" button, and reports every problem with its fix.

use std::fmt;

use maiconnect_odata::ODataClient;
use maiconnect_odata::check::CheckReport as ServiceReport;
use maiconnect_odata::profile::{ProfileKind, ServiceId};
use serde::Serialize;

use crate::hub::Hub;

/// One line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct CheckLine {
    /// Whether it passed.
    pub ok: bool,
    /// What was checked.
    pub what: String,
    /// The details or the fix.
    pub detail: String,
}

/// The whole report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    /// The lines, in the order checked.
    pub lines: Vec<CheckLine>,
}

impl CheckReport {
    fn add(&mut self, ok: bool, what: impl Into<String>, detail: impl Into<String>) {
        self.lines.push(CheckLine {
            ok,
            what: what.into(),
            detail: detail.into(),
        });
    }
    /// Whether everything passed.
    pub fn ok(&self) -> bool {
        self.lines.iter().all(|l| l.ok)
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for l in &self.lines {
            let mark = if l.ok { "ok    " } else { "FAILED" };
            writeln!(f, "{mark} {}", l.what)?;
            if !l.detail.is_empty() {
                for line in l.detail.lines() {
                    writeln!(f, "       {line}")?;
                }
            }
        }
        let failed = self.lines.iter().filter(|l| !l.ok).count();
        if failed == 0 {
            writeln!(f, "\nall {} checks passed", self.lines.len())
        } else {
            writeln!(f, "\n{failed} of {} checks failed", self.lines.len())
        }
    }
}

/// Fetches a CSRF token for the appointment service as every write does
/// first (HEAD, GET fallback): shows that writes can start — the role, the
/// logon session, no proxy dropping the `X-CSRF-Token` header.
async fn csrf_line(client: &ODataClient) -> CheckLine {
    let what = "S/4HANA CSRF token".to_owned();
    match client.fetch_csrf_token(ServiceId::Appointments).await {
        Ok(fetched) => CheckLine {
            ok: true,
            what,
            detail: fetched.to_string(),
        },
        Err(e) => CheckLine {
            ok: false,
            what,
            detail: format!(
                "{e}\nfix: the communication user needs the role /NAG/SAP_MAICONNECT; a 403 on fetch means the user lacks it (or the role does not include {}); a 401 means wrong credentials or sap-client",
                ServiceId::Appointments
            ),
        },
    }
}

/// One line per service: ok with the costs of what is missing, or failed
/// with the fixes.
fn service_lines(r: &mut CheckReport, services: &ServiceReport) {
    for s in &services.services {
        let what = format!("S/4HANA service {}", s.name);
        let costs = s
            .degraded
            .iter()
            .map(|d| format!("{}\ncosts: {}", d.what, d.cost));
        if s.problems.is_empty() {
            let detail: Vec<String> = std::iter::once(s.url.clone()).chain(costs).collect();
            r.add(true, what, detail.join("\n"));
        } else {
            let detail: Vec<String> = s
                .problems
                .iter()
                .map(|p| format!("{}\nfix: {}", p.what, p.fix))
                .chain(costs)
                .collect();
            r.add(false, what, detail.join("\n"));
        }
    }
}

/// Which service profile the system fits: the configured one (checked
/// above, its failures reported there) and the other one at its default
/// paths. The line fails only when the other profile would fit where the
/// configured one does not: then the fix is to switch.
async fn profile_line(client: &ODataClient, configured: &ServiceReport) -> CheckLine {
    let other_kind = match configured.profile {
        ProfileKind::Extended => ProfileKind::Standard,
        ProfileKind::Standard => ProfileKind::Extended,
    };
    let mut config = client.config().clone().with_profile(other_kind);
    config.service_paths.clear();
    let other = match ODataClient::new(config) {
        Ok(c) => Some(maiconnect_odata::check_services(&c).await),
        Err(e) => {
            tracing::warn!("the {other_kind} profile could not be checked: {e}");
            None
        }
    };
    let other_fits = other.as_ref().is_some_and(ServiceReport::is_ok);
    let mut detail = vec![
        format!("configured: {}", configured.verdict()),
        format!(
            "not configured: {}",
            other.as_ref().map_or_else(
                || format!("the {other_kind} profile could not be checked"),
                ServiceReport::verdict
            )
        ),
    ];
    if !configured.is_ok() && other_fits {
        detail.push(format!(
            "fix: set profile = \"{other_kind}\" in [s4] (see maiconnect-odata/PROFILE.md for what it gives up)"
        ));
    }
    if configured.profile == ProfileKind::Standard {
        let given_up: Vec<String> = configured
            .profile
            .profile()
            .gives_up()
            .iter()
            .map(|(_, set, p)| format!("{set}.{}: {}", p.name, p.cost.unwrap_or("")))
            .collect();
        detail.push(format!(
            "the standard profile gives up:\n  {}",
            given_up.join("\n  ")
        ));
    }
    CheckLine {
        ok: configured.is_ok() || !other_fits,
        what: format!("S/4HANA service profile ({})", configured.profile),
        detail: detail.join("\n"),
    }
}

/// Runs every check against the hub's configuration.
pub async fn run_check(hub: &Hub) -> CheckReport {
    let mut r = CheckReport::default();
    match hub.store.schema_version() {
        Ok(v) => r.add(
            true,
            "state store",
            format!("{} (schema version {v})", hub.settings.state.display()),
        ),
        Err(e) => r.add(false, "state store", e.message),
    }
    if let Some(odata) = &hub.odata {
        let services = maiconnect_odata::check_services(odata.client()).await;
        service_lines(&mut r, &services);
        r.lines.push(profile_line(odata.client(), &services).await);
        r.lines.push(csrf_line(odata.client()).await);
    }
    let policy = hub.policy();
    for user in policy.users.iter().filter(|u| u.enabled) {
        let who = format!(
            "user {} (BP {}, {})",
            user.mailbox, user.employee, user.environment
        );
        match hub.crm.employee(&user.employee).await {
            Ok(Some(_)) => r.add(true, format!("{who}: employee in S/4HANA"), ""),
            Ok(None) => r.add(
                false,
                format!("{who}: employee in S/4HANA"),
                format!("business partner {} is not in the employee view; check the number or the role BUP003", user.employee),
            ),
            Err(e) => r.add(false, format!("{who}: employee in S/4HANA"), e.message),
        }
        let Some(env) = hub.environments.get(&user.environment) else {
            r.add(
                false,
                format!("{who}: environment"),
                format!("environment {} is not configured", user.environment),
            );
            continue;
        };
        let result = match &env.ews {
            Some(ews) => ews.check(&user.mailbox).await,
            None => env
                .mailboxes
                .changes(
                    &user.mailbox,
                    maiconnect_core::model::Folder::Calendar,
                    None,
                    1,
                )
                .await
                .map(|_| ()),
        };
        match result {
            Ok(()) => r.add(
                true,
                format!("{who}: mailbox reachable, access allowed, folders exist"),
                "",
            ),
            Err(e) => r.add(false, format!("{who}: mailbox"), e.message),
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, Method, StatusCode};
    use axum::response::IntoResponse;
    use maiconnect_odata::ClientConfig;

    use super::*;

    /// A Gateway that issues tokens to MAICONNECT and refuses everyone
    /// else as SAP does for a user without the role.
    async fn gateway(method: Method, headers: HeaderMap) -> axum::response::Response {
        let auth = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        // "MAICONNECT:pw"
        if auth == "Basic TUFJQ09OTkVDVDpwdw==" {
            assert_eq!(method, Method::HEAD, "a token is fetched with HEAD first");
            return (StatusCode::OK, [("x-csrf-token", "T0KEN")]).into_response();
        }
        let body = r#"{"error":{"code":"/IWFND/CM_CONSUMER/101","message":{"lang":"en","value":"No authorization"}}}"#;
        (
            StatusCode::FORBIDDEN,
            [("content-type", "application/json")],
            body,
        )
            .into_response()
    }

    async fn client(user: &str) -> ODataClient {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let app = axum::Router::new().fallback(gateway);
            axum::serve(listener, app).await.unwrap();
        });
        let config = ClientConfig::new(&format!("http://{addr}"), user, "pw").unwrap();
        ODataClient::new(config).unwrap()
    }

    #[tokio::test]
    async fn the_csrf_line_passes_when_a_token_is_issued() {
        let line = csrf_line(&client("MAICONNECT").await).await;
        assert!(line.ok, "{}", line.detail);
        assert_eq!(line.what, "S/4HANA CSRF token");
        assert_eq!(
            line.detail,
            "/NAG/CRM_APPOINTMENT_SRV_01 issued a token (HEAD)"
        );
        assert!(!line.detail.contains("T0KEN"), "the token is not shown");
    }

    #[tokio::test]
    async fn a_refused_fetch_names_the_role() {
        let line = csrf_line(&client("NOROLE").await).await;
        assert!(!line.ok);
        for part in [
            "HTTP 403",
            "No authorization",
            "fix: the communication user needs the role /NAG/SAP_MAICONNECT",
        ] {
            assert!(
                line.detail.contains(part),
                "{part:?} missing in {}",
                line.detail
            );
        }
    }
}
