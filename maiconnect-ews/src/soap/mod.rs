//! The SOAP envelope: request headers (`RequestServerVersion`,
//! `ExchangeImpersonation`, `TimeZoneContext`) on the way out; faults,
//! `ServerVersionInfo` and per-message response classes on the way in.

mod read;

use std::fmt;
use std::str::FromStr;

pub use read::{
    Envelope, MessageXml, ResponseClass, ResponseMessage, parse_envelope, parse_fault,
    response_messages,
};

use maiconnect_core::model::Zone;

use crate::error::EwsError;
use crate::timezone::write_zone;
use crate::xml::XmlWriter;

/// The SOAP 1.1 envelope namespace.
pub const NS_SOAP: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// The EWS types namespace (`t:`).
pub const NS_TYPES: &str = "http://schemas.microsoft.com/exchange/services/2006/types";
/// The EWS messages namespace (`m:`).
pub const NS_MESSAGES: &str = "http://schemas.microsoft.com/exchange/services/2006/messages";

/// The Exchange versions a request can ask for (`ExchangeVersionType`).
pub const SERVER_VERSIONS: &[&str] = &[
    "Exchange2007",
    "Exchange2007_SP1",
    "Exchange2009",
    "Exchange2010",
    "Exchange2010_SP1",
    "Exchange2010_SP2",
    "Exchange2012",
    "Exchange2013",
    "Exchange2013_SP1",
    "Exchange2015",
    "Exchange2016",
    "V2015_10_05",
    "V2016_01_06",
    "V2016_04_13",
    "V2016_07_13",
    "V2016_10_10",
    "V2017_01_07",
    "V2017_04_14",
    "V2017_07_11",
    "V2017_10_09",
    "V2018_01_08",
];

/// The `RequestServerVersion` header value.
///
/// See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/requestserverversion>.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerVersion(String);

impl Default for ServerVersion {
    fn default() -> Self {
        ServerVersion("Exchange2013_SP1".into())
    }
}

impl ServerVersion {
    /// The version as the header spells it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ServerVersion {
    type Err = EwsError;
    fn from_str(s: &str) -> Result<Self, EwsError> {
        if SERVER_VERSIONS.contains(&s) {
            Ok(ServerVersion(s.to_owned()))
        } else {
            Err(EwsError::Config(format!(
                "server version {s:?} is not an EWS ExchangeVersionType; use one of {}",
                SERVER_VERSIONS.join(", ")
            )))
        }
    }
}

impl fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The SOAP headers of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headers {
    /// `RequestServerVersion`.
    pub version: ServerVersion,
    /// The mailbox to act as (`ExchangeImpersonation` by
    /// `PrimarySmtpAddress`); also goes into the `X-AnchorMailbox` HTTP
    /// header.
    pub impersonate: Option<String>,
    /// The zone of `TimeZoneContext`, if sent: by its Windows id, or as a
    /// custom definition when it has none (see [`crate::timezone::write_zone`]).
    pub time_zone: Option<Zone>,
}

impl Default for Headers {
    fn default() -> Self {
        Headers {
            version: ServerVersion::default(),
            impersonate: None,
            time_zone: Some(Zone::UTC),
        }
    }
}

impl Headers {
    /// Writes the `soap:Header` element.
    ///
    /// See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/exchangeimpersonation>
    /// and <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/timezonecontext>.
    pub fn write(&self, w: &mut XmlWriter) {
        w.open("soap:Header", &[]);
        w.empty(
            "t:RequestServerVersion",
            &[("Version", self.version.as_str())],
        );
        if let Some(smtp) = &self.impersonate {
            w.open("t:ExchangeImpersonation", &[])
                .open("t:ConnectingSID", &[])
                .leaf("t:PrimarySmtpAddress", smtp)
                .close("t:ConnectingSID")
                .close("t:ExchangeImpersonation");
        }
        if let Some(zone) = self.time_zone {
            w.open("t:TimeZoneContext", &[]);
            write_zone(w, "t:TimeZoneDefinition", zone);
            w.close("t:TimeZoneContext");
        }
        w.close("soap:Header");
    }
}

/// Wraps a body written by `body` into a full SOAP envelope.
pub fn envelope(headers: &Headers, body: impl FnOnce(&mut XmlWriter)) -> Vec<u8> {
    let mut w = XmlWriter::new();
    w.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    w.open(
        "soap:Envelope",
        &[
            ("xmlns:soap", NS_SOAP),
            ("xmlns:t", NS_TYPES),
            ("xmlns:m", NS_MESSAGES),
        ],
    );
    headers.write(&mut w);
    w.open("soap:Body", &[]);
    body(&mut w);
    w.close("soap:Body");
    w.close("soap:Envelope");
    w.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_carry_version_impersonation_and_zone() {
        let h = Headers {
            version: "Exchange2016".parse().unwrap(),
            impersonate: Some("anna@example.com".into()),
            time_zone: Some("Europe/Berlin".parse().unwrap()),
        };
        let xml = String::from_utf8(envelope(&h, |w| {
            w.empty("m:GetItem", &[]);
        }))
        .unwrap();
        assert!(xml.contains("<t:RequestServerVersion Version=\"Exchange2016\"/>"));
        assert!(xml.contains(
            "<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>anna@example.com</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>"
        ));
        assert!(xml.contains("<t:TimeZoneDefinition Id=\"W. Europe Standard Time\"/>"));
        assert!(xml.contains("<soap:Body><m:GetItem/></soap:Body>"));
        // A zone no Windows zone matches goes with its own rules, not as UTC.
        let troll = Headers {
            time_zone: Some("Antarctica/Troll".parse().unwrap()),
            ..h
        };
        let xml = String::from_utf8(envelope(&troll, |_| {})).unwrap();
        assert!(
            xml.contains("<t:TimeZoneContext><t:TimeZoneDefinition Id=\"Antarctica/Troll\""),
            "{xml}"
        );
        assert_eq!(ServerVersion::default().as_str(), "Exchange2013_SP1");
        assert!("Exchange2099".parse::<ServerVersion>().is_err());
    }
}
