//! The start-up check: reads each service's `$metadata` and reports every
//! missing service, entity set, property or navigation by name, with the
//! fix; a missing property the adapter can do without is reported with
//! what its absence costs instead. The hub's `check` command prints the
//! [`CheckReport`] of the configured profile and the verdict of the other
//! one ([`CheckReport::verdict`]), so that it says which profile the
//! system fits.

mod compare;

use std::fmt;

use serde::Serialize;

pub use compare::check_metadata;

use crate::client::ODataClient;
use crate::error::ODataError;
use crate::profile::{ProfileKind, ServiceId};

/// One difference between a service and the profile that stops the
/// adapter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// What is wrong, by name.
    pub what: String,
    /// What to do.
    pub fix: String,
}

/// A property the adapter can do without, missing, and what that costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Degradation {
    /// What is missing (`AppointmentSet.TimeZone`).
    pub what: String,
    /// What the sync gives up without it.
    pub cost: String,
}

/// The result for one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceCheck {
    /// Which service.
    pub service: ServiceId,
    /// Its technical name in the profile checked.
    pub name: &'static str,
    /// The `$metadata` URL read.
    pub url: String,
    /// The differences that stop the adapter; empty when there are none.
    pub problems: Vec<Problem>,
    /// The optional properties that are missing, with their cost.
    pub degraded: Vec<Degradation>,
}

/// The result of checking all services against one profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// The profile checked.
    pub profile: ProfileKind,
    /// One entry per service, in profile order.
    pub services: Vec<ServiceCheck>,
}

impl CheckReport {
    /// Whether every service has what the adapter needs (optional
    /// properties may be missing).
    pub fn is_ok(&self) -> bool {
        self.services.iter().all(|s| s.problems.is_empty())
    }
    /// Whether every service has every property of the profile.
    pub fn is_complete(&self) -> bool {
        self.is_ok() && self.services.iter().all(|s| s.degraded.is_empty())
    }
    /// All problems, with their service.
    pub fn problems(&self) -> impl Iterator<Item = (&ServiceCheck, &Problem)> {
        self.services
            .iter()
            .flat_map(|s| s.problems.iter().map(move |p| (s, p)))
    }
    /// All missing optional properties, with their service.
    pub fn degraded(&self) -> impl Iterator<Item = (&ServiceCheck, &Degradation)> {
        self.services
            .iter()
            .flat_map(|s| s.degraded.iter().map(move |d| (s, d)))
    }
    /// One line on the profile: usable or not, and why.
    pub fn verdict(&self) -> String {
        let problems = self.problems().count();
        let degraded = self.degraded().count();
        match (problems, degraded) {
            (0, 0) => format!("the {} profile fits completely", self.profile),
            (0, n) => format!(
                "the {} profile fits; {n} optional propert{} missing (see their cost)",
                self.profile,
                if n == 1 { "y is" } else { "ies are" }
            ),
            (n, _) => format!(
                "the {} profile does not fit: {n} problem{}",
                self.profile,
                if n == 1 { "" } else { "s" }
            ),
        }
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.services {
            if s.problems.is_empty() {
                writeln!(f, "ok      {} ({})", s.name, s.url)?;
            } else {
                writeln!(f, "FAILED  {} ({})", s.name, s.url)?;
                for p in &s.problems {
                    writeln!(f, "        - {}\n          fix: {}", p.what, p.fix)?;
                }
            }
            for d in &s.degraded {
                writeln!(f, "        - {}\n          costs: {}", d.what, d.cost)?;
            }
        }
        writeln!(f, "{}", self.verdict())
    }
}

fn problem(what: String, fix: String) -> Problem {
    Problem { what, fix }
}

/// The problem when `$metadata` could not be read at all.
pub fn unreachable(name: &str, e: &ODataError) -> Problem {
    let http = match e {
        ODataError::Http(h) => Some(h),
        _ => None,
    };
    let (what, fix) = match (http.map(|h| h.status), e) {
        (Some(404), _) => (
            format!("service {name} was not found (HTTP 404)"),
            "activate the service in /IWFND/MAINT_SERVICE with system alias LOCAL, or correct the service path".to_owned(),
        ),
        (Some(403), _) => (
            format!("access to {name} was refused (HTTP 403)"),
            "give the communication user the role /NAG/SAP_MAICONNECT".to_owned(),
        ),
        (Some(401), _) => (
            format!("S/4HANA rejected the credentials for {name} (HTTP 401)"),
            "check the communication user's name and password (or the bearer token)".to_owned(),
        ),
        (_, ODataError::Transport { .. }) => (
            format!("S/4HANA did not answer for {name}: {e}"),
            "check the base URL, the network path to the Gateway and the timeout".to_owned(),
        ),
        (_, ODataError::Metadata(_)) => (
            format!("the $metadata of {name} cannot be read: {e}"),
            "check that the path points to an OData v2 service".to_owned(),
        ),
        _ => (
            format!("reading the $metadata of {name} failed: {e}"),
            "see the message; retry when S/4HANA is available".to_owned(),
        ),
    };
    problem(what, fix)
}

/// Reads every service's `$metadata` and compares it with the client's
/// profile.
pub async fn check_services(client: &ODataClient) -> CheckReport {
    let profile = client.config().profile();
    let mut services = Vec::new();
    for id in ServiceId::ALL {
        let name = profile.name(id);
        let url = client
            .url(id, "$metadata")
            .map(|u| u.to_string())
            .unwrap_or_default();
        let (problems, degraded) = match client.metadata(id).await {
            Ok(m) => check_metadata(profile, id, &m),
            Err(e) => (vec![unreachable(name, &e)], Vec::new()),
        };
        services.push(ServiceCheck {
            service: id,
            name,
            url,
            problems,
            degraded,
        });
    }
    CheckReport {
        profile: profile.kind,
        services,
    }
}

#[cfg(test)]
mod tests;
