//! Missing objects and missing services: Gateway answers a missing object
//! with its error body (`/IWBEP/CM_MGW_RT/020`) and a missing service with
//! `/IWFND/MED/170`, but a reverse proxy or the ICF answer a path they do
//! not know with a page of their own. A 404 without an SAP code is checked
//! against the service root before it is taken for a missing object.

use std::time::SystemTime;

use crate::client::{Method, ODataClient, Request, Response, check, failure};
use crate::error::ODataError;
use crate::profile::ServiceId;

impl ODataClient {
    /// GETs `path`; `None` on 404 (a missing object — but not a missing
    /// service, see [`ODataClient::placed`]).
    pub async fn get_optional(
        &self,
        service: ServiceId,
        path: &str,
    ) -> Result<Option<Response>, ODataError> {
        let req = Request::new(Method::Get, path);
        let r = self.execute(service, &req).await?;
        if r.status == 404 {
            let e = failure(
                &req.context(),
                r.status,
                &r.headers,
                &r.body,
                SystemTime::now(),
            );
            let e = self.placed(service, e).await;
            // A missing service is not a missing object.
            if e.kind() == maiconnect_core::ErrorKind::Misconfigured {
                return Err(e);
            }
            return Ok(None);
        }
        check(&req.context(), r, SystemTime::now()).map(Some)
    }

    /// Places a 404: Gateway answers a missing object with its error body
    /// (and a missing service with `/IWFND/MED/170`), but a reverse proxy
    /// or the ICF answer a path they do not know with a page of their own.
    /// Such a bare 404 is checked against the service root: when that is
    /// missing too, the error says the service is.
    pub async fn placed(&self, service: ServiceId, e: ODataError) -> ODataError {
        let ODataError::Http(mut h) = e else {
            return e;
        };
        if !h.is_bare_not_found() {
            return ODataError::Http(h);
        }
        let Ok(url) = self.url(service, "") else {
            return ODataError::Http(h);
        };
        if let Ok(root) = self.read(service, url, &[], &h.context).await
            && root.status == 404
        {
            tracing::warn!(%service, "a 404 without SAP error body, and the service root is missing too");
            h.service_missing = true;
        }
        ODataError::Http(h)
    }

    /// The error of a response for the service root or `$metadata`: a 404
    /// there means the service is missing, whatever the body says.
    pub(super) fn service_failure(&self, context: &str, r: &Response) -> ODataError {
        match failure(context, r.status, &r.headers, &r.body, SystemTime::now()) {
            ODataError::Http(mut h) if r.status == 404 => {
                h.service_missing = true;
                ODataError::Http(h)
            }
            e => e,
        }
    }
}
