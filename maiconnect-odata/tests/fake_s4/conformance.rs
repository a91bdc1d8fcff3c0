//! The core's CRM conformance suite against `ODataCrm` over the fake, and
//! a check that the fake's demo partners are the suite's sample world.

use maiconnect_core::model::{Record, S4Key};
use maiconnect_core::ports::Crm;
use maiconnect_core::testing::samples;

use crate::fixture::{backed, client, fake_s4};

maiconnect_core::crm_conformance!(backed());

#[tokio::test]
async fn the_fake_holds_the_sample_world() {
    let crm = backed().await;
    let world = samples::world();
    for p in &world.partners {
        let got = crm.partner(&p.number).await.unwrap();
        assert_eq!(got.as_ref(), Some(p), "partner {}", p.number);
    }
    for e in &world.employees {
        let got = crm.employee(&e.partner).await.unwrap();
        assert_eq!(got.as_ref(), Some(e), "employee {}", e.partner);
    }
    for r in &world.relationships {
        let got = crm.relationships(&r.from).await.unwrap();
        assert!(
            got.iter()
                .any(|g| (&g.kind, &g.from, &g.to) == (&r.kind, &r.from, &r.to)),
            "{} {} → {} missing in {got:?}",
            r.kind,
            r.from,
            r.to
        );
    }
    // The fake has more detail than the samples (titles, phones); the names,
    // the company and the e-mail are what both hold.
    for (bp, want) in &world.contacts {
        let item = crm
            .get(&S4Key::Contact(*bp))
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("contact {bp} missing"));
        let Record::Contact(c) = item.record else {
            panic!("contact {bp} read as {:?}", item.record)
        };
        assert_eq!(
            (
                &c.given_name,
                &c.surname,
                &c.display_name,
                &c.file_as,
                &c.company,
                &c.emails
            ),
            (
                &want.given_name,
                &want.surname,
                &want.display_name,
                &want.file_as,
                &want.company,
                &want.emails
            ),
            "contact {bp}"
        );
    }
}

#[tokio::test]
async fn the_check_passes_against_the_fake() {
    let s4 = fake_s4().await;
    let report = maiconnect_odata::check_services(&client(&s4)).await;
    assert!(report.is_ok(), "{report}");
    assert_eq!(report.services.len(), 6);
}
