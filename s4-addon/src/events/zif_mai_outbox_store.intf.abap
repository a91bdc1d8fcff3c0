"! <p class="shorttext synchronized">maiconnect: persistence of the outbox</p>
INTERFACE zif_mai_outbox_store PUBLIC.

  "! Records rows in the caller's logical unit of work: they are written
  "! when the business change commits and never when it rolls back.
  METHODS add
    IMPORTING it_rows TYPE zif_mai_event=>ty_rows.

  "! Rows still to be sent (status new or retrying), oldest first
  "! (CREATED_AT, then ORDINAL).
  METHODS open_rows
    IMPORTING iv_max         TYPE i
    RETURNING VALUE(rt_rows) TYPE zif_mai_event=>ty_rows.

  "! Writes the sender's changes to rows and commits them.
  METHODS save
    IMPORTING it_rows TYPE zif_mai_event=>ty_rows.

  "! Deletes rows sent before iv_before; returns how many.
  METHODS delete_sent_before
    IMPORTING iv_before       TYPE timestamp
    RETURNING VALUE(rv_count) TYPE i.

ENDINTERFACE.
