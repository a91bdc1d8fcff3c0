//! The mailbox suite: runs against one existing, empty mailbox.

use chrono::{Duration, TimeZone, Utc};

use crate::error::ErrorKind;
use crate::ids::Mailbox;
use crate::model::{Attachment, AttachmentContent, Folder, Record, S4Key};
use crate::plan::fields::Field;
use crate::ports::MailboxPort;
use crate::testing::samples::{appointment_a, contact_a, task_a};

fn appointment() -> Record {
    let mut a = appointment_a();
    a.attachments.clear();
    a.transaction_type = None;
    a.owner = None;
    Record::Appointment(a)
}

fn link_key() -> S4Key {
    "BUS2000126:0050568c-2b4f-1ee8-a1b2-c3d4e5f60718"
        .parse()
        .expect("key")
}

/// Items are created, read, updated field by field and deleted.
pub async fn create_get_update_delete((port, mb): (impl MailboxPort, Mailbox)) {
    let (key, v1) = port
        .create(&mb, Folder::Calendar, &appointment(), Some(&link_key()))
        .await
        .expect("create");
    let got = port
        .get(&mb, Folder::Calendar, std::slice::from_ref(&key.item))
        .await
        .expect("get");
    let item = got
        .into_iter()
        .next()
        .expect("one")
        .expect("ok")
        .expect("exists");
    assert_eq!(item.version, v1);
    assert_eq!(item.link_key, Some(link_key()));
    let Record::Appointment(a) = &item.record else {
        panic!("kind")
    };
    assert_eq!(a.subject, "Quarterly review");
    assert_eq!(a.location, "Walldorf");
    assert!(a.when.same_time(&appointment_a().when));

    let mut b = a.clone();
    b.subject = "Moved review".into();
    b.location = "not written".into();
    let v2 = port
        .update(&mb, &key, &v1, &[Field::Subject], &Record::Appointment(b))
        .await
        .expect("update");
    assert_ne!(v2, v1);
    let item = port
        .get(&mb, Folder::Calendar, std::slice::from_ref(&key.item))
        .await
        .expect("get");
    let item = item
        .into_iter()
        .next()
        .expect("one")
        .expect("ok")
        .expect("exists");
    let Record::Appointment(c) = &item.record else {
        panic!("kind")
    };
    assert_eq!(c.subject, "Moved review");
    assert_eq!(c.location, "Walldorf", "only the listed field is written");

    for (folder, record) in [
        (
            Folder::Tasks,
            Record::Task({
                let mut t = task_a();
                t.attachments.clear();
                t
            }),
        ),
        (Folder::Contacts, Record::Contact(Box::new(contact_a()))),
    ] {
        let (k, _) = port
            .create(&mb, folder, &record, None)
            .await
            .expect("create");
        let got = port
            .get(&mb, folder, std::slice::from_ref(&k.item))
            .await
            .expect("get");
        let item = got
            .into_iter()
            .next()
            .expect("one")
            .expect("ok")
            .expect("exists");
        assert_eq!(item.record.kind(), record.kind());
        assert_eq!(item.record.summary(), record.summary());
    }

    port.delete(&mb, &key).await.expect("delete");
    let got = port
        .get(&mb, Folder::Calendar, std::slice::from_ref(&key.item))
        .await
        .expect("get");
    assert!(matches!(got.as_slice(), [Ok(None)]), "{got:?}");
    port.delete(&mb, &key)
        .await
        .expect("deleting again succeeds");
}

/// Writes with an old version fail as conflicts.
pub async fn stale_versions_conflict((port, mb): (impl MailboxPort, Mailbox)) {
    let (key, v1) = port
        .create(&mb, Folder::Calendar, &appointment(), None)
        .await
        .expect("create");
    port.update(&mb, &key, &v1, &[Field::Subject], &appointment())
        .await
        .expect("update");
    let e = port
        .update(&mb, &key, &v1, &[Field::Subject], &appointment())
        .await
        .expect_err("stale");
    assert_eq!(e.kind, ErrorKind::Conflict, "{e}");
}

/// Tags are written and found.
pub async fn tags_are_found((port, mb): (impl MailboxPort, Mailbox)) {
    let (key, v1) = port
        .create(&mb, Folder::Calendar, &appointment(), None)
        .await
        .expect("create");
    assert!(
        port.find_linked(&mb, Folder::Calendar, &link_key())
            .await
            .expect("find")
            .is_empty()
    );
    let v2 = port.tag(&mb, &key, &link_key()).await.expect("tag");
    assert_ne!(v1, v2);
    let found = port
        .find_linked(&mb, Folder::Calendar, &link_key())
        .await
        .expect("find");
    assert_eq!(
        found.iter().map(|i| i.key.clone()).collect::<Vec<_>>(),
        vec![key]
    );
}

