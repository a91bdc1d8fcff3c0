*&---------------------------------------------------------------------*
*& Report ZMAI_EVENT_SENDER
*&---------------------------------------------------------------------*
*& Posts the due rows of the outbox (ZMAI_OUTBOX) to the maiconnect hub.
*& Schedule it as a periodic background job (SM36, every minute, as the
*& communication user or a system user with the role in the README).
*& Only one run works at a time: a second one ends at once.
*&---------------------------------------------------------------------*
REPORT zmai_event_sender.

START-OF-SELECTION.
  PERFORM main.

FORM main.
  DATA lo_config TYPE REF TO zif_mai_config.
  lo_config = NEW zcl_mai_config_db( ).
  DATA(ls_settings) = lo_config->settings( ).
  IF ls_settings-rfcdest IS INITIAL.
    MESSAGE 'ZMAI_CONFIG has no SM59 destination (RFCDEST): nothing sent' TYPE 'S' DISPLAY LIKE 'E'.
    RETURN.
  ENDIF.

  " One sender at a time: an exclusive lock on the outbox as a whole.
  CALL FUNCTION 'ENQUEUE_E_TABLE'
    EXPORTING
      mode_rstable   = 'E'
      tabname        = 'ZMAI_OUTBOX'
      varkey         = 'SENDER'
    EXCEPTIONS
      foreign_lock   = 1
      system_failure = 2
      OTHERS         = 3.
  IF sy-subrc <> 0.
    MESSAGE 'Another ZMAI_EVENT_SENDER is running' TYPE 'S'.
    RETURN.
  ENDIF.

  DATA(lo_sender) = NEW zcl_mai_outbox_sender(
    io_store    = NEW zcl_mai_outbox_store_db( )
    io_hub      = NEW zcl_mai_hub_client_sm59( ls_settings-rfcdest )
    io_log      = NEW zcl_mai_log_bal( )
    io_system   = NEW zcl_mai_system_default( )
    is_settings = ls_settings ).
  DATA(ls_summary) = lo_sender->run( ).

  CALL FUNCTION 'DEQUEUE_E_TABLE'
    EXPORTING
      mode_rstable = 'E'
      tabname      = 'ZMAI_OUTBOX'
      varkey       = 'SENDER'.

  WRITE: / 'POSTs:', ls_summary-posts,
         / 'Events sent:', ls_summary-sent,
         / 'Events to retry:', ls_summary-retried,
         / 'Events refused:', ls_summary-failed,
         / 'Sent rows deleted:', ls_summary-cleaned.
ENDFORM.
