//! Which objects belong to which mailbox, and which pass the admin's filters.
//!
//! Two questions are kept apart: *scope* (is this user part of the activity
//! at all?) and *filters* (does the admin want it synchronised?). An item
//! that leaves the scope is removed from the mailbox; an item that merely
//! leaves a filter or the window is unlinked and left alone.

use std::fmt;

use chrono::{DateTime, Duration, Utc};

use crate::model::{Appointment, ExchangeKey, Task, When};
use crate::plan::state::Side;
use crate::policy::{OutlookFilter, OutlookToS4, Policy, PrivatePolicy, TransactionTypeRule, User};

/// Why an item is not synchronised (or no longer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Excluded {
    /// The user is neither the employee responsible nor an attendee.
    NotInvolved,
    /// The transaction type is not configured for Outlook.
    TransactionType(Option<String>),
    /// Outlook → S/4HANA is switched off.
    OutlookToS4Off,
    /// The Outlook item lacks the category that the filter asks for.
    MissingCategory(String),
    /// The Outlook item lacks the sync tag.
    MissingSyncTag,
    /// The item is private and private items are skipped.
    Private,
    /// Recurring Outlook appointments are not synchronised.
    Recurring,
    /// The item lies outside the synchronised window.
    OutsideWindow,
    /// The user is disabled.
    UserDisabled,
}

impl fmt::Display for Excluded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Excluded::NotInvolved => {
                f.write_str("the user is neither responsible for it nor an attendee")
            }
            Excluded::TransactionType(Some(t)) => {
                write!(f, "transaction type {t} is not configured for Outlook")
            }
            Excluded::TransactionType(None) => f.write_str("it has no transaction type"),
            Excluded::OutlookToS4Off => f.write_str("Outlook → S/4HANA is off"),
            Excluded::MissingCategory(c) => write!(f, "it lacks the Outlook category {c:?}"),
            Excluded::MissingSyncTag => f.write_str("it lacks the sync tag"),
            Excluded::Private => f.write_str("it is private and private items are skipped"),
            Excluded::Recurring => {
                f.write_str("recurring Outlook appointments are not synchronised")
            }
            Excluded::OutsideWindow => f.write_str("it lies outside the synchronised window"),
            Excluded::UserDisabled => f.write_str("the user is disabled"),
        }
    }
}

/// The part of the policy and the world that decides scope for one mailbox.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The policy.
    pub policy: &'a Policy,
    /// The mailbox's user.
    pub user: &'a User,
    /// Now (passed in; the planner never reads the clock).
    pub now: DateTime<Utc>,
    /// The synchronised window, worked out once rather than per item.
    window: (DateTime<Utc>, DateTime<Utc>),
}

impl<'a> Context<'a> {
    /// The context of `user`'s mailbox at `now`.
    pub fn new(policy: &'a Policy, user: &'a User, now: DateTime<Utc>) -> Context<'a> {
        let w = &policy.window;
        let window = (
            now - Duration::days(i64::from(w.days_back)),
            now + Duration::days(i64::from(w.days_forward)),
        );
        Context {
            policy,
            user,
            now,
            window,
        }
    }
}

impl Context<'_> {
    /// The synchronised window `[from, to)`.
    pub fn window(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        self.window
    }

    fn in_window(&self, when: &When) -> bool {
        let (from, to) = self.window();
        when.overlaps(from, to, self.policy.zone_of(self.user))
    }

    fn due_in_window(&self, due: Option<chrono::NaiveDate>) -> bool {
        // Tasks without a due date are always current; otherwise the due
        // date decides, as a whole day in the user's zone.
        due.is_none_or(|d| self.in_window(&When::all_day(d, 1)))
    }
}

/// The role of the user in an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Employee responsible: their copy synchronises both ways.
    Owner,
    /// Another participant: their copy follows S/4HANA.
    Participant,
}

