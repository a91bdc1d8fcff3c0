//! Turning Outlook attendees into business partners.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::PortError;
use crate::ids::EmailAddress;
use crate::model::{BusinessPartner, Record};
use crate::plan::state::MailboxItem;
use crate::policy::Policy;
use crate::ports::Crm;

/// Partners found by e-mail address (hits and misses), so that every address
/// is searched once. Shared by the syncers of one hub.
#[derive(Debug, Default)]
pub struct PartnerCache {
    found: Mutex<HashMap<EmailAddress, Option<BusinessPartner>>>,
}

impl PartnerCache {
    /// An empty cache.
    pub fn new() -> PartnerCache {
        PartnerCache::default()
    }

    /// Forgets everything (after partner changes in S/4HANA).
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<EmailAddress, Option<BusinessPartner>>> {
        self.found.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The partner with this address, searching S/4HANA on a miss.
    pub async fn lookup(
        &self,
        crm: &dyn Crm,
        email: &EmailAddress,
    ) -> Result<Option<BusinessPartner>, PortError> {
        if let Some(hit) = self.lock().get(email) {
            return Ok(hit.clone());
        }
        let found = crm.find_partner_by_email(email).await?;
        self.lock().insert(email.clone(), found.clone());
        Ok(found)
    }
}

/// Fills in partner and partner function of the attendees of a mailbox
/// item: employees take part as participants, everyone else as contact
/// persons; unknown addresses stay without partner (and stay in Outlook).
pub async fn enrich(
    item: &mut MailboxItem,
    crm: &dyn Crm,
    cache: &PartnerCache,
    policy: &Policy,
) -> Result<(), PortError> {
    let Record::Appointment(a) = &mut item.record else {
        return Ok(());
    };
    let functions = &policy.appointments.partner_functions;
    for att in &mut a.attendees {
        if att.partner.is_some() {
            continue;
        }
        let Some(email) = att.email.clone() else {
            continue;
        };
        if let Some(p) = cache.lookup(crm, &email).await? {
            att.function = Some(if p.is_employee {
                functions.participant
            } else {
                functions.contact_person
            });
            att.partner = Some(p.number);
        }
    }
    Ok(())
}
