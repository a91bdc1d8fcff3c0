//! EWS response codes and what each means for a caller: retry, re-plan,
//! give up, and what a person should check.

mod codes;

use std::fmt;

use maiconnect_core::ErrorKind;

pub use codes::ResponseCode;

impl ResponseCode {
    /// Every code the schema lists, in schema order.
    pub fn all() -> &'static [ResponseCode] {
        &codes::ALL
    }

    /// How a caller should treat this code.
    pub fn kind(&self) -> ErrorKind {
        use ResponseCode as C;
        match self {
            C::ErrorServerBusy | C::ErrorExceededConnectionCount | C::ErrorTooManyObjectsOpened => {
                ErrorKind::Throttled
            }
            C::ErrorTimeoutExpired
            | C::ErrorInternalServerTransientError
            | C::ErrorMailboxStoreUnavailable
            | C::ErrorConnectionFailed
            | C::ErrorMailboxMoveInProgress
            | C::ErrorBatchProcessingStopped => ErrorKind::Unavailable,
            C::ErrorIrresolvableConflict
            | C::ErrorStaleObject
            | C::ErrorChangeKeyRequired
            | C::ErrorChangeKeyRequiredForWriteOperations
            | C::ErrorInvalidChangeKey => ErrorKind::Conflict,
            C::ErrorItemNotFound
            | C::ErrorFolderNotFound
            | C::ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange
            | C::ErrorSubscriptionNotFound
            | C::ErrorExpiredSubscription
            | C::ErrorInvalidSyncStateData
            | C::ErrorInvalidWatermark => ErrorKind::NotFound,
            C::ErrorAccessDenied
            | C::ErrorImpersonateUserDenied
            | C::ErrorImpersonationDenied
            | C::ErrorImpersonationFailed
            | C::ErrorInvalidExchangeImpersonationHeaderData
            | C::ErrorCreateItemAccessDenied
            | C::ErrorDeleteItemsFailed
            | C::ErrorCannotDeleteObject
            | C::ErrorAccountDisabled => ErrorKind::PermissionDenied,
            C::ErrorNonExistentMailbox | C::ErrorInvalidServerVersion => ErrorKind::Misconfigured,
            C::ErrorMessageSizeExceeded | C::ErrorQuotaExceeded => ErrorKind::TooLarge,
            C::ErrorFolderExists => ErrorKind::AlreadyExists,
            C::ErrorSchemaValidation
            | C::ErrorInvalidRequest
            | C::ErrorInvalidIdMalformed
            | C::ErrorInvalidPropertyRequest
            | C::ErrorInvalidPropertySet
            | C::ErrorInvalidPropertyForOperation
            | C::ErrorInvalidExtendedProperty
            | C::ErrorInvalidExtendedPropertyValue
            | C::ErrorInvalidRecipients
            | C::ErrorCalendarInvalidRecurrence
            | C::ErrorCalendarEndDateIsEarlierThanStartDate
            | C::ErrorCalendarDurationIsTooLong => ErrorKind::Invalid,
            _ => ErrorKind::Other,
        }
    }

    /// What to check or do, for the error message; empty when the server's
    /// own text says enough.
    pub fn hint(&self, mailbox: &str) -> String {
        use ResponseCode as C;
        match self {
            C::ErrorImpersonateUserDenied | C::ErrorImpersonationDenied => format!(
                "the service account lacks the ApplicationImpersonation role for {mailbox} (or an OAuth app lacks full_access_as_app)"
            ),
            C::ErrorInvalidExchangeImpersonationHeaderData => format!(
                "the ExchangeImpersonation header for {mailbox} does not fit the credentials: app-only OAuth tokens need it, delegated user tokens must not send it; use client credentials"
            ),
            C::ErrorAccessDenied => format!(
                "the app registration lacks full_access_as_app or the ApplicationAccessPolicy excludes {mailbox}"
            ),
            C::ErrorNonExistentMailbox => format!(
                "{mailbox} has no mailbox on this Exchange environment; check the user's address and the environment"
            ),
            C::ErrorServerBusy | C::ErrorExceededConnectionCount => {
                "Exchange throttles this account; wait for the back-off and lower the concurrency per environment".into()
            }
            C::ErrorIrresolvableConflict | C::ErrorStaleObject | C::ErrorInvalidChangeKey => {
                "the item changed since it was read; read it again and re-plan".into()
            }
            C::ErrorInvalidSyncStateData | C::ErrorInvalidWatermark | C::ErrorExpiredSubscription => {
                "the stored sync state or watermark is no longer valid; start over without it".into()
            }
            C::ErrorSchemaValidation => {
                "the request does not match the EWS schema; this is a bug in maiconnect-ews, please report it with the request".into()
            }
            C::ErrorInvalidServerVersion => {
                "the configured RequestServerVersion is not supported by this server; configure an older one".into()
            }
            _ => String::new(),
        }
    }
}

impl fmt::Display for ResponseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_kept() {
        for c in ResponseCode::all() {
            assert_eq!(&ResponseCode::parse(c.as_str()), c);
        }
        assert_eq!(
            ResponseCode::parse("ErrorFromTheFuture"),
            ResponseCode::Other("ErrorFromTheFuture".into())
        );
        assert_eq!(ResponseCode::all().len(), 529);
    }

    #[test]
    fn the_enum_matches_the_schema() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/messages.xsd");
        let Ok(xsd) = std::fs::read_to_string(path) else {
            eprintln!("skipped: {path} is missing");
            return;
        };
        let start = xsd.find("name=\"ResponseCodeType\"").unwrap();
        let end = start + xsd[start..].find("</xs:simpleType>").unwrap();
        let listed: Vec<&str> = xsd[start..end]
            .split("enumeration value=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        let ours: Vec<&str> = ResponseCode::all().iter().map(|c| c.as_str()).collect();
        assert_eq!(listed, ours);
    }

    #[test]
    fn codes_are_classified_for_retrying() {
        assert_eq!(ResponseCode::ErrorServerBusy.kind(), ErrorKind::Throttled);
        assert_eq!(
            ResponseCode::ErrorIrresolvableConflict.kind(),
            ErrorKind::Conflict
        );
        assert_eq!(ResponseCode::ErrorItemNotFound.kind(), ErrorKind::NotFound);
        assert_eq!(
            ResponseCode::ErrorImpersonateUserDenied.kind(),
            ErrorKind::PermissionDenied
        );
        assert!(
            ResponseCode::ErrorImpersonateUserDenied
                .hint("anna@example.com")
                .contains("ApplicationImpersonation role for anna@example.com")
        );
    }
}
