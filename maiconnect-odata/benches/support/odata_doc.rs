//! The standard OData benchmark document: a SAP OData v2 JSON collection of
//! N appointments of CRM_APPOINTMENT_SRV, compact, as SAP Gateway sends it.
//!
//! Mirrors `gen_odata.py` of the project's planning library (2026-12-04),
//! which the Python peer figures were first measured on: each entity has
//! `__metadata` (uri, type, etag), the same scalar properties in the same
//! order, `/Date(ms)/` dates, 1–3 expanded attendees (each with its own
//! `__metadata`, as Gateway emits them) and a deferred `Documents` link;
//! the same German word lists, the same distributions, non-ASCII written as
//! is (`ensure_ascii=False`). Seeded, so every run yields the same bytes;
//! not byte-identical with the Python output (another RNG), but about the
//! same size (10,000 appointments ≈ 15.7 MB).

use chrono::DateTime;
use serde::Serialize;

const SERVICE: &str = "https://sapgw.contoso.de/sap/opu/odata/sap/CRM_APPOINTMENT_SRV/";

const SUBJECTS: &[&str] = &[
    "Kundenbesuch",
    "Quartalsgespräch",
    "Produktdemo",
    "Vertragsverlängerung",
    "Service-Termin",
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
/// One in six appointments has no location (Gateway sends `""`).
const LOCATIONS: &[&str] = &[
    "Hauptstraße 12, 80331 München",
    "Konferenzraum 3.OG",
    "Kundenstandort Hamburg",
    "Lindenallee 7, 50667 Köln",
    "Büro Frankfurt, Raum 214",
    "",
];
const NAMES: &[&str] = &[
    "Anna Müller",
    "Jonas Schmidt",
    "Lea Schneider",
    "Lukas Fischer",
    "Marie Weber",
    "Felix Meyer",
    "Sophie Wagner",
    "Paul Becker",
    "Jörg Schäfer",
    "Björn Koch",
];
/// Split into words, which the note is drawn from.
const NOTE_WORDS: &str = "Bitte aktuelle Preisliste mitbringen, Vertragsentwurf prüfen und \
    offene Punkte aus dem letzten Gespräch klären. Ansprechpartner vor Ort ist die \
    Geschäftsführung; Parkplätze hinter dem Gebäude. Rückfragen per E-Mail.";
const STATUSES: &[&str] = &["E0001", "E0002", "E0003"];
/// Weighted as in the Python generator: mostly medium.
const PRIORITIES: &[&str] = &["3", "5", "5", "5", "9"];
const TRANSACTION_TYPES: &[&str] = &["ZVIS", "ZTEL", "ZVIS"];

/// `{"d":{"results":[…]}}` with `appointments` entities, as bytes.
pub fn generate(appointments: usize) -> Vec<u8> {
    let mut g = Generator {
        rng: fastrand::Rng::with_seed(424242),
        words: NOTE_WORDS.split_whitespace().collect(),
    };
    let results = (0..appointments).map(|_| g.appointment()).collect();
    let doc = Envelope {
        d: Results { results },
    };
    serde_json::to_vec(&doc).expect("the document serializes")
}

// The wire shape. Field order is the order on the wire, as Gateway
// writes it (serde keeps declaration order).

#[derive(Serialize)]
struct Envelope {
    d: Results<Appointment>,
}

#[derive(Serialize)]
struct Results<T> {
    results: Vec<T>,
}

#[derive(Serialize)]
struct Metadata {
    uri: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    etag: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Appointment {
    #[serde(rename = "__metadata")]
    metadata: Metadata,
    guid: String,
    description: String,
    location: &'static str,
    from_date: String,
    to_date: String,
    all_day: bool,
    privat_flag: bool,
    status: &'static str,
    priority: &'static str,
    account: String,
    contact: String,
    responsible: String,
    note: String,
    transaction_type: &'static str,
    attendee: Results<Attendee>,
    documents: Deferred,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Attendee {
    #[serde(rename = "__metadata")]
    metadata: Metadata,
    guid: String,
    partner_no: String,
    function: &'static str,
    int_attendee: bool,
    full_name: &'static str,
}

/// A navigation property that was not expanded.
#[derive(Serialize)]
struct Deferred {
    #[serde(rename = "__deferred")]
    deferred: Uri,
}

#[derive(Serialize)]
struct Uri {
    uri: String,
}

struct Generator {
    rng: fastrand::Rng,
    words: Vec<&'static str>,
}

impl Generator {
    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.rng.usize(..from.len())]
    }

    /// A partner number from `range`, zero-padded to ten digits as SAP
    /// keeps them.
    fn partner(&mut self, range: std::ops::Range<u32>) -> String {
        format!("{:010}", self.rng.u32(range))
    }

    /// Words until at least 145 characters (not bytes, as Python counts).
    fn note(&mut self) -> String {
        let mut note = String::new();
        let mut chars = 0;
        while chars < 145 {
            if !note.is_empty() {
                note.push(' ');
                chars += 1;
            }
            let word = self.words[self.rng.usize(..self.words.len())];
            note.push_str(word);
            chars += word.chars().count();
        }
        note
    }

    fn appointment(&mut self) -> Appointment {
        let guid = format!("{:X}", uuid::Uuid::from_u128(self.rng.u128(..)));
        // Starts on the quarter hour within a year from November 2023.
        let start_ms = (1_700_000_000 + self.rng.i64(0..365 * 86400) / 900 * 900) * 1000;
        let end_ms = start_ms + self.pick(&[30, 45, 60, 90, 120]) * 60_000;
        let changed = start_ms / 1000 - self.rng.i64(1..30 * 86400);
        let changed = DateTime::from_timestamp(changed, 0).expect("a time in 2023–2024");
        // Gateway's weak ETag of the change time, `:` percent-encoded.
        let etag = changed.format("W/\"datetime'%Y-%m-%dT%H%%3A%M%%3A%S'\"");
        let uri = format!("{SERVICE}AppointmentSet(guid'{guid}')");
        let attendees = (0..self.pick(&[1, 1, 2, 3]))
            .map(|_| {
                let partner_no = self.partner(300_000..399_999);
                Attendee {
                    metadata: Metadata {
                        uri: format!(
                            "{SERVICE}AttendeeSet(Guid=guid'{guid}',PartnerNo='{partner_no}')"
                        ),
                        kind: "CRM_APPOINTMENT_SRV.Attendee",
                        etag: None,
                    },
                    guid: guid.clone(),
                    partner_no,
                    function: "00000032",
                    int_attendee: self.rng.f64() < 0.7,
                    full_name: self.pick(NAMES),
                }
            })
            .collect();
        Appointment {
            metadata: Metadata {
                uri: uri.clone(),
                kind: "CRM_APPOINTMENT_SRV.Appointment",
                etag: Some(etag.to_string()),
            },
            guid,
            description: format!("{}: {}", self.pick(SUBJECTS), self.pick(COMPANIES)),
            location: self.pick(LOCATIONS),
            from_date: format!("/Date({start_ms})/"),
            to_date: format!("/Date({end_ms})/"),
            all_day: self.rng.f64() < 0.05,
            privat_flag: self.rng.f64() < 0.1,
            status: self.pick(STATUSES),
            priority: self.pick(PRIORITIES),
            account: self.partner(100_000..199_999),
            contact: self.partner(200_000..299_999),
            responsible: self.partner(300_000..309_999),
            note: self.note(),
            transaction_type: self.pick(TRANSACTION_TYPES),
            attendee: Results { results: attendees },
            documents: Deferred {
                deferred: Uri {
                    uri: format!("{uri}/Documents"),
                },
            },
        }
    }
}
