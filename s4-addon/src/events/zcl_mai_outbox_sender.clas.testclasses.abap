CLASS ltd_store DEFINITION FINAL FOR TESTING.
  PUBLIC SECTION.
    INTERFACES zif_mai_outbox_store.
    "! the table as the database would hold it
    DATA mt_rows TYPE zif_mai_event=>ty_rows.
    DATA mv_saves TYPE i.
    DATA mv_deleted_before TYPE timestamp.
ENDCLASS.


CLASS ltd_store IMPLEMENTATION.
  METHOD zif_mai_outbox_store~add.
    APPEND LINES OF it_rows TO mt_rows.
  ENDMETHOD.
  METHOD zif_mai_outbox_store~open_rows.
    LOOP AT mt_rows INTO DATA(ls_row)
        WHERE status = zif_mai_event=>c_status-new OR status = zif_mai_event=>c_status-retrying.
      APPEND ls_row TO rt_rows.
      IF lines( rt_rows ) >= iv_max.
        RETURN.
      ENDIF.
    ENDLOOP.
  ENDMETHOD.
  METHOD zif_mai_outbox_store~save.
    mv_saves = mv_saves + 1.
    LOOP AT it_rows INTO DATA(ls_row).
      MODIFY mt_rows FROM ls_row TRANSPORTING status attempts next_try_at sent_at last_error
        WHERE event_id = ls_row-event_id.
    ENDLOOP.
  ENDMETHOD.
  METHOD zif_mai_outbox_store~delete_sent_before.
    mv_deleted_before = iv_before.
    LOOP AT mt_rows TRANSPORTING NO FIELDS WHERE status = zif_mai_event=>c_status-sent AND sent_at < iv_before.
      rv_count = rv_count + 1.
    ENDLOOP.
    DELETE mt_rows WHERE status = zif_mai_event=>c_status-sent AND sent_at < iv_before.
  ENDMETHOD.
ENDCLASS.


CLASS ltd_hub DEFINITION FINAL FOR TESTING.
  PUBLIC SECTION.
    INTERFACES zif_mai_hub_client.
    "! answers in order; the last one repeats
    DATA mt_answers TYPE STANDARD TABLE OF zif_mai_hub_client=>ty_response WITH EMPTY KEY.
    "! bodies posted
    DATA mt_bodies TYPE string_table.
    "! refuse (400) every body containing this text
    DATA mv_refuse TYPE string.
ENDCLASS.


CLASS ltd_hub IMPLEMENTATION.
  METHOD zif_mai_hub_client~post.
    APPEND iv_json TO mt_bodies.
    IF mv_refuse IS NOT INITIAL AND iv_json CS mv_refuse.
      rs_response = VALUE #( status = 400 reason = `Bad Request` body = `{"error":"objectKey"}` ).
      RETURN.
    ENDIF.
    IF lines( mt_answers ) = 0.
      rs_response = VALUE #( status = 202 reason = `Accepted` ).
    ELSEIF lines( mt_answers ) = 1.
      rs_response = mt_answers[ 1 ].
    ELSE.
      rs_response = mt_answers[ 1 ].
      DELETE mt_answers INDEX 1.
    ENDIF.
  ENDMETHOD.
ENDCLASS.


CLASS ltd_log DEFINITION FINAL FOR TESTING.
  PUBLIC SECTION.
    INTERFACES zif_mai_log.
    DATA mt_messages TYPE string_table.
    DATA mv_saved TYPE i.
ENDCLASS.


CLASS ltd_log IMPLEMENTATION.
  METHOD zif_mai_log~add.
    APPEND |{ iv_severity } { iv_text }| TO mt_messages.
  ENDMETHOD.
  METHOD zif_mai_log~save.
    mv_saved = mv_saved + 1.
  ENDMETHOD.
ENDCLASS.


CLASS ltd_system DEFINITION FINAL FOR TESTING.
  PUBLIC SECTION.
    INTERFACES zif_mai_system.
    DATA mv_now TYPE timestampl VALUE '20261127100000'.
ENDCLASS.


