//! A fake S/4HANA seeded with the demo partners (the world of
//! `maiconnect_core::testing::samples::world()`, plus employee 4713) and
//! the adapter over it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use maiconnect_core::PortError;
use maiconnect_core::ids::{EmailAddress, PartnerNo, Version};
use maiconnect_core::model::{
    Attachment, BusinessPartner, Employee, ExchangeKey, ObjectKind, Record, Relationship, S4Key,
};
use maiconnect_core::plan::fields::Field;
use maiconnect_core::plan::state::S4Item;
use maiconnect_core::ports::{Capabilities, Created, Crm};
use maiconnect_fakes::s4::{Catalogue, FakeS4, FakeS4Config, FakeS4Handle, Quirks, demo};
use maiconnect_odata::profile::ProfileKind;
use maiconnect_odata::{ClientConfig, MappingConfig, ODataClient, ODataCrm};

/// A fake with the demo partners and relationships, and no activities.
pub async fn fake_s4() -> FakeS4Handle {
    fake_s4_with(Quirks::default()).await
}

/// The same, departing from the kindest behaviour as `quirks` say.
pub async fn fake_s4_with(quirks: Quirks) -> FakeS4Handle {
    let h = FakeS4::start(FakeS4Config {
        seed: Some(7),
        quirks,
        ..FakeS4Config::default()
    })
    .await
    .unwrap();
    demo::seed_partners(&h).unwrap();
    h
}

/// The profile that fits the fake's catalogue.
pub fn profile_of(h: &FakeS4Handle) -> ProfileKind {
    match h.quirks().catalogue {
        Catalogue::Extended => ProfileKind::Extended,
        Catalogue::Standard => ProfileKind::Standard,
    }
}

/// A client of the fake as its communication user, in the profile that
/// fits the fake's catalogue.
pub fn client(h: &FakeS4Handle) -> ODataClient {
    let (user, password) = h.credentials();
    client_as(h, &user, &password)
}

/// A client of the fake as `user`.
pub fn client_as(h: &FakeS4Handle, user: &str, password: &str) -> ODataClient {
    let cfg = ClientConfig::new(&h.base_url(), user, password)
        .unwrap()
        .with_sap_client(h.client())
        .with_profile(profile_of(h));
    ODataClient::new(cfg).unwrap()
}

/// The adapter over the fake, appointments of type ZMAI with text A002.
pub fn crm(h: &FakeS4Handle) -> ODataCrm {
    let mut m = MappingConfig::default();
    m.text_types
        .insert("ZMAI".parse().unwrap(), "A002".parse().unwrap());
    ODataCrm::new(client(h), m)
}

/// The adapter together with the fake it talks to: the fake stops when its
/// last handle is dropped, so the port the conformance suite takes owns one.
pub struct Backed {
    crm: ODataCrm,
    _s4: FakeS4Handle,
}

/// The port for the conformance suite: the adapter with default mapping
/// settings over a freshly seeded fake.
pub async fn backed() -> Backed {
    backed_with(Quirks::default()).await
}

/// The same over a fake with `quirks`, in the profile that fits it.
pub async fn backed_with(quirks: Quirks) -> Backed {
    let s4 = fake_s4_with(quirks).await;
    Backed {
        crm: ODataCrm::new(client(&s4), MappingConfig::default()),
        _s4: s4,
    }
}

/// The fake's modes by name ([`Quirks::each`]), and two of them on the
/// standard services.
pub fn mode(name: &str) -> Quirks {
    let standard = |q: Quirks| Quirks {
        catalogue: Catalogue::Standard,
        ..q
    };
    let (base, on_standard) = match name.strip_prefix("standard+") {
        Some(rest) => (rest, true),
        None => (name, false),
    };
    let q = Quirks::each()
        .into_iter()
        .find(|(n, _)| *n == base)
        .map(|(_, q)| q)
        .unwrap_or_else(|| panic!("no fake mode {base}"));
    if on_standard { standard(q) } else { q }
}

#[async_trait]
impl Crm for Backed {
    async fn get(&self, key: &S4Key) -> Result<Option<S4Item>, PortError> {
        self.crm.get(key).await
    }
    async fn list_activities(
        &self,
        kind: ObjectKind,
        employee: &PartnerNo,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<S4Item>, PortError> {
        self.crm.list_activities(kind, employee, from, to).await
    }
    async fn create<'a>(
        &self,
        key: &S4Key,
        record: &Record,
        origin: Option<&'a ExchangeKey>,
    ) -> Result<Created, PortError> {
        self.crm.create(key, record, origin).await
    }
    async fn capabilities(&self, kind: ObjectKind) -> Capabilities {
        self.crm.capabilities(kind).await
    }
    async fn update(
        &self,
        key: &S4Key,
        version: &Version,
        fields: &[Field],
        record: &Record,
    ) -> Result<Option<Version>, PortError> {
        self.crm.update(key, version, fields, record).await
    }
    async fn delete(&self, key: &S4Key, version: &Version) -> Result<(), PortError> {
        self.crm.delete(key, version).await
    }
    async fn relationships(&self, partner: &PartnerNo) -> Result<Vec<Relationship>, PortError> {
        self.crm.relationships(partner).await
    }
    async fn partner(&self, partner: &PartnerNo) -> Result<Option<BusinessPartner>, PortError> {
        self.crm.partner(partner).await
    }
    async fn find_partner_by_email(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<BusinessPartner>, PortError> {
        self.crm.find_partner_by_email(email).await
    }
    async fn employee(&self, partner: &PartnerNo) -> Result<Option<Employee>, PortError> {
        self.crm.employee(partner).await
    }
    async fn attachment_content(
        &self,
        key: &S4Key,
        attachment: &Attachment,
    ) -> Result<Vec<u8>, PortError> {
        self.crm.attachment_content(key, attachment).await
    }
    async fn add_attachment(
        &self,
        key: &S4Key,
        attachment: &Attachment,
    ) -> Result<Attachment, PortError> {
        self.crm.add_attachment(key, attachment).await
    }
    async fn remove_attachment(
        &self,
        key: &S4Key,
        attachment: &Attachment,
    ) -> Result<(), PortError> {
        self.crm.remove_attachment(key, attachment).await
    }
}
