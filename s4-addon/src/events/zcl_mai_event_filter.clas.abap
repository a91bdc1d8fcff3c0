"! <p class="shorttext synchronized">maiconnect: which activities/relationships are sent</p>
"! ZMAI_FILTER names the transaction types (BUS2000126, BUS2000125) and
"! the relationship categories (relationship) that are sent to the hub;
"! what is not listed is not recorded at all. Business partner events
"! (BUS1006) are always sent: the hub knows which mailboxes hold a contact.
CLASS zcl_mai_event_filter DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    METHODS constructor
      IMPORTING it_filters TYPE zif_mai_config=>ty_filters.

    METHODS is_wanted
      IMPORTING iv_object_type   TYPE zif_mai_event=>ty_object_type
                iv_code          TYPE csequence OPTIONAL
      RETURNING VALUE(rv_wanted) TYPE abap_bool.

  PRIVATE SECTION.
    DATA mt_filters TYPE SORTED TABLE OF zif_mai_config=>ty_filter WITH UNIQUE KEY object_type code.

ENDCLASS.



CLASS zcl_mai_event_filter IMPLEMENTATION.

  METHOD constructor.
    DATA ls_filter TYPE zif_mai_config=>ty_filter.
    LOOP AT it_filters INTO ls_filter.
      ls_filter-code = to_upper( ls_filter-code ).
      INSERT ls_filter INTO TABLE mt_filters.
    ENDLOOP.
  ENDMETHOD.

  METHOD is_wanted.
    DATA lv_code TYPE c LENGTH 6.
    CASE iv_object_type.
      WHEN zif_mai_event=>c_object_type-partner.
        rv_wanted = abap_true.
      WHEN zif_mai_event=>c_object_type-appointment
          OR zif_mai_event=>c_object_type-task
          OR zif_mai_event=>c_object_type-relationship.
        lv_code = to_upper( iv_code ).
        rv_wanted = boolc( lv_code IS NOT INITIAL
                           AND line_exists( mt_filters[ object_type = iv_object_type code = lv_code ] ) ).
      WHEN OTHERS.
        rv_wanted = abap_false.
    ENDCASE.
  ENDMETHOD.

ENDCLASS.
