use super::*;

fn sample(name: &str) -> Value {
    let bytes = std::fs::read(format!(
        "{}/tests/samples/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    decode(&bytes).unwrap()
}

#[test]
fn every_sample_in_the_reference_decodes() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/samples");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".md") || name.contains("batch_request") {
            continue;
        }
        let v = decode(&std::fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(v["kind"].is_string(), "{name}: {v}");
        n += 1;
    }
    assert_eq!(n, 10, "json, batch and metadata samples");
}

#[test]
fn the_single_entity_sample_has_typed_values() {
    let v = sample("cloudsdk_v2_single_entity.json");
    assert_eq!(v["kind"], "entity");
    assert_eq!(v["type"], "API_TEST_SRV.A_TestEntityType");
    let p = &v["properties"];
    assert_eq!(p["KeyPropertyGuid"], "aaaabbbb-cccc-dddd-eeee-ffff00001111");
    assert_eq!(p["Int64Property"], "345");
    assert_eq!(p["DecimalProperty"], "264.5");
    assert_eq!(p["BooleanProperty"], false);
    assert_eq!(
        p["DateTimeProperty"],
        json!({"edm": "Edm.DateTime", "value": "2018-09-03T00:00:00+00:00"})
    );
    assert_eq!(
        p["DateTimeOffSetProperty"],
        json!({"edm": "Edm.DateTimeOffset", "value": "2018-09-03T16:40:00+16:40"})
    );
    assert_eq!(
        p["TimeProperty"],
        json!({"edm": "Edm.Time", "value": "11:43:43"})
    );
    assert_eq!(p["ComplexTypeProperty"]["StringProperty"], "ctString");
    assert_eq!(p["FloatProperty"], Value::Null);
    assert!(
        v["deferred"]["to_MultiLink"]
            .as_str()
            .unwrap()
            .ends_with("/to_MultiLink")
    );
    assert_eq!(v["deferred"].as_object().unwrap().len(), 3);
}

#[test]
fn the_collection_samples_have_entities_count_and_next() {
    let v = sample("cloudsdk_v2_collection.json");
    assert_eq!(v["kind"], "collection");
    assert_eq!(v["entities"].as_array().unwrap().len(), 1);
    assert_eq!(
        v["entities"][0]["properties"]["StringProperty"],
        "someString"
    );
    assert_eq!(v["count"], Value::Null);
    let v = sample("pyodata_v2_paging_count_next.json");
    assert_eq!(v["count"], 50);
    assert_eq!(
        v["next"],
        "https://example.com/sap/opu/odata/sap/EXAMPLE_SRV/get_best_measurements?$skiptoken=2"
    );
    assert_eq!(
        v["entities"][1]["properties"]["Date"]["value"],
        "2026-04-17T09:19:38+00:00"
    );
    assert_eq!(v["entities"][1]["properties"]["Value"], "30.2d");
}

#[test]
fn the_error_samples_carry_code_message_and_details() {
    let v = sample("cloudsdk_v2_error_response.json");
    assert_eq!(v["kind"], "error");
    assert_eq!(v["code"], "ABC");
    assert_eq!(v["message"], "Some error occured");
    assert_eq!(v["transaction_id"], "0123456789ABCDEFGHIJKLMNOPQRSTUV");
    assert_eq!(v["application"]["service_id"], "API_TEST_SRV");
    assert_eq!(v["details"][0]["severity"], "error");
    let v = sample("sap_gateway_error_CRM_TASK_ODATA.json");
    assert_eq!(v["code"], "CRM_TASK_ODATA/006");
    assert_eq!(v["details"].as_array().unwrap().len(), 2);
}

