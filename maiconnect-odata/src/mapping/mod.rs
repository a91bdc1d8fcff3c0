//! Mapping between the profile's entities and the core model, in both
//! directions, without I/O.
//!
//! Reads borrow from the response body (`Cow<str>`), so that listing
//! thousands of appointments copies each string once. Writes build the JSON
//! payload of exactly the changed properties, cutting texts to the lengths
//! `$metadata` declares and reporting every cut in a [`WriteReport`].

pub mod appointment;
pub mod contact;
pub mod partner;
pub mod task;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use maiconnect_core::ids::{PartnerNo, TextType, TransactionType};
use maiconnect_core::model::{Importance, PartnerFunction, Zone};
use maiconnect_core::policy::Policy;
use serde::Serialize;

use crate::error::ODataError;
use crate::profile::{EXTENDED, Profile, ServiceId};
use crate::wire::metadata::Metadata;
use crate::wire::value;

/// What the mapping needs from the admin policy.
#[derive(Debug, Clone, PartialEq)]
pub struct MappingConfig {
    /// The zone of timed appointments whose `TimeZone` is empty.
    pub default_zone: Zone,
    /// Appointment transaction type → the text type that `Note` holds.
    pub text_types: BTreeMap<TransactionType, TextType>,
    /// Partner function of external attendees (contact persons).
    pub contact_function: PartnerFunction,
    /// Partner function of internal attendees (employees).
    pub participant_function: PartnerFunction,
}

impl Default for MappingConfig {
    fn default() -> Self {
        MappingConfig {
            default_zone: Zone::UTC,
            text_types: BTreeMap::new(),
            contact_function: PartnerFunction::CONTACT_PERSON,
            participant_function: PartnerFunction::PARTICIPANT,
        }
    }
}

impl MappingConfig {
    /// The settings of `policy`: default zone, the appointment text types,
    /// the appointment partner functions.
    pub fn from_policy(policy: &Policy) -> MappingConfig {
        let a = &policy.appointments;
        MappingConfig {
            default_zone: policy.default_time_zone,
            text_types: a
                .transaction_types
                .iter()
                .map(|r| (r.transaction_type, r.text_type.clone()))
                .collect(),
            contact_function: a.partner_functions.contact_person,
            participant_function: a.partner_functions.participant,
        }
    }
}

/// What the services hold, for writing: which properties exist and how
/// long their strings may be. From `$metadata` when it was read, else from
/// the profile. A property of the profile that a service's `$metadata`
/// lacks is left out of writes (what that costs, the check says), so that
/// a missing addition degrades the sync instead of failing every write.
#[derive(Debug, Clone, PartialEq)]
pub struct Lengths {
    profile: &'static Profile,
    /// Services whose `$metadata` was read.
    learned: HashSet<ServiceId>,
    declared: HashMap<(ServiceId, String, String), Option<u32>>,
}

impl Default for Lengths {
    fn default() -> Self {
        Lengths::new(&EXTENDED)
    }
}

impl Lengths {
    /// Nothing learned yet: the profile's lengths, all its properties.
    pub fn new(profile: &'static Profile) -> Lengths {
        Lengths {
            profile,
            learned: HashSet::new(),
            declared: HashMap::new(),
        }
    }

    /// The profile.
    pub fn profile(&self) -> &'static Profile {
        self.profile
    }

    /// Takes the properties and lengths that `metadata` declares for the
    /// profile's properties of `service`.
    pub fn learn(&mut self, service: ServiceId, metadata: &Metadata) {
        self.learned.insert(service);
        let spec = self.profile.service(service);
        for set in spec.entity_sets {
            let found = match set.via {
                Some((parent, nav)) => metadata.navigation_target(parent, nav),
                None => metadata.set_type(set.name),
            };
            for p in set.properties {
                if let Some(prop) = found.and_then(|t| t.property(p.name)) {
                    self.declared.insert(
                        (service, set.name.to_owned(), p.name.to_owned()),
                        prop.max_length,
                    );
                }
            }
        }
    }

    /// Whether `property` of `set` can be written: the profile has it and
    /// the service's `$metadata`, when read, declares it.
    pub fn has(&self, service: ServiceId, set: &str, property: &str) -> bool {
        if !self.profile.has(service, set, property) {
            return false;
        }
        !self.learned.contains(&service)
            || self
                .declared
                .contains_key(&(service, set.to_owned(), property.to_owned()))
    }

    /// The maximum length in characters of `property` of `set`.
    pub fn max(&self, service: ServiceId, set: &str, property: &str) -> Option<u32> {
        if let Some(m) = self
            .declared
            .get(&(service, set.to_owned(), property.to_owned()))
        {
            return *m;
        }
        self.profile
            .entity_set(service, set)
            .and_then(|s| s.property(property))
            .and_then(|p| p.max_length)
    }
}

/// A text that was cut to fit a property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cut {
    /// The object written.
    pub object: String,
    /// The property.
    pub property: &'static str,
    /// The length of the text, in characters.
    pub length: usize,
    /// The property's maximum length.
    pub max_length: u32,
}

