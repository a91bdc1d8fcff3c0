//! Attendees of an appointment, the meeting view of CRM partners.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{EmailAddress, PartnerNo};
use crate::model::partner::PartnerFunction;

/// One attendee: an Outlook attendee and, when known, the CRM partner behind
/// it with the partner function it holds in the activity.
///
/// The S/4HANA side knows `partner` and `function` and looks up the e-mail;
/// the Exchange side knows `email` and the hub looks up the partner by
/// e-mail before planning. Two attendees are the same person when their
/// [`AttendeeKey`]s are equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Attendee {
    /// E-mail address, if known.
    pub email: Option<EmailAddress>,
    /// Display name.
    pub name: String,
    /// The CRM business partner, if known.
    pub partner: Option<PartnerNo>,
    /// The partner function in the activity (contact person, participant).
    pub function: Option<PartnerFunction>,
    /// Required (true) or optional attendee in Outlook.
    pub required: bool,
}

/// What identifies an attendee across both systems: the e-mail address when
/// there is one, else the partner number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AttendeeKey {
    /// By e-mail address (lower case).
    Email(EmailAddress),
    /// By business partner, for partners without an e-mail address.
    Partner(PartnerNo),
    /// Neither is known: the attendee cannot be matched and is not synced.
    Unmatched(String),
}

impl Attendee {
    /// The matching key.
    pub fn key(&self) -> AttendeeKey {
        match (&self.email, &self.partner) {
            (Some(e), _) => AttendeeKey::Email(e.clone()),
            (None, Some(p)) => AttendeeKey::Partner(*p),
            (None, None) => AttendeeKey::Unmatched(self.name.clone()),
        }
    }

    /// Whether Exchange can hold this attendee (it needs an address).
    pub fn fits_exchange(&self) -> bool {
        self.email.is_some()
    }

    /// Whether S/4HANA can hold this attendee (it needs a partner and a
    /// partner function).
    pub fn fits_s4(&self) -> bool {
        self.partner.is_some() && self.function.is_some()
    }
}

impl fmt::Display for Attendee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let Some(e) = &self.email {
            write!(f, " <{e}>")?;
        }
        if let Some(p) = &self.partner {
            write!(f, " [BP {p}")?;
            if let Some(func) = &self.function {
                write!(f, " as {func}")?;
            }
            f.write_str("]")?;
        }
        Ok(())
    }
}