#[test]
fn the_batch_samples_list_their_parts_with_statuses() {
    let v = sample("cloudsdk_v2_batch_response_changesets.txt");
    assert_eq!(v["kind"], "batch");
    assert_eq!(v["boundary"], "TEST-RESPONSE");
    let parts = v["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 2);
    let statuses: Vec<u64> = parts[1]["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, vec![201, 204, 204]);
    assert_eq!(
        parts[0]["responses"][0]["body"]["properties"]["KeyProperty"],
        "keyProp"
    );
    let v = sample("pyodata_v2_batch_response_ok.txt");
    assert_eq!(v["parts"][0]["kind"], "response");
    assert_eq!(v["parts"][0]["response"]["status"], 200);
    assert_eq!(
        v["parts"][0]["response"]["body"]["properties"]["NameLast"],
        "Ickes"
    );
    assert_eq!(v["parts"][1]["responses"][0]["status"], 204);
}

#[test]
fn metadata_decodes_to_a_summary() {
    let v = sample("pyodata_test_EXAMPLE_SRV_metadata.xml");
    assert_eq!(v["kind"], "metadata");
    let sets = v["entity_sets"].as_array().unwrap();
    assert_eq!(sets.len(), 14);
    let customers = sets.iter().find(|s| s["name"] == "Customers").unwrap();
    assert_eq!(customers["keys"], json!(["Name"]));
    assert!(
        customers["properties"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "City" && p["max_length"] == 15)
    );
}

#[test]
fn garbage_is_reported_not_panicked() {
    for bad in [
        &b""[..],
        b"{\"x\":1}",
        b"{\"d\":",
        b"<html/>",
        b"--b\nno end",
    ] {
        assert!(decode(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
    }
}

#[test]
fn metadata_types_int64_and_decimal_strings() {
    let meta = br#"<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx"><edmx:DataServices>
 <Schema Namespace="API_TEST_SRV" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
  <EntityType Name="A_TestEntityType"><Key><PropertyRef Name="KeyPropertyGuid"/></Key>
   <Property Name="KeyPropertyGuid" Type="Edm.Guid"/><Property Name="Int64Property" Type="Edm.Int64"/>
   <Property Name="DecimalProperty" Type="Edm.Decimal"/><Property Name="StringProperty" Type="Edm.String"/></EntityType>
  <EntityContainer Name="C"><EntitySet Name="A_TestEntity" EntityType="API_TEST_SRV.A_TestEntityType"/></EntityContainer>
 </Schema></edmx:DataServices></edmx:Edmx>"#;
    let meta = crate::wire::metadata::parse_metadata(meta).unwrap();
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/samples/cloudsdk_v2_single_entity.json"
    ))
    .unwrap();
    let v = decode_with(&bytes, Some(&meta)).unwrap();
    let p = &v["properties"];
    assert_eq!(
        p["Int64Property"],
        json!({"edm": "Edm.Int64", "value": 345})
    );
    assert_eq!(
        p["DecimalProperty"],
        json!({"edm": "Edm.Decimal", "value": 264.5})
    );
    assert_eq!(p["KeyPropertyGuid"]["edm"], "Edm.Guid");
    assert_eq!(p["StringProperty"], "someString");
    assert_eq!(
        p["SingleProperty"], "42.4",
        "undeclared properties stay as sent"
    );
}

#[test]
fn every_error_shape_shows_its_message() {
    let cases: [(&[u8], &str, &str); 6] = [
        (
            br#"{"error":{"code":"C/1","message":{"lang":"en","value":"Outer"},"innererror":{"errordetails":[{"code":"C/2","message":{"lang":"en","value":"Inner"},"target":null}]}}}"#,
            "json",
            "SAP C/1: Outer [Inner]",
        ),
        (
            br#"{"error":"Backend down"}"#,
            "json",
            "SAP error: Backend down",
        ),
        (
            br#"<?xml version="1.0"?><error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"><code>/IWBEP/CM_MGW_RT/020</code><message xml:lang="en">Resource not found</message></error>"#,
            "xml",
            "SAP /IWBEP/CM_MGW_RT/020: Resource not found",
        ),
        (
            b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>",
            "html",
            "404 Not Found: Not Found",
        ),
        (
            b"<HTML><BODY>502 Bad Gateway</BODY></HTML>",
            "html",
            "502 Bad Gateway",
        ),
        (
            b"CSRF token validation failed",
            "text",
            "CSRF token validation failed",
        ),
    ];
    for (body, format, text) in cases {
        let v = decode(body).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v["kind"], "error", "{v}");
        assert_eq!(v["format"], format, "{v}");
        assert_eq!(v["text"], text, "{v}");
    }
    assert_eq!(
        decode(b"42\n").unwrap(),
        json!({"kind": "value", "value": 42})
    );
}
