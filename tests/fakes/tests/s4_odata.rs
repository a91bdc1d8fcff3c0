//! The fake S/4HANA's OData: `$metadata` against PROFILE.md, paging,
//! `$filter`, `$expand`/`$select`, `$batch`, attachments, partner views.

mod s4_common;

use maiconnect_fakes::s4::{ActivityKind, ServiceId, demo};
use reqwest::Method;
use s4_common::*;
use serde_json::{Value, json};

fn profile() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../maiconnect-odata/PROFILE.md"
    ))
    .unwrap()
}

/// Rows of the profile's property tables: (name, type, MaxLength) in the
/// section of `heading`.
fn profile_properties(text: &str, section: &str) -> Vec<(String, String, Option<usize>)> {
    let start = text.find(section).unwrap();
    let mut out = Vec::new();
    for line in text[start..].lines().skip(1) {
        if line.starts_with("## ") || line.starts_with("Navigation") {
            break;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 || !cells[1].starts_with('`') {
            continue;
        }
        let name = cells[1].trim_matches('`').to_owned();
        let ty = cells[2].split_whitespace().next().unwrap().to_owned();
        let max = cells[2]
            .split("MaxLength ")
            .nth(1)
            .map(|m| m.trim_end_matches(')').parse().unwrap());
        out.push((name, ty, max));
    }
    assert!(!out.is_empty(), "no properties under {section}");
    out
}

#[tokio::test]
async fn metadata_matches_the_profile_tables() {
    let h = start().await;
    let c = client();
    let text = profile();
    for (service, section, type_name) in [
        (
            ServiceId::Appointments,
            "`AppointmentSet` — entity type `Appointment`",
            "Appointment",
        ),
        (
            ServiceId::Appointments,
            "Navigation `Attendee` → `AttendeeSet`",
            "Attendee",
        ),
        (ServiceId::Tasks, "`Tasks` — entity type `Task`", "Task"),
        (
            ServiceId::Tasks,
            "`AttachmentSet` — entity type `Attachment`",
            "Attachment",
        ),
    ] {
        let r = request(&c, &h, Method::GET, &url(&h, service, "$metadata"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/xml");
        let xml = r.text().await.unwrap();
        assert!(
            xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><edmx:Edmx Version=\"1.0\"")
        );
        let start = xml
            .find(&format!("<EntityType Name=\"{type_name}\""))
            .unwrap_or_else(|| panic!("{type_name} missing"));
        let entity = &xml[start..start + xml[start..].find("</EntityType>").unwrap()];
        for (name, ty, max) in profile_properties(&text, section) {
            let needle = format!("<Property Name=\"{name}\" Type=\"{ty}\"");
            let at = entity
                .find(&needle)
                .unwrap_or_else(|| panic!("{type_name}.{name} as {ty} missing in $metadata"));
            let element = &entity[at..at + entity[at..].find("/>").unwrap()];
            if let Some(max) = max {
                assert!(
                    element.contains(&format!("MaxLength=\"{max}\"")),
                    "{type_name}.{name}: {element}"
                );
            }
        }
    }
    // Well-formed XML all the way through.
    let xml = request(
        &c,
        &h,
        Method::GET,
        &url(&h, ServiceId::Partners, "$metadata"),
    )
    .send()
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut elements = 0;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_) => {
                elements += 1
            }
            _ => {}
        }
    }
    assert!(elements > 50);
    assert!(xml.contains("<NavigationProperty Name=\"WorkAddress\""));
}

async fn seed_appointments(h: &maiconnect_fakes::s4::FakeS4Handle, n: u32) {
    for i in 0..n {
        let mut a = appointment(
            &guid(100 + i),
            &format!("Meeting {i}"),
            "4711",
            DEC_1_9AM + i64::from(i) * 86_400_000,
        );
        if i == 0 {
            a["Responsible"] = json!("4799");
            a["Attendee"] =
                json!([{"PartnerNo": "4711", "Function": "00000032", "IntAttendee": true}]);
        }
        h.create_appointment(a).unwrap();
    }
}

