//! The `check` command: tests a configuration end to end, like a "test &
//! enable mailbox" button, and reports every problem with its fix.

use std::fmt;

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
        for s in &services.services {
            if s.problems.is_empty() {
                r.add(true, format!("S/4HANA service {}", s.name), s.url.clone());
            } else {
                let detail: Vec<String> = s
                    .problems
                    .iter()
                    .map(|p| format!("{}\nfix: {}", p.what, p.fix))
                    .collect();
                r.add(
                    false,
                    format!("S/4HANA service {}", s.name),
                    detail.join("\n"),
                );
            }
        }
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
