//! Business partners: contacts (`ContactCollection` + `WorkAddress`),
//! accounts, employees, relationships and the partner search.

use std::borrow::Cow;

use maiconnect_core::ids::{EmailAddress, PartnerNo, Version};
use maiconnect_core::model::{
    BusinessPartner, Contact, Employee, PartnerCategory, PostalAddress, Relationship,
};
use serde::Deserialize;

use crate::error::ODataError;
use crate::mapping::day_of;
use crate::wire::json::{EntityMeta, Nav, Text, text};
use crate::wire::value::parse_datetime;

/// `ContactWorkAddress`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkAddressWire<'a> {
    /// `street`.
    #[serde(default, borrow)]
    pub street: Option<Text<'a>>,
    /// `houseNumber`.
    #[serde(default, borrow)]
    pub house_number: Option<Text<'a>>,
    /// `postcode`.
    #[serde(default, borrow)]
    pub postcode: Option<Text<'a>>,
    /// `city`.
    #[serde(default, borrow)]
    pub city: Option<Text<'a>>,
    /// `region`.
    #[serde(default, borrow)]
    pub region: Option<Text<'a>>,
    /// `country`.
    #[serde(default, borrow)]
    pub country: Option<Text<'a>>,
    /// `email`.
    #[serde(default, borrow)]
    pub email: Option<Text<'a>>,
    /// `phone`.
    #[serde(default, borrow)]
    pub phone: Option<Text<'a>>,
    /// `mobilePhone`.
    #[serde(default, borrow)]
    pub mobile_phone: Option<Text<'a>>,
    /// `fax`.
    #[serde(default, borrow)]
    pub fax: Option<Text<'a>>,
}

/// `Contact` of `ContactCollection`: one entry per contact-person
/// relationship.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactWire<'a> {
    /// `__metadata`.
    #[serde(rename = "__metadata", default, borrow)]
    pub meta: Option<EntityMeta<'a>>,
    /// `contactID`.
    #[serde(rename = "contactID", borrow)]
    pub contact_id: Cow<'a, str>,
    /// `accountID`.
    #[serde(rename = "accountID", default, borrow)]
    pub account_id: Option<Text<'a>>,
    /// `firstName`.
    #[serde(default, borrow)]
    pub first_name: Option<Text<'a>>,
    /// `lastName`.
    #[serde(default, borrow)]
    pub last_name: Option<Text<'a>>,
    /// `middleName`.
    #[serde(default, borrow)]
    pub middle_name: Option<Text<'a>>,
    /// `fullName`.
    #[serde(default, borrow)]
    pub full_name: Option<Text<'a>>,
    /// `title`.
    #[serde(default, borrow)]
    pub title: Option<Text<'a>>,
    /// `academicTitle`.
    #[serde(default, borrow)]
    pub academic_title: Option<Text<'a>>,
    /// `function`.
    #[serde(default, borrow)]
    pub function: Option<Text<'a>>,
    /// `department`.
    #[serde(default, borrow)]
    pub department: Option<Text<'a>>,
    /// `company`.
    #[serde(default, borrow)]
    pub company: Option<Text<'a>>,
    /// `eTag`.
    #[serde(default, borrow)]
    pub e_tag: Option<Text<'a>>,
    /// `WorkAddress`.
    #[serde(rename = "WorkAddress", default, borrow)]
    pub work_address: Nav<WorkAddressWire<'a>>,
}

fn email(v: &Option<Text<'_>>) -> Option<EmailAddress> {
    v.as_deref()
        .filter(|e| !e.trim().is_empty())
        .and_then(|e| e.parse().ok())
}

fn street(a: &WorkAddressWire<'_>) -> String {
    let s = text(&a.street).trim();
    let n = text(&a.house_number).trim();
    match (s.is_empty(), n.is_empty()) {
        (_, true) => s.to_owned(),
        (true, false) => n.to_owned(),
        (false, false) => format!("{s} {n}"),
    }
}

/// One entry of a contact person: its customer, version and contact.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactEntry {
    /// `accountID` (empty when the entry has no customer).
    pub account: String,
    /// `eTag`.
    pub version: Version,
    /// The contact as Outlook shows it.
    pub contact: Contact,
}

/// Reads the contact from the entries of one contact person (one per
/// customer): the entry with the lowest `accountID` that has one gives the
/// company, so the choice is stable. `None` when there is no entry.
pub fn read_contact(
    entries: Vec<ContactWire<'_>>,
) -> Result<Option<(Version, Contact)>, ODataError> {
    let entries = entries
        .into_iter()
        .map(contact_entry)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(choose_contact(entries))
}

