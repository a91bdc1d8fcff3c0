//! Appointments: CRM activities of business object BUS2000126 and calendar
//! items in the mailbox.

use serde::{Deserialize, Serialize};

use crate::ids::{EmailAddress, PartnerNo, TransactionType};
use crate::model::attachment::Attachment;
use crate::model::attendee::Attendee;
use crate::model::common::{Body, Importance, Reminder, Sensitivity};
use crate::model::recurrence::Recurrence;
use crate::model::time::When;

/// An appointment as both sides describe it.
///
/// Fields that only one side holds are kept for filtering and for creating
/// the item on the other side, but never merged (see
/// [`SyncRecord::MERGED`](crate::plan::SyncRecord::MERGED)).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Appointment {
    /// Subject (S/4: `Description`).
    pub subject: String,
    /// Location.
    pub location: String,
    /// Long text (S/4: the configured text type of `Note`).
    pub body: Body,
    /// When it takes place.
    pub when: When,
    /// Sensitivity; S/4HANA holds only "private or not" (`PrivatFlag`).
    pub sensitivity: Sensitivity,
    /// Importance / priority.
    pub importance: Importance,
    /// Attendees / partners.
    pub attendees: Vec<Attendee>,
    /// File attachments.
    pub attachments: Vec<Attachment>,
    /// Outlook categories (Exchange only).
    pub categories: Vec<String>,
    /// Reminder (Exchange only).
    pub reminder: Option<Reminder>,
    /// Whether an Outlook add-in tagged the item for synchronisation
    /// (Exchange only; our extended property).
    pub sync_tag: bool,
    /// The series, when this is the master of a recurring series (Exchange
    /// only; S/4HANA gets single appointments).
    pub recurrence: Option<Box<Recurrence>>,
    /// The organizer's address (Exchange only).
    pub organizer: Option<EmailAddress>,
    /// The CRM transaction type (S/4 only).
    pub transaction_type: Option<TransactionType>,
    /// The CRM status code (S/4 only).
    pub status: Option<String>,
    /// The employee responsible, whose calendar holds the appointment (S/4 only).
    pub owner: Option<PartnerNo>,
    /// The account (activity partner) (S/4 only).
    pub account: Option<PartnerNo>,
}

impl Appointment {
    /// A plain appointment with the given subject and time and defaults
    /// elsewhere.
    pub fn new(subject: &str, when: When) -> Appointment {
        Appointment {
            subject: subject.to_owned(),
            location: String::new(),
            body: Body::default(),
            when,
            sensitivity: Sensitivity::Normal,
            importance: Importance::Normal,
            attendees: Vec::new(),
            attachments: Vec::new(),
            categories: Vec::new(),
            reminder: None,
            sync_tag: false,
            recurrence: None,
            organizer: None,
            transaction_type: None,
            status: None,
            owner: None,
            account: None,
        }
    }

    /// Whether the appointment is private (Private or Confidential).
    pub fn is_private(&self) -> bool {
        self.sensitivity.is_private()
    }

    /// Whether `partner` takes part: as the employee responsible or as an
    /// attendee.
    pub fn involves(&self, partner: &PartnerNo) -> bool {
        self.owner.as_ref() == Some(partner)
            || self
                .attendees
                .iter()
                .any(|a| a.partner.as_ref() == Some(partner))
    }

    /// Whether the item carries the Outlook category `name` (case-insensitive,
    /// as Outlook compares categories).
    pub fn has_category(&self, name: &str) -> bool {
        self.categories.iter().any(|c| c.eq_ignore_ascii_case(name))
    }
}
