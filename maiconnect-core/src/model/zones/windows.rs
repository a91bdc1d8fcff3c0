//! Windows time-zone ids (what Exchange and Microsoft Graph name zones by)
//! and IANA zones (what the model holds), from CLDR's `windowsZones.xml`
//! and tzdata's links (`data/`, see `data/SOURCES.md`).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use chrono_tz::Tz;

use super::CHECKED_YEARS;
use super::offsets::same_offsets;
use crate::model::Zone;

/// CLDR's mapping, one line per Windows id.
const WINDOWS_ZONES: &str = include_str!("../../../data/windows_zones.tsv");
/// tzdata's links, one `link<TAB>target` per line.
const TZ_LINKS: &str = include_str!("../../../data/tz_links.tsv");

struct Tables {
    /// Windows id → IANA zone of territory 001.
    to_iana: HashMap<&'static str, Tz>,
    /// Windows ids in file order with their zone of territory 001.
    ordered: Vec<(&'static str, Tz)>,
    /// IANA name as CLDR lists it → Windows id (the first listing wins).
    listed: HashMap<&'static str, &'static str>,
    /// IANA link → the zone it names.
    links: HashMap<&'static str, &'static str>,
    /// tzdata zone → Windows id of a name CLDR lists for it (its own name
    /// first, else any of its links).
    by_target: HashMap<&'static str, &'static str>,
}

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = Tables {
            to_iana: HashMap::new(),
            ordered: Vec::new(),
            listed: HashMap::new(),
            links: HashMap::new(),
            by_target: HashMap::new(),
        };
        for line in data_lines(TZ_LINKS) {
            if let Some((link, target)) = line.split_once('\t') {
                t.links.insert(link.trim(), target.trim());
            }
        }
        for line in data_lines(WINDOWS_ZONES) {
            let mut cols = line.split('\t');
            let (Some(win), Some(golden), others) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            // A name chrono-tz does not know is skipped (checked by a test).
            if let Ok(tz) = golden.parse::<Tz>() {
                t.to_iana.insert(win, tz);
                t.ordered.push((win, tz));
            }
            let names = std::iter::once(golden)
                .chain(others.unwrap_or("").split(' '))
                .filter(|s| !s.is_empty());
            for name in names {
                t.listed.entry(name).or_insert(win);
            }
        }
        // A zone's own listing first, then those of its links.
        let mut listed: Vec<(&'static str, &'static str)> =
            t.listed.iter().map(|(n, w)| (*n, *w)).collect();
        listed.sort_by_key(|(name, _)| (t.links.contains_key(name), *name));
        for (name, win) in listed {
            let target = t.links.get(name).copied().unwrap_or(name);
            t.by_target.entry(target).or_insert(win);
        }
        t
    })
}

/// The IANA zone of a Windows time-zone id (`W. Europe Standard Time` →
/// `Europe/Berlin`): CLDR's zone of territory 001.
pub fn windows_to_iana(id: &str) -> Option<Tz> {
    tables().to_iana.get(id.trim()).copied()
}

/// The Windows id CLDR gives for an IANA name, directly or through tzdata's
/// links (`Asia/Kolkata` → `Asia/Calcutta` → `India Standard Time`),
/// whatever the offsets say.
pub fn listed_windows_id(name: &str) -> Option<&'static str> {
    let t = tables();
    let name = name.trim();
    if let Some(win) = t.listed.get(name) {
        return Some(win);
    }
    let target = t.links.get(name).copied().unwrap_or(name);
    t.listed
        .get(target)
        .or_else(|| t.by_target.get(target))
        .copied()
}

/// The zone an IANA link names (`Europe/Kiev` → `Europe/Kyiv`), or the name
/// itself when it is a zone of its own.
pub fn link_target(name: &str) -> &str {
    tables().links.get(name).copied().unwrap_or(name)
}

/// The Windows id of an IANA zone, canonical or link, old name or new
/// (`Europe/Kyiv`, `Europe/Kiev` → `FLE Standard Time`): the id CLDR gives
/// for it ([`listed_windows_id`]) when that id's own zone has the same UTC
/// offsets as `tz` throughout [`CHECKED_YEARS`](super::CHECKED_YEARS).
/// `None` for a zone no Windows zone matches, which must then be written
/// out with its own rules.
pub fn iana_to_windows(tz: Tz) -> Option<&'static str> {
    static CACHE: OnceLock<Mutex<HashMap<Tz, Option<&'static str>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&tz).copied()) {
        return hit;
    }
    let found = listed_windows_id(tz.name()).filter(|win| {
        windows_to_iana(win)
            .is_some_and(|golden| golden == tz || same_offsets(tz, golden, CHECKED_YEARS))
    });
    if let Ok(mut c) = cache.lock() {
        c.insert(tz, found);
    }
    found
}

/// The Windows id of a model zone, if it has one (a fixed offset has one
/// only when it is UTC).
pub fn zone_to_windows(zone: Zone) -> Option<&'static str> {
    match zone {
        Zone::Iana(tz) => iana_to_windows(tz),
        Zone::Fixed(off) if off.local_minus_utc() == 0 => Some("UTC"),
        Zone::Fixed(_) => None,
    }
}

