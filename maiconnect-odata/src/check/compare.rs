//! Comparing one service's `$metadata` with a profile (no I/O).

use super::{Degradation, Problem, problem};
use crate::profile::{EntitySetSpec, Profile, ServiceId};
use crate::wire::metadata::{EntityType, Metadata};

/// The entity type that plays `spec`: its entity set's type, or for a set
/// reached through a navigation, the navigation's target (whatever the
/// service calls the set).
fn type_of<'m>(spec: &EntitySetSpec, m: &'m Metadata) -> Result<&'m EntityType, Problem> {
    if let Some((parent, nav)) = spec.via {
        return m.navigation_target(parent, nav).ok_or_else(|| {
            problem(
                format!("the navigation {parent}/{nav} leads to no entity type in the metadata"),
                format!("add the navigation {nav} to the entity type of {parent}"),
            )
        });
    }
    let Some(set) = m.entity_set(spec.name) else {
        return Err(problem(
            format!("entity set {} is missing", spec.name),
            format!(
                "add entity set {} (entity type {}) as PROFILE.md describes",
                spec.name, spec.entity_type
            ),
        ));
    };
    m.entity_type(&set.entity_type).ok_or_else(|| {
        problem(
            format!(
                "entity type {} of entity set {} is not in the metadata",
                set.entity_type, spec.name
            ),
            "regenerate the runtime objects of the service in SEGW".to_owned(),
        )
    })
}

/// Compares a service's `$metadata` with `profile`: the problems that stop
/// the adapter, and the optional properties that are missing with their
/// cost.
pub fn check_metadata(
    profile: &Profile,
    service: ServiceId,
    m: &Metadata,
) -> (Vec<Problem>, Vec<Degradation>) {
    let mut problems = Vec::new();
    let mut degraded = Vec::new();
    let name = profile.name(service);
    for spec in profile.service(service).entity_sets {
        let t = match type_of(spec, m) {
            Ok(t) => t,
            Err(mut p) => {
                p.fix = format!("{} in {name}", p.fix);
                problems.push(p);
                continue;
            }
        };
        let keys: Vec<&str> = t.keys.iter().map(String::as_str).collect();
        if !spec.keys.is_empty() && keys != spec.keys {
            problems.push(problem(
                format!(
                    "{} has the key ({}), the profile expects ({})",
                    spec.name,
                    keys.join(", "),
                    spec.keys.join(", ")
                ),
                format!(
                    "make ({}) the key of entity type {}",
                    spec.keys.join(", "),
                    t.name
                ),
            ));
        }
        for p in spec.properties {
            match (t.property(p.name), p.cost) {
                (None, Some(cost)) => degraded.push(Degradation {
                    what: format!(
                        "property {}.{} ({}) is missing",
                        spec.name, p.name, p.edm_type
                    ),
                    cost: cost.to_owned(),
                }),
                (None, None) => problems.push(problem(
                    format!(
                        "property {}.{} ({}) is missing",
                        spec.name, p.name, p.edm_type
                    ),
                    format!(
                        "add {} of type {} to entity type {}",
                        p.name, p.edm_type, t.name
                    ),
                )),
                (Some(found), _) if found.edm_type != p.edm_type => problems.push(problem(
                    format!(
                        "property {}.{} is {}, the profile expects {}",
                        spec.name, p.name, found.edm_type, p.edm_type
                    ),
                    format!(
                        "change the type of {} in entity type {} to {}",
                        p.name, t.name, p.edm_type
                    ),
                )),
                (Some(_), _) => {}
            }
        }
        for n in spec.navigations {
            if t.navigation(n).is_none() {
                problems.push(problem(
                    format!("navigation property {}.{} is missing", spec.name, n),
                    format!("add the navigation {n} to entity type {}", t.name),
                ));
            }
        }
        if spec.media && !t.has_stream {
            problems.push(problem(
                format!("{} is not a media entity (m:HasStream)", spec.name),
                format!("mark entity type {} as media type in SEGW", t.name),
            ));
        }
    }
    (problems, degraded)
}
