//! Partner functions and attendees: S/4 partners become Outlook attendees,
//! and attendees added in Outlook become partners through the partner
//! search.

use maiconnect_core::model::PartnerFunction;
use maiconnect_fakes::exchange::control::spec::{AttendeeSpec, ItemSpec};
use maiconnect_fakes::s4::ActivityKind;
use serde_json::{Value, json};

use crate::harness::{ANNA, BEN, Env, Setup, at, iso, text};

/// The attendees' e-mail addresses as the Outlook item's XML holds them.
fn attendee_emails(item: &Value) -> Vec<String> {
    let xml = text(item, "xml");
    let mut out = Vec::new();
    for section in ["RequiredAttendees", "OptionalAttendees"] {
        let open = format!("<t:{section}>");
        let close = format!("</t:{section}>");
        if let (Some(a), Some(b)) = (xml.find(&open), xml.find(&close)) {
            let mut rest = &xml[a..b];
            while let Some(i) = rest.find("<t:EmailAddress>") {
                rest = &rest[i + "<t:EmailAddress>".len()..];
                let end = rest.find('<').unwrap_or(rest.len());
                out.push(rest[..end].to_owned());
            }
        }
    }
    out.sort();
    out
}

/// (partner, function) of an S/4 appointment's attendees, sorted.
fn s4_attendees(a: &Value) -> Vec<(String, String)> {
    let mut v: Vec<_> = a["Attendee"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|x| {
            (
                text(x, "PartnerNo").to_owned(),
                text(x, "Function").to_owned(),
            )
        })
        .collect();
    v.sort();
    v
}

fn pair(p: &str, f: &str) -> (String, String) {
    (p.to_owned(), f.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contact_persons_become_attendees_and_attendees_become_partners() {
    let env = Env::start().await;
    env.quiet().await;
    env.world
        .s4
        .create_appointment(json!({
            "Description": "Price round", "TransactionType": "ZMAI", "Responsible": "4711",
            "FromDate": iso(at(5, 9)), "ToDate": iso(at(5, 10)),
            "Attendee": [{"PartnerNo": "100", "Function": "00000015"}]
        }))
        .unwrap();
    let item = env
        .wait_items(ANNA, "calendar", "Price round", 1)
        .await
        .remove(0);
    assert_eq!(attendee_emails(&item), ["olga.meyer@customer.example"]);

    // Anna invites Piet (a contact person), Ben (an employee) and someone
    // S/4HANA does not know.
    let attendees = [
        "olga.meyer@customer.example",
        "piet.jansen@customer.example",
        BEN,
        "nobody@elsewhere.example",
    ]
    .iter()
    .map(|e| AttendeeSpec {
        email: (*e).into(),
        ..AttendeeSpec::default()
    })
    .collect();
    env.outlook_update(
        ANNA,
        text(&item, "id"),
        &ItemSpec {
            attendees: Some(attendees),
            ..ItemSpec::default()
        },
    );
    let want = vec![
        pair("0000000100", "00000015"),
        pair("0000000101", "00000015"),
        pair("0000004712", "00000032"),
    ];
    env.wait("the new attendees as partners in S/4HANA", || {
        let a = env
            .s4_titled(ActivityKind::Appointment, "Price round")
            .pop()?;
        (s4_attendees(&a) == want).then_some(())
    })
    .await;
    // Ben takes part now: the appointment reaches his calendar too.
    env.wait_items(BEN, "calendar", "Price round", 1).await;
    env.quiet().await;
    let a = env
        .s4_titled(ActivityKind::Appointment, "Price round")
        .remove(0);
    assert_eq!(s4_attendees(&a), want);
    // The unknown address stays in Outlook only.
    let item = env.items_titled(ANNA, "calendar", "Price round").remove(0);
    assert!(attendee_emails(&item).contains(&"nobody@elsewhere.example".to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_partner_function_from_the_policy_is_used_both_ways() {
    let env = Env::with(Setup::config(|c| {
        c.policy.appointments.partner_functions.contact_person =
            "ZCONTACT".parse::<PartnerFunction>().unwrap();
    }))
    .await;
    env.quiet().await;
    env.world
        .s4
        .create_appointment(json!({
            "Description": "Site visit", "TransactionType": "ZMAI", "Responsible": "4711",
            "FromDate": iso(at(5, 9)), "ToDate": iso(at(5, 10)),
            "Attendee": [{"PartnerNo": "100", "Function": "ZCONTACT"}]
        }))
        .unwrap();
    let item = env
        .wait_items(ANNA, "calendar", "Site visit", 1)
        .await
        .remove(0);
    assert_eq!(attendee_emails(&item), ["olga.meyer@customer.example"]);

    let attendees = [
        "olga.meyer@customer.example",
        "piet.jansen@customer.example",
    ]
    .iter()
    .map(|e| AttendeeSpec {
        email: (*e).into(),
        ..AttendeeSpec::default()
    })
    .collect();
    env.outlook_update(
        ANNA,
        text(&item, "id"),
        &ItemSpec {
            attendees: Some(attendees),
            ..ItemSpec::default()
        },
    );
    let want = vec![
        pair("0000000100", "ZCONTACT"),
        pair("0000000101", "ZCONTACT"),
    ];
    env.wait("Piet as a partner with the custom function", || {
        let a = env
            .s4_titled(ActivityKind::Appointment, "Site visit")
            .pop()?;
        (s4_attendees(&a) == want).then_some(())
    })
    .await;
    env.quiet().await;
    let a = env
        .s4_titled(ActivityKind::Appointment, "Site visit")
        .remove(0);
    assert_eq!(s4_attendees(&a), want);
}
