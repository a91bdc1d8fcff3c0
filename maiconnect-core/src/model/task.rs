//! Tasks: CRM activities of business object BUS2000125 and tasks in the
//! mailbox.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{PartnerNo, TransactionType};
use crate::model::attachment::Attachment;
use crate::model::common::{Body, Importance, Sensitivity};

/// Outlook's task status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Not started.
    #[default]
    NotStarted,
    /// In progress.
    InProgress,
    /// Completed.
    Completed,
    /// Waiting on someone else.
    WaitingOnOthers,
    /// Deferred.
    Deferred,
}

/// A task as both sides describe it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Task {
    /// Subject (S/4: `Description`).
    pub subject: String,
    /// Long text (S/4: `Note`).
    pub body: Body,
    /// Due date.
    pub due_date: Option<NaiveDate>,
    /// Whether it is done (S/4: `Completed`; Exchange: status Completed).
    pub completed: bool,
    /// Importance / priority.
    pub importance: Importance,
    /// Sensitivity; S/4HANA holds only "private or not".
    pub sensitivity: Sensitivity,
    /// File attachments.
    pub attachments: Vec<Attachment>,
    /// Start date (Exchange only).
    pub start_date: Option<NaiveDate>,
    /// Outlook's finer status (Exchange only).
    pub status: TaskStatus,
    /// Percent complete, 0 to 100 (Exchange only).
    pub percent_complete: u8,
    /// Outlook categories (Exchange only).
    pub categories: Vec<String>,
    /// Whether an Outlook add-in tagged the task for synchronisation
    /// (Exchange only).
    pub sync_tag: bool,
    /// The CRM transaction type (S/4 only).
    pub transaction_type: Option<TransactionType>,
    /// The CRM user status code (S/4 only).
    pub user_status: Option<String>,
    /// The employee responsible (S/4 only).
    pub owner: Option<PartnerNo>,
    /// The account (S/4 only).
    pub account: Option<PartnerNo>,
    /// The contact person (S/4 only).
    pub contact: Option<PartnerNo>,
}

impl Task {
    /// A task with the given subject and defaults elsewhere.
    pub fn new(subject: &str) -> Task {
        Task {
            subject: subject.to_owned(),
            body: Body::default(),
            due_date: None,
            completed: false,
            importance: Importance::Normal,
            sensitivity: Sensitivity::Normal,
            attachments: Vec::new(),
            start_date: None,
            status: TaskStatus::NotStarted,
            percent_complete: 0,
            categories: Vec::new(),
            sync_tag: false,
            transaction_type: None,
            user_status: None,
            owner: None,
            account: None,
            contact: None,
        }
    }

    /// Whether the task is private.
    pub fn is_private(&self) -> bool {
        self.sensitivity.is_private()
    }

    /// Whether the task carries the Outlook category `name`.
    pub fn has_category(&self, name: &str) -> bool {
        self.categories.iter().any(|c| c.eq_ignore_ascii_case(name))
    }
}
