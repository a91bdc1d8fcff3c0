//! The admin settings: the deployment checklist as a typed, validated
//! configuration.
//!
//! Read from TOML with [`Policy::from_toml`]; every key has the checklist's
//! default, unknown keys are rejected (a typo must not silently fall back to
//! a default), and [`Policy::validate`] names the key and the fix for every
//! problem it finds.
//!
//! ```toml
//! [[appointments.transaction_types]]
//! transaction_type = "ZMAI"
//! text_type = "A002"
//!
//! [appointments.outlook_to_s4]
//! enabled = true
//! filter = { category = "CRM" }
//! default_transaction_type = "ZMAI"
//!
//! [[environments]]
//! name = "de"
//! endpoint = "https://mail.example.de/EWS/Exchange.asmx"
//! auth = { kind = "impersonation", user = "svc-maiconnect@example.de", password = { env = "MAICONNECT_DE_PASSWORD" } }
//!
//! [[users]]
//! employee = "0000004711"
//! mailbox = "anna.berg@example.de"
//! environment = "de"
//! ```

mod environment;
mod validate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{EnvironmentName, Mailbox, PartnerNo, TextType, TransactionType};
use crate::model::{PartnerFunction, RelationshipType, Zone};
use crate::plan::fields::Field;

pub use environment::{
    ClientAssertion, Environment, EnvironmentAuth, OAuthCredential, ProxyConfig, SecretRef,
};
pub use validate::{PolicyError, PolicyProblem};

/// The whole configuration of what is synchronised and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Appointments (BUS2000126 ↔ calendar).
    pub appointments: AppointmentPolicy,
    /// Tasks (BUS2000125 ↔ tasks folder).
    pub tasks: TaskPolicy,
    /// Contacts (business partners → contacts folder).
    pub contacts: ContactPolicy,
    /// Which side wins when both changed the same field.
    pub conflict: ConflictPolicy,
    /// When deletes are held for an administrator.
    pub mass_change_guard: MassChangeGuard,
    /// Which time span is synchronised.
    pub window: SyncWindow,
    /// The zone for users who have none of their own.
    pub default_time_zone: Zone,
    /// The Exchange environments.
    pub environments: Vec<Environment>,
    /// The users whose mailboxes are synchronised.
    pub users: Vec<User>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            appointments: AppointmentPolicy::default(),
            tasks: TaskPolicy::default(),
            contacts: ContactPolicy::default(),
            conflict: ConflictPolicy::default(),
            mass_change_guard: MassChangeGuard::default(),
            window: SyncWindow::default(),
            default_time_zone: Zone::UTC,
            environments: Vec::new(),
            users: Vec::new(),
        }
    }
}

/// A transaction type that is synchronised to Outlook, with the text type
/// whose long text becomes the Outlook body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransactionTypeRule {
    /// The transaction type.
    pub transaction_type: TransactionType,
    /// The text type shown in the body.
    pub text_type: TextType,
}

/// Which Outlook items go to S/4HANA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OutlookFilter {
    /// Every item in the folder.
    #[default]
    All,
    /// Only items with this Outlook category.
    Category(String),
    /// Only items that an Outlook add-in tagged for synchronisation.
    SyncTag,
}

/// Outlook → S/4HANA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutlookToS4 {
    /// Whether Outlook items and changes flow to S/4HANA at all.
    pub enabled: bool,
    /// Which items.
    pub filter: OutlookFilter,
    /// The transaction type of activities created from Outlook.
    pub default_transaction_type: Option<TransactionType>,
}

impl Default for OutlookToS4 {
    fn default() -> Self {
        OutlookToS4 {
            enabled: false,
            filter: OutlookFilter::All,
            default_transaction_type: None,
        }
    }
}

/// What happens to private appointments and tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PrivatePolicy {
    /// Synchronise them with all their content.
    #[default]
    Sync,
    /// Synchronise them to S/4HANA as private blockers: time and the private
    /// flag only; subject, location, body, attendees and attachments stay in
    /// Outlook.
    SyncAsPrivate,
    /// Do not synchronise them.
    Skip,
}

/// Recurring Outlook appointments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RecurringPolicy {
    /// Whether recurring series are expanded into single S/4 appointments.
    pub enabled: bool,
    /// How many days ahead occurrences are created.
    pub horizon_days: u32,
}

impl Default for RecurringPolicy {
    fn default() -> Self {
        RecurringPolicy {
            enabled: true,
            horizon_days: 180,
        }
    }
}

/// Attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AttachmentPolicy {
    /// Whether attachments are synchronised.
    pub enabled: bool,
    /// Larger files are left out (and reported).
    pub max_bytes: u64,
}

impl Default for AttachmentPolicy {
    fn default() -> Self {
        AttachmentPolicy {
            enabled: false,
            max_bytes: 10 * 1024 * 1024,
        }
    }
}

/// Partner functions that attendees take in an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PartnerFunctions {
    /// For external attendees (contact persons).
    pub contact_person: PartnerFunction,
    /// For internal attendees (employees).
    pub participant: PartnerFunction,
}

impl Default for PartnerFunctions {
    fn default() -> Self {
        PartnerFunctions {
            contact_person: PartnerFunction::CONTACT_PERSON,
            participant: PartnerFunction::PARTICIPANT,
        }
    }
}

