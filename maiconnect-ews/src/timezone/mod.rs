//! Windows time-zone ids (what Exchange names zones by) and IANA zones
//! (what the model holds), from CLDR's `windowsZones.xml`
//! (`data/windows_zones.tsv`), plus custom zone definitions.

mod definition;

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono_tz::Tz;
use maiconnect_core::model::Zone;

pub use definition::{parse_duration_seconds, read_zone, write_zone};

/// The CLDR mapping, one line per Windows id.
const TABLE: &str = include_str!("../../data/windows_zones.tsv");

struct Tables {
    /// Windows id → IANA zone of territory 001.
    to_iana: HashMap<&'static str, Tz>,
    /// IANA zone name → Windows id.
    to_windows: HashMap<&'static str, &'static str>,
    /// Windows ids in file order with their golden zone.
    ordered: Vec<(&'static str, Tz)>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = Tables {
            to_iana: HashMap::new(),
            to_windows: HashMap::new(),
            ordered: Vec::new(),
        };
        for line in TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let mut cols = line.split('\t');
            let (Some(win), Some(golden), others) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            // A name chrono-tz does not know is skipped (checked by a test).
            if let Ok(tz) = golden.parse::<Tz>() {
                t.to_iana.insert(win, tz);
                t.ordered.push((win, tz));
            }
            t.to_windows.entry(golden).or_insert(win);
            for other in others.unwrap_or("").split(' ').filter(|s| !s.is_empty()) {
                t.to_windows.entry(other).or_insert(win);
            }
        }
        t
    })
}

/// The IANA zone of a Windows time-zone id (`W. Europe Standard Time` →
/// `Europe/Berlin`).
pub fn windows_to_iana(id: &str) -> Option<Tz> {
    tables().to_iana.get(id.trim()).copied()
}

/// The Windows id of an IANA zone (`Europe/Paris` → `Romance Standard
/// Time`); links are followed by name only, as CLDR lists them.
pub fn iana_to_windows(tz: Tz) -> Option<&'static str> {
    let name = tz.name();
    if matches!(
        name,
        "UTC" | "Etc/UTC" | "Etc/GMT" | "GMT" | "Etc/Universal" | "Zulu"
    ) {
        return Some("UTC");
    }
    tables().to_windows.get(name).copied()
}

/// The Windows id of a model zone, if it has one.
pub fn zone_to_windows(zone: Zone) -> Option<&'static str> {
    match zone {
        Zone::Iana(tz) => iana_to_windows(tz),
        Zone::Fixed(off) if off.local_minus_utc() == 0 => Some("UTC"),
        Zone::Fixed(_) => None,
    }
}

/// The Windows ids with their IANA zones, in CLDR order.
pub(crate) fn golden_zones() -> &'static [(&'static str, Tz)] {
    &tables().ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cldr_zone_is_known_to_chrono_tz() {
        for line in TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            for name in line.split('\t').skip(1).flat_map(|c| c.split(' ')) {
                if !name.is_empty() {
                    assert!(name.parse::<Tz>().is_ok(), "{name} in {line}");
                }
            }
        }
        assert_eq!(golden_zones().len(), 139);
    }

    #[test]
    fn windows_and_iana_map_both_ways() {
        assert_eq!(
            windows_to_iana("W. Europe Standard Time"),
            Some(chrono_tz::Europe::Berlin)
        );
        assert_eq!(
            windows_to_iana("Pacific Standard Time"),
            Some(chrono_tz::America::Los_Angeles)
        );
        assert_eq!(windows_to_iana("Mars Standard Time"), None);
        assert_eq!(
            iana_to_windows(chrono_tz::Europe::Paris),
            Some("Romance Standard Time")
        );
        assert_eq!(
            iana_to_windows(chrono_tz::Europe::Berlin),
            Some("W. Europe Standard Time")
        );
        assert_eq!(
            iana_to_windows(chrono_tz::Asia::Calcutta),
            Some("India Standard Time")
        );
        assert_eq!(iana_to_windows(chrono_tz::UTC), Some("UTC"));
        // Every golden zone maps back to its own Windows id.
        for (win, tz) in golden_zones() {
            let back = iana_to_windows(*tz).unwrap();
            assert_eq!(windows_to_iana(back), Some(*tz), "{win}");
        }
    }
}
