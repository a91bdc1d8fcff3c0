//! Contact persons as Outlook contacts: from `ContactCollection` (with
//! `WorkAddress`), one entry per customer, or — for a person without a
//! customer — from the account itself.

use std::borrow::Cow;

use maiconnect_core::ids::{EmailAddress, Version};
use maiconnect_core::model::{Contact, PartnerCategory, PostalAddress};
use serde::Deserialize;

use crate::error::ODataError;
use crate::mapping::partner::{AccountWire, category, email};
use crate::wire::json::{EntityMeta, Nav, Text, text};

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

/// The version of a CRM_BUPA_ODATA entity: its `eTag` property, else
/// `__metadata.etag`.
fn version_of(
    object: &str,
    e_tag: &Option<Text<'_>>,
    meta: &Option<EntityMeta<'_>>,
) -> Result<Version, ODataError> {
    let etag = e_tag
        .as_deref()
        .filter(|e| !e.is_empty())
        .or_else(|| meta.as_ref().and_then(|m| m.etag.as_deref()))
        .ok_or_else(|| {
            ODataError::mapping(
                object,
                "eTag",
                "",
                "is empty; the profile requires eTag on accounts and contacts",
            )
        })?;
    etag.parse().map_err(|e| {
        ODataError::mapping(
            object,
            "eTag",
            etag,
            format!("is not a usable version ({e})"),
        )
    })
}

/// Outlook's "file as": "Surname, Given".
fn file_as(given: &str, surname: &str) -> String {
    match (given.is_empty(), surname.is_empty()) {
        (_, true) => given.to_owned(),
        (true, false) => surname.to_owned(),
        (false, false) => format!("{surname}, {given}"),
    }
}

fn display_name(full_name: &str, given: &str, surname: &str) -> String {
    match full_name.trim() {
        "" => format!("{given} {surname}").trim().to_owned(),
        f => f.to_owned(),
    }
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
    let version = version_of(&object, &w.e_tag, &w.meta)?;
    let given = text(&w.first_name).to_owned();
    let surname = text(&w.last_name).to_owned();
    let file_as = file_as(&given, &surname);
    let display = display_name(text(&w.full_name), &given, &surname);
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

/// A partner without a customer as an Outlook contact: a person (or group)
/// that a trigger relationship brings into a mailbox but that has no
/// customer–contact relationship, so `ContactCollection` does not list it.
/// The names come from the account (`name1` the last name, `name2` the
/// first name of a person), the e-mail from the partner search; the
/// contact has no company, and the account's `eTag` is its version.
/// `None` for an organisation: it is a customer, not a contact person.
pub fn account_contact(
    w: &AccountWire<'_>,
    email: Option<EmailAddress>,
) -> Result<Option<(Version, Contact)>, ODataError> {
    let object = format!("AccountCollection('{}')", w.account_id);
    let (given, surname) = match category(&object, "category", text(&w.category))? {
        PartnerCategory::Organization => return Ok(None),
        PartnerCategory::Person => (
            text(&w.name2).trim().to_owned(),
            text(&w.name1).trim().to_owned(),
        ),
        // A group has a name, not a first and last name.
        PartnerCategory::Group => (String::new(), String::new()),
    };
    let version = version_of(&object, &w.e_tag, &w.meta)?;
    let display = display_name(text(&w.full_name), &given, &surname);
    let file_as = match file_as(&given, &surname) {
        f if f.is_empty() => display.clone(),
        f => f,
    };
    let contact = Contact {
        given_name: given,
        surname,
        file_as,
        display_name: display,
        emails: email.into_iter().collect(),
        ..Contact::default()
    };
    Ok(Some((version, contact)))
}

#[cfg(test)]
mod tests {
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

    fn account(json: &str) -> AccountWire<'_> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_person_without_a_customer_reads_from_the_account() {
        let w = account(
            r#"{"__metadata":{"etag":"W/\"'20261127093000'\""},"accountID":"0000000300","category":"1",
                "fullName":"Lena Solo","name1":"Solo","name2":"Lena","eTag":"20261127093000"}"#,
        );
        let mail: EmailAddress = "lena.solo@freelance.example".parse().unwrap();
        let (v, c) = account_contact(&w, Some(mail.clone())).unwrap().unwrap();
        assert_eq!(v.as_str(), "20261127093000");
        assert_eq!(
            c,
            Contact {
                given_name: "Lena".into(),
                surname: "Solo".into(),
                file_as: "Solo, Lena".into(),
                display_name: "Lena Solo".into(),
                emails: vec![mail],
                ..Contact::default()
            }
        );
        // Without the eTag property the entity's ETag is the version.
        let w = account(
            r#"{"__metadata":{"etag":"W/\"'7'\""},"accountID":"300","category":"1","name1":"Solo","name2":"Lena"}"#,
        );
        let (v, c) = account_contact(&w, None).unwrap().unwrap();
        assert_eq!(v.as_str(), "W/\"'7'\"");
        assert_eq!(c.display_name, "Lena Solo", "built from the names");
        assert!(c.emails.is_empty());
    }

    #[test]
    fn organisations_are_no_contacts_and_groups_keep_their_name() {
        let org =
            account(r#"{"accountID":"200","category":"2","fullName":"Customer AG","eTag":"1"}"#);
        assert_eq!(account_contact(&org, None).unwrap(), None);
        let group = account(
            r#"{"accountID":"400","category":"3","fullName":"Buying Group","name1":"Buying Group","eTag":"2"}"#,
        );
        let (_, c) = account_contact(&group, None).unwrap().unwrap();
        assert_eq!(
            (c.given_name.as_str(), c.surname.as_str()),
            ("", ""),
            "a group has no person's names"
        );
        assert_eq!(
            (c.display_name.as_str(), c.file_as.as_str()),
            ("Buying Group", "Buying Group")
        );
    }

    #[test]
    fn accounts_without_version_or_category_are_reported() {
        let e = account_contact(
            &account(r#"{"accountID":"300","category":"1","name1":"Solo"}"#),
            None,
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("AccountCollection('300')") && e.to_string().contains("eTag"),
            "{e}"
        );
        let e = account_contact(
            &account(r#"{"accountID":"300","category":"P","eTag":"1"}"#),
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("category"), "{e}");
    }
}
