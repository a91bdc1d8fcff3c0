"! <p class="shorttext synchronized">maiconnect: BAdI BUPA_RELATSHP_UPDATE</p>
"! Implementation of the classic BAdI BUPA_RELATSHP_UPDATE (implementation
"! ZMAI_BUPA_RELATSHP_UPDATE, SE19): for every relationship about to be
"! written it hands the key and the new state to ZCL_MAI_EVENTS, which
"! compares them with BUT050 (still the old state at this point) and
"! records created, changed or deleted in the outbox, through the update
"! task, so the row is written only if the relationship is.
"!
"! Check on import: the method and parameter names below are those of the
"! BAdI interface on S/4HANA 1909 as documented for it (SE18: interface
"! IF_EX_BUPA_RELATSHP_UPDATE, method CHANGE_BEFORE_UPDATE, table of changed
"! relationships IT_CHANGED_INSTANCES with RELNR, PARTNER1, PARTNER2,
"! DATE_TO). They could not be checked without an SAP system; if your
"! release differs, only the mapping in this method changes.
CLASS zcl_mai_bupa_relatshp_update DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    INTERFACES if_ex_bupa_relatshp_update.

ENDCLASS.



CLASS zcl_mai_bupa_relatshp_update IMPLEMENTATION.

  METHOD if_ex_bupa_relatshp_update~change_before_update.
    DATA ls_key TYPE zif_mai_event=>ty_relationship.
    DATA ls_after TYPE zif_mai_event=>ty_relationship.
    DATA lt_but050 TYPE STANDARD TABLE OF but050 WITH EMPTY KEY.

    LOOP AT it_changed_instances ASSIGNING FIELD-SYMBOL(<ls_changed>).
      CLEAR: ls_key, ls_after, lt_but050.
      ls_key-relnr = <ls_changed>-relnr.
      ls_key-partner1 = <ls_changed>-partner1.
      ls_key-partner2 = <ls_changed>-partner2.
      " The state to be written, from the BP relationship memory.
      CALL FUNCTION 'BUB_BUPR_BUT050_GET'
        EXPORTING
          iv_relnr    = ls_key-relnr
          iv_partner1 = ls_key-partner1
          iv_partner2 = ls_key-partner2
        TABLES
          et_but050   = lt_but050
        EXCEPTIONS
          OTHERS      = 1.
      IF sy-subrc = 0 AND lt_but050 IS NOT INITIAL.
        SORT lt_but050 BY date_to DESCENDING.
        ls_after = CORRESPONDING #( lt_but050[ 1 ] ).
      ENDIF.
      zcl_mai_events=>relationship_changed( is_key = ls_key is_after = ls_after ).
    ENDLOOP.
  ENDMETHOD.

ENDCLASS.
