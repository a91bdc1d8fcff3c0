//! The start-up check: reads each service's `$metadata` and reports every
//! missing service, entity set, property or navigation by name, with the
//! fix. The hub's `check` command prints the [`CheckReport`].

use std::fmt;

use serde::Serialize;

use crate::client::ODataClient;
use crate::error::ODataError;
use crate::profile::ServiceId;
use crate::wire::metadata::Metadata;

/// One difference between a service and the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// What is wrong, by name.
    pub what: String,
    /// What to do.
    pub fix: String,
}

/// The result for one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceCheck {
    /// Which service.
    pub service: ServiceId,
    /// Its technical name.
    pub name: &'static str,
    /// The `$metadata` URL read.
    pub url: String,
    /// The differences; empty when the service matches the profile.
    pub problems: Vec<Problem>,
}

/// The result of checking all services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// One entry per service, in profile order.
    pub services: Vec<ServiceCheck>,
}

impl CheckReport {
    /// Whether every service matches the profile.
    pub fn is_ok(&self) -> bool {
        self.services.iter().all(|s| s.problems.is_empty())
    }
    /// All problems, with their service.
    pub fn problems(&self) -> impl Iterator<Item = (&ServiceCheck, &Problem)> {
        self.services
            .iter()
            .flat_map(|s| s.problems.iter().map(move |p| (s, p)))
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
        }
        Ok(())
    }
}

fn problem(what: String, fix: String) -> Problem {
    Problem { what, fix }
}

/// Compares a service's `$metadata` with the profile (no I/O).
pub fn check_metadata(service: ServiceId, m: &Metadata) -> Vec<Problem> {
    let mut out = Vec::new();
    for spec in service.entity_sets() {
        let Some(set) = m.entity_set(spec.name) else {
            out.push(problem(
                format!("entity set {} is missing", spec.name),
                format!(
                    "add entity set {} (entity type {}) to {service} as PROFILE.md describes",
                    spec.name, spec.entity_type
                ),
            ));
            continue;
        };
        let Some(t) = m.entity_type(&set.entity_type) else {
            out.push(problem(
                format!(
                    "entity type {} of entity set {} is not in the metadata",
                    set.entity_type, spec.name
                ),
                format!("regenerate the runtime objects of {service} in SEGW"),
            ));
            continue;
        };
        let keys: Vec<&str> = t.keys.iter().map(String::as_str).collect();
        if keys != spec.keys {
            out.push(problem(
                format!(
                    "{} has the key ({}), the profile expects ({})",
                    spec.name,
                    keys.join(", "),
                    spec.keys.join(", ")
                ),
                format!(
                    "make ({}) the key of entity type {}",
                    spec.keys.join(", "),
                    t.name
                ),
            ));
        }
        for p in spec.properties {
            match t.property(p.name) {
                None => out.push(problem(
                    format!(
                        "property {}.{} ({}) is missing",
                        spec.name, p.name, p.edm_type
                    ),
                    format!(
                        "add {} of type {} to entity type {}",
                        p.name, p.edm_type, t.name
                    ),
                )),
                Some(found) if found.edm_type != p.edm_type => out.push(problem(
                    format!(
                        "property {}.{} is {}, the profile expects {}",
                        spec.name, p.name, found.edm_type, p.edm_type
                    ),
                    format!(
                        "change the type of {} in entity type {} to {}",
                        p.name, t.name, p.edm_type
                    ),
                )),
                Some(_) => {}
            }
        }
        for n in spec.navigations {
            if t.navigation(n).is_none() {
                out.push(problem(
                    format!("navigation property {}.{} is missing", spec.name, n),
                    format!("add the navigation {n} to entity type {}", t.name),
                ));
            }
        }
        if spec.media && !t.has_stream {
            out.push(problem(
                format!("{} is not a media entity (m:HasStream)", spec.name),
                format!("mark entity type {} as media type in SEGW", t.name),
            ));
        }
    }
    out
}

