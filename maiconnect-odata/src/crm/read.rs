//! Reads: activities, contacts, partners, employees, relationships.

use chrono::{DateTime, Utc};
use maiconnect_core::ids::{ActivityId, EmailAddress, PartnerNo, Version};
use maiconnect_core::model::{
    BusinessPartner, Contact, Employee, ObjectKind, PartnerCategory, Record, Relationship, S4Key,
};
use maiconnect_core::plan::state::S4Item;

use crate::crm::ODataCrm;
use crate::error::ODataError;
use crate::mapping::appointment::{self, AppointmentRead, AppointmentWire};
use crate::mapping::contact::{ContactWire, account_contact, choose_contact, contact_entry};
use crate::mapping::partner::{
    AccountWire, EmployeeWire, PartnerAddressWire, RelationshipWire, best_match,
};
use crate::mapping::task::{self, TaskRead, TaskWire};
use crate::profile::{Profile, ServiceId, appointment as appt};
use crate::wire::filter::Filter;
use crate::wire::json::{parse_entity, parse_page_map};
use crate::wire::literal::Literal;
use crate::wire::query::{Query, entity_path, with_query};

fn items<'a, W: serde::Deserialize<'a>, T>(
    body: &'a [u8],
    context: &str,
    f: impl Fn(W) -> Result<T, ODataError>,
) -> Result<(Vec<T>, Option<String>), ODataError> {
    let page = parse_page_map(body, context, f)?;
    Ok((page.results, page.next))
}

impl ODataCrm {
    /// Reads one appointment with attendees and attachments.
    pub async fn read_appointment(
        &self,
        id: ActivityId,
    ) -> Result<Option<AppointmentRead>, ODataError> {
        let attachments = self.profile().appointments.attachments;
        let path = with_query(
            &appointment::object(id),
            &[&Query::default()
                .expand(&[appt::NAV_ATTENDEE, attachments])
                .encode()],
        );
        let Some(r) = self
            .client
            .get_optional(ServiceId::Appointments, &path)
            .await?
        else {
            return Ok(None);
        };
        let w: AppointmentWire<'_> = parse_entity(&r.body, &format!("GET {path}"))?;
        appointment::read(w, r.etag(), &self.mapping).map(Some)
    }

    /// Reads one task with its attachments.
    pub async fn read_task(&self, id: ActivityId) -> Result<Option<TaskRead>, ODataError> {
        let path = with_query(
            &task::object(id),
            &[&Query::default()
                .expand(&[self.profile().tasks.attachments])
                .encode()],
        );
        let Some(r) = self.client.get_optional(ServiceId::Tasks, &path).await? else {
            return Ok(None);
        };
        let w: TaskWire<'_> = parse_entity(&r.body, &format!("GET {path}"))?;
        task::read(w, r.etag(), self.mapping.default_zone).map(Some)
    }

    /// Reads a contact person as an Outlook contact: from
    /// `ContactCollection` with the company of a customer, or — when the
    /// person has no customer–contact relationship, so that collection does
    /// not list them — from the account, without company.
    pub async fn read_contact(&self, partner: &PartnerNo) -> Result<Option<S4Item>, ODataError> {
        let q = Query::filter(Filter::eq("contactID", Literal::string(partner.as_str())))
            .expand(&["WorkAddress"]);
        let path = with_query("ContactCollection", &[&q.encode()]);
        let context = format!("GET {path}");
        let entries = self
            .client
            .read_pages(ServiceId::BusinessPartners, &path, |b| {
                items::<ContactWire<'_>, _>(b, &context, contact_entry)
            })
            .await?;
        let found = match choose_contact(entries) {
            Some(c) => Some(c),
            None => self.read_account_contact(partner).await?,
        };
        Ok(found.map(|(version, contact)| S4Item {
            key: S4Key::Contact(*partner),
            version,
            record: Record::Contact(Box::new(contact)),
            changed_at: None,
        }))
    }

