//! One test per arm of the planner's decision tables.

mod common;

use chrono::Duration;
use common::*;
use maiconnect_core::model::*;
use maiconnect_core::plan::*;
use maiconnect_core::policy::*;
use maiconnect_core::testing::samples::*;

fn ops(plan: &Plan) -> Vec<&'static str> {
    plan.ops.iter().map(Operation::name).collect()
}

fn plan(p: Pair) -> Plan {
    plan_pair(&p, &ctx(&policy(), &user()))
}

fn plan_with(p: Pair, policy: &Policy) -> Plan {
    plan_pair(&p, &ctx(policy, &user()))
}

// --- nothing linked yet ---

/// The appointment the plan's first operation creates.
fn created(p: &Plan) -> &Appointment {
    match p.ops.first() {
        Some(Operation::CreateInExchange { record, .. } | Operation::CreateInS4 { record, .. }) => {
            match &**record {
                Record::Appointment(a) => a,
                other => panic!("creates a {}: {p}", other.kind()),
            }
        }
        _ => panic!("creates nothing: {p}"),
    }
}

#[test]
fn nothing_anywhere_is_nothing() {
    assert!(plan(pair(None, None, None)).is_empty());
}

#[test]
fn a_link_without_copies_is_dropped() {
    let (_, _, l) = synced();
    assert_eq!(ops(&plan(pair(None, None, Some(l)))), ["unlink"]);
}

#[test]
fn a_new_s4_appointment_is_created_in_outlook() {
    let (s, _, _) = synced();
    let p = plan(pair(Some(s.clone()), None, None));
    assert_eq!(ops(&p), ["create_in_exchange"]);
    let Operation::CreateInExchange { link_key, .. } = &p.ops[0] else {
        panic!()
    };
    assert_eq!(link_key, &s.key);
    let a = created(&p);
    assert_eq!(a.subject, "Quarterly review");
}

#[test]
fn a_new_s4_appointment_gets_the_filter_category_or_tag() {
    let (s, _, _) = synced();
    let mut pol = policy();
    pol.appointments.outlook_to_s4.filter = OutlookFilter::Category("CRM".into());
    let p = plan_with(pair(Some(s.clone()), None, None), &pol);
    let a = created(&p);
    assert_eq!(a.categories, vec!["CRM".to_string()]);
    pol.appointments.outlook_to_s4.filter = OutlookFilter::SyncTag;
    let p = plan_with(pair(Some(s), None, None), &pol);
    let a = created(&p);
    assert!(a.sync_tag);
}

#[test]
fn s4_appointments_outside_the_filters_stay_in_s4() {
    let (s, _, _) = synced();
    let with = |f: &dyn Fn(&mut Appointment)| {
        let mut s = s.clone();
        let Record::Appointment(a) = &mut s.record else {
            panic!()
        };
        f(a);
        plan(pair(Some(s), None, None))
    };
    let p = with(&|a| a.transaction_type = Some("ZTEL".parse().unwrap()));
    assert!(
        p.is_empty() && p.reasons[0].contains("transaction type ZTEL"),
        "{p}"
    );
    let p = with(&|a| a.owner = Some(bp("9999")));
    assert!(
        p.is_empty() && p.reasons[0].contains("neither responsible"),
        "{p}"
    );
    let p = with(&|a| a.when = When::all_day(now().date_naive() + Duration::days(400), 1));
    assert!(p.is_empty() && p.reasons[0].contains("window"), "{p}");
    let mut pol = policy();
    pol.appointments.private = PrivatePolicy::Skip;
    let mut private = s.clone();
    let Record::Appointment(a) = &mut private.record else {
        panic!()
    };
    a.sensitivity = Sensitivity::Private;
    let p = plan_with(pair(Some(private), None, None), &pol);
    assert!(p.is_empty() && p.reasons[0].contains("private"), "{p}");
}

#[test]
fn an_attendee_of_an_s4_appointment_gets_it_too() {
    let (s, _, _) = synced();
    let mut s = s;
    let Record::Appointment(a) = &mut s.record else {
        panic!()
    };
    a.owner = Some(bp("4712"));
    a.attendees.push(Attendee {
        email: Some(email("anna.berg@example.com")),
        name: "Anna".into(),
        partner: Some(bp("4711")),
        function: Some(PartnerFunction::PARTICIPANT),
        required: true,
    });
    assert_eq!(
        ops(&plan(pair(Some(s), None, None))),
        ["create_in_exchange"]
    );
}

