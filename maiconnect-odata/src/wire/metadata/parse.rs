//! Reading EDMX with quick-xml. Documents with a DOCTYPE are refused (no
//! DTD, no entity expansion); a leading blank line or byte-order mark, as
//! real `$metadata` files have, is skipped.

use std::collections::BTreeMap;

use quick_xml::events::{BytesStart, Event};

use crate::error::ODataError;
use crate::wire::metadata::{
    Association, AssociationEnd, EntitySet, EntityType, Metadata, NavigationProperty, Property,
    Schema,
};

/// The attributes of an element: plain ones by local name, `sap:` ones in
/// their own map, `m:HasStream` by its prefixed name.
struct Attrs {
    plain: BTreeMap<String, String>,
    sap: BTreeMap<String, String>,
}

impl Attrs {
    fn read(e: &BytesStart<'_>) -> Result<Attrs, ODataError> {
        let mut plain = BTreeMap::new();
        let mut sap = BTreeMap::new();
        for a in e.attributes() {
            let a = a.map_err(|e| ODataError::Metadata(format!("bad attribute: {e}")))?;
            let value = a
                .unescape_value()
                .map_err(|e| ODataError::Metadata(format!("bad attribute value: {e}")))?
                .into_owned();
            let local = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
            match a.key.prefix().map(|p| p.as_ref().to_vec()) {
                Some(p) if p == b"sap" => {
                    sap.insert(local, value);
                }
                Some(p) if p == b"m" => {
                    plain.insert(format!("m:{local}"), value);
                }
                Some(_) => {}
                None => {
                    plain.insert(local, value);
                }
            }
        }
        Ok(Attrs { plain, sap })
    }
    fn get(&self, k: &str) -> String {
        self.plain.get(k).cloned().unwrap_or_default()
    }
    fn need(&self, element: &str, k: &str) -> Result<String, ODataError> {
        self.plain
            .get(k)
            .cloned()
            .filter(|v| !v.is_empty())
            .ok_or_else(|| ODataError::Metadata(format!("<{element}> without the attribute {k}")))
    }
}

