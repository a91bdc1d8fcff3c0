//! Who is calling (Basic service accounts, OAuth app tokens) and which
//! mailbox a request may act on (Exchange impersonation rules, application
//! access policies).

pub mod jwt;
pub mod oauth;

use axum::http::HeaderMap;
use base64::Engine;

use super::state::World;
use super::xml::Element;

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A service account (lower-case user name).
    User(String),
    /// An OAuth app (client id) with an app-only token.
    App(String),
}

impl Principal {
    /// The account name for throttling and subscriptions.
    pub fn account(&self) -> String {
        match self {
            Principal::User(u) => u.clone(),
            Principal::App(a) => format!("app:{a}"),
        }
    }
}

/// Why a request was not authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unauthenticated {
    /// No or unknown credentials.
    Missing,
    /// Wrong user or password.
    BadCredentials,
    /// A bearer token that was never issued or has expired.
    BadToken(&'static str),
}

/// Checks the `Authorization` header.
pub fn authenticate(world: &World, headers: &HeaderMap) -> Result<Principal, Unauthenticated> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(Unauthenticated::Missing)?;
    if let Some(b64) = value.strip_prefix("Basic ") {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|_| Unauthenticated::BadCredentials)?;
        let text = String::from_utf8(raw).map_err(|_| Unauthenticated::BadCredentials)?;
        let (user, password) = text
            .split_once(':')
            .ok_or(Unauthenticated::BadCredentials)?;
        let key = user.to_ascii_lowercase();
        return match world.users.get(&key) {
            Some(u) if u.password == password => Ok(Principal::User(key)),
            _ => Err(Unauthenticated::BadCredentials),
        };
    }
    if let Some(token) = value.strip_prefix("Bearer ") {
        return match world.tokens.get(token.trim()) {
            Some(t) if t.expires > world.now() => Ok(Principal::App(t.client_id.clone())),
            Some(_) => Err(Unauthenticated::BadToken("The access token has expired.")),
            None => Err(Unauthenticated::BadToken("The access token is invalid.")),
        };
    }
    Err(Unauthenticated::Missing)
}

