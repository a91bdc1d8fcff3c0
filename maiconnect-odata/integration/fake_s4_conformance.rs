use maiconnect_fakes::s4::{FakeS4, FakeS4Config, FakeS4Handle, demo};
use maiconnect_odata::{ClientConfig, MappingConfig, ODataClient, ODataCrm};

async fn make() -> ODataCrm {
    let h: FakeS4Handle = FakeS4::start(FakeS4Config {
        seed: Some(7),
        ..FakeS4Config::default()
    })
    .await
    .unwrap();
    demo::seed(
        &h,
        chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()),
    )
    .unwrap();
    let (user, password) = h.credentials();
    let cfg = ClientConfig::new(&h.base_url(), &user, &password)
        .unwrap()
        .with_sap_client(h.client());
    let crm = ODataCrm::new(ODataClient::new(cfg).unwrap(), MappingConfig::default());
    std::mem::forget(h);
    crm
}

maiconnect_core::crm_conformance!(make());

#[tokio::test]
async fn the_check_passes_against_the_fake() {
    let h: FakeS4Handle = FakeS4::start(FakeS4Config::default()).await.unwrap();
    let (user, password) = h.credentials();
    let cfg = ClientConfig::new(&h.base_url(), &user, &password)
        .unwrap()
        .with_sap_client(h.client());
    let report = maiconnect_odata::check_services(&ODataClient::new(cfg).unwrap()).await;
    println!("{report}");
    assert!(report.is_ok(), "{report}");
}
