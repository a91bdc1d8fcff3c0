//! Listings over several pages: server-driven (`__next`) or client-driven
//! (`$top`/`$skip`).
//!
//! A Gateway behind a reverse proxy (or one whose external host name is
//! not set) writes its own scheme, host and port into `__next`. Such a
//! link is followed below the configured service root: its path after the
//! service's name and its query are kept, the origin is the configured
//! one. [`ClientConfig::strict_next_links`](crate::ClientConfig) refuses
//! such links instead.

use std::time::SystemTime;

use url::Url;

use crate::client::{ODataClient, check};
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
            let r = self.read(service, url.clone(), &[], &context).await?;
            let r = match check(&context, r, SystemTime::now()) {
                Ok(r) => r,
                Err(e) => return Err(self.placed(service, e).await),
            };
            let (items, next) = page(&r.body)?;
            out.extend(items);
            let Some(next) = next else { return Ok(out) };
            let strict = self.inner.config.strict_next_links;
            let mut next_url = next_link(self.root(service), &url, &next, &context, strict)?;
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

/// Resolves a `__next` link. A link to another origin is followed below
/// the service root (or refused when `strict`, or when its path does not
/// contain the service's name).
pub fn next_link(
    root: &Url,
    current: &Url,
    next: &str,
    context: &str,
    strict: bool,
) -> Result<Url, ODataError> {
    let url = current.join(next).map_err(|e| {
        ODataError::Invalid(format!(
            "{context}: the next-page link {next:?} is not a URL ({e})"
        ))
    })?;
    if url.origin() == root.origin() {
        return Ok(url);
    }
    let refused = || ODataError::CrossOrigin {
        context: context.to_owned(),
        next: next.to_owned(),
        expected: root.origin().ascii_serialization(),
    };
    if strict {
        return Err(refused());
    }
    let rebased = below_root(root, &url).ok_or_else(refused)?;
    tracing::debug!(%url, %rebased, "next-page link to another host, followed below the service root");
    Ok(rebased)
}

/// `link`'s path after the service's name (the last segment of `root`,
/// matrix parameters such as `;v=0001` ignored) and its query, below
/// `root`.
fn below_root(root: &Url, link: &Url) -> Option<Url> {
    let bare = |s: &str| s.split(';').next().unwrap_or(s).to_ascii_uppercase();
    let service = root.path_segments()?.rfind(|s| !s.is_empty())?;
    let segments: Vec<&str> = link.path_segments()?.collect();
    let at = segments.iter().rposition(|s| bare(s) == bare(service))?;
    // "./" keeps a colon in the first segment (a datetime key) from
    // reading as a scheme.
    let mut out = root
        .join(&format!("./{}", segments[at + 1..].join("/")))
        .ok()?;
    out.set_query(link.query());
    Some(out)
}
