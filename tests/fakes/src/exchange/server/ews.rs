//! The EWS endpoint: authentication, throttling, parsing, schema
//! validation, injected faults, impersonation, then the operation.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Inner;
use crate::exchange::auth::{self, Unauthenticated};
use crate::exchange::faults::InjectedFault;
use crate::exchange::items::time::zone_named;
use crate::exchange::ops::{Ctx, batch_size, dispatch};
use crate::exchange::soap::{
    EwsError, envelope, error_message, fault, response_close, response_open, schema_fault,
    values_xml,
};
use crate::exchange::state::World;
use crate::exchange::xml::{self, Element, MESSAGES_NS, SOAP_NS, TYPES_NS};

fn xml_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

fn soap_fault(code: &str, text: &str) -> Response {
    xml_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        fault(code, text, text, None),
    )
}

fn unauthorized(why: Option<&str>) -> Response {
    let mut r = (StatusCode::UNAUTHORIZED, "").into_response();
    let h = r.headers_mut();
    h.append(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"fake-exchange\""),
    );
    let bearer = match why {
        Some(w) => format!(
            "Bearer authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", error=\"invalid_token\", error_description=\"{w}\""
        ),
        None => {
            "Bearer authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\""
                .into()
        }
    };
    if let Ok(v) = HeaderValue::from_str(&bearer) {
        h.append(header::WWW_AUTHENTICATE, v);
    }
    r
}

/// `POST /EWS/Exchange.asmx`.
pub async fn handle(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    let principal = {
        let Ok(world) = inner.world.lock() else {
            return soap_fault(
                "ErrorInternalServerError",
                "The fake's state is unavailable.",
            );
        };
        match auth::authenticate(&world, &headers) {
            Ok(p) => p,
            Err(Unauthenticated::BadToken(why)) => return unauthorized(Some(why)),
            Err(_) => return unauthorized(None),
        }
    };
    let limit = inner
        .faults
        .lock()
        .ok()
        .and_then(|f| f.max_concurrency)
        .unwrap_or(inner.config.max_concurrency);
    let Some(_slot) = inner.concurrency.enter(&principal.account(), limit) else {
        return exceeded_connection_count(limit);
    };
    let doc = match xml::parse(&body) {
        Ok(d) => d,
        Err(e) => {
            let msg = format!("{} Line {}, position {}.", e.message, e.line, e.position);
            return xml_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                schema_fault(e.line, e.position, &msg),
            );
        }
    };
    let (header_el, body_el) = match split_envelope(&doc) {
        Ok(parts) => parts,
        Err(msg) => {
            return xml_response(StatusCode::INTERNAL_SERVER_ERROR, schema_fault(1, 1, msg));
        }
    };
    if let Err(v) = inner.validator.validate(Arc::from(body.as_ref())).await {
        return xml_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            schema_fault(v.line, v.position, &v.message),
        );
    }
    let op = body_el.name.clone();
    if let Ok(mut s) = inner.stats.lock() {
        *s.entry(op.clone()).or_insert(0) += 1;
    }
    let (latency, injected) = match inner.faults.lock() {
        Ok(mut f) => (f.next_latency(), f.take(&op)),
        Err(_) => (Default::default(), None),
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match injected {
        Some(InjectedFault::Delay { ms }) => {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await
        }
        Some(f) => return injected_response(&f, &op, body_el),
        None => {}
    }
    let impersonation = header_el.and_then(|h| {
        h.elements()
            .find(|e| e.name == "ExchangeImpersonation" && e.ns == TYPES_NS)
    });
    let tz = header_el
        .and_then(|h| h.path(&["TimeZoneContext", "TimeZoneDefinition"]))
        .and_then(|d| d.attr("Id"))
        .and_then(zone_named);
    let mut touched = None;
    let response = {
        let Ok(mut world) = inner.world.lock() else {
            return soap_fault(
                "ErrorInternalServerError",
                "The fake's state is unavailable.",
            );
        };
        let mailbox = match auth::target_mailbox(&world, &principal, impersonation, body_el) {
            Ok(m) => m,
            Err((code, text)) => return soap_fault(code, &text),
        };
        let last_event = |w: &World, m: &str| {
            w.mailboxes
                .get(m)
                .and_then(|mb| mb.events.last())
                .map(|e| e.seq)
        };
        let before = last_event(&world, &mailbox);
        let mut ctx = Ctx {
            world: &mut world,
            mailbox: mailbox.clone(),
            account: principal.account(),
            tz,
            config: &inner.config,
        };
        let response = match dispatch(&mut ctx, &op, body_el) {
            Some(r) => r,
            None => {
                return soap_fault(
                    "ErrorInvalidRequest",
                    &format!("The fake Exchange does not implement {op}."),
                );
            }
        };
        // New events, or a subscription ended: the mailbox's push tasks
        // look (a new subscription's task is started below).
        if last_event(&world, &mailbox) != before || op == "Unsubscribe" {
            touched = Some(mailbox);
        }
        response
    };
    if let Some(mailbox) = touched {
        inner.touch_mailbox(&mailbox);
    }
    if op == "Subscribe" {
        crate::exchange::push::ensure_tasks(&inner);
    }
    xml_response(StatusCode::OK, envelope(&response))
}

