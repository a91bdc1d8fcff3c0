*&---------------------------------------------------------------------*
*& Report ZMAI_OUTBOX_MONITOR
*&---------------------------------------------------------------------*
*& The events that have not reached the hub: refused ones (status F) and
*& those still being retried (R), oldest first, with their tries and the
*& last error. Select rows and choose "Retry now" (due at once, refused
*& ones back to retrying) or "Discard" (status D, never sent).
*&---------------------------------------------------------------------*
REPORT zmai_outbox_monitor.

PARAMETERS p_all AS CHECKBOX DEFAULT abap_false.

CLASS lcl_monitor DEFINITION FINAL.
  PUBLIC SECTION.
    METHODS run.
  PRIVATE SECTION.
    DATA mt_rows TYPE STANDARD TABLE OF zmai_outbox WITH EMPTY KEY.
    DATA mo_alv TYPE REF TO cl_salv_table.
    METHODS read.
    METHODS on_function FOR EVENT added_function OF cl_salv_events IMPORTING e_salv_function.
    METHODS selected RETURNING VALUE(rt_rows) TYPE zmai_t_outbox.
ENDCLASS.

CLASS lcl_monitor IMPLEMENTATION.
  METHOD read.
    IF p_all = abap_true.
      SELECT * FROM zmai_outbox ORDER BY created_at, ordinal INTO TABLE @mt_rows.
    ELSE.
      SELECT * FROM zmai_outbox
        WHERE status = @zif_mai_event=>c_status-failed
           OR status = @zif_mai_event=>c_status-retrying
        ORDER BY created_at, ordinal
        INTO TABLE @mt_rows.
    ENDIF.
  ENDMETHOD.

  METHOD run.
    read( ).
    TRY.
        cl_salv_table=>factory( IMPORTING r_salv_table = mo_alv CHANGING t_table = mt_rows ).
      CATCH cx_salv_msg INTO DATA(lx_error).
        MESSAGE lx_error TYPE 'E'.
    ENDTRY.
    mo_alv->get_selections( )->set_selection_mode( if_salv_c_selection_mode=>row_column ).
    mo_alv->get_functions( )->set_default( abap_true ).
    TRY.
        mo_alv->get_functions( )->add_function( name = 'RETRY' text = 'Retry now' tooltip = 'Send at the next run'
                                                position = if_salv_c_function_position=>right_of_salv_functions ).
        mo_alv->get_functions( )->add_function( name = 'DISCARD' text = 'Discard' tooltip = 'Never send'
                                                position = if_salv_c_function_position=>right_of_salv_functions ).
      CATCH cx_salv_existing cx_salv_wrong_call INTO DATA(lx_function).
        MESSAGE lx_function TYPE 'I'.
    ENDTRY.
    SET HANDLER on_function FOR mo_alv->get_event( ).
    mo_alv->display( ).
  ENDMETHOD.

  METHOD selected.
    LOOP AT mo_alv->get_selections( )->get_selected_rows( ) INTO DATA(lv_index).
      APPEND mt_rows[ lv_index ] TO rt_rows.
    ENDLOOP.
  ENDMETHOD.

  METHOD on_function.
    DATA(lt_rows) = selected( ).
    LOOP AT lt_rows ASSIGNING FIELD-SYMBOL(<ls_row>)
        WHERE status = zif_mai_event=>c_status-failed OR status = zif_mai_event=>c_status-retrying.
      CASE e_salv_function.
        WHEN 'RETRY'.
          <ls_row>-status = zif_mai_event=>c_status-retrying.
          <ls_row>-next_try_at = 0.
        WHEN 'DISCARD'.
          <ls_row>-status = zif_mai_event=>c_status-discarded.
          <ls_row>-last_error = |discarded by { sy-uname }|.
      ENDCASE.
      UPDATE zmai_outbox SET status = @<ls_row>-status, next_try_at = @<ls_row>-next_try_at,
                             last_error = @<ls_row>-last_error
        WHERE event_id = @<ls_row>-event_id.
    ENDLOOP.
    COMMIT WORK.
    read( ).
    mo_alv->refresh( ).
  ENDMETHOD.
ENDCLASS.

START-OF-SELECTION.
  NEW lcl_monitor( )->run( ).
