//! The readable text of an error body that is not an SAP error: the HTML
//! page of a reverse proxy or of the ICF (`404 Not Found`, `502 Bad
//! Gateway`), a plain-text answer (`CSRF token validation failed`), any
//! other JSON. Kept so that a failure still says what the server said.

/// The most characters kept of a body's text.
pub const MAX_CHARS: usize = 300;

/// What a body that is not an SAP error says, in one line of at most
/// [`MAX_CHARS`] characters; `None` for an empty or binary body.
pub fn readable_text(body: &[u8]) -> Option<String> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let text = std::str::from_utf8(body).ok()?;
    if text.contains('\0') {
        return None;
    }
    let line = if looks_like_html(text) {
        html_text(text)
    } else {
        one_line(text)
    };
    (!line.is_empty()).then(|| cut(&line))
}

/// Whether a text is an HTML page rather than XML or plain text.
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.contains("<html") || head.contains("<body")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_CHARS {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(MAX_CHARS - 1).collect();
    out.push('…');
    out
}

/// The title and the visible text of an HTML page (scripts and styles
/// left out, entities of the common kind decoded).
fn html_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let title = between(html, &lower, "<title", "</title>")
        .map(|t| decode_entities(&one_line(t)))
        .unwrap_or_default();
    let body_start = lower.find("<body").unwrap_or(0);
    let mut visible = String::new();
    let mut rest = &html[body_start..];
    let mut rest_lower = &lower[body_start..];
    while let Some(open) = rest_lower.find('<') {
        visible.push_str(&rest[..open]);
        visible.push(' ');
        let tag = &rest_lower[open..];
        // Skip the content of scripts and styles, not only their tags.
        let skip_to = ["script", "style"]
            .iter()
            .find(|t| tag[1..].starts_with(*t))
            .and_then(|t| tag.find(&format!("</{t}")))
            .unwrap_or(0);
        let Some(close) = tag[skip_to..].find('>') else {
            rest = "";
            break;
        };
        let next = open + skip_to + close + 1;
        rest = &rest[next..];
        rest_lower = &rest_lower[next..];
    }
    visible.push_str(rest);
    let text = decode_entities(&one_line(&visible));
    match (title.is_empty(), text.is_empty()) {
        (true, _) => text,
        (false, true) => title,
        (false, false) if text.starts_with(&title) => text,
        (false, false) => format!("{title}: {text}"),
    }
}

/// The text between the tag `open` (attributes allowed) and `close`.
fn between<'a>(html: &'a str, lower: &str, open: &str, close: &str) -> Option<&'a str> {
    let start = lower.find(open)?;
    let content = start + lower[start..].find('>')? + 1;
    let end = content + lower[content..].find(close)?;
    html.get(content..end)
}

fn decode_entities(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxy_page_reads_as_its_title_and_text() {
        let page = br#"<!DOCTYPE html><html><head><title>404 Not Found</title>
            <style>body { color: red }</style><script>var x = "<b>";</script></head>
            <body><h1>Not Found</h1><p>The requested URL /sap/opu/odata/NAG/X/ was not found on this server.</p>
            <hr><address>Apache/2.4 Server at s4.example.com Port 443</address></body></html>"#;
        assert_eq!(
            readable_text(page).unwrap(),
            "404 Not Found: Not Found The requested URL /sap/opu/odata/NAG/X/ was not found on this server. Apache/2.4 Server at s4.example.com Port 443"
        );
        let icf = b"<html><head><title>Logon Error Message</title></head><body>Service cannot be reached &amp; so on</body></html>";
        assert_eq!(
            readable_text(icf).unwrap(),
            "Logon Error Message: Service cannot be reached & so on"
        );
    }

    #[test]
    fn plain_text_is_one_line_and_cut() {
        assert_eq!(
            readable_text(b"CSRF token\n validation failed\n").unwrap(),
            "CSRF token validation failed"
        );
        let long = "x".repeat(1000);
        let got = readable_text(long.as_bytes()).unwrap();
        assert_eq!(got.chars().count(), MAX_CHARS);
        assert!(got.ends_with('…'));
        assert_eq!(readable_text(b"  \n"), None);
        assert_eq!(readable_text(&[0xff, 0xfe, 0]), None);
    }
}
