//! The fake S/4HANA's quirks, each at the HTTP level: what a client sees
//! when the server is less kind than SAP's own Gateway with the `/NAG/`
//! services.

mod s4_common;

use maiconnect_fakes::s4::{
    Catalogue, ErrorShape, FakeS4Config, FakeS4Handle, Quirks, ServiceId, demo,
};
use reqwest::Method;
use s4_common::*;

async fn start_quirky(quirks: Quirks) -> FakeS4Handle {
    let h = start_with(FakeS4Config {
        seed: Some(42),
        quirks,
        ..FakeS4Config::default()
    })
    .await;
    demo::seed_partners(&h).unwrap();
    h
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn server_keys_ignore_the_guid_sent() {
    let h = start_quirky(Quirks {
        server_keys: true,
        ..Quirks::default()
    })
    .await;
    let c = client();
    let sent = guid(1);
    let r = post(
        &c,
        &h,
        APPOINTMENTS,
        "AppointmentSet",
        appointment(&sent, "Visit", "4711", DEC_1_9AM),
    )
    .await;
    assert_eq!(r.status(), 201);
    let loc = location(&r);
    let v = json(r).await;
    let got = v["d"]["Guid"].as_str().unwrap().to_owned();
    assert_ne!(got, sent);
    assert!(
        loc.ends_with(&format!("AppointmentSet(guid'{got}')")),
        "{loc}"
    );
    let r = request(
        &c,
        &h,
        Method::GET,
        &url(&h, APPOINTMENTS, &format!("AppointmentSet(guid'{sent}')")),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), 404);
    // Sent again, it is created again: nothing tells a repeat.
    let r = post(
        &c,
        &h,
        APPOINTMENTS,
        "AppointmentSet",
        appointment(&sent, "Visit", "4711", DEC_1_9AM),
    )
    .await;
    assert_eq!(r.status(), 201);
    assert_eq!(h.snapshot().appointments.len(), 2);
}

