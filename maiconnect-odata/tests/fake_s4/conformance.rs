//! The core's CRM conformance suite against `ODataCrm` over the fake, and
//! a check that the fake's demo partners are the suite's sample world.

use maiconnect_core::model::{Record, S4Key};
use maiconnect_core::ports::Crm;
use maiconnect_core::testing::samples;

use crate::fixture::{Backed, backed, backed_with, client, fake_s4, mode};

maiconnect_core::crm_conformance!(backed());

/// The suite, and the sample world, against the fake in one mode.
macro_rules! in_mode {
    ($($module:ident => $name:literal),* $(,)?) => {
        $(
            mod $module {
                use super::*;
                maiconnect_core::crm_conformance!(backed_with(mode($name)));
                #[tokio::test]
                async fn the_fake_holds_the_sample_world() {
                    holds_the_sample_world(backed_with(mode($name)).await).await;
                }
            }
        )*
        /// Every mode of the fake is run here.
        #[test]
        fn every_mode_is_run() {
            let run = [$($name),*];
            for (name, _) in maiconnect_fakes::s4::Quirks::each() {
                assert!(run.contains(&name), "mode {name} is not run");
            }
        }
    };
}

in_mode! {
    server_keys => "server_keys",
    internal_origin => "internal_origin",
    delete_gone_412 => "delete_gone_412",
    duplicate_as_database_error => "duplicate_as_database_error",
    update_returns_entity => "update_returns_entity",
    message_objects => "message_objects",
    plain_text_errors => "plain_text_errors",
    html_errors => "html_errors",
    csrf_off => "csrf_off",
    standard => "standard",
    standard_server_keys => "standard+server_keys",
    standard_html_errors => "standard+html_errors",
    standard_internal_origin => "standard+internal_origin",
}

#[tokio::test]
async fn the_fake_holds_the_sample_world() {
    holds_the_sample_world(backed().await).await;
}

async fn holds_the_sample_world(crm: Backed) {
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