#[test]
fn a_disabled_user_gets_nothing() {
    let (s, _, _) = synced();
    let mut u = user();
    u.enabled = false;
    let p = plan_pair(&pair(Some(s), None, None), &ctx(&policy(), &u));
    assert!(p.is_empty() && p.reasons[0].contains("disabled"));
}

#[test]
fn a_tagged_item_whose_s4_object_is_gone_is_deleted() {
    let (s, mut e, _) = synced();
    e.link_key = Some(s.key);
    assert_eq!(
        ops(&plan(pair(None, Some(e), None))),
        ["delete_in_exchange"]
    );
}

#[test]
fn a_new_outlook_appointment_is_created_in_s4_and_tagged() {
    let (_, e, _) = synced();
    let p = plan(pair(None, Some(e), None));
    assert_eq!(ops(&p), ["create_in_s4", "tag_exchange"]);
    let a = created(&p);
    assert_eq!(a.owner, Some(bp("4711")));
    assert_eq!(a.transaction_type, Some("ZMAI".parse().unwrap()));
}

#[test]
fn an_occurrence_is_created_in_s4_but_not_tagged() {
    let (_, mut e, _) = synced();
    e.key.occurrence = Some(now());
    assert_eq!(
        ops(&plan(pair(None, Some(e.clone()), None))),
        ["create_in_s4"]
    );
    let mut pol = policy();
    pol.appointments.recurring.enabled = false;
    let p = plan_with(pair(None, Some(e), None), &pol);
    assert!(p.is_empty() && p.reasons[0].contains("recurring"), "{p}");
}

#[test]
fn outlook_items_outside_the_filters_stay_in_outlook() {
    let (_, e, _) = synced();
    let mut pol = policy();
    pol.appointments.outlook_to_s4.enabled = false;
    let p = plan_with(pair(None, Some(e.clone()), None), &pol);
    assert!(p.is_empty() && p.reasons[0].contains("off"), "{p}");

    pol = policy();
    pol.appointments.outlook_to_s4.filter = OutlookFilter::Category("CRM".into());
    let p = plan_with(pair(None, Some(e.clone()), None), &pol);
    assert!(p.is_empty() && p.reasons[0].contains("category"), "{p}");
    let mut tagged = e.clone();
    let Record::Appointment(a) = &mut tagged.record else {
        panic!()
    };
    a.categories.push("crm".into());
    assert_eq!(
        ops(&plan_with(pair(None, Some(tagged), None), &pol)),
        ["create_in_s4", "tag_exchange"]
    );

    pol.appointments.outlook_to_s4.filter = OutlookFilter::SyncTag;
    let p = plan_with(pair(None, Some(e.clone()), None), &pol);
    assert!(p.is_empty() && p.reasons[0].contains("sync tag"), "{p}");
    let mut tagged = e.clone();
    let Record::Appointment(a) = &mut tagged.record else {
        panic!()
    };
    a.sync_tag = true;
    assert_eq!(
        ops(&plan_with(pair(None, Some(tagged), None), &pol)),
        ["create_in_s4", "tag_exchange"]
    );
}

#[test]
fn private_outlook_appointments_follow_the_private_policy() {
    let (_, mut e, _) = synced();
    let Record::Appointment(a) = &mut e.record else {
        panic!()
    };
    a.sensitivity = Sensitivity::Private;
    a.subject = "Dentist".into();
    let mut pol = policy();
    pol.appointments.private = PrivatePolicy::Skip;
    assert!(plan_with(pair(None, Some(e.clone()), None), &pol).is_empty());

    pol.appointments.private = PrivatePolicy::SyncAsPrivate;
    let p = plan_with(pair(None, Some(e.clone()), None), &pol);
    let a = created(&p);
    assert_eq!(a.subject, "Private");
    assert!(a.is_private() && a.attendees.is_empty() && a.body.is_empty() && a.location.is_empty());

    pol.appointments.private = PrivatePolicy::Sync;
    let p = plan_with(pair(None, Some(e), None), &pol);
    let a = created(&p);
    assert_eq!(a.subject, "Dentist");
}

