@AbapCatalog.sqlViewName: 'ZMAIEMPLOYEE'
@AbapCatalog.compiler.compareFilter: true
@AccessControl.authorizationCheck: #NOT_REQUIRED
@EndUserText.label: 'maiconnect: employees with user and e-mail'
// The entity set Employees of maiconnect-odata/PROFILE.md: business partners
// that are SAP users (BUT000-PERSNUMBER = USR21-PERSNUMBER), with the
// standard e-mail address of the user's workplace address (ADR6).
define view ZMAI_EMPLOYEE
  as select from but000 as Partner
    inner join   usr21  as UserLink on UserLink.persnumber = Partner.persnumber
    left outer join adr6 as Mail    on  Mail.addrnumber = UserLink.addrnumber
                                    and Mail.persnumber = UserLink.persnumber
                                    and Mail.flgdefault = 'X'
{
  key Partner.partner   as EmployeeBP,
      UserLink.bname    as UserName,
      Mail.smtp_addr    as EmailAddress,
      concat_with_space( Partner.name_first, Partner.name_last, 1 ) as FullName
}
where
  Partner.persnumber <> ''
