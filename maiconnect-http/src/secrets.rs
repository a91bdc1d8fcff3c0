//! Reading secrets from environment variables or files. Secrets never sit
//! in the configuration and are never logged.

use std::fmt;

use maiconnect_core::policy::SecretRef;

use crate::error::HubError;

/// A secret value; `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// A secret from a value (tests, the demo).
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }
    /// The value.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Reads the secret `r` names; `what` is the configuration key, for errors.
pub fn resolve(what: &str, r: &SecretRef) -> Result<Secret, HubError> {
    let err = |why: String| HubError::Secret {
        what: what.to_owned(),
        why,
    };
    match (&r.env, &r.file) {
        (Some(var), None) => match std::env::var(var) {
            Ok(v) if !v.is_empty() => Ok(Secret(v)),
            Ok(_) => Err(err(format!(
                "environment variable {var} is empty; set it to the secret"
            ))),
            Err(_) => Err(err(format!(
                "environment variable {var} is not set; export it before starting the hub"
            ))),
        },
        (None, Some(path)) => match std::fs::read_to_string(path) {
            Ok(v) if !v.trim().is_empty() => {
                Ok(Secret(v.trim_end_matches(['\n', '\r']).to_owned()))
            }
            Ok(_) => Err(err(format!("file {} is empty", path.display()))),
            Err(e) => Err(err(format!(
                "cannot read {}: {e}; check the path and its permissions",
                path.display()
            ))),
        },
        _ => Err(err("give exactly one of env or file".into())),
    }
}

/// Reads a secret that is binary-safe text (PEM files).
pub fn resolve_bytes(what: &str, r: &SecretRef) -> Result<Vec<u8>, HubError> {
    match &r.file {
        Some(path) => std::fs::read(path).map_err(|e| HubError::Secret {
            what: what.to_owned(),
            why: format!("cannot read {}: {e}", path.display()),
        }),
        None => resolve(what, r).map(|s| s.0.into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_come_from_files_and_never_print() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pw");
        std::fs::write(&path, "s3cret\n").unwrap();
        let s = resolve("s4.password", &SecretRef::file(&path)).unwrap();
        assert_eq!(s.expose(), "s3cret");
        assert_eq!(format!("{s:?}"), "Secret(…)");
        let e = resolve("s4.password", &SecretRef::env("MAICONNECT_TEST_UNSET_VAR")).unwrap_err();
        assert!(
            e.to_string()
                .contains("MAICONNECT_TEST_UNSET_VAR is not set"),
            "{e}"
        );
        let e = resolve("s4.password", &SecretRef::file(dir.path().join("missing"))).unwrap_err();
        assert!(e.to_string().contains("s4.password"), "{e}");
    }
}