#[test]
fn attachments_over_the_cap_or_switched_off_are_left_out_of_creates() {
    let (_, e, _) = synced();
    let mut pol = policy();
    pol.appointments.attachments.max_bytes = 1000;
    let p = plan_with(pair(None, Some(e.clone()), None), &pol);
    let a = created(&p);
    assert!(a.attachments.is_empty(), "agenda.pdf has 1200 bytes");
    pol.appointments.attachments.max_bytes = 2000;
    let p = plan_with(pair(None, Some(e.clone()), None), &pol);
    let a = created(&p);
    assert_eq!(a.attachments.len(), 1);
    pol.appointments.attachments.enabled = false;
    let p = plan_with(pair(None, Some(e), None), &pol);
    let a = created(&p);
    assert!(a.attachments.is_empty());
}

#[test]
fn outlook_attendees_without_partner_do_not_go_to_s4() {
    let (_, mut e, _) = synced();
    let Record::Appointment(a) = &mut e.record else {
        panic!()
    };
    a.attendees.push(attendee("stranger@example.org", None));
    let p = plan(pair(None, Some(e), None));
    let a = created(&p);
    assert!(a.attendees.iter().all(|x| x.partner.is_some()));
}

#[test]
fn matching_copies_found_by_tag_are_linked_and_merged_by_the_rule() {
    let (s, mut e, _) = synced();
    e.link_key = Some(s.key.clone());
    let Record::Appointment(a) = &mut e.record else {
        panic!()
    };
    a.subject = "Renamed in Outlook".into();
    let p = plan(pair(Some(s.clone()), Some(e.clone()), None));
    assert_eq!(ops(&p), ["update_exchange", "save_link"], "{p}");
    let mut pol = policy();
    pol.conflict.rule = ConflictRule::ExchangeWins;
    let p = plan_with(pair(Some(s), Some(e), None), &pol);
    assert_eq!(ops(&p), ["update_s4", "save_link"], "{p}");
}

#[test]
fn matching_copies_outside_every_filter_are_left_alone() {
    let (mut s, e, _) = synced();
    let Record::Appointment(a) = &mut s.record else {
        panic!()
    };
    a.transaction_type = Some("ZTEL".parse().unwrap());
    let mut pol = policy();
    pol.appointments.outlook_to_s4.enabled = false;
    assert!(plan_with(pair(Some(s), Some(e), None), &pol).is_empty());
}

// --- linked, one copy gone ---

#[test]
fn deleted_in_outlook_by_the_owner_deletes_in_s4() {
    let (s, _, l) = synced();
    assert_eq!(ops(&plan(pair(Some(s), None, Some(l)))), ["delete_in_s4"]);
}

#[test]
fn deleted_in_outlook_with_outlook_to_s4_off_is_written_again() {
    let (s, _, l) = synced();
    let mut pol = policy();
    pol.appointments.outlook_to_s4.enabled = false;
    assert_eq!(
        ops(&plan_with(pair(Some(s), None, Some(l)), &pol)),
        ["unlink", "create_in_exchange"]
    );
}

#[test]
fn deleted_in_outlook_by_a_participant_is_written_again() {
    let (mut s, _, l) = synced();
    let Record::Appointment(a) = &mut s.record else {
        panic!()
    };
    a.owner = Some(bp("4712"));
    a.attendees.push(Attendee {
        email: Some(email("anna.berg@example.com")),
        name: "Anna".into(),
        partner: Some(bp("4711")),
        function: Some(PartnerFunction::PARTICIPANT),
        required: true,
    });
    let p = plan(pair(Some(s), None, Some(l)));
    assert_eq!(ops(&p), ["unlink", "create_in_exchange"]);
    assert!(p.reasons[0].contains("participant"));
}

#[test]
fn deleted_in_outlook_and_outside_the_filter_is_unlinked() {
    let (mut s, _, l) = synced();
    let Record::Appointment(a) = &mut s.record else {
        panic!()
    };
    a.transaction_type = Some("ZTEL".parse().unwrap());
    assert_eq!(ops(&plan(pair(Some(s), None, Some(l)))), ["unlink"]);
}

#[test]
fn deleted_in_s4_deletes_in_outlook() {
    let (_, e, l) = synced();
    assert_eq!(
        ops(&plan(pair(None, Some(e), Some(l)))),
        ["delete_in_exchange"]
    );
}

// --- linked, both present ---

#[test]
fn unchanged_versions_do_nothing() {
    let (s, e, l) = synced();
    assert!(plan(pair(Some(s), Some(e), Some(l))).is_empty());
}

