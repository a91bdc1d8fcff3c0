//! Validation of SOAP requests against Microsoft's EWS schema (libxml2).
//!
//! libxml2's compiled schema and validation context are not `Send`, so each
//! lives on its own thread for the life of the server; requests reach them
//! through a channel and get the first violation back. Exchange validates
//! the Body's first child and the EWS header elements; so do we, inside the
//! whole envelope so that line numbers match the request as sent.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use libxml::parser::{Parser, ParserOptions};
use libxml::schemas::{SchemaParserContext, SchemaValidationContext};
use libxml::tree::Node;
use tokio::sync::oneshot;

use super::error::{FakeExchangeError, Result};
use super::xml::{SOAP_NS, TYPES_NS};

/// The first schema violation of a request, as Exchange reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// 1-based line in the request.
    pub line: usize,
    /// 1-based column (libxml2 knows only the line for most violations; 1
    /// then).
    pub position: usize,
    /// libxml2's description of the violation.
    pub message: String,
}

struct Job {
    xml: Arc<[u8]>,
    reply: oneshot::Sender<Result<(), Violation>>,
}

/// Validates requests on dedicated threads.
#[derive(Clone)]
pub struct SchemaValidator {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for SchemaValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SchemaValidator")
    }
}

impl SchemaValidator {
    /// Loads `<dir>/ews-validate.xsd` on `threads` threads; fails when the
    /// schema does not load.
    pub fn start(dir: &Path, threads: usize) -> Result<SchemaValidator> {
        let file = dir.join("ews-validate.xsd");
        if !file.is_file() {
            return Err(FakeExchangeError::Schema {
                dir: dir.to_path_buf(),
                message: format!("{} does not exist", file.display()),
            });
        }
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
                    dir: dir.to_path_buf(),
                    message: e.to_string(),
                })?;
            match ready_rx.recv() {
                Ok(Ok(())) => {}
                Ok(Err(message)) => {
                    return Err(FakeExchangeError::Schema {
                        dir: dir.to_path_buf(),
                        message,
                    });
                }
                Err(_) => {
                    return Err(FakeExchangeError::Schema {
                        dir: dir.to_path_buf(),
                        message: "the validator thread stopped while loading".into(),
                    });
                }
            }
        }
        Ok(SchemaValidator { jobs: tx })
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

    fn validator() -> SchemaValidator {
        SchemaValidator::start(&super::super::config::default_schema_dir(), 1).unwrap()
    }

    #[tokio::test]
    async fn accepts_a_real_request_and_names_the_violation_of_a_broken_one() {
        let v = validator();
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../maiconnect-ews/tests/samples"
        );
        let good = std::fs::read(format!("{dir}/getitem-calendaritem-request.xml")).unwrap();
        v.validate(good.into()).await.unwrap();
        let bad = std::fs::read(format!("{dir}/updateitem-contact-invalid-request.xml")).unwrap();
        let err = v.validate(bad.into()).await.unwrap_err();
        assert!(err.message.contains("EmailAddress4"), "{err:?}");
        assert_eq!(err.line, 17);
    }

    #[test]
    fn a_missing_schema_folder_is_named() {
        let err = SchemaValidator::start(Path::new("/nonexistent/schema"), 1).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/schema"), "{err}");
    }
}