impl fmt::Display for Cut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} cut from {} to {} characters",
            self.object, self.property, self.length, self.max_length
        )
    }
}

/// What a write did besides writing: texts cut, attendees left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WriteReport {
    /// Texts cut to their property's length.
    pub cuts: Vec<Cut>,
    /// Attendees left out because S/4HANA cannot hold them (no business
    /// partner or no partner function), by name.
    pub skipped_attendees: Vec<String>,
}

/// Context for building one write payload.
pub struct Writer<'a> {
    /// The service written to.
    pub service: ServiceId,
    /// The entity set written to.
    pub set: &'static str,
    /// The object, for messages (`AppointmentSet(guid'…')`).
    pub object: String,
    /// The lengths.
    pub lengths: &'a Lengths,
    /// The report of what was cut.
    pub report: &'a mut WriteReport,
}

impl Writer<'_> {
    /// Whether the service holds `property` of the set written.
    pub fn has(&self, property: &str) -> bool {
        self.lengths.has(self.service, self.set, property)
    }

    /// Whether the service holds `property` of another set.
    pub fn has_in(&self, set: &str, property: &str) -> bool {
        self.lengths.has(self.service, set, property)
    }

    /// `value` cut to the length of `property`, the cut reported.
    pub fn fit(&mut self, property: &'static str, value: &str) -> String {
        self.fit_in(self.set, property, value)
    }

    /// The same for a property of another entity set of the service.
    pub fn fit_in(&mut self, set: &str, property: &'static str, value: &str) -> String {
        let Some(max) = self.lengths.max(self.service, set, property) else {
            return value.to_owned();
        };
        let length = value.chars().count();
        if length <= max as usize {
            return value.to_owned();
        }
        tracing::warn!(
            object = %self.object,
            property,
            length,
            max_length = max,
            "text cut to the length S/4HANA holds"
        );
        self.report.cuts.push(Cut {
            object: self.object.clone(),
            property,
            length,
            max_length: max,
        });
        value.chars().take(max as usize).collect()
    }
}

/// An activity's name for messages (`AppointmentSet(guid'…')`), written
/// only when a message needs it: reading thousands of entities builds none.
#[derive(Debug, Clone, Copy)]
pub struct EntityName(pub &'static str, pub maiconnect_core::ids::ActivityId);

impl fmt::Display for EntityName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = crate::wire::query::entity_path(
            self.0,
            &crate::wire::literal::Literal::Guid(self.1.uuid()),
        );
        f.write_str(&path)
    }
}

/// S/4 priority → importance: 1–3 high, 4–6 normal, 7–9 low.
pub fn importance(priority: &str) -> Importance {
    match priority.trim() {
        "1" | "2" | "3" => Importance::High,
        "7" | "8" | "9" => Importance::Low,
        _ => Importance::Normal,
    }
}

/// Importance → S/4 priority: high 3, normal 5, low 9.
pub fn priority(importance: Importance) -> &'static str {
    match importance {
        Importance::High => "3",
        Importance::Normal => "5",
        Importance::Low => "9",
    }
}

/// A partner number property; empty means none.
pub fn partner(
    object: &dyn fmt::Display,
    property: &'static str,
    v: &str,
) -> Result<Option<PartnerNo>, ODataError> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    v.parse().map(Some).map_err(|e| {
        ODataError::mapping(
            object,
            property,
            v,
            format!("is not a business partner number ({e})"),
        )
    })
}

/// A required `Edm.DateTime` property.
pub fn datetime(
    object: &dyn fmt::Display,
    property: &'static str,
    v: Option<&str>,
) -> Result<DateTime<Utc>, ODataError> {
    let v = v.ok_or_else(|| {
        ODataError::mapping(object, property, "", "is missing; the profile requires it")
    })?;
    value::parse_datetime(v).map_err(|why| ODataError::mapping(object, property, v, why))
}

/// An optional `Edm.DateTimeOffset` property.
pub fn changed_at(
    object: &dyn fmt::Display,
    v: Option<&str>,
) -> Result<Option<DateTime<Utc>>, ODataError> {
    match v {
        None | Some("") => Ok(None),
        Some(v) => value::parse_datetime_offset(v)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|why| ODataError::mapping(object, "ChangedAt", v, why)),
    }
}

/// The day an `Edm.DateTime` that stands for a date falls on: midnight UTC
/// by the profile. A value off midnight (a client that stored its local
/// midnight as UTC, a server that keeps a time with a due date) is read in
/// the user's `zone`: 17:00 UTC is that day for a user in Berlin or New
/// York, and Berlin's midnight (22:00 or 23:00 UTC the day before) is the
/// day after for a user in Berlin.
pub fn day_of(
    object: &dyn fmt::Display,
    property: &'static str,
    t: DateTime<Utc>,
    zone: Zone,
) -> NaiveDate {
    if t.time() == NaiveTime::MIN {
        return t.date_naive();
    }
    let day = zone.local(t).date();
    tracing::debug!(object = %object, property, value = %t, %day, "a date is not at midnight UTC; taking its day in the user's zone");
    day
}

/// Midnight UTC of `day`, as the profile stores dates.
pub fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

