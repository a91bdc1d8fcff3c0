"! <p class="shorttext synchronized">maiconnect: entry points of the event handlers</p>
"! What the CRM event handler (function group ZMAI_EVENTS, registered in
"! CRMV_EVENT), the BUS1006 receiver (SWE2) and the relationship BAdI call.
"! Each records outbox rows and returns at once: no HTTP, no commit, no
"! error that could stop the user's save. A failure to record is written
"! to SLG1 (object ZMAICONNECT, subobject EVENTS) instead, because an
"! exception here would cancel the business change.
CLASS zcl_mai_events DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    "! A one-order document is being saved (CRMV_EVENT: SAVE).
    CLASS-METHODS activity_saved
      IMPORTING iv_guid TYPE xsequence.

    "! A one-order document is being deleted (CRMV_EVENT: DELETE).
    CLASS-METHODS activity_deleted
      IMPORTING iv_guid TYPE xsequence.

    "! BUS1006 CREATED, CHANGED or DELETED (SWE2 receiver).
    CLASS-METHODS partner_event
      IMPORTING iv_partner TYPE csequence
                iv_event   TYPE csequence.

    "! A relationship is being written (BAdI BUPA_RELATSHP_UPDATE): its
    "! state after the change; is_after initial when it is deleted.
    CLASS-METHODS relationship_changed
      IMPORTING is_key   TYPE zif_mai_event=>ty_relationship
                is_after TYPE zif_mai_event=>ty_relationship.

  PRIVATE SECTION.
    CLASS-METHODS recorder
      RETURNING VALUE(ro_recorder) TYPE REF TO zcl_mai_event_recorder.

    CLASS-METHODS activity
      IMPORTING iv_guid    TYPE xsequence
                iv_deleted TYPE abap_bool.

    CLASS-METHODS report
      IMPORTING ix_error TYPE REF TO cx_root.

ENDCLASS.



CLASS zcl_mai_events IMPLEMENTATION.

  METHOD recorder.
    DATA(lo_config) = NEW zcl_mai_config_db( ).
    ro_recorder = NEW #( io_store = NEW zcl_mai_outbox_store_db( )
                         io_system = NEW zcl_mai_system_default( )
                         io_filter = NEW zcl_mai_event_filter( lo_config->zif_mai_config~filters( ) ) ).
  ENDMETHOD.

  METHOD activity_saved.
    activity( iv_guid = iv_guid iv_deleted = abap_false ).
  ENDMETHOD.

  METHOD activity_deleted.
    activity( iv_guid = iv_guid iv_deleted = abap_true ).
  ENDMETHOD.

  METHOD activity.
    DATA lv_change TYPE zif_mai_event=>ty_change.
    TRY.
        DATA(ls_header) = NEW zcl_mai_activity_reader_crm( )->zif_mai_activity_reader~header( iv_guid ).
        IF ls_header-object_type IS INITIAL.
          RETURN.
        ENDIF.
        IF iv_deleted = abap_true.
          lv_change = zif_mai_event=>c_change-deleted.
        ELSEIF ls_header-is_new = abap_true.
          lv_change = zif_mai_event=>c_change-created.
        ELSE.
          lv_change = zif_mai_event=>c_change-changed.
        ENDIF.
        recorder( )->activity( iv_object_type = ls_header-object_type
                               iv_guid = iv_guid
                               iv_process_type = ls_header-process_type
                               iv_change = lv_change ).
      CATCH cx_root INTO DATA(lx_error).
        report( lx_error ).
    ENDTRY.
  ENDMETHOD.

  METHOD partner_event.
    DATA lv_change TYPE zif_mai_event=>ty_change.
    CASE to_upper( iv_event ).
      WHEN 'CREATED'.
        lv_change = zif_mai_event=>c_change-created.
      WHEN 'DELETED'.
        lv_change = zif_mai_event=>c_change-deleted.
      WHEN OTHERS.
        lv_change = zif_mai_event=>c_change-changed.
    ENDCASE.
    TRY.
        recorder( )->partner( iv_partner = iv_partner iv_change = lv_change ).
      CATCH cx_root INTO DATA(lx_error).
        report( lx_error ).
    ENDTRY.
  ENDMETHOD.

  METHOD relationship_changed.
    TRY.
        DATA(ls_before) = NEW zcl_mai_relationship_reader_db( )->zif_mai_relationship_reader~stored(
                            iv_relnr = is_key-relnr iv_partner1 = is_key-partner1 iv_partner2 = is_key-partner2 ).
        recorder( )->relationship( is_before = ls_before is_after = is_after ).
      CATCH cx_root INTO DATA(lx_error).
        report( lx_error ).
    ENDTRY.
  ENDMETHOD.

  METHOD report.
    " Into SLG1 over a second database connection: the business change may
    " still roll back, the note that an event is missing must stay.
    DATA(lo_log) = NEW zcl_mai_log_bal( iv_subobject = zcl_mai_log_bal=>c_subobject_events
                                        iv_own_connection = abap_true ).
    lo_log->zif_mai_log~add( iv_severity = zif_mai_log=>c_severity-error
                             iv_text = |Event not recorded: { ix_error->get_text( ) }| ).
    lo_log->zif_mai_log~save( ).
  ENDMETHOD.

ENDCLASS.