#[test]
fn our_own_write_coming_back_only_records_versions() {
    let (s, mut e, l) = synced();
    e.version = v("CK2");
    let Record::Appointment(a) = &mut e.record else {
        panic!()
    };
    a.reminder = Some(Reminder { minutes_before: 15 }); // not a merged field
    let p = plan(pair(Some(s), Some(e), Some(l)));
    assert_eq!(ops(&p), ["save_link"]);
    assert!(!p.writes());
}

#[test]
fn an_s4_change_flows_to_outlook() {
    let (mut s, e, l) = synced();
    s.version = v("W/\"2\"");
    let Record::Appointment(a) = &mut s.record else {
        panic!()
    };
    a.location = "Room 4".into();
    let p = plan(pair(Some(s), Some(e), Some(l)));
    assert_eq!(ops(&p), ["update_exchange", "save_link"]);
    let Operation::UpdateExchange { changes, .. } = &p.ops[0] else {
        panic!()
    };
    assert_eq!(changes.fields(), vec![Field::Location]);
    assert_eq!(
        changes.get(Field::Location),
        Some(&Value::Text("Room 4".into()))
    );
}

#[test]
fn an_outlook_change_flows_to_s4_only_for_the_owner_with_outlook_to_s4_on() {
    let (s, mut e, l) = synced();
    e.version = v("CK2");
    let Record::Appointment(a) = &mut e.record else {
        panic!()
    };
    a.subject = "Renamed".into();
    let p = plan(pair(Some(s.clone()), Some(e.clone()), Some(l.clone())));
    assert_eq!(ops(&p), ["update_s4", "save_link"]);
    let mut pol = policy();
    pol.appointments.outlook_to_s4.enabled = false;
    let p = plan_with(pair(Some(s), Some(e), Some(l)), &pol);
    assert_eq!(
        ops(&p),
        ["save_link"],
        "accepted as Outlook's own, not written to S/4"
    );
}

#[test]
fn a_conflict_follows_the_configured_rule_per_field() {
    let (mut s, mut e, l) = synced();
    s.version = v("W/\"2\"");
    e.version = v("CK2");
    let Record::Appointment(a) = &mut s.record else {
        panic!()
    };
    a.subject = "S".into();
    let Record::Appointment(b) = &mut e.record else {
        panic!()
    };
    b.subject = "E".into();
    let mut pol = policy();
    pol.conflict
        .fields
        .insert(Field::Subject, ConflictRule::ExchangeWins);
    let p = plan_with(pair(Some(s), Some(e), Some(l)), &pol);
    assert_eq!(ops(&p), ["update_s4", "save_link"]);
    assert!(p.reasons.iter().any(|r| r.contains("Exchange wins")), "{p}");
}

#[test]
fn private_blockers_do_not_carry_content_either_way() {
    let (mut s, mut e, l) = synced();
    s.version = v("W/\"2\"");
    e.version = v("CK2");
    let Record::Appointment(a) = &mut s.record else {
        panic!()
    };
    a.subject = "changed in S/4".into();
    let Record::Appointment(b) = &mut e.record else {
        panic!()
    };
    b.sensitivity = Sensitivity::Private;
    let mut pol = policy();
    pol.appointments.private = PrivatePolicy::SyncAsPrivate;
    let p = plan_with(pair(Some(s), Some(e), Some(l)), &pol);
    assert_eq!(ops(&p), ["update_s4", "save_link"], "{p}");
    let Operation::UpdateS4 { changes, .. } = &p.ops[0] else {
        panic!()
    };
    assert_eq!(changes.fields(), vec![Field::Private]);
}

#[test]
fn a_user_removed_from_the_activity_loses_the_copy() {
    let (mut s, e, l) = synced();
    s.version = v("W/\"2\"");
    let Record::Appointment(a) = &mut s.record else {
        panic!()
    };
    a.owner = Some(bp("4712"));
    assert_eq!(
        ops(&plan(pair(Some(s), Some(e), Some(l)))),
        ["delete_in_exchange"]
    );
}

