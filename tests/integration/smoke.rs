//! The hub starts, runs the initial sync of every user and answers its
//! endpoints.

use std::time::Duration;

use crate::harness::{Env, Setup, eventually};
use maiconnect_fakes::world::WorldOptions;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_world_syncs_on_start() {
    let env = Env::with(Setup {
        world: WorldOptions {
            sample_items: false,
            s4_activities: true,
            ..WorldOptions::default()
        },
        ..Setup::default()
    })
    .await;
    eventually(
        "Anna's appointment in her calendar",
        Duration::from_secs(30),
        || {
            let items = env
                .world
                .exchange
                .items("anna.berg@example.com", Some("calendar"))
                .unwrap_or_default();
            async move {
                serde_json::Value::Array(items)
                    .to_string()
                    .contains("Quarterly review")
            }
        },
    )
    .await;
    let status = env
        .admin_get("/admin/users/anna.berg@example.com/status")
        .await;
    assert_eq!(status["enabled"], true);
    assert!(
        status["linked"]["appointment"].as_u64().unwrap_or(0) >= 1,
        "{status}"
    );
    let health = env
        .http
        .get(format!("{}/health/ready", env.url()))
        .send()
        .await
        .unwrap();
    assert!(health.status().is_success());
    let metrics = env
        .http
        .get(format!("{}/metrics", env.url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("maiconnect_backend_request_seconds"),
        "{metrics}"
    );
}
