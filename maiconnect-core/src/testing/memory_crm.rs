//! An in-memory S/4HANA that behaves like the real one where it matters:
//! ETags change on every write, a stale ETag is a conflict, a repeated create
//! is "already exists".

use std::collections::BTreeMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::{ErrorKind, PortError};
use crate::ids::{EmailAddress, PartnerNo, Version};
use crate::model::*;
use crate::plan::fields::{Field, SyncRecord};
use crate::plan::state::S4Item;
use crate::ports::{Capabilities, Created, Crm};
use crate::testing::faults::{Faults, Strike};
use crate::testing::samples::World;

#[derive(Debug, Default)]
struct Inner {
    objects: BTreeMap<S4Key, (Version, Record)>,
    origins: BTreeMap<S4Key, ExchangeKey>,
    partners: BTreeMap<PartnerNo, BusinessPartner>,
    relationships: Vec<Relationship>,
    employees: BTreeMap<PartnerNo, Employee>,
    files: BTreeMap<String, Vec<u8>>,
    next: u64,
}

impl Inner {
    fn version(&mut self) -> Version {
        self.next += 1;
        format!("W/\"{}\"", self.next).parse().expect("version")
    }
}

/// In-memory S/4HANA.
#[derive(Debug, Default)]
pub struct MemoryCrm {
    inner: Mutex<Inner>,
    /// Faults for the next writes.
    pub faults: Faults,
}

impl MemoryCrm {
    /// An empty S/4HANA.
    pub fn new() -> MemoryCrm {
        MemoryCrm::default()
    }

    /// An S/4HANA holding `world`'s partners, relationships, employees and
    /// contact persons.
    pub fn with_world(world: &World) -> MemoryCrm {
        let crm = MemoryCrm::new();
        {
            let mut i = crm.lock();
            for p in &world.partners {
                i.partners.insert(p.number, p.clone());
            }
            i.relationships = world.relationships.clone();
            for e in &world.employees {
                i.employees.insert(e.partner, e.clone());
            }
            for (p, c) in &world.contacts {
                let v = i.version();
                i.objects.insert(
                    S4Key::Contact(*p),
                    (v, Record::Contact(Box::new(c.clone()))),
                );
            }
        }
        crm
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Puts an object as SAP GUI would (no port call, no fault). Attachments
    /// given by reference get content of their declared size.
    pub fn put(&self, key: S4Key, record: Record) -> Version {
        let mut i = self.lock();
        let files: &[Attachment] = match &record {
            Record::Appointment(a) => &a.attachments,
            Record::Task(t) => &t.attachments,
            Record::Contact(_) => &[],
        };
        let refs: Vec<(String, u64)> = files
            .iter()
            .filter_map(|a| match &a.content {
                AttachmentContent::Reference(r) => Some((r.clone(), a.size)),
                AttachmentContent::Inline(_) => None,
            })
            .collect();
        for (r, size) in refs {
            i.files
                .entry(r)
                .or_insert_with(|| vec![b'x'; size as usize]);
        }
        let v = i.version();
        i.objects.insert(key, (v.clone(), record));
        v
    }

    /// Removes an object as SAP GUI would.
    pub fn remove(&self, key: &S4Key) {
        self.lock().objects.remove(key);
    }

    /// Ends or adds relationships as SAP GUI would.
    pub fn set_relationships(&self, r: Vec<Relationship>) {
        self.lock().relationships = r;
    }

    /// Every object, for assertions.
    pub fn objects(&self) -> BTreeMap<S4Key, Record> {
        self.lock()
            .objects
            .iter()
            .map(|(k, (_, r))| (k.clone(), r.clone()))
            .collect()
    }

    /// One object as the port would read it (no port call).
    pub fn get_item(&self, key: &S4Key) -> Option<S4Item> {
        self.lock().objects.get(key).map(|(v, r)| S4Item {
            key: key.clone(),
            version: v.clone(),
            record: r.clone(),
            changed_at: None,
        })
    }

    /// The Outlook item an activity was created from.
    pub fn origin(&self, key: &S4Key) -> Option<ExchangeKey> {
        self.lock().origins.get(key).cloned()
    }

    fn write<T>(&self, f: impl FnOnce(&mut Inner) -> Result<T, PortError>) -> Result<T, PortError> {
        match self.faults.on_write() {
            Strike::Before(e) => Err(e),
            Strike::After(e) => {
                f(&mut self.lock())?;
                Err(e)
            }
            Strike::None => f(&mut self.lock()),
        }
    }
}

fn overlaps(record: &Record, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
    match record {
        Record::Appointment(a) => a.when.overlaps(from, to, Zone::UTC),
        Record::Task(t) => t
            .due_date
            .is_none_or(|d| When::all_day(d, 1).overlaps(from, to, Zone::UTC)),
        Record::Contact(_) => false,
    }
}

fn involves(record: &Record, employee: &PartnerNo) -> bool {
    match record {
        Record::Appointment(a) => a.involves(employee),
        Record::Task(t) => t.owner.as_ref() == Some(employee),
        Record::Contact(_) => false,
    }
}

fn apply_fields(current: &mut Record, fields: &[Field], new: &Record) -> Result<(), PortError> {
    match (current, new) {
        (Record::Appointment(c), Record::Appointment(n)) => {
            fields.iter().for_each(|f| c.copy_field(n, *f))
        }
        (Record::Task(c), Record::Task(n)) => fields.iter().for_each(|f| c.copy_field(n, *f)),
        (Record::Contact(c), Record::Contact(n)) => fields.iter().for_each(|f| c.copy_field(n, *f)),
        _ => return Err(PortError::new(ErrorKind::Invalid, "record of another kind")),
    }
    Ok(())
}

fn attachments_mut(r: &mut Record) -> Option<&mut Vec<Attachment>> {
    match r {
        Record::Appointment(a) => Some(&mut a.attachments),
        Record::Task(t) => Some(&mut t.attachments),
        Record::Contact(_) => None,
    }
}

#[async_trait]
impl Crm for MemoryCrm {
    async fn get(&self, key: &S4Key) -> Result<Option<S4Item>, PortError> {
        Ok(self.lock().objects.get(key).map(|(v, r)| S4Item {
            key: key.clone(),
            version: v.clone(),
            record: r.clone(),
            changed_at: None,
        }))
    }

