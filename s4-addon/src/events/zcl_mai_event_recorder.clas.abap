"! <p class="shorttext synchronized">maiconnect: records events as outbox rows</p>
"! Called by the CRM event handler, the BUS1006 receiver and the BAdI
"! BUPA_RELATSHP_UPDATE during the business change. It never calls the hub:
"! it hands rows to the outbox store, which writes them in the same logical
"! unit of work as the change (the update task), so a rolled-back change
"! leaves no row and a committed one always has its row. The sender posts
"! the rows later (report ZMAI_EVENT_SENDER).
CLASS zcl_mai_event_recorder DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    METHODS constructor
      IMPORTING io_store  TYPE REF TO zif_mai_outbox_store
                io_system TYPE REF TO zif_mai_system
                io_filter TYPE REF TO zcl_mai_event_filter.

    "! An appointment or task saved or deleted; recorded only for the
    "! transaction types in ZMAI_FILTER.
    METHODS activity
      IMPORTING iv_object_type     TYPE zif_mai_event=>ty_object_type
                iv_guid            TYPE xsequence
                iv_process_type    TYPE csequence
                iv_change          TYPE zif_mai_event=>ty_change
      RETURNING VALUE(rv_recorded) TYPE abap_bool.

    "! A business partner created, changed or deleted.
    METHODS partner
      IMPORTING iv_partner         TYPE csequence
                iv_change          TYPE zif_mai_event=>ty_change
      RETURNING VALUE(rv_recorded) TYPE abap_bool.

    "! A relationship before and after the change (before initial: created;
    "! after initial: deleted); recorded only for the categories in
    "! ZMAI_FILTER, and only when something the hub reads changed.
    METHODS relationship
      IMPORTING is_before          TYPE zif_mai_event=>ty_relationship
                is_after           TYPE zif_mai_event=>ty_relationship
      RETURNING VALUE(rv_recorded) TYPE abap_bool.

    "! created, changed, deleted, or empty when nothing the hub reads changed.
    CLASS-METHODS relationship_change
      IMPORTING is_before        TYPE zif_mai_event=>ty_relationship
                is_after         TYPE zif_mai_event=>ty_relationship
      RETURNING VALUE(rv_change) TYPE zif_mai_event=>ty_change.

  PRIVATE SECTION.
    "! Rows recorded in this session so far: ORDINAL orders the rows of
    "! one session that share a clock tick (CREATED_AT), so the sender
    "! sends them in the order they were recorded. Rows of one object from
    "! different sessions cannot share a tick: the object's lock keeps
    "! their saves apart.
    CLASS-DATA gv_ordinal TYPE i.

    DATA mo_store TYPE REF TO zif_mai_outbox_store.
    DATA mo_system TYPE REF TO zif_mai_system.
    DATA mo_filter TYPE REF TO zcl_mai_event_filter.

    METHODS new_row
      IMPORTING iv_object_type TYPE zif_mai_event=>ty_object_type
                iv_key         TYPE csequence
                iv_change      TYPE zif_mai_event=>ty_change
      RETURNING VALUE(rs_row)  TYPE zmai_outbox.

    METHODS add
      IMPORTING is_row TYPE zmai_outbox.

ENDCLASS.



CLASS zcl_mai_event_recorder IMPLEMENTATION.

  METHOD constructor.
    mo_store = io_store.
    mo_system = io_system.
    mo_filter = io_filter.
  ENDMETHOD.

  METHOD activity.
    IF mo_filter->is_wanted( iv_object_type = iv_object_type iv_code = iv_process_type ) = abap_false.
      RETURN.
    ENDIF.
    add( new_row( iv_object_type = iv_object_type
                  iv_key = zcl_mai_event_payload=>activity_key( iv_guid )
                  iv_change = iv_change ) ).
    rv_recorded = abap_true.
  ENDMETHOD.

  METHOD partner.
    IF iv_partner IS INITIAL.
      RETURN.
    ENDIF.
    add( new_row( iv_object_type = zif_mai_event=>c_object_type-partner
                  iv_key = zcl_mai_event_payload=>partner_key( iv_partner )
                  iv_change = iv_change ) ).
    rv_recorded = abap_true.
  ENDMETHOD.

  METHOD relationship.
    DATA ls_relationship TYPE zif_mai_event=>ty_relationship.
    DATA(lv_change) = relationship_change( is_before = is_before is_after = is_after ).
    IF lv_change IS INITIAL.
      RETURN.
    ENDIF.
    IF lv_change = zif_mai_event=>c_change-deleted.
      ls_relationship = is_before.
    ELSE.
      ls_relationship = is_after.
    ENDIF.
    IF mo_filter->is_wanted( iv_object_type = zif_mai_event=>c_object_type-relationship
                             iv_code = ls_relationship-reltyp ) = abap_false.
      RETURN.
    ENDIF.
    DATA(ls_row) = new_row( iv_object_type = zif_mai_event=>c_object_type-relationship
                            iv_key = zcl_mai_event_payload=>relationship_key( ls_relationship )
                            iv_change = lv_change ).
    ls_row-rel_kind = ls_relationship-reltyp.
    ls_row-rel_from = zcl_mai_event_payload=>partner_key( ls_relationship-partner1 ).
    ls_row-rel_to = zcl_mai_event_payload=>partner_key( ls_relationship-partner2 ).
    ls_row-rel_valid_from = ls_relationship-date_from.
    ls_row-rel_valid_to = ls_relationship-date_to.
    add( ls_row ).
    rv_recorded = abap_true.
  ENDMETHOD.

  METHOD relationship_change.
    IF is_before IS INITIAL AND is_after IS INITIAL.
      RETURN.
    ELSEIF is_before IS INITIAL.
      rv_change = zif_mai_event=>c_change-created.
    ELSEIF is_after IS INITIAL.
      rv_change = zif_mai_event=>c_change-deleted.
    ELSEIF is_before-reltyp <> is_after-reltyp
        OR is_before-partner1 <> is_after-partner1
        OR is_before-partner2 <> is_after-partner2
        OR is_before-date_from <> is_after-date_from
        OR is_before-date_to <> is_after-date_to.
      rv_change = zif_mai_event=>c_change-changed.
    ENDIF.
  ENDMETHOD.

  METHOD new_row.
    DATA(lv_now) = mo_system->now( ).
    gv_ordinal = gv_ordinal + 1.
    rs_row-event_id = mo_system->new_event_id( ).
    rs_row-created_at = lv_now.
    rs_row-ordinal = gv_ordinal.
    rs_row-object_type = iv_object_type.
    rs_row-object_key = iv_key.
    rs_row-change_kind = iv_change.
    rs_row-changed_at = zcl_mai_time=>to_seconds( lv_now ).
    rs_row-status = zif_mai_event=>c_status-new.
    rs_row-created_by = sy-uname.
  ENDMETHOD.

  METHOD add.
    DATA lt_rows TYPE zif_mai_event=>ty_rows.
    APPEND is_row TO lt_rows.
    mo_store->add( lt_rows ).
  ENDMETHOD.

ENDCLASS.
