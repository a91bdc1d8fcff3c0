//! Validation of SOAP requests against Microsoft's EWS schema with libxml2
//! (the `xsd` feature).
//!
//! libxml2 resolves the schema's imports by file name, so the embedded
//! files are written to a private temporary folder once per validator.
//!
//! libxml2's compiled schema and validation context are not `Send`, so each
//! lives on its own thread for the life of the server; requests reach them
//! through a channel and get the first violation back. Exchange validates
//! the Body's first child and the EWS header elements; so do we, inside the
//! whole envelope so that line numbers match the request as sent.

use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use libxml::parser::{Parser, ParserOptions};
use libxml::schemas::{SchemaParserContext, SchemaValidationContext};
use libxml::tree::Node;
use tokio::sync::oneshot;

use super::{FILES, Violation};
use crate::exchange::error::{FakeExchangeError, Result};
use crate::exchange::xml::{SOAP_NS, TYPES_NS};

struct Job {
    xml: Arc<[u8]>,
    reply: oneshot::Sender<Result<(), Violation>>,
}

/// Validates requests on dedicated threads.
#[derive(Clone)]
pub struct XsdValidator {
    jobs: mpsc::Sender<Job>,
}

/// Writes the embedded schema files into a fresh private folder.
fn unpack() -> Result<PathBuf> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("maiconnect-ews-schema-{}-{n}", std::process::id()));
    let fail = |e: std::io::Error| FakeExchangeError::Schema {
        message: format!("cannot write the schema into {}: {e}", dir.display()),
    };
    std::fs::create_dir_all(&dir).map_err(fail)?;
    for (name, bytes) in FILES {
        std::fs::write(dir.join(name), bytes).map_err(fail)?;
    }
    Ok(dir)
}

impl XsdValidator {
    /// Loads the schema on `threads` threads; fails when it does not load.
    pub fn start(threads: usize) -> Result<XsdValidator> {
        let dir = unpack()?;
        let file = dir.join("ews-validate.xsd");
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for n in 0..threads.max(1) {
            let (ready_tx, ready_rx) = mpsc::channel::<Result<(), String>>();
            let rx = Arc::clone(&rx);
            let file = file.clone();
            std::thread::Builder::new()
                .name(format!("ews-schema-{n}"))
                .spawn(move || run(file, rx, ready_tx))
                .map_err(|e| FakeExchangeError::Schema {
                    message: e.to_string(),
                })?;
            match ready_rx.recv() {
                Ok(Ok(())) => {}
                Ok(Err(message)) => return Err(FakeExchangeError::Schema { message }),
                Err(_) => {
                    return Err(FakeExchangeError::Schema {
                        message: "the validator thread stopped while loading".into(),
                    });
                }
            }
        }
        // Loaded: libxml2 keeps the compiled schema, the files can go.
        let _ = std::fs::remove_dir_all(&dir);
        Ok(XsdValidator { jobs: tx })
    }

    /// Validates the Body's first child and the EWS header elements of a
    /// well-formed SOAP request.
    pub async fn validate(&self, xml: Arc<[u8]>) -> Result<(), Violation> {
        let (reply, answer) = oneshot::channel();
        let lost = || Violation {
            line: 1,
            position: 1,
            message: "the schema validator is not running".into(),
        };
        self.jobs.send(Job { xml, reply }).map_err(|_| lost())?;
        answer.await.unwrap_or_else(|_| Err(lost()))
    }
}

fn run(
    file: PathBuf,
    jobs: Arc<Mutex<mpsc::Receiver<Job>>>,
    ready: mpsc::Sender<Result<(), String>>,
) {
    let path = file.to_string_lossy().into_owned();
    let mut parser_ctx = SchemaParserContext::from_file(&path);
    let mut ctx = match SchemaValidationContext::from_parser(&mut parser_ctx) {
        Ok(c) => c,
        Err(errors) => {
            let msg = errors
                .iter()
                .filter_map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("; ");
            let _ = ready.send(Err(msg));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    let parser = Parser::default();
    loop {
        let job = {
            let Ok(rx) = jobs.lock() else { return };
            match rx.recv() {
                Ok(j) => j,
                Err(_) => return,
            }
        };
        let result = validate_one(&parser, &mut ctx, &job.xml);
        let _ = job.reply.send(result);
    }
}

fn validate_one(
    parser: &Parser,
    ctx: &mut SchemaValidationContext,
    xml: &[u8],
) -> Result<(), Violation> {
    let opts = ParserOptions {
        recover: false,
        no_net: true,
        ..ParserOptions::default()
    };
    let doc = parser
        .parse_string_with_options(xml, opts)
        .map_err(|e| Violation {
            line: 1,
            position: 1,
            message: format!("{e:?}"),
        })?;
    let root = doc.get_root_element().ok_or_else(|| Violation {
        line: 1,
        position: 1,
        message: "Root element is missing.".into(),
    })?;
    for part in root.get_child_elements() {
        if ns_of(&part) != SOAP_NS {
            continue;
        }
        match part.get_name().as_str() {
            "Header" => {
                for h in part.get_child_elements() {
                    if ns_of(&h) == TYPES_NS {
                        check(ctx, &h)?;
                    }
                }
            }
            "Body" => {
                if let Some(first) = part.get_first_element_child() {
                    check(ctx, &first)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn ns_of(node: &Node) -> String {
    node.get_namespace()
        .map(|n| n.get_href())
        .unwrap_or_default()
}

fn check(ctx: &mut SchemaValidationContext, node: &Node) -> Result<(), Violation> {
    ctx.validate_node(node).map_err(|errors| {
        let first = errors.into_iter().next();
        let line = first
            .as_ref()
            .and_then(|e| e.line)
            .map_or(1, |l| l.max(1) as usize);
        let position = first
            .as_ref()
            .and_then(|e| e.col)
            .map_or(1, |c| c.max(1) as usize);
        let message = first
            .and_then(|e| e.message)
            .unwrap_or_else(|| "The request failed schema validation.".into());
        Violation {
            line,
            position,
            message: message.trim().to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::schema::tests::sample;

    #[tokio::test]
    async fn accepts_a_real_request_and_names_the_violation_of_a_broken_one() {
        let v = XsdValidator::start(1).unwrap();
        let good = sample("getitem-calendaritem-request.xml");
        v.validate(good.into()).await.unwrap();
        let bad = sample("updateitem-contact-invalid-request.xml");
        let err = v.validate(bad.into()).await.unwrap_err();
        assert!(err.message.contains("EmailAddress4"), "{err:?}");
        assert_eq!(err.line, 17);
    }
}
