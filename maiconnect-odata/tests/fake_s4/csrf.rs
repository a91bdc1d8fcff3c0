//! `ODataClient::fetch_csrf_token` (the hub's `check`): HEAD, the GET
//! fallback, the token kept for writes, and failures that say what to do.

use maiconnect_core::ErrorKind;
use maiconnect_core::model::{Record, S4Key};
use maiconnect_core::ports::Crm;
use maiconnect_core::testing::samples;
use maiconnect_fakes::s4::{ServiceId as FakeService, User};
use maiconnect_odata::client::Method;
use maiconnect_odata::profile::ServiceId;
use maiconnect_odata::{MappingConfig, ODataCrm};

use crate::fixture::{client, client_as, fake_s4};

#[tokio::test]
async fn a_token_is_fetched_with_head_and_kept_for_the_next_write() {
    let s4 = fake_s4().await;
    let c = client(&s4);
    let got = c.fetch_csrf_token(ServiceId::Appointments).await.unwrap();
    assert!(got.issued(), "{got}");
    assert_eq!(
        (got.service, got.via),
        (ServiceId::Appointments, Method::Head)
    );
    assert_eq!(
        got.to_string(),
        "/NAG/CRM_APPOINTMENT_SRV_01 issued a token (HEAD)"
    );
    assert!(
        !format!("{got:?}").contains("token:"),
        "the token stays hidden: {got:?}"
    );

    // The write uses the fetched token and its session: no second fetch.
    let crm = ODataCrm::new(c.clone(), MappingConfig::default());
    let key = S4Key::Appointment("0050568c-0000-0000-0000-00000000dddd".parse().unwrap());
    let mut a = samples::appointment_a();
    a.attachments.clear();
    crm.create(&key, &Record::Appointment(a), None)
        .await
        .unwrap();
    assert_eq!(c.token_fetches(ServiceId::Appointments), 1);
}

#[tokio::test]
async fn a_refused_head_falls_back_to_get() {
    let s4 = fake_s4().await;
    s4.set_head_allowed(false);
    let got = client(&s4)
        .fetch_csrf_token(ServiceId::Tasks)
        .await
        .unwrap();
    assert!(got.issued());
    assert_eq!(got.via, Method::Get);
    assert!(got.to_string().contains("HEAD was refused"), "{got}");
}

#[tokio::test]
async fn a_user_without_the_role_is_told_which_role_to_assign() {
    let s4 = fake_s4().await;
    s4.upsert_user(User {
        name: "HUB2".into(),
        password: "pw".into(),
        services: Some(vec![FakeService::Tasks]),
    });
    let c = client_as(&s4, "HUB2", "pw");
    let e = c
        .fetch_csrf_token(ServiceId::Appointments)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
    let text = e.to_string();
    for part in [
        "fetching a CSRF token of /NAG/CRM_APPOINTMENT_SRV_01",
        "HTTP 403",
        "/NAG/SAP_MAICONNECT",
    ] {
        assert!(text.contains(part), "{part:?} missing in: {text}");
    }
    // The role covers the other service.
    assert!(c.fetch_csrf_token(ServiceId::Tasks).await.unwrap().issued());
}

#[tokio::test]
async fn wrong_credentials_and_inactive_services_name_their_fix() {
    let s4 = fake_s4().await;
    let e = client_as(&s4, "MAICONNECT", "wrong")
        .fetch_csrf_token(ServiceId::Appointments)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthenticated, "{e}");
    assert!(e.to_string().contains("password"), "{e}");

    s4.set_service_active(FakeService::Appointments, false);
    let e = client(&s4)
        .fetch_csrf_token(ServiceId::Appointments)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Misconfigured, "{e}");
    assert!(e.to_string().contains("/IWFND/MAINT_SERVICE"), "{e}");
}
