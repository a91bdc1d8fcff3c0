//! CSRF tokens of SAP Gateway: learned from the first read of a service
//! (which asks with `X-CSRF-Token: Fetch`), or fetched once per service at
//! a time when a write comes first (HEAD on the service root, GET when
//! HEAD is refused); kept with the session cookies; fetched again when a
//! write is refused with `403` and `X-CSRF-Token: Required`. A service that
//! issues no token (CSRF protection off) gets no fetch at all after that.

use std::fmt;
use std::sync::atomic::Ordering;
use std::time::SystemTime;

use crate::client::{Method, ODataClient, Response, check, failure};
use crate::error::ODataError;
use crate::profile::ServiceId;

/// What a session knows of its service's CSRF protection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) enum CsrfState {
    /// Not asked yet.
    #[default]
    Unknown,
    /// The service issued this token.
    Token(String),
    /// The service issues none: writes go without.
    NotRequired,
}

impl CsrfState {
    fn from_token(token: Option<String>) -> CsrfState {
        token.map_or(CsrfState::NotRequired, CsrfState::Token)
    }
    fn token(&self) -> Option<String> {
        match self {
            CsrfState::Token(t) => Some(t.clone()),
            _ => None,
        }
    }
}

/// The token of a response to a request with `X-CSRF-Token: Fetch`.
fn issued(r: &Response) -> Option<String> {
    r.header("x-csrf-token")
        .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("required"))
        .map(str::to_owned)
}

/// What a CSRF token fetch found: whether the service issued a token and
/// which request brought it. The token itself belongs to the session and
/// is never shown (`Debug` and `Display` hide it).
#[derive(Clone, PartialEq, Eq)]
pub struct CsrfFetch {
    /// The service asked.
    pub service: ServiceId,
    /// Its technical name in the profile in use.
    pub name: &'static str,
    /// The request that answered: HEAD, or GET when HEAD was refused or
    /// brought no token.
    pub via: Method,
    token: Option<String>,
}

impl CsrfFetch {
    /// Whether the service issued a token; `false` means its CSRF
    /// protection is off, so writes need none.
    pub fn issued(&self) -> bool {
        self.token.is_some()
    }
}

impl fmt::Debug for CsrfFetch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CsrfFetch")
            .field("service", &self.service)
            .field("via", &self.via)
            .field("issued", &self.issued())
            .finish()
    }
}

impl fmt::Display for CsrfFetch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.issued(), self.via) {
            (true, Method::Head) => write!(f, "{} issued a token (HEAD)", self.name),
            (true, _) => write!(
                f,
                "{} issued a token (GET; HEAD was refused or brought none)",
                self.name
            ),
            (false, _) => write!(
                f,
                "{} issued no token: its CSRF protection is off, so writes need none",
                self.name
            ),
        }
    }
}

impl ODataClient {
    /// Fetches a fresh CSRF token for `service` the way writes do (HEAD on
    /// the service root with `X-CSRF-Token: Fetch`, GET when HEAD is
    /// refused) and keeps it for the next writes. For start-up checks: a
    /// failure names the service, the HTTP status and SAP's message, and
    /// says what to do (credentials on 401, the role
    /// `/NAG/SAP_MAICONNECT` on 403, activating the service on 404).
    pub async fn fetch_csrf_token(&self, service: ServiceId) -> Result<CsrfFetch, ODataError> {
        let mut slot = self.session(service).csrf.lock().await;
        let (token, via) = self.fetch_token(service).await?;
        *slot = CsrfState::from_token(token.clone());
        Ok(CsrfFetch {
            service,
            name: self.config().profile().name(service),
            via,
            token,
        })
    }

    /// Fetches a CSRF token: HEAD on the service root, GET when HEAD is
    /// refused. `None` when the server has CSRF protection off; the method
    /// that answered.
    async fn fetch_token(
        &self,
        service: ServiceId,
    ) -> Result<(Option<String>, Method), ODataError> {
        let s = self.session(service);
        s.token_fetches.fetch_add(1, Ordering::Relaxed);
        let fetch = [("X-CSRF-Token".to_owned(), "Fetch".to_owned())];
        let url = self.url(service, "")?;
        let context = format!(
            "fetching a CSRF token of {}",
            self.config().profile().name(service)
        );
        let token = issued;
        let head = self
            .raw(Method::Head, url.clone(), &fetch, None, &context)
            .await?;
        if head.is_success()
            && let Some(t) = token(&head)
        {
            return Ok((Some(t), Method::Head));
        }
        // An overloaded server is not asked twice; its answer says when to
        // come back.
        if head.status == 429 || (head.status >= 500 && head.status != 501) {
            return Err(failure(
                &context,
                head.status,
                &head.headers,
                &head.body,
                SystemTime::now(),
            ));
        }
        // Some Gateways refuse HEAD (405, 403, 501), and a HEAD answer has no
        // body to carry SAP's error message (a missing service, a missing
        // role): GET gets the token or the message.
        tracing::debug!(%service, status = head.status, "HEAD gave no CSRF token, fetching with GET");
        let get = self.raw(Method::Get, url, &fetch, None, &context).await?;
        if get.status == 404 {
            // The service root itself is missing: the service is.
            return Err(self.service_failure(&context, &get));
        }
        let get = check(&context, get, SystemTime::now())?;
        Ok((token(&get), Method::Get))
    }

    /// The token for a write: the one known, none when the service
    /// issues none, else fetched now (once: concurrent writers wait and
    /// reuse it).
    pub(super) async fn token(&self, service: ServiceId) -> Result<Option<String>, ODataError> {
        let mut slot = self.session(service).csrf.lock().await;
        match &*slot {
            CsrfState::Token(t) => return Ok(Some(t.clone())),
            CsrfState::NotRequired => return Ok(None),
            CsrfState::Unknown => {}
        }
        let (t, _) = self.fetch_token(service).await?;
        *slot = CsrfState::from_token(t);
        Ok(slot.token())
    }

    /// Whether a read should ask for a token on the way
    /// (`X-CSRF-Token: Fetch`): while the session knows nothing yet.
    pub(super) fn wants_token(&self, service: ServiceId) -> bool {
        // A writer holding the lock is fetching one already.
        self.session(service)
            .csrf
            .try_lock()
            .is_ok_and(|s| *s == CsrfState::Unknown)
    }

    /// Learns the token (or that there is none) from a successful read
    /// that asked for one.
    pub(super) async fn learn_token(&self, service: ServiceId, r: &Response) {
        if !r.is_success() {
            return;
        }
        let mut slot = self.session(service).csrf.lock().await;
        if *slot == CsrfState::Unknown {
            *slot = CsrfState::from_token(issued(r));
            tracing::debug!(%service, required = matches!(*slot, CsrfState::Token(_)), "CSRF protection learned from a read");
        }
    }

    /// Forgets the token a write was refused with, so that the next write
    /// fetches a new one.
    pub(super) async fn forget_token(&self, service: ServiceId, used: Option<&str>) {
        let mut slot = self.session(service).csrf.lock().await;
        // Another writer may have fetched a fresh token meanwhile: keep it.
        if slot.token().as_deref() == used {
            *slot = CsrfState::Unknown;
        }
    }
}
