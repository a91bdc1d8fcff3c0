FUNCTION z_mai_outbox_insert.
*"----------------------------------------------------------------------
*"*"Update Function Module:
*"
*"*"Local Interface:
*"  IMPORTING
*"     VALUE(IT_ROWS) TYPE  ZMAI_T_OUTBOX
*"----------------------------------------------------------------------
* V1 update, start immediately: the outbox rows are written in the same
* database transaction as the business document's own V1 updates. A
* duplicate key cannot happen (event ids are UUIDs); any database error
* here cancels the whole update, the business change included, as V1
* updates do.
  INSERT zmai_outbox FROM TABLE @it_rows.

ENDFUNCTION.
