*&---------------------------------------------------------------------*
*& Report ZMAI_CONNECTION_TEST
*&---------------------------------------------------------------------*
*& Checks the S/4HANA side of maiconnect step by step and says what to
*& fix: the customizing (ZMAI_CONFIG, ZMAI_FILTER), the SM59 destination
*& (TLS, proxy, logon) by posting an empty batch "[]" to the hub (the hub
*& answers 202 with {"accepted":0,"duplicates":0} and stores nothing).
*& Finally the outbox: rows waiting, failing, refused.
*&---------------------------------------------------------------------*
REPORT zmai_connection_test.

CLASS lcl_test DEFINITION FINAL.
  PUBLIC SECTION.
    METHODS run.
  PRIVATE SECTION.
    METHODS line IMPORTING iv_ok TYPE abap_bool iv_text TYPE csequence.
    METHODS post
      IMPORTING io_hub TYPE REF TO zif_mai_hub_client iv_json TYPE string iv_what TYPE string.
ENDCLASS.

CLASS lcl_test IMPLEMENTATION.
  METHOD line.
    IF iv_ok = abap_true.
      WRITE: / 'OK ', iv_text.
    ELSE.
      WRITE: / 'FIX', iv_text.
    ENDIF.
  ENDMETHOD.

  METHOD post.
    DATA(ls_response) = io_hub->post( iv_json ).
    CASE ls_response-status.
      WHEN 202 OR 200.
        line( iv_ok = abap_true iv_text = |{ iv_what }: HTTP { ls_response-status } { ls_response-body }| ).
      WHEN 0.
        line( iv_ok = abap_false
              iv_text = |{ iv_what }: no answer ({ ls_response-reason }). Check host, port, proxy and TLS | &&
                        |(STRUST: the hub's CA in the SSL client PSE of the destination) in SM59| ).
      WHEN 401.
        line( iv_ok = abap_false
              iv_text = |{ iv_what }: 401: the logon in SM59 is not the hub's hub.events user and password| ).
      WHEN 404.
        line( iv_ok = abap_false
              iv_text = |{ iv_what }: 404: the path prefix in SM59 must be /s4/events| ).
      WHEN OTHERS.
        line( iv_ok = abap_false
              iv_text = |{ iv_what }: HTTP { ls_response-status } { ls_response-reason } { ls_response-body }| ).
    ENDCASE.
  ENDMETHOD.

  METHOD run.
    DATA lo_config TYPE REF TO zif_mai_config.
    lo_config = NEW zcl_mai_config_db( ).
    DATA(ls_settings) = lo_config->settings( ).
    DATA(lt_filters) = lo_config->filters( ).

    line( iv_ok = boolc( ls_settings-rfcdest IS NOT INITIAL )
          iv_text = |ZMAI_CONFIG: SM59 destination "{ ls_settings-rfcdest }", batch { ls_settings-batch_size }, | &&
                    |back-off up to { ls_settings-max_delay } s, warn after { ls_settings-warn_after } tries, | &&
                    |keep sent rows { ls_settings-retain_days } days| ).
    LOOP AT VALUE string_table( ( `BUS2000126` ) ( `BUS2000125` ) ( `relationship` ) ) INTO DATA(lv_type).
      DATA(lv_codes) = REDUCE string( INIT lv_text = `` FOR ls_filter IN lt_filters
                                      WHERE ( object_type = lv_type )
                                      NEXT lv_text = lv_text && ` ` && ls_filter-code ).
      line( iv_ok = boolc( lv_codes IS NOT INITIAL )
            iv_text = |ZMAI_FILTER { lv_type }:{ lv_codes }| ).
    ENDLOOP.

    IF ls_settings-rfcdest IS NOT INITIAL.
      DATA(lo_hub) = NEW zcl_mai_hub_client_sm59( ls_settings-rfcdest ).
      post( io_hub = lo_hub iv_json = `[]` iv_what = |POST [] to { ls_settings-rfcdest }| ).
    ENDIF.

    SELECT status, COUNT(*) AS rows FROM zmai_outbox GROUP BY status INTO TABLE @DATA(lt_counts).
    LOOP AT lt_counts INTO DATA(ls_count).
      line( iv_ok = boolc( ls_count-status <> zif_mai_event=>c_status-failed )
            iv_text = |Outbox rows with status { ls_count-status }: { ls_count-rows }| ).
    ENDLOOP.
    SELECT COUNT(*) FROM zmai_outbox
      WHERE status = @zif_mai_event=>c_status-retrying AND attempts >= @ls_settings-warn_after
      INTO @DATA(lv_failing).
    line( iv_ok = boolc( lv_failing = 0 )
          iv_text = |Rows failing for { ls_settings-warn_after } tries or more: { lv_failing } (ZMAI_OUTBOX_MONITOR)| ).
  ENDMETHOD.
ENDCLASS.

START-OF-SELECTION.
  NEW lcl_test( )->run( ).
