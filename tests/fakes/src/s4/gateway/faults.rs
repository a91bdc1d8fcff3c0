//! Injected faults: fail the next N requests (optionally only those of one
//! service, entity set or method) with an SAP error, 503 + `Retry-After`,
//! 429, or delay them.

use serde::{Deserialize, Serialize};

use super::sap_error::SapError;
use crate::s4::edm::ServiceId;

/// What an injected fault does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultAction {
    /// Answer with this status and an SAP error body.
    Error {
        /// HTTP status.
        status: u16,
        /// SAP message code (default `/IWBEP/CX_MGW_TECH_EXCEPTION`).
        #[serde(default)]
        code: Option<String>,
        /// Message text.
        #[serde(default)]
        message: Option<String>,
    },
    /// 503 Service Unavailable with `Retry-After`.
    Unavailable {
        /// Seconds for `Retry-After` (default 1).
        #[serde(default)]
        retry_after_secs: Option<u64>,
    },
    /// 429 Too Many Requests with `Retry-After`.
    Throttled {
        /// Seconds for `Retry-After` (default 1).
        #[serde(default)]
        retry_after_secs: Option<u64>,
    },
    /// Answer normally, but only after this delay.
    Delay {
        /// Milliseconds.
        ms: u64,
    },
}

impl FaultAction {
    /// The error to answer with (`None` for a delay).
    pub fn error(&self) -> Option<SapError> {
        match self {
            FaultAction::Error {
                status,
                code,
                message,
            } => Some(SapError::new(
                *status,
                code.as_deref().unwrap_or("/IWBEP/CX_MGW_TECH_EXCEPTION"),
                message
                    .clone()
                    .unwrap_or_else(|| format!("Injected fault: HTTP {status}")),
            )),
            FaultAction::Unavailable { retry_after_secs } => {
                let mut e = SapError::new(
                    503,
                    "INJECTED/503",
                    "Service temporarily unavailable (injected); try again after Retry-After",
                );
                e.retry_after = Some(retry_after_secs.unwrap_or(1));
                Some(e)
            }
            FaultAction::Throttled { retry_after_secs } => {
                let mut e = SapError::new(
                    429,
                    "INJECTED/429",
                    "Too many requests (injected); slow down and retry after Retry-After",
                );
                e.retry_after = Some(retry_after_secs.unwrap_or(1));
                Some(e)
            }
            FaultAction::Delay { .. } => None,
        }
    }
}

/// One rule: which requests, how many, what happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    /// How many matching requests it still affects.
    pub count: u32,
    /// Only this service (technical name, e.g. `CRM_APPOINTMENT_SRV_01`).
    #[serde(default)]
    pub service: Option<String>,
    /// Only this entity set (`AppointmentSet`; `$batch` for batch requests).
    #[serde(default)]
    pub entity_set: Option<String>,
    /// Only this method (`GET`, `POST`, `MERGE`, …).
    #[serde(default)]
    pub method: Option<String>,
    /// What happens.
    pub action: FaultAction,
}

/// The active rules.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    rules: Vec<FaultRule>,
}

impl Faults {
    /// Adds a rule.
    pub fn add(&mut self, rule: FaultRule) {
        if rule.count > 0 {
            self.rules.push(rule);
        }
    }
    /// Removes all rules.
    pub fn clear(&mut self) {
        self.rules.clear();
    }
    /// The rules still active.
    pub fn rules(&self) -> Vec<FaultRule> {
        self.rules.clone()
    }
    /// Consumes the first rule that matches a request.
    pub fn take(
        &mut self,
        service: ServiceId,
        entity_set: &str,
        method: &str,
    ) -> Option<FaultAction> {
        let i = self.rules.iter().position(|r| {
            r.service
                .as_deref()
                .is_none_or(|s| s.eq_ignore_ascii_case(service.name()))
                && r.entity_set.as_deref().is_none_or(|s| s == entity_set)
                && r.method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method))
        })?;
        let rule = &mut self.rules[i];
        rule.count -= 1;
        let action = rule.action.clone();
        if rule.count == 0 {
            self.rules.remove(i);
        }
        Some(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_narrowly_and_run_out() {
        let mut f = Faults::default();
        f.add(FaultRule {
            count: 2,
            service: Some("crm_appointment_srv_01".into()),
            entity_set: Some("AppointmentSet".into()),
            method: Some("merge".into()),
            action: FaultAction::Throttled {
                retry_after_secs: Some(3),
            },
        });
        assert_eq!(f.take(ServiceId::Tasks, "AppointmentSet", "MERGE"), None);
        assert_eq!(
            f.take(ServiceId::Appointments, "AppointmentSet", "GET"),
            None
        );
        let a = f
            .take(ServiceId::Appointments, "AppointmentSet", "MERGE")
            .unwrap();
        assert_eq!(a.error().unwrap().retry_after, Some(3));
        assert!(
            f.take(ServiceId::Appointments, "AppointmentSet", "MERGE")
                .is_some()
        );
        assert!(
            f.take(ServiceId::Appointments, "AppointmentSet", "MERGE")
                .is_none()
        );
        assert!(f.rules().is_empty());
    }
}
