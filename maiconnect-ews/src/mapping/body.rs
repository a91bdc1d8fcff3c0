//! HTML bodies to plain text.
//!
//! Outlook writes HTML bodies; the model holds text. GetItem asks Exchange
//! for text bodies, so this runs only when an HTML body arrives anyway
//! (another response shape, a notification, an older server). It keeps the
//! words and line structure, drops markup, styles and scripts.

/// Elements whose end (or, for `br`, the element itself) ends a line.
const BREAKS: &[&str] = &[
    "br",
    "p",
    "div",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "blockquote",
    "pre",
];

/// The text of an HTML document or fragment.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skip_until: Option<&'static str> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skip_until.is_none() {
                push_text(&mut out, rest);
            }
            break;
        };
        if skip_until.is_none() {
            push_text(&mut out, &rest[..lt]);
        }
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |i| &rest[i + 3..]);
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[1..end.saturating_sub(1).max(1)];
        rest = &rest[end..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(until) = skip_until {
            if closing && name == until {
                skip_until = None;
            }
            continue;
        }
        match name.as_str() {
            "style" | "script" | "head" | "title" if !closing => {
                skip_until = Some(match name.as_str() {
                    "style" => "style",
                    "script" => "script",
                    "head" => "head",
                    _ => "title",
                });
            }
            "br" => out.push('\n'),
            n if closing && BREAKS.contains(&n) && !out.ends_with('\n') => out.push('\n'),
            "td" | "th" if closing => out.push('\t'),
            _ => {}
        }
    }
    // Collapse runs of blank lines and trailing spaces on each line.
    let mut text = String::with_capacity(out.len());
    let mut blank = 0;
    for line in out.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        text.push_str(line.trim_start_matches(' '));
        text.push('\n');
    }
    text.trim().to_owned()
}

/// Appends HTML text: white space collapses, entities are decoded.
fn push_text(out: &mut String, raw: &str) {
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => {
                let mut ent = String::new();
                while let Some(&n) = chars.peek() {
                    if n == ';' || ent.len() > 10 {
                        break;
                    }
                    ent.push(n);
                    chars.next();
                }
                if chars.peek() == Some(&';') {
                    chars.next();
                    out.push(decode_entity(&ent).unwrap_or('\u{FFFD}'));
                } else {
                    out.push('&');
                    out.push_str(&ent);
                }
            }
            c if c.is_whitespace() => {
                if !out.ends_with([' ', '\n']) && !out.is_empty() {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
}

fn decode_entity(e: &str) -> Option<char> {
    if let Some(num) = e.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(h) => u32::from_str_radix(h, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match e {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "eacute" => 'é',
        "euro" => '€',
        "copy" => '©',
        "ndash" => '–',
        "mdash" => '—',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlook_html_becomes_text() {
        let html = "<html><head><style>p{color:red}</style><title>x</title></head><body>\
            <div>Agenda:</div><p>1. Figures &amp; plans</p><p>2.&nbsp;Gr&uuml;&#223;e<br>\
            next&#x21;</p><!-- hidden --><script>alert(1)</script></body></html>";
        assert_eq!(
            html_to_text(html),
            "Agenda:\n1. Figures & plans\n2. Grüße\nnext!"
        );
        assert_eq!(html_to_text("plain   words\n here"), "plain words here");
    }
}
