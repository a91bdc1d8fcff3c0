//! The standard GetItem benchmark document: an EWS `GetItemResponse` with N
//! calendar items, as Exchange sends it for a batched GetItem (one
//! `m:GetItemResponseMessage` per item, compact, no indentation).
//!
//! Mirrors `gen_getitem.py` of the project's planning library (2026-12-04),
//! which the Python peer figures were first measured on: the same elements
//! in the order of the `ItemType` / `CalendarItemType` sequences of
//! types.xsd (so the body stays schema-valid), the same German word lists
//! with umlauts and `&`/`<` to escape, the same distributions, the same
//! fixed-length ids. Seeded, so every run yields the same bytes; not
//! byte-identical with the Python output (another RNG), but about the same
//! size (1,000 items ≈ 2.87 MB).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, TimeZone, Utc};
use quick_xml::escape::partial_escape;

const MESSAGES_NS: &str = "http://schemas.microsoft.com/exchange/services/2006/messages";
const TYPES_NS: &str = "http://schemas.microsoft.com/exchange/services/2006/types";

const FIRST: &[&str] = &[
    "Anna", "Jonas", "Lea", "Lukas", "Marie", "Felix", "Sophie", "Paul", "Jörg", "Björn", "Müller",
    "Chloé", "Max", "Emma", "Noah", "Mia", "Elias", "Hannah", "Ben", "Lina",
];
const LAST: &[&str] = &[
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
];
const SUBJECTS: &[&str] = &[
    "Kundentermin",
    "Quartalsgespräch",
    "Produktdemo",
    "Vertragsverlängerung",
    "Service-Besuch",
    "Jahresgespräch",
    "Projekt-Kickoff",
    "Schulung",
    "Angebotsbesprechung",
    "Reklamation",
];
const COMPANIES: &[&str] = &[
    "Bäckerei Huber GmbH",
    "Stadtwerke Nord AG",
    "Maier & Söhne KG",
    "Optik Lehmann",
    "Autohaus Wendt",
    "Praxis Dr. Özdemir",
    "Hotel Seeblick",
    "IT-Systemhaus Kraft",
];
const CATEGORIES: &[&str] = &[
    "Kunde",
    "Außendienst",
    "CRM",
    "Wichtig",
    "Follow-up",
    "Rote Kategorie",
    "Blaue Kategorie",
];
const LOCATIONS: &[&str] = &[
    "Hauptstraße 12, 80331 München",
    "Konferenzraum 3.OG",
    "Teams-Besprechung",
    "Kundenstandort Hamburg",
    "Lindenallee 7, 50667 Köln",
    "Büro Frankfurt, Raum 214",
];
/// Split into words, which the body text is drawn from (with `&` and
/// `<Durchwahl 200>` among them, so the decoder has to unescape).
const BODY_WORDS: &str = "bitte die aktuelle Preisliste mitbringen und den Vertragsentwurf \
    prüfen & offene Punkte aus dem letzten Gespräch klären; Ansprechpartner vor Ort ist die \
    Geschäftsführung, Parkplätze sind hinter dem Gebäude verfügbar. Rückfragen gern per \
    E-Mail oder telefonisch über die Zentrale <Durchwahl 200>.";
/// Weighted as in the Python generator: mostly `Normal`.
const IMPORTANCE: &[&str] = &[
    "Normal", "Normal", "Normal", "Normal", "Normal", "Normal", "High", "Low",
];
const SENSITIVITY: &[&str] = &[
    "Normal",
    "Normal",
    "Normal",
    "Normal",
    "Normal",
    "Normal",
    "Normal",
    "Private",
    "Confidential",
];
const RESPONSES: &[&str] = &[
    "Accept",
    "Tentative",
    "NoResponseReceived",
    "Decline",
    "Unknown",
];
const ORGANIZER: (&str, &str) = ("Berater, Max", "max.berater@contoso.de");

/// The generated response, in the two forms the peers take.
pub struct GetItemDoc {
    /// The whole SOAP envelope, as it comes over the wire.
    pub envelope: String,
    /// The `m:GetItemResponse` element alone as a document of its own, for
    /// validating against the EWS schema.
    pub body: String,
}