#[test]
fn leaving_every_filter_unlinks_without_deleting() {
    let (mut s, e, l) = synced();
    let Record::Appointment(a) = &mut s.record else {
        panic!()
    };
    a.when = When::all_day(now().date_naive() - Duration::days(90), 1);
    let mut e2 = e.clone();
    let Record::Appointment(b) = &mut e2.record else {
        panic!()
    };
    b.when = a.when.clone();
    let p = plan(pair(Some(s), Some(e2), Some(l)));
    assert_eq!(ops(&p), ["unlink"]);
    assert!(p.reasons[0].contains("not deleted"));
}

#[test]
fn attachments_added_in_s4_flow_within_the_cap() {
    let (mut s, e, l) = synced();
    s.version = v("W/\"2\"");
    let Record::Appointment(a) = &mut s.record else {
        panic!()
    };
    a.attachments.push(Attachment {
        name: "big.zip".into(),
        content_type: "application/zip".into(),
        size: 50_000_000,
        content: AttachmentContent::Reference("r".into()),
    });
    a.attachments.push(Attachment {
        name: "small.txt".into(),
        content_type: "text/plain".into(),
        size: 10,
        content: AttachmentContent::Reference("r2".into()),
    });
    let p = plan(pair(Some(s), Some(e), Some(l)));
    let Operation::UpdateExchange { changes, .. } = &p.ops[0] else {
        panic!("{p}")
    };
    assert_eq!(changes.fields(), vec![Field::Attachments]);
    let Some(Value::Attachments(list)) = changes.get(Field::Attachments) else {
        panic!("{p}")
    };
    let names: Vec<_> = list.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["agenda.pdf", "small.txt"]);
}

// --- tasks use the same table ---

#[test]
fn tasks_flow_both_ways() {
    let t = task_a();
    let s = S4Item {
        key: S4Key::Task(maiconnect_core::ids::ActivityId::from_uuid(
            uuid::Uuid::from_u128(7),
        )),
        version: v("1"),
        record: Record::Task(t.clone()),
        changed_at: None,
    };
    let p = plan(pair(Some(s.clone()), None, None));
    assert_eq!(ops(&p), ["create_in_exchange"]);
    let mut done = t.clone();
    done.completed = true;
    done.status = TaskStatus::Completed;
    done.owner = None;
    let e = MailboxItem {
        key: ekey("T1"),
        version: v("CK9"),
        record: Record::Task(done),
        changed_at: None,
        link_key: None,
    };
    let mut l = link(&s, &e);
    let Record::Task(seen) = &mut l.exchange_seen else {
        panic!()
    };
    seen.completed = false;
    l.exchange_version = v("CK8");
    let p = plan(pair(Some(s), Some(e), Some(l)));
    assert_eq!(ops(&p), ["update_s4", "save_link"]);
    let Operation::UpdateS4 { changes, .. } = &p.ops[0] else {
        panic!()
    };
    assert_eq!(changes.fields(), vec![Field::Completed]);
}

// --- contacts ---

fn contact_item(n: &str, version: &str) -> S4Item {
    S4Item {
        key: S4Key::Contact(bp(n)),
        version: v(version),
        record: Record::Contact(Box::new(contact_a())),
        changed_at: None,
    }
}

fn contact_ex(version: &str) -> MailboxItem {
    MailboxItem {
        key: ekey("C1"),
        version: v(version),
        record: Record::Contact(Box::new(contact_a())),
        changed_at: None,
        link_key: None,
    }
}

fn cplan(p: Pair, member: bool) -> Plan {
    plan_contact(&p, member, &ctx(&policy(), &user()))
}

#[test]
fn a_member_contact_is_created_and_a_non_member_is_not() {
    assert_eq!(
        ops(&cplan(
            pair(Some(contact_item("100", "1")), None, None),
            true
        )),
        ["create_in_exchange"]
    );
    assert!(cplan(pair(Some(contact_item("100", "1")), None, None), false).is_empty());
}

#[test]
fn a_contact_whose_relationship_ended_is_removed() {
    let s = contact_item("100", "1");
    let e = contact_ex("CK1");
    let l = link(&s, &e);
    assert_eq!(
        ops(&cplan(pair(Some(s), Some(e), Some(l)), false)),
        ["delete_in_exchange"]
    );
}

