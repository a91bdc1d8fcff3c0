"! <p class="shorttext synchronized">maiconnect: BP relationship as stored</p>
INTERFACE zif_mai_relationship_reader PUBLIC.

  "! The relationship as the database holds it before this change;
  "! initial when it is not there yet.
  METHODS stored
    IMPORTING iv_relnr               TYPE csequence
              iv_partner1            TYPE csequence
              iv_partner2            TYPE csequence
    RETURNING VALUE(rs_relationship) TYPE zif_mai_event=>ty_relationship.

ENDINTERFACE.
