//! Tasks both ways: created, completed and deleted in either system.

use maiconnect_fakes::exchange::control::spec::ItemSpec;
use maiconnect_fakes::s4::ActivityKind;
use serde_json::{Value, json};

use crate::harness::{ANNA, Env, at, ex_time, iso, s4_time, text};

fn status(item: &Value) -> &str {
    item["props"]["Status"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_made_in_s4_is_created_completed_and_deleted_in_outlook() {
    let env = Env::start().await;
    env.quiet().await;
    let due = at(3, 0);
    let guid = env
        .world
        .s4
        .create_task(json!({
            "Description": "Send offer", "TransactionType": "ZTSK", "ResponsibleId": "4711",
            "DueDate": iso(due), "Note": "Prices as agreed"
        }))
        .unwrap();
    let task = env
        .wait_items(ANNA, "tasks", "Send offer", 1)
        .await
        .remove(0);
    assert_eq!(text(&task, "body"), "Prices as agreed");
    assert_eq!(
        ex_time(&task["props"], "DueDate").date_naive(),
        due.date_naive()
    );
    assert_ne!(status(&task), "Completed");

    env.world
        .s4
        .update_activity(ActivityKind::Task, guid, json!({"Completed": true}))
        .unwrap();
    env.wait("the task completed in Outlook", || {
        let t = env.items_titled(ANNA, "tasks", "Send offer").pop()?;
        (status(&t) == "Completed").then_some(())
    })
    .await;

    env.world
        .s4
        .delete_activity(ActivityKind::Task, guid)
        .unwrap();
    env.wait_items(ANNA, "tasks", "Send offer", 0).await;
    env.quiet().await;
    assert!(env.items(ANNA, "tasks").is_empty());
    assert!(env.s4_all(ActivityKind::Task).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_made_in_outlook_is_created_completed_and_deleted_in_s4() {
    let env = Env::start().await;
    env.quiet().await;
    let due = at(4, 0);
    let id = env.outlook_create(
        ANNA,
        "tasks",
        &ItemSpec {
            kind: Some("task".into()),
            subject: Some("Call back Piet".into()),
            body: Some("About the discount".into()),
            due: Some(due),
            ..ItemSpec::default()
        },
    );
    let s4 = env
        .wait_s4(ActivityKind::Task, "Call back Piet", 1)
        .await
        .remove(0);
    assert_eq!(text(&s4, "ResponsibleId"), "0000004711");
    assert_eq!(text(&s4, "TransactionType"), "ZTSK");
    assert_eq!(text(&s4, "Note"), "About the discount");
    assert_eq!(s4_time(&s4, "DueDate").date_naive(), due.date_naive());
    assert_eq!(s4["Completed"], json!(false));

    env.outlook_update(
        ANNA,
        &id,
        &ItemSpec {
            status: Some("Completed".into()),
            ..ItemSpec::default()
        },
    );
    env.wait("the task completed in S/4HANA", || {
        let t = env.s4_titled(ActivityKind::Task, "Call back Piet").pop()?;
        (t["Completed"] == json!(true)).then_some(())
    })
    .await;

    env.outlook_delete(ANNA, &id);
    env.wait_s4(ActivityKind::Task, "Call back Piet", 0).await;
    env.quiet().await;
    assert!(env.s4_all(ActivityKind::Task).is_empty());
    assert!(env.items(ANNA, "tasks").is_empty());
}