/// The problem when `$metadata` could not be read at all.
pub fn unreachable(service: ServiceId, e: &ODataError) -> Problem {
    let status = match e {
        ODataError::Http(h) => Some(h.status),
        _ => None,
    };
    let (what, fix) = match (status, e) {
        (Some(404), _) => (
            format!("service {service} was not found (HTTP 404)"),
            "activate the service in /IWFND/MAINT_SERVICE with system alias LOCAL, or correct the service path".to_owned(),
        ),
        (Some(403), _) => (
            format!("access to {service} was refused (HTTP 403)"),
            "give the communication user the role /NAG/SAP_MAICONNECT".to_owned(),
        ),
        (Some(401), _) => (
            format!("S/4HANA rejected the credentials for {service} (HTTP 401)"),
            "check the communication user's name and password (or the bearer token)".to_owned(),
        ),
        (_, ODataError::Transport { .. }) => (
            format!("S/4HANA did not answer for {service}: {e}"),
            "check the base URL, the network path to the Gateway and the timeout".to_owned(),
        ),
        (_, ODataError::Metadata(_)) => (
            format!("the $metadata of {service} cannot be read: {e}"),
            "check that the path points to an OData v2 service".to_owned(),
        ),
        _ => (format!("reading the $metadata of {service} failed: {e}"), "see the message; retry when S/4HANA is available".to_owned()),
    };
    problem(what, fix)
}

/// Reads every service's `$metadata` and compares it with the profile.
pub async fn check_services(client: &ODataClient) -> CheckReport {
    let mut services = Vec::new();
    for id in ServiceId::ALL {
        let url = client
            .url(id, "$metadata")
            .map(|u| u.to_string())
            .unwrap_or_default();
        let problems = match client.metadata(id).await {
            Ok(m) => check_metadata(id, &m),
            Err(e) => vec![unreachable(id, &e)],
        };
        services.push(ServiceCheck {
            service: id,
            name: id.technical_name(),
            url,
            problems,
        });
    }
    CheckReport { services }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::HttpFailure;
    use crate::wire::metadata::parse_metadata;

    #[test]
    fn the_bench_metadata_lacks_the_maiconnect_additions() {
        let body = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/samples/crm_appointment_metadata.xml"
        ))
        .unwrap();
        let m = parse_metadata(&body).unwrap();
        let problems = check_metadata(ServiceId::Appointments, &m);
        let whats: Vec<&str> = problems.iter().map(|p| p.what.as_str()).collect();
        for expected in [
            "property AppointmentSet.TextType (Edm.String) is missing",
            "property AppointmentSet.TimeZone (Edm.String) is missing",
            "property AppointmentSet.ExternalKey (Edm.String) is missing",
            "property AppointmentSet.ChangedAt (Edm.DateTimeOffset) is missing",
            "navigation property AppointmentSet.Attachments is missing",
            "AttendeeSet has the key (Guid, PartnerNo), the profile expects (Guid, PartnerGuid)",
            "property AttendeeSet.PartnerGuid (Edm.Guid) is missing",
            "property AttendeeSet.Email (Edm.String) is missing",
            "entity set AttachmentSet is missing",
        ] {
            assert!(whats.contains(&expected), "{expected} not in {whats:#?}");
        }
        assert_eq!(problems.len(), 9, "{whats:#?}");
        assert!(problems.iter().all(|p| !p.fix.is_empty()));
    }

    #[test]
    fn fetch_failures_name_the_fix() {
        let http = |status| {
            ODataError::Http(Box::new(HttpFailure {
                context: "GET $metadata".into(),
                status,
                sap: None,
                retry_after: None,
            }))
        };
        let p = unreachable(ServiceId::Tasks, &http(404));
        assert!(
            p.what.contains("/NAG/MAI_CRM_TASK_SRV")
                && p.fix.contains("/IWFND/MAINT_SERVICE")
                && p.fix.contains("LOCAL")
        );
        assert!(
            unreachable(ServiceId::Tasks, &http(403))
                .fix
                .contains("/NAG/SAP_MAICONNECT")
        );
        assert!(
            unreachable(ServiceId::Tasks, &http(401))
                .fix
                .contains("password")
        );
        let report = CheckReport {
            services: vec![ServiceCheck {
                service: ServiceId::Tasks,
                name: ServiceId::Tasks.technical_name(),
                url: "http://h/$metadata".into(),
                problems: vec![unreachable(ServiceId::Tasks, &http(404))],
            }],
        };
        assert!(!report.is_ok());
        let text = report.to_string();
        assert!(
            text.starts_with("FAILED  /NAG/MAI_CRM_TASK_SRV (http://h/$metadata)"),
            "{text}"
        );
        assert!(text.contains("fix: activate the service"), "{text}");
    }
}
