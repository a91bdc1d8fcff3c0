//! Business partners (BUT000 with their standard address) and
//! relationships (BUT050), as SAP GUI's transaction BP maintains them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A business partner: organisation, person or group, optionally an
/// employee (role BUP003) with a user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Partner {
    /// Number (ALPHA format, e.g. `0000004711`).
    pub number: String,
    /// `1` person, `2` organisation, `3` group.
    pub category: String,
    /// Person: first name.
    pub first_name: String,
    /// Person: last name.
    pub last_name: String,
    /// Person: middle name.
    pub middle_name: String,
    /// Organisation: name 1.
    pub name1: String,
    /// Organisation: name 2.
    pub name2: String,
    /// Form of address (`Mr.`, `Ms.`).
    pub title: String,
    /// Academic title (`Dr.`).
    pub academic_title: String,
    /// Contact person function.
    pub function: String,
    /// Contact person department.
    pub department: String,
    /// Standard e-mail address.
    pub email: String,
    /// Telephone.
    pub phone: String,
    /// Mobile phone.
    pub mobile_phone: String,
    /// Fax.
    pub fax: String,
    /// Street.
    pub street: String,
    /// House number.
    pub house_number: String,
    /// Postal code.
    pub postcode: String,
    /// City.
    pub city: String,
    /// Region (`BW`).
    pub region: String,
    /// Country (`DE`).
    pub country: String,
    /// Whether it has the employee role.
    pub employee: bool,
    /// The SAP user of an employee.
    pub user_name: String,
    /// Last change (set by the fake).
    pub changed_at: Option<DateTime<Utc>>,
}

impl Partner {
    /// The full name as S/4HANA shows it.
    pub fn full_name(&self) -> String {
        let parts: Vec<&str> = if self.category == "1" {
            vec![&self.first_name, &self.middle_name, &self.last_name]
        } else {
            vec![&self.name1, &self.name2]
        };
        let name = parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        name.chars().take(80).collect()
    }

    /// The `eTag` string of CRM_BUPA_ODATA: the change time stamp.
    pub fn etag(&self) -> String {
        self.changed_at
            .map(|t| crate::s4::value::abap_timestamp(&t))
            .unwrap_or_default()
    }

    /// The address number of its standard address (derived from the number).
    pub fn address_number(&self) -> String {
        let digits: String = self.number.chars().filter(char::is_ascii_digit).collect();
        let tail = &digits[digits.len().saturating_sub(10)..];
        format!("{tail:0>10}")
    }
}

/// A business partner relationship (BUT050).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Relationship {
    /// Relationship number (12 characters).
    pub number: String,
    /// Category (`BUR001`, `BUR011`).
    pub category: String,
    /// Partner 1 (BUR001: the contact person; BUR011: the partner looked after).
    pub partner1: String,
    /// Partner 2 (BUR001: the organisation; BUR011: the employee responsible).
    pub partner2: String,
    /// First valid day.
    pub valid_from: NaiveDate,
    /// Last valid day (`9999-12-31` for no end).
    pub valid_to: NaiveDate,
}

impl Relationship {
    /// The end of time as SAP writes it.
    pub fn no_end() -> NaiveDate {
        NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
    }

    /// Whether it is valid on `day`.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && day <= self.valid_to
    }

    /// The relationship in the core's terms (for events).
    pub fn to_core(&self) -> Option<maiconnect_core::model::Relationship> {
        let no_end = Relationship::no_end();
        Some(maiconnect_core::model::Relationship {
            kind: self.category.parse().ok()?,
            from: self.partner1.parse().ok()?,
            to: self.partner2.parse().ok()?,
            valid_from: (self.valid_from > NaiveDate::from_ymd_opt(1, 1, 1)?)
                .then_some(self.valid_from),
            valid_to: (self.valid_to < no_end).then_some(self.valid_to),
        })
    }

    /// The event key `<partner1>/<partner2>/<category>`.
    pub fn event_key(&self) -> String {
        format!("{}/{}/{}", self.partner1, self.partner2, self.category)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_names_follow_the_category() {
        let p = Partner {
            category: "1".into(),
            first_name: "Anna".into(),
            last_name: "Berg".into(),
            ..Partner::default()
        };
        assert_eq!(p.full_name(), "Anna Berg");
        let o = Partner {
            category: "2".into(),
            name1: "Customer".into(),
            name2: "AG".into(),
            ..Partner::default()
        };
        assert_eq!(o.full_name(), "Customer AG");
    }

    #[test]
    fn relationships_convert_to_the_core_type() {
        let r = Relationship {
            number: "000000000001".into(),
            category: "BUR011".into(),
            partner1: "0000000200".into(),
            partner2: "0000004711".into(),
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            valid_to: Relationship::no_end(),
        };
        let core = r.to_core().unwrap();
        assert_eq!(core.from.as_str(), "0000000200");
        assert_eq!(core.valid_to, None);
        assert_eq!(r.event_key(), "0000000200/0000004711/BUR011");
        assert!(r.valid_on(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()));
        assert!(!r.valid_on(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()));
    }
}
