//! Business partners, partner functions and relationships.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tinystr::TinyAsciiStr;

use crate::ids::{EmailAddress, InvalidId, PartnerNo};

/// A partner function of a CRM transaction (CRMC_PARTNER_FCT, 8 digits),
/// held inline: every attendee carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartnerFunction(TinyAsciiStr<8>);

impl PartnerFunction {
    /// Contact person: external attendees (the checklist's default).
    pub const CONTACT_PERSON: PartnerFunction = PartnerFunction::code("00000015");
    /// Participant: internal attendees, employees (the checklist's default).
    pub const PARTICIPANT: PartnerFunction = PartnerFunction::code("00000032");
    /// Employee responsible: the owner of the activity.
    pub const EMPLOYEE_RESPONSIBLE: PartnerFunction = PartnerFunction::code("00000014");
    /// Activity partner: the account (customer).
    pub const ACTIVITY_PARTNER: PartnerFunction = PartnerFunction::code("00000009");

    /// A well-formed code, for the constants above.
    const fn code(code: &str) -> PartnerFunction {
        match TinyAsciiStr::try_from_str(code) {
            Ok(c) => PartnerFunction(c),
            Err(_) => panic!("partner function codes have 8 ASCII characters"),
        }
    }

    /// The 8-digit code.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl std::str::FromStr for PartnerFunction {
    type Err = InvalidId;
    fn from_str(s: &str) -> Result<Self, InvalidId> {
        let t = s.trim();
        if t.is_empty() || t.len() > 8 || !t.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(InvalidId {
                what: "partner function",
                value: s.chars().take(80).collect(),
                why: "expected up to 8 letters or digits, such as 00000015",
            });
        }
        let code = if t.bytes().all(|b| b.is_ascii_digit()) {
            let mut digits = [b'0'; 8];
            digits[8 - t.len()..].copy_from_slice(t.as_bytes());
            TinyAsciiStr::try_from_utf8(&digits)
        } else {
            TinyAsciiStr::try_from_str(t).map(TinyAsciiStr::to_ascii_uppercase)
        };
        // Checked above: 1 to 8 ASCII letters or digits.
        code.map(PartnerFunction).map_err(|_| InvalidId {
            what: "partner function",
            value: s.chars().take(80).collect(),
            why: "expected up to 8 letters or digits, such as 00000015",
        })
    }
}

impl fmt::Display for PartnerFunction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for PartnerFunction {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PartnerFunction {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A business partner relationship category (BUT050-RELTYP).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RelationshipType {
    /// BUR001 "is contact person of": a person and the customer they work for.
    Bur001,
    /// BUR011 "has employee responsible": the sales employee and the partner
    /// they look after (a contact person or a customer).
    Bur011,
    /// Any other category, kept as its code.
    Other(String),
}

impl RelationshipType {
    /// The 6-character code.
    pub fn code(&self) -> &str {
        match self {
            RelationshipType::Bur001 => "BUR001",
            RelationshipType::Bur011 => "BUR011",
            RelationshipType::Other(c) => c,
        }
    }
}

impl std::str::FromStr for RelationshipType {
    type Err = InvalidId;
    fn from_str(s: &str) -> Result<Self, InvalidId> {
        let t = s.trim().to_ascii_uppercase();
        match t.as_str() {
            "BUR001" => Ok(RelationshipType::Bur001),
            "BUR011" => Ok(RelationshipType::Bur011),
            _ if !t.is_empty() && t.len() <= 6 && t.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                Ok(RelationshipType::Other(t))
            }
            _ => Err(InvalidId {
                what: "relationship category",
                value: s.chars().take(80).collect(),
                why: "expected up to 6 letters or digits, such as BUR001",
            }),
        }
    }
}

impl fmt::Display for RelationshipType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for RelationshipType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for RelationshipType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A relationship between two business partners (BUT050).
///
/// Direction as SAP stores it: for BUR001 `from` is the contact person and
/// `to` the organisation; for BUR011 `from` is the partner looked after and
/// `to` the employee responsible. The planner looks at both ends, so a
/// system that stores them the other way round still works.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Relationship {
    /// The category.
    pub kind: RelationshipType,
    /// Partner 1 (BUT050-PARTNER1).
    pub from: PartnerNo,
    /// Partner 2 (BUT050-PARTNER2).
    pub to: PartnerNo,
    /// First valid day, if limited.
    pub valid_from: Option<NaiveDate>,
    /// Last valid day, if limited (SAP writes 9999-12-31 for "no end").
    pub valid_to: Option<NaiveDate>,
}

impl Relationship {
    /// Whether the relationship is valid on `day`.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= day) && self.valid_to.is_none_or(|t| day <= t)
    }
    /// Whether `partner` is one of its two ends.
    pub fn involves(&self, partner: &PartnerNo) -> bool {
        &self.from == partner || &self.to == partner
    }
    /// The other end, seen from `partner`.
    pub fn other_end(&self, partner: &PartnerNo) -> Option<&PartnerNo> {
        if &self.from == partner {
            Some(&self.to)
        } else if &self.to == partner {
            Some(&self.from)
        } else {
            None
        }
    }
}

/// The category of a business partner (BUT000-TYPE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerCategory {
    /// 1: a natural person (contact persons, employees).
    Person,
    /// 2: an organisation (customers).
    Organization,
    /// 3: a group.
    Group,
}

/// What the hub needs to know of a business partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessPartner {
    /// The number.
    pub number: PartnerNo,
    /// Person, organisation or group.
    pub category: PartnerCategory,
    /// Full name as S/4HANA shows it.
    pub full_name: String,
    /// Standard e-mail address, if any.
    pub email: Option<EmailAddress>,
    /// Whether the partner is an employee (role BUP003).
    pub is_employee: bool,
}

/// An employee: the business partner behind a user mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employee {
    /// The employee's business partner.
    pub partner: PartnerNo,
    /// The SAP user, if assigned.
    pub user: Option<String>,
    /// The e-mail address in the employee's work address.
    pub email: Option<EmailAddress>,
    /// Full name.
    pub full_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_functions_pad_numeric_codes() {
        let f: PartnerFunction = "15".parse().unwrap();
        assert_eq!(f, PartnerFunction::CONTACT_PERSON);
        assert_eq!(PartnerFunction::PARTICIPANT.as_str(), "00000032");
        assert!("123456789".parse::<PartnerFunction>().is_err());
    }

    #[test]
    fn relationship_types_know_the_standard_codes() {
        assert_eq!(
            "bur001".parse::<RelationshipType>().unwrap(),
            RelationshipType::Bur001
        );
        assert_eq!(
            "BUR011".parse::<RelationshipType>().unwrap(),
            RelationshipType::Bur011
        );
        assert_eq!(
            "ZREL01".parse::<RelationshipType>().unwrap(),
            RelationshipType::Other("ZREL01".into())
        );
        assert!("TOO-LONG".parse::<RelationshipType>().is_err());
    }

    #[test]
    fn validity_is_inclusive() {
        let p = |s: &str| s.parse::<PartnerNo>().unwrap();
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let r = Relationship {
            kind: RelationshipType::Bur001,
            from: p("1"),
            to: p("2"),
            valid_from: Some(d(1, 1)),
            valid_to: Some(d(6, 30)),
        };
        assert!(r.valid_on(d(1, 1)) && r.valid_on(d(6, 30)));
        assert!(!r.valid_on(d(7, 1)));
        assert_eq!(r.other_end(&p("1")), Some(&p("2")));
        assert_eq!(r.other_end(&p("3")), None);
    }
}
