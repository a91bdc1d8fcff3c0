//! The demo world: two environments' mailboxes, a service account granted
//! both on-premises mailboxes, and an OAuth app with a generated
//! certificate allowed one Exchange Online mailbox.

use super::control::AppSpec;
use super::control::spec::ItemSpec;
use super::error::{FakeExchangeError, Result};
use super::server::FakeExchangeHandle;

/// What to seed.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Service account user name.
    pub service_user: String,
    /// Its password.
    pub service_password: String,
    /// On-premises mailboxes it may impersonate.
    pub onprem_mailboxes: Vec<String>,
    /// Exchange Online mailboxes of the app.
    pub online_mailboxes: Vec<String>,
    /// The app's client id.
    pub client_id: String,
    /// The app's tenant.
    pub tenant: String,
    /// Add a sample appointment per on-premises mailbox.
    pub sample_items: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            service_user: "svc-maiconnect@example.com".into(),
            service_password: "Demo-Passw0rd!".into(),
            onprem_mailboxes: vec![
                "anna.berg@example.com".into(),
                "ben.kraus@example.com".into(),
            ],
            online_mailboxes: vec!["clara.vogel@example.onmicrosoft.com".into()],
            client_id: "6f1c3e0a-3b8e-4d8a-9a51-5b6c0d1e2f30".into(),
            tenant: "example.onmicrosoft.com".into(),
            sample_items: true,
        }
    }
}

/// What the demo needs to connect.
#[derive(Debug, Clone)]
pub struct DemoWorld {
    /// The app's client id.
    pub client_id: String,
    /// The app's tenant.
    pub tenant: String,
    /// The app's certificate (PEM).
    pub certificate_pem: String,
    /// The app's private key (PEM, PKCS#8).
    pub private_key_pem: String,
}

/// Seeds the demo world into a running fake.
pub fn seed(handle: &FakeExchangeHandle, opts: &DemoOptions) -> Result<DemoWorld> {
    for m in opts.onprem_mailboxes.iter().chain(&opts.online_mailboxes) {
        handle.add_mailbox(m, None)?;
    }
    let grants: Vec<&str> = opts.onprem_mailboxes.iter().map(String::as_str).collect();
    handle.add_service_user(&opts.service_user, &opts.service_password, &grants)?;
    let (cert, key) = super::auth::jwt::generate_certificate("maiconnect-demo").map_err(|e| {
        FakeExchangeError::Control(format!("cannot generate the demo certificate: {e}"))
    })?;
    handle.add_app(&AppSpec {
        client_id: opts.client_id.clone(),
        tenant: opts.tenant.clone(),
        secret: None,
        certificate_pem: Some(cert.clone()),
        allowed_mailboxes: Some(opts.online_mailboxes.clone()),
    })?;
    if opts.sample_items {
        for m in &opts.onprem_mailboxes {
            let start = handle.clock(&Default::default())? + chrono::Duration::days(1);
            handle.create_item(
                m,
                Some("calendar"),
                &ItemSpec {
                    subject: Some("Customer visit".into()),
                    start: Some(start),
                    end: Some(start + chrono::Duration::hours(1)),
                    zone: Some("Europe/Berlin".into()),
                    categories: Some(vec!["SAP".into()]),
                    ..ItemSpec::default()
                },
            )?;
        }
    }
    Ok(DemoWorld {
        client_id: opts.client_id.clone(),
        tenant: opts.tenant.clone(),
        certificate_pem: cert,
        private_key_pem: key,
    })
}
