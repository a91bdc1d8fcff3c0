FUNCTION z_mai_crm_order_delete.
*"----------------------------------------------------------------------
*"*"Local Interface:
*"  IMPORTING
*"     REFERENCE(IV_HEADER_GUID) TYPE  CRMT_OBJECT_GUID
*"----------------------------------------------------------------------
* CRMV_EVENT callback (object ORDER, event DELETE, "call with header
* GUID"): records a deleted event. The row is written by the update task
* at the commit that deletes the document; a discarded deletion writes
* nothing.
  zcl_mai_events=>activity_deleted( iv_header_guid ).

ENDFUNCTION.