/// Changes are listed after a cursor, deletes included.
pub async fn changes_are_listed_with_a_cursor((port, mb): (impl MailboxPort, Mailbox)) {
    let mut cursor = None;
    loop {
        let page = port
            .changes(&mb, Folder::Calendar, cursor.as_ref(), 100)
            .await
            .expect("changes");
        cursor = Some(page.cursor);
        if !page.more {
            break;
        }
    }
    let (key, _) = port
        .create(&mb, Folder::Calendar, &appointment(), None)
        .await
        .expect("create");
    let page = port
        .changes(&mb, Folder::Calendar, cursor.as_ref(), 100)
        .await
        .expect("changes");
    assert!(
        page.changes.iter().any(
            |c| matches!(c, crate::ports::MailboxChange::Upserted { id, .. } if id == &key.item)
        )
    );
    port.delete(&mb, &key).await.expect("delete");
    let page = port
        .changes(&mb, Folder::Calendar, Some(&page.cursor), 100)
        .await
        .expect("changes");
    assert!(
        page.changes
            .iter()
            .any(|c| matches!(c, crate::ports::MailboxChange::Deleted { id } if id == &key.item)),
        "{page:?}"
    );
}

/// Listing by window finds what overlaps it.
pub async fn lists_by_window((port, mb): (impl MailboxPort, Mailbox)) {
    let (key, _) = port
        .create(&mb, Folder::Calendar, &appointment(), None)
        .await
        .expect("create");
    let from = Utc
        .with_ymd_and_hms(2026, 11, 30, 0, 0, 0)
        .single()
        .expect("t");
    let hit = port
        .list(&mb, Folder::Calendar, from, from + Duration::days(3))
        .await
        .expect("list");
    assert!(hit.iter().any(|i| i.key == key));
    let miss = port
        .list(
            &mb,
            Folder::Calendar,
            from + Duration::days(10),
            from + Duration::days(20),
        )
        .await
        .expect("list");
    assert!(!miss.iter().any(|i| i.key == key));
}

/// Attachments are added, read and removed.
pub async fn attachments_round_trip((port, mb): (impl MailboxPort, Mailbox)) {
    let (key, v1) = port
        .create(&mb, Folder::Calendar, &appointment(), None)
        .await
        .expect("create");
    let file = Attachment {
        name: "offer.pdf".into(),
        content_type: "application/pdf".into(),
        size: 5,
        content: AttachmentContent::Inline(b"%PDF-".to_vec()),
    };
    let (stored, v2) = port.add_attachment(&mb, &key, &file).await.expect("add");
    assert_ne!(v1, v2);
    assert!(matches!(stored.content, AttachmentContent::Reference(_)));
    assert_eq!(
        port.attachment_content(&mb, &stored)
            .await
            .expect("content"),
        b"%PDF-".to_vec()
    );
    let item = port
        .get(&mb, Folder::Calendar, std::slice::from_ref(&key.item))
        .await
        .expect("get");
    let item = item
        .into_iter()
        .next()
        .expect("one")
        .expect("ok")
        .expect("exists");
    let Record::Appointment(a) = &item.record else {
        panic!("kind")
    };
    assert_eq!(
        a.attachments.iter().map(|a| a.key()).collect::<Vec<_>>(),
        vec![file.key()]
    );
    port.remove_attachment(&mb, &key, &stored)
        .await
        .expect("remove");
    let item = port
        .get(&mb, Folder::Calendar, std::slice::from_ref(&key.item))
        .await
        .expect("get");
    let item = item
        .into_iter()
        .next()
        .expect("one")
        .expect("ok")
        .expect("exists");
    let Record::Appointment(a) = &item.record else {
        panic!("kind")
    };
    assert!(a.attachments.is_empty());
}

/// Subscriptions are created and ended.
pub async fn subscribe_and_unsubscribe((port, mb): (impl MailboxPort, Mailbox)) {
    let s = port
        .subscribe(
            &mb,
            &[Folder::Calendar, Folder::Tasks],
            "http://127.0.0.1:9/ews/notify/x",
            5,
            None,
        )
        .await
        .expect("subscribe");
    assert!(!s.id.0.is_empty());
    port.unsubscribe(&mb, &s.id).await.expect("unsubscribe");
}
