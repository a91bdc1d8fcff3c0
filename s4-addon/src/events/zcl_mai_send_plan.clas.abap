"! <p class="shorttext synchronized">maiconnect: outbox state machine and batches</p>
"! The outbox rows' state machine and the choice of what to send next.
"!
"! new ──2xx──▶ sent ──(retain_days)──▶ deleted
"!  │  ╰─400──▶ failed ──(status report: retry)──▶ retrying
"!  ╰─no answer, 401, 403, 404, 408, 429, 5xx──▶ retrying ──2xx──▶ sent
"!
"! Order per object: a row is only sent when no older row of the same
"! object is still waiting for its next try, so the hub sees each object's
"! events in the order they were committed. Rows of other objects do not
"! wait for it. A failed (refused) row does not hold its object back: a
"! later event of the object tells the hub the same and more.
CLASS zcl_mai_send_plan DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    CONSTANTS:
      BEGIN OF c_outcome,
        "! stored by the hub (2xx)
        accepted TYPE c LENGTH 1 VALUE 'A',
        "! not stored, try again later
        retry    TYPE c LENGTH 1 VALUE 'R',
        "! refused as malformed: sending it again will not help
        rejected TYPE c LENGTH 1 VALUE 'X',
      END OF c_outcome.

    METHODS constructor
      IMPORTING io_schedule TYPE REF TO zcl_mai_retry_schedule.

    "! What the hub's answer means for the rows sent.
    CLASS-METHODS classify
      IMPORTING is_response       TYPE zif_mai_hub_client=>ty_response
      RETURNING VALUE(rv_outcome) TYPE char1.

    "! The next batch: due open rows, oldest first, at most iv_max, none
    "! overtaking an older row of its object that still waits.
    METHODS due_rows
      IMPORTING it_open         TYPE zif_mai_event=>ty_rows
                iv_now          TYPE timestamp
                iv_max          TYPE i
      RETURNING VALUE(rt_batch) TYPE zif_mai_event=>ty_rows.

    METHODS accept
      IMPORTING iv_now  TYPE timestamp
      CHANGING  ct_rows TYPE zif_mai_event=>ty_rows.

    METHODS retry
      IMPORTING iv_now   TYPE timestamp
                iv_error TYPE csequence
      CHANGING  ct_rows  TYPE zif_mai_event=>ty_rows.

    METHODS reject
      IMPORTING iv_error TYPE csequence
      CHANGING  cs_row   TYPE zmai_outbox.

    "! Whether this row has just reached the number of tries after which
    "! it is reported (once) as failing.
    CLASS-METHODS keeps_failing
      IMPORTING is_row            TYPE zmai_outbox
                iv_warn_after     TYPE i
      RETURNING VALUE(rv_failing) TYPE abap_bool.

  PRIVATE SECTION.
    DATA mo_schedule TYPE REF TO zcl_mai_retry_schedule.

ENDCLASS.



CLASS zcl_mai_send_plan IMPLEMENTATION.

  METHOD constructor.
    mo_schedule = io_schedule.
  ENDMETHOD.

  METHOD classify.
    IF is_response-status BETWEEN 200 AND 299.
      rv_outcome = c_outcome-accepted.
    ELSEIF is_response-status = 400 OR is_response-status = 413
        OR is_response-status = 415 OR is_response-status = 422.
      rv_outcome = c_outcome-rejected.
    ELSE.
      rv_outcome = c_outcome-retry.
    ENDIF.
  ENDMETHOD.

  METHOD due_rows.
    DATA lt_waiting TYPE SORTED TABLE OF string WITH UNIQUE KEY table_line.
    DATA lv_object TYPE string.

    LOOP AT it_open INTO DATA(ls_row)
        WHERE status = zif_mai_event=>c_status-new OR status = zif_mai_event=>c_status-retrying.
      lv_object = |{ ls_row-object_type }/{ ls_row-object_key }|.
      IF line_exists( lt_waiting[ table_line = lv_object ] ).
        CONTINUE.
      ENDIF.
      IF ls_row-status = zif_mai_event=>c_status-retrying AND ls_row-next_try_at > iv_now.
        INSERT lv_object INTO TABLE lt_waiting.
        CONTINUE.
      ENDIF.
      APPEND ls_row TO rt_batch.
      IF lines( rt_batch ) >= iv_max.
        RETURN.
      ENDIF.
    ENDLOOP.
  ENDMETHOD.

  METHOD accept.
    LOOP AT ct_rows ASSIGNING FIELD-SYMBOL(<ls_row>).
      <ls_row>-attempts = <ls_row>-attempts + 1.
      <ls_row>-status = zif_mai_event=>c_status-sent.
      <ls_row>-sent_at = iv_now.
      <ls_row>-next_try_at = 0.
      CLEAR <ls_row>-last_error.
    ENDLOOP.
  ENDMETHOD.

  METHOD retry.
    LOOP AT ct_rows ASSIGNING FIELD-SYMBOL(<ls_row>).
      <ls_row>-attempts = <ls_row>-attempts + 1.
      <ls_row>-status = zif_mai_event=>c_status-retrying.
      <ls_row>-next_try_at = mo_schedule->next_try( iv_now = iv_now iv_attempts = <ls_row>-attempts ).
      <ls_row>-last_error = iv_error.
    ENDLOOP.
  ENDMETHOD.

  METHOD reject.
    cs_row-attempts = cs_row-attempts + 1.
    cs_row-status = zif_mai_event=>c_status-failed.
    cs_row-next_try_at = 0.
    cs_row-last_error = iv_error.
  ENDMETHOD.

  METHOD keeps_failing.
    rv_failing = boolc( is_row-status = zif_mai_event=>c_status-retrying
                        AND iv_warn_after > 0
                        AND is_row-attempts = iv_warn_after ).
  ENDMETHOD.

ENDCLASS.
