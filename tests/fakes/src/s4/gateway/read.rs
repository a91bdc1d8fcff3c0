//! Reads: entity sets with `$filter`, `$orderby`, `$skip`/`$top`,
//! server-driven paging (`__next` with `$skiptoken`), `$inlinecount`
//! (`__count` as a string), `$select`, `$expand`, `$count`; single entities
//! with their `ETag` header; navigation properties; media values. Written
//! in the OData v2 JSON verbose format (`{"d":…}`) by hand, so the order
//! of the members (`__metadata` first) is Gateway's.

use std::fmt::Write as _;

use super::path::{EntityPath, QueryOptions};
use super::sap_error::SapError;
use super::{Exec, OdataResponse};
use crate::s4::filter::compare;
use crate::s4::store::{Row, Store};

fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// Writes one entity.
pub fn write_entity(
    out: &mut String,
    exec: &Exec,
    store: &Store,
    row: &Row,
    select: Option<&[String]>,
    expand: &[String],
) {
    // The stored layout is the same in every catalogue; the service shows
    // its own names and leaves out what it does not offer.
    let set = exec.model.set(row.set.name).unwrap_or(row.set);
    let uri = format!("{}{}{}", exec.service_url, set.name, row.key_predicate());
    let _ = write!(
        out,
        "{{\"__metadata\":{{\"id\":{u},\"uri\":{u},\"type\":{}",
        quote(&format!("{}.{}", exec.model.namespace(), set.type_name)),
        u = quote(&uri)
    );
    if let Some(etag) = &row.etag {
        let _ = write!(out, ",\"etag\":{}", quote(etag));
    }
    if set.media {
        let _ = write!(
            out,
            ",\"content_type\":{},\"media_src\":{v},\"edit_media\":{v}",
            quote(
                row.media_type
                    .as_deref()
                    .unwrap_or("application/octet-stream")
            ),
            v = quote(&format!("{uri}/$value"))
        );
    }
    out.push('}');
    let selected = |name: &str| select.is_none_or(|s| s.iter().any(|n| n == name));
    for (p, v) in set.properties.iter().zip(&row.values) {
        if !p.hidden && selected(p.name) {
            let _ = write!(out, ",{}:{}", quote(p.name), v.to_json());
        }
    }
    for nav in set.navigations {
        if !selected(nav.name) && !expand.iter().any(|e| e == nav.name) {
            continue;
        }
        let _ = write!(out, ",{}:", quote(nav.name));
        if expand.iter().any(|e| e == nav.name) {
            let children = store.navigate(exec.service, row, nav, exec.today());
            if nav.many {
                out.push_str("{\"results\":[");
                for (i, child) in children.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_entity(out, exec, store, child, None, &[]);
                }
                out.push_str("]}");
            } else {
                match children.first() {
                    Some(child) => write_entity(out, exec, store, child, None, &[]),
                    None => out.push_str("null"),
                }
            }
        } else {
            let _ = write!(
                out,
                "{{\"__deferred\":{{\"uri\":{}}}}}",
                quote(&format!("{uri}/{}", nav.name))
            );
        }
    }
    out.push('}');
}

/// A single-entity response (`{"d":{…}}` with the `ETag` header).
pub fn entity_response(
    status: u16,
    exec: &Exec,
    store: &Store,
    row: &Row,
    expand: &[String],
    select: Option<&[String]>,
) -> OdataResponse {
    let mut body = String::from("{\"d\":");
    write_entity(&mut body, exec, store, row, select, expand);
    body.push('}');
    let mut r = OdataResponse::new(status).json(body);
    if let Some(etag) = &row.etag {
        r = r.header("etag", etag);
    }
    r
}

/// What must be escaped in a query name or value; `$`, quotes, commas
/// and parentheses stay readable, as in Gateway's own next links.
const QUERY: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'<')
    .add(b'>')
    .add(b'=')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^');

fn next_link(exec: &Exec, resource: &str, query: &[(String, String)], token: usize) -> String {
    let enc = |t: &str| percent_encoding::utf8_percent_encode(t, QUERY).to_string();
    let mut pairs: Vec<String> = query
        .iter()
        .filter(|(k, _)| k != "$skiptoken")
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    pairs.push(format!("$skiptoken={token}"));
    format!("{}{}?{}", exec.service_url, resource, pairs.join("&"))
}

