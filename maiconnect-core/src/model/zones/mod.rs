//! Naming zones the way Exchange and Microsoft Graph do: every IANA zone,
//! canonical or link, old name or new, maps to its Windows time-zone id
//! where a Windows zone keeps the same offsets, and to none where none does
//! (an adapter then writes the zone's own rules, from [`offset_changes`]).
//!
//! This lives in the core, not in an adapter, so that the EWS adapter and a
//! later Graph adapter (whose `dateTimeTimeZone` takes Windows ids too)
//! resolve zones the same way; it is data and arithmetic, no I/O.

mod offsets;
mod windows;

use std::ops::RangeInclusive;

pub use offsets::{OffsetChange, offset_at, offset_changes, same_offsets};
pub use windows::{
    iana_to_windows, link_target, listed_windows_id, windows_to_iana, windows_zones,
    zone_to_windows,
};

/// The years in which a Windows zone must keep the same UTC offsets as an
/// IANA zone to stand for it: the present and the coming decade, where the
/// appointments are. Earlier differences (Kazakhstan's 2024 change, Mexico's
/// 2022 one) do not bar a zone that agrees now. Move it forward with the
/// tables.
pub const CHECKED_YEARS: RangeInclusive<i32> = 2025..=2035;