/// The response with `items` calendar items.
pub fn generate(items: usize) -> GetItemDoc {
    let mut g = Generator::new(20240101);
    let mut body = format!(
        r#"<m:GetItemResponse xmlns:m="{MESSAGES_NS}" xmlns:t="{TYPES_NS}"><m:ResponseMessages>"#
    );
    for _ in 0..items {
        g.item(&mut body);
    }
    body.push_str("</m:ResponseMessages></m:GetItemResponse>");
    let envelope = format!(
        concat!(
            r#"<?xml version="1.0" encoding="utf-8"?>"#,
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">"#,
            r#"<s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="20" "#,
            r#"MajorBuildNumber="7633" MinorBuildNumber="22" Version="V2018_01_08" "#,
            r#"xmlns:h="{t}" xmlns="{t}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" "#,
            r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></s:Header>"#,
            r#"<s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" "#,
            r#"xmlns:xsd="http://www.w3.org/2001/XMLSchema">{body}</s:Body></s:Envelope>"#,
        ),
        t = TYPES_NS,
        body = body,
    );
    let body = format!(r#"<?xml version="1.0" encoding="utf-8"?>{body}"#);
    GetItemDoc { envelope, body }
}

struct Generator {
    rng: fastrand::Rng,
    words: Vec<&'static str>,
    /// All items live in the same calendar folder.
    folder_id: String,
}

impl Generator {
    fn new(seed: u64) -> Generator {
        let mut g = Generator {
            rng: fastrand::Rng::with_seed(seed),
            words: BODY_WORDS.split_whitespace().collect(),
            folder_id: String::new(),
        };
        g.folder_id = format!("AAMkAD{}AAA=", g.base64(90));
        g
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.rng.usize(..from.len())]
    }

    /// `n` random bytes in base64, the filler of Exchange's opaque ids.
    fn base64(&mut self, n: usize) -> String {
        let mut bytes = vec![0; n];
        self.rng.fill(&mut bytes);
        STANDARD.encode(bytes)
    }

    /// "Last, First" and the matching address, umlauts transliterated.
    fn person(&mut self) -> (String, String) {
        let (first, last) = (self.pick(FIRST), self.pick(LAST));
        let email = format!("{first}.{last}")
            .to_lowercase()
            .replace('ä', "ae")
            .replace('ö', "oe")
            .replace('ü', "ue")
            .replace('ß', "ss")
            .replace('é', "e");
        (format!("{last}, {first}"), format!("{email}@contoso.de"))
    }

    /// Words until at least 195 characters (not bytes, as Python counts),
    /// capitalised, with a full stop.
    fn body_text(&mut self) -> String {
        let mut text = String::new();
        let mut chars = 0;
        while chars < 195 {
            if !text.is_empty() {
                text.push(' ');
                chars += 1;
            }
            let word = self.words[self.rng.usize(..self.words.len())];
            text.push_str(word);
            chars += word.chars().count();
        }
        let mut rest = text.chars();
        let first = rest.next().map(char::to_uppercase);
        first
            .into_iter()
            .flatten()
            .chain(rest)
            .chain(['.'])
            .collect()
    }

    fn item(&mut self, out: &mut String) {
        let base = Utc.with_ymd_and_hms(2024, 1, 8, 7, 0, 0).unwrap();
        let mut start = base
            + Duration::days(self.rng.i64(0..365))
            + Duration::hours(self.rng.i64(0..10))
            + Duration::minutes(self.pick(&[0, 15, 30, 45]));
        let all_day = self.rng.f64() < 0.08;
        let end = if all_day {
            start = start.date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc();
            start + Duration::days(1)
        } else {
            start + Duration::minutes(self.pick(&[30, 45, 60, 90, 120]))
        };
        let created =
            start - Duration::days(self.rng.i64(1..60)) - Duration::seconds(self.rng.i64(0..86400));
        let modified = created + Duration::seconds(self.rng.i64(1..5 * 86400));
        let subject = format!("{}: {}", self.pick(SUBJECTS), self.pick(COMPANIES));
        let amount = self.pick(&[1, 2]);
        let mut categories = self.rng.choose_multiple(CATEGORIES, amount);
        // The reservoir keeps the list's order; Python's sample does not.
        self.rng.shuffle(&mut categories);
        let attendees: Vec<_> = (0..self.pick(&[2, 3])).map(|_| self.person()).collect();
        let crm = format!(
            r#"{{"guid":"{:032X}","obj":"{:010}","v":{}}}"#,
            self.rng.u128(..),
            self.rng.u32(..1_000_000_000),
            self.rng.u8(1..9)
        );

        out.push_str(concat!(
            r#"<m:GetItemResponseMessage ResponseClass="Success">"#,
            "<m:ResponseCode>NoError</m:ResponseCode><m:Items><t:CalendarItem>"
        ));
        let (id, change_key) = (self.base64(105), self.base64(27));
        out.push_str(&format!(
            r#"<t:ItemId Id="AAMkAD{id}AAA=" ChangeKey="DwAAABYAAA{change_key}"/>"#
        ));
        out.push_str(&format!(
            r#"<t:ParentFolderId Id="{}" ChangeKey="AQAAAA=="/>"#,
            self.folder_id
        ));
        text(out, "ItemClass", "IPM.Appointment");
        text(out, "Subject", &subject);
        text(out, "Sensitivity", self.pick(SENSITIVITY));
        out.push_str(r#"<t:Body BodyType="Text" IsTruncated="false">"#);
        out.push_str(&partial_escape(self.body_text()));
        out.push_str("</t:Body><t:Categories>");
        for c in categories {
            text(out, "String", c);
        }
        out.push_str("</t:Categories>");
        text(out, "Importance", self.pick(IMPORTANCE));
        text(out, "DateTimeCreated", &iso(created));
        text(out, "ReminderIsSet", if all_day { "false" } else { "true" });
        let reminder = self.pick(&[0, 5, 15, 30, 60]);
        text(out, "ReminderMinutesBeforeStart", &reminder.to_string());
        out.push_str(concat!(
            r#"<t:ExtendedProperty><t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" "#,
            r#"PropertyName="maiconnect.crm" PropertyType="String"/>"#
        ));
        text(out, "Value", &crm);
        out.push_str("</t:ExtendedProperty>");
        text(out, "LastModifiedTime", &iso(modified));
        text(out, "Start", &iso(start));
        text(out, "End", &iso(end));
        text(out, "IsAllDayEvent", if all_day { "true" } else { "false" });
        text(out, "LegacyFreeBusyStatus", "Busy");
        text(out, "Location", self.pick(LOCATIONS));
        text(out, "IsMeeting", "true");
        text(out, "CalendarItemType", "Single");
        text(out, "MyResponseType", "Organizer");
        out.push_str("<t:Organizer>");
        mailbox(out, ORGANIZER.0, ORGANIZER.1);
        out.push_str("</t:Organizer><t:RequiredAttendees>");
        for (name, email) in &attendees {
            out.push_str("<t:Attendee>");
            mailbox(out, name, email);
            text(out, "ResponseType", self.pick(RESPONSES));
            out.push_str("</t:Attendee>");
        }
        out.push_str(concat!(
            r#"</t:RequiredAttendees><t:StartTimeZone Id="W. Europe Standard Time" "#,
            r#"Name="(UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien"/>"#,
            "</t:CalendarItem></m:Items></m:GetItemResponseMessage>"
        ));
    }
}

/// `<t:{name}>{value}</t:{name}>`, the value escaped as Python's
/// `saxutils.escape` does (`&`, `<`, `>`; quotes stay as they are).
fn text(out: &mut String, name: &str, value: &str) {
    out.push_str("<t:");
    out.push_str(name);
    out.push('>');
    out.push_str(&partial_escape(value));
    out.push_str("</t:");
    out.push_str(name);
    out.push('>');
}

fn mailbox(out: &mut String, name: &str, email: &str) {
    out.push_str("<t:Mailbox>");
    text(out, "Name", name);
    text(out, "EmailAddress", email);
    text(out, "RoutingType", "SMTP");
    text(out, "MailboxType", "Mailbox");
    out.push_str("</t:Mailbox>");
}

fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
