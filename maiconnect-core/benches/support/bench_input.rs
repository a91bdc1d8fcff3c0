//! Where the benchmarks leave the documents they generate, shared by the
//! workspace's benchmarks (included with `#[path]`): the Python peers in
//! `tools/peers/` are timed on these very bytes, so that the two figures
//! compare.

use std::path::{Path, PathBuf};

/// `<target>/bench-input`. `<target>` is `CARGO_TARGET_DIR` when set (a
/// relative one is taken from the workspace root, where cargo is usually
/// run; the bench itself runs in its crate's directory), else the
/// workspace's `target`.
pub fn dir() -> PathBuf {
    // Each crate sits directly in the workspace root.
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = crate_dir.parent().unwrap_or(crate_dir);
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace.join(dir),
        None => workspace.join("target"),
    };
    target.join("bench-input")
}

/// Writes `bytes` to `<dir()>/<name>` and says where and how big on stderr.
pub fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = dir();
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    eprintln!("bench input: {} ({} bytes)", path.display(), bytes.len());
    path
}
