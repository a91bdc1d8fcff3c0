//! The SAP message codes the adapter branches on. A failure is classified
//! by its HTTP status and by these codes (the `code` of the error or of
//! one of its `errordetails`), never by the text of a message: texts come
//! in the logon language and change between releases.
//!
//! Where a code cannot tell (a business exception raised for a duplicate,
//! a 500 of a database), the adapter asks the server instead: a create
//! that failed that way is confirmed by reading the object
//! ([`crate::crm`]).

/// `/IWFND/MED/170`: "No service found for namespace …, name …, version …"
/// — the service is not active in /IWFND/MAINT_SERVICE.
pub const SERVICE_NOT_FOUND: &str = "/IWFND/MED/170";

/// Gateway's "Resource not found for segment …": the object (or the
/// entity set) does not exist.
pub const RESOURCE_NOT_FOUND: &str = "/IWBEP/CM_MGW_RT/020";

/// Codes that say a create hit an existing key. Each is the name of a
/// runtime error or error code, not a text:
///
/// * `SAPSQL_ARRAY_INSERT_DUPREC`, `DBSQL_DUPLICATE_KEY_ERROR`: ABAP
///   runtime errors of an INSERT with an existing primary key, which a
///   Gateway service without its own check passes on as a 500;
/// * `ENTITY_ALREADY_EXISTS`: SAP CAP's code for a create of an existing
///   key;
/// * `SQLITE_CONSTRAINT_PRIMARYKEY`: the database code that SAP CAP on
///   SQLite passes on unchanged.
pub const DUPLICATE_KEY: &[&str] = &[
    "SAPSQL_ARRAY_INSERT_DUPREC",
    "DBSQL_DUPLICATE_KEY_ERROR",
    "ENTITY_ALREADY_EXISTS",
    "SQLITE_CONSTRAINT_PRIMARYKEY",
];
