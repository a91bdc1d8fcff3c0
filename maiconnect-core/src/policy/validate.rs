//! Checks of a policy that serde cannot make, each naming the key and the fix.

use std::collections::BTreeSet;
use std::fmt;

use crate::model::{Appointment, Contact, Task};
use crate::plan::fields::SyncRecord;
use crate::policy::{
    EnvironmentAuth, OAuthCredential, OutlookFilter, OutlookToS4, Policy, ProxyConfig, SecretRef,
    TransactionTypeRule,
};

/// One problem in a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyProblem {
    /// The key, such as `appointments.transaction_types[1].text_type`.
    pub key: String,
    /// What is wrong.
    pub problem: String,
    /// What to do.
    pub fix: String,
}

impl fmt::Display for PolicyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (fix: {})", self.key, self.problem, self.fix)
    }
}

/// Why a policy was rejected: every problem found, not just the first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    /// The problems.
    pub problems: Vec<PolicyProblem>,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "the configuration has {} problem(s):",
            self.problems.len()
        )?;
        for p in &self.problems {
            writeln!(f, "  - {p}")?;
        }
        Ok(())
    }
}

impl PolicyError {
    /// A TOML syntax or type error in `text`, with the line the parser
    /// stopped at.
    pub fn from_toml(e: &toml::de::Error, text: &str) -> PolicyError {
        let msg = e.message().trim().to_owned();
        let key = match e.span() {
            Some(span) => {
                let upto = text.get(..span.start).unwrap_or(text);
                let line = upto.matches('\n').count() + 1;
                // The whole line, so that a bad value shows its key.
                let snippet = text.lines().nth(line - 1).unwrap_or("").trim();
                format!("line {line} ({snippet})")
            }
            None => "(configuration)".into(),
        };
        let fix = if msg.contains("unknown field") {
            "remove the key or correct its spelling; the message lists the keys allowed here"
        } else if msg.contains("is not a time zone") || msg.contains("is not a UTC offset") {
            "write the zone as the message says; an unknown zone is never taken for UTC"
        } else {
            "correct the value to the type the key expects (see the README's configuration section)"
        };
        PolicyError {
            problems: vec![PolicyProblem {
                key,
                problem: msg,
                fix: fix.into(),
            }],
        }
    }
}

struct Problems(Vec<PolicyProblem>);

impl Problems {
    fn add(&mut self, key: impl Into<String>, problem: impl Into<String>, fix: impl Into<String>) {
        self.0.push(PolicyProblem {
            key: key.into(),
            problem: problem.into(),
            fix: fix.into(),
        });
    }
}

impl Policy {
    /// Checks everything that types alone cannot: references between
    /// sections, ranges, duplicates.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let mut p = Problems(Vec::new());
        transaction_types(&mut p, "appointments", &self.appointments.transaction_types);
        transaction_types(&mut p, "tasks", &self.tasks.transaction_types);
        outlook_to_s4(&mut p, "appointments", &self.appointments.outlook_to_s4);
        outlook_to_s4(&mut p, "tasks", &self.tasks.outlook_to_s4);

        let r = &self.appointments.recurring;
        if r.enabled && !(1..=730).contains(&r.horizon_days) {
            p.add(
                "appointments.recurring.horizon_days",
                format!("{} is outside 1..=730", r.horizon_days),
                "choose how many days ahead occurrences are created, for example 180",
            );
        }
        for (section, a) in [
            ("appointments", &self.appointments.attachments),
            ("tasks", &self.tasks.attachments),
        ] {
            if a.enabled && !(1..=150 * 1024 * 1024).contains(&a.max_bytes) {
                p.add(
                    format!("{section}.attachments.max_bytes"),
                    format!(
                        "{} is outside 1..=157286400 (150 MB, the EWS limit)",
                        a.max_bytes
                    ),
                    "set a size cap in bytes, for example 10485760 (10 MB)",
                );
            }
        }
        for (section, f) in [
            ("appointments", &self.appointments.partner_functions),
            ("tasks", &self.tasks.partner_functions),
        ] {
            if f.contact_person == f.participant {
                p.add(
                    format!("{section}.partner_functions"),
                    format!(
                        "contact_person and participant are both {}",
                        f.contact_person
                    ),
                    "use different partner functions, by default 00000015 and 00000032",
                );
            }
        }