CLASS ltd_system IMPLEMENTATION.
  METHOD zif_mai_system~now.
    rv_now = mv_now.
  ENDMETHOD.
  METHOD zif_mai_system~new_event_id.
    rv_id = `unused`.
  ENDMETHOD.
ENDCLASS.


CLASS ltcl_sender DEFINITION FINAL FOR TESTING DURATION SHORT RISK LEVEL HARMLESS.
  PRIVATE SECTION.
    DATA mo_store TYPE REF TO ltd_store.
    DATA mo_hub TYPE REF TO ltd_hub.
    DATA mo_log TYPE REF TO ltd_log.
    DATA mo_system TYPE REF TO ltd_system.
    DATA mo_cut TYPE REF TO zcl_mai_outbox_sender.

    METHODS setup.
    METHODS given
      IMPORTING iv_id  TYPE string
                iv_key TYPE string.
    METHODS status_of
      IMPORTING iv_id            TYPE string
      RETURNING VALUE(rv_status) TYPE char1.
    METHODS row_of
      IMPORTING iv_id         TYPE string
      RETURNING VALUE(rs_row) TYPE zmai_outbox.

    METHODS due_rows_are_posted_in_batches FOR TESTING.
    METHODS one_row_is_posted_as_an_object FOR TESTING.
    METHODS hub_down_is_asked_once FOR TESTING.
    METHODS rows_wait_for_their_back_off FOR TESTING.
    METHODS they_go_when_the_hub_is_back FOR TESTING.
    METHODS a_refused_batch_is_split FOR TESTING.
    METHODS rows_failing_long_are_reported FOR TESTING.
    METHODS sent_rows_are_cleaned_up FOR TESTING.
    METHODS nothing_due_nothing_posted FOR TESTING.
ENDCLASS.