/// A SOAP fault to answer with: (code, text).
pub type Denied = (&'static str, String);

/// The mailbox (lower-case key) a request acts on.
///
/// With an `ExchangeImpersonation` header the named mailbox must exist
/// (`ErrorNonExistentMailbox`) and the caller must be allowed to
/// impersonate it (`ErrorImpersonateUserDenied`; for apps the application
/// access policy, `ErrorAccessDenied`). App-only tokens must impersonate
/// (`ErrorInvalidExchangeImpersonationHeaderData`, as Exchange Online
/// answers). Without the header a service account acts on its own mailbox,
/// or on the mailbox a `DistinguishedFolderId/Mailbox` names if it is
/// granted.
pub fn target_mailbox(
    world: &World,
    principal: &Principal,
    impersonation: Option<&Element>,
    body: &Element,
) -> Result<String, Denied> {
    let named = impersonation.and_then(|h| {
        let sid = h.child("ConnectingSID")?;
        ["PrimarySmtpAddress", "SmtpAddress", "PrincipalName"]
            .iter()
            .find_map(|n| sid.child_text(n))
            .or_else(|| sid.child_text("SID").map(|s| format!("sid:{s}")))
    });
    let no_mailbox = || {
        (
            "ErrorNonExistentMailbox",
            "The SMTP address has no mailbox associated with it.".to_string(),
        )
    };
    match (principal, named) {
        (Principal::App(_), None) => Err((
            "ErrorInvalidExchangeImpersonationHeaderData",
            "ExchangeImpersonation SOAP header must be present for this type of OAuth token."
                .into(),
        )),
        (Principal::App(client), Some(addr)) => {
            let key = addr.to_ascii_lowercase();
            if !world.mailboxes.contains_key(&key) {
                return Err(no_mailbox());
            }
            let allowed = world.apps.get(client).is_some_and(|a| {
                a.allowed_mailboxes
                    .as_ref()
                    .is_none_or(|m| m.contains(&key))
            });
            if allowed {
                Ok(key)
            } else {
                Err((
                    "ErrorAccessDenied",
                    "Access is denied. Check credentials and try again., The application access policy does not allow this application to access the mailbox.".into(),
                ))
            }
        }
        (Principal::User(user), Some(addr)) => {
            let key = addr.to_ascii_lowercase();
            if !world.mailboxes.contains_key(&key) {
                return Err(no_mailbox());
            }
            let granted = world
                .users
                .get(user)
                .is_some_and(|u| u.grants.contains(&key))
                || *user == key;
            if granted {
                Ok(key)
            } else {
                Err((
                    "ErrorImpersonateUserDenied",
                    "The account does not have permission to impersonate the requested user."
                        .into(),
                ))
            }
        }
        (Principal::User(user), None) => {
            if let Some(delegate) = delegate_mailbox(body) {
                let key = delegate.to_ascii_lowercase();
                if !world.mailboxes.contains_key(&key) {
                    return Err(no_mailbox());
                }
                let granted = world
                    .users
                    .get(user)
                    .is_some_and(|u| u.grants.contains(&key))
                    || *user == key;
                return if granted {
                    Ok(key)
                } else {
                    Err((
                        "ErrorAccessDenied",
                        "Access is denied. Check credentials and try again.".into(),
                    ))
                };
            }
            if world.mailboxes.contains_key(user) {
                Ok(user.clone())
            } else {
                Err(no_mailbox())
            }
        }
    }
}

/// The mailbox a `DistinguishedFolderId` names (delegate access).
fn delegate_mailbox(el: &Element) -> Option<String> {
    if el.name == "DistinguishedFolderId"
        && let Some(addr) = el.path(&["Mailbox", "EmailAddress"])
    {
        return Some(addr.text());
    }
    el.elements().find_map(delegate_mailbox)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::state::{OAuthApp, ServiceUser};

    fn world() -> World {
        let mut w = World::new(1);
        w.add_mailbox("anna@example.com", None);
        w.add_mailbox("ben@example.com", None);
        w.users.insert(
            "svc@example.com".into(),
            ServiceUser {
                user: "svc@example.com".into(),
                password: "pw".into(),
                grants: ["anna@example.com".to_string()].into(),
            },
        );
        w.apps.insert(
            "app".into(),
            OAuthApp {
                client_id: "app".into(),
                tenant: "t".into(),
                secret: Some("s".into()),
                certificate_pem: None,
                allowed_mailboxes: Some(["ben@example.com".to_string()].into()),
            },
        );
        w
    }

    fn header(addr: &str) -> Element {
        Element::t("ExchangeImpersonation").with_child(
            Element::t("ConnectingSID").with_child(Element::t_text("PrimarySmtpAddress", addr)),
        )
    }

    #[test]
    fn basic_credentials_are_checked() {
        let w = world();
        let mut h = HeaderMap::new();
        let good = base64::engine::general_purpose::STANDARD.encode("SVC@example.com:pw");
        h.insert("authorization", format!("Basic {good}").parse().unwrap());
        assert_eq!(
            authenticate(&w, &h),
            Ok(Principal::User("svc@example.com".into()))
        );
        let bad = base64::engine::general_purpose::STANDARD.encode("svc@example.com:nope");
        h.insert("authorization", format!("Basic {bad}").parse().unwrap());
        assert_eq!(authenticate(&w, &h), Err(Unauthenticated::BadCredentials));
        assert_eq!(
            authenticate(&w, &HeaderMap::new()),
            Err(Unauthenticated::Missing)
        );
    }

    #[test]
    fn impersonation_follows_grants_and_app_policies() {
        let w = world();
        let body = Element::t("GetItem");
        let svc = Principal::User("svc@example.com".into());
        assert_eq!(
            target_mailbox(&w, &svc, Some(&header("Anna@example.com")), &body),
            Ok("anna@example.com".into())
        );
        assert_eq!(
            target_mailbox(&w, &svc, Some(&header("ben@example.com")), &body)
                .unwrap_err()
                .0,
            "ErrorImpersonateUserDenied"
        );
        assert_eq!(
            target_mailbox(&w, &svc, Some(&header("nobody@example.com")), &body)
                .unwrap_err()
                .0,
            "ErrorNonExistentMailbox"
        );
        let app = Principal::App("app".into());
        assert_eq!(
            target_mailbox(&w, &app, None, &body).unwrap_err().0,
            "ErrorInvalidExchangeImpersonationHeaderData"
        );
        assert_eq!(
            target_mailbox(&w, &app, Some(&header("anna@example.com")), &body)
                .unwrap_err()
                .0,
            "ErrorAccessDenied"
        );
        assert_eq!(
            target_mailbox(&w, &app, Some(&header("ben@example.com")), &body),
            Ok("ben@example.com".into())
        );
    }
}
