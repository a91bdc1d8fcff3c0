"! <p class="shorttext synchronized">maiconnect: application log (SLG1)</p>
"! Object ZMAICONNECT with subobjects SENDER (the sender's runs) and EVENTS
"! (an event that could not be recorded). A log is only written when
"! something was added.
CLASS zcl_mai_log_bal DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    INTERFACES zif_mai_log.

    CONSTANTS c_object TYPE balobj_d VALUE 'ZMAICONNECT'.
    CONSTANTS c_subobject_sender TYPE balsubobj VALUE 'SENDER'.
    CONSTANTS c_subobject_events TYPE balsubobj VALUE 'EVENTS'.

    "! iv_own_connection: save over a second database connection with its
    "! own commit, for callers inside someone else's LUW.
    METHODS constructor
      IMPORTING iv_subobject      TYPE balsubobj DEFAULT c_subobject_sender
                iv_own_connection TYPE abap_bool DEFAULT abap_false.

  PRIVATE SECTION.
    DATA mv_subobject TYPE balsubobj.
    DATA mv_own_connection TYPE abap_bool.
    DATA mv_handle TYPE balloghndl.

ENDCLASS.



CLASS zcl_mai_log_bal IMPLEMENTATION.

  METHOD constructor.
    mv_subobject = iv_subobject.
    mv_own_connection = iv_own_connection.
  ENDMETHOD.

  METHOD zif_mai_log~add.
    DATA ls_log TYPE bal_s_log.
    DATA lv_text TYPE c LENGTH 200.
    IF mv_handle IS INITIAL.
      ls_log-object = c_object.
      ls_log-subobject = mv_subobject.
      ls_log-aluser = sy-uname.
      ls_log-alprog = sy-repid.
      CALL FUNCTION 'BAL_LOG_CREATE'
        EXPORTING
          i_s_log      = ls_log
        IMPORTING
          e_log_handle = mv_handle
        EXCEPTIONS
          OTHERS       = 1.
      IF sy-subrc <> 0.
        RETURN.
      ENDIF.
    ENDIF.
    lv_text = iv_text.
    CALL FUNCTION 'BAL_LOG_MSG_ADD_FREE_TEXT'
      EXPORTING
        i_log_handle = mv_handle
        i_msgty      = iv_severity
        i_text       = lv_text
      EXCEPTIONS
        OTHERS       = 1.
    IF sy-subrc <> 0.
      RETURN.
    ENDIF.
  ENDMETHOD.

  METHOD zif_mai_log~save.
    DATA lt_handles TYPE bal_t_logh.
    IF mv_handle IS INITIAL.
      RETURN.
    ENDIF.
    INSERT mv_handle INTO TABLE lt_handles.
    IF mv_own_connection = abap_true.
      CALL FUNCTION 'BAL_DB_SAVE'
        EXPORTING
          i_t_log_handle       = lt_handles
          i_2th_connection     = abap_true
          i_2th_connect_commit = abap_true
        EXCEPTIONS
          OTHERS               = 1.
    ELSE.
      CALL FUNCTION 'BAL_DB_SAVE'
        EXPORTING
          i_t_log_handle = lt_handles
        EXCEPTIONS
          OTHERS         = 1.
      IF sy-subrc = 0.
        COMMIT WORK.
      ENDIF.
    ENDIF.
    CLEAR mv_handle.
  ENDMETHOD.

ENDCLASS.
