FUNCTION z_mai_bp_event_receiver.
*"----------------------------------------------------------------------
*"*"Local Interface:
*"  IMPORTING
*"     VALUE(EVENT) LIKE  SWETYPECOU-EVENT
*"     VALUE(RECTYPE) LIKE  SWETYPECOU-RECTYPE
*"     VALUE(OBJTYPE) LIKE  SWETYPECOU-OBJTYPE
*"     VALUE(OBJKEY) LIKE  SWEINSTCOU-OBJKEY
*"     VALUE(EXCEPTIONS_ALLOWED) LIKE  SWEFLAGS-EXC_OK DEFAULT SPACE
*"  EXPORTING
*"     VALUE(REC_ID) LIKE  SWELOG-RECID
*"  TABLES
*"      EVENT_CONTAINER STRUCTURE  SWCONT
*"  EXCEPTIONS
*"      TEMP_ERROR
*"      ANY_ERROR
*"----------------------------------------------------------------------
* SWE2 receiver for BUS1006 CREATED, CHANGED and DELETED. The event
* manager calls it after the partner change has committed, in a
* transactional RFC of its own: the row is written when that LUW commits,
* and an error leaves the call in the event queue / SM58 to be repeated.
  CLEAR rec_id.
  IF objtype <> 'BUS1006'.
    RETURN.
  ENDIF.
  zcl_mai_events=>partner_event( iv_partner = objkey(10) iv_event = event ).

ENDFUNCTION.
