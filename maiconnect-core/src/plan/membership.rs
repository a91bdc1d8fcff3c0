//! Which contact persons belong in which mailbox.
//!
//! A trigger relationship (default BUR011) between the employee and a
//! contact person brings that person; one between the employee and a
//! customer brings every contact person related to that customer by the
//! customer–contact relationship (default BUR001). When a relationship ends,
//! the contacts it brought leave the mailbox.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::ids::PartnerNo;
use crate::model::{PartnerCategory, Relationship};
use crate::policy::ContactPolicy;

/// The contact persons that belong in the mailbox of `employee` on `today`.
///
/// `relationships` holds the employee's trigger relationships and the
/// customer–contact relationships of the customers they point to;
/// `categories` says which partners are persons and which organisations
/// (a partner missing there is taken to be a person).
pub fn contacts_for(
    employee: &PartnerNo,
    relationships: &[Relationship],
    categories: &BTreeMap<PartnerNo, PartnerCategory>,
    policy: &ContactPolicy,
    today: NaiveDate,
) -> BTreeSet<PartnerNo> {
    let mut out = BTreeSet::new();
    if !policy.enabled {
        return out;
    }
    let valid = |r: &&Relationship| r.valid_on(today);
    let is_org = |p: &PartnerNo| categories.get(p) == Some(&PartnerCategory::Organization);
    for r in relationships.iter().filter(valid) {
        if r.kind != policy.trigger_relationship {
            continue;
        }
        let Some(other) = r.other_end(employee) else {
            continue;
        };
        if other == employee {
            continue;
        }
        if is_org(other) {
            if !policy.trigger_to_customer {
                continue;
            }
            for c in relationships.iter().filter(valid) {
                if c.kind == policy.customer_contact_relationship
                    && let Some(person) = c.other_end(other)
                    && !is_org(person)
                    && person != employee
                {
                    out.insert(*person);
                }
            }
        } else if policy.trigger_to_contact_person {
            out.insert(*other);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RelationshipType;

    fn p(s: &str) -> PartnerNo {
        s.parse().unwrap()
    }
    fn rel(kind: RelationshipType, from: &str, to: &str) -> Relationship {
        Relationship {
            kind,
            from: p(from),
            to: p(to),
            valid_from: None,
            valid_to: None,
        }
    }
    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn world() -> (Vec<Relationship>, BTreeMap<PartnerNo, PartnerCategory>) {
        // Employee 1 looks after contact person 10 and customer 20; customer
        // 20 has contact persons 21 and 22; customer 30 (not looked after)
        // has contact person 31.
        let rels = vec![
            rel(RelationshipType::Bur011, "10", "1"),
            rel(RelationshipType::Bur011, "20", "1"),
            rel(RelationshipType::Bur001, "21", "20"),
            rel(RelationshipType::Bur001, "22", "20"),
            rel(RelationshipType::Bur001, "31", "30"),
        ];
        let cats = [
            ("10", PartnerCategory::Person),
            ("20", PartnerCategory::Organization),
            ("30", PartnerCategory::Organization),
        ]
        .into_iter()
        .map(|(n, c)| (p(n), c))
        .collect();
        (rels, cats)
    }

    fn on() -> ContactPolicy {
        ContactPolicy {
            enabled: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_person_and_all_contacts_of_a_customer_belong() {
        let (rels, cats) = world();
        let got = contacts_for(&p("1"), &rels, &cats, &on(), day());
        assert_eq!(got, [p("10"), p("21"), p("22")].into_iter().collect());
    }

    #[test]
    fn each_trigger_can_be_switched_off() {
        let (rels, cats) = world();
        let only_people = ContactPolicy {
            trigger_to_customer: false,
            ..on()
        };
        assert_eq!(
            contacts_for(&p("1"), &rels, &cats, &only_people, day()),
            [p("10")].into_iter().collect()
        );
        let only_customers = ContactPolicy {
            trigger_to_contact_person: false,
            ..on()
        };
        assert_eq!(
            contacts_for(&p("1"), &rels, &cats, &only_customers, day()),
            [p("21"), p("22")].into_iter().collect()
        );
        assert!(contacts_for(&p("1"), &rels, &cats, &ContactPolicy::default(), day()).is_empty());
    }

    #[test]
    fn an_ended_relationship_removes_its_contacts() {
        let (mut rels, cats) = world();
        rels[1].valid_to = Some(day() - chrono::Duration::days(1));
        assert_eq!(
            contacts_for(&p("1"), &rels, &cats, &on(), day()),
            [p("10")].into_iter().collect()
        );
    }

    #[test]
    fn custom_relationship_types_are_honoured() {
        let (rels, cats) = world();
        let custom = ContactPolicy {
            trigger_relationship: RelationshipType::Other("ZREL01".into()),
            ..on()
        };
        assert!(contacts_for(&p("1"), &rels, &cats, &custom, day()).is_empty());
    }
}
