"! <p class="shorttext synchronized">maiconnect: posts due outbox rows to the hub</p>
"! One run of the sender (report ZMAI_EVENT_SENDER, a periodic job):
"! posts the due rows in batches, oldest first, records each answer in the
"! rows (ZCL_MAI_SEND_PLAN), logs what went wrong (SLG1) and deletes sent
"! rows older than the retention.
"!
"! - 2xx: the rows are sent.
"! - no answer, 401, 403, 404, 5xx …: the hub cannot take events now; the
"!   batch waits (back-off) and the run stops, so a hub that is down is
"!   asked once per run, not once per row.
"! - 400 (and 413, 415, 422) for a batch: the hub names one bad event, not
"!   which; each row is then posted on its own, and only the refused ones
"!   fail. A failed row waits in the status report (ZMAI_OUTBOX_MONITOR).
"!
"! Rows are saved after every POST, so a run that stops half way resends
"! at most one batch, which the hub recognises by eventId.
CLASS zcl_mai_outbox_sender DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    TYPES:
      BEGIN OF ty_summary,
        posts   TYPE i,
        sent    TYPE i,
        retried TYPE i,
        failed  TYPE i,
        cleaned TYPE i,
      END OF ty_summary.

    METHODS constructor
      IMPORTING io_store    TYPE REF TO zif_mai_outbox_store
                io_hub      TYPE REF TO zif_mai_hub_client
                io_log      TYPE REF TO zif_mai_log
                io_system   TYPE REF TO zif_mai_system
                is_settings TYPE zif_mai_config=>ty_settings.

    METHODS run
      RETURNING VALUE(rs_summary) TYPE ty_summary.

  PRIVATE SECTION.
    CONSTANTS c_day TYPE i VALUE 86400.

    DATA mo_store TYPE REF TO zif_mai_outbox_store.
    DATA mo_hub TYPE REF TO zif_mai_hub_client.
    DATA mo_log TYPE REF TO zif_mai_log.
    DATA mo_system TYPE REF TO zif_mai_system.
    DATA ms_settings TYPE zif_mai_config=>ty_settings.
    DATA mo_plan TYPE REF TO zcl_mai_send_plan.
    DATA mv_now TYPE timestamp.
    DATA ms_summary TYPE ty_summary.

    "! Posts rows; returns false when the hub cannot take events now.
    METHODS send
      CHANGING  ct_rows        TYPE zif_mai_event=>ty_rows
      RETURNING VALUE(rv_goes) TYPE abap_bool.

    METHODS describe
      IMPORTING is_response    TYPE zif_mai_hub_client=>ty_response
      RETURNING VALUE(rv_text) TYPE string.

    METHODS warn_failing
      IMPORTING it_rows TYPE zif_mai_event=>ty_rows.

ENDCLASS.



