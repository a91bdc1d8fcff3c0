//! The link an update leaves behind if the process stops right after it.
//!
//! The plan's last step records both sides in full. A stop in between used
//! to leave the old link, and the written values then read as a change made
//! on the written side: had the person changed the source again meanwhile
//! (say, removed the attendee just added), our own write won over that
//! change. The executor therefore records, before each update of a linked
//! pair, the link that holds once the write is done: the written fields as
//! seen on both sides, the written side's version unknown so that its
//! content is compared. Everything not written keeps its old seen value, so
//! changes still on their way to the other side keep flowing.

use crate::ids::Version;
use crate::model::Record;
use crate::plan::changes::Changes;
use crate::plan::fields::{Field, MergeKind};
use crate::plan::state::{Link, Side};

/// The link after writing `changes` to `side`, with `source` the other
/// side's copy the values came from. `both_ways` lists the fields that the
/// same plan also writes to the other side: for a set field in both
/// directions the merged list holds both sides' additions, so recording it
/// as seen would hide the ones still on their way; such a field keeps its
/// old seen value, and the merge finds the written part as agreement.
pub(crate) fn pending_link(
    link: &Link,
    side: Side,
    changes: &Changes,
    source: &Record,
    both_ways: &[Field],
) -> Link {
    let fields: Vec<Field> = changes
        .fields()
        .into_iter()
        .filter(|f| !(both_ways.contains(f) && f.merge_kind() == MergeKind::Set))
        .collect();
    let mut written = Changes::new();
    for c in changes.iter().filter(|c| fields.contains(&c.field)) {
        written.set(c.field, c.value.clone());
    }
    let from_source = Changes::of(source, fields);
    let mut next = link.clone();
    let (target, other, version) = match side {
        Side::S4 => (
            &mut next.s4_seen,
            &mut next.exchange_seen,
            &mut next.s4_version,
        ),
        Side::Exchange => (
            &mut next.exchange_seen,
            &mut next.s4_seen,
            &mut next.exchange_version,
        ),
    };
    written.apply_to_record(target);
    from_source.apply_to_record(other);
    *version = Version::unknown();
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::changes::Value;
    use crate::testing::samples::{appointment_a, appointment_link, attendee};

    #[test]
    fn written_fields_are_seen_on_both_sides_and_the_rest_is_kept() {
        let base = appointment_a();
        let old = appointment_link(1, "AAMk1");
        let mut outlook = base.clone();
        outlook.subject = "Moved".into();
        outlook.location = "not written".into();
        let mut c = Changes::new();
        c.set(Field::Subject, Value::Text("Moved".into()));
        let next = pending_link(&old, Side::S4, &c, &Record::Appointment(outlook), &[]);
        let (Record::Appointment(s), Record::Appointment(e)) = (&next.s4_seen, &next.exchange_seen)
        else {
            panic!()
        };
        assert_eq!((s.subject.as_str(), e.subject.as_str()), ("Moved", "Moved"));
        assert_eq!(e.location, base.location, "only the written fields move");
        assert_eq!(next.s4_version, Version::unknown());
        assert_eq!(next.exchange_version, old.exchange_version);
    }

    #[test]
    fn a_set_written_both_ways_keeps_its_old_seen_value() {
        let base = appointment_a();
        let old = appointment_link(1, "AAMk1");
        let mut outlook = base.clone();
        outlook
            .attendees
            .push(attendee("ex.add@example.com", Some("200")));
        let mut c = Changes::new();
        c.set(
            Field::Attendees,
            Value::Attendees(outlook.attendees.clone()),
        );
        let src = Record::Appointment(outlook);
        let next = pending_link(&old, Side::S4, &c, &src, &[Field::Attendees]);
        assert_eq!(next.s4_seen, old.s4_seen);
        assert_eq!(next.exchange_seen, old.exchange_seen);
        let next = pending_link(&old, Side::S4, &c, &src, &[]);
        assert_ne!(next.s4_seen, old.s4_seen);
    }
}
