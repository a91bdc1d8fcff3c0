//! XML reading and writing: a borrowed element tree for responses, a byte
//! writer for requests.

mod tree;
mod writer;

pub use tree::{Children, Doc, Node};
pub use writer::{XmlWriter, escape_into};