CLASS ltcl_sender IMPLEMENTATION.

  METHOD setup.
    mo_store = NEW #( ).
    mo_hub = NEW #( ).
    mo_log = NEW #( ).
    mo_system = NEW #( ).
    mo_cut = NEW #( io_store = mo_store io_hub = mo_hub io_log = mo_log io_system = mo_system
                    is_settings = VALUE #( batch_size = 2 max_delay = 3600 warn_after = 3 retain_days = 7 ) ).
  ENDMETHOD.

  METHOD given.
    APPEND VALUE #( event_id = iv_id object_type = zif_mai_event=>c_object_type-partner object_key = iv_key
                    change_kind = zif_mai_event=>c_change-changed changed_at = '20261127095900'
                    status = zif_mai_event=>c_status-new ) TO mo_store->mt_rows.
  ENDMETHOD.

  METHOD status_of.
    rv_status = row_of( iv_id )-status.
  ENDMETHOD.

  METHOD row_of.
    READ TABLE mo_store->mt_rows INTO rs_row WITH KEY event_id = iv_id.
    cl_abap_unit_assert=>assert_subrc( msg = |no row { iv_id }| ).
  ENDMETHOD.

  METHOD due_rows_are_posted_in_batches.
    given( iv_id = `e1` iv_key = `0000000001` ).
    given( iv_id = `e2` iv_key = `0000000002` ).
    given( iv_id = `e3` iv_key = `0000000001` ).
    DATA(ls_summary) = mo_cut->run( ).
    cl_abap_unit_assert=>assert_equals( act = ls_summary-posts exp = 2 ).
    cl_abap_unit_assert=>assert_equals( act = ls_summary-sent exp = 3 ).
    cl_abap_unit_assert=>assert_equals( act = mo_hub->mt_bodies[ 1 ]
      exp = `[{"eventId":"e1","objectType":"BUS1006","objectKey":"0000000001","change":"changed",`
         && `"changedAt":"2026-11-27T09:59:00Z"},{"eventId":"e2","objectType":"BUS1006","objectKey":"0000000002",`
         && `"change":"changed","changedAt":"2026-11-27T09:59:00Z"}]` ).
    cl_abap_unit_assert=>assert_equals( act = status_of( `e3` ) exp = zif_mai_event=>c_status-sent ).
    cl_abap_unit_assert=>assert_equals( act = row_of( `e3` )-sent_at exp = '20261127100000' ).
    cl_abap_unit_assert=>assert_equals( act = mo_store->mv_saves exp = 2 ).
    cl_abap_unit_assert=>assert_equals( act = lines( mo_log->mt_messages ) exp = 0 ).
  ENDMETHOD.

  METHOD one_row_is_posted_as_an_object.
    given( iv_id = `e1` iv_key = `0000000001` ).
    mo_cut->run( ).
    cl_abap_unit_assert=>assert_equals( act = substring( val = mo_hub->mt_bodies[ 1 ] len = 1 ) exp = `{` ).
  ENDMETHOD.

  METHOD hub_down_is_asked_once.
    given( iv_id = `e1` iv_key = `0000000001` ).
    given( iv_id = `e2` iv_key = `0000000002` ).
    given( iv_id = `e3` iv_key = `0000000003` ).
    APPEND VALUE #( status = 503 reason = `Service Unavailable` ) TO mo_hub->mt_answers.
    DATA(ls_summary) = mo_cut->run( ).
    cl_abap_unit_assert=>assert_equals( act = ls_summary-posts exp = 1 ).
    cl_abap_unit_assert=>assert_equals( act = ls_summary-retried exp = 2 ).
    cl_abap_unit_assert=>assert_equals( act = status_of( `e1` ) exp = zif_mai_event=>c_status-retrying ).
    cl_abap_unit_assert=>assert_equals( act = row_of( `e1` )-next_try_at exp = '20261127100100' ).
    cl_abap_unit_assert=>assert_equals( act = row_of( `e1` )-last_error exp = 'HTTP 503 Service Unavailable' ).
    cl_abap_unit_assert=>assert_equals( act = status_of( `e3` ) exp = zif_mai_event=>c_status-new ).
    cl_abap_unit_assert=>assert_equals( act = lines( mo_log->mt_messages ) exp = 1 ).
    cl_abap_unit_assert=>assert_equals( act = mo_log->mt_messages[ 1 ]
      exp = `E The hub did not take 2 event(s): HTTP 503 Service Unavailable` ).
    cl_abap_unit_assert=>assert_equals( act = mo_log->mv_saved exp = 1 ).
  ENDMETHOD.

  METHOD rows_wait_for_their_back_off.
    given( iv_id = `e1` iv_key = `0000000001` ).
    APPEND VALUE #( status = 0 reason = `connection refused` ) TO mo_hub->mt_answers.
    mo_cut->run( ).
    given( iv_id = `e2` iv_key = `0000000001` ).
    given( iv_id = `e3` iv_key = `0000000002` ).
    " Thirty seconds later: e1 waits, e2 waits behind it, e3 goes.
    CLEAR mo_hub->mt_answers.
    mo_system->mv_now = '20261127100030'.
    mo_cut->run( ).
    cl_abap_unit_assert=>assert_equals( act = lines( mo_hub->mt_bodies ) exp = 2 ).
    cl_abap_unit_assert=>assert_equals( act = status_of( `e3` ) exp = zif_mai_event=>c_status-sent ).
    cl_abap_unit_assert=>assert_equals( act = status_of( `e2` ) exp = zif_mai_event=>c_status-new ).
    cl_abap_unit_assert=>assert_equals( act = row_of( `e1` )-last_error exp = 'no answer: connection refused' ).
  ENDMETHOD.

  METHOD they_go_when_the_hub_is_back.
    given( iv_id = `e1` iv_key = `0000000001` ).
    given( iv_id = `e2` iv_key = `0000000001` ).
    APPEND VALUE #( status = 503 reason = `Service Unavailable` ) TO mo_hub->mt_answers.
    mo_cut->run( ).
    CLEAR mo_hub->mt_answers.
    mo_system->mv_now = '20261127100100'.
    DATA(ls_summary) = mo_cut->run( ).
    cl_abap_unit_assert=>assert_equals( act = ls_summary-sent exp = 2 ).
    cl_abap_unit_assert=>assert_equals( act = row_of( `e1` )-attempts exp = 2 ).
    cl_abap_unit_assert=>assert_equals( act = row_of( `e2` )-last_error exp = '' ).
  ENDMETHOD.

  METHOD a_refused_batch_is_split.
    given( iv_id = `e1` iv_key = `0000000001` ).
    given( iv_id = `bad` iv_key = `0000000002` ).
    mo_hub->mv_refuse = `"bad"`.
    DATA(ls_summary) = mo_cut->run( ).
    " the batch, then each row on its own
    cl_abap_unit_assert=>assert_equals( act = ls_summary-posts exp = 3 ).
    cl_abap_unit_assert=>assert_equals( act = status_of( `e1` ) exp = zif_mai_event=>c_status-sent ).
    cl_abap_unit_assert=>assert_equals( act = status_of( `bad` ) exp = zif_mai_event=>c_status-failed ).
    cl_abap_unit_assert=>assert_equals( act = row_of( `bad` )-last_error
                                        exp = 'HTTP 400 Bad Request: {"error":"objectKey"}' ).
    cl_abap_unit_assert=>assert_equals( act = ls_summary-failed exp = 1 ).
    cl_abap_unit_assert=>assert_equals( act = lines( mo_log->mt_messages ) exp = 1 ).
    " A failed row is not tried again by the sender.
    ls_summary = mo_cut->run( ).
    cl_abap_unit_assert=>assert_equals( act = ls_summary-posts exp = 0 ).
  ENDMETHOD.

  METHOD rows_failing_long_are_reported.
    given( iv_id = `e1` iv_key = `0000000001` ).
    APPEND VALUE #( status = 401 reason = `Unauthorized` ) TO mo_hub->mt_answers.
    DO 3 TIMES.
      mo_cut->run( ).
      mo_system->mv_now = zcl_mai_time=>add_seconds( iv_timestamp = zcl_mai_time=>to_seconds( mo_system->mv_now )
                                                     iv_seconds = 3600 ).
    ENDDO.
    cl_abap_unit_assert=>assert_equals( act = row_of( `e1` )-attempts exp = 3 ).
    cl_abap_unit_assert=>assert_equals( act = lines( mo_log->mt_messages ) exp = 4 ).
    cl_abap_unit_assert=>assert_equals( act = mo_log->mt_messages[ 4 ]
      exp = `W Event e1 (BUS1006 0000000001) not delivered after 3 tries; see report ZMAI_OUTBOX_MONITOR` ).
    " Never given up.
    mo_cut->run( ).
    cl_abap_unit_assert=>assert_equals( act = status_of( `e1` ) exp = zif_mai_event=>c_status-retrying ).
  ENDMETHOD.

  METHOD sent_rows_are_cleaned_up.
    given( iv_id = `old` iv_key = `0000000001` ).
    mo_store->mt_rows[ 1 ]-status = zif_mai_event=>c_status-sent.
    mo_store->mt_rows[ 1 ]-sent_at = '20261119000000'.
    given( iv_id = `recent` iv_key = `0000000001` ).
    mo_store->mt_rows[ 2 ]-status = zif_mai_event=>c_status-sent.
    mo_store->mt_rows[ 2 ]-sent_at = '20261121000000'.
    DATA(ls_summary) = mo_cut->run( ).
    cl_abap_unit_assert=>assert_equals( act = mo_store->mv_deleted_before exp = '20261120100000' ).
    cl_abap_unit_assert=>assert_equals( act = ls_summary-cleaned exp = 1 ).
    cl_abap_unit_assert=>assert_equals( act = lines( mo_store->mt_rows ) exp = 1 ).
  ENDMETHOD.

  METHOD nothing_due_nothing_posted.
    DATA(ls_summary) = mo_cut->run( ).
    cl_abap_unit_assert=>assert_equals( act = ls_summary-posts exp = 0 ).
    cl_abap_unit_assert=>assert_equals( act = lines( mo_hub->mt_bodies ) exp = 0 ).
  ENDMETHOD.

ENDCLASS.
