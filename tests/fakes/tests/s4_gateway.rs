//! The fake S/4HANA's SAP Gateway behaviour, over real HTTP with plain
//! reqwest: logon, service states, CSRF, HEAD refusal, ETags, SAP error
//! bodies, faults, restart.

mod s4_common;

use maiconnect_fakes::s4::{FakeS4Config, FaultAction, FaultRule, ServiceId, User};
use reqwest::{Client, Method, StatusCode};
use s4_common::*;
use serde_json::json;

#[tokio::test]
async fn logon_needs_valid_credentials_and_the_right_client() {
    let h = start().await;
    let c = Client::new();
    let root = h.service_url(APPOINTMENTS);
    let r = c.get(&root).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        r.headers()["www-authenticate"],
        "Basic realm=\"SAP NetWeaver Application Server [S4H/100]\""
    );
    let r = c
        .get(&root)
        .basic_auth("MAICONNECT", Some("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = request(&c, &h, Method::GET, &format!("{root}?sap-client=200"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        401,
        "a client that does not exist cannot be logged on to"
    );
    let r = request(&c, &h, Method::GET, &format!("{root}?sap-client=100"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let doc = json(r).await;
    assert_eq!(
        doc["d"]["EntitySets"],
        json!(["AppointmentSet", "AttendeeSet", "AttachmentSet"])
    );
    // User names are case-insensitive, passwords are not.
    let r = c
        .get(&root)
        .basic_auth("maiconnect", Some("Welcome1!"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn inactive_services_give_iwfnd_med_170_and_missing_roles_403() {
    let h = start().await;
    let c = client();
    h.set_service_active(ServiceId::Tasks, false);
    let r = request(&c, &h, Method::GET, &url(&h, ServiceId::Tasks, "Tasks"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let e = json(r).await;
    assert_eq!(e["error"]["code"], "/IWFND/MED/170");
    assert!(
        e["error"]["message"]["value"]
            .as_str()
            .unwrap()
            .contains("MAI_CRM_TASK_SRV")
    );
    // Without Accept: JSON the same error comes as XML.
    let (user, password) = h.credentials();
    let r = c
        .get(url(&h, ServiceId::Tasks, "$metadata"))
        .basic_auth(&user, Some(&password))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("<code>/IWFND/MED/170</code>")
    );
    let r = request(
        &c,
        &h,
        Method::GET,
        &format!("{}sap/opu/odata/NAG/NO_SUCH_SRV/", h.base_url() + "/"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), 404);
    h.set_service_active(ServiceId::Tasks, true);
    assert_eq!(
        request(&c, &h, Method::GET, &url(&h, ServiceId::Tasks, "Tasks"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    h.upsert_user(User {
        name: "READER".into(),
        password: "pw".into(),
        services: Some(vec![ServiceId::Tasks]),
    });
    let r = c
        .get(url(&h, APPOINTMENTS, "AppointmentSet"))
        .basic_auth("READER", Some("pw"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(
        json(r).await["error"]["message"]["value"]
            .as_str()
            .unwrap()
            .contains("/NAG/SAP_MAICONNECT")
    );
    let r = c
        .get(url(&h, ServiceId::Tasks, "Tasks"))
        .basic_auth("READER", Some("pw"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    h.set_user_services("READER", Some(vec![])).unwrap();
    let r = c
        .get(url(&h, ServiceId::Tasks, "Tasks"))
        .basic_auth("READER", Some("pw"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn csrf_tokens_are_bound_to_the_session_cookie_and_expire() {
    let h = start().await;
    let c = client();
    let set = url(&h, APPOINTMENTS, "AppointmentSet");
    let body = appointment(&guid(1), "Review", "4711", DEC_1_9AM);
    let r = request(&c, &h, Method::POST, &set)
        .json_body(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(r.headers()["x-csrf-token"], "Required");
    assert_eq!(r.text().await.unwrap(), "CSRF token validation failed");

    let r = request(&c, &h, Method::GET, &h.service_url(APPOINTMENTS))
        .header("x-csrf-token", "Fetch")
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("SAP_SESSIONID_S4H_100=")),
        "{cookies:?}"
    );
    assert!(
        cookies.iter().any(|c| c.starts_with("sap-XSRF_S4H_100=")),
        "{cookies:?}"
    );
    let token = r.headers()["x-csrf-token"].to_str().unwrap().to_owned();
    // Within a session the token stays the same.
    assert_eq!(fetch_token(&c, &h, APPOINTMENTS).await, token);

    // The token without the session cookie is not enough.
    let stranger = Client::new();
    let r = request(&stranger, &h, Method::POST, &set)
        .header("x-csrf-token", &token)
        .json_body(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let r = request(&c, &h, Method::POST, &set)
        .header("x-csrf-token", &token)
        .json_body(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    h.expire_csrf_tokens();
    let body2 = appointment(&guid(2), "Second", "4711", DEC_1_9AM);
    let r = request(&c, &h, Method::POST, &set)
        .header("x-csrf-token", &token)
        .json_body(&body2)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(r.headers()["x-csrf-token"], "Required");
    let fresh = fetch_token(&c, &h, APPOINTMENTS).await;
    assert_ne!(fresh, token);
    let r = request(&c, &h, Method::POST, &set)
        .header("x-csrf-token", &fresh)
        .json_body(&body2)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn head_can_be_refused_so_clients_fall_back_to_get() {
    let h = start().await;
    let c = client();
    let root = h.service_url(APPOINTMENTS);
    let r = request(&c, &h, Method::HEAD, &root)
        .header("x-csrf-token", "Fetch")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().contains_key("x-csrf-token"));
    h.set_head_allowed(false);
    let r = request(&c, &h, Method::HEAD, &root)
        .header("x-csrf-token", "Fetch")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert!(!r.headers().contains_key("x-csrf-token"));
    let token = fetch_token(&c, &h, APPOINTMENTS).await;
    assert!(!token.is_empty());
}

#[tokio::test]
async fn etags_guard_updates_and_deletes() {
    let h = start().await;
    let c = client();
    let g = guid(7);
    let r = post(
        &c,
        &h,
        APPOINTMENTS,
        "AppointmentSet",
        appointment(&g, "Review", "4711", DEC_1_9AM),
    )
    .await;
    assert_eq!(r.status(), 201);
    let created_etag = r.headers()["etag"].to_str().unwrap().to_owned();
    assert!(
        created_etag.starts_with("W/\"datetimeoffset'"),
        "{created_etag}"
    );
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.ends_with(&format!("AppointmentSet(guid'{g}')")),
        "{location}"
    );
    let entity = url(&h, APPOINTMENTS, &format!("AppointmentSet(guid'{g}')"));

    let r = request(&c, &h, Method::GET, &entity).send().await.unwrap();
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    let body = json(r).await;
    assert_eq!(body["d"]["__metadata"]["etag"], etag.as_str());
    assert_eq!(etag, created_etag);
    assert_eq!(body["d"]["Responsible"], "0000004711");
    assert_eq!(body["d"]["FromDate"], format!("/Date({DEC_1_9AM})/"));
    assert!(
        body["d"]["ChangedAt"]
            .as_str()
            .unwrap()
            .ends_with("+0000)/")
    );

    let token = fetch_token(&c, &h, APPOINTMENTS).await;
    let merge = Method::from_bytes(b"MERGE").unwrap();
    let change = json!({"Location": "Walldorf"});
    let r = request(&c, &h, merge.clone(), &entity)
        .header("x-csrf-token", &token)
        .json_body(&change)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 428);
    assert_eq!(json(r).await["error"]["code"], "/IWBEP/CM_MGW_RT/194");
    let r = request(&c, &h, merge.clone(), &entity)
        .header("x-csrf-token", &token)
        .header("if-match", &etag)
        .json_body(&change)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let new_etag = r.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    // The old ETag is stale now.
    let r = request(&c, &h, Method::PATCH, &entity)
        .header("x-csrf-token", &token)
        .header("if-match", &etag)
        .json_body(&json!({"Location": "Berlin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 412);
    assert_eq!(json(r).await["error"]["code"], "/IWBEP/CM_MGW_RT/190");
    let r = request(&c, &h, Method::DELETE, &entity)
        .header("x-csrf-token", &token)
        .header("if-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 412);
    let r = request(&c, &h, Method::PUT, &entity).header("x-csrf-token", &token).header("if-match", "*")
        .json_body(&json!({"Description": "Replaced", "FromDate": format!("/Date({DEC_1_9AM})/"), "ToDate": format!("/Date({DEC_1_9AM})/")})).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let body = json(request(&c, &h, Method::GET, &entity).send().await.unwrap()).await;
    assert_eq!(body["d"]["Description"], "Replaced");
    assert_eq!(
        body["d"]["Location"], "",
        "PUT resets what it does not send"
    );
    let r = request(&c, &h, Method::DELETE, &entity)
        .header("x-csrf-token", &token)
        .header("if-match", "*")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = request(&c, &h, Method::GET, &entity).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(json(r).await["error"]["code"], "/IWBEP/CM_MGW_RT/020");
}

#[tokio::test]
async fn sap_error_bodies_name_the_property_and_duplicates_are_refused() {
    let h = start().await;
    let c = client();
    let mut body = appointment(&guid(1), &"x".repeat(41), "4711", DEC_1_9AM);
    let r = post(&c, &h, APPOINTMENTS, "AppointmentSet", body.clone()).await;
    assert_eq!(r.status(), 400);
    let e = json(r).await;
    assert_eq!(e["error"]["code"], "/IWBEP/CX_MGW_BUSI_EXCEPTION");
    assert!(
        e["error"]["message"]["value"]
            .as_str()
            .unwrap()
            .contains("'Description'")
    );
    assert_eq!(e["error"]["message"]["lang"], "en");
    let inner = &e["error"]["innererror"];
    assert_eq!(inner["errordetails"][0]["propertyref"], "Description");
    assert_eq!(inner["application"]["service_id"], "CRM_APPOINTMENT_SRV_01");
    assert_eq!(inner["transactionid"].as_str().unwrap().len(), 32);
    assert!(
        inner["Error_Resolution"]["SAP_Note"]
            .as_str()
            .unwrap()
            .contains("1797736")
    );

    body["Description"] = json!("Review");
    assert_eq!(
        post(&c, &h, APPOINTMENTS, "AppointmentSet", body.clone())
            .await
            .status(),
        201
    );
    let r = post(&c, &h, APPOINTMENTS, "AppointmentSet", body).await;
    assert_eq!(r.status(), 400);
    assert!(
        json(r).await["error"]["message"]["value"]
            .as_str()
            .unwrap()
            .contains("already exists")
    );

    let r = post(
        &c,
        &h,
        APPOINTMENTS,
        "AppointmentSet",
        json!({"Guid": guid(2), "Nonsense": 1}),
    )
    .await;
    assert!(
        json(r).await["error"]["message"]["value"]
            .as_str()
            .unwrap()
            .contains("'Nonsense'")
    );
    let token = fetch_token(&c, &h, APPOINTMENTS).await;
    let r = request(
        &c,
        &h,
        Method::POST,
        &url(&h, APPOINTMENTS, "AppointmentSet"),
    )
    .header("x-csrf-token", token)
    .header("content-type", "application/json")
    .body("{not json")
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        json(r).await["error"]["code"],
        "/IWBEP/CX_MGW_TECH_EXCEPTION"
    );
    // Read-only sets refuse writes.
    let r = post(
        &c,
        &h,
        ServiceId::Partners,
        "AccountCollection",
        json!({"accountID": "1"}),
    )
    .await;
    assert_eq!(r.status(), 405);
}

#[tokio::test]
async fn injected_faults_answer_503_429_and_errors_then_recover() {
    let h = start().await;
    let c = client();
    let set = url(&h, APPOINTMENTS, "AppointmentSet");
    h.inject_fault(FaultRule {
        count: 1,
        service: None,
        entity_set: None,
        method: None,
        action: FaultAction::Unavailable {
            retry_after_secs: Some(7),
        },
    });
    let r = request(&c, &h, Method::GET, &set).send().await.unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "7");
    h.inject_fault(FaultRule {
        count: 1,
        service: Some("MAI_CRM_TASK_SRV".into()),
        entity_set: None,
        method: None,
        action: FaultAction::Throttled {
            retry_after_secs: None,
        },
    });
    assert_eq!(
        request(&c, &h, Method::GET, &set)
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "the rule is for the task service"
    );
    let r = request(&c, &h, Method::GET, &url(&h, ServiceId::Tasks, "Tasks"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "1");
    h.inject_fault(FaultRule {
        count: 2,
        service: None,
        entity_set: Some("AppointmentSet".into()),
        method: Some("GET".into()),
        action: FaultAction::Error {
            status: 500,
            code: Some("CRM_APPOINTMENT/001".into()),
            message: Some("Lock error".into()),
        },
    });
    for _ in 0..2 {
        let r = request(&c, &h, Method::GET, &set).send().await.unwrap();
        assert_eq!(r.status(), 500);
        assert_eq!(json(r).await["error"]["code"], "CRM_APPOINTMENT/001");
    }
    assert_eq!(
        request(&c, &h, Method::GET, &set)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert!(h.faults().is_empty());
}

#[tokio::test]
async fn restart_keeps_data_but_ends_sessions_and_state_files_survive_processes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s4.json");
    let h = start_with(FakeS4Config {
        seed: Some(1),
        state_file: Some(file.clone()),
        ..FakeS4Config::default()
    })
    .await;
    let c = client();
    assert_eq!(
        post(
            &c,
            &h,
            APPOINTMENTS,
            "AppointmentSet",
            appointment(&guid(3), "Kept", "4711", DEC_1_9AM)
        )
        .await
        .status(),
        201
    );
    let token = fetch_token(&c, &h, APPOINTMENTS).await;
    let port = h.port();
    h.restart().await.unwrap();
    assert_eq!(h.port(), port);
    let entity = url(
        &h,
        APPOINTMENTS,
        &format!("AppointmentSet(guid'{}')", guid(3)),
    );
    let r = request(&c, &h, Method::GET, &entity).send().await.unwrap();
    assert_eq!(json(r).await["d"]["Description"], "Kept");
    let r = request(&c, &h, Method::DELETE, &entity)
        .header("x-csrf-token", &token)
        .header("if-match", "*")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "sessions end with a restart");
    h.shutdown().await.unwrap();

    let again = start_with(FakeS4Config {
        seed: Some(1),
        state_file: Some(file),
        ..FakeS4Config::default()
    })
    .await;
    let entity = url(
        &again,
        APPOINTMENTS,
        &format!("AppointmentSet(guid'{}')", guid(3)),
    );
    let r = request(&c, &again, Method::GET, &entity)
        .send()
        .await
        .unwrap();
    assert_eq!(json(r).await["d"]["Description"], "Kept");
}

#[tokio::test]
async fn latency_injection_delays_requests() {
    let h = start().await;
    let c = client();
    h.set_latency(maiconnect_fakes::s4::Latency {
        fixed_ms: 120,
        jitter_ms: 0,
    });
    let started = std::time::Instant::now();
    assert_eq!(
        request(&c, &h, Method::GET, &h.service_url(APPOINTMENTS))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // Not a speed assertion: the delay is the injected fault's effect.
    assert!(started.elapsed() >= std::time::Duration::from_millis(120));
}

#[tokio::test]
async fn oversized_bodies_and_tunnelled_methods() {
    let h = start_with(FakeS4Config {
        seed: Some(3),
        max_body_bytes: 1024,
        ..FakeS4Config::default()
    })
    .await;
    let c = client();
    let token = fetch_token(&c, &h, APPOINTMENTS).await;
    let big = json!({"Description": "x", "Note": "n".repeat(4096)});
    let r = request(
        &c,
        &h,
        Method::POST,
        &url(&h, APPOINTMENTS, "AppointmentSet"),
    )
    .header("x-csrf-token", &token)
    .json_body(&big)
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), 413);
    assert!(
        json(r).await["error"]["message"]["value"]
            .as_str()
            .unwrap()
            .contains("1024 bytes")
    );

    let g = guid(11);
    assert_eq!(
        post(
            &c,
            &h,
            APPOINTMENTS,
            "AppointmentSet",
            appointment(&g, "Tunnel", "4711", DEC_1_9AM)
        )
        .await
        .status(),
        201
    );
    let entity = url(&h, APPOINTMENTS, &format!("AppointmentSet(guid'{g}')"));
    let r = request(&c, &h, Method::POST, &entity)
        .header("x-csrf-token", &token)
        .header("x-http-method", "MERGE")
        .header("if-match", "*")
        .json_body(&json!({"Location": "Tunnelled"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        json(request(&c, &h, Method::GET, &entity).send().await.unwrap()).await["d"]["Location"],
        "Tunnelled"
    );
}
