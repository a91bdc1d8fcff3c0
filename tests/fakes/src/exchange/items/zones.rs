//! Windows time zone ids (as EWS names them in `StartTimeZone/@Id` and
//! `TimeZoneDefinition/@Id`) to IANA zones, after the CLDR
//! `windowsZones.xml` mapping ("001" territory). Only the zones a test or
//! demo is likely to use; unknown ids fall back to UTC.

/// The IANA zone for a Windows zone id, or the id itself when it already is
/// an IANA name.
pub fn iana(windows_id: &str) -> Option<&'static str> {
    let id = windows_id.trim();
    let hit = TABLE.iter().find(|(w, _)| w.eq_ignore_ascii_case(id));
    if let Some((_, i)) = hit {
        return Some(i);
    }
    TABLE
        .iter()
        .find(|(_, i)| i.eq_ignore_ascii_case(id))
        .map(|(_, i)| *i)
}

const TABLE: &[(&str, &str)] = &[
    ("UTC", "UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("Romance Standard Time", "Europe/Paris"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("FLE Standard Time", "Europe/Kiev"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("India Standard Time", "Asia/Calcutta"),
    ("China Standard Time", "Asia/Shanghai"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("Line Islands Standard Time", "Pacific/Kiritimati"),
    ("Dateline Standard Time", "Etc/GMT+12"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Mountain Standard Time", "America/Denver"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Central Standard Time", "America/Chicago"),
    ("Eastern Standard Time", "America/New_York"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("Argentina Standard Time", "America/Buenos_Aires"),
    ("SA Pacific Standard Time", "America/Bogota"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
];

/// The Windows zone id of an IANA zone, when the table knows it.
pub fn windows(iana: &str) -> Option<&'static str> {
    TABLE
        .iter()
        .find(|(_, i)| i.eq_ignore_ascii_case(iana))
        .map(|(w, _)| *w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_iana_names_resolve() {
        assert_eq!(iana("W. Europe Standard Time"), Some("Europe/Berlin"));
        assert_eq!(iana("pacific standard time"), Some("America/Los_Angeles"));
        assert_eq!(iana("Europe/Berlin"), Some("Europe/Berlin"));
        assert_eq!(iana("Mars Standard Time"), None);
    }
}
