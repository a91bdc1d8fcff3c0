//! The mass-change guard: when one run would delete too many of a mailbox's
//! linked items, the deletes are held for an administrator.
//!
//! Filters that shrink, permissions that vanish or a server that answers an
//! empty listing all look like "everything was deleted". Holding the deletes
//! turns such a day into a question for a person instead of a disaster.

use serde::{Deserialize, Serialize};

use crate::plan::operation::{Operation, Plan};
use crate::plan::state::Pair;
use crate::policy::MassChangeGuard;

/// A delete held back by the guard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldDelete {
    /// The pair as it was read.
    pub pair: Pair,
    /// The plan the delete came from, with the delete still in it.
    pub plan: Plan,
    /// Why it was held.
    pub reason: String,
}

/// Applies the guard to one run of plans for one mailbox with `linked`
/// linked items: returns the plans to execute (deletes removed when the run
/// is over the limit) and the deletes held.
pub fn guard(
    plans: Vec<(Pair, Plan)>,
    linked: usize,
    g: &MassChangeGuard,
) -> (Vec<(Pair, Plan)>, Vec<HeldDelete>) {
    let deletes = plans
        .iter()
        .filter(|(_, p)| p.ops.iter().any(Operation::is_delete))
        .count();
    let over_count = deletes > g.max_deletes as usize;
    let over_share = linked >= g.min_linked_for_share as usize
        && deletes * 100 > linked * usize::from(g.max_share_percent);
    if !over_count && !over_share {
        return (plans, Vec::new());
    }
    let reason = if over_count {
        format!(
            "this run would delete {deletes} items, more than the limit of {}",
            g.max_deletes
        )
    } else {
        format!(
            "this run would delete {deletes} of {linked} linked items, more than {}%",
            g.max_share_percent
        )
    };
    let mut keep = Vec::with_capacity(plans.len());
    let mut held = Vec::new();
    for (pair, plan) in plans {
        if plan.ops.iter().any(Operation::is_delete) {
            held.push(HeldDelete {
                pair,
                plan,
                reason: reason.clone(),
            });
        } else {
            keep.push((pair, plan));
        }
    }
    (keep, held)
}
