//! Newtype identifiers, each validated when it is parsed.
//!
//! Every id that crosses a system boundary has its own type, so that a
//! business partner number can never be passed where a mailbox is expected.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tinystr::TinyAsciiStr;
use uuid::Uuid;

/// Why a string is not a valid identifier of some kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {what}: {why}")]
pub struct InvalidId {
    /// Which kind of identifier was expected ("business partner number", ...).
    pub what: &'static str,
    /// The rejected input (cut to 80 characters).
    pub value: String,
    /// What is wrong with it.
    pub why: &'static str,
}

impl InvalidId {
    fn new(what: &'static str, value: &str, why: &'static str) -> Self {
        let value = value.chars().take(80).collect();
        InvalidId { what, value, why }
    }
}

/// Implements `Display`, `Serialize` and `Deserialize` through `as_str` /
/// `FromStr`, so that every id is written and read in its canonical text form.
macro_rules! text_id {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// The GUID of a CRM activity (appointment BUS2000126 or task BUS2000125).
///
/// SAP writes GUIDs as 32 hex digits (RAW16) or hyphenated (`Edm.Guid`); both
/// parse. The canonical form is hyphenated lower case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActivityId(Uuid);

impl ActivityId {
    /// Wraps a UUID (for activities created by the hub, a random v4 UUID).
    pub fn from_uuid(uuid: Uuid) -> Self {
        ActivityId(uuid)
    }
    /// The UUID inside.
    pub fn uuid(&self) -> Uuid {
        self.0
    }
    /// 32 upper-case hex digits without hyphens, as ABAP stores a RAW16 GUID.
    pub fn to_raw16(&self) -> String {
        self.0.simple().to_string().to_ascii_uppercase()
    }
}

impl fmt::Display for ActivityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl FromStr for ActivityId {
    type Err = InvalidId;
    fn from_str(s: &str) -> Result<Self, InvalidId> {
        let t = s.trim();
        let ok_len = t.len() == 32 || t.len() == 36;
        if !ok_len {
            return Err(InvalidId::new(
                "activity GUID",
                s,
                "expected 32 hex digits or a hyphenated GUID",
            ));
        }
        Uuid::try_parse(t)
            .map(ActivityId)
            .map_err(|_| InvalidId::new("activity GUID", s, "expected hex digits only"))
    }
}

impl Serialize for ActivityId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ActivityId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A business partner number (BUT000-PARTNER): up to 10 characters.
///
/// Numeric numbers are stored with leading zeros (SAP's ALPHA conversion), so
/// `"1234"` and `"0000001234"` are the same partner. Externally numbered
/// partners may be alphanumeric; they are stored in upper case.
///
/// Held inline (no allocation): the planner compares and copies partner
/// numbers for every attendee of every pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartnerNo(TinyAsciiStr<10>);

impl PartnerNo {
    /// The 10-character canonical form.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl FromStr for PartnerNo {
    type Err = InvalidId;
    fn from_str(s: &str) -> Result<Self, InvalidId> {
        const WHAT: &str = "business partner number";
        let t = s.trim();
        if t.is_empty() || t.len() > 10 {
            return Err(InvalidId::new(WHAT, s, "expected 1 to 10 characters"));
        }
        let code = if t.bytes().all(|b| b.is_ascii_digit()) {
            // ALPHA conversion: zeros on the left up to 10 digits.
            let mut alpha = [b'0'; 10];
            alpha[10 - t.len()..].copy_from_slice(t.as_bytes());
            TinyAsciiStr::try_from_utf8(&alpha)
        } else if t.bytes().all(|b| b.is_ascii_alphanumeric()) {
            TinyAsciiStr::try_from_str(t).map(TinyAsciiStr::to_ascii_uppercase)
        } else {
            return Err(InvalidId::new(
                WHAT,
                s,
                "only letters and digits are allowed",
            ));
        };
        code.map(PartnerNo)
            .map_err(|_| InvalidId::new(WHAT, s, "expected 1 to 10 characters"))
    }
}
text_id!(PartnerNo);

/// The id of an item in a mailbox (EWS `ItemId/@Id`, a Graph item id).
/// Opaque to everyone but the mailbox adapter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemId(Arc<str>);

impl ItemId {
    /// The id as the server sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// A shortened form for logs: ids are long and need not be logged in full.
    pub fn short(&self) -> String {
        shorten(&self.0)
    }
}

impl FromStr for ItemId {
    type Err = InvalidId;
    fn from_str(s: &str) -> Result<Self, InvalidId> {
        opaque(s, "mailbox item id").map(|s| ItemId(s.into()))
    }
}
text_id!(ItemId);

/// A version token of one side's copy of an object: the EWS change key, a
/// Graph or OData ETag. Opaque; compared only for equality.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(Arc<str>);

impl Version {
    /// A version no server sends: recorded for a copy whose synced state is
    /// not known, so that its content is compared.
    pub fn unknown() -> Version {
        Version("(unknown)".into())
    }
    /// The token as the server sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Version {
    type Err = InvalidId;
    fn from_str(s: &str) -> Result<Self, InvalidId> {
        opaque(s, "version token").map(|s| Version(s.into()))
    }
}
text_id!(Version);

fn opaque(s: &str, what: &'static str) -> Result<String, InvalidId> {
    if s.is_empty() {
        return Err(InvalidId::new(what, s, "must not be empty"));
    }
    if s.len() > 4096 {
        return Err(InvalidId::new(what, s, "longer than 4096 bytes"));
    }
    if s.chars().any(char::is_control) {
        return Err(InvalidId::new(what, s, "contains control characters"));
    }
    Ok(s.to_owned())
}

/// Shortens a long opaque token for logs: first 6 and last 4 characters.
pub fn shorten(s: &str) -> String {
    let n = s.chars().count();
    if n <= 12 {
        return s.to_owned();
    }
    let head: String = s.chars().take(6).collect();
    let tail: String = s.chars().skip(n - 4).collect();
    format!("{head}…{tail}")
}

/// An e-mail address (of an attendee, a contact, an employee).
/// Stored in lower case so that comparisons ignore case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// The address in lower case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for EmailAddress {
    type Err = InvalidId;
    fn from_str(s: &str) -> Result<Self, InvalidId> {
        parse_address(s, "e-mail address").map(EmailAddress)
    }
}
text_id!(EmailAddress);

