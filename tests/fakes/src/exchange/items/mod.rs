//! Items as EWS sees them: reading them from requests, applying updates,
//! expanding recurrences, evaluating restrictions and writing responses.

pub mod fields;
pub mod order;
pub mod parse;
pub mod recurrence;
pub mod render;
pub mod restrict;
pub mod time;
pub mod update;
pub mod zones;