    async fn list_activities(
        &self,
        kind: ObjectKind,
        employee: &PartnerNo,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<S4Item>, PortError> {
        Ok(self
            .lock()
            .objects
            .iter()
            .filter(|(k, (_, r))| {
                k.kind() == kind && involves(r, employee) && overlaps(r, from, to)
            })
            .map(|(k, (v, r))| S4Item {
                key: k.clone(),
                version: v.clone(),
                record: r.clone(),
                changed_at: None,
            })
            .collect())
    }

    async fn create<'a>(
        &self,
        key: &S4Key,
        record: &Record,
        origin: Option<&'a ExchangeKey>,
    ) -> Result<Created, PortError> {
        if key.kind() != record.kind() || key.kind() == ObjectKind::Contact {
            return Err(PortError::new(
                ErrorKind::Invalid,
                format!("cannot create {key} from a {}", record.kind()),
            ));
        }
        self.write(|i| {
            if i.objects.contains_key(key) {
                return Err(PortError::new(
                    ErrorKind::AlreadyExists,
                    format!("{key} exists already"),
                ));
            }
            let v = i.version();
            let mut r = record.clone();
            if let Some(list) = attachments_mut(&mut r) {
                list.clear();
            }
            i.objects.insert(key.clone(), (v.clone(), r));
            if let Some(o) = origin {
                i.origins.insert(key.clone(), o.clone());
            }
            Ok(Created {
                key: key.clone(),
                version: v,
            })
        })
    }

    async fn capabilities(&self, _kind: ObjectKind) -> Capabilities {
        Capabilities {
            change_timestamp: false,
            records_origin: true,
            keeps_sent_keys: true,
        }
    }

