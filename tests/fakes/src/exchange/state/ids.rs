//! Opaque ids as Exchange hands them out: base64 strings whose bytes the
//! fake can read back (which item an occurrence belongs to, which folder a
//! sync state is for, which event a watermark points at).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

const ITEM: &[u8; 4] = b"FXI\0";
const OCCURRENCE: &[u8; 4] = b"FXO\0";
const FOLDER: &[u8; 4] = b"FXF\0";
const ATTACHMENT: &[u8; 4] = b"FXA\0";
const SYNC: &[u8; 4] = b"FXS\0";
const WATERMARK: &[u8; 4] = b"FXW\0";

/// What an item id names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemRef {
    /// A stored item (single item, task, contact or recurring master).
    Item(String),
    /// The `index`-th (1-based) occurrence of the master with id `master`.
    Occurrence {
        /// The master's id.
        master: String,
        /// EWS `InstanceIndex`.
        index: u32,
    },
}

/// Deterministic id bytes from a seeded generator.
#[derive(Debug, Clone)]
pub struct IdSource {
    rng: fastrand::Rng,
}

impl IdSource {
    /// A generator for `seed`, continued after `counter` ids (so a restored
    /// state does not hand out ids twice).
    pub fn new(seed: u64, counter: u64) -> IdSource {
        IdSource {
            rng: fastrand::Rng::with_seed(seed ^ counter.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        }
    }

    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut b = [0u8; N];
        self.rng.fill(&mut b);
        b
    }

    /// A new item id.
    pub fn item(&mut self) -> String {
        encode(ITEM, &self.bytes::<24>())
    }

    /// A new folder id.
    pub fn folder(&mut self) -> String {
        encode(FOLDER, &self.bytes::<24>())
    }

    /// A new change key (the shape Exchange's have: `CQAAABYAAAA…`).
    pub fn change_key(&mut self) -> String {
        let mut b = vec![0x09, 0, 0, 0, 0x16, 0, 0, 0];
        b.extend_from_slice(&self.bytes::<12>());
        STANDARD.encode(b)
    }

    /// A new attachment id for an attachment of `item_id`.
    pub fn attachment(&mut self, item_id: &str) -> String {
        let mut b = STANDARD.decode(item_id).unwrap_or_default();
        b.extend_from_slice(&self.bytes::<8>());
        encode(ATTACHMENT, &b)
    }

    /// A new subscription id.
    pub fn subscription(&mut self) -> String {
        STANDARD.encode(self.bytes::<33>())
    }

    /// A new opaque OAuth access token body.
    pub fn token(&mut self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(self.bytes::<48>())
    }

    /// A new RFC 4122-looking GUID (for UIDs).
    pub fn guid(&mut self) -> String {
        uuid::Builder::from_random_bytes(self.bytes::<16>())
            .into_uuid()
            .to_string()
            .to_uppercase()
    }
}

fn encode(tag: &[u8; 4], body: &[u8]) -> String {
    let mut b = tag.to_vec();
    b.extend_from_slice(body);
    STANDARD.encode(b)
}

fn decode(tag: &[u8; 4], id: &str) -> Option<Vec<u8>> {
    let b = STANDARD.decode(id.trim()).ok()?;
    b.strip_prefix(tag.as_slice()).map(<[u8]>::to_vec)
}

/// Reads an item id; `None` when it is not one of ours (`ErrorInvalidIdMalformed`).
pub fn parse_item_id(id: &str) -> Option<ItemRef> {
    if decode(ITEM, id).is_some() {
        return Some(ItemRef::Item(id.to_string()));
    }
    let body = decode(OCCURRENCE, id)?;
    if body.len() < 4 {
        return None;
    }
    let (master, idx) = body.split_at(body.len() - 4);
    let index = u32::from_be_bytes(idx.try_into().ok()?);
    Some(ItemRef::Occurrence {
        master: encode(ITEM, master),
        index,
    })
}

/// The id of the `index`-th occurrence of `master`.
pub fn occurrence_id(master: &str, index: u32) -> String {
    let mut body = decode(ITEM, master).unwrap_or_default();
    body.extend_from_slice(&index.to_be_bytes());
    encode(OCCURRENCE, &body)
}

/// Whether `id` is shaped like one of our folder ids.
pub fn is_folder_id(id: &str) -> bool {
    decode(FOLDER, id).is_some()
}

/// The item an attachment id belongs to.
pub fn attachment_parent(id: &str) -> Option<String> {
    let body = decode(ATTACHMENT, id)?;
    if body.len() < 8 {
        return None;
    }
    Some(STANDARD.encode(&body[..body.len() - 8]))
}

/// A sync state for `folder_id` after change number `seq`.
pub fn sync_state(folder_id: &str, seq: u64) -> String {
    let mut b = folder_id.as_bytes().to_vec();
    b.push(0);
    b.extend_from_slice(&seq.to_be_bytes());
    encode(SYNC, &b)
}

/// Reads a sync state: the folder it is for and the change number.
pub fn parse_sync_state(state: &str) -> Option<(String, u64)> {
    let b = decode(SYNC, state)?;
    let zero = b.iter().position(|c| *c == 0)?;
    let folder = String::from_utf8(b[..zero].to_vec()).ok()?;
    let seq = u64::from_be_bytes(b.get(zero + 1..)?.try_into().ok()?);
    Some((folder, seq))
}

/// A watermark: event number `seq` of mailbox `mailbox`.
pub fn watermark(mailbox: u32, seq: u64) -> String {
    let mut b = mailbox.to_be_bytes().to_vec();
    b.extend_from_slice(&seq.to_be_bytes());
    encode(WATERMARK, &b)
}

/// Reads a watermark.
pub fn parse_watermark(w: &str) -> Option<(u32, u64)> {
    let b = decode(WATERMARK, w)?;
    if b.len() != 12 {
        return None;
    }
    let mailbox = u32::from_be_bytes(b[..4].try_into().ok()?);
    let seq = u64::from_be_bytes(b[4..].try_into().ok()?);
    Some((mailbox, seq))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_deterministic_per_seed() {
        let mut a = IdSource::new(7, 0);
        let mut b = IdSource::new(7, 0);
        let id = a.item();
        assert_eq!(id, b.item());
        assert_eq!(parse_item_id(&id), Some(ItemRef::Item(id.clone())));
        let occ = occurrence_id(&id, 3);
        assert_eq!(
            parse_item_id(&occ),
            Some(ItemRef::Occurrence {
                master: id.clone(),
                index: 3
            })
        );
        let att = a.attachment(&id);
        assert_eq!(attachment_parent(&att), Some(id));
        let f = a.folder();
        assert!(is_folder_id(&f));
        assert_eq!(parse_sync_state(&sync_state(&f, 42)), Some((f, 42)));
        assert_eq!(parse_watermark(&watermark(2, 9)), Some((2, 9)));
        assert_eq!(parse_item_id("AAMkADhh"), None);
        assert_eq!(parse_watermark("not base64!"), None);
    }
}
