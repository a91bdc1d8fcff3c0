//! Logon sessions and their CSRF tokens, as SAP Gateway binds them: a
//! `GET`/`HEAD` with `X-CSRF-Token: Fetch` opens a session (cookie
//! `SAP_SESSIONID_<SID>_<CLIENT>`, plus `sap-XSRF_<SID>_<CLIENT>`) and
//! returns its token; a modifying request must send the token of its
//! session. See `maiconnect-odata/tests/samples/protocol_notes_csrf_etag_paging.md` §1.

use std::collections::HashMap;

/// One logon session.
#[derive(Debug, Clone)]
pub struct Session {
    /// The user it belongs to.
    pub user: String,
    /// Its CSRF token; `None` once expired.
    pub token: Option<String>,
}

/// All sessions by session id.
#[derive(Debug, Clone, Default)]
pub struct Sessions {
    by_id: HashMap<String, Session>,
}

impl Sessions {
    /// The session of a cookie value.
    pub fn get(&self, id: &str) -> Option<&Session> {
        self.by_id.get(id)
    }

    /// Opens or refreshes the session of `user`: reuses `existing` when it
    /// belongs to the same user (the token stays the same within a
    /// session, as on a real system), else opens one with `new_id`.
    /// Returns the session id and token.
    pub fn fetch(
        &mut self,
        user: &str,
        existing: Option<&str>,
        new_id: String,
        new_token: String,
    ) -> (String, String) {
        if let Some(id) = existing
            && let Some(s) = self.by_id.get_mut(id)
            && s.user.eq_ignore_ascii_case(user)
        {
            let token = s.token.get_or_insert(new_token).clone();
            return (id.to_owned(), token);
        }
        self.by_id.insert(
            new_id.clone(),
            Session {
                user: user.to_owned(),
                token: Some(new_token.clone()),
            },
        );
        (new_id, new_token)
    }

    /// Whether `token` is valid: the token of the session in the session
    /// cookie, or (for clients that keep only the XSRF cookie) equal to the
    /// XSRF cookie and still the token of some session.
    pub fn valid(&self, token: &str, session: Option<&str>, xsrf_cookie: Option<&str>) -> bool {
        if token.is_empty() || token.eq_ignore_ascii_case("fetch") {
            return false;
        }
        if let Some(s) = session.and_then(|id| self.by_id.get(id)) {
            return s.token.as_deref() == Some(token);
        }
        xsrf_cookie == Some(token)
            && self
                .by_id
                .values()
                .any(|s| s.token.as_deref() == Some(token))
    }

    /// Expires every token (sessions stay; a fetch issues a new token).
    pub fn expire_tokens(&mut self) {
        for s in self.by_id.values_mut() {
            s.token = None;
        }
    }

    /// Ends all sessions (a restart).
    pub fn clear(&mut self) {
        self.by_id.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_their_session_and_expire() {
        let mut s = Sessions::default();
        let (id, token) = s.fetch("U", None, "S1".into(), "T1".into());
        assert_eq!((id.as_str(), token.as_str()), ("S1", "T1"));
        assert_eq!(
            s.fetch("U", Some("S1"), "S2".into(), "T2".into()),
            ("S1".into(), "T1".into())
        );
        assert!(s.valid("T1", Some("S1"), None));
        assert!(!s.valid("T2", Some("S1"), None));
        assert!(s.valid("T1", None, Some("T1")));
        assert!(!s.valid("T1", None, None));
        assert!(!s.valid("Fetch", Some("S1"), None));
        s.expire_tokens();
        assert!(!s.valid("T1", Some("S1"), None));
        assert_eq!(
            s.fetch("U", Some("S1"), "S3".into(), "T3".into()),
            ("S1".into(), "T3".into())
        );
        assert_eq!(
            s.fetch("OTHER", Some("S1"), "S4".into(), "T4".into()).0,
            "S4"
        );
    }
}