CLASS zcl_mai_outbox_sender IMPLEMENTATION.

  METHOD constructor.
    mo_store = io_store.
    mo_hub = io_hub.
    mo_log = io_log.
    mo_system = io_system.
    ms_settings = is_settings.
    IF ms_settings-batch_size <= 0.
      ms_settings-batch_size = zif_mai_config=>c_default-batch_size.
    ENDIF.
    IF ms_settings-retain_days <= 0.
      ms_settings-retain_days = zif_mai_config=>c_default-retain_days.
    ENDIF.
    mo_plan = NEW #( NEW zcl_mai_retry_schedule( ms_settings-max_delay ) ).
  ENDMETHOD.

  METHOD run.
    DATA lt_batch TYPE zif_mai_event=>ty_rows.
    CLEAR ms_summary.
    mv_now = zcl_mai_time=>to_seconds( mo_system->now( ) ).
    DATA(lt_open) = mo_store->open_rows( ms_settings-batch_size * 10 ).

    DO.
      lt_batch = mo_plan->due_rows( it_open = lt_open iv_now = mv_now iv_max = ms_settings-batch_size ).
      IF lt_batch IS INITIAL.
        EXIT.
      ENDIF.
      LOOP AT lt_batch INTO DATA(ls_taken).
        DELETE lt_open WHERE event_id = ls_taken-event_id.
      ENDLOOP.
      DATA(lv_goes) = send( CHANGING ct_rows = lt_batch ).
      mo_store->save( lt_batch ).
      IF lv_goes = abap_false.
        EXIT.
      ENDIF.
    ENDDO.

    ms_summary-cleaned = mo_store->delete_sent_before(
      zcl_mai_time=>add_seconds( iv_timestamp = mv_now iv_seconds = - ms_settings-retain_days * c_day ) ).
    mo_log->save( ).
    rs_summary = ms_summary.
  ENDMETHOD.

  METHOD send.
    DATA lt_one TYPE zif_mai_event=>ty_rows.
    rv_goes = abap_true.
    DATA(ls_response) = mo_hub->post( zcl_mai_event_payload=>body( ct_rows ) ).
    ms_summary-posts = ms_summary-posts + 1.

    CASE zcl_mai_send_plan=>classify( ls_response ).
      WHEN zcl_mai_send_plan=>c_outcome-accepted.
        mo_plan->accept( EXPORTING iv_now = mv_now CHANGING ct_rows = ct_rows ).
        ms_summary-sent = ms_summary-sent + lines( ct_rows ).

      WHEN zcl_mai_send_plan=>c_outcome-retry.
        mo_plan->retry( EXPORTING iv_now = mv_now iv_error = describe( ls_response ) CHANGING ct_rows = ct_rows ).
        ms_summary-retried = ms_summary-retried + lines( ct_rows ).
        mo_log->add( iv_severity = zif_mai_log=>c_severity-error
                     iv_text = |The hub did not take { lines( ct_rows ) } event(s): { describe( ls_response ) }| ).
        warn_failing( ct_rows ).
        rv_goes = abap_false.

      WHEN zcl_mai_send_plan=>c_outcome-rejected.
        IF lines( ct_rows ) > 1.
          " Find the refused one(s): each row on its own.
          LOOP AT ct_rows ASSIGNING FIELD-SYMBOL(<ls_row>).
            CLEAR lt_one.
            APPEND <ls_row> TO lt_one.
            rv_goes = send( CHANGING ct_rows = lt_one ).
            <ls_row> = lt_one[ 1 ].
            IF rv_goes = abap_false.
              EXIT.
            ENDIF.
          ENDLOOP.
        ELSE.
          ASSIGN ct_rows[ 1 ] TO <ls_row>.
          mo_plan->reject( EXPORTING iv_error = describe( ls_response ) CHANGING cs_row = <ls_row> ).
          ms_summary-failed = ms_summary-failed + 1.
          mo_log->add( iv_severity = zif_mai_log=>c_severity-error
                       iv_text = |Event { <ls_row>-event_id } ({ <ls_row>-object_type } { <ls_row>-object_key } | &&
                                 |{ <ls_row>-change_kind }) refused: { describe( ls_response ) }| ).
        ENDIF.
    ENDCASE.
  ENDMETHOD.

  METHOD describe.
    IF is_response-status = 0.
      rv_text = |no answer: { is_response-reason }|.
    ELSE.
      rv_text = |HTTP { is_response-status } { is_response-reason }|.
      IF is_response-body IS NOT INITIAL.
        rv_text = |{ rv_text }: { is_response-body }|.
      ENDIF.
    ENDIF.
  ENDMETHOD.

  METHOD warn_failing.
    LOOP AT it_rows INTO DATA(ls_row).
      IF zcl_mai_send_plan=>keeps_failing( is_row = ls_row iv_warn_after = ms_settings-warn_after ) = abap_true.
        mo_log->add( iv_severity = zif_mai_log=>c_severity-warning
                     iv_text = |Event { ls_row-event_id } ({ ls_row-object_type } { ls_row-object_key }) | &&
                               |not delivered after { ls_row-attempts } tries; see report ZMAI_OUTBOX_MONITOR| ).
      ENDIF.
    ENDLOOP.
  ENDMETHOD.

ENDCLASS.