        let c = &self.contacts;
        if c.enabled && !c.trigger_to_contact_person && !c.trigger_to_customer {
            p.add(
                "contacts",
                "contact sync is on but neither trigger_to_contact_person nor trigger_to_customer is",
                "turn on at least one trigger, or set contacts.enabled = false",
            );
        }
        if c.customer_contact_relationship == c.trigger_relationship {
            p.add(
                "contacts.trigger_relationship",
                format!("is the same as customer_contact_relationship ({})", c.trigger_relationship),
                "the trigger is the employee's relationship (default BUR011), the other the contact's (default BUR001)",
            );
        }
        if let Some(folder) = &c.folder
            && (folder.trim().is_empty() || folder.len() > 255)
        {
            p.add(
                "contacts.folder",
                "is empty or longer than 255 characters",
                "name the subfolder, or remove the key to use the contacts folder",
            );
        }

        let merged: BTreeSet<_> = Appointment::MERGED
            .iter()
            .chain(Task::MERGED)
            .chain(Contact::MERGED)
            .copied()
            .collect();
        for field in self.conflict.fields.keys() {
            if !merged.contains(field) {
                p.add(
                    format!("conflict.fields.{field}"),
                    "is not a synchronised field",
                    "remove it",
                );
            }
        }

        let g = &self.mass_change_guard;
        if !(1..=100).contains(&g.max_share_percent) {
            p.add(
                "mass_change_guard.max_share_percent",
                format!("{} is outside 1..=100", g.max_share_percent),
                "give the largest share of a mailbox's items that one run may delete, for example 30",
            );
        }
        if self.window.days_forward == 0 || self.window.days_forward > 3650 {
            p.add(
                "window.days_forward",
                format!("{} is outside 1..=3650", self.window.days_forward),
                "choose how many days ahead to synchronise, for example 365",
            );
        }
        if self.window.days_back > 3650 {
            p.add(
                "window.days_back",
                format!("{} is more than 3650", self.window.days_back),
                "choose how many days back to synchronise, for example 30",
            );
        }

        let mut names = BTreeSet::new();
        for (i, env) in self.environments.iter().enumerate() {
            let key = format!("environments[{i}]");
            if !names.insert(&env.name) {
                p.add(
                    format!("{key}.name"),
                    format!("{} is used twice", env.name),
                    "give every environment its own name",
                );
            }
            let ep = env.endpoint.to_ascii_lowercase();
            if !(ep.starts_with("https://") || ep.starts_with("http://")) {
                p.add(
                    format!("{key}.endpoint"),
                    format!("{:?} is not an http(s) URL", env.endpoint),
                    "use the EWS URL, such as https://mail.example.com/EWS/Exchange.asmx",
                );
            }
            if let Some(proxy) = &env.proxy {
                proxy_config(&mut p, &format!("{key}.proxy"), proxy);
            }
            if env.max_concurrency == 0 || env.max_concurrency > 1000 {
                p.add(format!("{key}.max_concurrency"), format!("{} is outside 1..=1000", env.max_concurrency), "Exchange's default throttling policy allows 27 concurrent EWS connections; use at most that");
            }
            match &env.auth {
                EnvironmentAuth::Oauth {
                    tenant,
                    client_id,
                    credential,
                    ..
                } => {
                    if tenant.trim().is_empty() {
                        p.add(
                            format!("{key}.auth.tenant"),
                            "is empty",
                            "give the Entra ID tenant id or domain",
                        );
                    }
                    if client_id.trim().is_empty() {
                        p.add(
                            format!("{key}.auth.client_id"),
                            "is empty",
                            "give the application (client) id of the app registration",
                        );
                    }
                    match credential {
                        OAuthCredential::Secret { secret } => {
                            secret_ref(&mut p, &format!("{key}.auth.credential.secret"), secret)
                        }
                        OAuthCredential::Pkcs12 { file, password, .. } => {
                            secret_ref(
                                &mut p,
                                &format!("{key}.auth.credential.password"),
                                password,
                            );
                            if file.as_os_str().is_empty() {
                                p.add(
                                    format!("{key}.auth.credential.file"),
                                    "is empty",
                                    "give the .pfx file with the certificate and its private key",
                                );
                            }
                        }
                        OAuthCredential::Certificate {
                            private_key,
                            certificate_file,
                            ..
                        } => {
                            secret_ref(
                                &mut p,
                                &format!("{key}.auth.credential.private_key"),
                                private_key,
                            );
                            if certificate_file.as_os_str().is_empty() {
                                p.add(format!("{key}.auth.credential.certificate_file"), "is empty", "give the PEM file of the certificate uploaded to the app registration");
                            }
                        }
                    }
                }
                EnvironmentAuth::Impersonation { user, password } => {
                    if user.trim().is_empty() {
                        p.add(
                            format!("{key}.auth.user"),
                            "is empty",
                            "give the service user that holds the ApplicationImpersonation role",
                        );
                    }
                    secret_ref(&mut p, &format!("{key}.auth.password"), password);
                }
            }
        }

