"! <p class="shorttext synchronized">maiconnect: clock and event ids</p>
INTERFACE zif_mai_system PUBLIC.

  "! Now, UTC.
  METHODS now
    RETURNING VALUE(rv_now) TYPE timestampl.

  "! A new event id: a UUID, 36 characters, lower case.
  METHODS new_event_id
    RETURNING VALUE(rv_id) TYPE string.

ENDINTERFACE.
