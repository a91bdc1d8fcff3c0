"! <p class="shorttext synchronized">maiconnect: relationships in BUT050</p>
"! BUT050 as committed: during the BAdI BUPA_RELATSHP_UPDATE (before the
"! update task writes) this is the state before the change.
CLASS zcl_mai_relationship_reader_db DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    INTERFACES zif_mai_relationship_reader.

ENDCLASS.



CLASS zcl_mai_relationship_reader_db IMPLEMENTATION.

  METHOD zif_mai_relationship_reader~stored.
    DATA lt_found TYPE STANDARD TABLE OF zif_mai_event=>ty_relationship WITH EMPTY KEY.
    SELECT relnr, partner1, partner2, reltyp, date_from, date_to
      FROM but050
      WHERE relnr = @iv_relnr
        AND partner1 = @iv_partner1
        AND partner2 = @iv_partner2
      ORDER BY date_to DESCENDING
      INTO CORRESPONDING FIELDS OF TABLE @lt_found
      UP TO 1 ROWS.
    IF lt_found IS NOT INITIAL.
      rs_relationship = lt_found[ 1 ].
    ENDIF.
  ENDMETHOD.

ENDCLASS.
