@AbapCatalog.sqlViewName: 'ZMAICONTPERS'
@AbapCatalog.compiler.compareFilter: true
@AccessControl.authorizationCheck: #NOT_REQUIRED
@EndUserText.label: 'maiconnect: BP relationships (Relationships)'
// The entity set Relationships of maiconnect-odata/PROFILE.md: every BP
// relationship (BUT050), read with $filter=Partner1 eq '…' or Partner2 eq '…'.
define view ZMAI_CONTPERS
  as select from but050 as Relationship
    inner join   but000 as First  on First.partner = Relationship.partner1
    inner join   but000 as Second on Second.partner = Relationship.partner2
{
  key Relationship.relnr     as RelationshipNumber,
  key Relationship.partner1  as Partner1,
  key Relationship.partner2  as Partner2,
  key Relationship.date_to   as ValidTo,
      Relationship.reltyp    as RelationshipCategory,
      Relationship.date_from as ValidFrom,
      First.type             as Partner1Category,
      Second.type            as Partner2Category
}
where
  Relationship.xrf = ''