    async fn update(
        &self,
        key: &S4Key,
        version: &Version,
        fields: &[Field],
        record: &Record,
    ) -> Result<Option<Version>, PortError> {
        self.write(|i| {
            let next = i.version();
            let (v, current) = i
                .objects
                .get_mut(key)
                .ok_or_else(|| PortError::not_found(format!("{key} does not exist")))?;
            if v != version {
                return Err(PortError::new(
                    ErrorKind::Conflict,
                    format!("{key} changed since it was read (412)"),
                ));
            }
            apply_fields(current, fields, record)?;
            *v = next.clone();
            Ok(Some(next))
        })
    }

    async fn delete(&self, key: &S4Key, version: &Version) -> Result<(), PortError> {
        self.write(|i| match i.objects.get(key) {
            None => Ok(()),
            Some((v, _)) if v != version => Err(PortError::new(
                ErrorKind::Conflict,
                format!("{key} changed since it was read (412)"),
            )),
            Some(_) => {
                i.objects.remove(key);
                Ok(())
            }
        })
    }

    async fn relationships(&self, partner: &PartnerNo) -> Result<Vec<Relationship>, PortError> {
        Ok(self
            .lock()
            .relationships
            .iter()
            .filter(|r| r.involves(partner))
            .cloned()
            .collect())
    }

    async fn partner(&self, partner: &PartnerNo) -> Result<Option<BusinessPartner>, PortError> {
        Ok(self.lock().partners.get(partner).cloned())
    }

    async fn find_partner_by_email(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<BusinessPartner>, PortError> {
        let i = self.lock();
        let mut hits: Vec<&BusinessPartner> = i
            .partners
            .values()
            .filter(|p| p.email.as_ref() == Some(email))
            .collect();
        hits.sort_by_key(|p| !p.is_employee);
        Ok(hits.first().map(|p| (*p).clone()))
    }

    async fn employee(&self, partner: &PartnerNo) -> Result<Option<Employee>, PortError> {
        Ok(self.lock().employees.get(partner).cloned())
    }

    async fn attachment_content(&self, key: &S4Key, a: &Attachment) -> Result<Vec<u8>, PortError> {
        let reference = match &a.content {
            AttachmentContent::Reference(r) => r.clone(),
            AttachmentContent::Inline(bytes) => return Ok(bytes.clone()),
        };
        self.lock().files.get(&reference).cloned().ok_or_else(|| {
            PortError::not_found(format!("attachment {} of {key} does not exist", a.name))
        })
    }

    async fn add_attachment(&self, key: &S4Key, a: &Attachment) -> Result<Attachment, PortError> {
        let AttachmentContent::Inline(bytes) = &a.content else {
            return Err(PortError::new(
                ErrorKind::Invalid,
                "an attachment to add needs its content",
            ));
        };
        let bytes = bytes.clone();
        self.write(|i| {
            let reference = format!("s4-file-{}", i.next);
            let v = i.version();
            let (ver, record) = i
                .objects
                .get_mut(key)
                .ok_or_else(|| PortError::not_found(format!("{key} does not exist")))?;
            *ver = v;
            let stored = Attachment {
                content: AttachmentContent::Reference(reference.clone()),
                size: bytes.len() as u64,
                ..a.clone()
            };
            if let Some(list) = attachments_mut(record) {
                list.push(stored.clone());
            }
            i.files.insert(reference, bytes);
            Ok(stored)
        })
    }

    async fn remove_attachment(&self, key: &S4Key, a: &Attachment) -> Result<(), PortError> {
        self.write(|i| {
            let v = i.version();
            let (ver, record) = i
                .objects
                .get_mut(key)
                .ok_or_else(|| PortError::not_found(format!("{key} does not exist")))?;
            *ver = v;
            if let Some(list) = attachments_mut(record) {
                list.retain(|x| x.key() != a.key());
            }
            Ok(())
        })
    }
}
