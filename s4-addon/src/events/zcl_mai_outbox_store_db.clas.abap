"! <p class="shorttext synchronized">maiconnect: outbox on ZMAI_OUTBOX</p>
"! add( ) writes through the update function module Z_MAI_OUTBOX_INSERT
"! (V1, start immediately): the rows reach the database in the same
"! update as the business document, or not at all. When the caller already
"! runs in the update task (some BAdIs do), the rows are inserted directly,
"! which is the same database transaction. The sender's methods work on
"! committed rows and commit themselves.
CLASS zcl_mai_outbox_store_db DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    INTERFACES zif_mai_outbox_store.

ENDCLASS.



CLASS zcl_mai_outbox_store_db IMPLEMENTATION.

  METHOD zif_mai_outbox_store~add.
    DATA lv_in_update_task TYPE sy-subrc.
    DATA lt_rows TYPE zmai_t_outbox.
    IF it_rows IS INITIAL.
      RETURN.
    ENDIF.
    lt_rows = it_rows.
    CALL FUNCTION 'TH_IN_UPDATE_TASK'
      IMPORTING
        in_update_task = lv_in_update_task.
    IF lv_in_update_task = 1.
      INSERT zmai_outbox FROM TABLE @lt_rows.
    ELSE.
      CALL FUNCTION 'Z_MAI_OUTBOX_INSERT' IN UPDATE TASK
        EXPORTING
          it_rows = lt_rows.
    ENDIF.
  ENDMETHOD.

  METHOD zif_mai_outbox_store~open_rows.
    SELECT * FROM zmai_outbox
      WHERE status = @zif_mai_event=>c_status-new
         OR status = @zif_mai_event=>c_status-retrying
      ORDER BY created_at, ordinal, event_id
      INTO TABLE @rt_rows
      UP TO @iv_max ROWS.
  ENDMETHOD.

  METHOD zif_mai_outbox_store~save.
    IF it_rows IS NOT INITIAL.
      UPDATE zmai_outbox FROM TABLE @it_rows.
    ENDIF.
    COMMIT WORK.
  ENDMETHOD.

  METHOD zif_mai_outbox_store~delete_sent_before.
    DELETE FROM zmai_outbox
      WHERE status = @zif_mai_event=>c_status-sent
        AND sent_at < @iv_before.
    rv_count = sy-dbcnt.
    COMMIT WORK.
  ENDMETHOD.

ENDCLASS.