#[test]
fn contacts_follow_s4_one_way() {
    let s = contact_item("100", "1");
    let e = contact_ex("CK1");
    let l = link(&s, &e);
    let mut s2 = s.clone();
    s2.version = v("2");
    let Record::Contact(c) = &mut s2.record else {
        panic!()
    };
    c.job_title = "CEO".into();
    let p = cplan(pair(Some(s2), Some(e.clone()), Some(l.clone())), true);
    assert_eq!(ops(&p), ["update_exchange", "save_link"]);
    let mut e2 = e.clone();
    e2.version = v("CK2");
    let Record::Contact(c) = &mut e2.record else {
        panic!()
    };
    c.mobile_phone = "edited in Outlook".into();
    let p = cplan(pair(Some(s), Some(e2), Some(l)), true);
    assert_eq!(ops(&p), ["save_link"], "Outlook edits never go to S/4");
}

#[test]
fn a_contact_whose_company_was_renamed_is_updated_under_the_same_version() {
    let s = contact_item("100", "1");
    let e = contact_ex("CK1");
    let l = link(&s, &e);
    assert!(
        cplan(
            pair(Some(s.clone()), Some(e.clone()), Some(l.clone())),
            true
        )
        .is_empty()
    );
    // The customer's name changed; the person, whose version it is, did not.
    let mut renamed = s;
    let Record::Contact(c) = &mut renamed.record else {
        panic!()
    };
    c.company = "Customer SE".into();
    let p = cplan(pair(Some(renamed), Some(e), Some(l)), true);
    assert_eq!(ops(&p), ["update_exchange", "save_link"]);
    let Operation::UpdateExchange { changes, .. } = &p.ops[0] else {
        panic!()
    };
    assert_eq!(changes.fields(), vec![Field::Company]);
}

#[test]
fn contact_deletions_and_the_user_s_own_contacts() {
    let s = contact_item("100", "1");
    let e = contact_ex("CK1");
    let l = link(&s, &e);
    assert_eq!(
        ops(&cplan(pair(None, Some(e.clone()), Some(l.clone())), true)),
        ["delete_in_exchange"]
    );
    assert_eq!(
        ops(&cplan(pair(Some(s.clone()), None, Some(l.clone())), true)),
        ["unlink", "create_in_exchange"]
    );
    assert!(
        cplan(pair(None, Some(e.clone()), None), true).is_empty(),
        "the user's own contact is never touched"
    );
    let mut tagged = e;
    tagged.link_key = Some(s.key.clone());
    assert_eq!(
        ops(&cplan(pair(None, Some(tagged), None), true)),
        ["delete_in_exchange"]
    );
    let mut pol = policy();
    pol.contacts.enabled = false;
    let p = plan_contact(&pair(Some(s), None, Some(l)), true, &ctx(&pol, &user()));
    assert_eq!(ops(&p), ["unlink"]);
}

// --- the guard and the display ---

#[test]
fn the_guard_holds_a_run_that_deletes_too_much() {
    let (_, e, l) = synced();
    let dp = pair(None, Some(e), Some(l));
    let delete = (dp.clone(), plan(dp));
    let keep = (Pair::default(), plan(pair(None, None, None)));
    let g = MassChangeGuard {
        max_deletes: 2,
        max_share_percent: 50,
        min_linked_for_share: 4,
    };
    let (run, held) = guard(vec![delete.clone(), delete.clone(), keep.clone()], 100, &g);
    assert_eq!((run.len(), held.len()), (3, 0));
    let (run, held) = guard(
        vec![delete.clone(), delete.clone(), delete.clone(), keep.clone()],
        100,
        &g,
    );
    assert_eq!((run.len(), held.len()), (1, 3));
    assert!(held[0].reason.contains("limit of 2"));
    let (_, held) = guard(vec![delete.clone(), delete.clone(), keep.clone()], 3, &g);
    assert_eq!(held.len(), 0, "share rule off below min_linked_for_share");
    let (_, held) = guard(vec![delete.clone(), delete], 4, &g);
    assert_eq!(held.len(), 0, "2 of 4 is exactly 50%");
}

#[test]
fn plans_read_well() {
    let (mut s, e, l) = synced();
    s.version = v("W/\"2\"");
    let Record::Appointment(a) = &mut s.record else {
        panic!()
    };
    a.subject = "New subject".into();
    let text = plan(pair(Some(s), Some(e), Some(l))).to_string();
    assert!(
        text.starts_with("anna.berg@example.com appointment BUS2000126:"),
        "{text}"
    );
    assert!(
        text.contains("update Exchange AAMk-1: subject = \"New subject\""),
        "{text}"
    );
    assert!(text.contains("record the synchronised state"), "{text}");
}
