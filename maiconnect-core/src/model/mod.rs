//! The domain model: what an appointment, a task, a contact and a partner
//! are, independent of either wire format.

pub mod appointment;
pub mod attachment;
pub mod attendee;
pub mod common;
pub mod contact;
pub mod event;
pub mod keys;
pub mod partner;
pub mod recurrence;
pub mod task;
pub mod time;
pub mod zones;

pub use appointment::Appointment;
pub use attachment::{Attachment, AttachmentContent, AttachmentKey};
pub use attendee::{Attendee, AttendeeKey};
pub use common::{Body, Importance, Reminder, Sensitivity};
pub use contact::{Contact, PostalAddress};
pub use event::{ChangeType, S4Event, S4ObjectType};
pub use keys::{ExchangeKey, Folder, ObjectKind, Record, S4Key};
pub use partner::{
    BusinessPartner, Employee, PartnerCategory, PartnerFunction, Relationship, RelationshipType,
};
pub use recurrence::{
    DaySelector, ModifiedOccurrence, Occurrence, Pattern, RangeEnd, Recurrence, RecurrenceRange,
    WeekOfMonth,
};
pub use task::{Task, TaskStatus};
pub use time::{When, Zone};
