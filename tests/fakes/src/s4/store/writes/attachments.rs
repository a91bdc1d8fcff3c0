//! Attachments of activities: media upload with `slug`, delete.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::WriteError;
use crate::s4::store::{ActivityKind, Store, StoredAttachment, attachment_set};
use crate::s4::value::Value;

impl Store {
    /// `POST /AppointmentSet(guid'…')/Attachments` with the bytes as body.
    pub fn create_attachment(
        &mut self,
        kind: ActivityKind,
        guid: Uuid,
        file_name: &str,
        mime_type: &str,
        content: Bytes,
        now: DateTime<Utc>,
    ) -> Result<String, WriteError> {
        if !self.activities(kind).contains_key(&guid) {
            return Err(WriteError::NotFound(format!(
                "{} {guid} does not exist",
                Store::label(kind)
            )));
        }
        let set = attachment_set();
        for (name, value) in [("FileName", file_name), ("MimeType", mime_type)] {
            let max = set
                .property(name)
                .and_then(|p| p.max_len)
                .unwrap_or(usize::MAX);
            if value.chars().count() > max {
                return Err(WriteError::invalid(
                    format!(
                        "Property '{name}' is too long: {} characters, MaxLength is {max}; shorten the value",
                        value.chars().count()
                    ),
                    Some(name),
                ));
            }
        }
        if file_name.trim().is_empty() {
            return Err(WriteError::invalid(
                "Header 'slug' (the file name) is missing",
                Some("FileName"),
            ));
        }
        let size = i64::try_from(content.len()).unwrap_or(i64::MAX);
        if size > i64::from(i32::MAX) {
            return Err(WriteError::invalid(
                "The attachment is larger than Edm.Int32 FileSize allows",
                Some("FileSize"),
            ));
        }
        self.counters.document += 1;
        let id = format!(
            "{}{:010}",
            guid.simple().to_string().to_ascii_uppercase(),
            self.counters.document
        );
        let values = vec![
            Value::Text(id.clone()),
            Value::Guid(guid),
            Value::Text(file_name.to_owned()),
            Value::Text(mime_type.to_owned()),
            Value::Int(size),
        ];
        self.put_attachment(
            id.clone(),
            StoredAttachment {
                values,
                owner: kind,
                content,
            },
        );
        self.touch(kind, guid, now);
        Ok(id)
    }

    /// `DELETE /AttachmentSet('…')`.
    pub fn delete_attachment(
        &mut self,
        kind: ActivityKind,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let owner = match self.attachments.get(id) {
            Some(a) if a.owner == kind => a.values.get(1).cloned(),
            _ => None,
        };
        let Some(Value::Guid(guid)) = owner else {
            return Err(WriteError::NotFound(format!(
                "Attachment '{id}' does not exist"
            )));
        };
        self.remove_attachment(id);
        self.touch(kind, guid, now);
        Ok(())
    }
}
