//! The planner: a pure function from one pair's state to a plan.
//!
//! [`plan_pair`] takes both sides' current copies, the state of the last
//! sync, the policy and `now`, and returns a [`Plan`]: plain data that a dry
//! run prints and the [executor](crate::exec) applies. No I/O, no clock
//! reads.

mod activity;
pub mod changes;
mod contact;
pub mod fields;
pub mod guard;
pub mod membership;
pub mod merge;
pub mod operation;
pub mod scope;
pub mod state;

pub use changes::{Change, Changes, Value};
pub use fields::{Field, SyncRecord};
pub use guard::{HeldDelete, guard};
pub use membership::contacts_for;
pub use operation::{Operation, Plan};
pub use scope::{Context, Excluded, Role};
pub use state::{Link, MailboxItem, Pair, S4Item, Side};

use crate::model::{Appointment, ObjectKind, Task};

/// Plans one appointment or task pair for the mailbox in `ctx`.
///
/// Contacts need to know whether the contact belongs in the mailbox; use
/// [`plan_contact`] for them. A contact pair passed here is planned as a
/// contact that belongs in the mailbox when it is linked already.
pub fn plan_pair(pair: &Pair, ctx: &Context<'_>) -> Plan {
    match pair.kind() {
        Some(ObjectKind::Appointment) => activity::plan::<Appointment>(pair, ctx),
        Some(ObjectKind::Task) => activity::plan::<Task>(pair, ctx),
        Some(ObjectKind::Contact) => contact::plan(pair, pair.link.is_some(), ctx),
        None => Plan::empty(ctx.user.mailbox.clone(), ObjectKind::Appointment, pair),
    }
}

/// Plans one contact pair; `member` says whether the contact person belongs
/// in the mailbox (see [`contacts_for`]).
pub fn plan_contact(pair: &Pair, member: bool, ctx: &Context<'_>) -> Plan {
    contact::plan(pair, member, ctx)
}
