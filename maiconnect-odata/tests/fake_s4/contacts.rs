//! Contact persons without a customer (BUR011 from an employee, no BUR001):
//! read from the account, without company, versioned by its `eTag`.

use maiconnect_core::model::{Contact, Record, S4Key};
use maiconnect_core::ports::Crm;
use maiconnect_core::testing::samples::{bp, email};
use maiconnect_fakes::s4::{FakeS4Handle, NewRelationship, Partner};

use crate::fixture::{crm, fake_s4};

fn account_etag(s4: &FakeS4Handle, number: &str) -> String {
    s4.snapshot()
        .partners
        .iter()
        .find(|p| p.number == number)
        .map(Partner::etag)
        .unwrap()
}

async fn contact(crm: &impl Crm, number: &str) -> Option<(String, Contact)> {
    let item = crm.get(&S4Key::Contact(bp(number))).await.unwrap()?;
    let Record::Contact(c) = item.record else {
        panic!("{number} read as {:?}", item.record)
    };
    Some((item.version.as_str().to_owned(), *c))
}

#[tokio::test]
async fn a_person_without_a_customer_becomes_a_contact_without_company() {
    let s4 = fake_s4().await;
    let crm = crm(&s4);
    let (version, lena) = contact(&crm, "300").await.expect("Lena Solo is readable");
    assert_eq!(version, account_etag(&s4, "0000000300"));
    assert_eq!(
        lena,
        Contact {
            given_name: "Lena".into(),
            surname: "Solo".into(),
            file_as: "Solo, Lena".into(),
            display_name: "Lena Solo".into(),
            emails: vec![email("lena.solo@freelance.example")],
            ..Contact::default()
        }
    );

    // A change of the partner changes the version and the contact.
    let mut p = s4
        .snapshot()
        .partners
        .into_iter()
        .find(|p| p.number == "0000000300")
        .unwrap();
    p.last_name = "Solo-Berg".into();
    s4.upsert_partner(p).unwrap();
    let (changed, lena) = contact(&crm, "300").await.unwrap();
    assert_ne!(changed, version);
    assert_eq!(changed, account_etag(&s4, "0000000300"));
    assert_eq!(
        (lena.surname.as_str(), lena.file_as.as_str()),
        ("Solo-Berg", "Solo-Berg, Lena")
    );

    // Once she works for a customer, the contact has its company.
    s4.add_relationship(NewRelationship {
        category: "BUR001".into(),
        partner1: "300".into(),
        partner2: "200".into(),
        valid_from: None,
        valid_to: None,
    })
    .unwrap();
    let (_, lena) = contact(&crm, "300").await.unwrap();
    assert_eq!(lena.company, "Customer AG");
    assert_eq!(
        lena.business_phone, "+49 170 3",
        "read from the work address now"
    );
}

#[tokio::test]
async fn organisations_are_no_contacts_and_groups_keep_their_name() {
    let s4 = fake_s4().await;
    let crm = crm(&s4);
    assert_eq!(
        contact(&crm, "200").await,
        None,
        "Customer AG is a customer"
    );
    s4.upsert_partner(Partner {
        number: "400".into(),
        category: "3".into(),
        name1: "Buying Group".into(),
        email: "buyers@group.example".into(),
        ..Partner::default()
    })
    .unwrap();
    let (_, group) = contact(&crm, "400").await.unwrap();
    assert_eq!(
        (
            group.display_name.as_str(),
            group.file_as.as_str(),
            group.given_name.as_str(),
            group.emails.clone()
        ),
        (
            "Buying Group",
            "Buying Group",
            "",
            vec![email("buyers@group.example")]
        )
    );
}
