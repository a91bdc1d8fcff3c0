//! Reconciliation over the ports: find both copies of a pair, plan, execute.
//!
//! The hub's workers call a [`Syncer`] for each event: an S/4 object that
//! changed ([`Syncer::sync_s4`]), a mailbox item that changed
//! ([`Syncer::sync_item`]), or a whole mailbox to catch up on
//! ([`Syncer::resync`]). The syncer reads what the planner needs — both
//! copies and the recorded link — turns Outlook attendees into business
//! partners, expands recurring Outlook series into their occurrences, plans,
//! applies the mass-change guard and executes.

mod assemble;
mod contacts;
mod enrich;
mod recover;
mod resync;

use chrono::{DateTime, Duration, Utc};

use crate::error::PortError;
use crate::exec::{Executor, IdSource, Report};
use crate::model::ObjectKind;
use crate::plan::guard::HeldDelete;
use crate::plan::{Context, Pair, Plan};
use crate::policy::{Policy, User};
use crate::ports::{Crm, MailboxPort, StateStore};

pub use assemble::{Hints, is_own_write};
pub use enrich::PartnerCache;

/// Everything one mailbox's sync needs.
pub struct Syncer<'a> {
    /// S/4HANA.
    pub crm: &'a dyn Crm,
    /// The mailbox's Exchange environment.
    pub mailboxes: &'a dyn MailboxPort,
    /// The state store.
    pub store: &'a dyn StateStore,
    /// GUIDs for activities created in S/4HANA.
    pub ids: &'a dyn IdSource,
    /// The policy.
    pub policy: &'a Policy,
    /// The mailbox's user.
    pub user: &'a User,
    /// Partners found by e-mail, shared across calls.
    pub partners: &'a PartnerCache,
}

/// What one sync call did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The plans made, with the report of each executed one.
    pub executed: Vec<(Plan, Report)>,
    /// Deletes held by the mass-change guard.
    pub held: Vec<HeldDelete>,
}

impl Outcome {
    /// The first failure among the executed plans, if any.
    pub fn first_failure(&self) -> Option<&crate::exec::Failure> {
        self.executed.iter().find_map(|(_, r)| r.failure.as_ref())
    }
    /// How many operations wrote to either system.
    pub fn writes(&self) -> usize {
        self.executed
            .iter()
            .map(|(p, r)| {
                r.done
                    .len()
                    .min(p.ops.iter().filter(|o| o.is_write()).count())
            })
            .sum()
    }
}

impl Syncer<'_> {
    fn context(&self, now: DateTime<Utc>) -> Context<'_> {
        Context::new(self.policy, self.user, now)
    }

    fn executor(&self) -> Executor<'_> {
        Executor {
            crm: self.crm,
            mailboxes: self.mailboxes,
            store: self.store,
            ids: self.ids,
        }
    }

    /// Executes plans (after the guard), recording held deletes.
    async fn run(
        &self,
        plans: Vec<(Pair, Plan)>,
        guarded: bool,
        now: DateTime<Utc>,
    ) -> Result<Outcome, PortError> {
        let plans: Vec<(Pair, Plan)> = plans.into_iter().filter(|(_, p)| !p.is_empty()).collect();
        if plans.is_empty() {
            return Ok(Outcome::default());
        }
        let (plans, held) = if guarded {
            let linked = self.store.count_links(&self.user.mailbox).await?;
            crate::plan::guard(plans, linked, &self.policy.mass_change_guard)
        } else {
            (plans, Vec::new())
        };
        for h in &held {
            self.store.hold(h, now).await?;
        }
        let mut out = Outcome {
            executed: Vec::with_capacity(plans.len()),
            held,
        };
        let ex = self.executor();
        for (pair, plan) in plans {
            let report = ex.execute(&pair, &plan, now).await;
            out.executed.push((plan, report));
        }
        Ok(out)
    }

    /// The end of the horizon for expanding recurring series.
    fn horizon(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let window_end = now + Duration::days(i64::from(self.policy.window.days_forward));
        let horizon =
            now + Duration::days(i64::from(self.policy.appointments.recurring.horizon_days));
        window_end.min(horizon)
    }

    /// Executes a held delete after an administrator approved it: the pair
    /// is planned again from fresh reads, and only a plan that still deletes
    /// is executed (without the guard).
    pub async fn approve_held(
        &self,
        held: &HeldDelete,
        now: DateTime<Utc>,
    ) -> Result<Outcome, PortError> {
        let plan = &held.plan;
        if let Some(key) = plan.s4_key() {
            return self.sync_s4_unguarded(key, now).await;
        }
        if let Some(key) = plan.exchange_key() {
            return self.sync_item_unguarded(&key.item, plan.kind, now).await;
        }
        Ok(Outcome::default())
    }

    /// The kinds this user synchronises.
    pub fn kinds(&self) -> Vec<ObjectKind> {
        let mut kinds = vec![ObjectKind::Appointment, ObjectKind::Task];
        if self.policy.contacts.enabled {
            kinds.push(ObjectKind::Contact);
        }
        kinds
    }
}
