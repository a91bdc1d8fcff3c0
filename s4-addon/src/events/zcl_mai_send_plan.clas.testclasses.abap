CLASS ltcl_plan DEFINITION FINAL FOR TESTING DURATION SHORT RISK LEVEL HARMLESS.
  PRIVATE SECTION.
    CONSTANTS c_now TYPE timestamp VALUE '20261127100000'.
    DATA mo_cut TYPE REF TO zcl_mai_send_plan.

    METHODS setup.
    METHODS row
      IMPORTING iv_id         TYPE string
                iv_key        TYPE string
                iv_status     TYPE char1 DEFAULT zif_mai_event=>c_status-new
                iv_next_try   TYPE timestamp OPTIONAL
      RETURNING VALUE(rs_row) TYPE zmai_outbox.
    METHODS ids
      IMPORTING it_rows       TYPE zif_mai_event=>ty_rows
      RETURNING VALUE(rv_ids) TYPE string.

    METHODS oldest_first_up_to_batch_size FOR TESTING.
    METHODS waiting_row_holds_back_object FOR TESTING.
    METHODS a_due_retry_goes_first_again FOR TESTING.
    METHODS sent_and_failed_rows_stay FOR TESTING.
    METHODS answers_are_classified FOR TESTING.
    METHODS accepted_rows_are_sent FOR TESTING.
    METHODS retried_rows_back_off FOR TESTING.
    METHODS rejected_rows_fail FOR TESTING.
    METHODS failing_is_reported_once FOR TESTING.
ENDCLASS.


