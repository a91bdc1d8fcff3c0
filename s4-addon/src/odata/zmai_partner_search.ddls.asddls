@AbapCatalog.sqlViewName: 'ZMAIPARTSEARCH'
@AbapCatalog.compiler.compareFilter: true
@AccessControl.authorizationCheck: #NOT_REQUIRED
@EndUserText.label: 'maiconnect: partners by e-mail address'
// The entity set PartnerAddressSet of maiconnect-odata/PROFILE.md: every
// e-mail address of a partner's addresses (BUT020 → ADR6). The search is
// case-insensitive through ADR6-SMTP_SRCH (upper case), which the service
// filters on.
define view ZMAI_PARTNER_SEARCH
  as select from but020 as Address
    inner join   but000 as Partner on Partner.partner = Address.partner
    inner join   adr6   as Mail    on  Mail.addrnumber = Address.addrnumber
                                   and Mail.persnumber = ''
{
  key Address.partner     as PartnerNo,
  key Address.addrnumber  as AddressNumber,
      Partner.type        as Category,
      concat_with_space( Partner.name_first, Partner.name_last, 1 ) as FullName,
      Mail.smtp_addr      as EmailAddress,
      Mail.smtp_srch      as EmailSearch,
      cast( case when Partner.persnumber <> '' then 'X' else '' end as abap.char(1) ) as IsEmployee
}