/// The entry that stands for the contact person (see [`read_contact`]).
pub fn choose_contact(entries: Vec<ContactEntry>) -> Option<(Version, Contact)> {
    entries
        .into_iter()
        .min_by(|a, b| (a.account.is_empty(), &a.account).cmp(&(b.account.is_empty(), &b.account)))
        .map(|e| (e.version, e.contact))
}

/// Reads one entry of `ContactCollection`.
pub fn contact_entry(w: ContactWire<'_>) -> Result<ContactEntry, ODataError> {
    let object = format!("ContactCollection(contactID='{}')", w.contact_id);
    let etag = w
        .e_tag
        .as_deref()
        .filter(|e| !e.is_empty())
        .or_else(|| w.meta.as_ref().and_then(|m| m.etag.as_deref()))
        .ok_or_else(|| {
            ODataError::mapping(
                &object,
                "eTag",
                "",
                "is empty; the profile requires eTag on contacts",
            )
        })?;
    let version: Version = etag.parse().map_err(|e| {
        ODataError::mapping(
            &object,
            "eTag",
            etag,
            format!("is not a usable version ({e})"),
        )
    })?;
    let given = text(&w.first_name).to_owned();
    let surname = text(&w.last_name).to_owned();
    let file_as = match (given.is_empty(), surname.is_empty()) {
        (_, true) => given.clone(),
        (true, false) => surname.clone(),
        (false, false) => format!("{surname}, {given}"),
    };
    let display = match text(&w.full_name).trim() {
        "" => format!("{given} {surname}").trim().to_owned(),
        f => f.to_owned(),
    };
    let title = match text(&w.academic_title).trim() {
        "" => text(&w.title).trim().to_owned(),
        t => t.to_owned(),
    };
    let address = match &w.work_address {
        Nav::Loaded(v) => v.first().cloned().unwrap_or_default(),
        Nav::Deferred => WorkAddressWire::default(),
    };
    let contact = Contact {
        given_name: given,
        surname,
        middle_name: text(&w.middle_name).to_owned(),
        title,
        file_as,
        display_name: display,
        company: text(&w.company).to_owned(),
        department: text(&w.department).to_owned(),
        job_title: text(&w.function).to_owned(),
        emails: email(&address.email).into_iter().collect(),
        business_phone: text(&address.phone).to_owned(),
        mobile_phone: text(&address.mobile_phone).to_owned(),
        business_fax: text(&address.fax).to_owned(),
        business_address: PostalAddress {
            street: street(&address),
            city: text(&address.city).to_owned(),
            state: text(&address.region).to_owned(),
            postal_code: text(&address.postcode).to_owned(),
            country: text(&address.country).to_owned(),
        },
    };
    Ok(ContactEntry {
        account: text(&w.account_id).to_owned(),
        version,
        contact,
    })
}

fn category(object: &str, property: &'static str, v: &str) -> Result<PartnerCategory, ODataError> {
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
    /// `accountID`.
    #[serde(rename = "accountID", borrow)]
    pub account_id: Cow<'a, str>,
    /// `category`.
    #[serde(default, borrow)]
    pub category: Option<Text<'a>>,
    /// `fullName`.
    #[serde(rename = "fullName", default, borrow)]
    pub full_name: Option<Text<'a>>,
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
                p.number.clone(),
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
                    .map(|t| Some(day_of(&object, property, t)))
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
    use crate::wire::json::parse_page;

    #[test]
    fn a_contact_reads_with_its_work_address_and_first_company() {
        let body = r#"{"d":{"results":[
          {"contactID":"0000000100","accountID":"0000000300","firstName":"Olga","lastName":"Meyer","fullName":"Olga Meyer","company":"Other GmbH","eTag":"E2","WorkAddress":{"__deferred":{}}},
          {"contactID":"0000000100","accountID":"0000000200","firstName":"Olga","lastName":"Meyer","middleName":"","fullName":"Olga Meyer",
           "title":"Frau","academicTitle":"Dr.","function":"Head of Purchasing","department":"Purchasing","company":"Customer AG","eTag":"20261127093000",
           "WorkAddress":{"__metadata":{"type":"X.ContactWorkAddress"},"contactID":"0000000100","accountID":"0000000200","street":"Hauptstr.","houseNumber":"1",
             "postcode":"69190","city":"Walldorf","region":"BW","country":"DE","email":"Olga.Meyer@customer.example","phone":"+49 6227 1","mobilePhone":"+49 170 1","fax":""}}
        ]}}"#;
        let page = parse_page::<ContactWire<'_>>(body.as_bytes(), "t").unwrap();
        let (v, c) = read_contact(page.results).unwrap().unwrap();
        assert_eq!(v.as_str(), "20261127093000");
        assert_eq!(c, samples::contact_a());
        assert_eq!(read_contact(Vec::new()).unwrap(), None);
    }

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