fn parse_address(s: &str, what: &'static str) -> Result<String, InvalidId> {
    let t = s.trim();
    let Some((local, domain)) = t.rsplit_once('@') else {
        return Err(InvalidId::new(what, s, "expected local-part@domain"));
    };
    if local.is_empty() || domain.is_empty() || !domain.contains('.') && domain != "localhost" {
        return Err(InvalidId::new(what, s, "expected local-part@domain"));
    }
    if t.len() > 320 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(InvalidId::new(what, s, "contains spaces or is too long"));
    }
    Ok(t.to_lowercase())
}

/// The primary SMTP address of a configured user mailbox. Only mailboxes in
/// the configuration are ever touched.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mailbox(Arc<str>);

impl Mailbox {
    /// The address in lower case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The same address as an [`EmailAddress`].
    pub fn email(&self) -> EmailAddress {
        EmailAddress(self.0.to_string())
    }
}

impl FromStr for Mailbox {
    type Err = InvalidId;
    fn from_str(s: &str) -> Result<Self, InvalidId> {
        parse_address(s, "mailbox address").map(|s| Mailbox(s.into()))
    }
}
text_id!(Mailbox);

/// A CRM transaction type (process type, CRMC_PROC_TYPE), 1 to 4 characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TransactionType(TinyAsciiStr<4>);

impl TransactionType {
    /// The code in upper case.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl FromStr for TransactionType {
    type Err = InvalidId;
    fn from_str(s: &str) -> Result<Self, InvalidId> {
        const WHAT: &str = "transaction type";
        let code = sap_code(s, 4, WHAT)?;
        TinyAsciiStr::try_from_str(&code)
            .map(TransactionType)
            .map_err(|_| InvalidId::new(WHAT, s, "too long or empty"))
    }
}
text_id!(TransactionType);

/// A text type of CRM long texts (TTXID), 4 characters, such as `A002`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextType(String);