/// The Windows ids with their IANA zones (territory 001), in CLDR order.
pub fn windows_zones() -> &'static [(&'static str, Tz)] {
    &tables().ordered
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::zones::CHECKED_YEARS;
    use crate::model::zones::same_offsets;
    use chrono_tz::TZ_VARIANTS;

    fn tz(name: &str) -> Tz {
        name.parse().unwrap()
    }

    #[test]
    fn every_name_in_the_tables_is_known_to_chrono_tz() {
        for line in data_lines(WINDOWS_ZONES) {
            for name in line.split('\t').skip(1).flat_map(|c| c.split(' ')) {
                if !name.is_empty() {
                    assert!(name.parse::<Tz>().is_ok(), "{name} in {line}");
                }
            }
        }
        assert_eq!(windows_zones().len(), 139);
        for (link, target) in &tables().links {
            assert!(link.parse::<Tz>().is_ok(), "link {link}");
            assert!(target.parse::<Tz>().is_ok(), "target {target}");
            assert!(
                !tables().links.contains_key(target),
                "{link} → {target} is a chain"
            );
        }
    }

    #[test]
    fn every_name_chrono_tz_knows_is_a_zone_or_a_link() {
        let links = &tables().links;
        let zones: Vec<&str> = TZ_VARIANTS
            .iter()
            .map(|t| t.name())
            .filter(|n| !links.contains_key(n))
            .collect();
        assert_eq!(links.len(), 257);
        assert_eq!(zones.len() + links.len(), TZ_VARIANTS.len());
        // A link names a zone, never another link.
        assert!(links.values().all(|t| zones.contains(t)));
    }

    #[test]
    fn windows_and_iana_map_both_ways() {
        assert_eq!(
            windows_to_iana("W. Europe Standard Time"),
            Some(tz("Europe/Berlin"))
        );
        assert_eq!(
            windows_to_iana("Pacific Standard Time"),
            Some(tz("America/Los_Angeles"))
        );
        assert_eq!(windows_to_iana("Mars Standard Time"), None);
        assert_eq!(
            iana_to_windows(tz("Europe/Paris")),
            Some("Romance Standard Time")
        );
        assert_eq!(
            iana_to_windows(tz("Europe/Berlin")),
            Some("W. Europe Standard Time")
        );
        // Listed by CLDR under its own name: Amsterdam is W. Europe, even
        // though tzdata made it a link to Brussels (Romance).
        assert_eq!(
            iana_to_windows(tz("Europe/Amsterdam")),
            Some("W. Europe Standard Time")
        );
        assert_eq!(iana_to_windows(tz("UTC")), Some("UTC"));
        assert_eq!(iana_to_windows(tz("Etc/Universal")), Some("UTC"));
        for (win, golden) in windows_zones() {
            let back = iana_to_windows(*golden).unwrap();
            assert_eq!(windows_to_iana(back), Some(*golden), "{win}");
        }
    }

    #[test]
    fn new_names_and_links_reach_their_windows_id() {
        // Issue #23: tzdata's current names, which CLDR's table lists by
        // their old ones.
        for (name, win) in [
            ("Asia/Kolkata", "India Standard Time"),
            ("Asia/Calcutta", "India Standard Time"),
            ("Europe/Kyiv", "FLE Standard Time"),
            ("Europe/Kiev", "FLE Standard Time"),
            ("Asia/Ho_Chi_Minh", "SE Asia Standard Time"),
            ("Asia/Kathmandu", "Nepal Standard Time"),
            ("Asia/Yangon", "Myanmar Standard Time"),
            ("America/Nuuk", "Greenland Standard Time"),
            ("America/Argentina/Buenos_Aires", "Argentina Standard Time"),
            ("America/Indiana/Indianapolis", "US Eastern Standard Time"),
            ("US/East-Indiana", "US Eastern Standard Time"),
        ] {
            assert_eq!(iana_to_windows(tz(name)), Some(win), "{name}");
        }
        assert_eq!(link_target("Europe/Kiev"), "Europe/Kyiv");
        assert_eq!(link_target("Europe/Kyiv"), "Europe/Kyiv");
    }

    #[test]
    fn every_zone_chrono_tz_knows_has_a_windows_id_with_its_offsets_or_none() {
        // Issue #23: before, 449 of the 597 names had a Windows id (those
        // CLDR lists by that very name, and six names of UTC). Now every
        // name reaches one through the links, and the five whose listed
        // Windows zone keeps other offsets (or that have none) get none;
        // the EWS adapter writes those with their own rules.
        let mut without = Vec::new();
        for tz in TZ_VARIANTS {
            match iana_to_windows(tz) {
                Some(win) => {
                    let golden = windows_to_iana(win).unwrap();
                    assert!(same_offsets(tz, golden, CHECKED_YEARS), "{tz} → {win}");
                }
                None => without.push(tz.name()),
            }
        }
        assert_eq!(
            without,
            [
                "America/Coyhaique",
                "America/Scoresbysund",
                "Antarctica/Casey",
                "Antarctica/Troll",
                "Antarctica/Vostok"
            ]
        );
        assert_eq!(TZ_VARIANTS.len() - without.len(), 592);
    }

    #[test]
    fn a_listed_id_whose_offsets_differ_is_not_used() {
        // CLDR still lists Scoresbysund under Azores Standard Time (UTC−1),
        // but it has kept Greenland's UTC−2 since 2024.
        assert_eq!(
            listed_windows_id("America/Scoresbysund"),
            Some("Azores Standard Time")
        );
        assert_eq!(iana_to_windows(tz("America/Scoresbysund")), None);
        // Troll is in no Windows zone at all.
        assert_eq!(listed_windows_id("Antarctica/Troll"), None);
        assert_eq!(iana_to_windows(tz("Antarctica/Troll")), None);
    }
}