#[tokio::test]
async fn an_internal_origin_is_written_into_links() {
    let origin = "https://s4-app01.corp.internal:44300";
    let h = start_quirky(Quirks {
        internal_origin: Some(origin.into()),
        ..Quirks::default()
    })
    .await;
    h.set_page_size(1);
    let c = client();
    for n in 1..=2 {
        let r = post(
            &c,
            &h,
            APPOINTMENTS,
            "AppointmentSet",
            appointment(&guid(n), "Visit", "4711", DEC_1_9AM),
        )
        .await;
        assert!(location(&r).starts_with(origin), "{}", location(&r));
    }
    let v = json(
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
    let next = v["d"]["__next"].as_str().unwrap();
    assert!(
        next.starts_with(&format!(
            "{origin}/sap/opu/odata/NAG/CRM_APPOINTMENT_SRV_01/AppointmentSet?"
        )),
        "{next}"
    );
    assert!(
        v["d"]["results"][0]["__metadata"]["uri"]
            .as_str()
            .unwrap()
            .starts_with(origin)
    );
}

#[tokio::test]
async fn a_delete_of_what_is_gone_can_be_412() {
    let missing = format!("AppointmentSet(guid'{}')", guid(9));
    for (quirk, with_if_match, status) in
        [(false, true, 404), (true, true, 412), (true, false, 404)]
    {
        let h = start_quirky(Quirks {
            delete_gone_412: quirk,
            ..Quirks::default()
        })
        .await;
        let c = client();
        let token = fetch_token(&c, &h, APPOINTMENTS).await;
        let mut req = request(&c, &h, Method::DELETE, &url(&h, APPOINTMENTS, &missing))
            .header("x-csrf-token", token);
        if with_if_match {
            req = req.header("if-match", "W/\"x\"");
        }
        assert_eq!(
            req.send().await.unwrap().status(),
            status,
            "{quirk} {with_if_match}"
        );
    }
}

#[tokio::test]
async fn a_duplicate_can_be_a_database_error() {
    let h = start_quirky(Quirks {
        duplicate_as_database_error: true,
        ..Quirks::default()
    })
    .await;
    let c = client();
    let body = appointment(&guid(1), "Visit", "4711", DEC_1_9AM);
    assert_eq!(
        post(&c, &h, APPOINTMENTS, "AppointmentSet", body.clone())
            .await
            .status(),
        201
    );
    let r = post(&c, &h, APPOINTMENTS, "AppointmentSet", body).await;
    assert_eq!(r.status(), 500);
    let v = json(r).await;
    assert_eq!(v["error"]["code"], "SY/530");
    assert!(
        v["error"]["message"]["value"]
            .as_str()
            .unwrap()
            .contains("duplicate key")
    );
}

#[tokio::test]
async fn an_update_can_answer_with_the_entity() {
    let h = start_quirky(Quirks {
        update_returns_entity: true,
        ..Quirks::default()
    })
    .await;
    let c = client();
    let r = post(
        &c,
        &h,
        APPOINTMENTS,
        "AppointmentSet",
        appointment(&guid(1), "Visit", "4711", DEC_1_9AM),
    )
    .await;
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    let token = fetch_token(&c, &h, APPOINTMENTS).await;
    let r = request(
        &c,
        &h,
        Method::from_bytes(b"MERGE").unwrap(),
        &url(
            &h,
            APPOINTMENTS,
            &format!("AppointmentSet(guid'{}')", guid(1)),
        ),
    )
    .header("x-csrf-token", token)
    .header("if-match", etag.clone())
    .json_body(&serde_json::json!({"Location": "Walldorf"}))
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let new_etag = r.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    let v = json(r).await;
    assert_eq!(v["d"]["Location"], "Walldorf");
    assert_eq!(v["d"]["__metadata"]["etag"], new_etag.as_str());
}

async fn missing_task(shape: ErrorShape, accept_json: bool) -> (u16, String, String) {
    let h = start_quirky(Quirks {
        error_shape: shape,
        ..Quirks::default()
    })
    .await;
    let (user, password) = h.credentials();
    let mut req = client()
        .get(url(
            &h,
            ServiceId::Tasks,
            &format!("Tasks(guid'{}')", guid(5)),
        ))
        .basic_auth(user, Some(password));
    if accept_json {
        req = req.header("accept", "application/json");
    }
    let r = req.send().await.unwrap();
    let ctype = r.headers()["content-type"].to_str().unwrap().to_owned();
    (r.status().as_u16(), ctype, r.text().await.unwrap())
}

#[tokio::test]
async fn errors_come_in_every_shape() {
    let (status, ctype, body) = missing_task(ErrorShape::Gateway, true).await;
    assert_eq!((status, ctype.as_str()), (404, "application/json"));
    assert!(
        body.contains(r#""message":{"lang":"en","value":"#),
        "{body}"
    );
    let (_, ctype, body) = missing_task(ErrorShape::Gateway, false).await;
    assert_eq!(ctype, "application/xml", "XML without Accept");
    assert!(body.contains("<code>/IWBEP/CM_MGW_RT/020</code>"), "{body}");
    let (_, _, body) = missing_task(ErrorShape::MessageObjects, true).await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(v["error"]["message"].is_string(), "{body}");
    assert!(
        v["error"]["innererror"]["errordetails"][0]["message"]["value"].is_string(),
        "{body}"
    );
    assert!(
        v["error"]["innererror"]["errordetails"][0]["target"].is_null(),
        "{body}"
    );
    let (_, _, body) = missing_task(ErrorShape::PlainText, true).await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        v["error"].as_str().unwrap().contains("Resource not found"),
        "{body}"
    );
    let (status, ctype, body) = missing_task(ErrorShape::Html, true).await;
    assert_eq!(status, 404);
    assert!(ctype.starts_with("text/html"), "{ctype}");
    assert!(body.contains("<title>404 Not Found</title>"), "{body}");
}

/// A failed changeset answers in the format its operation asked for, not
/// the outer request's.
#[tokio::test]
async fn a_failed_changeset_is_formatted_by_the_operations_accept() {
    let h = start_quirky(Quirks::default()).await;
    let c = client();
    let token = fetch_token(&c, &h, APPOINTMENTS).await;
    let part = |accept: &str| {
        format!(
            "--b\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nDELETE AppointmentSet(guid'{}') HTTP/1.1\r\n{accept}If-Match: *\r\n\r\n\r\n--cs--\r\n--b--\r\n",
            guid(7)
        )
    };
    for (accept, want) in [("", "<code>"), ("Accept: application/json\r\n", "\"code\"")] {
        let r = request(&c, &h, Method::POST, &url(&h, APPOINTMENTS, "$batch"))
            .header("x-csrf-token", token.clone())
            .header("content-type", "multipart/mixed; boundary=b")
            .body(part(accept))
            .send()
            .await
            .unwrap();
        let body = r.text().await.unwrap();
        assert!(body.contains("HTTP/1.1 404"), "{body}");
        assert!(body.contains(want), "{accept:?}: {body}");
    }
}

#[tokio::test]
async fn without_csrf_protection_no_token_is_issued_or_needed() {
    let h = start_quirky(Quirks {
        csrf_off: true,
        ..Quirks::default()
    })
    .await;
    let c = client();
    let r = request(&c, &h, Method::GET, &h.service_url(APPOINTMENTS))
        .header("x-csrf-token", "Fetch")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("x-csrf-token").is_none());
    let r = request(
        &c,
        &h,
        Method::POST,
        &url(&h, APPOINTMENTS, "AppointmentSet"),
    )
    .json_body(&appointment(&guid(1), "Visit", "4711", DEC_1_9AM))
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn the_standard_catalogue_has_sap_names_and_no_additions() {
    let h = start_quirky(Quirks {
        catalogue: Catalogue::Standard,
        ..Quirks::default()
    })
    .await;
    let root = h.service_url(APPOINTMENTS);
    assert!(
        root.ends_with("/sap/opu/odata/sap/CRM_APPOINTMENT_SRV/"),
        "{root}"
    );
    assert!(h.service_url(ServiceId::Tasks).ends_with("/sap/CRM_TASK/"));
    assert!(
        h.service_url(ServiceId::Employees)
            .ends_with("/NAG/MAICONNECT_EMPLOYEE_CDS/")
    );
    let c = client();
    let meta = request(&c, &h, Method::GET, &format!("{root}$metadata"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(meta.contains(r#"<NavigationProperty Name="AppointmentToAttachment""#));
    for gone in [
        "TimeZone",
        "ExternalKey",
        "ChangedAt",
        "TextType",
        r#""Email""#,
    ] {
        assert!(
            !meta.contains(&format!("Name=\"{}\"", gone.trim_matches('"'))),
            "{gone} in $metadata"
        );
    }
    let copy = request(
        &c,
        &h,
        Method::GET,
        &format!(
            "{}/sap/opu/odata/NAG/CRM_APPOINTMENT_SRV_01/$metadata",
            h.base_url()
        ),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(copy.status(), 404, "the /NAG/ copy is not there");
    // An addition in a create is refused by name.
    let mut body = appointment(&guid(1), "Visit", "4711", DEC_1_9AM);
    body["TimeZone"] = "Europe/Berlin".into();
    let r = post(&c, &h, APPOINTMENTS, "AppointmentSet", body).await;
    assert_eq!(r.status(), 400);
    let v = json(r).await;
    assert_eq!(
        v["error"]["innererror"]["errordetails"][0]["propertyref"],
        "TimeZone"
    );
    let r = post(
        &c,
        &h,
        APPOINTMENTS,
        "AppointmentSet",
        appointment(&guid(1), "Visit", "4711", DEC_1_9AM),
    )
    .await;
    assert_eq!(r.status(), 201);
    let v = json(
        request(
            &c,
            &h,
            Method::GET,
            &url(
                &h,
                APPOINTMENTS,
                &format!(
                    "AppointmentSet(guid'{}')?$expand=Attendee,AppointmentToAttachment",
                    guid(1)
                ),
            ),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert!(
        v["d"]["AppointmentToAttachment"]["results"].is_array(),
        "{v}"
    );
    assert!(
        v["d"].get("TimeZone").is_none() && v["d"].get("ChangedAt").is_none(),
        "{v}"
    );
    assert!(v["d"]["__metadata"]["etag"].is_string(), "the ETag stays");
    assert_eq!(
        v["d"]["__metadata"]["type"],
        "CRM_APPOINTMENT_SRV.Appointment"
    );
}
