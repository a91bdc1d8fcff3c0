//! Copying attachments between the sides: each file is read from the side
//! that holds it and written to the other, one at a time.

use crate::error::PortError;
use crate::exec::Executor;
use crate::ids::{Mailbox, Version};
use crate::model::{Attachment, AttachmentContent, ExchangeKey, Record, S4Key};

fn list_mut(record: &mut Record) -> Option<&mut Vec<Attachment>> {
    match record {
        Record::Appointment(a) => Some(&mut a.attachments),
        Record::Task(t) => Some(&mut t.attachments),
        Record::Contact(_) => None,
    }
}

fn list(record: &Record) -> &[Attachment] {
    match record {
        Record::Appointment(a) => &a.attachments,
        Record::Task(t) => &t.attachments,
        Record::Contact(_) => &[],
    }
}

/// Removes the attachments from a record (they are written one by one).
pub(super) fn strip(record: &mut Record) {
    if let Some(l) = list_mut(record) {
        l.clear();
    }
}

fn inline(a: &Attachment, bytes: Vec<u8>) -> Attachment {
    Attachment {
        content: AttachmentContent::Inline(bytes),
        ..a.clone()
    }
}

/// After creating an item in Exchange: copies the S/4 object's attachments.
pub(super) async fn copy_to_exchange(
    ex: &Executor<'_>,
    mailbox: &Mailbox,
    s4: &S4Key,
    key: &ExchangeKey,
    written: &mut Record,
    mut version: Version,
) -> Result<Version, PortError> {
    let wanted: Vec<Attachment> = list(written).to_vec();
    let mut stored = Vec::with_capacity(wanted.len());
    for a in &wanted {
        let bytes = ex.crm.attachment_content(s4, a).await?;
        let (added, v) = ex
            .mailboxes
            .add_attachment(mailbox, key, &inline(a, bytes))
            .await?;
        stored.push(added);
        version = v;
    }
    if let Some(l) = list_mut(written) {
        *l = stored;
    }
    Ok(version)
}

/// After creating an activity in S/4HANA: copies the Outlook item's
/// attachments.
pub(super) async fn copy_to_s4(
    ex: &Executor<'_>,
    mailbox: &Mailbox,
    key: &S4Key,
    written: &mut Record,
) -> Result<(), PortError> {
    let wanted: Vec<Attachment> = list(written).to_vec();
    let mut stored = Vec::with_capacity(wanted.len());
    for a in &wanted {
        let bytes = ex.mailboxes.attachment_content(mailbox, a).await?;
        stored.push(ex.crm.add_attachment(key, &inline(a, bytes)).await?);
    }
    if let Some(l) = list_mut(written) {
        *l = stored;
    }
    Ok(())
}

/// Splits the target list into what to remove from `before` and what to add.
fn diff(before: &[Attachment], target: &[Attachment]) -> (Vec<Attachment>, Vec<Attachment>) {
    let removed = before
        .iter()
        .filter(|b| !target.iter().any(|t| t.key() == b.key()))
        .cloned()
        .collect();
    let added = target
        .iter()
        .filter(|t| !before.iter().any(|b| b.key() == t.key()))
        .cloned()
        .collect();
    (removed, added)
}

/// Brings the mailbox item's attachments to the target list: new ones are
/// read from S/4HANA.
pub(super) async fn sync_to_exchange(
    ex: &Executor<'_>,
    mailbox: &Mailbox,
    s4: &S4Key,
    key: &ExchangeKey,
    before: &Record,
    written: &mut Record,
    mut version: Version,
) -> Result<Version, PortError> {
    let (removed, added) = diff(list(before), list(written));
    for a in &removed {
        version = ex.mailboxes.remove_attachment(mailbox, key, a).await?;
    }
    let mut result: Vec<Attachment> = list(before)
        .iter()
        .filter(|b| !removed.iter().any(|r| r.key() == b.key()))
        .cloned()
        .collect();
    for a in &added {
        let bytes = ex.crm.attachment_content(s4, a).await?;
        let (stored, v) = ex
            .mailboxes
            .add_attachment(mailbox, key, &inline(a, bytes))
            .await?;
        result.push(stored);
        version = v;
    }
    if let Some(l) = list_mut(written) {
        *l = result;
    }
    Ok(version)
}

/// Brings the S/4 activity's attachments to the target list: new ones are
/// read from the mailbox.
pub(super) async fn sync_to_s4(
    ex: &Executor<'_>,
    mailbox: &Mailbox,
    key: &S4Key,
    before: &Record,
    written: &mut Record,
) -> Result<(), PortError> {
    let (removed, added) = diff(list(before), list(written));
    for a in &removed {
        ex.crm.remove_attachment(key, a).await?;
    }
    let mut result: Vec<Attachment> = list(before)
        .iter()
        .filter(|b| !removed.iter().any(|r| r.key() == b.key()))
        .cloned()
        .collect();
    for a in &added {
        let bytes = ex.mailboxes.attachment_content(mailbox, a).await?;
        result.push(ex.crm.add_attachment(key, &inline(a, bytes)).await?);
    }
    if let Some(l) = list_mut(written) {
        *l = result;
    }
    Ok(())
}
