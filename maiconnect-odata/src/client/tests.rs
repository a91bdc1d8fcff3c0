use super::*;

#[test]
fn next_links_on_another_host_are_followed_below_the_root() {
    let root = Url::parse("http://127.0.0.1:8080/sap/opu/odata/NAG/X/").unwrap();
    let cur = root.join("Tasks?$filter=x").unwrap();
    let next = |link: &str, strict: bool| next_link(&root, &cur, link, "GET Tasks", strict);
    let ok = next(
        "http://127.0.0.1:8080/sap/opu/odata/NAG/X/Tasks?$skiptoken=2",
        true,
    )
    .unwrap();
    assert_eq!(ok.query(), Some("$skiptoken=2"));
    let rel = next("Tasks?$skiptoken=3", true).unwrap();
    assert_eq!(
        rel.as_str(),
        "http://127.0.0.1:8080/sap/opu/odata/NAG/X/Tasks?$skiptoken=3"
    );
    // The Gateway's internal name, another scheme and port, a proxy
    // prefix, a version matrix parameter: the path after the service
    // is kept below the configured root.
    for internal in [
        "https://s4hana-app01.corp.local:44300/sap/opu/odata/NAG/X/Tasks?$skiptoken=4",
        "http://gw.internal/s4/sap/opu/odata/nag/x;v=0001/Tasks?$skiptoken=4",
        "//other.example/sap/opu/odata/NAG/X/Tasks?$skiptoken=4",
    ] {
        let got = next(internal, false).unwrap();
        assert_eq!(
            got.as_str(),
            "http://127.0.0.1:8080/sap/opu/odata/NAG/X/Tasks?$skiptoken=4",
            "{internal}"
        );
        let e = next(internal, true).unwrap_err();
        assert!(
            matches!(e, ODataError::CrossOrigin { .. }),
            "{internal}: {e}"
        );
        assert_eq!(e.kind(), maiconnect_core::ErrorKind::Misconfigured);
    }
    let key = next(
        "http://gw.internal/sap/opu/odata/NAG/X/Rel(ValidTo=datetime'9999-12-31T00:00:00')/Items?$skiptoken=1",
        false,
    )
    .unwrap();
    assert_eq!(
        key.as_str(),
        "http://127.0.0.1:8080/sap/opu/odata/NAG/X/Rel(ValidTo=datetime'9999-12-31T00:00:00')/Items?$skiptoken=1"
    );
    // A link that does not name the service cannot be placed.
    assert!(matches!(
        next("http://evil.example/elsewhere?$skiptoken=1", false).unwrap_err(),
        ODataError::CrossOrigin { .. }
    ));
}

#[test]
fn urls_carry_client_and_language_once() {
    let c = ClientConfig::new("http://127.0.0.1:1", "u", "p")
        .unwrap()
        .with_sap_client("100")
        .with_language("EN");
    let client = ODataClient::new(c).unwrap();
    let u = client.url(ServiceId::Tasks, "Tasks?$top=1").unwrap();
    assert_eq!(
        u.as_str(),
        "http://127.0.0.1:1/sap/opu/odata/NAG/MAI_CRM_TASK_SRV/Tasks?$top=1&sap-client=100&sap-language=EN"
    );
    let mut again = u.clone();
    client.add_sap_params(&mut again);
    assert_eq!(again, u);
    let root = client.url(ServiceId::Tasks, "").unwrap();
    assert_eq!(
        root.as_str(),
        "http://127.0.0.1:1/sap/opu/odata/NAG/MAI_CRM_TASK_SRV/?sap-client=100&sap-language=EN"
    );
}