fn split_envelope(doc: &Element) -> Result<(Option<&Element>, &Element), &'static str> {
    if doc.ns != SOAP_NS || doc.name != "Envelope" {
        return Err(
            "The request is not a SOAP 1.1 envelope (root element Envelope in http://schemas.xmlsoap.org/soap/envelope/).",
        );
    }
    let header = doc
        .elements()
        .find(|e| e.name == "Header" && e.ns == SOAP_NS);
    let body = doc
        .elements()
        .find(|e| e.name == "Body" && e.ns == SOAP_NS)
        .and_then(Element::first_element)
        .ok_or("The SOAP Body is empty.")?;
    if body.ns != MESSAGES_NS {
        return Err("The Body's element is not in the EWS messages namespace.");
    }
    Ok((header, body))
}

fn exceeded_connection_count(limit: u32) -> Response {
    let text = "You have exceeded the available concurrent connections for your account.  Try again once your other requests have completed.";
    let budget = format!(
        "This operation exceeds the throttling budget for policy part 'MaxConcurrency', policy value '{limit}',  Budget type: 'Ews'.  Suggested backoff time 0 ms."
    );
    let limit = limit.to_string();
    let mx = values_xml(&[
        ("Policy", "MaxConcurrency"),
        ("MaxConcurrencyLimit", &limit),
        ("ErrorMessage", &budget),
    ]);
    xml_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        fault("ErrorExceededConnectionCount", text, text, Some(&mx)),
    )
}

fn injected_response(f: &InjectedFault, op: &str, body: &Element) -> Response {
    match f {
        InjectedFault::ServerBusy { back_off_ms } => {
            let text = "The server cannot service this request right now. Try again later.";
            let mx = values_xml(&[("BackOffMilliseconds", &back_off_ms.to_string())]);
            xml_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                fault("ErrorServerBusy", text, text, Some(&mx)),
            )
        }
        InjectedFault::ExceededConnectionCount => exceeded_connection_count(27),
        InjectedFault::Unavailable { retry_after_secs } => {
            let mut r = (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response();
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
        InjectedFault::Unauthorized => unauthorized(None),
        InjectedFault::ResponseCode { code, message } => {
            let e = EwsError::new(
                code,
                message
                    .clone()
                    .unwrap_or_else(|| format!("Injected {code}.")),
            );
            let mut out = response_open(op);
            for _ in 0..batch_size(body) {
                error_message(&mut out, &format!("{op}ResponseMessage"), &e);
            }
            out.push_str(&response_close(op));
            xml_response(StatusCode::OK, envelope(&out))
        }
        InjectedFault::Delay { .. } => soap_fault("ErrorInternalServerError", "unreachable"),
    }
}

/// `POST /{tenant}/oauth2/v2.0/token`.
pub async fn token(
    State(inner): State<Arc<Inner>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    // The endpoint's own URL as the client names it (the `Host` it sent,
    // which differs from the listening address behind a proxy).
    let base = match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) => format!("http://{host}"),
        None => inner.base_url.lock().map(|b| b.clone()).unwrap_or_default(),
    };
    let url = format!("{base}/{tenant}/oauth2/v2.0/token");
    let (status, json) = {
        let Ok(mut world) = inner.world.lock() else {
            return (StatusCode::INTERNAL_SERVER_ERROR, "state unavailable").into_response();
        };
        auth::oauth::token(
            &mut world,
            &tenant,
            &form,
            &url,
            inner.config.token_lifetime,
        )
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    (status, axum::Json(json)).into_response()
}