/// Appointments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct AppointmentPolicy {
    /// Transaction types synchronised to Outlook (empty: none).
    pub transaction_types: Vec<TransactionTypeRule>,
    /// Outlook → S/4HANA.
    pub outlook_to_s4: OutlookToS4,
    /// Private appointments.
    pub private: PrivatePolicy,
    /// Recurring Outlook appointments.
    pub recurring: RecurringPolicy,
    /// Attachments.
    pub attachments: AttachmentPolicy,
    /// Partner functions of attendees.
    pub partner_functions: PartnerFunctions,
    /// Whether Exchange sends meeting invitations and cancellations when the
    /// hub writes a calendar item (off: nothing is sent to anyone).
    pub send_invitations: bool,
}

/// Tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct TaskPolicy {
    /// Transaction types synchronised to Outlook (empty: none).
    pub transaction_types: Vec<TransactionTypeRule>,
    /// Outlook → S/4HANA.
    pub outlook_to_s4: OutlookToS4,
    /// Private tasks.
    pub private: PrivatePolicy,
    /// Attachments.
    pub attachments: AttachmentPolicy,
    /// Partner functions of the task's contact person and participants.
    pub partner_functions: PartnerFunctions,
}

/// Contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContactPolicy {
    /// Whether contact persons are written to Outlook.
    pub enabled: bool,
    /// The relationship between a customer and its contact persons.
    pub customer_contact_relationship: RelationshipType,
    /// The relationship from the employee that puts contacts in their mailbox.
    pub trigger_relationship: RelationshipType,
    /// A trigger relationship to a contact person brings that person.
    pub trigger_to_contact_person: bool,
    /// A trigger relationship to a customer brings all its contact persons.
    pub trigger_to_customer: bool,
    /// A subfolder of the contacts folder to write to (created if missing);
    /// none: the contacts folder itself.
    pub folder: Option<String>,
}

impl Default for ContactPolicy {
    fn default() -> Self {
        ContactPolicy {
            enabled: false,
            customer_contact_relationship: RelationshipType::Bur001,
            trigger_relationship: RelationshipType::Bur011,
            trigger_to_contact_person: true,
            trigger_to_customer: true,
            folder: None,
        }
    }
}

/// Who wins when both sides changed the same field since the last sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ConflictRule {
    /// S/4HANA's value wins.
    #[default]
    S4Wins,
    /// Exchange's value wins.
    ExchangeWins,
    /// The side changed last wins (S/4HANA when a time is missing or equal).
    NewestWins,
}

/// The conflict rule, optionally per field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ConflictPolicy {
    /// The rule for every field without its own.
    pub rule: ConflictRule,
    /// Rules for single fields, by field name (`subject`, `when`, …).
    pub fields: BTreeMap<Field, ConflictRule>,
}

impl ConflictPolicy {
    /// The rule for `field`.
    pub fn rule_for(&self, field: Field) -> ConflictRule {
        self.fields.get(&field).copied().unwrap_or(self.rule)
    }
}

/// When one run would delete more than `max_deletes` linked items of a
/// mailbox, or more than `max_share_percent` of them, the deletes are held
/// for an administrator instead of executed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MassChangeGuard {
    /// Most deletes per mailbox and run that go through unchecked.
    pub max_deletes: u32,
    /// Largest share of a mailbox's linked items, in percent, that one run
    /// may delete.
    pub max_share_percent: u8,
    /// The share rule applies only to mailboxes with at least this many
    /// linked items (deleting 2 of 3 is normal).
    pub min_linked_for_share: u32,
}

impl Default for MassChangeGuard {
    fn default() -> Self {
        MassChangeGuard {
            max_deletes: 50,
            max_share_percent: 30,
            min_linked_for_share: 20,
        }
    }
}

/// The time span that is synchronised, relative to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SyncWindow {
    /// Days into the past.
    pub days_back: u32,
    /// Days into the future.
    pub days_forward: u32,
}

impl Default for SyncWindow {
    fn default() -> Self {
        SyncWindow {
            days_back: 30,
            days_forward: 365,
        }
    }
}

/// A user whose mailbox is synchronised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// The employee's business partner.
    pub employee: PartnerNo,
    /// The mailbox's primary SMTP address.
    pub mailbox: Mailbox,
    /// The Exchange environment the mailbox lives in.
    pub environment: EnvironmentName,
    /// Whether the user is synchronised now.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// The user's zone, for all-day items and S/4HANA times without a zone.
    #[serde(default)]
    pub time_zone: Option<Zone>,
}

fn yes() -> bool {
    true
}

impl Policy {
    /// Reads and validates a policy from TOML.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let policy: Policy = toml::from_str(text).map_err(|e| PolicyError::from_toml(&e, text))?;
        policy.validate()?;
        Ok(policy)
    }

    /// The user with this mailbox, if configured.
    pub fn user(&self, mailbox: &Mailbox) -> Option<&User> {
        self.users.iter().find(|u| &u.mailbox == mailbox)
    }

    /// The environment with this name, if configured.
    pub fn environment(&self, name: &EnvironmentName) -> Option<&Environment> {
        self.environments.iter().find(|e| &e.name == name)
    }

    /// The zone of `user`.
    pub fn zone_of(&self, user: &User) -> Zone {
        user.time_zone.unwrap_or(self.default_time_zone)
    }

    /// The rule for an appointment transaction type, if it syncs to Outlook.
    pub fn appointment_type(&self, t: &TransactionType) -> Option<&TransactionTypeRule> {
        self.appointments
            .transaction_types
            .iter()
            .find(|r| &r.transaction_type == t)
    }

    /// The rule for a task transaction type, if it syncs to Outlook.
    pub fn task_type(&self, t: &TransactionType) -> Option<&TransactionTypeRule> {
        self.tasks
            .transaction_types
            .iter()
            .find(|r| &r.transaction_type == t)
    }
}
