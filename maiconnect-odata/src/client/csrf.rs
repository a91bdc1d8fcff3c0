//! CSRF tokens of SAP Gateway: fetched once per service at a time (HEAD on
//! the service root, GET when HEAD is refused), kept with the session
//! cookies, fetched again when a write is refused with `Required`.

use std::sync::atomic::Ordering;
use std::time::SystemTime;

use crate::client::{Method, ODataClient, Response, check, failure};
use crate::error::ODataError;
use crate::profile::ServiceId;

impl ODataClient {
    /// Fetches a CSRF token: HEAD on the service root, GET when HEAD is
    /// refused. `None` when the server has CSRF protection off.
    pub(super) async fn fetch_token(
        &self,
        service: ServiceId,
    ) -> Result<Option<String>, ODataError> {
        let s = self.session(service);
        s.token_fetches.fetch_add(1, Ordering::Relaxed);
        let fetch = [("X-CSRF-Token".to_owned(), "Fetch".to_owned())];
        let url = self.url(service, "")?;
        let context = format!("fetching a CSRF token of {service}");
        let token = |r: &Response| {
            r.header("x-csrf-token")
                .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("required"))
                .map(str::to_owned)
        };
        let head = self
            .raw(Method::Head, url.clone(), &fetch, None, &context)
            .await?;
        if head.is_success() {
            if let Some(t) = token(&head) {
                return Ok(Some(t));
            }
        } else if !matches!(head.status, 405 | 403 | 501) {
            return Err(failure(
                &context,
                head.status,
                &head.headers,
                &head.body,
                SystemTime::now(),
            ));
        }
        tracing::debug!(%service, status = head.status, "HEAD gave no CSRF token, fetching with GET");
        let get = check(
            &context,
            self.raw(Method::Get, url, &fetch, None, &context).await?,
            SystemTime::now(),
        )?;
        Ok(token(&get))
    }

    pub(super) async fn token(&self, service: ServiceId) -> Result<Option<String>, ODataError> {
        let mut slot = self.session(service).csrf.lock().await;
        if let Some(t) = slot.as_ref() {
            return Ok(Some(t.clone()));
        }
        let t = self.fetch_token(service).await?;
        slot.clone_from(&t);
        Ok(t)
    }

    pub(super) async fn forget_token(&self, service: ServiceId, used: Option<&str>) {
        let mut slot = self.session(service).csrf.lock().await;
        // Another writer may have fetched a fresh token meanwhile: keep it.
        if slot.as_deref() == used {
            *slot = None;
        }
    }
}
