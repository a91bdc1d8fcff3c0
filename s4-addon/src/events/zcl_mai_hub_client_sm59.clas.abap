"! <p class="shorttext synchronized">maiconnect: POST to the hub via SM59</p>
"! POSTs to the SM59 destination (type G) named in ZMAI_CONFIG. Host, port,
"! path prefix (/s4/events), TLS (SSL client identity, STRUST), proxy and
"! logon (Basic with the hub's hub.events user, or a client certificate)
"! are all set in SM59, never here.
CLASS zcl_mai_hub_client_sm59 DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    INTERFACES zif_mai_hub_client.

    METHODS constructor
      IMPORTING iv_destination TYPE csequence
                iv_timeout     TYPE i DEFAULT 30.

  PRIVATE SECTION.
    DATA mv_destination TYPE rfcdest.
    DATA mv_timeout TYPE i.

ENDCLASS.



CLASS zcl_mai_hub_client_sm59 IMPLEMENTATION.

  METHOD constructor.
    mv_destination = iv_destination.
    mv_timeout = iv_timeout.
  ENDMETHOD.

  METHOD zif_mai_hub_client~post.
    DATA lo_client TYPE REF TO if_http_client.
    DATA lv_message TYPE string.
    DATA lv_code TYPE i.

    cl_http_client=>create_by_destination(
      EXPORTING
        destination              = mv_destination
      IMPORTING
        client                   = lo_client
      EXCEPTIONS
        argument_not_found       = 1
        destination_not_found    = 2
        destination_no_authority = 3
        plugin_not_active        = 4
        internal_error           = 5
        OTHERS                   = 6 ).
    IF sy-subrc <> 0.
      rs_response-reason = |SM59 destination { mv_destination } cannot be used (create_by_destination { sy-subrc })|.
      RETURN.
    ENDIF.

    lo_client->propertytype_logon_popup = if_http_client=>co_disabled.
    lo_client->request->set_method( if_http_request=>co_request_method_post ).
    lo_client->request->set_content_type( 'application/json; charset=utf-8' ).
    lo_client->request->set_cdata( iv_json ).

    lo_client->send( EXPORTING timeout = mv_timeout
                     EXCEPTIONS http_communication_failure = 1 http_invalid_state = 2
                                http_processing_failed = 3 http_invalid_timeout = 4 OTHERS = 5 ).
    IF sy-subrc = 0.
      lo_client->receive( EXCEPTIONS http_communication_failure = 1 http_invalid_state = 2
                                     http_processing_failed = 3 OTHERS = 4 ).
    ENDIF.
    IF sy-subrc <> 0.
      lo_client->get_last_error( IMPORTING code = lv_code message = lv_message ).
      rs_response-reason = |{ lv_message } ({ lv_code })|.
      lo_client->close( ).
      RETURN.
    ENDIF.

    lo_client->response->get_status( IMPORTING code = rs_response-status reason = rs_response-reason ).
    rs_response-body = lo_client->response->get_cdata( ).
    lo_client->close( ).
  ENDMETHOD.

ENDCLASS.
