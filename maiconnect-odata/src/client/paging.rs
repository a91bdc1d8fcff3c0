//! Listings over several pages: server-driven (`__next`, same origin only)
//! or client-driven (`$top`/`$skip`).

use std::time::SystemTime;

use url::Url;

use crate::client::{Method, ODataClient, check};
use crate::error::ODataError;
use crate::profile::ServiceId;

impl ODataClient {
    /// Reads every page of a listing: `page` parses one body into owned
    /// items and the `__next` link. Next links must stay on the service's
    /// origin.
    pub async fn read_pages<T>(
        &self,
        service: ServiceId,
        path: &str,
        mut page: impl FnMut(&[u8]) -> Result<(Vec<T>, Option<String>), ODataError>,
    ) -> Result<Vec<T>, ODataError> {
        let mut url = self.url(service, path)?;
        let context = format!("GET {path}");
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..self.inner.config.max_pages {
            let r = self
                .raw(Method::Get, url.clone(), &[], None, &context)
                .await?;
            let r = check(&context, r, SystemTime::now())?;
            let (items, next) = page(&r.body)?;
            out.extend(items);
            let Some(next) = next else { return Ok(out) };
            let mut next_url = next_link(self.root(service), &url, &next, &context)?;
            self.add_sap_params(&mut next_url);
            if !seen.insert(next_url.to_string()) {
                return Err(ODataError::Invalid(format!(
                    "{context}: the server sent the next-page link {next} twice; stopping to avoid a loop"
                )));
            }
            url = next_url;
        }
        Err(ODataError::Invalid(format!(
            "{context}: more than {} pages; narrow the filter or raise max_pages",
            self.inner.config.max_pages
        )))
    }

    /// Reads a listing with client-driven paging, `$top=page_size` and
    /// growing `$skip`, for services that cap their answers without sending
    /// `__next`; a `__next` link, if one comes, is followed instead.
    pub async fn read_pages_by_skip<T>(
        &self,
        service: ServiceId,
        path: &str,
        page_size: u32,
        mut page: impl FnMut(&[u8]) -> Result<(Vec<T>, Option<String>), ODataError>,
    ) -> Result<Vec<T>, ODataError> {
        let mut out = Vec::new();
        let page_size = page_size.max(1);
        for n in 0..self.inner.config.max_pages {
            let skip = u64::from(page_size) * n as u64;
            let paged =
                crate::wire::query::with_query(path, &[&format!("$top={page_size}&$skip={skip}")]);
            let mut got = 0;
            let mut saw_next = false;
            let items = self
                .read_pages(service, &paged, |b| {
                    let (items, next) = page(b)?;
                    got += items.len();
                    saw_next |= next.is_some();
                    Ok((items, next))
                })
                .await?;
            out.extend(items);
            if saw_next || got < page_size as usize {
                return Ok(out);
            }
        }
        Err(ODataError::Invalid(format!(
            "GET {path}: more than {} pages of {page_size}; narrow the filter",
            self.inner.config.max_pages
        )))
    }
}

/// Resolves a `__next` link and refuses one on another origin.
pub fn next_link(root: &Url, current: &Url, next: &str, context: &str) -> Result<Url, ODataError> {
    let url = current.join(next).map_err(|e| {
        ODataError::Invalid(format!(
            "{context}: the next-page link {next:?} is not a URL ({e})"
        ))
    })?;
    if url.origin() != root.origin() {
        return Err(ODataError::CrossOrigin {
            context: context.to_owned(),
            next: next.to_owned(),
            expected: root.origin().ascii_serialization(),
        });
    }
    Ok(url)
}
