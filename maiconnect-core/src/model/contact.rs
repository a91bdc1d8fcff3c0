//! Contacts: contact persons from S/4HANA, written to Outlook.

use serde::{Deserialize, Serialize};

use crate::ids::EmailAddress;

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct PostalAddress {
    /// Street and house number.
    pub street: String,
    /// City.
    pub city: String,
    /// Region / state.
    pub state: String,
    /// Postal code.
    pub postal_code: String,
    /// Country or region (ISO code or name, as the source holds it).
    pub country: String,
}

impl PostalAddress {
    /// Whether every part is empty.
    pub fn is_empty(&self) -> bool {
        self == &PostalAddress::default()
    }
}

/// A contact person as Outlook shows them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Contact {
    /// First name.
    pub given_name: String,
    /// Last name.
    pub surname: String,
    /// Middle name.
    pub middle_name: String,
    /// Academic or form-of-address title.
    pub title: String,
    /// "File as" (Outlook's sort name), such as "Berg, Anna".
    pub file_as: String,
    /// Display name.
    pub display_name: String,
    /// The customer the person works for (via the BUR001 relationship).
    pub company: String,
    /// Department (from the relationship).
    pub department: String,
    /// Function / job title (from the relationship).
    pub job_title: String,
    /// Up to three e-mail addresses (Outlook's EmailAddress1..3).
    pub emails: Vec<EmailAddress>,
    /// Business phone.
    pub business_phone: String,
    /// Mobile phone.
    pub mobile_phone: String,
    /// Business fax.
    pub business_fax: String,
    /// Business address.
    pub business_address: PostalAddress,
}

impl Contact {
    /// Outlook holds at most three e-mail addresses.
    pub const MAX_EMAILS: usize = 3;
}
