use super::*;
use crate::error::HttpFailure;
use crate::profile::{EXTENDED, STANDARD};
use crate::wire::metadata::parse_metadata;

fn whats<T>(list: &[T], f: impl Fn(&T) -> &str) -> Vec<String> {
    list.iter().map(|x| f(x).to_owned()).collect()
}

#[test]
fn the_bench_metadata_lacks_the_additions_and_some_of_the_standard() {
    let body = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/samples/crm_appointment_metadata.xml"
    ))
    .unwrap();
    let m = parse_metadata(&body).unwrap();
    let (problems, degraded) = check_metadata(&EXTENDED, ServiceId::Appointments, &m);
    let p = whats(&problems, |p| &p.what);
    for expected in [
        "navigation property AppointmentSet.Attachments is missing",
        "AttendeeSet has the key (Guid, PartnerNo), the profile expects (Guid, PartnerGuid)",
        "property AttendeeSet.PartnerGuid (Edm.Guid) is missing",
        "entity set AttachmentSet is missing",
    ] {
        assert!(p.contains(&expected.to_owned()), "{expected} not in {p:#?}");
    }
    assert_eq!(problems.len(), 4, "{p:#?}");
    assert!(problems.iter().all(|p| !p.fix.is_empty()));
    // The additions cost, they do not stop the adapter.
    let d = whats(&degraded, |d| &d.what);
    for expected in [
        "property AppointmentSet.TextType (Edm.String) is missing",
        "property AppointmentSet.TimeZone (Edm.String) is missing",
        "property AppointmentSet.ExternalKey (Edm.String) is missing",
        "property AppointmentSet.ChangedAt (Edm.DateTimeOffset) is missing",
        "property AttendeeSet.Email (Edm.String) is missing",
    ] {
        assert!(d.contains(&expected.to_owned()), "{expected} not in {d:#?}");
    }
    assert_eq!(degraded.len(), 5, "{d:#?}");
    let tz = degraded
        .iter()
        .find(|d| d.what.contains("TimeZone"))
        .unwrap();
    assert!(tz.cost.contains("user's zone"), "{}", tz.cost);

    // The standard profile asks for SAP's names: this reconstruction names
    // the attachments `Documents`, not `AppointmentToAttachment`.
    let (problems, degraded) = check_metadata(&STANDARD, ServiceId::Appointments, &m);
    let p = whats(&problems, |p| &p.what);
    assert!(
        p.contains(&"navigation property AppointmentSet.AppointmentToAttachment is missing".into()),
        "{p:#?}"
    );
    assert!(degraded.is_empty(), "{degraded:#?}");
}

#[test]
fn fetch_failures_name_the_fix() {
    let http = |status| ODataError::Http(Box::new(HttpFailure::bare("GET $metadata", status)));
    let name = EXTENDED.name(ServiceId::Tasks);
    let p = unreachable(name, &http(404));
    assert!(
        p.what.contains("/NAG/MAI_CRM_TASK_SRV")
            && p.fix.contains("/IWFND/MAINT_SERVICE")
            && p.fix.contains("LOCAL")
    );
    assert!(
        unreachable(name, &http(403))
            .fix
            .contains("/NAG/SAP_MAICONNECT")
    );
    assert!(unreachable(name, &http(401)).fix.contains("password"));
    let report = CheckReport {
        profile: ProfileKind::Extended,
        services: vec![ServiceCheck {
            service: ServiceId::Tasks,
            name,
            url: "http://h/$metadata".into(),
            problems: vec![unreachable(name, &http(404))],
            degraded: vec![Degradation {
                what: "property Tasks.ChangedAt (Edm.DateTimeOffset) is missing".into(),
                cost: "no change time stamp".into(),
            }],
        }],
    };
    assert!(!report.is_ok());
    let text = report.to_string();
    assert!(
        text.starts_with("FAILED  /NAG/MAI_CRM_TASK_SRV (http://h/$metadata)"),
        "{text}"
    );
    assert!(text.contains("fix: activate the service"), "{text}");
    assert!(text.contains("costs: no change time stamp"), "{text}");
    assert!(
        text.ends_with("the extended profile does not fit: 1 problem\n"),
        "{text}"
    );
}