/// An optional code property (`TransactionType`, `Status`); empty: none.
pub fn code(v: &str) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_map_both_ways() {
        for (p, i) in [
            ("1", Importance::High),
            ("2", Importance::High),
            ("3", Importance::High),
            ("4", Importance::Normal),
            ("5", Importance::Normal),
            ("6", Importance::Normal),
            ("7", Importance::Low),
            ("8", Importance::Low),
            ("9", Importance::Low),
            ("", Importance::Normal),
        ] {
            assert_eq!(importance(p), i, "{p:?}");
        }
        assert_eq!(priority(Importance::High), "3");
        assert_eq!(priority(Importance::Normal), "5");
        assert_eq!(priority(Importance::Low), "9");
        for i in [Importance::High, Importance::Normal, Importance::Low] {
            assert_eq!(importance(priority(i)), i);
        }
    }

    #[test]
    fn cuts_are_reported_and_count_characters() {
        let lengths = Lengths::default();
        let mut report = WriteReport::default();
        let mut w = Writer {
            service: ServiceId::Appointments,
            set: "AppointmentSet",
            object: "AppointmentSet(guid'x')".into(),
            lengths: &lengths,
            report: &mut report,
        };
        let forty_umlauts = "ä".repeat(40);
        assert_eq!(
            w.fit("Description", &forty_umlauts),
            forty_umlauts,
            "40 characters fit, whatever their bytes"
        );
        let long = format!("{forty_umlauts}xyz");
        assert_eq!(w.fit("Description", &long), forty_umlauts);
        assert_eq!(
            w.fit("Note", &"n".repeat(5000)).len(),
            5000,
            "Note has no limit"
        );
        assert_eq!(
            report.cuts,
            vec![Cut {
                object: "AppointmentSet(guid'x')".into(),
                property: "Description",
                length: 43,
                max_length: 40
            }]
        );
        assert_eq!(
            report.cuts[0].to_string(),
            "AppointmentSet(guid'x'): Description cut from 43 to 40 characters"
        );
    }

    #[test]
    fn metadata_lengths_win_over_the_profile() {
        let body = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/samples/crm_appointment_metadata.xml"
        ))
        .unwrap();
        let meta = crate::wire::metadata::parse_metadata(&body).unwrap();
        let mut l = Lengths::default();
        assert_eq!(
            l.max(ServiceId::Appointments, "AppointmentSet", "Description"),
            Some(40)
        );
        l.learn(ServiceId::Appointments, &meta);
        assert_eq!(
            l.max(ServiceId::Appointments, "AppointmentSet", "Description"),
            Some(80)
        );
        assert_eq!(
            l.max(ServiceId::Appointments, "AppointmentSet", "Note"),
            None
        );
        assert_eq!(
            l.max(ServiceId::Appointments, "AppointmentSet", "TimeZone"),
            Some(40),
            "not in this metadata: profile"
        );
        // Not in this metadata: left out of writes (what that costs, the
        // check says); what it has is written.
        assert!(!l.has(ServiceId::Appointments, "AppointmentSet", "TimeZone"));
        assert!(!l.has(ServiceId::Appointments, "AttendeeSet", "Email"));
        assert!(l.has(ServiceId::Appointments, "AppointmentSet", "Location"));
        assert!(
            Lengths::default().has(ServiceId::Appointments, "AppointmentSet", "TimeZone"),
            "before $metadata is read: the profile"
        );
        assert!(
            !Lengths::new(&crate::profile::STANDARD).has(
                ServiceId::Appointments,
                "AppointmentSet",
                "TimeZone"
            ),
            "not in the standard profile"
        );
    }

    #[test]
    fn dates_off_midnight_take_their_day_in_the_users_zone() {
        let zone = |z: &str| z.parse::<Zone>().unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 5, 3).unwrap();
        let berlin = zone("Europe/Berlin");
        let new_york = zone("America/New_York");
        for z in [Zone::UTC, berlin, new_york] {
            assert_eq!(day_of(&"x", "DueDate", midnight(d), z), d, "{z}");
            // A due date kept with its time, late in the UTC day.
            let five_pm = midnight(d) + chrono::Duration::hours(17);
            assert_eq!(day_of(&"x", "DueDate", five_pm, z), d, "{z}");
        }
        let berlin_midnight = midnight(d) - chrono::Duration::hours(2);
        assert_eq!(day_of(&"x", "FromDate", berlin_midnight, berlin), d);
        let new_york_midnight = midnight(d) + chrono::Duration::hours(4);
        assert_eq!(day_of(&"x", "FromDate", new_york_midnight, new_york), d);
    }

    #[test]
    fn bad_partner_numbers_name_the_property() {
        assert_eq!(partner(&"o", "Account", "").unwrap(), None);
        assert_eq!(
            partner(&"o", "Account", "4711").unwrap().unwrap().as_str(),
            "0000004711"
        );
        let e = partner(&"AppointmentSet(guid'x')", "Account", "12 34").unwrap_err();
        assert!(
            e.to_string().contains("Account") && e.to_string().contains("AppointmentSet"),
            "{e}"
        );
    }
}