        let mut mailboxes = BTreeSet::new();
        let mut employees = BTreeSet::new();
        for (i, u) in self.users.iter().enumerate() {
            let key = format!("users[{i}]");
            if !mailboxes.insert(&u.mailbox) {
                p.add(
                    format!("{key}.mailbox"),
                    format!("{} is configured twice", u.mailbox),
                    "list every mailbox once",
                );
            }
            if !employees.insert(&u.employee) {
                p.add(
                    format!("{key}.employee"),
                    format!("business partner {} has two mailboxes", u.employee),
                    "give every employee one mailbox",
                );
            }
            if self.environment(&u.environment).is_none() {
                let known: Vec<_> = self
                    .environments
                    .iter()
                    .map(|e| e.name.to_string())
                    .collect();
                p.add(
                    format!("{key}.environment"),
                    format!("{} is not a configured environment", u.environment),
                    format!(
                        "use one of [{}] or add an [[environments]] entry",
                        known.join(", ")
                    ),
                );
            }
        }

        if p.0.is_empty() {
            Ok(())
        } else {
            Err(PolicyError { problems: p.0 })
        }
    }
}

fn transaction_types(p: &mut Problems, section: &str, rules: &[TransactionTypeRule]) {
    let mut seen = BTreeSet::new();
    for (i, r) in rules.iter().enumerate() {
        if !seen.insert(&r.transaction_type) {
            p.add(
                format!("{section}.transaction_types[{i}].transaction_type"),
                format!("{} is listed twice", r.transaction_type),
                "list every transaction type once, with one text type",
            );
        }
    }
}

fn outlook_to_s4(p: &mut Problems, section: &str, o: &OutlookToS4) {
    if o.enabled && o.default_transaction_type.is_none() {
        p.add(
            format!("{section}.outlook_to_s4.default_transaction_type"),
            "is missing while outlook_to_s4 is enabled",
            "give the transaction type that activities created from Outlook get",
        );
    }
    if let OutlookFilter::Category(name) = &o.filter
        && (name.trim().is_empty() || name.len() > 255)
    {
        p.add(
            format!("{section}.outlook_to_s4.filter.category"),
            "is empty or longer than 255 characters",
            "name the Outlook category that marks items for S/4HANA, for example \"CRM\"",
        );
    }
}

impl ProxyConfig {
    /// What is wrong with this setting at `key` (for a proxy outside the
    /// policy, such as S/4HANA's).
    pub fn problems(&self, key: &str) -> Vec<PolicyProblem> {
        let mut p = Problems(Vec::new());
        proxy_config(&mut p, key, self);
        p.0
    }
}

/// A proxy is a URL or `direct`, with a password exactly when a user is
/// given.
fn proxy_config(p: &mut Problems, key: &str, proxy: &ProxyConfig) {
    match (&proxy.url, proxy.direct) {
        (Some(_), true) => p.add(
            key,
            "sets both url and direct = true",
            "keep url to go through the proxy, or direct = true to bypass every proxy",
        ),
        (None, false) => p.add(
            format!("{key}.url"),
            "is missing",
            "give the proxy as url = \"http://proxy.example.com:3128\", or direct = true to bypass HTTPS_PROXY; leave proxy out to let the environment variables decide",
        ),
        (Some(url), false) if !(url.starts_with("http://") || url.starts_with("https://")) => p.add(
            format!("{key}.url"),
            format!("{url:?} is not an http:// or https:// URL"),
            "write it as http://proxy.example.com:3128 (SOCKS proxies are not supported)",
        ),
        _ => {}
    }
    match (&proxy.user, &proxy.password) {
        (Some(_), None) => p.add(
            format!("{key}.password"),
            "is missing while user is set",
            "give the proxy user's password as { env = \"…\" } or { file = \"…\" }",
        ),
        (None, Some(_)) => p.add(
            format!("{key}.user"),
            "is missing while password is set",
            "give the proxy user, or remove the password",
        ),
        (Some(_), Some(password)) => secret_ref(p, &format!("{key}.password"), password),
        (None, None) => {}
    }
}