    /// A person without a customer as a contact: the account's names and
    /// `eTag`, the e-mail from the partner search (which holds employees'
    /// addresses too). `None` when there is no such partner or it is an
    /// organisation.
    async fn read_account_contact(
        &self,
        partner: &PartnerNo,
    ) -> Result<Option<(Version, Contact)>, ODataError> {
        let path = entity_path("AccountCollection", &Literal::string(partner.as_str()));
        let Some(r) = self
            .client
            .get_optional(ServiceId::BusinessPartners, &path)
            .await?
        else {
            return Ok(None);
        };
        let account: AccountWire<'_> = parse_entity(&r.body, &format!("GET {path}"))?;
        if account.to_model()?.category == PartnerCategory::Organization {
            return Ok(None);
        }
        let found = self
            .addresses(Filter::eq("PartnerNo", Literal::string(partner.as_str())))
            .await?;
        account_contact(&account, best_match(found).and_then(|p| p.email))
    }

    pub(super) async fn read(&self, key: &S4Key) -> Result<Option<S4Item>, ODataError> {
        match key {
            S4Key::Appointment(id) => Ok(self.read_appointment(*id).await?.map(|r| r.item)),
            S4Key::Task(id) => Ok(self.read_task(*id).await?.map(|r| r.item)),
            S4Key::Contact(p) => self.read_contact(p).await,
        }
    }

