//! Round trips through the adapter: appointments with attendee changes,
//! cut texts and attachments; tasks with a stale ETag; an expired CSRF
//! token and a refused HEAD.

use maiconnect_core::model::{Attachment, AttachmentContent, Record, S4Key};
use maiconnect_core::plan::fields::Field;
use maiconnect_core::ports::Crm;
use maiconnect_core::testing::samples;

use crate::fixture::{crm, fake_s4};

#[tokio::test]
async fn appointments_round_trip_with_attendees_cuts_and_attachments() {
    let s4 = fake_s4().await;
    let crm = crm(&s4);
    let key = S4Key::Appointment("0050568c-0000-0000-0000-00000000aaaa".parse().unwrap());
    let mut a = samples::appointment_a();
    a.attachments.clear();
    a.subject = "A very long subject that S/4HANA cannot hold in forty characters".into();
    let (created, report) = crm
        .create_activity(&key, &Record::Appointment(a.clone()), None)
        .await
        .unwrap();
    let v1 = created.version;
    assert_eq!(report.cuts.len(), 1, "{report:?}");
    let got = crm.get(&key).await.unwrap().unwrap();
    assert_eq!(got.version, v1);
    let Record::Appointment(r) = &got.record else {
        panic!()
    };
    assert_eq!(r.subject.chars().count(), 40);
    assert_eq!(r.attendees.len(), 1, "{:?}", r.attendees);
    assert_eq!(
        r.attendees[0].partner.as_ref().unwrap().as_str(),
        "0000000100"
    );
    assert!(r.when.same_time(&a.when), "{} vs {}", r.when, a.when);
    assert_eq!(r.when.zone(), a.when.zone());

    // Attendees: add Piet, drop Olga; all-day, private, high.
    let mut b = samples::appointment_b();
    b.attachments.clear();
    b.attendees.remove(0);
    let fields = [
        Field::Attendees,
        Field::When,
        Field::Private,
        Field::Importance,
        Field::Location,
        Field::Body,
    ];
    let v2 = crm
        .update(&key, &v1, &fields, &Record::Appointment(b.clone()))
        .await
        .unwrap()
        .unwrap();
    let got = crm.get(&key).await.unwrap().unwrap();
    assert_eq!(got.version, v2);
    let Record::Appointment(r) = &got.record else {
        panic!()
    };
    let partners: Vec<&str> = r
        .attendees
        .iter()
        .map(|x| x.partner.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(partners, vec!["0000000101"]);
    assert_eq!(r.when, b.when);
    assert!(r.is_private());
    assert_eq!(r.importance, b.importance);
    assert_eq!(r.location, "Berlin");
    assert_eq!(r.body, b.body);
    assert!(r.subject.starts_with("A very long"), "subject not written");

    // Attachments.
    let file = Attachment {
        name: "agenda.pdf".into(),
        content_type: "application/pdf".into(),
        size: 5,
        content: AttachmentContent::Inline(b"%PDF-".to_vec()),
    };
    let stored = crm.add_attachment(&key, &file).await.unwrap();
    assert!(
        matches!(stored.content, AttachmentContent::Reference(_)),
        "{stored:?}"
    );
    assert_eq!(
        crm.attachment_content(&key, &stored).await.unwrap(),
        b"%PDF-"
    );
    let got = crm.get(&key).await.unwrap().unwrap();
    let Record::Appointment(r) = &got.record else {
        panic!()
    };
    assert_eq!(r.attachments.len(), 1);
    assert_eq!(r.attachments[0].name, "agenda.pdf");
    crm.remove_attachment(&key, &stored).await.unwrap();
    let got = crm.get(&key).await.unwrap().unwrap();
    let Record::Appointment(r) = &got.record else {
        panic!()
    };
    assert!(r.attachments.is_empty());
    crm.delete(&key, &got.version).await.unwrap();
    assert!(crm.get(&key).await.unwrap().is_none());
}

#[tokio::test]
async fn tasks_round_trip() {
    let s4 = fake_s4().await;
    let crm = crm(&s4);
    let key = S4Key::Task("0050568c-0000-0000-0000-00000000bbbb".parse().unwrap());
    let mut t = samples::task_a();
    t.attachments.clear();
    let v1 = crm
        .create(&key, &Record::Task(t), None)
        .await
        .unwrap()
        .version;
    let mut b = samples::task_b();
    b.attachments.clear();
    let fields = [
        Field::Subject,
        Field::Body,
        Field::DueDate,
        Field::Completed,
        Field::Private,
        Field::Importance,
    ];
    crm.update(&key, &v1, &fields, &Record::Task(b.clone()))
        .await
        .unwrap();
    let got = crm.get(&key).await.unwrap().unwrap();
    let Record::Task(r) = &got.record else {
        panic!()
    };
    assert_eq!(
        (r.subject.as_str(), r.due_date, r.completed, r.importance),
        (b.subject.as_str(), b.due_date, true, b.importance)
    );
    assert!(r.is_private());
    let e = crm
        .update(&key, &v1, &fields, &Record::Task(b))
        .await
        .unwrap_err();
    assert_eq!(e.kind, maiconnect_core::ErrorKind::Conflict, "{e}");
}

#[tokio::test]
async fn expired_tokens_and_refused_head_are_handled() {
    let s4 = fake_s4().await;
    let crm = crm(&s4);
    s4.set_head_allowed(false);
    let key = S4Key::Task("0050568c-0000-0000-0000-00000000cccc".parse().unwrap());
    let mut t = samples::task_a();
    t.attachments.clear();
    let v1 = crm
        .create(&key, &Record::Task(t.clone()), None)
        .await
        .unwrap()
        .version;
    s4.expire_csrf_tokens();
    t.subject = "again".into();
    crm.update(&key, &v1, &[Field::Subject], &Record::Task(t))
        .await
        .unwrap();
    // The first token came with the read of $metadata before the create;
    // the expired one was fetched again (HEAD refused, so by GET) once.
    assert_eq!(
        crm.client()
            .token_fetches(maiconnect_odata::profile::ServiceId::Tasks),
        1
    );
}
