//! Attachments: `AttachmentSet` media entities of an activity.

use maiconnect_core::model::{Attachment, AttachmentContent, S4Key};

use crate::client::{Method, Request};
use crate::crm::ODataCrm;
use crate::error::ODataError;
use crate::mapping::appointment::{self as appt_map, AttachmentWire};
use crate::mapping::task as task_map;
use crate::profile::{ATTACHMENT_SET, ServiceId};
use crate::wire::json::parse_entity;
use crate::wire::literal::Literal;
use crate::wire::query::{encode_value, entity_path};

fn service_of(key: &S4Key) -> Result<(ServiceId, String), ODataError> {
    match key {
        S4Key::Appointment(id) => Ok((ServiceId::Appointments, appt_map::object(*id))),
        S4Key::Task(id) => Ok((ServiceId::Tasks, task_map::object(*id))),
        S4Key::Contact(p) => Err(ODataError::Invalid(format!(
            "contact {p} has no attachments in the profile"
        ))),
    }
}

impl ODataCrm {
    /// The S/4 document of `a` on `key`: its reference, or the stored
    /// attachment with the same name and size.
    async fn document_id(&self, key: &S4Key, a: &Attachment) -> Result<Option<String>, ODataError> {
        if let AttachmentContent::Reference(r) = &a.content {
            return Ok(Some(r.clone()));
        }
        let stored = match self.read(key).await? {
            Some(item) => match item.record {
                maiconnect_core::model::Record::Appointment(x) => x.attachments,
                maiconnect_core::model::Record::Task(x) => x.attachments,
                maiconnect_core::model::Record::Contact(_) => Vec::new(),
            },
            None => Vec::new(),
        };
        Ok(stored
            .into_iter()
            .find(|s| s.key() == a.key())
            .and_then(|s| match s.content {
                AttachmentContent::Reference(r) => Some(r),
                AttachmentContent::Inline(_) => None,
            }))
    }

    pub(super) async fn download(
        &self,
        key: &S4Key,
        a: &Attachment,
    ) -> Result<Vec<u8>, ODataError> {
        if let AttachmentContent::Inline(bytes) = &a.content {
            return Ok(bytes.clone());
        }
        let (service, object) = service_of(key)?;
        let doc = self.document_id(key, a).await?.unwrap_or_default();
        let path = format!(
            "{}/$value",
            entity_path(ATTACHMENT_SET, &Literal::string(doc))
        );
        let req = Request::new(Method::Get, path).header("Accept", "*/*");
        let r = match self.client.send(service, &req).await {
            Ok(r) => r,
            Err(e) => {
                return Err(match self.client.placed(service, e).await {
                    e if e.kind() == maiconnect_core::ErrorKind::NotFound => {
                        ODataError::gone(&format!("attachment {} of {object}", a.name))
                    }
                    e => e,
                });
            }
        };
        Ok(r.body)
    }

    pub(super) async fn upload(
        &self,
        key: &S4Key,
        a: &Attachment,
    ) -> Result<Attachment, ODataError> {
        let (service, object) = service_of(key)?;
        let AttachmentContent::Inline(bytes) = &a.content else {
            return Err(ODataError::Invalid(format!(
                "attachment {} for {object} has no content; read it from the mailbox first",
                a.name
            )));
        };
        let content_type = if a.content_type.is_empty() {
            "application/octet-stream"
        } else {
            &a.content_type
        };
        let nav = match key {
            S4Key::Task(_) => self.profile().tasks.attachments,
            _ => self.profile().appointments.attachments,
        };
        let mut req = Request::new(Method::Post, format!("{object}/{nav}"))
            .header("Content-Type", content_type)
            .header("slug", &encode_value(&a.name));
        req.body = Some(bytes.clone());
        let r = self.client.send(service, &req).await?;
        let w: AttachmentWire<'_> = parse_entity(&r.body, &req.context())?;
        let mut stored = w.to_model();
        if stored.name.is_empty() {
            stored.name.clone_from(&a.name);
        }
        if stored.size == 0 {
            stored.size = bytes.len() as u64;
        }
        if stored.content_type.is_empty() {
            stored.content_type = content_type.to_owned();
        }
        Ok(stored)
    }

    pub(super) async fn remove(&self, key: &S4Key, a: &Attachment) -> Result<(), ODataError> {
        let (service, _) = service_of(key)?;
        let Some(doc) = self.document_id(key, a).await? else {
            return Ok(());
        };
        let req = Request::new(
            Method::Delete,
            entity_path(ATTACHMENT_SET, &Literal::string(doc)),
        );
        match self.client.send(service, &req).await {
            Ok(_) => Ok(()),
            Err(e) => match self.client.placed(service, e).await {
                // Gone already: what was asked for.
                e if e.kind() == maiconnect_core::ErrorKind::NotFound => Ok(()),
                e => Err(e),
            },
        }
    }
}
