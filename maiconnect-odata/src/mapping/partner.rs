//! Business partners: accounts, employees, relationships and the partner
//! search.

use std::borrow::Cow;

use maiconnect_core::ids::{EmailAddress, PartnerNo};
use maiconnect_core::model::{BusinessPartner, Employee, PartnerCategory, Relationship, Zone};
use serde::Deserialize;

use crate::error::ODataError;
use crate::mapping::day_of;
use crate::wire::json::{EntityMeta, Text, text};
use crate::wire::value::parse_datetime;

pub(super) fn email(v: &Option<Text<'_>>) -> Option<EmailAddress> {
    v.as_deref()
        .filter(|e| !e.trim().is_empty())
        .and_then(|e| e.parse().ok())
}

pub(super) fn category(
    object: &str,
    property: &'static str,
    v: &str,
) -> Result<PartnerCategory, ODataError> {
    match v.trim() {
        "1" => Ok(PartnerCategory::Person),
        "2" => Ok(PartnerCategory::Organization),
        "3" => Ok(PartnerCategory::Group),
        other => Err(ODataError::mapping(
            object,
            property,
            other,
            "is not a partner category (1 person, 2 organisation, 3 group)",
        )),
    }
}

fn partner_no(object: &str, property: &'static str, v: &str) -> Result<PartnerNo, ODataError> {
    v.parse().map_err(|e| {
        ODataError::mapping(
            object,
            property,
            v,
            format!("is not a business partner number ({e})"),
        )
    })
}

/// `Account` of `AccountCollection`.
#[derive(Debug, Clone, Deserialize)]
pub struct AccountWire<'a> {
    /// `__metadata`.
    #[serde(rename = "__metadata", default, borrow)]
    pub meta: Option<EntityMeta<'a>>,
    /// `accountID`.
    #[serde(rename = "accountID", borrow)]
    pub account_id: Cow<'a, str>,
    /// `category`.
    #[serde(default, borrow)]
    pub category: Option<Text<'a>>,
    /// `fullName`.
    #[serde(rename = "fullName", default, borrow)]
    pub full_name: Option<Text<'a>>,
    /// `name1`: an organisation's name, a person's last name.
    #[serde(default, borrow)]
    pub name1: Option<Text<'a>>,
    /// `name2`: an organisation's second name line, a person's first name.
    #[serde(default, borrow)]
    pub name2: Option<Text<'a>>,
    /// `eTag`.
    #[serde(rename = "eTag", default, borrow)]
    pub e_tag: Option<Text<'a>>,
}

impl AccountWire<'_> {
    /// The partner (without e-mail; the search service adds it).
    pub fn to_model(&self) -> Result<BusinessPartner, ODataError> {
        let object = format!("AccountCollection('{}')", self.account_id);
        Ok(BusinessPartner {
            number: partner_no(&object, "accountID", &self.account_id)?,
            category: category(&object, "category", text(&self.category))?,
            full_name: text(&self.full_name).to_owned(),
            email: None,
            is_employee: false,
        })
    }
}

/// `PartnerAddress` of the partner search service.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PartnerAddressWire<'a> {
    /// `PartnerNo`.
    #[serde(borrow)]
    pub partner_no: Cow<'a, str>,
    /// `Category`.
    #[serde(default, borrow)]
    pub category: Option<Text<'a>>,
    /// `FullName`.
    #[serde(default, borrow)]
    pub full_name: Option<Text<'a>>,
    /// `EmailAddress`.
    #[serde(default, borrow)]
    pub email_address: Option<Text<'a>>,
    /// `IsEmployee`.
    #[serde(default)]
    pub is_employee: Option<bool>,
}

impl PartnerAddressWire<'_> {
    /// The partner.
    pub fn to_model(&self) -> Result<BusinessPartner, ODataError> {
        let object = format!("PartnerAddressSet(PartnerNo='{}')", self.partner_no);
        Ok(BusinessPartner {
            number: partner_no(&object, "PartnerNo", &self.partner_no)?,
            category: category(&object, "Category", text(&self.category))?,
            full_name: text(&self.full_name).to_owned(),
            email: email(&self.email_address),
            is_employee: self.is_employee == Some(true),
        })
    }
}

/// The best match of a search by e-mail: employees before persons before
/// others, then the lowest number.
pub fn best_match(found: Vec<BusinessPartner>) -> Option<BusinessPartner> {
    found.into_iter().min_by(|a, b| {
        let rank = |p: &BusinessPartner| {
            (
                !p.is_employee,
                p.category != PartnerCategory::Person,
                p.number,
            )
        };
        rank(a).cmp(&rank(b))
    })
}

/// `Employee` of the employee CDS service.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmployeeWire<'a> {
    /// `EmployeeBP`.
    #[serde(rename = "EmployeeBP", borrow)]
    pub employee_bp: Cow<'a, str>,
    /// `UserName`.
    #[serde(default, borrow)]
    pub user_name: Option<Text<'a>>,
    /// `EmailAddress`.
    #[serde(default, borrow)]
    pub email_address: Option<Text<'a>>,
    /// `FullName`.
    #[serde(default, borrow)]
    pub full_name: Option<Text<'a>>,
}