/// A collection: order, count, page (`rows` passed `$filter` already).
pub fn collection(
    exec: &Exec,
    store: &Store,
    mut rows: Vec<Row>,
    opts: &QueryOptions,
    resource: &str,
    query: &[(String, String)],
    count_only: bool,
) -> OdataResponse {
    if !opts.order_by.is_empty() {
        rows.sort_by(|a, b| {
            for (i, desc) in &opts.order_by {
                let o = compare(&a.values[*i], &b.values[*i]).unwrap_or(std::cmp::Ordering::Equal);
                let o = if *desc { o.reverse() } else { o };
                if o.is_ne() {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
    }
    let total = rows.len();
    if count_only {
        let n = total
            .saturating_sub(opts.skip)
            .min(opts.top.unwrap_or(usize::MAX));
        return OdataResponse::new(200)
            .header("content-type", "text/plain;charset=utf-8")
            .body(n.to_string().into_bytes());
    }
    // The client's window ($skip/$top), then the server's page within it.
    let window_end = opts
        .top
        .map_or(total, |t| opts.skip.saturating_add(t).min(total));
    let start = opts.skip.saturating_add(opts.skiptoken).min(window_end);
    let end = start.saturating_add(exec.page_size).min(window_end);
    let mut body = String::from("{\"d\":{\"results\":[");
    for (i, row) in rows[start..end].iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        write_entity(
            &mut body,
            exec,
            store,
            row,
            opts.select.as_deref(),
            &opts.expand,
        );
    }
    body.push(']');
    if opts.inline_count {
        let _ = write!(body, ",\"__count\":\"{total}\"");
    }
    if end < window_end {
        let link = next_link(exec, resource, query, end - opts.skip);
        let _ = write!(body, ",\"__next\":{}", quote(&link));
    }
    body.push_str("}}");
    OdataResponse::new(200).json(body)
}

/// `GET` of an entity path.
pub fn get(
    exec: &Exec,
    store: &Store,
    path: &EntityPath,
    opts: &QueryOptions,
    resource: &str,
    query: &[(String, String)],
) -> Result<OdataResponse, SapError> {
    let today = exec.today();
    let set = path.set;
    let Some(key) = &path.key else {
        let rows = store.filtered_rows(exec.service, set, today, opts.filter.as_ref());
        return Ok(collection(
            exec, store, rows, opts, resource, query, path.count,
        ));
    };
    let Some(row) = store.row(exec.service, set, key, today) else {
        let shown: Vec<String> = key.iter().map(|v| v.to_literal()).collect();
        return Err(SapError::not_found(format!(
            "Resource not found for segment '{}' with key ({}): no such entity; check the key or read the set",
            set.type_name,
            shown.join(",")
        )));
    };
    if path.value {
        if !set.media {
            return Err(SapError::bad_request(format!(
                "'{}' is not a media entity; $value is only offered on AttachmentSet",
                set.name
            )));
        }
        let id = row
            .values
            .first()
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let Some(a) = store.attachments.get(id) else {
            return Err(SapError::not_found(format!(
                "Attachment '{id}' has no content"
            )));
        };
        let file_name = row.get("FileName").as_str().unwrap_or_default().to_owned();
        let encoded =
            percent_encoding::utf8_percent_encode(&file_name, percent_encoding::NON_ALPHANUMERIC);
        return Ok(OdataResponse::new(200)
            .header(
                "content-type",
                row.media_type
                    .as_deref()
                    .unwrap_or("application/octet-stream"),
            )
            .header(
                "content-disposition",
                &format!("inline; filename*=UTF-8''{encoded}"),
            )
            .body_bytes(a.content.clone()));
    }
    let Some(nav_name) = path.navigation else {
        if path.count {
            return Ok(OdataResponse::new(200)
                .header("content-type", "text/plain;charset=utf-8")
                .body(b"1".to_vec()));
        }
        return Ok(entity_response(
            200,
            exec,
            store,
            &row,
            &opts.expand,
            opts.select.as_deref(),
        ));
    };
    let Some(nav) = set.navigation(nav_name) else {
        return Err(SapError::not_found(format!(
            "Navigation property '{nav_name}' not found"
        )));
    };
    let children = store.navigate(exec.service, &row, nav, today);
    if nav.many {
        let children = match &opts.filter {
            Some(f) => children.into_iter().filter(|r| f.matches(r)).collect(),
            None => children,
        };
        return Ok(collection(
            exec, store, children, opts, resource, query, path.count,
        ));
    }
    match children.first() {
        Some(child) => Ok(entity_response(
            200,
            exec,
            store,
            child,
            &opts.expand,
            opts.select.as_deref(),
        )),
        None => Err(SapError::not_found(format!(
            "Resource not found for segment '{nav_name}'"
        ))),
    }
}
