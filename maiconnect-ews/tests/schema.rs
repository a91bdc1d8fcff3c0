//! Every request the adapter can produce is valid against Microsoft's EWS
//! schema: the `dump_requests` example writes them, each Body's first
//! child and each Header child is cut out into its own document and
//! checked with `xmllint --schema ews-validate.xsd`.
//!
//! Without xmllint or the schema the test skips with a message, except
//! under `CI=true`, where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

const NS: &str = concat!(
    " xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"",
    " xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\""
);

fn schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/ews-validate.xsd")
}

fn skip_or_fail(why: &str) {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("schema validation cannot run under CI: {why}");
    }
    eprintln!("SKIPPED schema validation: {why}");
}

/// The top-level child elements of `inner` (the content of one element),
/// as text. Our writer emits no comments or CDATA, so a depth count over
/// tags is enough.
fn children(inner: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = inner.as_bytes();
    let (mut i, mut depth, mut start) = (0, 0usize, 0);
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let end = i + inner[i..].find('>').expect("tag end");
            let tag = &inner[i..=end];
            if tag.starts_with("</") {
                depth -= 1;
                if depth == 0 {
                    out.push(&inner[start..=end]);
                }
            } else if tag.ends_with("/>") {
                if depth == 0 {
                    out.push(tag);
                }
            } else {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn inner<'a>(doc: &'a str, element: &str) -> &'a str {
    let open = format!("<{element}>");
    let close = format!("</{element}>");
    let a = doc.find(&open).map(|i| i + open.len());
    let b = doc.rfind(&close);
    match (a, b) {
        (Some(a), Some(b)) if a <= b => &doc[a..b],
        _ => "",
    }
}

/// Declares the namespaces on the element's own start tag.
fn standalone(element: &str) -> String {
    let name_end = element.find([' ', '>', '/']).expect("name end");
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{}{NS}{}",
        &element[..name_end],
        &element[name_end..]
    )
}

#[test]
fn every_request_is_schema_valid() {
    let xsd = schema();
    if !xsd.exists() {
        return skip_or_fail(&format!("{} is missing", xsd.display()));
    }
    if Command::new("xmllint").arg("--version").output().is_err() {
        return skip_or_fail("xmllint is not installed (apt-get install libxml2-utils)");
    }
    let out = tempfile::tempdir().expect("tempdir");
    // `cargo test` builds the examples next to the test binaries.
    let exe = std::env::current_exe().expect("test binary");
    let example = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("examples").join("dump_requests"))
        .filter(|p| p.exists());
    let status = match example {
        Some(bin) => Command::new(bin).arg(out.path()).status(),
        None => Command::new(env!("CARGO"))
            .args([
                "run",
                "-q",
                "-p",
                "maiconnect-ews",
                "--example",
                "dump_requests",
                "--",
            ])
            .arg(out.path())
            .status(),
    }
    .expect("run the dump_requests example");
    assert!(status.success(), "dump_requests failed");

    let mut files: Vec<PathBuf> = std::fs::read_dir(out.path())
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 35,
        "only {} requests were written",
        files.len()
    );

    let parts = out.path().join("parts");
    std::fs::create_dir_all(&parts).expect("mkdir");
    let mut checked = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read request");
        let name = f.file_stem().and_then(|s| s.to_str()).expect("name");
        let body = inner(&text, "soap:Body");
        let first = children(body);
        assert_eq!(first.len(), 1, "{name}: the Body must hold one element");
        let mut elements = vec![(format!("{name}.body.xml"), first[0])];
        for (i, h) in children(inner(&text, "soap:Header"))
            .into_iter()
            .enumerate()
        {
            elements.push((format!("{name}.header{i}.xml"), h));
        }
        for (file, element) in elements {
            let path = parts.join(&file);
            std::fs::write(&path, standalone(element)).expect("write part");
            checked.push(path);
        }
    }
    let result = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .args(&checked)
        .output()
        .expect("run xmllint");
    let report = String::from_utf8_lossy(&result.stderr);
    let failures: Vec<&str> = report
        .lines()
        .filter(|l| !l.ends_with(" validates"))
        .collect();
    assert!(
        result.status.success() && failures.is_empty(),
        "schema validation failed:\n{}",
        failures.join("\n")
    );
    let validated = report.lines().filter(|l| l.ends_with(" validates")).count();
    assert_eq!(validated, checked.len(), "{report}");
    eprintln!("{validated} request elements validate against the EWS schema");
}