    /// The path listing `kind` for `employee` in `[from, to)`, with the
    /// names of `profile`.
    pub fn listing_path(
        profile: &Profile,
        kind: ObjectKind,
        employee: &PartnerNo,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Option<String> {
        let from = Literal::DateTime(from.naive_utc());
        let to = Literal::DateTime(to.naive_utc());
        let emp = Literal::string(employee.as_str());
        match kind {
            ObjectKind::Appointment => {
                let f = Filter::eq("Responsible", emp)
                    .and(Filter::ge("ToDate", from))
                    .and(Filter::lt("FromDate", to));
                let q = Query::filter(f)
                    .expand(&[appt::NAV_ATTENDEE, profile.appointments.attachments]);
                Some(with_query(profile.appointments.set, &[&q.encode()]))
            }
            ObjectKind::Task => {
                // Tasks without a due date belong to every window.
                let due = Filter::eq("DueDate", Literal::Null)
                    .or(Filter::ge("DueDate", from).and(Filter::lt("DueDate", to)));
                let q = Query::filter(Filter::eq("ResponsibleId", emp).and(due))
                    .expand(&[profile.tasks.attachments]);
                Some(with_query(profile.tasks.set, &[&q.encode()]))
            }
            ObjectKind::Contact => None,
        }
    }

    pub(super) async fn list(
        &self,
        kind: ObjectKind,
        employee: &PartnerNo,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<S4Item>, ODataError> {
        let Some(path) = Self::listing_path(self.profile(), kind, employee, from, to) else {
            return Err(ODataError::Invalid(
                "contacts are not listed by window; read them by partner".into(),
            ));
        };
        let service = match kind {
            ObjectKind::Appointment => ServiceId::Appointments,
            _ => ServiceId::Tasks,
        };
        self.query_items(service, &path).await
    }

    /// The activities a query of the appointment or task service returns,
    /// over all its pages.
    pub(super) async fn query_items(
        &self,
        service: ServiceId,
        path: &str,
    ) -> Result<Vec<S4Item>, ODataError> {
        let context = format!("GET {path}");
        let cfg = &self.mapping;
        match service {
            ServiceId::Appointments => {
                self.client
                    .read_pages(service, path, |b| {
                        items::<AppointmentWire<'_>, _>(b, &context, |w| {
                            appointment::read_item(w, None, cfg)
                        })
                    })
                    .await
            }
            _ => {
                self.client
                    .read_pages(ServiceId::Tasks, path, |b| {
                        items::<TaskWire<'_>, _>(b, &context, |w| {
                            task::read(w, None, cfg.default_zone).map(|r| r.item)
                        })
                    })
                    .await
            }
        }
    }

    pub(super) async fn read_relationships(
        &self,
        partner: &PartnerNo,
    ) -> Result<Vec<Relationship>, ODataError> {
        let p = || Literal::string(partner.as_str());
        let f = Filter::eq("Partner1", p()).or(Filter::eq("Partner2", p()));
        let path = with_query("Relationships", &[&Query::filter(f).encode()]);
        let context = format!("GET {path}");
        self.client
            .read_pages(ServiceId::Relationships, &path, |b| {
                items::<RelationshipWire<'_>, _>(b, &context, |w| w.to_model())
            })
            .await
    }

    async fn addresses(&self, filter: Filter) -> Result<Vec<BusinessPartner>, ODataError> {
        let path = with_query("PartnerAddressSet", &[&Query::filter(filter).encode()]);
        let context = format!("GET {path}");
        self.client
            .read_pages(ServiceId::PartnerSearch, &path, |b| {
                items::<PartnerAddressWire<'_>, _>(b, &context, |w| w.to_model())
            })
            .await
    }

    pub(super) async fn read_partner(
        &self,
        partner: &PartnerNo,
    ) -> Result<Option<BusinessPartner>, ODataError> {
        let path = entity_path("AccountCollection", &Literal::string(partner.as_str()));
        let account = match self
            .client
            .get_optional(ServiceId::BusinessPartners, &path)
            .await?
        {
            Some(r) => {
                Some(parse_entity::<AccountWire<'_>>(&r.body, &format!("GET {path}"))?.to_model()?)
            }
            None => None,
        };
        let rows = self
            .addresses(Filter::eq("PartnerNo", Literal::string(partner.as_str())))
            .await?;
        let best = best_match(rows);
        Ok(match (account, best) {
            (Some(mut a), Some(b)) => {
                a.email = b.email;
                a.is_employee = b.is_employee;
                Some(a)
            }
            (a, b) => a.or(b),
        })
    }

    pub(super) async fn search_partner(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<BusinessPartner>, ODataError> {
        let rows = self
            .addresses(Filter::eq("EmailAddress", Literal::string(email.as_str())))
            .await?;
        Ok(best_match(rows))
    }

    pub(super) async fn read_employee(
        &self,
        partner: &PartnerNo,
    ) -> Result<Option<Employee>, ODataError> {
        let path = entity_path("Employees", &Literal::string(partner.as_str()));
        match self
            .client
            .get_optional(ServiceId::Employees, &path)
            .await?
        {
            Some(r) => parse_entity::<EmployeeWire<'_>>(&r.body, &format!("GET {path}"))?
                .to_model()
                .map(Some),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::profile::{EXTENDED, STANDARD};

    #[test]
    fn listings_filter_by_employee_and_window() {
        let from = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2026, 12, 31, 0, 0, 0).unwrap();
        let emp: PartnerNo = "4711".parse().unwrap();
        let p = ODataCrm::listing_path(&EXTENDED, ObjectKind::Appointment, &emp, from, to).unwrap();
        let url = url::Url::parse(&format!("http://h/{p}")).unwrap();
        let q: std::collections::BTreeMap<String, String> =
            url.query_pairs().into_owned().collect();
        assert_eq!(url.path(), "/AppointmentSet");
        assert_eq!(
            q["$filter"],
            "Responsible eq '0000004711' and ToDate ge datetime'2026-11-01T00:00:00' and FromDate lt datetime'2026-12-31T00:00:00'"
        );
        assert_eq!(q["$expand"], "Attendee,Attachments");
        let t = ODataCrm::listing_path(&EXTENDED, ObjectKind::Task, &emp, from, to).unwrap();
        let url = url::Url::parse(&format!("http://h/{t}")).unwrap();
        let q: std::collections::BTreeMap<String, String> =
            url.query_pairs().into_owned().collect();
        assert_eq!(
            q["$filter"],
            "ResponsibleId eq '0000004711' and (DueDate eq null or (DueDate ge datetime'2026-11-01T00:00:00' and DueDate lt datetime'2026-12-31T00:00:00'))"
        );
        assert!(ODataCrm::listing_path(&EXTENDED, ObjectKind::Contact, &emp, from, to).is_none());
        let s = ODataCrm::listing_path(&STANDARD, ObjectKind::Appointment, &emp, from, to).unwrap();
        assert!(
            s.contains("$expand=Attendee%2CAppointmentToAttachment"),
            "{s}"
        );
    }
}