#[tokio::test]
async fn server_driven_paging_with_next_links_and_inline_count() {
    let h = start().await;
    seed_appointments(&h, 5).await;
    h.set_page_size(2);
    let c = client();
    let mut next = Some(url(
        &h,
        APPOINTMENTS,
        "AppointmentSet?$inlinecount=allpages&$select=Guid,Description",
    ));
    let mut seen = Vec::new();
    let mut pages = 0;
    while let Some(link) = next {
        let body = json(request(&c, &h, Method::GET, &link).send().await.unwrap()).await;
        assert_eq!(
            body["d"]["__count"], "5",
            "the count is a string and counts all pages"
        );
        for e in body["d"]["results"].as_array().unwrap() {
            assert!(
                e.get("Location").is_none(),
                "$select keeps only what was asked"
            );
            assert!(e.get("Attendee").is_none());
            seen.push(e["Guid"].as_str().unwrap().to_owned());
        }
        next = body["d"]["__next"].as_str().map(str::to_owned);
        if let Some(n) = &next {
            assert!(
                n.starts_with(&h.base_url()) && n.contains("$skiptoken="),
                "{n}"
            );
        }
        pages += 1;
    }
    assert_eq!(pages, 3);
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique.len(), 5);

    // $top limits the total, the server still pages within it.
    let body = json(
        request(
            &c,
            &h,
            Method::GET,
            &url(&h, APPOINTMENTS, "AppointmentSet?$top=3&$skip=1"),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(body["d"]["results"].as_array().unwrap().len(), 2);
    let next = body["d"]["__next"].as_str().unwrap().to_owned();
    let body = json(request(&c, &h, Method::GET, &next).send().await.unwrap()).await;
    assert_eq!(body["d"]["results"].as_array().unwrap().len(), 1);
    assert!(body["d"].get("__next").is_none());
    let count = request(
        &c,
        &h,
        Method::GET,
        &url(&h, APPOINTMENTS, "AppointmentSet/$count"),
    )
    .send()
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    assert_eq!(count, "5");
}

async fn descriptions(
    c: &reqwest::Client,
    h: &maiconnect_fakes::s4::FakeS4Handle,
    query: &str,
) -> Vec<String> {
    let u = format!("{}?{}", url(h, APPOINTMENTS, "AppointmentSet"), query);
    let body = json(request(c, h, Method::GET, &u).send().await.unwrap()).await;
    body["d"]["results"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["Description"].as_str().unwrap().to_owned())
        .collect()
}

fn q(filter: &str) -> String {
    format!(
        "$filter={}",
        percent_encoding::utf8_percent_encode(filter, percent_encoding::NON_ALPHANUMERIC)
    )
}

#[tokio::test]
async fn filter_subset_with_responsible_or_attendee_and_escaping() {
    let h = start().await;
    seed_appointments(&h, 3).await;
    h.create_appointment(appointment(&guid(9), "O'Brien's visit", "4712", DEC_1_9AM))
        .unwrap();
    let c = client();
    // 4711 is responsible for meetings 1 and 2 and an attendee of meeting 0.
    assert_eq!(
        descriptions(&c, &h, &q("Responsible eq '4711'")).await,
        ["Meeting 0", "Meeting 1", "Meeting 2"]
    );
    assert_eq!(
        descriptions(&c, &h, &q("Responsible eq '0000004712'")).await,
        ["O'Brien's visit"]
    );
    assert_eq!(
        descriptions(&c, &h, &q("Description eq 'O''Brien''s visit'")).await,
        ["O'Brien's visit"]
    );
    let window = "Responsible eq '4711' and ToDate ge datetime'2026-12-02T00:00:00' and FromDate lt datetime'2026-12-03T00:00:00'";
    assert_eq!(descriptions(&c, &h, &q(window)).await, ["Meeting 1"]);
    let either = "(Description eq 'Meeting 2' or Guid eq guid'0050568c-2b4f-1ee8-a1b2-000000000100') and AllDay eq false";
    assert_eq!(
        descriptions(&c, &h, &q(either)).await,
        ["Meeting 0", "Meeting 2"]
    );
    assert_eq!(
        descriptions(
            &c,
            &h,
            &q("FromDate gt datetimeoffset'2026-12-02T10:00:00+01:00'")
        )
        .await,
        ["Meeting 2"]
    );
    assert_eq!(
        descriptions(
            &c,
            &h,
            &format!("{}&$orderby=FromDate%20desc", q("Responsible ne '4712'"))
        )
        .await,
        ["Meeting 2", "Meeting 1", "Meeting 0"]
    );
    for bad in [
        "substringof('a',Description)",
        "Description eq 'open",
        "Nope eq 1",
        "Guid eq 'x'",
        "FromDate eq 5 add 1",
    ] {
        let u = format!("{}?{}", url(&h, APPOINTMENTS, "AppointmentSet"), q(bad));
        let r = request(&c, &h, Method::GET, &u).send().await.unwrap();
        assert_eq!(r.status(), 400, "{bad}");
        let e = json(r).await;
        assert!(
            !e["error"]["message"]["value"].as_str().unwrap().is_empty(),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn expand_and_navigation_and_attachments() {
    let h = start().await;
    seed_appointments(&h, 1).await;
    let g = guid(100);
    let c = client();
    let token = fetch_token(&c, &h, APPOINTMENTS).await;
    let upload = url(
        &h,
        APPOINTMENTS,
        &format!("AppointmentSet(guid'{g}')/Attachments"),
    );
    let r = request(&c, &h, Method::POST, &upload)
        .header("x-csrf-token", &token)
        .header("slug", "agenda%20Q4.pdf")
        .header("content-type", "application/pdf")
        .body(vec![1u8, 2, 3, 0, 255])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let att = json(r).await;
    assert_eq!(att["d"]["FileName"], "agenda Q4.pdf");
    assert_eq!(att["d"]["FileSize"], 5);
    assert_eq!(att["d"]["__metadata"]["content_type"], "application/pdf");
    let doc = att["d"]["DocumentId"].as_str().unwrap().to_owned();
    let value = url(&h, APPOINTMENTS, &format!("AttachmentSet('{doc}')/$value"));
    let r = request(&c, &h, Method::GET, &value).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.bytes().await.unwrap().to_vec(), vec![1u8, 2, 3, 0, 255]);

    let read = url(
        &h,
        APPOINTMENTS,
        &format!("AppointmentSet(guid'{g}')?$expand=Attendee,Attachments"),
    );
    let body = json(request(&c, &h, Method::GET, &read).send().await.unwrap()).await;
    let attendees = body["d"]["Attendee"]["results"].as_array().unwrap();
    assert_eq!(attendees.len(), 1);
    assert_eq!(attendees[0]["PartnerNo"], "0000004711");
    assert_eq!(attendees[0]["Guid"], g.as_str());
    assert_eq!(
        body["d"]["Attachments"]["results"][0]["DocumentId"],
        doc.as_str()
    );
    let plain = json(
        request(
            &c,
            &h,
            Method::GET,
            &url(&h, APPOINTMENTS, &format!("AppointmentSet(guid'{g}')")),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert!(
        plain["d"]["Attendee"]["__deferred"]["uri"]
            .as_str()
            .unwrap()
            .ends_with(&format!("AppointmentSet(guid'{g}')/Attendee"))
    );
    let nav = json(
        request(
            &c,
            &h,
            Method::GET,
            &url(
                &h,
                APPOINTMENTS,
                &format!("AppointmentSet(guid'{g}')/Attendee"),
            ),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(nav["d"]["results"].as_array().unwrap().len(), 1);
    // The attachment belongs to the appointment service only.
    let r = request(
        &c,
        &h,
        Method::GET,
        &url(&h, ServiceId::Tasks, &format!("AttachmentSet('{doc}')")),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), 404);
    let r = request(
        &c,
        &h,
        Method::DELETE,
        &url(&h, APPOINTMENTS, &format!("AttachmentSet('{doc}')")),
    )
    .header("x-csrf-token", &token)
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), 204);
    assert!(h.snapshot().attachments.is_empty());

    // Attendees are added and removed on their own set.
    let partner_guid = "00000000-0000-0000-0000-000000000032";
    let r = request(&c, &h, Method::POST, &url(&h, APPOINTMENTS, "AttendeeSet")).header("x-csrf-token", &token)
        .json_body(&json!({"Guid": g, "PartnerGuid": partner_guid, "PartnerNo": "100", "Function": "00000015"})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let key = format!("AttendeeSet(Guid=guid'{g}',PartnerGuid=guid'{partner_guid}')");
    assert_eq!(
        request(&c, &h, Method::GET, &url(&h, APPOINTMENTS, &key))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let r = request(&c, &h, Method::DELETE, &url(&h, APPOINTMENTS, &key))
        .header("x-csrf-token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        h.activity(ActivityKind::Appointment, g.parse().unwrap())
            .unwrap()["Attendee"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

fn batch_body(boundary: &str, parts: &[String], eol: &str) -> String {
    let mut out = String::new();
    for p in parts {
        out.push_str(&format!("--{boundary}{eol}{p}"));
    }
    out.push_str(&format!("--{boundary}--{eol}"));
    out
}

fn changeset(
    boundary: &str,
    ops: &[(&str, &str, Option<&str>, Option<Value>)],
    eol: &str,
) -> String {
    let mut inner = String::new();
    for (method, path, id, body) in ops {
        inner.push_str(&format!("--{boundary}{eol}Content-Type: application/http{eol}Content-Transfer-Encoding: binary{eol}"));
        if let Some(id) = id {
            inner.push_str(&format!("Content-ID: {id}{eol}"));
        }
        inner.push_str(&format!("{eol}{method} {path} HTTP/1.1{eol}Content-Type: application/json{eol}If-Match: *{eol}{eol}"));
        if let Some(b) = body {
            inner.push_str(&b.to_string());
        }
        inner.push_str(eol);
    }
    inner.push_str(&format!("--{boundary}--{eol}"));
    format!("Content-Type: multipart/mixed; boundary={boundary}{eol}{eol}{inner}")
}

fn get_part(path: &str, eol: &str) -> String {
    format!(
        "Content-Type: application/http{eol}Content-Transfer-Encoding: binary{eol}{eol}GET {path} HTTP/1.1{eol}Accept: application/json{eol}{eol}"
    )
}

async fn send_batch(
    c: &reqwest::Client,
    h: &maiconnect_fakes::s4::FakeS4Handle,
    body: String,
) -> (String, String) {
    let token = fetch_token(c, h, APPOINTMENTS).await;
    let r = request(c, h, Method::POST, &url(h, APPOINTMENTS, "$batch"))
        .header("x-csrf-token", token)
        .header("content-type", "multipart/mixed; boundary=batch_1")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
    (ct, r.text().await.unwrap())
}

#[tokio::test]
async fn batch_changesets_are_atomic_and_answer_failures_with_one_part() {
    let h = start().await;
    let c = client();
    let g = guid(500);
    for eol in ["\r\n", "\n"] {
        let good = changeset(
            "changeset_a",
            &[
                (
                    "POST",
                    "AppointmentSet",
                    Some("1"),
                    Some(appointment(&g, "Batched", "4711", DEC_1_9AM)),
                ),
                (
                    "POST",
                    "$1/Attendee",
                    None,
                    Some(json!({"PartnerNo": "100", "Function": "00000015"})),
                ),
                ("MERGE", "$1", None, Some(json!({"Location": "Walldorf"}))),
            ],
            eol,
        );
        let body = batch_body(
            "batch_1",
            &[
                good,
                get_part(&format!("AppointmentSet(guid'{g}')?$expand=Attendee"), eol),
            ],
            eol,
        );
        let (ct, text) = send_batch(&c, &h, body).await;
        if eol == "\n" {
            // The second round repeats the create: the whole changeset fails.
            assert!(text.contains("HTTP/1.1 400 Bad Request"), "{text}");
            assert!(text.contains("already exists"));
            assert!(
                !text.contains("changesetresponse_"),
                "a failed changeset is a single part: {text}"
            );
            continue;
        }
        assert!(
            ct.starts_with("multipart/mixed; boundary=batchresponse_"),
            "{ct}"
        );
        assert_eq!(text.matches("HTTP/1.1 201 Created").count(), 2, "{text}");
        assert!(text.contains("HTTP/1.1 204 No Content"));
        assert!(text.contains("HTTP/1.1 200 OK"));
        assert!(
            text.contains("\"Location\":\"Walldorf\""),
            "the GET after the changeset sees its writes"
        );
        assert!(text.contains("\"PartnerNo\":\"0000000100\""));
    }
    // A failing second operation rolls back the first.
    let g2 = guid(501);
    let bad = changeset(
        "cs_b",
        &[
            (
                "POST",
                "AppointmentSet",
                Some("1"),
                Some(appointment(&g2, "Rolled back", "4711", DEC_1_9AM)),
            ),
            (
                "MERGE",
                "$1",
                None,
                Some(json!({"Description": "y".repeat(41)})),
            ),
        ],
        "\r\n",
    );
    let (_, text) = send_batch(&c, &h, batch_body("batch_1", &[bad], "\r\n")).await;
    assert_eq!(text.matches("HTTP/1.1 ").count(), 1, "{text}");
    assert!(
        text.contains("HTTP/1.1 400 Bad Request") && text.contains("'Description'"),
        "{text}"
    );
    assert!(
        h.activity(ActivityKind::Appointment, g2.parse().unwrap())
            .is_none()
    );
    assert_eq!(h.snapshot().appointments.len(), 1);
    // Malformed multipart is a 400 for the whole request.
    let token = fetch_token(&c, &h, APPOINTMENTS).await;
    let r = request(&c, &h, Method::POST, &url(&h, APPOINTMENTS, "$batch"))
        .header("x-csrf-token", token)
        .header("content-type", "multipart/mixed; boundary=x")
        .body("--x\r\nno end")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn partner_views_of_the_demo_world() {
    let h = start().await;
    demo::seed(&h, h.now()).unwrap();
    let again = demo::seed(&h, h.now()).unwrap();
    assert!(
        again.appointments.is_empty() && again.relationships == 0,
        "seeding twice changes nothing"
    );
    let c = client();
    let get = |service: ServiceId, path: &str| {
        let u = url(&h, service, path);
        let c = c.clone();
        let h = h.clone();
        async move { json(request(&c, &h, Method::GET, &u).send().await.unwrap()).await }
    };
    let contacts = get(
        ServiceId::Partners,
        &format!(
            "ContactCollection?{}&$expand=WorkAddress",
            q("contactID eq '100'")
        ),
    )
    .await;
    let olga = &contacts["d"]["results"][0];
    assert_eq!(olga["fullName"], "Olga Meyer");
    assert_eq!(olga["company"], "Customer AG");
    assert_eq!(olga["accountID"], "0000000200");
    assert_eq!(olga["WorkAddress"]["email"], "olga.meyer@customer.example");
    assert_eq!(olga["WorkAddress"]["city"], "Walldorf");
    assert!(
        olga["__metadata"]["etag"]
            .as_str()
            .unwrap()
            .starts_with("W/\"'")
    );
    let rels = get(
        ServiceId::Relationships,
        &format!(
            "Relationships?{}",
            q("Partner1 eq '4711' or Partner2 eq '4711'")
        ),
    )
    .await;
    let rels = rels["d"]["results"].as_array().unwrap();
    assert_eq!(rels.len(), 1);
    assert_eq!(rels[0]["RelationshipCategory"], "BUR011");
    assert_eq!(rels[0]["Partner1Category"], "2");
    assert_eq!(rels[0]["ValidTo"], "/Date(253402214400000)/");
    let employees = get(
        ServiceId::Employees,
        &format!(
            "Employees?{}",
            q("EmailAddress eq 'clara.vogel@example.onmicrosoft.com'")
        ),
    )
    .await;
    assert_eq!(employees["d"]["results"][0]["EmployeeBP"], "0000004713");
    let found = get(
        ServiceId::PartnerSearch,
        &format!(
            "PartnerAddressSet?{}",
            q("EmailAddress eq 'OLGA.Meyer@Customer.example'")
        ),
    )
    .await;
    let found = found["d"]["results"].as_array().unwrap();
    assert_eq!(found.len(), 1, "the search ignores case");
    assert_eq!(found[0]["PartnerNo"], "0000000100");
    assert_eq!(found[0]["IsEmployee"], false);
    let number = rels[0]["RelationshipNumber"].as_str().unwrap().to_owned();
    let by_key = get(
        ServiceId::Relationships,
        &format!("Relationships(RelationshipNumber='{number}',Partner1='200',Partner2='4711',ValidTo=datetime'9999-12-31T00:00:00')"),
    )
    .await;
    assert_eq!(by_key["d"]["RelationshipCategory"], "BUR011");
    let anna = get(ServiceId::Employees, "Employees('4711')").await;
    assert_eq!(
        (
            anna["d"]["UserName"].as_str(),
            anna["d"]["FullName"].as_str()
        ),
        (Some("ABERG"), Some("Anna Berg"))
    );
    let account = get(ServiceId::Partners, "AccountCollection('200')").await;
    assert_eq!(account["d"]["fullName"], "Customer AG");
    let mine = get(
        ServiceId::Appointments,
        &format!("AppointmentSet?{}", q("Responsible eq '4712'")),
    )
    .await;
    let mine: Vec<&str> = mine["d"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["Description"].as_str().unwrap())
        .collect();
    assert_eq!(
        mine,
        ["Quarterly review", "Call with Lena Solo"],
        "4712 attends the review and owns the call"
    );

    // Ending a relationship removes the contact from the contact view.
    let bur001 = h
        .snapshot()
        .relationships
        .into_iter()
        .find(|r| r.partner1 == "0000000101")
        .unwrap();
    h.end_relationship(&bur001.number, None).unwrap();
    let contacts = get(
        ServiceId::Partners,
        &format!("ContactCollection?{}", q("contactID eq '101'")),
    )
    .await;
    assert!(contacts["d"]["results"].as_array().unwrap().is_empty());
}