impl EmployeeWire<'_> {
    /// The employee.
    pub fn to_model(&self) -> Result<Employee, ODataError> {
        let object = format!("Employees('{}')", self.employee_bp);
        Ok(Employee {
            partner: partner_no(&object, "EmployeeBP", &self.employee_bp)?,
            user: self
                .user_name
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_owned),
            email: email(&self.email_address),
            full_name: text(&self.full_name).to_owned(),
        })
    }
}

/// `Relationship` of the relationship CDS service.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RelationshipWire<'a> {
    /// `RelationshipNumber`.
    #[serde(default, borrow)]
    pub relationship_number: Option<Text<'a>>,
    /// `Partner1`.
    #[serde(borrow)]
    pub partner1: Cow<'a, str>,
    /// `Partner2`.
    #[serde(borrow)]
    pub partner2: Cow<'a, str>,
    /// `RelationshipCategory`.
    #[serde(borrow)]
    pub relationship_category: Cow<'a, str>,
    /// `ValidFrom`.
    #[serde(default, borrow)]
    pub valid_from: Option<Text<'a>>,
    /// `ValidTo`.
    #[serde(default, borrow)]
    pub valid_to: Option<Text<'a>>,
}

impl RelationshipWire<'_> {
    /// The relationship; `9999-12-31` as the end means none.
    pub fn to_model(&self) -> Result<Relationship, ODataError> {
        let object = format!(
            "Relationships(RelationshipNumber='{}')",
            text(&self.relationship_number)
        );
        let day = |property: &'static str, v: &Option<Text<'_>>| -> Result<_, ODataError> {
            match v.as_deref() {
                None | Some("") => Ok(None),
                Some(s) => parse_datetime(s)
                    .map(|t| Some(day_of(&object, property, t, Zone::UTC)))
                    .map_err(|why| ODataError::mapping(&object, property, s, why)),
            }
        };
        let open_end = chrono::NaiveDate::from_ymd_opt(9999, 12, 31);
        Ok(Relationship {
            kind: self.relationship_category.parse().map_err(|e| {
                ODataError::mapping(
                    &object,
                    "RelationshipCategory",
                    &self.relationship_category,
                    format!("{e}"),
                )
            })?,
            from: partner_no(&object, "Partner1", &self.partner1)?,
            to: partner_no(&object, "Partner2", &self.partner2)?,
            valid_from: day("ValidFrom", &self.valid_from)?,
            valid_to: day("ValidTo", &self.valid_to)?.filter(|d| Some(*d) != open_end),
        })
    }
}

#[cfg(test)]
mod tests {
    use maiconnect_core::model::RelationshipType;
    use maiconnect_core::testing::samples;

    use super::*;

    #[test]
    fn partners_employees_and_relationships() {
        let acc: AccountWire<'_> = serde_json::from_str(
            r#"{"accountID":"200","category":"2","fullName":"Customer AG","eTag":"x"}"#,
        )
        .unwrap();
        let p = acc.to_model().unwrap();
        assert_eq!(
            (p.number.as_str(), p.category),
            ("0000000200", PartnerCategory::Organization)
        );
        let bad: AccountWire<'_> =
            serde_json::from_str(r#"{"accountID":"200","category":"X"}"#).unwrap();
        assert!(bad.to_model().unwrap_err().to_string().contains("category"));

        let rows: Vec<PartnerAddressWire<'_>> = serde_json::from_str(
            r#"[{"PartnerNo":"100","AddressNumber":"1","Category":"1","FullName":"Olga","EmailAddress":"olga@x.example","IsEmployee":false},
                {"PartnerNo":"200","AddressNumber":"2","Category":"2","FullName":"Org","EmailAddress":"olga@x.example","IsEmployee":false},
                {"PartnerNo":"4711","AddressNumber":"3","Category":"1","FullName":"Anna","EmailAddress":"OLGA@x.example","IsEmployee":true}]"#,
        )
        .unwrap();
        let found: Vec<_> = rows.iter().map(|r| r.to_model().unwrap()).collect();
        assert_eq!(found[2].email.as_ref().unwrap().as_str(), "olga@x.example");
        assert_eq!(
            best_match(found.clone()).unwrap().number.as_str(),
            "0000004711"
        );
        assert_eq!(
            best_match(found[..2].to_vec()).unwrap().number.as_str(),
            "0000000100"
        );
        assert_eq!(best_match(Vec::new()), None);

        let e: EmployeeWire<'_> = serde_json::from_str(r#"{"EmployeeBP":"4711","UserName":"ABERG","EmailAddress":"Anna.Berg@example.com","FullName":"Anna Berg"}"#).unwrap();
        assert_eq!(e.to_model().unwrap(), samples::world().employees[0]);

        let r: RelationshipWire<'_> = serde_json::from_str(
            r#"{"RelationshipNumber":"000000000001","Partner1":"100","Partner2":"200","RelationshipCategory":"BUR001",
                "ValidFrom":"/Date(1767225600000)/","ValidTo":"/Date(253402214400000)/","Partner1Category":"1","Partner2Category":"2"}"#,
        )
        .unwrap();
        let rel = r.to_model().unwrap();
        assert_eq!(rel.kind, RelationshipType::Bur001);
        assert_eq!(rel.from.as_str(), "0000000100");
        assert_eq!(rel.valid_from, chrono::NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(rel.valid_to, None, "9999-12-31 is no end");
    }
}
