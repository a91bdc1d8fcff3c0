//! Small value types shared by appointments, tasks and contacts.

use serde::{Deserialize, Serialize};

/// Importance in Outlook, priority in S/4HANA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Importance {
    /// Low.
    Low,
    /// Normal (the default on both sides).
    #[default]
    Normal,
    /// High.
    High,
}

/// Outlook's sensitivity of an item.
///
/// S/4HANA knows only a private flag; see [`Sensitivity::is_private`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    /// Normal.
    #[default]
    Normal,
    /// Personal.
    Personal,
    /// Private.
    Private,
    /// Confidential.
    Confidential,
}

impl Sensitivity {
    /// Whether the item counts as private: Private and Confidential do.
    pub fn is_private(self) -> bool {
        matches!(self, Sensitivity::Private | Sensitivity::Confidential)
    }
}

/// A reminder, in minutes before the start (Outlook only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reminder {
    /// Minutes before the start.
    pub minutes_before: u32,
}

/// Long text of an item, as plain text with `\n` line ends.
///
/// Both adapters convert to and from this form (HTML bodies are turned into
/// text by the mailbox adapter), so that comparing two bodies is meaningful.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Body(String);

impl Body {
    /// A body from text; `\r\n` and lone `\r` become `\n`, trailing white space
    /// at the end is dropped (systems disagree about a final newline).
    pub fn new(text: &str) -> Body {
        // Most bodies have no `\r`: then nothing is replaced or copied twice.
        if !text.contains('\r') {
            return Body(text.trim_end().to_owned());
        }
        let mut t = text.replace("\r\n", "\n").replace('\r', "\n");
        t.truncate(t.trim_end().len());
        Body(t)
    }
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for Body {
    fn from(s: &str) -> Body {
        Body::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_normalise_line_ends_and_trailing_space() {
        assert_eq!(Body::new("a\r\nb\rc \n\n").as_str(), "a\nb\nc");
        assert_eq!(Body::new("a\r\nb"), Body::new("a\nb\n"));
        assert_eq!(Body::new("a\n\nb \t\n").as_str(), "a\n\nb");
        assert_eq!(Body::new("a\r").as_str(), "a");
    }

    #[test]
    fn only_private_and_confidential_count_as_private() {
        assert!(Sensitivity::Private.is_private());
        assert!(Sensitivity::Confidential.is_private());
        assert!(!Sensitivity::Personal.is_private());
        assert!(!Sensitivity::Normal.is_private());
    }
}
