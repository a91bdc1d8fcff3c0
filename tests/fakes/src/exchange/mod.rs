//! The fake Exchange (EWS over HTTP).
