"! <p class="shorttext synchronized">maiconnect: HTTP POST to the hub</p>
INTERFACE zif_mai_hub_client PUBLIC.

  TYPES:
    BEGIN OF ty_response,
      "! HTTP status; 0 when no answer came (connection, TLS, proxy, timeout)
      status TYPE i,
      "! the reason phrase, or what went wrong without an answer
      reason TYPE string,
      "! the answer's body (the hub names the problem of a 400 in it)
      body   TYPE string,
    END OF ty_response.

  "! POSTs a JSON body (one event or an array) to the hub's /s4/events.
  METHODS post
    IMPORTING iv_json            TYPE string
    RETURNING VALUE(rs_response) TYPE ty_response.

ENDINTERFACE.
