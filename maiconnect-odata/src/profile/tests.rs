use super::*;

#[test]
fn every_service_of_both_profiles_is_in_profile_md() {
    let md = include_str!("../../PROFILE.md");
    for profile in [&EXTENDED, &STANDARD] {
        assert_eq!(profile.services.len(), ServiceId::ALL.len());
        for id in ServiceId::ALL {
            let service = profile.service(id);
            assert_eq!(
                service.id, id,
                "{:?} lists the roles in order",
                profile.kind
            );
            assert!(!service.entity_sets.is_empty(), "{id}");
            assert!(
                md.contains(service.name),
                "{} is not in PROFILE.md",
                service.name
            );
            assert!(service.path.ends_with('/'), "{}", service.path);
            for set in service.entity_sets {
                assert!(
                    md.contains(&format!("`{}`", set.name)),
                    "{} not in PROFILE.md",
                    set.name
                );
                for p in set.properties {
                    assert!(
                        md.contains(&format!("`{}`", p.name)),
                        "{}.{} not in PROFILE.md",
                        set.name,
                        p.name
                    );
                }
                for n in set.navigations {
                    assert!(md.contains(&format!("`{n}`")), "{}/{n}", set.name);
                }
            }
        }
    }
    assert_eq!(
        ServiceId::Appointments.default_path(),
        "/sap/opu/odata/NAG/CRM_APPOINTMENT_SRV_01/"
    );
    assert_eq!(
        entity_set(ServiceId::Appointments, "AppointmentSet")
            .unwrap()
            .property("Description")
            .unwrap()
            .max_length,
        Some(40)
    );
}

#[test]
fn the_standard_profile_uses_sap_names_and_gives_up_the_additions() {
    assert_eq!(
        STANDARD.service(ServiceId::Appointments).path,
        "/sap/opu/odata/sap/CRM_APPOINTMENT_SRV/"
    );
    assert_eq!(STANDARD.name(ServiceId::Tasks), "CRM_TASK");
    assert_eq!(STANDARD.appointments.attachments, "AppointmentToAttachment");
    assert_eq!(STANDARD.appointments.update, UpdateMethod::Put);
    assert_eq!(STANDARD.tasks.update, UpdateMethod::Merge);
    assert_eq!(STANDARD.appointments.changed_at, None);
    assert_eq!(EXTENDED.appointments.changed_at, Some("ChangedAt"));
    let given_up: Vec<String> = STANDARD
        .gives_up()
        .iter()
        .map(|(_, set, p)| format!("{set}.{}", p.name))
        .collect();
    for f in [
        "AppointmentSet.TimeZone",
        "AppointmentSet.ExternalKey",
        "AppointmentSet.ChangedAt",
        "AppointmentSet.TextType",
        "AttendeeSet.Email",
        "Tasks.ExternalKey",
        "Tasks.ChangedAt",
        "ContactCollection.middleName",
        "ContactWorkAddressCollection.street",
        "ContactWorkAddressCollection.fax",
    ] {
        assert!(given_up.contains(&f.to_owned()), "{f} not in {given_up:?}");
    }
    // Everything given up is optional in the extended profile: it costs,
    // it does not break.
    for (_, set, p) in STANDARD.gives_up() {
        assert!(p.optional(), "{set}.{} is required", p.name);
    }
    assert!(EXTENDED.gives_up().is_empty());
}

#[test]
fn services_are_found_by_either_profile_name() {
    assert_eq!(
        ServiceId::from_name("CRM_APPOINTMENT_SRV_01"),
        Some(ServiceId::Appointments)
    );
    assert_eq!(
        ServiceId::from_name("/nag/mai_crm_task_srv"),
        Some(ServiceId::Tasks)
    );
    assert_eq!(ServiceId::from_name("CRM_TASK"), Some(ServiceId::Tasks));
    assert_eq!(
        ServiceId::from_name("CRM_BUPA_ODATA"),
        Some(ServiceId::BusinessPartners)
    );
    assert_eq!(ServiceId::from_name("NOPE"), None);
    assert_eq!("Standard".parse::<ProfileKind>(), Ok(ProfileKind::Standard));
    assert!(
        "copy"
            .parse::<ProfileKind>()
            .unwrap_err()
            .contains("extended")
    );
}