impl TextType {
    /// The code in upper case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for TextType {
    type Err = InvalidId;
    fn from_str(s: &str) -> Result<Self, InvalidId> {
        let code = sap_code(s, 4, "text type")?;
        if code.len() != 4 {
            return Err(InvalidId::new(
                "text type",
                s,
                "expected exactly 4 characters",
            ));
        }
        Ok(TextType(code))
    }
}
text_id!(TextType);

fn sap_code(s: &str, max: usize, what: &'static str) -> Result<String, InvalidId> {
    let t = s.trim();
    if t.is_empty() || t.len() > max {
        return Err(InvalidId::new(what, s, "too long or empty"));
    }
    if !t
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'/')
    {
        return Err(InvalidId::new(
            what,
            s,
            "only letters, digits, '_' and '/' are allowed",
        ));
    }
    Ok(t.to_ascii_uppercase())
}

/// The name of an Exchange environment in the configuration (for example
/// one per country).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnvironmentName(String);

impl EnvironmentName {
    /// The name as configured.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for EnvironmentName {
    type Err = InvalidId;
    fn from_str(s: &str) -> Result<Self, InvalidId> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(EnvironmentName(s.to_owned()))
        } else {
            Err(InvalidId::new(
                "environment name",
                s,
                "use 1 to 64 letters, digits, '-' or '_'",
            ))
        }
    }
}
text_id!(EnvironmentName);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_numbers_are_alpha_converted() {
        let a: PartnerNo = "1234".parse().unwrap();
        let b: PartnerNo = "0000001234".parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "0000001234");
        assert_eq!(" 7 ".parse::<PartnerNo>().unwrap().as_str(), "0000000007");
        assert_eq!(
            "9876543210".parse::<PartnerNo>().unwrap().as_str(),
            "9876543210"
        );
        assert_eq!("ext42".parse::<PartnerNo>().unwrap().as_str(), "EXT42");
        assert!("12345678901".parse::<PartnerNo>().is_err());
        assert!("12 4".parse::<PartnerNo>().is_err());
        assert!("".parse::<PartnerNo>().is_err());
    }

    #[test]
    fn activity_ids_accept_both_sap_forms() {
        let a: ActivityId = "0050568C2B4F1EE8A1B2C3D4E5F60718".parse().unwrap();
        let b: ActivityId = "0050568c-2b4f-1ee8-a1b2-c3d4e5f60718".parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "0050568c-2b4f-1ee8-a1b2-c3d4e5f60718");
        assert_eq!(a.to_raw16(), "0050568C2B4F1EE8A1B2C3D4E5F60718");
        let err = "not-a-guid".parse::<ActivityId>().unwrap_err();
        assert!(err.to_string().contains("activity GUID"), "{err}");
    }

    #[test]
    fn addresses_ignore_case_and_reject_garbage() {
        let m: Mailbox = " Anna.Berg@Example.DE ".parse().unwrap();
        assert_eq!(m.as_str(), "anna.berg@example.de");
        assert!("anna".parse::<Mailbox>().is_err());
        assert!("anna@".parse::<EmailAddress>().is_err());
        assert!("a b@example.de".parse::<EmailAddress>().is_err());
    }

    #[test]
    fn codes_are_upper_case_and_bounded() {
        assert_eq!("zmai".parse::<TransactionType>().unwrap().as_str(), "ZMAI");
        assert!("ZMAIL".parse::<TransactionType>().is_err());
        assert!("A02".parse::<TextType>().is_err());
        assert_eq!("a002".parse::<TextType>().unwrap().as_str(), "A002");
    }

    #[test]
    fn long_tokens_are_shortened_for_logs() {
        assert_eq!(shorten("AAMkADk0ZjQ2YzE3LWQ"), "AAMkAD…3LWQ");
        assert_eq!(shorten("short"), "short");
    }

    #[test]
    fn ids_round_trip_through_serde() {
        let p: PartnerNo = "42".parse().unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, "\"0000000042\"");
        assert_eq!(serde_json::from_str::<PartnerNo>(&json).unwrap(), p);
        assert!(serde_json::from_str::<PartnerNo>("\"bad id!\"").is_err());
    }
}
