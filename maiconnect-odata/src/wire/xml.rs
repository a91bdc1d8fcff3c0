//! Small helpers over quick-xml shared by the `$metadata` and error readers.

use quick_xml::events::{BytesRef, BytesText};

/// The text of a text event (entity references come as separate events in
/// quick-xml, see [`reference`]).
pub fn text(t: &BytesText<'_>) -> Option<String> {
    t.decode().ok().map(|c| c.into_owned())
}

/// The character a reference such as `&amp;` or `&#228;` stands for; only
/// the predefined XML entities and character references exist (documents
/// with a DTD are refused, so no other entity can be declared).
pub fn reference(r: &BytesRef<'_>) -> Option<String> {
    let name = r.decode().ok()?;
    let whole = format!("&{name};");
    quick_xml::escape::unescape(&whole)
        .ok()
        .map(|c| c.into_owned())
}
