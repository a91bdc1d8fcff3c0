//! Saving and loading the state as JSON, so a restarted process continues
//! where the last one stopped.

use std::path::Path;

use super::World;
use crate::exchange::error::{FakeExchangeError, Result};

/// Loads a state file; a missing file is a fresh world.
pub fn load(path: &Path, seed: u64) -> Result<World> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| FakeExchangeError::StateFile {
            path: path.to_path_buf(),
            message: format!("not a saved fake-Exchange state: {e}"),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(World::new(seed)),
        Err(e) => Err(FakeExchangeError::StateFile {
            path: path.to_path_buf(),
            message: e.to_string(),
        }),
    }
}

/// Writes the state atomically (temporary file, then rename).
pub fn save(path: &Path, world: &World) -> Result<()> {
    let err = |e: String| FakeExchangeError::StateFile {
        path: path.to_path_buf(),
        message: e,
    };
    let bytes = serde_json::to_vec(world).map_err(|e| err(e.to_string()))?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| err(e.to_string()))?;
    std::fs::rename(&tmp, path).map_err(|e| err(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_world_loads_back_and_garbage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        assert!(load(&path, 3).unwrap().mailboxes.is_empty());
        let mut w = World::new(3);
        w.add_mailbox("ben.kraus@example.com", None);
        save(&path, &w).unwrap();
        let back = load(&path, 0).unwrap();
        assert_eq!(back.mailboxes, w.mailboxes);
        std::fs::write(&path, b"{nope").unwrap();
        let e = load(&path, 0).unwrap_err();
        assert!(e.to_string().contains("state.json"), "{e}");
    }
}