/// Parses a `$metadata` document.
pub fn parse_metadata(body: &[u8]) -> Result<Metadata, ODataError> {
    let body = body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(body)
        .trim_ascii_start();
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut meta = Metadata::default();
    let mut schema: Option<Schema> = None;
    let mut entity: Option<EntityType> = None;
    let mut assoc: Option<Association> = None;
    let mut in_key = false;
    let mut saw_edmx = false;
    loop {
        let ev = reader.read_event().map_err(|e| {
            ODataError::Metadata(format!(
                "not well-formed XML at byte {}: {e}",
                reader.buffer_position()
            ))
        })?;
        let (e, empty) = match ev {
            Event::DocType(_) => {
                return Err(ODataError::Metadata(
                    "the document has a DOCTYPE; DTDs are refused (no entity expansion)".into(),
                ));
            }
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match e.local_name().as_ref() {
                    b"Schema" => meta.schemas.extend(schema.take()),
                    b"EntityType" => {
                        if let (Some(s), Some(t)) = (schema.as_mut(), entity.take()) {
                            s.entity_types.push(t);
                        }
                    }
                    b"Association" => {
                        if let (Some(s), Some(a)) = (schema.as_mut(), assoc.take()) {
                            s.associations.push(a);
                        }
                    }
                    b"Key" => in_key = false,
                    _ => {}
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = e.local_name().as_ref().to_vec();
        let a = Attrs::read(&e)?;
        match name.as_slice() {
            b"Edmx" => saw_edmx = true,
            b"Schema" => {
                schema = Some(Schema {
                    namespace: a.get("Namespace"),
                    ..Schema::default()
                });
                if empty {
                    meta.schemas.extend(schema.take());
                }
            }
            b"EntityType" => {
                let t = EntityType {
                    name: a.need("EntityType", "Name")?,
                    keys: Vec::new(),
                    properties: Vec::new(),
                    navigations: Vec::new(),
                    has_stream: a.get("m:HasStream") == "true",
                    sap: a.sap,
                };
                if empty {
                    if let Some(s) = schema.as_mut() {
                        s.entity_types.push(t);
                    }
                } else {
                    entity = Some(t);
                }
            }
            b"Key" => in_key = !empty,
            b"PropertyRef" if in_key => {
                if let Some(t) = entity.as_mut() {
                    t.keys.push(a.need("PropertyRef", "Name")?);
                }
            }
            b"Property" => {
                if let Some(t) = entity.as_mut() {
                    t.properties.push(Property {
                        name: a.need("Property", "Name")?,
                        edm_type: a.need("Property", "Type")?,
                        nullable: a.get("Nullable") != "false",
                        max_length: a.plain.get("MaxLength").and_then(|m| m.parse().ok()),
                        sap: a.sap,
                    });
                }
            }
            b"NavigationProperty" => {
                if let Some(t) = entity.as_mut() {
                    t.navigations.push(NavigationProperty {
                        name: a.need("NavigationProperty", "Name")?,
                        relationship: a.get("Relationship"),
                        from_role: a.get("FromRole"),
                        to_role: a.get("ToRole"),
                    });
                }
            }
            b"Association" => {
                let x = Association {
                    name: a.need("Association", "Name")?,
                    ends: Vec::new(),
                };
                if !empty {
                    assoc = Some(x);
                }
            }
            b"End" => {
                if let Some(x) = assoc.as_mut() {
                    x.ends.push(AssociationEnd {
                        entity_type: a.get("Type"),
                        multiplicity: a.get("Multiplicity"),
                        role: a.get("Role"),
                    });
                }
            }
            b"EntitySet" => {
                if let Some(s) = schema.as_mut() {
                    s.entity_sets.push(EntitySet {
                        name: a.need("EntitySet", "Name")?,
                        entity_type: a.need("EntitySet", "EntityType")?,
                        sap: a.sap,
                    });
                }
            }
            b"FunctionImport" => {
                if let Some(s) = schema.as_mut() {
                    s.function_imports.push(a.get("Name"));
                }
            }
            _ => {}
        }
    }
    if !saw_edmx {
        return Err(ODataError::Metadata(
            "the document is not EDMX (no <edmx:Edmx> root); is this really $metadata?".into(),
        ));
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(path: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/samples/{path}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn reads_the_real_business_partner_api() {
        let body = reference("API_BUSINESS_PARTNER.edmx");
        assert!(
            body.starts_with(b"\n") || body.starts_with(b"\r\n"),
            "the real file starts with a blank line"
        );
        let m = parse_metadata(&body).unwrap();
        assert_eq!(m.entity_sets().count(), 36);
        let bp = m.set_type("A_BusinessPartner").unwrap();
        assert_eq!(bp.keys, vec!["BusinessPartner"]);
        assert_eq!(
            m.max_length("A_BusinessPartner", "BusinessPartner"),
            Some(10)
        );
        let contact = m.set_type("A_BusinessPartnerContact").unwrap();
        assert_eq!(
            contact.keys,
            vec![
                "RelationshipNumber",
                "BusinessPartnerCompany",
                "BusinessPartnerPerson",
                "ValidityEndDate"
            ]
        );
        assert_eq!(
            contact.property("ValidityEndDate").unwrap().edm_type,
            "Edm.DateTime"
        );
        assert_eq!(
            m.max_length("A_AddressEmailAddress", "EmailAddress"),
            Some(241)
        );
        let etag = bp.property("ETag").unwrap();
        assert!(!etag.creatable() && !etag.updatable(), "{:?}", etag.sap);
        assert!(bp.navigation("to_BusinessPartnerAddress").is_some());
        assert!(
            m.schemas.iter().flat_map(|s| &s.associations).count() > 10,
            "associations are read"
        );
    }

    #[test]
    fn reads_the_pyodata_sample_with_sap_annotations() {
        let m = parse_metadata(&reference("pyodata_test_EXAMPLE_SRV_metadata.xml")).unwrap();
        assert_eq!(m.schemas.len(), 2);
        assert_eq!(m.entity_sets().count(), 14);
        let master = m.set_type("MasterEntities").unwrap();
        assert_eq!(master.keys, vec!["Key"]);
        let key = master.property("Key").unwrap();
        assert!(!key.nullable && !key.creatable() && !key.updatable() && !key.sortable());
        assert!(key.filterable(), "filterable defaults to true");
        let data = master.property("Data").unwrap();
        assert_eq!(data.max_length, None, "MaxLength=\"Max\" is no limit");
        assert!(!data.filterable());
        assert_eq!(data.sap.get("text").map(String::as_str), Some("DataName"));
        assert_eq!(m.max_length("Customers", "ID"), Some(5));
        assert_eq!(m.max_length("Customers", "City"), Some(15));
        let temp = m.set_type("TemperatureMeasurements").unwrap();
        assert_eq!(temp.keys, vec!["Sensor", "Date"]);
        assert_eq!(
            m.entity_set("CitiesWithFilter")
                .unwrap()
                .sap
                .get("requires-filter")
                .map(String::as_str),
            Some("true")
        );
        let imports = &m.schemas[0].function_imports;
        assert!(
            imports.contains(&"retrieve".to_owned()) && imports.contains(&"refresh".to_owned())
        );
        assert!(
            m.set_type("Employees").is_some(),
            "unqualified entity types resolve"
        );
    }

    #[test]
    fn reads_the_bench_crm_appointment_metadata() {
        let m = parse_metadata(&reference("crm_appointment_metadata.xml")).unwrap();
        assert_eq!(m.entity_sets().count(), 3);
        let att = m.set_type("AttendeeSet").unwrap();
        assert_eq!(att.keys, vec!["Guid", "PartnerNo"]);
        assert_eq!(m.max_length("AppointmentSet", "Description"), Some(80));
        assert_eq!(m.set_type("AppointmentSet").unwrap().navigations.len(), 2);
    }

    #[test]
    fn refuses_doctype_and_garbage() {
        let evil =
            br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><edmx:Edmx xmlns:edmx="e"/>"#;
        let e = parse_metadata(evil).unwrap_err();
        assert!(e.to_string().contains("DOCTYPE"), "{e}");
        let e = parse_metadata(b"<html><body>Logon</body></html>").unwrap_err();
        assert!(e.to_string().contains("not EDMX"), "{e}");
        assert!(
            parse_metadata(b"<edmx:Edmx><Schema").is_err()
                || parse_metadata(b"<a><b></a>").is_err()
        );
    }

    #[test]
    fn media_entities_are_recognised() {
        let xml = br#"
<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" xmlns:sap="http://www.sap.com/Protocols/SAPData">
 <edmx:DataServices m:DataServiceVersion="2.0"><Schema Namespace="N" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
  <EntityType Name="Attachment" m:HasStream="true"><Key><PropertyRef Name="DocumentId"/></Key>
   <Property Name="DocumentId" Type="Edm.String" Nullable="false" MaxLength="70" sap:creatable="false"/></EntityType>
  <EntityContainer Name="C"><EntitySet Name="AttachmentSet" EntityType="N.Attachment" sap:pageable="false"/></EntityContainer>
 </Schema></edmx:DataServices></edmx:Edmx>"#;
        let m = parse_metadata(xml).unwrap();
        let t = m.set_type("AttachmentSet").unwrap();
        assert!(t.has_stream);
        assert!(!t.property("DocumentId").unwrap().creatable());
        assert_eq!(
            m.entity_set("AttachmentSet")
                .unwrap()
                .sap
                .get("pageable")
                .map(String::as_str),
            Some("false")
        );
    }
}
