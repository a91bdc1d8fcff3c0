//! Contacts: the trigger relationship (BUR011) to a customer brings all its
//! contact persons (BUR001), to a person brings that person; ending a
//! relationship takes them out again.

use chrono::NaiveDate;
use maiconnect_fakes::s4::{NewRelationship, Partner};
use serde_json::Value;

use crate::harness::{ANNA, BEN, CLARA, Env};

/// "Given Surname" of every contact in a mailbox, sorted.
fn names(env: &Env, mailbox: &str) -> Vec<String> {
    let mut v: Vec<String> = env
        .items(mailbox, "contacts")
        .iter()
        .map(|c| {
            let p = &c["props"];
            format!(
                "{} {}",
                p["GivenName"].as_str().unwrap_or_default(),
                p["Surname"].as_str().unwrap_or_default()
            )
        })
        .collect();
    v.sort();
    v
}

fn contact<'a>(contacts: &'a [Value], surname: &str) -> &'a Value {
    contacts
        .iter()
        .find(|c| c["props"]["Surname"] == surname)
        .unwrap_or_else(|| panic!("no contact {surname} in {contacts:#?}"))
}

async fn wait_names(env: &Env, mailbox: &str, want: &[&str]) {
    let what = format!("the contacts {want:?} in {mailbox}");
    env.wait(&what, || (names(env, mailbox) == want).then_some(()))
        .await;
}

/// The number of the valid relationship of `category` between the two.
fn relationship(env: &Env, category: &str, p1: &str, p2: &str) -> String {
    let (p1, p2) = (format!("{p1:0>10}"), format!("{p2:0>10}"));
    env.world
        .s4
        .snapshot()
        .relationships
        .into_iter()
        .find(|r| r.category == category && r.partner1 == p1 && r.partner2 == p2)
        .unwrap_or_else(|| panic!("no {category} {p1} → {p2}"))
        .number
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_brings_its_contact_persons_until_the_relationship_ends() {
    let env = Env::start().await;
    // Anna looks after customer 200 (Olga Meyer and Piet Jansen work
    // there); Ben looks after Lena Solo directly; Clara has no one.
    wait_names(&env, ANNA, &["Olga Meyer", "Piet Jansen"]).await;
    wait_names(&env, BEN, &["Lena Solo"]).await;
    env.quiet().await;
    assert!(names(&env, CLARA).is_empty());
    let contacts = env.items(ANNA, "contacts");
    let olga = contact(&contacts, "Meyer");
    assert_eq!(olga["props"]["CompanyName"], "Customer AG");
    assert_eq!(olga["props"]["JobTitle"], "Head of Purchasing");

    // A change of the person reaches the contact; a change of the
    // customer's name reaches the company of all its contact persons.
    let s4 = &env.world.s4;
    let mut p = s4
        .snapshot()
        .partners
        .into_iter()
        .find(|p| p.number == "0000000100")
        .unwrap();
    p.function = "Chief Buyer".into();
    s4.upsert_partner(p).unwrap();
    let mut c = s4
        .snapshot()
        .partners
        .into_iter()
        .find(|p| p.number == "0000000200")
        .unwrap();
    c.name1 = "Customer SE".into();
    s4.upsert_partner(c).unwrap();
    env.wait("the changes on Anna's contacts", || {
        let contacts = env.items(ANNA, "contacts");
        let companies: Vec<_> = contacts
            .iter()
            .map(|c| c["props"]["CompanyName"].clone())
            .collect();
        (contact(&contacts, "Meyer")["props"]["JobTitle"] == "Chief Buyer"
            && companies.iter().all(|c| c == "Customer SE"))
        .then_some(())
    })
    .await;

    // The customer is no longer Anna's.
    let number = relationship(&env, "BUR011", "200", "4711");
    s4.end_relationship(&number, None).unwrap();
    wait_names(&env, ANNA, &[]).await;
    env.quiet().await;
    assert_eq!(names(&env, BEN), ["Lena Solo"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_brings_only_that_person_and_leaving_a_customer_removes_them() {
    let env = Env::start().await;
    wait_names(&env, ANNA, &["Olga Meyer", "Piet Jansen"]).await;
    env.quiet().await;
    let s4 = &env.world.s4;

    // Anna starts looking after Lena Solo directly (BUR011 to a person).
    s4.add_relationship(NewRelationship {
        category: "BUR011".into(),
        partner1: "300".into(),
        partner2: "4711".into(),
        valid_from: NaiveDate::from_ymd_opt(2020, 1, 1),
        valid_to: None,
    })
    .unwrap();
    wait_names(&env, ANNA, &["Lena Solo", "Olga Meyer", "Piet Jansen"]).await;

    // Piet leaves the customer (BUR001 ends): he leaves Anna's contacts.
    let number = relationship(&env, "BUR001", "101", "200");
    s4.end_relationship(&number, None).unwrap();
    wait_names(&env, ANNA, &["Lena Solo", "Olga Meyer"]).await;

    // A new contact person at the customer arrives.
    s4.upsert_partner(Partner {
        number: "102".into(),
        category: "1".into(),
        first_name: "Rita".into(),
        last_name: "Novak".into(),
        email: "rita.novak@customer.example".into(),
        ..Partner::default()
    })
    .unwrap();
    s4.add_relationship(NewRelationship {
        category: "BUR001".into(),
        partner1: "102".into(),
        partner2: "200".into(),
        valid_from: NaiveDate::from_ymd_opt(2020, 1, 1),
        valid_to: None,
    })
    .unwrap();
    wait_names(&env, ANNA, &["Lena Solo", "Olga Meyer", "Rita Novak"]).await;
    env.quiet().await;
    assert_eq!(names(&env, ANNA), ["Lena Solo", "Olga Meyer", "Rita Novak"]);
    assert_eq!(names(&env, BEN), ["Lena Solo"]);
    assert!(names(&env, CLARA).is_empty());
}