/// Activities (appointments and tasks) as the planner sees them.
pub trait Activity: crate::plan::fields::SyncRecord {
    /// The transaction type rules of this kind.
    fn rules(policy: &Policy) -> &[TransactionTypeRule];
    /// Outlook → S/4HANA settings of this kind.
    fn outlook_to_s4(policy: &Policy) -> &OutlookToS4;
    /// The private-item policy of this kind.
    fn private_policy(policy: &Policy) -> PrivatePolicy;
    /// Whether attachments of this kind are synchronised.
    fn attachments_enabled(policy: &Policy) -> bool;
    /// The user's role in the activity, if they take part.
    fn role(&self, user: &User) -> Option<Role>;
    /// The transaction type (S/4 side).
    fn transaction_type(&self) -> Option<&crate::ids::TransactionType>;
    /// Whether it is private.
    fn private(&self) -> bool;
    /// Whether it carries the Outlook category.
    fn category(&self, name: &str) -> bool;
    /// Whether it carries the sync tag.
    fn tagged(&self) -> bool;
    /// Whether it lies in the window.
    fn in_window(&self, ctx: &Context<'_>) -> bool;
    /// The content of a private blocker created in S/4HANA: everything
    /// private removed.
    fn as_private_blocker(&self) -> Self;
}

impl Activity for Appointment {
    fn rules(p: &Policy) -> &[TransactionTypeRule] {
        &p.appointments.transaction_types
    }
    fn outlook_to_s4(p: &Policy) -> &OutlookToS4 {
        &p.appointments.outlook_to_s4
    }
    fn private_policy(p: &Policy) -> PrivatePolicy {
        p.appointments.private
    }
    fn attachments_enabled(p: &Policy) -> bool {
        p.appointments.attachments.enabled
    }
    fn role(&self, user: &User) -> Option<Role> {
        if self.owner.as_ref() == Some(&user.employee) {
            Some(Role::Owner)
        } else if self.involves(&user.employee) {
            Some(Role::Participant)
        } else {
            None
        }
    }
    fn transaction_type(&self) -> Option<&crate::ids::TransactionType> {
        self.transaction_type.as_ref()
    }
    fn private(&self) -> bool {
        self.is_private()
    }
    fn category(&self, name: &str) -> bool {
        self.has_category(name)
    }
    fn tagged(&self) -> bool {
        self.sync_tag
    }
    fn in_window(&self, ctx: &Context<'_>) -> bool {
        ctx.in_window(&self.when)
    }
    fn as_private_blocker(&self) -> Self {
        let mut a = self.clone();
        a.subject = PRIVATE_SUBJECT.into();
        a.location.clear();
        a.body = Default::default();
        a.attendees.clear();
        a.attachments.clear();
        a
    }
}

impl Activity for Task {
    fn rules(p: &Policy) -> &[TransactionTypeRule] {
        &p.tasks.transaction_types
    }
    fn outlook_to_s4(p: &Policy) -> &OutlookToS4 {
        &p.tasks.outlook_to_s4
    }
    fn private_policy(p: &Policy) -> PrivatePolicy {
        p.tasks.private
    }
    fn attachments_enabled(p: &Policy) -> bool {
        p.tasks.attachments.enabled
    }
    fn role(&self, user: &User) -> Option<Role> {
        if self.owner.as_ref() == Some(&user.employee) {
            Some(Role::Owner)
        } else {
            None
        }
    }
    fn transaction_type(&self) -> Option<&crate::ids::TransactionType> {
        self.transaction_type.as_ref()
    }
    fn private(&self) -> bool {
        self.is_private()
    }
    fn category(&self, name: &str) -> bool {
        self.has_category(name)
    }
    fn tagged(&self) -> bool {
        self.sync_tag
    }
    fn in_window(&self, ctx: &Context<'_>) -> bool {
        ctx.due_in_window(self.due_date)
    }
    fn as_private_blocker(&self) -> Self {
        let mut t = self.clone();
        t.subject = PRIVATE_SUBJECT.into();
        t.body = Default::default();
        t.attachments.clear();
        t
    }
}

/// The subject of a private blocker in S/4HANA.
pub const PRIVATE_SUBJECT: &str = "Private";

/// Whether an S/4HANA activity belongs in the user's mailbox: the user
/// takes part (scope) and the admin's filters let it through.
pub fn s4_filter<A: Activity>(a: &A, ctx: &Context<'_>) -> Result<Role, Excluded> {
    if !ctx.user.enabled {
        return Err(Excluded::UserDisabled);
    }
    let role = a.role(ctx.user).ok_or(Excluded::NotInvolved)?;
    let rules = A::rules(ctx.policy);
    let t = a.transaction_type();
    if !t.is_some_and(|t| rules.iter().any(|r| &r.transaction_type == t)) {
        return Err(Excluded::TransactionType(t.map(ToString::to_string)));
    }
    if a.private() && A::private_policy(ctx.policy) == PrivatePolicy::Skip {
        return Err(Excluded::Private);
    }
    if !a.in_window(ctx) {
        return Err(Excluded::OutsideWindow);
    }
    Ok(role)
}

/// Whether an Outlook item goes to S/4HANA.
pub fn exchange_filter<A: Activity>(
    a: &A,
    key: &ExchangeKey,
    ctx: &Context<'_>,
) -> Result<(), Excluded> {
    if !ctx.user.enabled {
        return Err(Excluded::UserDisabled);
    }
    let o = A::outlook_to_s4(ctx.policy);
    if !o.enabled {
        return Err(Excluded::OutlookToS4Off);
    }
    match &o.filter {
        OutlookFilter::All => {}
        OutlookFilter::Category(c) if !a.category(c) => {
            return Err(Excluded::MissingCategory(c.clone()));
        }
        OutlookFilter::SyncTag if !a.tagged() => return Err(Excluded::MissingSyncTag),
        _ => {}
    }
    if a.private() && A::private_policy(ctx.policy) == PrivatePolicy::Skip {
        return Err(Excluded::Private);
    }
    if key.is_occurrence() && !ctx.policy.appointments.recurring.enabled {
        return Err(Excluded::Recurring);
    }
    if !a.in_window(ctx) {
        return Err(Excluded::OutsideWindow);
    }
    Ok(())
}

/// The fields that must not flow for a pair whose Outlook item is a private
/// blocker.
pub fn masked_fields<A: Activity>(exchange: &A, policy: &Policy) -> &'static [Field] {
    if exchange.private() && A::private_policy(policy) == PrivatePolicy::SyncAsPrivate {
        &[
            Field::Subject,
            Field::Location,
            Field::Body,
            Field::Attendees,
            Field::Attachments,
        ]
    } else {
        &[]
    }
}

/// The fields a kind never merges because the policy turned them off.
pub fn disabled_fields<A: Activity>(policy: &Policy) -> &'static [Field] {
    if A::attachments_enabled(policy) {
        &[]
    } else {
        &[Field::Attachments]
    }
}

use crate::plan::fields::Field;

/// Which side changed last, when both sides say.
pub fn newer(s4: Option<DateTime<Utc>>, exchange: Option<DateTime<Utc>>) -> Option<Side> {
    match (s4, exchange) {
        (Some(a), Some(b)) if b > a => Some(Side::Exchange),
        (Some(a), Some(b)) if a > b => Some(Side::S4),
        _ => None,
    }
}
