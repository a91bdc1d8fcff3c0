//! Appointments by the partners they concern, so that the hub's listing
//! per employee (`Responsible eq '…' and …`) does not scan every
//! appointment, as SAP's database would not either.

use std::collections::HashMap;
use std::sync::Mutex;

use uuid::Uuid;

use super::{Activity, appointment_set, attendee_set};
use crate::s4::value::Value;

/// Built on first use after a change to the appointments.
#[derive(Debug, Default)]
pub struct PartnerIndex(Mutex<Option<HashMap<String, Vec<Uuid>>>>);

impl Clone for PartnerIndex {
    fn clone(&self) -> Self {
        PartnerIndex::default()
    }
}

impl PartnerIndex {
    /// Forgets the index (after a change).
    pub fn invalidate(&mut self) {
        if let Ok(slot) = self.0.get_mut() {
            *slot = None;
        }
    }

    /// The appointments whose responsible employee or an attendee is
    /// `partner`, in GUID order.
    pub fn appointments_of<'a>(
        &self,
        partner: &str,
        all: impl Iterator<Item = (&'a Uuid, &'a Activity)>,
    ) -> Vec<Uuid> {
        let Ok(mut slot) = self.0.lock() else {
            return Vec::new();
        };
        let index = slot.get_or_insert_with(|| build(all));
        index.get(partner).cloned().unwrap_or_default()
    }
}

fn build<'a>(all: impl Iterator<Item = (&'a Uuid, &'a Activity)>) -> HashMap<String, Vec<Uuid>> {
    let responsible = appointment_set().index("Responsible");
    let partner_no = attendee_set().index("PartnerNo");
    let mut index: HashMap<String, Vec<Uuid>> = HashMap::new();
    for (guid, a) in all {
        let mut partners: Vec<&str> = Vec::new();
        if let Some(Value::Text(p)) = responsible.and_then(|i| a.values.get(i)) {
            partners.push(p);
        }
        for attendee in &a.attendees {
            if let Some(Value::Text(p)) = partner_no.and_then(|i| attendee.get(i)) {
                partners.push(p);
            }
        }
        partners.sort_unstable();
        partners.dedup();
        for p in partners {
            // GUIDs arrive in order, so each list stays sorted.
            index.entry(p.to_owned()).or_default().push(*guid);
        }
    }
    index
}