fn secret_ref(p: &mut Problems, key: &str, s: &SecretRef) {
    match (&s.env, &s.file) {
        (Some(_), Some(_)) => p.add(key, "names both an environment variable and a file", "keep one of env or file"),
        (None, None) => p.add(key, "names neither an environment variable nor a file", "set env = \"VARIABLE\" or file = \"/path\"; secrets are never written into the configuration"),
        (Some(e), None) if e.trim().is_empty() => p.add(key, "names an empty environment variable", "give the variable's name"),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::model::PartnerFunction;
    use crate::plan::fields::Field;
    use crate::policy::*;

    const GOOD: &str = r#"
        default_time_zone = "Europe/Berlin"

        [[appointments.transaction_types]]
        transaction_type = "ZMAI"
        text_type = "A002"

        [appointments.outlook_to_s4]
        enabled = true
        filter = { category = "CRM" }
        default_transaction_type = "zmai"

        [tasks.outlook_to_s4]
        filter = "sync_tag"

        [conflict]
        rule = "newest_wins"
        fields = { subject = "exchange_wins" }

        [[environments]]
        name = "de"
        endpoint = "https://mail.example.de/EWS/Exchange.asmx"
        auth = { kind = "impersonation", user = "svc@example.de", password = { env = "DE_PW" } }

        [[environments]]
        name = "online"
        endpoint = "https://outlook.office365.com/EWS/Exchange.asmx"
        auth = { kind = "oauth", tenant = "contoso.onmicrosoft.com", client_id = "1f0e", credential = { kind = "certificate", certificate_file = "app.pem", private_key = { file = "app.key" } } }

        [[users]]
        employee = "4711"
        mailbox = "Anna.Berg@example.de"
        environment = "de"
    "#;

    #[test]
    fn a_complete_policy_parses_with_defaults_filled_in() {
        let p = Policy::from_toml(GOOD).unwrap();
        assert_eq!(
            p.appointments.outlook_to_s4.filter,
            OutlookFilter::Category("CRM".into())
        );
        assert_eq!(p.tasks.outlook_to_s4.filter, OutlookFilter::SyncTag);
        assert_eq!(
            p.appointments.partner_functions.contact_person,
            PartnerFunction::CONTACT_PERSON
        );
        assert_eq!(
            p.appointments.partner_functions.participant,
            PartnerFunction::PARTICIPANT
        );
        assert_eq!(p.contacts.customer_contact_relationship.code(), "BUR001");
        assert_eq!(p.contacts.trigger_relationship.code(), "BUR011");
        assert_eq!(
            p.conflict.rule_for(Field::Subject),
            ConflictRule::ExchangeWins
        );
        assert_eq!(p.conflict.rule_for(Field::When), ConflictRule::NewestWins);
        assert_eq!(p.users[0].employee.as_str(), "0000004711");
        assert!(p.users[0].enabled);
        assert_eq!(p.environments[1].auth.kind_name(), "oauth");
        assert!(!p.appointments.send_invitations);
    }

    #[test]
    fn an_empty_file_is_a_valid_policy_that_syncs_nothing() {
        let p = Policy::from_toml("").unwrap();
        assert!(p.users.is_empty() && p.appointments.transaction_types.is_empty());
    }

    #[test]
    fn unknown_keys_are_rejected_with_the_allowed_ones() {
        let e = Policy::from_toml("[appointments]\ntransaction_typs = []\n").unwrap_err();
        let text = e.to_string();
        assert!(text.contains("transaction_typs"), "{text}");
        assert!(text.contains("fix:"), "{text}");
    }

    #[test]
    fn bad_ids_name_the_value() {
        let e = Policy::from_toml(
            "[[users]]\nemployee = \"12345678901\"\nmailbox = \"a@b.de\"\nenvironment = \"x\"\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("business partner number"), "{e}");
    }

    #[test]
    fn an_unknown_time_zone_is_refused_with_its_key_and_the_fix() {
        // Issue #23: never replaced by UTC.
        for (text, key) in [
            (
                GOOD.replace("Europe/Berlin", "Europe/Kiyv"),
                "default_time_zone",
            ),
            (
                format!("{GOOD}        time_zone = \"India Time\"\n"),
                "time_zone",
            ),
        ] {
            let e = Policy::from_toml(&text).unwrap_err();
            let p = &e.problems[0];
            assert!(p.key.contains(key), "{p}");
            assert!(p.problem.contains("is not a time zone"), "{p}");
            assert!(p.problem.contains("Europe/Berlin"), "{p}");
            assert!(p.fix.contains("never taken for UTC"), "{p}");
        }
        // Old and new names, links and Windows ids are all accepted.
        for zone in [
            "Asia/Calcutta",
            "Asia/Kolkata",
            "Europe/Kyiv",
            "India Standard Time",
        ] {
            let text = format!("{GOOD}        time_zone = \"{zone}\"\n");
            let p = Policy::from_toml(&text).unwrap();
            assert!(p.users[0].time_zone.is_some(), "{zone}");
        }
    }

    #[test]
    fn every_semantic_problem_is_reported_with_key_and_fix() {
        let text = r#"
            [[appointments.transaction_types]]
            transaction_type = "ZMAI"
            text_type = "A002"
            [[appointments.transaction_types]]
            transaction_type = "ZMAI"
            text_type = "A003"
            [appointments.outlook_to_s4]
            enabled = true
            [appointments.recurring]
            horizon_days = 0
            [appointments.partner_functions]
            contact_person = "00000032"
            [contacts]
            enabled = true
            trigger_to_contact_person = false
            trigger_to_customer = false
            [mass_change_guard]
            max_share_percent = 0
            [window]
            days_forward = 0
            [[environments]]
            name = "de"
            endpoint = "mail.example.de"
            max_concurrency = 0
            proxy = { user = "svc", direct = true }
            auth = { kind = "impersonation", user = "", password = { } }
            [[environments]]
            name = "de"
            endpoint = "https://x"
            auth = { kind = "oauth", tenant = "", client_id = "", credential = { kind = "secret", secret = { env = "A", file = "b" } } }
            [[users]]
            employee = "1"
            mailbox = "a@example.de"
            environment = "nowhere"
            [[users]]
            employee = "1"
            mailbox = "A@example.de"
            environment = "de"
        "#;
        let e = Policy::from_toml(text).unwrap_err();
        let keys: Vec<&str> = e.problems.iter().map(|p| p.key.as_str()).collect();
        for k in [
            "appointments.transaction_types[1].transaction_type",
            "appointments.outlook_to_s4.default_transaction_type",
            "appointments.recurring.horizon_days",
            "appointments.partner_functions",
            "contacts",
            "mass_change_guard.max_share_percent",
            "window.days_forward",
            "environments[0].endpoint",
            "environments[0].max_concurrency",
            "environments[0].proxy.password",
            "environments[0].auth.user",
            "environments[0].auth.password",
            "environments[1].name",
            "environments[1].auth.tenant",
            "environments[1].auth.client_id",
            "environments[1].auth.credential.secret",
            "users[0].environment",
            "users[1].mailbox",
            "users[1].employee",
        ] {
            assert!(keys.contains(&k), "missing problem for {k}: {keys:?}");
        }
        assert!(e.problems.iter().all(|p| !p.fix.is_empty()));
    }

    #[test]
    fn proxy_settings_are_a_url_or_direct() {
        let keys = |toml: &str| -> Vec<String> {
            let proxy: ProxyConfig = toml::from_str(toml).unwrap();
            proxy
                .problems("s4.proxy")
                .into_iter()
                .map(|p| p.key)
                .collect()
        };
        assert!(keys("url = \"http://proxy:3128\"").is_empty());
        assert!(keys("direct = true").is_empty());
        assert!(keys("url = \"http://p:1\"\nuser = \"u\"\npassword = { env = \"P\" }").is_empty());
        assert_eq!(keys("no_proxy = [\"x\"]"), ["s4.proxy.url"]);
        assert_eq!(keys("url = \"http://p:1\"\ndirect = true"), ["s4.proxy"]);
        assert_eq!(keys("url = \"socks5://p:1\""), ["s4.proxy.url"]);
        assert_eq!(
            keys("url = \"http://p:1\"\npassword = { env = \"P\" }"),
            ["s4.proxy.user"]
        );
        assert!(toml::from_str::<ProxyConfig>("host = \"p\"").is_err());
    }

    #[test]
    fn secrets_are_not_printed() {
        let s = SecretRef::env("DE_PW");
        assert_eq!(format!("{s:?}"), "SecretRef(env DE_PW)");
    }
}
