//! The `$metadata` document (EDMX 1.0, OData v2) of a service, written the
//! way SAP Gateway writes it: XML declaration, the `edmx`, `m` and `sap`
//! namespaces on the root, `sap:` annotations on types, properties and sets,
//! one `Association`/`AssociationSet` per navigation, and the `atom:link`s
//! at the end of the schema (compare
//! `maiconnect-odata/tests/samples/API_BUSINESS_PARTNER.edmx`).

use std::fmt::Write as _;

use super::{EdmType, EntitySet, Service};

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn association_name(set: &EntitySet, nav: &str) -> String {
    format!("{}{}", set.type_name, nav)
}

/// The `$metadata` document of `service`; `service_url` is the absolute
/// service root (for the `atom:link`s), ending in `/`.
pub fn metadata_document(service: &Service, service_url: &str) -> String {
    let ns = service.namespace();
    let mut x = String::with_capacity(8 * 1024);
    x.push_str(r#"<?xml version="1.0" encoding="utf-8"?>"#);
    x.push_str(concat!(
        r#"<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx""#,
        r#" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata""#,
        r#" xmlns:sap="http://www.sap.com/Protocols/SAPData">"#,
        r#"<edmx:DataServices m:DataServiceVersion="2.0">"#
    ));
    let _ = write!(
        x,
        r#"<Schema Namespace="{ns}" xml:lang="en" sap:schema-version="1" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">"#
    );
    for set in service.sets {
        entity_type(&mut x, ns, set);
    }
    for set in service.sets {
        for nav in set.navigations {
            let Some(target) = service.set(nav.target) else {
                continue;
            };
            let name = association_name(set, nav.name);
            let _ = write!(
                x,
                r#"<Association Name="{name}" sap:content-version="1"><End Type="{ns}.{from}" Multiplicity="1" Role="FromRole_{name}"/><End Type="{ns}.{to}" Multiplicity="{many}" Role="ToRole_{name}"/></Association>"#,
                from = set.type_name,
                to = target.type_name,
                many = if nav.many { "*" } else { "0..1" },
            );
        }
    }
    let _ = write!(
        x,
        r#"<EntityContainer Name="{ns}_Entities" m:IsDefaultEntityContainer="true" sap:supported-formats="atom json xlsx">"#
    );
    for set in service.sets {
        let _ = write!(
            x,
            r#"<EntitySet Name="{}" EntityType="{ns}.{}" sap:creatable="{}" sap:updatable="{}" sap:deletable="{}" sap:pageable="true" sap:content-version="1"/>"#,
            set.name, set.type_name, set.creatable, set.updatable, set.deletable
        );
    }
    for set in service.sets {
        for nav in set.navigations {
            let name = association_name(set, nav.name);
            let _ = write!(
                x,
                r#"<AssociationSet Name="{name}Set" Association="{ns}.{name}" sap:creatable="false" sap:updatable="false" sap:deletable="false" sap:content-version="1"><End EntitySet="{}" Role="FromRole_{name}"/><End EntitySet="{}" Role="ToRole_{name}"/></AssociationSet>"#,
                set.name, nav.target
            );
        }
    }
    x.push_str("</EntityContainer>");
    let url = escape(service_url);
    let _ = write!(
        x,
        r#"<atom:link rel="self" href="{url}$metadata" xmlns:atom="http://www.w3.org/2005/Atom"/><atom:link rel="latest-version" href="{url}$metadata" xmlns:atom="http://www.w3.org/2005/Atom"/>"#
    );
    x.push_str("</Schema></edmx:DataServices></edmx:Edmx>");
    x
}

fn entity_type(x: &mut String, ns: &str, set: &EntitySet) {
    let stream = if set.media {
        r#" m:HasStream="true""#
    } else {
        ""
    };
    let _ = write!(
        x,
        r#"<EntityType Name="{}"{stream} sap:label="{}" sap:content-version="1"><Key>"#,
        set.type_name,
        escape(set.label)
    );
    for (_, p) in set.keys() {
        let _ = write!(x, r#"<PropertyRef Name="{}"/>"#, p.name);
    }
    x.push_str("</Key>");
    for p in set.properties.iter().filter(|p| !p.hidden) {
        let _ = write!(
            x,
            r#"<Property Name="{}" Type="{}""#,
            p.name,
            p.ty.edm_name()
        );
        if p.key {
            x.push_str(r#" Nullable="false""#);
        }
        match (p.ty, p.max_len) {
            (EdmType::String, Some(n)) => {
                let _ = write!(x, r#" MaxLength="{n}""#);
            }
            (EdmType::DateTime, _) => x.push_str(r#" Precision="0""#),
            (EdmType::DateTimeOffset, _) => x.push_str(r#" Precision="7""#),
            _ => {}
        }
        if set.etag == Some(p.name) {
            x.push_str(r#" ConcurrencyMode="Fixed""#);
        }
        if p.ty == EdmType::String {
            x.push_str(r#" sap:unicode="false""#);
        }
        let _ = write!(x, r#" sap:label="{}""#, escape(p.label));
        if !p.creatable {
            x.push_str(r#" sap:creatable="false""#);
        }
        if !p.updatable {
            x.push_str(r#" sap:updatable="false""#);
        }
        if p.ty == EdmType::String && p.max_len.is_none() {
            // Long texts: Gateway cannot filter or sort on them.
            x.push_str(r#" sap:sortable="false" sap:filterable="false""#);
        }
        x.push_str("/>");
    }
    for nav in set.navigations {
        let name = association_name(set, nav.name);
        let _ = write!(
            x,
            r#"<NavigationProperty Name="{}" Relationship="{ns}.{name}" FromRole="FromRole_{name}" ToRole="ToRole_{name}"/>"#,
            nav.name
        );
    }
    x.push_str("</EntityType>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s4::edm::ServiceId;

    #[test]
    fn appointment_metadata_declares_profile_types_and_etag() {
        let doc = metadata_document(
            ServiceId::Appointments.service(),
            "http://h/sap/opu/odata/NAG/CRM_APPOINTMENT_SRV_01/",
        );
        assert!(
            doc.starts_with(r#"<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="1.0""#)
        );
        assert!(doc.contains(r#"<Property Name="Description" Type="Edm.String" MaxLength="40" sap:unicode="false" sap:label="Description"/>"#), "{doc}");
        assert!(doc.contains(r#"<Property Name="ChangedAt" Type="Edm.DateTimeOffset" Precision="7" ConcurrencyMode="Fixed""#));
        assert!(doc.contains(r#"<EntityType Name="Attachment" m:HasStream="true""#));
        assert!(doc.contains(r#"<NavigationProperty Name="Attendee" Relationship="CRM_APPOINTMENT_SRV_01.AppointmentAttendee""#));
        assert!(doc.contains(r#"<End Type="CRM_APPOINTMENT_SRV_01.Attendee" Multiplicity="*" Role="ToRole_AppointmentAttendee"/>"#));
        assert!(
            doc.contains(r#"href="http://h/sap/opu/odata/NAG/CRM_APPOINTMENT_SRV_01/$metadata""#)
        );
    }
}
