//! The fake S/4HANA (SAP Gateway OData v2 over HTTP).