CLASS ltcl_plan IMPLEMENTATION.

  METHOD setup.
    mo_cut = NEW #( NEW zcl_mai_retry_schedule( 3600 ) ).
  ENDMETHOD.

  METHOD row.
    rs_row-event_id = iv_id.
    rs_row-object_type = zif_mai_event=>c_object_type-partner.
    rs_row-object_key = iv_key.
    rs_row-change_kind = zif_mai_event=>c_change-changed.
    rs_row-status = iv_status.
    rs_row-next_try_at = iv_next_try.
  ENDMETHOD.

  METHOD ids.
    LOOP AT it_rows INTO DATA(ls_row).
      rv_ids = rv_ids && ls_row-event_id && ` `.
    ENDLOOP.
    rv_ids = condense( rv_ids ).
  ENDMETHOD.

  METHOD oldest_first_up_to_batch_size.
    DATA lt_open TYPE zif_mai_event=>ty_rows.
    APPEND row( iv_id = `e1` iv_key = `A` ) TO lt_open.
    APPEND row( iv_id = `e2` iv_key = `B` ) TO lt_open.
    APPEND row( iv_id = `e3` iv_key = `A` ) TO lt_open.
    APPEND row( iv_id = `e4` iv_key = `C` ) TO lt_open.
    cl_abap_unit_assert=>assert_equals( act = ids( mo_cut->due_rows( it_open = lt_open iv_now = c_now iv_max = 3 ) )
                                        exp = `e1 e2 e3` ).
  ENDMETHOD.

  METHOD waiting_row_holds_back_object.
    DATA lt_open TYPE zif_mai_event=>ty_rows.
    APPEND row( iv_id = `e1` iv_key = `A` iv_status = zif_mai_event=>c_status-retrying
                iv_next_try = '20261127100100' ) TO lt_open.
    APPEND row( iv_id = `e2` iv_key = `B` ) TO lt_open.
    APPEND row( iv_id = `e3` iv_key = `A` ) TO lt_open.
    APPEND row( iv_id = `e4` iv_key = `B` ) TO lt_open.
    cl_abap_unit_assert=>assert_equals( act = ids( mo_cut->due_rows( it_open = lt_open iv_now = c_now iv_max = 10 ) )
                                        exp = `e2 e4` ).
  ENDMETHOD.

  METHOD a_due_retry_goes_first_again.
    DATA lt_open TYPE zif_mai_event=>ty_rows.
    APPEND row( iv_id = `e1` iv_key = `A` iv_status = zif_mai_event=>c_status-retrying
                iv_next_try = c_now ) TO lt_open.
    APPEND row( iv_id = `e2` iv_key = `A` ) TO lt_open.
    cl_abap_unit_assert=>assert_equals( act = ids( mo_cut->due_rows( it_open = lt_open iv_now = c_now iv_max = 10 ) )
                                        exp = `e1 e2` ).
  ENDMETHOD.

  METHOD sent_and_failed_rows_stay.
    DATA lt_open TYPE zif_mai_event=>ty_rows.
    APPEND row( iv_id = `e1` iv_key = `A` iv_status = zif_mai_event=>c_status-sent ) TO lt_open.
    APPEND row( iv_id = `e2` iv_key = `A` iv_status = zif_mai_event=>c_status-failed ) TO lt_open.
    APPEND row( iv_id = `e3` iv_key = `A` iv_status = zif_mai_event=>c_status-discarded ) TO lt_open.
    APPEND row( iv_id = `e4` iv_key = `A` ) TO lt_open.
    cl_abap_unit_assert=>assert_equals( act = ids( mo_cut->due_rows( it_open = lt_open iv_now = c_now iv_max = 10 ) )
                                        exp = `e4` ).
  ENDMETHOD.

  METHOD answers_are_classified.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_send_plan=>classify( VALUE #( status = 202 ) )
                                        exp = zcl_mai_send_plan=>c_outcome-accepted ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_send_plan=>classify( VALUE #( status = 400 ) )
                                        exp = zcl_mai_send_plan=>c_outcome-rejected ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_send_plan=>classify( VALUE #( status = 413 ) )
                                        exp = zcl_mai_send_plan=>c_outcome-rejected ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_send_plan=>classify( VALUE #( status = 0 ) )
                                        exp = zcl_mai_send_plan=>c_outcome-retry ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_send_plan=>classify( VALUE #( status = 401 ) )
                                        exp = zcl_mai_send_plan=>c_outcome-retry ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_send_plan=>classify( VALUE #( status = 404 ) )
                                        exp = zcl_mai_send_plan=>c_outcome-retry ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_send_plan=>classify( VALUE #( status = 503 ) )
                                        exp = zcl_mai_send_plan=>c_outcome-retry ).
  ENDMETHOD.

  METHOD accepted_rows_are_sent.
    DATA lt_rows TYPE zif_mai_event=>ty_rows.
    APPEND row( iv_id = `e1` iv_key = `A` iv_status = zif_mai_event=>c_status-retrying ) TO lt_rows.
    lt_rows[ 1 ]-attempts = 2.
    lt_rows[ 1 ]-last_error = 'HTTP 503'.
    mo_cut->accept( EXPORTING iv_now = c_now CHANGING ct_rows = lt_rows ).
    cl_abap_unit_assert=>assert_equals( act = lt_rows[ 1 ]-status exp = zif_mai_event=>c_status-sent ).
    cl_abap_unit_assert=>assert_equals( act = lt_rows[ 1 ]-attempts exp = 3 ).
    cl_abap_unit_assert=>assert_equals( act = lt_rows[ 1 ]-sent_at exp = c_now ).
    cl_abap_unit_assert=>assert_equals( act = lt_rows[ 1 ]-last_error exp = '' ).
  ENDMETHOD.

  METHOD retried_rows_back_off.
    DATA lt_rows TYPE zif_mai_event=>ty_rows.
    APPEND row( iv_id = `e1` iv_key = `A` ) TO lt_rows.
    mo_cut->retry( EXPORTING iv_now = c_now iv_error = `HTTP 503` CHANGING ct_rows = lt_rows ).
    cl_abap_unit_assert=>assert_equals( act = lt_rows[ 1 ]-status exp = zif_mai_event=>c_status-retrying ).
    cl_abap_unit_assert=>assert_equals( act = lt_rows[ 1 ]-next_try_at exp = '20261127100100' ).
    mo_cut->retry( EXPORTING iv_now = '20261127100100' iv_error = `HTTP 503` CHANGING ct_rows = lt_rows ).
    cl_abap_unit_assert=>assert_equals( act = lt_rows[ 1 ]-attempts exp = 2 ).
    cl_abap_unit_assert=>assert_equals( act = lt_rows[ 1 ]-next_try_at exp = '20261127100300' ).
    cl_abap_unit_assert=>assert_equals( act = lt_rows[ 1 ]-last_error exp = 'HTTP 503' ).
  ENDMETHOD.

  METHOD rejected_rows_fail.
    DATA(ls_row) = row( iv_id = `e1` iv_key = `A` ).
    mo_cut->reject( EXPORTING iv_error = `HTTP 400 objectKey` CHANGING cs_row = ls_row ).
    cl_abap_unit_assert=>assert_equals( act = ls_row-status exp = zif_mai_event=>c_status-failed ).
    cl_abap_unit_assert=>assert_equals( act = ls_row-attempts exp = 1 ).
    cl_abap_unit_assert=>assert_equals( act = ls_row-last_error exp = 'HTTP 400 objectKey' ).
  ENDMETHOD.

  METHOD failing_is_reported_once.
    DATA(ls_row) = row( iv_id = `e1` iv_key = `A` iv_status = zif_mai_event=>c_status-retrying ).
    ls_row-attempts = 9.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_send_plan=>keeps_failing( is_row = ls_row iv_warn_after = 10 )
                                        exp = abap_false ).
    ls_row-attempts = 10.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_send_plan=>keeps_failing( is_row = ls_row iv_warn_after = 10 )
                                        exp = abap_true ).
    ls_row-attempts = 11.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_send_plan=>keeps_failing( is_row = ls_row iv_warn_after = 10 )
                                        exp = abap_false ).
  ENDMETHOD.

ENDCLASS.
