//! The fake S/4HANA's control API over HTTP, its clock and its seed.

mod s4_common;

use maiconnect_fakes::s4::{FakeS4Config, ServiceId};
use reqwest::Method;
use s4_common::*;
use serde_json::{Value, json};

async fn control(
    c: &reqwest::Client,
    h: &maiconnect_fakes::s4::FakeS4Handle,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut r = c.request(method, format!("{}/_control/{path}", h.base_url()));
    if let Some(b) = body {
        r = r.json_body(&b);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn activities_partners_and_settings_through_http() {
    let h = start().await;
    // One client for all control calls (building one is slow).
    let cc = reqwest::Client::new();
    let (s, v) = control(
        &cc,
        &h,
        Method::POST,
        "clock",
        Some(json!({"set": "2026-12-01T08:00:00Z"})),
    )
    .await;
    assert_eq!((s, v["fixed"].as_bool()), (200, Some(true)));
    let (s, v) = control(
        &cc,
        &h,
        Method::POST,
        "activities/appointments",
        Some(json!({
            "Description": "From SAP GUI", "Responsible": "4711",
            "FromDate": "2026-12-02T09:00:00Z", "ToDate": "2026-12-02T10:00:00Z",
            "Attendee": [{"PartnerNo": "100", "Function": "00000015"}]
        })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let g = v["guid"].as_str().unwrap().to_owned();
    let (_, a) = control(
        &cc,
        &h,
        Method::GET,
        &format!("activities/appointments/{g}"),
        None,
    )
    .await;
    assert_eq!(a["Description"], "From SAP GUI");
    assert_eq!(
        a["ChangedAt"], "/Date(1796112000000+0000)/",
        "ChangedAt follows the set clock"
    );
    assert_eq!(a["Attendee"][0]["PartnerNo"], "0000000100");
    control(
        &cc,
        &h,
        Method::POST,
        "clock",
        Some(json!({"advance_secs": 60})),
    )
    .await;
    let (s, _) = control(
        &cc,
        &h,
        Method::PATCH,
        &format!("activities/appointments/{g}"),
        Some(json!({"Location": "Room 7"})),
    )
    .await;
    assert_eq!(s, 200);
    let (_, a) = control(
        &cc,
        &h,
        Method::GET,
        &format!("activities/appointments/{g}"),
        None,
    )
    .await;
    assert_eq!(
        (a["Location"].as_str(), a["ChangedAt"].as_str()),
        (Some("Room 7"), Some("/Date(1796112060000+0000)/"))
    );
    let (s, v) = control(
        &cc,
        &h,
        Method::PATCH,
        &format!("activities/appointments/{g}"),
        Some(json!({"Description": "z".repeat(41)})),
    )
    .await;
    assert_eq!(s, 400);
    assert!(v["error"].as_str().unwrap().contains("'Description'"));
    let (s, _) = control(
        &cc,
        &h,
        Method::GET,
        "activities/appointments/0050568c-2b4f-1ee8-a1b2-000000000000",
        None,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = control(&cc, &h, Method::GET, "activities/contracts", None).await;
    assert_eq!(s, 404);

    let (s, p) = control(&cc, &h, Method::POST, "partners", Some(json!({"number": "4714", "category": "1", "firstName": "Dora", "lastName": "Ek", "email": "dora@example.com", "employee": true, "userName": "DEK"}))).await;
    assert_eq!((s, p["number"].as_str()), (200, Some("0000004714")));
    let (s, _) = control(
        &cc,
        &h,
        Method::POST,
        "partners",
        Some(json!({"number": "x y", "category": "9"})),
    )
    .await;
    assert_eq!(s, 400);
    control(
        &cc,
        &h,
        Method::POST,
        "partners",
        Some(json!({"number": "200", "category": "2", "name1": "Customer AG"})),
    )
    .await;
    let (s, rel) = control(
        &cc,
        &h,
        Method::POST,
        "relationships",
        Some(json!({"category": "BUR011", "partner1": "200", "partner2": "4714"})),
    )
    .await;
    assert_eq!(s, 201);
    let (_, ended) = control(
        &cc,
        &h,
        Method::POST,
        &format!("relationships/{}/end", rel["number"].as_str().unwrap()),
        Some(json!({"validTo": "2026-11-30"})),
    )
    .await;
    assert_eq!(ended["validTo"], "2026-11-30");
    let (_, state) = control(&cc, &h, Method::GET, "state", None).await;
    assert_eq!(state["appointments"].as_array().unwrap().len(), 1);
    assert_eq!(state["partners"].as_array().unwrap().len(), 2);
    let (_, events) = control(&cc, &h, Method::GET, "events", None).await;
    let kinds: Vec<&str> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"]["objectType"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "BUS2000126",
            "BUS2000126",
            "BUS1006",
            "BUS1006",
            "relationship",
            "relationship"
        ]
    );

    // Settings reach the gateway.
    let c = client();
    control(
        &cc,
        &h,
        Method::PUT,
        "services/MAI_CRM_TASK_SRV",
        Some(json!({"active": false})),
    )
    .await;
    assert_eq!(
        request(&c, &h, Method::GET, &url(&h, ServiceId::Tasks, "Tasks"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    control(
        &cc,
        &h,
        Method::PUT,
        "services/MAI_CRM_TASK_SRV",
        Some(json!({"active": true})),
    )
    .await;
    control(
        &cc,
        &h,
        Method::PUT,
        "users/MAICONNECT/services",
        Some(json!({"services": ["MAI_CRM_TASK_SRV"]})),
    )
    .await;
    assert_eq!(
        request(
            &c,
            &h,
            Method::GET,
            &url(&h, APPOINTMENTS, "AppointmentSet")
        )
        .send()
        .await
        .unwrap()
        .status(),
        403
    );
    control(
        &cc,
        &h,
        Method::PUT,
        "users/MAICONNECT/services",
        Some(json!({"services": null})),
    )
    .await;
    control(&cc, &h, Method::PUT, "page-size", Some(json!({"size": 1}))).await;
    h.create_appointment(appointment(&guid(2), "Second", "4711", DEC_1_9AM))
        .unwrap();
    let body = json(
        request(
            &c,
            &h,
            Method::GET,
            &url(&h, APPOINTMENTS, "AppointmentSet"),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(body["d"]["results"].as_array().unwrap().len(), 1);
    assert!(body["d"]["__next"].is_string());
    control(
        &cc,
        &h,
        Method::POST,
        "faults",
        Some(json!({"count": 1, "method": "GET", "action": {"kind": "error", "status": 500}})),
    )
    .await;
    let (_, faults) = control(&cc, &h, Method::GET, "faults", None).await;
    assert_eq!(faults.as_array().unwrap().len(), 1);
    assert_eq!(
        request(
            &c,
            &h,
            Method::GET,
            &url(&h, APPOINTMENTS, "AppointmentSet")
        )
        .send()
        .await
        .unwrap()
        .status(),
        500
    );
    control(
        &cc,
        &h,
        Method::PUT,
        "head",
        Some(json!({"allowed": false})),
    )
    .await;
    assert_eq!(
        request(&c, &h, Method::HEAD, &h.service_url(APPOINTMENTS))
            .send()
            .await
            .unwrap()
            .status(),
        405
    );
    let (s, v) = control(
        &cc,
        &h,
        Method::POST,
        "events/drop",
        Some(json!({"wrong": 1})),
    )
    .await;
    assert!(s >= 400, "{v}");

    let token = fetch_token(&c, &h, APPOINTMENTS).await;
    control(&cc, &h, Method::POST, "csrf/expire", None).await;
    let r = request(
        &c,
        &h,
        Method::DELETE,
        &url(&h, APPOINTMENTS, &format!("AppointmentSet(guid'{g}')")),
    )
    .header("x-csrf-token", token)
    .header("if-match", "*")
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), 403);

    let (s, _) = control(&cc, &h, Method::POST, "restart", None).await;
    assert_eq!(s, 200);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let (_, state) = control(&cc, &h, Method::GET, "state", None).await;
    assert_eq!(
        state["appointments"].as_array().unwrap().len(),
        2,
        "data survives the restart"
    );
}

#[tokio::test]
async fn the_same_seed_and_clock_give_the_same_ids_and_etags() {
    let run = || async {
        let h = start_with(FakeS4Config {
            seed: Some(99),
            ..FakeS4Config::default()
        })
        .await;
        h.set_clock("2026-12-01T08:00:00Z".parse().unwrap());
        let a = h.create_task(json!({"Description": "Seeded"})).unwrap();
        let c = client();
        let body = json(
            request(
                &c,
                &h,
                Method::GET,
                &url(&h, ServiceId::Tasks, &format!("Tasks(guid'{a}')")),
            )
            .send()
            .await
            .unwrap(),
        )
        .await;
        (
            a,
            body["d"]["__metadata"]["etag"].clone(),
            h.events()[0].event.event_id.clone(),
        )
    };
    let first = run().await;
    assert_eq!(first, run().await);
    assert_eq!(
        first.1,
        "W/\"datetimeoffset'2026-12-01T08%3A00%3A00.0000000Z'\""
    );
}
